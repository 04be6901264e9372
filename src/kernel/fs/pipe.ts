/**
 * Pipes (pipe2), modelled on Linux's fs/pipe.c: a ring of page-sized buffers (16 by default, so
 * 64 KiB), a read end and a write end.
 *
 * - A write first merges its last `len % 4096` bytes into the newest buffer when they fit there,
 *   then fills fresh pages, so writes of at most PIPE_BUF (one page) are atomic and a pipe holds
 *   fewer bytes than 16 pages when small writes straddle page ends, as on Linux. With O_DIRECT
 *   ("packet mode") every write is its own packet and a read returns at most one.
 * - A read takes what is queued, 0 once every write end is gone, -EAGAIN when empty under
 *   O_NONBLOCK. A write with no read end open sends SIGPIPE (through the signal layer, to the
 *   writing thread, as send_sig does) and fails with -EPIPE.
 * - Blocked calls park on the pipe's wait queues (readers on rdWait, writers on wrWait) with
 *   waitInterruptible: another task's read or write wakes them, a signal ends the wait with
 *   -ERESTARTSYS (or the count moved so far). Each end exposes its side's queue as `waitQueue`, so
 *   poll/select/epoll see the wake-ups Linux's keyed wake-ups would give them: the read end is woken
 *   when data arrives (every write once the pipe has been polled, as Linux's poll_usage) and the
 *   write end when a full pipe gets room; both when an end closes.
 *
 * A task that blocks on a pipe while no other task exists can only be released by a signal (a
 * handler writing to the pipe, an interval timer): Linux waits all the same, and so does compat64,
 * after a one-time diagnostic on the emulator's stderr so a silent hang has an explanation.
 */
import { O_DIRECT, O_NONBLOCK } from '../abi/fcntl.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { sendSigpipe as sendTaskSigpipe } from '../task/signal-send.js';
import { WaitQueue } from '../task/wait-queue.js';
import type { FileStat } from './host-fs.js';
import { makedev } from './node-stat.js';
import { OpenFileBase } from './open-file.js';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from './poll-mask.js';
import { waitOnFile } from './poll-wait.js';
import { vfsOf } from './vfs.js';

const EAGAIN = -11;
const EINVAL = -22;
const ESPIPE = -29;
const EPIPE = -32;
const EBUSY = -16;
const EPERM = -1;
const ERESTARTSYS = -512;

const PAGE_SIZE = 4096;
export const PIPE_BUF = 4096;
/** PIPE_DEF_BUFFERS pages. */
export const PIPE_DEF_SIZE = 65536;
/** /proc/sys/fs/pipe-max-size default. */
export const PIPE_MAX_SIZE = 1048576;
const PIPEFS_DEV = makedev(0, 13);

/** pipe_buffer flags. */
export const PIPE_BUF_FLAG_GIFT = 0x04;
const PIPE_BUF_FLAG_PACKET = 0x08;
export const PIPE_BUF_FLAG_CAN_MERGE = 0x10;

/**
 * One page of the ring (struct pipe_buffer): page[offset, offset + len) is unread. tee makes two
 * buffers share a page; that is safe because bytes already queued are never rewritten (a merging
 * write only appends past the end of the newest buffer, and a teed copy never has CAN_MERGE).
 */
export interface PipeBuffer {
  readonly page: Uint8Array;
  offset: number;
  len: number;
  readonly flags: number;
}

/** The pipe itself (struct pipe_inode_info), shared by its two ends. */
export class Pipe {
  /** Occupied buffers, oldest first (tail … head). */
  private readonly bufs: PipeBuffer[] = [];
  /** max_usage: how many buffers may be occupied. */
  maxUsage = PIPE_DEF_SIZE / PAGE_SIZE;
  /** Bytes queued (the sum of the buffers' len: FIONREAD). */
  size = 0;
  readers = 0;
  writers = 0;
  /** poll_usage: the pipe has been polled, so every write wakes the readers' queue (edge-triggered epoll relies on it). */
  pollUsage = false;
  /** Woken when data arrives or an end closes (Linux's rd_wait). */
  readonly rdWait = new WaitQueue();
  /** Woken when a full pipe gets room or an end closes (wr_wait). */
  readonly wrWait = new WaitQueue();

  constructor(readonly ino: number) {}

  /** Bytes the pipe can hold (F_GETPIPE_SZ). */
  get capacity(): number {
    return this.maxUsage * PAGE_SIZE;
  }

  get empty(): boolean {
    return this.bufs.length === 0;
  }

  get full(): boolean {
    return this.bufs.length >= this.maxUsage;
  }

  get occupancy(): number {
    return this.bufs.length;
  }

  /** The merge step of pipe_write: appends all of src to the newest buffer if it may take it whole. */
  merge(src: Uint8Array): boolean {
    const last = this.bufs[this.bufs.length - 1];
    if (last === undefined || !(last.flags & PIPE_BUF_FLAG_CAN_MERGE)) return false;
    const end = last.offset + last.len;
    if (end + src.length > PAGE_SIZE) return false;
    last.page.set(src, end);
    last.len += src.length;
    this.size += src.length;
    return true;
  }

  /** A fresh buffer with up to one page of src (the caller checked the ring is not full). */
  pushPage(src: Uint8Array, packet: boolean): number {
    const n = Math.min(PAGE_SIZE, src.length);
    const page = new Uint8Array(PAGE_SIZE);
    page.set(src.subarray(0, n));
    this.bufs.push({ page, offset: 0, len: n, flags: packet ? PIPE_BUF_FLAG_PACKET : PIPE_BUF_FLAG_CAN_MERGE });
    this.size += n;
    return n;
  }

  /** The i-th occupied buffer from the oldest (splice and tee walk the ring with it). */
  buffer(i: number): PipeBuffer | undefined {
    return this.bufs[i];
  }

  /** Appends a buffer made elsewhere (splice, tee, vmsplice); the caller decided there is room. */
  pushBuffer(b: PipeBuffer): void {
    if (b.len === 0) return;
    this.bufs.push(b);
    this.size += b.len;
  }

  /** Consumes n bytes of the oldest buffer (n at most its len), dropping it once empty. */
  consumeOldest(n: number): void {
    const b = this.bufs[0];
    if (b === undefined) return;
    b.offset += n;
    b.len -= n;
    this.size -= n;
    if (b.len === 0) this.bufs.shift();
  }

  /** The copy loop of pipe_read: fills dst from the oldest buffers; a packet ends the read (its rest is dropped). */
  take(dst: Uint8Array): number {
    let n = 0;
    while (n < dst.length) {
      const b = this.bufs[0];
      if (b === undefined) break;
      const k = Math.min(b.len, dst.length - n);
      dst.set(b.page.subarray(b.offset, b.offset + k), n);
      n += k;
      b.offset += k;
      b.len -= k;
      this.size -= k;
      const packet = (b.flags & PIPE_BUF_FLAG_PACKET) !== 0;
      if (packet) {
        this.size -= b.len;
        b.len = 0;
      }
      if (b.len === 0) this.bufs.shift();
      if (packet) break;
    }
    return n;
  }
}

/** send_sig(SIGPIPE, current, 0): SEND_SIG_NOINFO, to the writing thread. */
function sendSigpipe(ctx: SyscallContext): void {
  sendTaskSigpipe(ctx.kernel, ctx.task);
}

export class PipeEnd extends OpenFileBase {
  constructor(
    readonly pipe: Pipe,
    readonly isWriteEnd: boolean,
    flags: number,
    private readonly owner: { uid: number; gid: number },
    private readonly ctimeSec: number,
  ) {
    super(flags, `pipe:[${pipe.ino}]`);
    if (isWriteEnd) pipe.writers++;
    else pipe.readers++;
  }

  /** The queue poll/select/epoll watch for this end (rd_wait for the read end, wr_wait for the write end). */
  get waitQueue(): WaitQueue {
    return this.isWriteEnd ? this.pipe.wrWait : this.pipe.rdWait;
  }

  read(ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number | Promise<number> {
    if (pos !== undefined) return ESPIPE;
    if (dst.length === 0) return 0;
    return this.readNow(ctx, dst);
  }

  private readNow(ctx: SyscallContext, dst: Uint8Array): number | Promise<number> {
    const p = this.pipe;
    if (!p.empty) {
      const wasFull = p.full;
      const n = p.take(dst);
      // Writers wait for a full pipe to get room; poll's writers want that edge only (Linux wakes wr_wait if was_full).
      if (wasFull) p.wrWait.wakeAll();
      return n;
    }
    if (p.writers === 0) return 0;
    if (this.flags & O_NONBLOCK) return EAGAIN;
    return waitOnFile(ctx, p.rdWait, 'a pipe', 'write to').then((woken) =>
      woken ? this.readNow(ctx, dst) : ERESTARTSYS,
    );
  }

  write(ctx: SyscallContext, src: Uint8Array, pos: number | undefined): number | Promise<number> {
    if (pos !== undefined) return ESPIPE;
    if (src.length === 0) return 0;
    const p = this.pipe;
    if (p.readers === 0) {
      sendSigpipe(ctx);
      return EPIPE;
    }
    const wasEmpty = p.empty;
    // The tail of the write (len % PAGE_SIZE) goes into the newest buffer when it fits there whole.
    const chars = src.length & (PAGE_SIZE - 1);
    let done = 0;
    if (chars !== 0 && !this.packetized() && p.merge(src.subarray(0, chars))) done = chars;
    return this.writeFrom(ctx, src, done, wasEmpty);
  }

  /** O_DIRECT on the write end: packet mode (is_packetized). */
  private packetized(): boolean {
    return (this.flags & O_DIRECT) !== 0;
  }

  /** The page loop of pipe_write, from byte done of src. */
  private writeFrom(ctx: SyscallContext, src: Uint8Array, done: number, wasEmpty: boolean): number | Promise<number> {
    const p = this.pipe;
    const wroteSome = (): void => {
      if (done > 0 && (wasEmpty || p.pollUsage)) p.rdWait.wakeAll();
    };
    for (;;) {
      if (done === src.length) {
        wroteSome();
        return done;
      }
      if (p.readers === 0) {
        sendSigpipe(ctx);
        wroteSome();
        return done > 0 ? done : EPIPE;
      }
      if (!p.full) {
        done += p.pushPage(src.subarray(done), this.packetized());
        continue;
      }
      if (this.flags & O_NONBLOCK) {
        wroteSome();
        return done > 0 ? done : EAGAIN;
      }
      wroteSome();
      const wrote = done;
      return waitOnFile(ctx, p.wrWait, 'a pipe', 'read from').then((woken) =>
        woken ? this.writeFrom(ctx, src, wrote, p.empty) : wrote > 0 ? wrote : ERESTARTSYS,
      );
    }
  }

  readable(): number {
    return this.isWriteEnd ? 0 : this.pipe.size;
  }

  /**
   * pipe_poll: the read end is readable with data and hung up once no writer is left; the write end
   * is writable while a buffer is free and in error with no reader left.
   */
  poll(): number {
    const p = this.pipe;
    p.pollUsage = true;
    if (!this.isWriteEnd) return (p.empty ? 0 : POLLIN | POLLRDNORM) | (p.writers === 0 ? POLLHUP : 0);
    return (p.full ? 0 : POLLOUT | POLLWRNORM) | (p.readers === 0 ? POLLERR : 0);
  }

  stat(): FileStat {
    const t = { sec: this.ctimeSec, nsec: 0 };
    return {
      dev: PIPEFS_DEV,
      ino: this.pipe.ino,
      mode: 0o010600,
      nlink: 1,
      uid: this.owner.uid,
      gid: this.owner.gid,
      rdev: 0,
      size: 0,
      blksize: 4096,
      blocks: 0,
      atime: t,
      mtime: t,
      ctime: t,
    };
  }

  /**
   * F_SETPIPE_SZ (pipe_set_size): rounds up to a power-of-two number of pages; growing past
   * pipe-max-size needs CAP_SYS_RESOURCE (-EPERM); fewer pages than are occupied is -EBUSY.
   */
  setCapacity(n: number): number {
    if (n < 0 || n > 2 ** 31) return EINVAL;
    let size = PAGE_SIZE;
    while (size < n) size *= 2;
    const slots = size / PAGE_SIZE;
    const p = this.pipe;
    if (slots > p.maxUsage && size > PIPE_MAX_SIZE) return EPERM;
    if (slots < p.occupancy) return EBUSY;
    p.maxUsage = slots;
    p.wrWait.wakeAll();
    return size;
  }

  release(): void {
    const p = this.pipe;
    if (this.isWriteEnd) p.writers--;
    else p.readers--;
    p.rdWait.wakeAll();
    p.wrWait.wakeAll();
  }
}

/** pipe2: a new pipe's read and write ends with the given status flags (O_NONBLOCK, O_DIRECT). */
export function makePipe(ctx: SyscallContext, flags: number): [PipeEnd, PipeEnd] {
  const pipe = new Pipe(vfsOf(ctx.kernel).anonIno());
  const owner = { uid: ctx.task.creds.euid, gid: ctx.task.creds.egid };
  const now = ctx.kernel.host.realtime().sec;
  const status = flags & (O_NONBLOCK | O_DIRECT);
  return [new PipeEnd(pipe, false, status | 0, owner, now), new PipeEnd(pipe, true, status | 1, owner, now)];
}
