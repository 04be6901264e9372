/**
 * HostFs over node:fs (synchronous calls). Paths arrive as byte strings and go to Node as Buffers,
 * so names that are not UTF-8 pass through unchanged; names Node lists or reads come back the same
 * way. Errors become negative Linux errno values by name (Node's err.code), via the generated
 * ERRNO table. arm64's O_* flags are translated to the host's: O_DIRECTORY, O_NOFOLLOW, O_DIRECT
 * and O_LARGEFILE have other values on x86-64, and the host is always given O_NOFOLLOW (the VFS
 * resolves links itself) and never O_APPEND (the VFS appends itself, so F_SETFL can change it).
 */
import * as fs from 'node:fs';
import type * as Net from 'node:net';
import type * as Tty from 'node:tty';
import { ERRNO } from '../../kernel/abi/errno.js';
import * as F from '../../kernel/abi/fcntl.js';
import type { FileStat, HostDirent, HostFs, HostStatfs, Timespec, Winsize } from '../../kernel/fs/host-fs.js';
import { lazyBuiltin } from './lazy-builtin.js';

const C = fs.constants;
const EIO = -5;
const EINVAL = -22;
const ENOTTY = -25;

/** A thrown Node error as a negative Linux errno. */
export function errnoOf(e: unknown): number {
  if (typeof e === 'object' && e !== null) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && Object.hasOwn(ERRNO, code)) return -ERRNO[code as keyof typeof ERRNO];
    if (code === 'ERR_FS_FILE_TOO_LARGE') return -ERRNO.EFBIG;
    if (code === 'ERR_OUT_OF_RANGE' || code === 'ERR_INVALID_ARG_VALUE') return EINVAL;
  }
  if (e instanceof RangeError) return EINVAL;
  return EIO;
}

function p(path: string): Buffer {
  return Buffer.from(path, 'latin1');
}

/** Runs a host call; a thrown error becomes its negative errno. */
function call(f: () => void): number {
  try {
    f();
    return 0;
  } catch (e) {
    return errnoOf(e);
  }
}

function num(f: () => number): number {
  try {
    return f();
  } catch (e) {
    return errnoOf(e);
  }
}

/** arm64 open flags → the host's. */
export function hostOpenFlags(flags: number): number {
  let h = flags & F.O_ACCMODE;
  const map: [number, number | undefined][] = [
    [F.O_CREAT, C.O_CREAT],
    [F.O_EXCL, C.O_EXCL],
    [F.O_NOCTTY, C.O_NOCTTY],
    [F.O_TRUNC, C.O_TRUNC],
    [F.O_NONBLOCK, C.O_NONBLOCK],
    [F.O_DSYNC, C.O_DSYNC],
    [F.O_DIRECTORY, C.O_DIRECTORY],
    [F.O_NOATIME, C.O_NOATIME],
  ];
  for (const [guest, host] of map) if (flags & guest && host !== undefined) h |= host;
  if ((flags & F.O_SYNC) === F.O_SYNC && C.O_SYNC !== undefined) h |= C.O_SYNC;
  if (C.O_NOFOLLOW !== undefined) h |= C.O_NOFOLLOW;
  // O_DIRECT is left out: it needs aligned buffers, which Node's are not; the data is the same without it.
  return h;
}

function ts(ns: bigint): Timespec {
  const sec = ns / 1_000_000_000n;
  let nsec = ns % 1_000_000_000n;
  let s = sec;
  if (nsec < 0n) {
    nsec += 1_000_000_000n;
    s -= 1n;
  }
  return { sec: Number(s), nsec: Number(nsec) };
}

function statRecord(s: fs.BigIntStats): FileStat {
  const r: FileStat = {
    dev: Number(s.dev),
    ino: Number(s.ino),
    mode: Number(s.mode),
    nlink: Number(s.nlink),
    uid: Number(s.uid),
    gid: Number(s.gid),
    rdev: Number(s.rdev),
    size: Number(s.size),
    blksize: Number(s.blksize),
    blocks: Number(s.blocks),
    atime: ts(s.atimeNs),
    mtime: ts(s.mtimeNs),
    ctime: ts(s.ctimeNs),
  };
  if (s.birthtimeNs > 0n) r.btime = ts(s.birthtimeNs);
  return r;
}

function stat(f: () => fs.BigIntStats): FileStat | number {
  try {
    return statRecord(f());
  } catch (e) {
    return errnoOf(e);
  }
}

function direntType(d: Omit<fs.Dirent, 'name' | 'parentPath' | 'path'>): number {
  if (d.isFile()) return F.DT_REG;
  if (d.isDirectory()) return F.DT_DIR;
  if (d.isSymbolicLink()) return F.DT_LNK;
  if (d.isFIFO()) return F.DT_FIFO;
  if (d.isCharacterDevice()) return F.DT_CHR;
  if (d.isBlockDevice()) return F.DT_BLK;
  if (d.isSocket()) return F.DT_SOCK;
  return F.DT_UNKNOWN;
}

function seconds(t: Timespec): number {
  return t.sec + t.nsec / 1e9;
}

const netModule = lazyBuiltin<typeof Net>('node:net');

/** node:tty loads node:net and the streams: only for descriptors that can be terminals (lazy-builtin.ts). */
const ttyModule = lazyBuiltin<typeof Tty>('node:tty');

/** Linux's major number of the memory devices (/dev/null, /dev/zero, /dev/urandom…), which are never terminals. */
const MEM_MAJOR = 1;

/**
 * isatty(3) without loading node:tty where the answer is known: only a character device can be a
 * terminal, and on Linux not one of the memory devices (a program run with stdin from /dev/null).
 */
function isTerminal(fd: number): boolean {
  try {
    const st = fs.fstatSync(fd);
    if ((st.mode & F.S_IFMT) !== F.S_IFCHR) return false;
    if (process.platform === 'linux' && ((st.rdev >> 8) & 0xfff) === MEM_MAJOR) return false;
  } catch {
    return false;
  }
  return ttyModule().isatty(fd);
}

/** Sleeps the whole thread (there is nothing else to run while the guest waits for the host). */
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** The host signals a terminal raises, as Linux numbers (the same on arm64 and x86-64). */
const TERMINAL_SIGNALS: readonly [NodeJS.Signals, number][] = [
  ['SIGINT', 2],
  ['SIGQUIT', 3],
  ['SIGTSTP', 20],
];

/** Linux's O_CLOEXEC (Node's fs.constants does not name it). */
const O_CLOEXEC_HOST = 0o2000000;

export class NodeFs implements HostFs {
  private readonly writeStreams = new Map<number, Tty.WriteStream>();
  private readonly readStreams = new Map<number, Tty.ReadStream>();
  /** A non-blocking description of the same pipe or terminal per host fd (readNonBlocking), or why there is none. */
  private readonly nbTwins = new Map<number, number>();
  /** Sockets made non-blocking for readNonBlocking: held so the handle (which owns the fd) stays alive. */
  private readonly nbSockets = new Map<number, Net.Socket>();

  open(path: string, flags: number, mode: number): number {
    return num(() => fs.openSync(p(path), hostOpenFlags(flags), mode));
  }

  close(fd: number): number {
    const twin = this.nbTwins.get(fd);
    if (twin !== undefined) {
      this.nbTwins.delete(fd);
      if (twin >= 0 && twin !== fd) call(() => fs.closeSync(twin));
    }
    const sock = this.nbSockets.get(fd);
    if (sock !== undefined) {
      // The socket's handle owns the fd: destroying it closes the fd.
      this.nbSockets.delete(fd);
      sock.destroy();
      return 0;
    }
    return call(() => fs.closeSync(fd));
  }

  /**
   * A read that never blocks, for the VFS's host streams (stdin as a pipe or terminal): it goes
   * through a second, non-blocking open file description of the same pipe or terminal, made by
   * opening /proc/self/fd/N, so the fd's own description (shared with the shell that started the
   * emulator) keeps its flags. A socket cannot be reopened (Node's spawn gives its children socket
   * pairs as stdio): its own description is made non-blocking, through a paused net.Socket on the fd
   * (libuv sets O_NONBLOCK when it adopts an fd; the handle never reads, and is unref'd). -EAGAIN
   * when there is nothing to read; another negative errno when neither works, and the VFS then
   * reads the fd blocking.
   */
  readNonBlocking(fd: number, dst: Uint8Array): number {
    let twin = this.nbTwins.get(fd);
    if (twin === undefined) {
      twin = num(() => fs.openSync(`/proc/self/fd/${fd}`, C.O_RDONLY | C.O_NONBLOCK | C.O_NOCTTY | O_CLOEXEC_HOST));
      if (twin < 0 && this.adoptSocket(fd)) twin = fd;
      this.nbTwins.set(fd, twin);
    }
    if (twin < 0) return twin;
    if (dst.length === 0) return 0;
    const t = twin;
    return num(() => fs.readSync(t, dst, 0, dst.length, null));
  }

  /** Makes a socket fd non-blocking (see readNonBlocking); false when fd is not a socket. */
  private adoptSocket(fd: number): boolean {
    try {
      if ((fs.fstatSync(fd).mode & F.S_IFMT) !== F.S_IFSOCK) return false;
      // manualStart (an option Node's own stdio uses): the handle does not start reading.
      const opts = { fd, readable: true, writable: false, manualStart: true } as Net.SocketConstructorOpts;
      const sock = new (netModule().Socket)(opts);
      sock.unref();
      this.nbSockets.set(fd, sock);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Calls fn with the Linux number of SIGINT, SIGQUIT or SIGTSTP when the host delivers one (the
   * terminal's ^C, ^\\, ^Z in cooked mode): the emulator then neither dies nor stops by them itself.
   */
  watchTerminalSignals(fn: (sig: number) => void): void {
    for (const [name, sig] of TERMINAL_SIGNALS) process.on(name, () => fn(sig));
  }

  /** Stops the emulator as a ^Z would stop any program; the host shell's fg or bg continues it. */
  stopSelf(): void {
    process.kill(process.pid, 'SIGSTOP');
  }

  read(fd: number, dst: Uint8Array, at: number, len: number, pos: number | undefined): number {
    if (len === 0) return 0;
    return num(() => fs.readSync(fd, dst, at, len, pos ?? null));
  }

  write(fd: number, src: Uint8Array, at: number, len: number, pos: number | undefined): number {
    if (len === 0) return 0;
    return num(() => fs.writeSync(fd, src, at, len, pos ?? null));
  }

  fstat(fd: number): FileStat | number {
    return stat(() => fs.fstatSync(fd, { bigint: true }));
  }

  fsize(fd: number): number {
    // Number stats: a BigIntStats (with every field converted) cost ~25 us per fault of a file page.
    try {
      return fs.fstatSync(fd).size;
    } catch (e) {
      return errnoOf(e);
    }
  }

  lstat(path: string): FileStat | number {
    return stat(() => fs.lstatSync(p(path), { bigint: true }));
  }

  readdir(path: string): HostDirent[] | number {
    // opendir/readSync keeps the file system's own order (readdirSync sorts by name, as scandir does).
    let dir: fs.Dir;
    const base = p(path);
    try {
      // Node accepts 'buffer' here at run time (names come back as Buffers); the type lists text encodings only.
      dir = fs.opendirSync(base, { encoding: 'buffer' as BufferEncoding });
    } catch (e) {
      return errnoOf(e);
    }
    try {
      const out: HostDirent[] = [];
      for (let d = dir.readSync(); d !== null; d = dir.readSync()) {
        const raw: unknown = d.name;
        const name = Buffer.isBuffer(raw) ? raw.toString('latin1') : String(raw);
        let ino: number;
        try {
          ino = Number(fs.lstatSync(Buffer.concat([base, Buffer.from(`/${name}`, 'latin1')]), { bigint: true }).ino);
        } catch {
          // Removed since it was listed.
          continue;
        }
        out.push({ name, type: direntType(d), ino });
      }
      return out;
    } catch (e) {
      return errnoOf(e);
    } finally {
      dir.closeSync();
    }
  }

  readlink(path: string): string | number {
    try {
      return fs.readlinkSync(p(path), { encoding: 'buffer' }).toString('latin1');
    } catch (e) {
      return errnoOf(e);
    }
  }

  mkdir(path: string, mode: number): number {
    return call(() => fs.mkdirSync(p(path), { mode }));
  }

  rmdir(path: string): number {
    return call(() => fs.rmdirSync(p(path)));
  }

  unlink(path: string): number {
    return call(() => fs.unlinkSync(p(path)));
  }

  rename(from: string, to: string): number {
    return call(() => fs.renameSync(p(from), p(to)));
  }

  symlink(target: string, path: string): number {
    return call(() => fs.symlinkSync(p(target), p(path)));
  }

  link(from: string, to: string): number {
    return call(() => fs.linkSync(p(from), p(to)));
  }

  chmod(path: string, mode: number): number {
    return call(() => fs.chmodSync(p(path), mode));
  }

  fchmod(fd: number, mode: number): number {
    return call(() => fs.fchmodSync(fd, mode));
  }

  lchown(path: string, uid: number, gid: number): number {
    return call(() => fs.lchownSync(p(path), uid, gid));
  }

  fchown(fd: number, uid: number, gid: number): number {
    return call(() => fs.fchownSync(fd, uid, gid));
  }

  lutimens(path: string, atime: Timespec, mtime: Timespec): number {
    return call(() => fs.lutimesSync(p(path), seconds(atime), seconds(mtime)));
  }

  futimens(fd: number, atime: Timespec, mtime: Timespec): number {
    return call(() => fs.futimesSync(fd, seconds(atime), seconds(mtime)));
  }

  truncate(path: string, len: number): number {
    // truncateSync(path) opens and closes the file itself; a Buffer path is accepted at run time.
    return call(() => {
      const fd = fs.openSync(p(path), C.O_WRONLY | (C.O_NOFOLLOW ?? 0));
      try {
        fs.ftruncateSync(fd, len);
      } finally {
        fs.closeSync(fd);
      }
    });
  }

  ftruncate(fd: number, len: number): number {
    return call(() => fs.ftruncateSync(fd, len));
  }

  fsync(fd: number, dataOnly: boolean): number {
    return call(() => (dataOnly ? fs.fdatasyncSync(fd) : fs.fsyncSync(fd)));
  }

  statfs(path: string): HostStatfs | number {
    try {
      const s = fs.statfsSync(p(path));
      return {
        type: s.type,
        bsize: s.bsize,
        blocks: s.blocks,
        bfree: s.bfree,
        bavail: s.bavail,
        files: s.files,
        ffree: s.ffree,
        namelen: 255,
        frsize: s.bsize,
        flags: 0x20, // ST_VALID: f_flags is meaningful (no other mount flags known)
      };
    } catch (e) {
      return errnoOf(e);
    }
  }

  access(path: string, mode: number): number {
    return call(() => fs.accessSync(p(path), mode));
  }

  isatty(fd: number): boolean {
    return isTerminal(fd);
  }

  winsize(fd: number): Winsize | undefined {
    if (!isTerminal(fd)) return undefined;
    try {
      let w = this.writeStreams.get(fd);
      if (w === undefined) {
        w = new (ttyModule().WriteStream)(fd);
        this.writeStreams.set(fd, w);
      }
      const [cols, rows] = w.getWindowSize();
      return { rows, cols, xpixel: 0, ypixel: 0 };
    } catch {
      return undefined;
    }
  }

  setRawMode(fd: number, raw: boolean): number {
    if (!isTerminal(fd)) return ENOTTY;
    try {
      let r = this.readStreams.get(fd);
      if (r === undefined) {
        // libuv reopens the terminal for the stream and makes fd non-blocking; the VFS waits on EAGAIN.
        r = new (ttyModule().ReadStream)(fd);
        r.pause();
        this.readStreams.set(fd, r);
      }
      r.setRawMode(raw);
      return 0;
    } catch (e) {
      return errnoOf(e);
    }
  }

  waitIo(_fd: number, ms: number): void {
    Atomics.wait(sleepCell, 0, 0, ms);
  }
}
