/**
 * The name space: mkdirat, mknodat, unlinkat, renameat, renameat2, symlinkat, linkat, getcwd,
 * chdir, fchdir, getdents64. Changes happen on the host under the guest root; the synthetic trees
 * (/proc, /dev) refuse them (EACCES, or EXDEV for a rename across into or out of them, EBUSY for
 * their mount points).
 */
import {
  AT_EMPTY_PATH,
  AT_REMOVEDIR,
  AT_SYMLINK_FOLLOW,
  RENAME_EXCHANGE,
  RENAME_NOREPLACE,
  RENAME_WHITEOUT,
  S_IFIFO,
  S_IFMT,
  S_IFREG,
  X_OK,
} from '../abi/fcntl.js';
import { fsRootOf, pathUnderRoot } from '../fs/fs-root.js';
import { isDirNode } from '../fs/node-stat.js';
import { resolveAt, type Walked } from '../fs/path-walk.js';
import { vfsOf } from '../fs/vfs.js';
import { guestPathOf, type Loc } from '../fs/vnode.js';
import {
  EACCES,
  EBUSY,
  EEXIST,
  EFAULT,
  EINVAL,
  EISDIR,
  ENOENT,
  ENOTDIR,
  ENOTEMPTY,
  EPERM,
  ERANGE,
  EXDEV,
  fileOf,
  ioFileOf,
  readPath,
} from './sys-fs-common.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyOut } from './uaccess.js';

/** The host path a last component would have, when its directory is a host directory. */
function hostChildPath(w: Walked): string | undefined {
  const p = w.parent.node;
  if (p.kind !== 'host') return undefined;
  return p.hostPath === '/' ? `/${w.name}` : `${p.hostPath}/${w.name}`;
}

/** A mount point of a synthetic file system (/proc, /dev): never removed or renamed. */
function isMountPoint(loc: Loc): boolean {
  return loc.parent?.parent === undefined && loc.node.kind === 'synth' && loc.node.s.type === 'dir';
}

/** Lookup for calls that create the last component (mkdir, mknod, symlink, link's new name). */
function lookupNew(ctx: SyscallContext, dirfd: number, pathAddr: number, dirOk: boolean): string | number {
  const path = readPath(ctx, pathAddr);
  if (typeof path === 'number') return path;
  if (path === '') return ENOENT;
  const w = resolveAt(ctx, dirfd, path, { follow: false });
  if (typeof w === 'number') return w;
  if (w.loc !== undefined || w.name === '') return EEXIST;
  // Only mkdir may name its new entry with a trailing slash.
  if (w.trailingSlash && !dirOk) return ENOENT;
  return hostChildPath(w) ?? EACCES;
}

function sysMkdirat(ctx: SyscallContext, a: readonly number[]): number {
  const hostPath = lookupNew(ctx, a[0]!, a[1]!, true);
  if (typeof hostPath === 'number') return hostPath;
  return vfsOf(ctx.kernel).host.mkdir(hostPath, a[2]! & ~ctx.task.fs.umask & 0o7777);
}

function sysMknodat(ctx: SyscallContext, a: readonly number[]): number {
  const [dirfd, pathAddr, mode] = a as [number, number, number];
  const type = mode & S_IFMT;
  // Device nodes need CAP_MKNOD; FIFOs and sockets cannot be made through Node, so they are refused too.
  if (type !== 0 && type !== S_IFREG) {
    if (type === S_IFIFO || type === 0o020000 || type === 0o060000 || type === 0o140000) return EPERM;
    return EINVAL;
  }
  const hostPath = lookupNew(ctx, dirfd, pathAddr, false);
  if (typeof hostPath === 'number') return hostPath;
  const host = vfsOf(ctx.kernel).host;
  const fd = host.open(hostPath, 0o100 | 0o200 | 0o1 /* O_CREAT|O_EXCL|O_WRONLY */, mode & ~ctx.task.fs.umask & 0o7777);
  if (fd < 0) return fd;
  host.close(fd);
  return 0;
}

function sysUnlinkat(ctx: SyscallContext, a: readonly number[]): number {
  const [dirfd, pathAddr, flags] = a as [number, number, number];
  if (flags & ~AT_REMOVEDIR) return EINVAL;
  const path = readPath(ctx, pathAddr);
  if (typeof path === 'number') return path;
  if (path === '') return ENOENT;
  const w = resolveAt(ctx, dirfd, path, { follow: false });
  if (typeof w === 'number') return w;
  const host = vfsOf(ctx.kernel).host;
  if (flags & AT_REMOVEDIR) {
    if (w.lastDots === '.') return EINVAL;
    if (w.lastDots === '..') return ENOTEMPTY;
    if (w.name === '') return EBUSY;
    if (w.loc === undefined) return ENOENT;
    if (!isDirNode(w.loc.node)) return ENOTDIR;
    if (isMountPoint(w.loc)) return EBUSY;
    const node = w.loc.node;
    return node.kind === 'host' ? host.rmdir(node.hostPath) : EACCES;
  }
  if (w.name === '' || w.lastDots !== '') return EISDIR;
  if (w.loc === undefined) return ENOENT;
  if (isDirNode(w.loc.node)) return isMountPoint(w.loc) ? EBUSY : EISDIR;
  const node = w.loc.node;
  const dir = w.parent.node;
  if (dir.kind === 'synth' && dir.s.type === 'dir' && dir.s.unlink !== undefined) return dir.s.unlink(ctx, w.name);
  return node.kind === 'host' ? host.unlink(node.hostPath) : EACCES;
}

function rename(ctx: SyscallContext, a: readonly number[], flags: number): number {
  const [olddirfd, oldAddr, newdirfd, newAddr] = a as [number, number, number, number];
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return EINVAL;
  if (flags & RENAME_NOREPLACE && flags & (RENAME_EXCHANGE | RENAME_WHITEOUT)) return EINVAL;
  // Exchanging two names atomically (and whiteouts) needs renameat2 on the host, which Node lacks;
  // Linux answers EINVAL for file systems that cannot do them.
  if (flags & (RENAME_EXCHANGE | RENAME_WHITEOUT)) return EINVAL;
  const oldPath = readPath(ctx, oldAddr);
  if (typeof oldPath === 'number') return oldPath;
  const newPath = readPath(ctx, newAddr);
  if (typeof newPath === 'number') return newPath;
  if (oldPath === '' || newPath === '') return ENOENT;
  const from = resolveAt(ctx, olddirfd, oldPath, { follow: false });
  if (typeof from === 'number') return from;
  const to = resolveAt(ctx, newdirfd, newPath, { follow: false });
  if (typeof to === 'number') return to;
  if (from.name === '' || from.lastDots !== '' || to.name === '' || to.lastDots !== '') return EBUSY;
  if (from.loc === undefined) return ENOENT;
  const fromDir = isDirNode(from.loc.node);
  if (!fromDir && (from.trailingSlash || to.trailingSlash)) return ENOTDIR;
  if (isMountPoint(from.loc) || (to.loc !== undefined && isMountPoint(to.loc))) return EBUSY;
  if (flags & RENAME_NOREPLACE && to.loc !== undefined) return EEXIST;
  const src = from.loc.node.kind === 'host' ? from.loc.node.hostPath : undefined;
  const dst = hostChildPath(to);
  if (src === undefined || dst === undefined) return EXDEV;
  if (to.loc !== undefined) {
    const toDir = isDirNode(to.loc.node);
    if (fromDir && !toDir) return ENOTDIR;
    if (!fromDir && toDir) return EISDIR;
  }
  // Renaming a directory into itself.
  if (fromDir && (dst === src || dst.startsWith(`${src}/`))) return src === dst ? 0 : EINVAL;
  return vfsOf(ctx.kernel).host.rename(src, dst);
}

function sysSymlinkat(ctx: SyscallContext, a: readonly number[]): number {
  const [targetAddr, dirfd, pathAddr] = a as [number, number, number];
  const target = readPath(ctx, targetAddr);
  if (typeof target === 'number') return target;
  if (target === '') return ENOENT;
  const hostPath = lookupNew(ctx, dirfd, pathAddr, false);
  if (typeof hostPath === 'number') return hostPath;
  // The target is stored as written: it is resolved inside the guest root when followed.
  return vfsOf(ctx.kernel).host.symlink(target, hostPath);
}

function sysLinkat(ctx: SyscallContext, a: readonly number[]): number {
  const [olddirfd, oldAddr, newdirfd, newAddr, flags] = a as [number, number, number, number, number];
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return EINVAL;
  const oldPath = readPath(ctx, oldAddr);
  if (typeof oldPath === 'number') return oldPath;
  let src: Loc | undefined;
  if (oldPath === '') {
    if (!(flags & AT_EMPTY_PATH)) return ENOENT;
    const f = fileOf(ctx, olddirfd);
    if (typeof f === 'number') return f;
    src = f.loc;
    if (src === undefined) return ENOENT;
  } else {
    const w = resolveAt(ctx, olddirfd, oldPath, { follow: (flags & AT_SYMLINK_FOLLOW) !== 0 });
    if (typeof w === 'number') return w;
    if (w.loc === undefined) return ENOENT;
    if (w.trailingSlash && !isDirNode(w.loc.node)) return ENOTDIR;
    src = w.loc;
  }
  if (isDirNode(src.node)) return EPERM;
  const dst = lookupNew(ctx, newdirfd, newAddr, false);
  if (typeof dst === 'number') return dst;
  if (src.node.kind !== 'host') return EXDEV;
  return vfsOf(ctx.kernel).host.link(src.node.hostPath, dst);
}

function sysGetcwd(ctx: SyscallContext, a: readonly number[]): number {
  const [buf, size] = a as [number, number];
  // The cwd as the process root sees it; outside that root Linux prefixes "(unreachable)".
  const full = ctx.task.fs.cwd;
  const cwd = pathUnderRoot(fsRootOf(ctx.task), full) ?? `(unreachable)${full}`;
  const len = cwd.length + 1;
  if (size < len) return ERANGE;
  const out = new Uint8Array(len);
  for (let i = 0; i < cwd.length; i++) out[i] = cwd.charCodeAt(i) & 0xff;
  return copyOut(ctx.mem, buf, out) ? len : EFAULT;
}

/** Makes loc the cwd after Linux's checks: a directory the caller may search. */
function setCwd(ctx: SyscallContext, loc: Loc): number {
  if (!isDirNode(loc.node)) return ENOTDIR;
  if (loc.node.kind === 'host') {
    const ok = vfsOf(ctx.kernel).host.access(loc.node.hostPath, X_OK);
    if (ok < 0) return ok;
  }
  ctx.task.fs.cwd = guestPathOf(loc);
  return 0;
}

function sysChdir(ctx: SyscallContext, a: readonly number[]): number {
  const path = readPath(ctx, a[0]!);
  if (typeof path === 'number') return path;
  if (path === '') return ENOENT;
  const w = resolveAt(ctx, -100, path, { follow: true });
  if (typeof w === 'number') return w;
  if (w.loc === undefined) return ENOENT;
  return setCwd(ctx, w.loc);
}

function sysFchdir(ctx: SyscallContext, a: readonly number[]): number {
  const f = fileOf(ctx, a[0]!);
  if (typeof f === 'number') return f;
  if (f.loc === undefined) return ENOTDIR;
  return setCwd(ctx, f.loc);
}

function sysGetdents64(ctx: SyscallContext, a: readonly number[]): number {
  const [fd, buf, count] = a as [number, number, number];
  const f = ioFileOf(ctx, fd);
  if (typeof f === 'number') return f;
  if (f.getdents === undefined) return ENOTDIR;
  const r = f.getdents(ctx, count);
  if (typeof r === 'number') return r;
  return copyOut(ctx.mem, buf, r) ? r.length : EFAULT;
}

export const FS_NAME_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'mkdirat', args: ['dirfd', 'path', 'mode'], handler: sysMkdirat },
  {
    name: 'mknodat',
    args: ['dirfd', 'path', 'mode', 'uint'],
    handler: sysMknodat,
    level: 'partial',
    note: 'regular files only; FIFOs EPERM (no mkfifo in Node)',
  },
  { name: 'unlinkat', args: ['dirfd', 'path', 'atflags'], handler: sysUnlinkat },
  { name: 'renameat', args: ['dirfd', 'path', 'dirfd', 'path'], handler: (ctx, a) => rename(ctx, a, 0) },
  {
    name: 'renameat2',
    args: ['dirfd', 'path', 'dirfd', 'path', 'uint'],
    handler: (ctx, a) => rename(ctx, a, a[4]!),
    level: 'partial',
    note: 'RENAME_EXCHANGE/WHITEOUT EINVAL; NOREPLACE checked, not atomic',
  },
  { name: 'symlinkat', args: ['path', 'dirfd', 'path'], handler: sysSymlinkat },
  { name: 'linkat', args: ['dirfd', 'path', 'dirfd', 'path', 'atflags'], handler: sysLinkat },
  { name: 'getcwd', args: ['ptr', 'size'], handler: sysGetcwd },
  { name: 'chdir', args: ['path'], handler: sysChdir },
  { name: 'fchdir', args: ['fd'], handler: sysFchdir },
  { name: 'getdents64', args: ['fd', 'ptr', 'uint'], handler: sysGetdents64 },
];
