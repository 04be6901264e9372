/** File status: fstat, newfstatat, statx, statfs, fstatfs, readlinkat, faccessat, faccessat2. */

import {
  AT_EACCESS,
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_NO_AUTOMOUNT,
  AT_STATX_SYNC_TYPE,
  AT_SYMLINK_NOFOLLOW,
  R_OK,
  S_IFDIR,
  S_IFMT,
  W_OK,
  X_OK,
} from '../abi/fcntl.js';
import { writeStruct } from '../abi/marshal.js';
import { DEVTMPFS_DEV } from '../fs/devices.js';
import type { FileStat, HostStatfs } from '../fs/host-fs.js';
import { major, minor, statOfNode } from '../fs/node-stat.js';
import { cwdLoc, resolveAt } from '../fs/path-walk.js';
import { vfsOf } from '../fs/vfs.js';
import type { FsEnv, Loc, VNode } from '../fs/vnode.js';
import { EACCES, EBADF, EFAULT, EINVAL, ENOENT, fileOf, readPath, writeStat } from './sys-fs-common.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyOut } from './uaccess.js';

const EOVERFLOW = -75;
const STATX_BASIC_STATS = 0x7ff;
const STATX_BTIME = 0x800;
const STATX__RESERVED = 0x80000000;

const PROC_SUPER_MAGIC = 0x9fa0;
const TMPFS_MAGIC = 0x01021994;
const PIPEFS_MAGIC = 0x50495045;

/** The location a path-or-fd call names: AT_EMPTY_PATH with "" is dirfd itself (or the cwd). */
function locate(ctx: SyscallContext, dirfd: number, path: string, flags: number): Loc | number {
  if (path === '') {
    if (!(flags & AT_EMPTY_PATH)) return ENOENT;
    if (dirfd === AT_FDCWD) return cwdLoc(ctx);
    const f = fileOf(ctx, dirfd);
    if (typeof f === 'number') return f;
    return f.loc ?? { name: '', parent: undefined, node: { kind: 'file', file: f } };
  }
  const w = resolveAt(ctx, dirfd, path, { follow: !(flags & AT_SYMLINK_NOFOLLOW) });
  if (typeof w === 'number') return w;
  return w.loc ?? ENOENT;
}

/** stat of what a path-or-fd call names; an fd with AT_EMPTY_PATH is asked itself (its file may have no path). */
function statAt(ctx: SyscallContext, dirfd: number, pathAddr: number, flags: number): FileStat | number {
  const path = pathAddr === 0 && flags & AT_EMPTY_PATH ? '' : readPath(ctx, pathAddr);
  if (typeof path === 'number') return path;
  if (path === '' && flags & AT_EMPTY_PATH && dirfd !== AT_FDCWD) {
    const f = fileOf(ctx, dirfd);
    if (typeof f === 'number') return f;
    if (f.stat) return f.stat();
  }
  const loc = locate(ctx, dirfd, path, flags);
  if (typeof loc === 'number') return loc;
  return statOfNode(ctx, loc.node);
}

function sysFstat(ctx: SyscallContext, a: readonly number[]): number {
  const f = fileOf(ctx, a[0]!);
  if (typeof f === 'number') return f;
  const st = f.stat?.() ?? EBADF;
  return typeof st === 'number' ? st : writeStat(ctx, a[1]!, st);
}

function sysNewfstatat(ctx: SyscallContext, a: readonly number[]): number {
  const [dirfd, pathAddr, buf, flags] = a as [number, number, number, number];
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH)) return EINVAL;
  const st = statAt(ctx, dirfd, pathAddr, flags);
  return typeof st === 'number' ? st : writeStat(ctx, buf, st);
}

function sysStatx(ctx: SyscallContext, a: readonly number[]): number {
  const [dirfd, pathAddr, flags, mask, buf] = a as [number, number, number, number, number];
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)) return EINVAL;
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE) return EINVAL;
  if (mask & STATX__RESERVED) return EINVAL;
  const st = statAt(ctx, dirfd, pathAddr, flags);
  if (typeof st === 'number') return st;
  const layout = ctx.abi.statx;
  const b = new Uint8Array(layout.size);
  const t = (x: { sec: number; nsec: number }) => ({ tv_sec: x.sec, tv_nsec: x.nsec });
  writeStruct(layout, new DataView(b.buffer), 0, {
    stx_mask: STATX_BASIC_STATS | (st.btime ? STATX_BTIME : 0),
    stx_blksize: st.blksize,
    stx_nlink: st.nlink,
    stx_uid: st.uid,
    stx_gid: st.gid,
    stx_mode: st.mode,
    stx_ino: st.ino,
    stx_size: st.size,
    stx_blocks: st.blocks,
    stx_atime: t(st.atime),
    stx_btime: st.btime ? t(st.btime) : undefined,
    stx_ctime: t(st.ctime),
    stx_mtime: t(st.mtime),
    stx_rdev_major: major(st.rdev),
    stx_rdev_minor: minor(st.rdev),
    stx_dev_major: major(st.dev),
    stx_dev_minor: minor(st.dev),
  });
  return copyOut(ctx.mem, buf, b) ? 0 : EFAULT;
}

/** statfs of a synthetic file system: what Linux reports for procfs, devtmpfs and pipefs. */
function syntheticStatfs(node: VNode): HostStatfs {
  const type = node.kind === 'synth' ? (node.s.dev === DEVTMPFS_DEV ? TMPFS_MAGIC : PROC_SUPER_MAGIC) : PIPEFS_MAGIC;
  return {
    type,
    bsize: 4096,
    blocks: 0,
    bfree: 0,
    bavail: 0,
    files: 0,
    ffree: 0,
    namelen: 255,
    frsize: 4096,
    flags: 0x20,
  };
}

/** u64 -1 as a JS number: f_files/f_ffree of a file system without an inode limit. */
const U64_MINUS_1 = 2 ** 64;

/** u64 -1 reaches JS as 2^64 (or -1): stored as -1, all ones in either width. */
function inodeCount(v: number): number {
  return v >= U64_MINUS_1 - 4096 ? -1 : v;
}

/**
 * put_compat_statfs: a compat_statfs has 32-bit counts, and a value that does not fit is
 * -EOVERFLOW rather than truncated (f_files and f_ffree may be -1, which narrows to 0xffffffff).
 */
function compatStatfsOverflows(s: HostStatfs): boolean {
  const wide = (v: number) => v > 0xffffffff;
  const count = (v: number) => inodeCount(v) !== -1 && wide(v);
  return [s.bsize, s.frsize, s.blocks, s.bfree, s.bavail].some(wide) || count(s.files) || count(s.ffree);
}

function writeStatfs(ctx: SyscallContext, addr: number, s: HostStatfs): number {
  const layout = ctx.abi.statfs;
  if (layout.fields.f_blocks!.size === 4 && compatStatfsOverflows(s)) return EOVERFLOW;
  const b = new Uint8Array(layout.size);
  writeStruct(layout, new DataView(b.buffer), 0, {
    f_type: s.type,
    f_bsize: s.bsize,
    f_blocks: s.blocks,
    f_bfree: s.bfree,
    f_bavail: s.bavail,
    f_files: inodeCount(s.files),
    f_ffree: inodeCount(s.ffree),
    f_namelen: s.namelen,
    f_frsize: s.frsize,
    f_flags: s.flags,
  });
  return copyOut(ctx.mem, addr, b) ? 0 : EFAULT;
}

function statfsOfNode(ctx: SyscallContext, node: VNode): HostStatfs | number {
  if (node.kind === 'host') return vfsOf(ctx.kernel).host.statfs(node.hostPath);
  if (node.kind === 'file') return node.file.statfs?.() ?? syntheticStatfs(node);
  return node.s.statfs?.() ?? syntheticStatfs(node);
}

function sysStatfs(ctx: SyscallContext, a: readonly number[]): number {
  const path = readPath(ctx, a[0]!);
  if (typeof path === 'number') return path;
  const loc = locate(ctx, AT_FDCWD, path, 0);
  if (typeof loc === 'number') return loc;
  const s = statfsOfNode(ctx, loc.node);
  return typeof s === 'number' ? s : writeStatfs(ctx, a[1]!, s);
}

function sysFstatfs(ctx: SyscallContext, a: readonly number[]): number {
  const f = fileOf(ctx, a[0]!);
  if (typeof f === 'number') return f;
  const s = f.statfs?.() ?? (f.loc ? statfsOfNode(ctx, f.loc.node) : syntheticStatfs({ kind: 'file', file: f }));
  return typeof s === 'number' ? s : writeStatfs(ctx, a[1]!, s);
}

function sysReadlinkat(ctx: SyscallContext, a: readonly number[]): number {
  const [dirfd, pathAddr, buf, size] = a as [number, number, number, number];
  if ((size | 0) <= 0) return EINVAL;
  const path = readPath(ctx, pathAddr);
  if (typeof path === 'number') return path;
  // An empty path names dirfd itself (an O_PATH|O_NOFOLLOW descriptor of a link).
  const loc = locate(ctx, dirfd, path, path === '' ? AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW : AT_SYMLINK_NOFOLLOW);
  if (typeof loc === 'number') return loc;
  const node = loc.node;
  let text: string | number;
  if (node.kind === 'host') {
    if ((node.st.mode & S_IFMT) !== 0o120000) return EINVAL;
    text = vfsOf(ctx.kernel).host.readlink(node.hostPath);
  } else if (node.kind === 'synth' && node.s.type === 'link') {
    text = node.s.target(ctx);
  } else {
    return path === '' ? ENOENT : EINVAL;
  }
  if (typeof text === 'number') return text;
  const n = Math.min(text.length, size | 0);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = text.charCodeAt(i) & 0xff;
  return copyOut(ctx.mem, buf, out) ? n : EFAULT;
}

/** access(2) for a synthetic node: its permission bits against the caller's ids (root passes all but X on files without x). */
function synthAccess(env: FsEnv, node: VNode, mode: number): number {
  const st = statOfNode(env, node);
  if (typeof st === 'number') return st;
  const c = env.task.creds;
  if (c.euid === 0) {
    if (mode & X_OK && (st.mode & S_IFMT) !== S_IFDIR && !(st.mode & 0o111)) return EACCES;
    return 0;
  }
  const shift = c.euid === st.uid ? 6 : c.egid === st.gid ? 3 : 0;
  const have = (st.mode >> shift) & 7;
  return (mode & (R_OK | W_OK | X_OK) & ~have) === 0 ? 0 : EACCES;
}

function faccess(ctx: SyscallContext, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  if (mode & ~7) return EINVAL;
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return EINVAL;
  const path = readPath(ctx, pathAddr);
  if (typeof path === 'number') return path;
  const loc = locate(ctx, dirfd, path, flags);
  if (typeof loc === 'number') return loc;
  const node = loc.node;
  if (node.kind === 'host') {
    // A link itself (AT_SYMLINK_NOFOLLOW) has all permissions.
    if ((node.st.mode & S_IFMT) === 0o120000) return 0;
    // The guest runs with the host's ids, so the host's answer is the guest's (AT_EACCESS alike).
    return vfsOf(ctx.kernel).host.access(node.hostPath, mode);
  }
  return synthAccess(ctx, node, mode);
}

export const FS_STAT_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'fstat', args: ['fd', 'ptr'], handler: sysFstat },
  { name: 'newfstatat', args: ['dirfd', 'path', 'ptr', 'atflags'], handler: sysNewfstatat },
  { name: 'statx', args: ['dirfd', 'path', 'atflags', 'hex', 'ptr'], handler: sysStatx },
  { name: 'statfs', args: ['path', 'ptr'], handler: sysStatfs },
  { name: 'fstatfs', args: ['fd', 'ptr'], handler: sysFstatfs },
  { name: 'readlinkat', args: ['dirfd', 'path', 'ptr', 'int'], handler: sysReadlinkat },
  { name: 'faccessat', args: ['dirfd', 'path', 'int'], handler: (ctx, a) => faccess(ctx, a[0]!, a[1]!, a[2]!, 0) },
  {
    name: 'faccessat2',
    args: ['dirfd', 'path', 'int', 'atflags'],
    handler: (ctx, a) => faccess(ctx, a[0]!, a[1]!, a[2]!, a[3]!),
  },
];
