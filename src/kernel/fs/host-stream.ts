/**
 * Descriptions over the emulator's own host fds: the guest's fds 0/1/2 are the emulator's stdin,
 * stdout and stderr, and /dev/tty is the host's controlling terminal.
 *
 * Terminals, pipes and sockets are streams: reads and writes go to the host fd at its own offset. A
 * regular file (`< file`, `> file`) is read at the description's position, so lseek works; output
 * is written at the host fd's own offset (the shell may share it, as in `(echo a; prog) > f`) until
 * the guest seeks, and positionally after that.
 *
 * Reading a stream never blocks the emulator when the host offers `readNonBlocking` (a read that
 * returns -EAGAIN, through a second non-blocking description of the same pipe or terminal, or the
 * socket itself made non-blocking; see host/node/node-fs.ts): a blocking read with nothing to read
 * parks its task on `waitQueue` (a signal ends the wait with -ERESTARTSYS, as pipe_read and n_tty_read
 * do), and while anyone waits a 10 ms host timer checks the host for input, reads it ahead into a
 * buffer that later reads drain first, and wakes the queue. The same read-ahead gives poll, select
 * and epoll the read side's readiness; end of file shows as POLLHUP on pipes. The write side is
 * always reported writable (a write goes to the host at once). Without the capability, or for an fd
 * the host can do neither for, the read side is always readable and a read blocks in the host as
 * before. A regular file has no poll method (epoll refuses it with EPERM; poll and select see it
 * always ready), as on Linux.
 *
 * A terminal's reads, writes with TOSTOP and setting changes go through job control first
 * (tty-jobctl.ts: SIGTTIN, SIGTTOU, EIO for a background process group), and its input through ISIG
 * while the host terminal is raw (^C, ^\, ^Z become signals for the foreground group).
 */
import { O_ACCMODE, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, SEEK_END } from '../abi/fcntl.js';
import type { Kernel } from '../kernel.js';
import type { FileBacking } from '../mm/vma.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { sendSigpipe } from '../task/signal-send.js';
import { INTERRUPTED, waitInterruptible } from '../task/signal-wait.js';
import type { Task } from '../task/task.js';
import { WaitQueue } from '../task/wait-queue.js';
import { backingFor, HostFd } from './host-backing.js';
import { seekPosition } from './host-file.js';
import type { FileStat, HostFs } from './host-fs.js';
import { OpenFileBase } from './open-file.js';
import { POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from './poll-mask.js';
import { TtyState, ttyIoctl } from './tty.js';
import { cttyOf, procSetTty, TOSTOP, ttyCheckChange, ttyHostSignal, ttyReceive, ttyRegistry } from './tty-jobctl.js';
import { type Vfs, vfsOf } from './vfs.js';
import type { Loc } from './vnode.js';

const EAGAIN = -11;
const ENXIO = -6;
const ENOTTY = -25;
const EPIPE = -32;
const ESPIPE = -29;
const ERESTARTSYS = -512;
const SIGTTIN = 21;
const SIGTTOU = 22;
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

/** Host signals a terminal raises (SIGINT, SIGQUIT, SIGTSTP as Linux numbers), and stopping the emulator. */
interface TerminalSignals {
  watchTerminalSignals(fn: (sig: number) => void): void;
  stopSelf(): void;
}

function terminalSignals(host: HostFs): TerminalSignals | undefined {
  const h = host as HostFs & Partial<TerminalSignals>;
  return typeof h.watchTerminalSignals === 'function' && typeof h.stopSelf === 'function'
    ? (h as HostFs & TerminalSignals)
    : undefined;
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
  /** The host's non-blocking read, for streams (see the module comment). */
  private readonly nb: NonBlockingRead | undefined;
  /** The host cannot read this fd without blocking (readNonBlocking failed otherwise than EAGAIN). */
  private nbFailed = false;

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
    this.nb = this.kind === 'file' ? undefined : hostReadiness(host);
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
    const nb = this.nbFailed ? undefined : this.nb;
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
    if (n > 0) {
      const got = this.tty === undefined ? buf.subarray(0, n) : ttyReceive(this.tty, buf.subarray(0, n));
      this.ahead = concatBytes(this.ahead, got);
    } else if (n === 0) this.aheadEof = true;
    if (n < 0 && n !== EAGAIN) this.nbFailed = true;
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

  /** The terminal's state, for a terminal. */
  get ttyState(): TtyState | undefined {
    return this.tty;
  }

  get hostFd(): number {
    return this.hfd.fd;
  }

  read(ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number | Promise<number> {
    const host = this.vfs.host;
    if (this.kind === 'file') {
      const at = pos ?? this.pos;
      const n = host.read(this.hfd.fd, dst, 0, dst.length, at);
      if (n > 0 && pos === undefined) this.pos += n;
      return n;
    }
    if (pos !== undefined) return ESPIPE;
    const first = this.tryRead(ctx, dst);
    if (first !== EAGAIN || this.flags & O_NONBLOCK) return first;
    return this.readParked(ctx, dst);
  }

  /**
   * One attempt at a stream read that does not block: the job-control check of a terminal (n_tty's
   * job_control, at the start and after every wake-up), the read-ahead, then the host. -EAGAIN when
   * there is nothing yet. Without the host's non-blocking read it blocks in the host as before.
   */
  private tryRead(ctx: SyscallContext, dst: Uint8Array): number {
    if (this.tty !== undefined) {
      const r = ttyCheckChange(ctx.kernel, ctx.task, this.tty, SIGTTIN);
      if (r !== 0) return r;
    }
    const ahead = this.takeAhead(dst);
    if (ahead !== undefined) return ahead;
    if (dst.length === 0) return 0;
    const nb = this.nbFailed ? undefined : this.nb;
    if (nb !== undefined && this.readAhead(nb)) return this.takeAhead(dst) ?? EAGAIN;
    const host = this.vfs.host;
    for (;;) {
      const n = host.read(this.hfd.fd, dst, 0, dst.length, undefined);
      if (n !== EAGAIN || this.flags & O_NONBLOCK) return n;
      host.waitIo(this.hfd.fd, WAIT_MS);
    }
  }

  /** A blocking read with nothing to read yet: the task parks until the host has input or a signal comes. */
  private async readParked(ctx: SyscallContext, dst: Uint8Array): Promise<number> {
    for (;;) {
      const nb = this.nbFailed ? undefined : this.nb;
      if (nb !== undefined) this.watchHost(nb);
      const q = this.waitQueue!;
      if ((await waitInterruptible(ctx.task, q.wait())) === INTERRUPTED) return ERESTARTSYS;
      const n = this.tryRead(ctx, dst);
      if (n !== EAGAIN) return n;
    }
  }

  write(ctx: SyscallContext, src: Uint8Array, pos: number | undefined): number {
    const host = this.vfs.host;
    if (this.kind !== 'file' && pos !== undefined) return ESPIPE;
    if (this.tty !== undefined && this.tty.lflag & TOSTOP) {
      const r = ttyCheckChange(ctx.kernel, ctx.task, this.tty, SIGTTOU);
      if (r !== 0) return r;
    }
    const positional = this.kind === 'file' && (pos !== undefined || this.positional);
    let done = 0;
    while (done < src.length) {
      const at = positional ? (pos ?? this.pos) + done : undefined;
      const n = host.write(this.hfd.fd, src, done, src.length - done, at);
      if (n === EAGAIN && !(this.flags & O_NONBLOCK)) {
        host.waitIo(this.hfd.fd, WAIT_MS);
        continue;
      }
      if (n < 0) {
        // The host pipe or socket has no reader: the guest gets SIGPIPE, as pipe_write sends it.
        if (n === EPIPE) sendSigpipe(ctx.kernel, ctx.task);
        return done > 0 ? done : n;
      }
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
    return ttyIoctl(ctx, this.tty, this.vfs.host, this.hfd.fd, (this.flags & O_ACCMODE) !== O_WRONLY, cmd, arg);
  }

  stat(): FileStat | number {
    return this.vfs.host.fstat(this.hfd.fd);
  }

  fsync(dataOnly: boolean): number {
    return this.kind === 'file' ? this.vfs.host.fsync(this.hfd.fd, dataOnly) : 0;
  }

  readable(): number {
    if (this.kind !== 'file') {
      const nb = this.nbFailed ? undefined : this.nb;
      if (this.ahead.length === 0 && nb !== undefined) this.readAhead(nb);
      return this.ahead.length;
    }
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

function ttyFor(vfs: Vfs, rdev: number): TtyState {
  const m = ttyRegistry(vfs);
  let t = m.get(rdev);
  if (t === undefined) {
    t = new TtyState(rdev);
    m.set(rdev, t);
  }
  return t;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const r = new Uint8Array(a.length + b.length);
  r.set(a);
  r.set(b, a.length);
  return r;
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

/**
 * Gives a new task the emulator's stdin, stdout and stderr as its fds 0, 1 and 2. When one is a
 * terminal it becomes the controlling terminal of the task's session (the first process leads its
 * own), and the signals the host terminal raises go to its foreground process group.
 */
export function installStdio(kernel: Kernel, task: Task): void {
  let tty: TtyState | undefined;
  for (const fd of [0, 1, 2] as const) {
    const f = stdioFile(kernel, fd);
    tty ??= f.ttyState;
    task.files.put(fd, f, false);
  }
  if (tty === undefined || tty.session !== 0) return;
  procSetTty(kernel, tty, task.group);
  const host = terminalSignals(vfsOf(kernel).host);
  if (host === undefined) return;
  const t = tty;
  t.stopHost = () => host.stopSelf();
  host.watchTerminalSignals((sig) => ttyHostSignal(kernel, t, sig));
}

/**
 * tty_open_proc_set_tty: a terminal opened by path (/dev/pts/N) without O_NOCTTY, for reading, by a
 * session leader that has no controlling terminal, becomes its controlling terminal if no session
 * owns it. For open-path.ts's openHost, after it made the HostStream (flags as the guest gave them).
 */
export function terminalOpened(kernel: Kernel, task: Task, file: HostStream, flags: number): void {
  const t = file.ttyState;
  const g = task.group;
  if (t === undefined || flags & O_NOCTTY || (flags & O_ACCMODE) === O_WRONLY) return;
  if (g.sid !== g.tgid || t.session !== 0 || cttyOf(kernel, g) !== undefined) return;
  procSetTty(kernel, t, g);
}

/**
 * /dev/tty: the host's controlling terminal, or ENXIO when the emulator has none. Given the opening
 * task, also ENXIO when the task's process has no controlling terminal (tty_open_current_tty), e.g.
 * after setsid.
 */
export function openHostTty(kernel: Kernel, flags: number, task?: Task): HostStream | number {
  if (task !== undefined && cttyOf(kernel, task.group) === undefined) return ENXIO;
  const vfs = vfsOf(kernel);
  const fd = vfs.host.open('/dev/tty', (flags & O_ACCMODE) | O_NOCTTY, 0);
  if (fd < 0) return ENXIO;
  return new HostStream(vfs, new HostFd(vfs.host, fd), flags & ~O_NOCTTY, '/dev/tty');
}
