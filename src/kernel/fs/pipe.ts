/**
 * Pipes (pipe2) inside the emulator: a bounded byte queue with a read end and a write end.
 *
 * Reads return what is queued, 0 once every write end is closed, -EAGAIN when empty under
 * O_NONBLOCK. Writes of at most PIPE_BUF bytes are atomic; a write with no read end open is -EPIPE
 * (and SIGPIPE, which the write syscalls raise). A call that has to wait parks on the pipe and is woken by
 * the other end, which needs another task to do the other end's work: when the caller is the only
 * task, nobody can ever wake it (on Linux it would hang until killed), so the call fails with
 * -EDEADLK and a diagnostic on the emulator's stderr instead of hanging silently.
 */
import { O_NONBLOCK } from '../abi/fcntl.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { FileStat } from './host-fs.js';
import { makedev } from './node-stat.js';
import { OpenFileBase } from './open-file.js';
import { vfsOf } from './vfs.js';

const EAGAIN = -11;
const EINVAL = -22;
const ESPIPE = -29;
const EPIPE = -32;
const EDEADLK = -35;
const EBUSY = -16;
const EPERM = -1;

export const PIPE_BUF = 4096;
const POLLIN = 0x1;
const POLLOUT = 0x4;
const POLLERR = 0x8;
const POLLHUP = 0x10;
export const PIPE_DEF_SIZE = 65536;
/** /proc/sys/fs/pipe-max-size default. */
export const PIPE_MAX_SIZE = 1048576;
const PIPEFS_DEV = makedev(0, 13);

export class Pipe {
  private chunks: Uint8Array[] = [];
  /** Bytes queued. */
  size = 0;
  capacity = PIPE_DEF_SIZE;
  readers = 0;
  writers = 0;
  private waiters: (() => void)[] = [];

  constructor(readonly ino: number) {}

  take(dst: Uint8Array): number {
    let n = 0;
    while (n < dst.length && this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, dst.length - n);
      dst.set(c.subarray(0, k), n);
      n += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.size -= n;
    return n;
  }

  put(src: Uint8Array): void {
    if (src.length === 0) return;
    this.chunks.push(src.slice());
    this.size += src.length;
  }

  /** Parks until the other end does something. */
  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** Whether a blocked call could ever be woken: some other task must exist to act on the pipe. */
function mayWait(ctx: SyscallContext, what: string): boolean {
  if (ctx.kernel.tasks.size > 1) return true;
  vfsOf(ctx.kernel).warnOnce(
    'pipe-deadlock',
    `${ctx.name} on a pipe would block forever (no other task can ${what}); returning EDEADLK`,
  );
  return false;
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

  read(ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number | Promise<number> {
    if (pos !== undefined) return ESPIPE;
    const p = this.pipe;
    if (dst.length === 0) return 0;
    if (p.size > 0) {
      const n = p.take(dst);
      p.wake();
      return n;
    }
    if (p.writers === 0) return 0;
    if (this.flags & O_NONBLOCK) return EAGAIN;
    if (!mayWait(ctx, 'write to it')) return EDEADLK;
    return p.wait().then(() => this.read(ctx, dst, pos));
  }

  write(ctx: SyscallContext, src: Uint8Array, pos: number | undefined): number | Promise<number> {
    if (pos !== undefined) return ESPIPE;
    return this.writeFrom(ctx, src, 0);
  }

  private writeFrom(ctx: SyscallContext, src: Uint8Array, done: number): number | Promise<number> {
    const p = this.pipe;
    for (;;) {
      if (p.readers === 0) return done > 0 ? done : EPIPE;
      const left = src.length - done;
      if (left === 0) return done;
      const free = p.capacity - p.size;
      // Up to PIPE_BUF bytes go in at once or not at all.
      const fits = left <= PIPE_BUF ? (free >= left ? left : 0) : free;
      if (fits > 0) {
        p.put(src.subarray(done, done + fits));
        done += fits;
        p.wake();
        continue;
      }
      if (this.flags & O_NONBLOCK) return done > 0 ? done : EAGAIN;
      if (!mayWait(ctx, 'read from it')) return done > 0 ? done : EDEADLK;
      return p.wait().then(() => this.writeFrom(ctx, src, done));
    }
  }

  readable(): number {
    return this.isWriteEnd ? 0 : this.pipe.size;
  }

  /** Linux's pipe_poll: readable with data, HUP once the other side is gone; writable with room (at least PIPE_BUF), ERR with no reader. */
  poll(): number {
    const p = this.pipe;
    if (!this.isWriteEnd) return (p.size > 0 ? POLLIN : 0) | (p.writers === 0 ? POLLHUP : 0);
    return (p.capacity - p.size >= PIPE_BUF ? POLLOUT : 0) | (p.readers === 0 ? POLLERR : 0);
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

  /** F_SETPIPE_SZ: rounds up to a power-of-two number of pages; never below what is queued. */
  setCapacity(n: number): number {
    if (n < 0 || n > 2 ** 31) return EINVAL;
    if (n > PIPE_MAX_SIZE) return EPERM;
    let size = 4096;
    while (size < n) size *= 2;
    if (size < this.pipe.size) return EBUSY;
    this.pipe.capacity = size;
    this.pipe.wake();
    return size;
  }

  release(): void {
    if (this.isWriteEnd) this.pipe.writers--;
    else this.pipe.readers--;
    this.pipe.wake();
  }
}

/** pipe2: a new pipe's read and write ends with the given status flags (O_NONBLOCK; O_DIRECT is ignored). */
export function makePipe(ctx: SyscallContext, flags: number): [PipeEnd, PipeEnd] {
  const pipe = new Pipe(vfsOf(ctx.kernel).anonIno());
  const owner = { uid: ctx.task.creds.euid, gid: ctx.task.creds.egid };
  const now = ctx.kernel.host.realtime().sec;
  const status = flags & O_NONBLOCK;
  return [new PipeEnd(pipe, false, status | 0, owner, now), new PipeEnd(pipe, true, status | 1, owner, now)];
}
