/**
 * The host file operations the VFS needs (implemented by host/node/, later host/browser/).
 *
 * Every operation is synchronous and never throws for a file-system error: it returns a negative
 * Linux errno (-ENOENT, -EACCES, …), translated from the host's own error by the implementation.
 * Paths are host paths as byte strings (one char per byte, 0–255; see byte-string.ts), already
 * resolved inside the guest root by the VFS: the host never follows a symlink in the last component
 * of a path it is given unless the operation says so. Open flags are arm64's O_* values
 * (abi/fcntl.ts); the implementation translates them to its own.
 */

/** A timestamp as whole seconds and nanoseconds (0 ≤ nsec < 1e9). */
export interface Timespec {
  sec: number;
  nsec: number;
}

/**
 * What stat reports, host files and synthetic ones alike. dev and rdev use Linux's dev_t encoding
 * (what glibc's makedev gives); ino is exact below 2^53.
 */
export interface FileStat {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  /** Creation time when the host file system records one. */
  btime?: Timespec;
}

/** One directory entry as the host lists it (no "." or ".."). */
export interface HostDirent {
  name: string;
  /** DT_* (abi/fcntl.ts). */
  type: number;
  ino: number;
}

/** statfs(2) as the host reports it for the file system holding a path. */
export interface HostStatfs {
  type: number;
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  namelen: number;
  frsize: number;
  flags: number;
}

/** A terminal's size (TIOCGWINSZ). */
export interface Winsize {
  rows: number;
  cols: number;
  xpixel: number;
  ypixel: number;
}

/** A time to set with utimens: a value, or leave the current one. */
export type TimeSet = Timespec | 'now' | 'omit';

export interface HostFs {
  /** open(2) of a host path with arm64 O_* flags; the host always adds O_NOFOLLOW and O_CLOEXEC. Returns a host fd. */
  open(path: string, flags: number, mode: number): number;
  close(fd: number): number;
  /** read(2) / pread(2): pos undefined reads at the host fd's own offset. */
  read(fd: number, dst: Uint8Array, at: number, len: number, pos: number | undefined): number;
  write(fd: number, src: Uint8Array, at: number, len: number, pos: number | undefined): number;
  fstat(fd: number): FileStat | number;
  /** The size of an open file (st_size), or -errno: page faults on file mappings ask it each time. */
  fsize(fd: number): number;
  /** stat(2) of a path without following a final symlink (lstat). */
  lstat(path: string): FileStat | number;
  /** The entries of a directory, without "." and "..", in the host's order. */
  readdir(path: string): HostDirent[] | number;
  readlink(path: string): string | number;
  mkdir(path: string, mode: number): number;
  rmdir(path: string): number;
  unlink(path: string): number;
  /** rename(2); hosts without renameat2 may refuse flags with -EINVAL. */
  rename(from: string, to: string): number;
  symlink(target: string, path: string): number;
  link(from: string, to: string): number;
  /** chmod of a path (never a symlink: Linux has no lchmod). */
  chmod(path: string, mode: number): number;
  fchmod(fd: number, mode: number): number;
  /** lchown(2): -1 leaves an id unchanged. */
  lchown(path: string, uid: number, gid: number): number;
  fchown(fd: number, uid: number, gid: number): number;
  /** utimensat without following a final symlink. */
  lutimens(path: string, atime: Timespec, mtime: Timespec): number;
  futimens(fd: number, atime: Timespec, mtime: Timespec): number;
  truncate(path: string, len: number): number;
  ftruncate(fd: number, len: number): number;
  fsync(fd: number, dataOnly: boolean): number;
  statfs(path: string): HostStatfs | number;
  /** access(2) with F_OK/R_OK/W_OK/X_OK for the host process's ids. */
  access(path: string, mode: number): number;
  /** Whether a host fd is a terminal. */
  isatty(fd: number): boolean;
  /** The window size of a terminal fd, or undefined when the host cannot tell. */
  winsize(fd: number): Winsize | undefined;
  /** Switches a terminal between canonical/echo (cooked) and raw input; negative errno when impossible. */
  setRawMode(fd: number, raw: boolean): number;
  /**
   * Waits up to ms milliseconds for a non-blocking host fd that returned -EAGAIN (a blocking read of
   * the emulator's stdin, when the host left it non-blocking). Blocks the whole emulator.
   */
  waitIo(fd: number, ms: number): void;
}
