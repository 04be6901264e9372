/**
 * Descriptions over the emulator's own host fds: the guest's fds 0/1/2 are the emulator's stdin,
 * stdout and stderr, and /dev/tty is the host's controlling terminal.
 *
 * Terminals, pipes and sockets are streams: reads and writes go to the host fd at its own offset, a
 * read blocks the whole emulator until the host has data (interactive and piped stdin alike), and a
 * host fd the host made non-blocking is waited on when the guest's description is blocking. A
 * regular file (`< file`, `> file`) is read at the description's position, so lseek works; output
 * is written at the host fd's own offset (the shell may share it, as in `(echo a; prog) > f`) until
 * the guest seeks, and positionally after that.
 *
 * Readiness (poll, select, epoll) of a terminal, pipe or socket: the write side is always reported
 * writable (a write goes to the host at once). The read side needs to know whether the host fd has
 * input, which Node cannot ask without reading. When the host offers `readNonBlocking` (a read that
 * never blocks, through a second non-blocking description of the same pipe or terminal; see
 * hostReadiness below), poll() reads ahead into a buffer that later reads drain first, and while
 * anyone waits on the stream a 10 ms host timer repeats the check and wakes `waitQueue` when input
 * or end of file shows up. Without it the read side is always reported readable, and the read that
 * follows blocks the emulator until the host has data, as before. A regular file has no poll method
 * (epoll refuses it with EPERM; poll and select see it always ready), as on Linux.
 */
import { O_ACCMODE, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, SEEK_END } from '../abi/fcntl.js';
import type { Kernel } from '../kernel.js';
import type { FileBacking } from '../mm/vma.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { Task } from '../task/task.js';
import { WaitQueue } from '../task/wait-queue.js';
import { backingFor, HostFd } from './host-backing.js';
import { seekPosition } from './host-file.js';
import type { FileStat, HostFs } from './host-fs.js';
import { OpenFileBase } from './open-file.js';
import { POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from './poll-mask.js';
import { TtyState, ttyIoctl } from './tty.js';
import { type Vfs, vfsOf } from './vfs.js';
import type { Loc } from './vnode.js';

const EAGAIN = -11;
const ENXIO = -6;
const ENOTTY = -25;
const ESPIPE = -29;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const O_NOCTTY = 0o400;
/** How long one wait for a non-blocking host fd lasts before trying again. */
const WAIT_MS = 10;
/** How often a waited-on stream checks the host for input (the readiness policy above). */
const READY_POLL_MS = 10;
/** How much one read-ahead takes from the host. */
const READ_AHEAD = 65536;

/** The optional host capability behind stream readiness: a read that returns -EAGAIN instead of blocking. */
interface NonBlockingRead {
  readNonBlocking(fd: number, dst: Uint8Array): number;
}

/** The host's readNonBlocking, if it has one (HostFs may implement it; see the module comment). */
function hostReadiness(host: HostFs): NonBlockingRead | undefined {
  const f = (host as HostFs & Partial<NonBlockingRead>).readNonBlocking;
  return typeof f === 'function' ? { readNonBlocking: (fd, dst) => f.call(host, fd, dst) } : undefined;
}

type StreamKind = 'tty' | 'file' | 'stream';

export class HostStream extends OpenFileBase {
  private readonly kind: StreamKind;
  private readonly tty: TtyState | undefined;
  /** Regular-file output goes positionally only after the guest has seeked. */
  private positional: boolean;
  /** Terminals, pipes and sockets: readiness for poll/select/epoll (absent for a regular file). */
  readonly poll?: () => number;
  readonly waitQueue?: WaitQueue;
  /** Input read ahead by poll(), served before the host fd is read again. */
  private ahead: Uint8Array = new Uint8Array(0);
  /** poll() saw end of file (a read of 0): the next read returns 0. */
  private aheadEof = false;
  private readyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly vfs: Vfs,
    private readonly hfd: HostFd,
    flags: number,
    path: string,
    /** Set when opened by a guest path (a terminal under /dev/pts). */
    readonly loc?: Loc,
  ) {
    super(flags, path);
    const host = vfs.host;
    const st = host.fstat(hfd.fd);
    const isReg = typeof st !== 'number' && (st.mode & S_IFMT) === S_IFREG;
    this.kind = host.isatty(hfd.fd) ? 'tty' : isReg ? 'file' : 'stream';
    this.positional = (flags & O_ACCMODE) === O_RDONLY;
    // All descriptions of one terminal (fds 0, 1, 2 and /dev/tty) share its termios.
    if (this.kind === 'tty') this.tty = ttyFor(vfs, typeof st === 'number' ? -1 : st.rdev);
    if (this.kind !== 'file') {
      this.waitQueue = new WaitQueue();
      this.poll = () => this.streamPoll();
    }
  }

  /** The readiness of a terminal, pipe or socket (see the module comment). */
  private streamPoll(): number {
    const acc = this.flags & O_ACCMODE;
    let mask = acc === O_RDONLY ? 0 : POLLOUT | POLLWRNORM;
    if (acc === O_WRONLY) return mask;
    const nb = hostReadiness(this.vfs.host);
    if (nb === undefined) return mask | POLLIN | POLLRDNORM;
    if (this.ahead.length === 0 && !this.aheadEof && !this.readAhead(nb)) return mask | POLLIN | POLLRDNORM;
    if (this.ahead.length > 0) mask |= POLLIN | POLLRDNORM;
    else if (this.aheadEof) mask |= this.kind === 'tty' ? POLLIN | POLLRDNORM : POLLHUP;
    else this.watchHost(nb);
    return mask;
  }

  /**
   * One non-blocking read from the host into the read-ahead buffer. False when the host cannot tell
   * for this fd (an error other than EAGAIN, e.g. a socket it cannot reopen): the stream then counts
   * as readable, the policy without the capability.
   */
  private readAhead(nb: NonBlockingRead): boolean {
    const buf = new Uint8Array(READ_AHEAD);
    const n = nb.readNonBlocking(this.hfd.fd, buf);
    if (n > 0) this.ahead = buf.slice(0, n);
    else if (n === 0) this.aheadEof = true;
    return n >= 0 || n === EAGAIN;
  }

  /** While someone waits on the stream, checks the host for input every READY_POLL_MS and wakes them. */
  private watchHost(nb: NonBlockingRead): void {
    if (this.readyTimer !== undefined) return;
    const tick = (): void => {
      this.readyTimer = undefined;
      const q = this.waitQueue;
      if (q === undefined || q.waiters === 0) return;
      if (!this.readAhead(nb) || this.ahead.length > 0 || this.aheadEof) q.wakeAll();
      else this.readyTimer = setTimeout(tick, READY_POLL_MS);
    };
    this.readyTimer = setTimeout(tick, READY_POLL_MS);
  }

  /** Serves a read from the read-ahead buffer; undefined when it is empty. */
  private takeAhead(dst: Uint8Array): number | undefined {
    if (this.ahead.length > 0) {
      const n = Math.min(dst.length, this.ahead.length);
      dst.set(this.ahead.subarray(0, n));
      this.ahead = this.ahead.subarray(n);
      return n;
    }
    if (this.aheadEof) {
      this.aheadEof = false;
      return 0;
    }
    return undefined;
  }

  get hostFd(): number {
    return this.hfd.fd;
  }

  read(_ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number {
    const host = this.vfs.host;
    if (this.kind === 'file') {
      const at = pos ?? this.pos;
      const n = host.read(this.hfd.fd, dst, 0, dst.length, at);
      if (n > 0 && pos === undefined) this.pos += n;
      return n;
    }
    if (pos !== undefined) return ESPIPE;
    const ahead = this.takeAhead(dst);
    if (ahead !== undefined) return ahead;
    for (;;) {
      const n = host.read(this.hfd.fd, dst, 0, dst.length, undefined);
      if (n !== EAGAIN || this.flags & O_NONBLOCK) return n;
      host.waitIo(this.hfd.fd, WAIT_MS);
    }
  }

  write(_ctx: SyscallContext, src: Uint8Array, pos: number | undefined): number {
    const host = this.vfs.host;
    if (this.kind !== 'file' && pos !== undefined) return ESPIPE;
    const positional = this.kind === 'file' && (pos !== undefined || this.positional);
    let done = 0;
    while (done < src.length) {
      const at = positional ? (pos ?? this.pos) + done : undefined;
      const n = host.write(this.hfd.fd, src, done, src.length - done, at);
      if (n === EAGAIN && !(this.flags & O_NONBLOCK)) {
        host.waitIo(this.hfd.fd, WAIT_MS);
        continue;
      }
      if (n < 0) return done > 0 ? done : n;
      if (n === 0) break;
      done += n;
    }
    if (this.kind === 'file' && pos === undefined) this.pos += done;
    return done;
  }

  lseek(offset: number, whence: number): number {
    if (this.kind !== 'file') return ESPIPE;
    let size = 0;
    if (whence === SEEK_END || whence >= 3) {
      const st = this.vfs.host.fstat(this.hfd.fd);
      if (typeof st === 'number') return st;
      size = st.size;
    }
    const next = seekPosition(this.pos, size, offset, whence);
    if (next >= 0) {
      this.pos = next;
      this.positional = true;
    }
    return next;
  }

  ioctl(ctx: SyscallContext, cmd: number, arg: number): number {
    if (this.tty === undefined) return ENOTTY;
    return ttyIoctl(ctx, this.tty, this.vfs.host, this.hfd.fd, cmd, arg);
  }

  stat(): FileStat | number {
    return this.vfs.host.fstat(this.hfd.fd);
  }

  fsync(dataOnly: boolean): number {
    return this.kind === 'file' ? this.vfs.host.fsync(this.hfd.fd, dataOnly) : 0;
  }

  readable(): number {
    if (this.kind !== 'file') return this.ahead.length;
    const st = this.vfs.host.fstat(this.hfd.fd);
    return typeof st === 'number' ? 0 : Math.max(0, st.size - this.pos);
  }

  mapping(): FileBacking | undefined {
    if (this.kind !== 'file') return undefined;
    const st = this.vfs.host.fstat(this.hfd.fd);
    if (typeof st === 'number') return undefined;
    return backingFor(this.vfs, this.hfd, this.path, st.dev, st.ino, (this.flags & O_ACCMODE) === O_RDWR);
  }

  release(): void {
    if (this.readyTimer !== undefined) clearTimeout(this.readyTimer);
    this.readyTimer = undefined;
    this.hfd.unref();
  }
}

const ttys = new WeakMap<Vfs, Map<number, TtyState>>();

function ttyFor(vfs: Vfs, rdev: number): TtyState {
  let m = ttys.get(vfs);
  if (m === undefined) {
    m = new Map();
    ttys.set(vfs, m);
  }
  let t = m.get(rdev);
  if (t === undefined) {
    t = new TtyState();
    m.set(rdev, t);
  }
  return t;
}

/** What /proc/self/fd shows for a host fd: the host's own name for it when it can tell. */
function hostFdName(host: HostFs, fd: number, fallback: string): string {
  const name = host.readlink(`/proc/self/fd/${fd}`);
  return typeof name === 'string' ? name : fallback;
}

/**
 * A description of the emulator's stdin (0), stdout (1) or stderr (2). A terminal is read-write;
 * otherwise stdin is read-only and the others write-only (Node cannot ask the host for F_GETFL).
 */
export function stdioFile(kernel: Kernel, hostFd: 0 | 1 | 2): HostStream {
  const vfs = vfsOf(kernel);
  const host = vfs.host;
  const access = host.isatty(hostFd) ? O_RDWR : hostFd === 0 ? O_RDONLY : O_WRONLY;
  const fallback = ['/dev/stdin', '/dev/stdout', '/dev/stderr'][hostFd]!;
  return new HostStream(vfs, new HostFd(host, hostFd, true), access, hostFdName(host, hostFd, fallback));
}

/** Gives a new task the emulator's stdin, stdout and stderr as its fds 0, 1 and 2. */
export function installStdio(kernel: Kernel, task: Task): void {
  for (const fd of [0, 1, 2] as const) task.files.put(fd, stdioFile(kernel, fd), false);
}

/** /dev/tty: the host's controlling terminal, or ENXIO when the emulator has none. */
export function openHostTty(kernel: Kernel, flags: number): HostStream | number {
  const vfs = vfsOf(kernel);
  const fd = vfs.host.open('/dev/tty', (flags & O_ACCMODE) | O_NOCTTY, 0);
  if (fd < 0) return ENXIO;
  return new HostStream(vfs, new HostFd(vfs.host, fd), flags & ~O_NOCTTY, '/dev/tty');
}
