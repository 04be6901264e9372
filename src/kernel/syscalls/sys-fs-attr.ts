/**
 * Attributes and data safety: fchmod, fchmodat, fchown, fchownat, utimensat, truncate, ftruncate,
 * fsync, fdatasync, sync, syncfs, fadvise64, umask.
 */
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, O_PATH, S_IFMT, S_IFREG } from '../abi/fcntl.js';
import type { Timespec } from '../fs/host-fs.js';
import { isDirNode, statOfNode } from '../fs/node-stat.js';
import { cwdLoc, resolveAt } from '../fs/path-walk.js';
import { vfsOf } from '../fs/vfs.js';
import type { Loc } from '../fs/vnode.js';
import {
  canWrite,
  EBADF,
  EFAULT,
  EINVAL,
  EISDIR,
  ENODEV,
  ENOENT,
  EOPNOTSUPP,
  EPERM,
  ESPIPE,
  fileOf,
  ioFileOf,
  readPath,
} from './sys-fs-common.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { readTimespecs } from './timespec-read.js';

const UTIME_NOW = (1 << 30) - 1;
const UTIME_OMIT = (1 << 30) - 2;

/** A path argument resolved to what it names (follow: the last link too). */
function lookup(ctx: SyscallContext, dirfd: number, pathAddr: number, follow: boolean, emptyOk = false): Loc | number {
  const path = readPath(ctx, pathAddr);
  if (typeof path === 'number') return path;
  if (path === '') {
    if (!emptyOk) return ENOENT;
    if (dirfd === AT_FDCWD) return cwdLoc(ctx);
    const f = fileOf(ctx, dirfd);
    if (typeof f === 'number') return f;
    return f.loc ?? { name: '', parent: undefined, node: { kind: 'file', file: f } };
  }
  const w = resolveAt(ctx, dirfd, path, { follow });
  if (typeof w === 'number') return w;
  return w.loc ?? ENOENT;
}

function sysFchmod(ctx: SyscallContext, a: readonly number[]): number {
  const f = ioFileOf(ctx, a[0]!);
  if (typeof f === 'number') return f;
  return f.setattr?.({ mode: a[1]! & 0o7777 }) ?? EPERM;
}

function sysFchmodat(ctx: SyscallContext, a: readonly number[]): number {
  const loc = lookup(ctx, a[0]!, a[1]!, true);
  if (typeof loc === 'number') return loc;
  const node = loc.node;
  if (node.kind === 'host') return vfsOf(ctx.kernel).host.chmod(node.hostPath, a[2]! & 0o7777);
  if (node.kind === 'file') return node.file.setattr?.({ mode: a[2]! & 0o7777 }) ?? EPERM;
  return EPERM;
}

/** uid_t/gid_t -1 (as the unsigned argument) means "leave it". */
function id(v: number): number {
  return v >>> 0 === 0xffffffff ? -1 : v >>> 0;
}

function sysFchown(ctx: SyscallContext, a: readonly number[]): number {
  const f = ioFileOf(ctx, a[0]!);
  if (typeof f === 'number') return f;
  return f.setattr?.({ uid: id(a[1]!), gid: id(a[2]!) }) ?? EPERM;
}

function sysFchownat(ctx: SyscallContext, a: readonly number[]): number {
  const [dirfd, pathAddr, uid, gid, flags] = a as [number, number, number, number, number];
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return EINVAL;
  const loc = lookup(ctx, dirfd, pathAddr, !(flags & AT_SYMLINK_NOFOLLOW), (flags & AT_EMPTY_PATH) !== 0);
  if (typeof loc === 'number') return loc;
  const node = loc.node;
  if (node.kind === 'host') return vfsOf(ctx.kernel).host.lchown(node.hostPath, id(uid), id(gid));
  if (node.kind === 'file') return node.file.setattr?.({ uid: id(uid), gid: id(gid) }) ?? EPERM;
  return EPERM;
}

/** The two timespecs of utimensat, as times to set, or undefined for "leave". */
function readTimes(ctx: SyscallContext, addr: number): [Timespec | undefined, Timespec | undefined] | number {
  const now = ctx.kernel.host.realtime();
  if (addr === 0) return [now, now];
  // get_timespec64 / get_old_timespec32 for both (compat utimensat_time64 ignores tv_nsec's upper half).
  const ts = readTimespecs(ctx, addr, 2);
  if (ts === null) return EFAULT;
  const out: (Timespec | undefined)[] = [];
  for (const { sec, nsec } of ts) {
    if (nsec === UTIME_NOW) out.push(now);
    else if (nsec === UTIME_OMIT) out.push(undefined);
    else if (nsec < 0 || nsec >= 1e9) return EINVAL;
    else out.push({ sec, nsec });
  }
  return [out[0], out[1]];
}

function sysUtimensat(ctx: SyscallContext, a: readonly number[]): number {
  const [dirfd, pathAddr, timesAddr, flags] = a as [number, number, number, number];
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return EINVAL;
  const times = readTimes(ctx, timesAddr);
  if (typeof times === 'number') return times;
  return utimesAt(ctx, dirfd, pathAddr, times, flags);
}

/**
 * do_utimes: sets atime and mtime (undefined: leave) of the path at dirfd, or of dirfd itself when
 * the path pointer is NULL. Shared by utimensat and the compat utimes/futimesat (old_timeval32 pairs).
 */
export function utimesAt(
  ctx: SyscallContext,
  dirfd: number,
  pathAddr: number,
  times: readonly [Timespec | undefined, Timespec | undefined],
  flags: number,
): number {
  const [atime, mtime] = times;
  // A NULL path is futimens(dirfd) (Linux's own extension, what glibc's futimens uses).
  if (pathAddr === 0) {
    if (dirfd === AT_FDCWD) return EFAULT;
    const f = fileOf(ctx, dirfd);
    if (typeof f === 'number') return f;
    if (f.flags & O_PATH) return EBADF;
    if (atime === undefined && mtime === undefined) return 0;
    return f.setattr?.({ atime, mtime }) ?? EPERM;
  }
  const loc = lookup(ctx, dirfd, pathAddr, !(flags & AT_SYMLINK_NOFOLLOW), (flags & AT_EMPTY_PATH) !== 0);
  if (typeof loc === 'number') return loc;
  if (atime === undefined && mtime === undefined) return 0;
  const node = loc.node;
  if (node.kind === 'file') return node.file.setattr?.({ atime, mtime }) ?? EPERM;
  if (node.kind !== 'host') return EPERM;
  const st = statOfNode(ctx, node);
  if (typeof st === 'number') return st;
  return vfsOf(ctx.kernel).host.lutimens(node.hostPath, atime ?? st.atime, mtime ?? st.mtime);
}

function sysTruncate(ctx: SyscallContext, a: readonly number[]): number {
  if (a[1]! < 0) return EINVAL;
  const loc = lookup(ctx, AT_FDCWD, a[0]!, true);
  if (typeof loc === 'number') return loc;
  if (isDirNode(loc.node)) return EISDIR;
  const node = loc.node;
  if (node.kind !== 'host') return EINVAL;
  if ((node.st.mode & S_IFMT) !== S_IFREG) return EINVAL;
  const vfs = vfsOf(ctx.kernel);
  const r = vfs.host.truncate(node.hostPath, a[1]!);
  if (r === 0) vfs.cacheOf(node.st.dev, node.st.ino)?.resize(a[1]!);
  return r;
}

function sysFtruncate(ctx: SyscallContext, a: readonly number[]): number {
  if (a[1]! < 0) return EINVAL;
  const f = ioFileOf(ctx, a[0]!);
  if (typeof f === 'number') return f;
  const st = f.stat?.();
  const regular = st !== undefined && typeof st !== 'number' && (st.mode & S_IFMT) === S_IFREG;
  if (!regular || !canWrite(f) || f.truncate === undefined) return EINVAL;
  return f.truncate(a[1]!);
}

function fsync(ctx: SyscallContext, fd: number, dataOnly: boolean): number {
  const f = ioFileOf(ctx, fd);
  if (typeof f === 'number') return f;
  return f.fsync?.(dataOnly) ?? EINVAL;
}

function sysSyncfs(ctx: SyscallContext, a: readonly number[]): number {
  const f = ioFileOf(ctx, a[0]!);
  return typeof f === 'number' ? f : 0;
}

const POSIX_FADV_NOREUSE = 5;

function sysFadvise64(ctx: SyscallContext, a: readonly number[]): number {
  const [fd, , len, advice] = a as [number, number, number, number];
  const f = ioFileOf(ctx, fd);
  if (typeof f === 'number') return f;
  if (f.lseek === undefined) return ESPIPE;
  if (advice < 0 || advice > POSIX_FADV_NOREUSE || len < 0) return EINVAL;
  // Advice only: nothing to do, and nothing the guest can tell apart.
  return 0;
}

/**
 * fallocate mode 0 (allocate and extend): the host is asked to extend the size only, so later writes
 * may still find the disk full where Linux would have reserved the blocks. Other modes (punching
 * holes, KEEP_SIZE reservations) are EOPNOTSUPP, what Linux answers on file systems without them.
 */
function sysFallocate(ctx: SyscallContext, a: readonly number[]): number {
  const [fd, mode, offset, len] = a as [number, number, number, number];
  if (offset < 0 || len <= 0) return EINVAL;
  const f = ioFileOf(ctx, fd);
  if (typeof f === 'number') return f;
  if (!canWrite(f)) return EBADF;
  if (mode !== 0) return EOPNOTSUPP;
  const st = f.stat?.();
  if (st === undefined || typeof st === 'number') return st ?? ENODEV;
  if ((st.mode & S_IFMT) === 0o040000) return EISDIR;
  if ((st.mode & S_IFMT) !== S_IFREG || f.truncate === undefined) return f.lseek === undefined ? ESPIPE : ENODEV;
  return offset + len > st.size ? f.truncate(offset + len) : 0;
}

function sysSyncFileRange(ctx: SyscallContext, a: readonly number[]): number {
  const [fd, offset, nbytes, flags] = a as [number, number, number, number];
  if (flags & ~7 || offset < 0 || nbytes < 0) return EINVAL;
  const f = ioFileOf(ctx, fd);
  if (typeof f === 'number') return f;
  if (f.lseek === undefined) return ESPIPE;
  return f.fsync?.(true) ?? 0;
}

function sysReadahead(ctx: SyscallContext, a: readonly number[]): number {
  const f = ioFileOf(ctx, a[0]!);
  if (typeof f === 'number') return f;
  const st = f.stat?.();
  const regular = st !== undefined && typeof st !== 'number' && (st.mode & S_IFMT) === S_IFREG;
  // Linux reads the range into the page cache; there is none to fill here.
  return regular && f.mapping !== undefined ? 0 : EINVAL;
}

function sysUmask(ctx: SyscallContext, a: readonly number[]): number {
  const old = ctx.task.fs.umask;
  ctx.task.fs.umask = a[0]! & 0o777;
  return old;
}

export const FS_ATTR_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'fchmod', args: ['fd', 'mode'], handler: sysFchmod },
  { name: 'fchmodat', args: ['dirfd', 'path', 'mode'], handler: sysFchmodat },
  { name: 'fchown', args: ['fd', 'uint', 'uint'], handler: sysFchown },
  { name: 'fchownat', args: ['dirfd', 'path', 'uint', 'uint', 'atflags'], handler: sysFchownat },
  {
    name: 'utimensat',
    args: ['dirfd', 'path', 'ptr', 'atflags'],
    handler: sysUtimensat,
    level: 'partial',
    note: 'times reach the host with microsecond precision',
  },
  { name: 'truncate', args: ['path', 'off'], handler: sysTruncate },
  { name: 'ftruncate', args: ['fd', 'off'], handler: sysFtruncate },
  { name: 'fsync', args: ['fd'], handler: (ctx, a) => fsync(ctx, a[0]!, false) },
  { name: 'fdatasync', args: ['fd'], handler: (ctx, a) => fsync(ctx, a[0]!, true) },
  {
    name: 'sync',
    args: [],
    handler: () => 0,
    level: 'partial',
    note: 'host files are written through; nothing to flush',
  },
  { name: 'syncfs', args: ['fd'], handler: sysSyncfs, level: 'partial', note: 'nothing to flush' },
  { name: 'fadvise64', args: ['fd', 'off', 'off', 'int'], handler: sysFadvise64 },
  { name: 'umask', args: ['mode'], handler: sysUmask },
  {
    name: 'fallocate',
    args: ['fd', 'int', 'off', 'off'],
    handler: sysFallocate,
    level: 'partial',
    note: 'mode 0 extends the size without reserving blocks; other modes EOPNOTSUPP',
  },
  { name: 'sync_file_range', args: ['fd', 'off', 'off', 'uint'], handler: sysSyncFileRange },
  { name: 'readahead', args: ['fd', 'off', 'size'], handler: sysReadahead },
];
