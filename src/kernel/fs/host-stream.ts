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
 */
import { O_ACCMODE, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, SEEK_END } from '../abi/fcntl.js';
import type { Kernel } from '../kernel.js';
import type { FileBacking } from '../mm/vma.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { Task } from '../task/task.js';
import { backingFor, HostFd } from './host-backing.js';
import { seekPosition } from './host-file.js';
import type { FileStat, HostFs } from './host-fs.js';
import { OpenFileBase } from './open-file.js';
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

type StreamKind = 'tty' | 'file' | 'stream';

export class HostStream extends OpenFileBase {
  private readonly kind: StreamKind;
  private readonly tty: TtyState | undefined;
  /** Regular-file output goes positionally only after the guest has seeked. */
  private positional: boolean;

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
    if (this.kind !== 'file') return 0;
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
