/**
 * Compat-only file-status calls (AArch32 EABI layouts): the old stat, lstat and fstat (106–108,
 * arm64's compat_sys_newstat & co. writing `struct compat_stat`), statfs64/fstatfs64 (266/267,
 * packed 84-byte compat_statfs64) and getdents (141, compat_linux_dirent).
 *
 * stat64, lstat64, fstat64 and fstatat64 need nothing here: the native fstat/newfstatat handlers
 * write `ctx.abi.stat`, which is ARM's 104-byte stat64 in a compat call (compat-table.ts adapts
 * their arguments).
 */
import type { AbiSet } from '../abi/abi-set.js';
import { AT_FDCWD } from '../abi/fcntl.js';
import { ILP32_EABI, layoutOf } from '../abi/layout.js';
import { structBytes } from '../abi/marshal.js';
import { compat_stat } from '../abi/structs.js';
import { withCompatRecords } from '../fs/dirents.js';
import type { FileStat } from '../fs/host-fs.js';
import { statOfNode } from '../fs/node-stat.js';
import { resolveAt } from '../fs/path-walk.js';
import { callNative } from './compat-native.js';
import { EFAULT, EINVAL, ENOENT, ENOTDIR, fileOf, ioFileOf, readPath } from './sys-fs-common.js';
import type { SyscallArgs, SyscallContext } from './syscall-types.js';
import { copyOut } from './uaccess.js';

const EBADF = -9;
const EOVERFLOW = -75;
/** MAX_NON_LFS: the largest size a non-LFS interface reports. */
const MAX_NON_LFS = 0x7fffffff;
/** overflowuid/overflowgid: what a 16-bit id field shows for an id above 65535. */
export const OVERFLOW_ID = 65534;

const COMPAT_STAT = layoutOf(compat_stat, ILP32_EABI);

/** high2lowuid: an id as a 16-bit uid16/gid16 field shows it. */
export function lowId(id: number): number {
  return id > 0xffff || id < 0 ? OVERFLOW_ID : id;
}

/** What stat/lstat name: the path resolved from the cwd (follow: the last link too). */
function statPath(ctx: SyscallContext, pathAddr: number, follow: boolean): FileStat | number {
  const path = readPath(ctx, pathAddr);
  if (typeof path === 'number') return path;
  if (path === '') return ENOENT;
  const w = resolveAt(ctx, AT_FDCWD, path, { follow });
  if (typeof w === 'number') return w;
  if (w.loc === undefined) return ENOENT;
  return statOfNode(ctx, w.loc.node);
}

/** fs/stat.c cp_compat_stat: EOVERFLOW when the inode, link count or size does not fit the old layout. */
function writeCompatStat(ctx: SyscallContext, addr: number, st: FileStat | number): number {
  if (typeof st === 'number') return st;
  if (st.ino > 0xffffffff || st.nlink > 0xffff || st.size > MAX_NON_LFS) return EOVERFLOW;
  const b = structBytes(COMPAT_STAT, {
    st_dev: st.dev >>> 0,
    st_ino: st.ino,
    st_mode: st.mode & 0xffff,
    st_nlink: st.nlink,
    st_uid: lowId(st.uid),
    st_gid: lowId(st.gid),
    st_rdev: st.rdev >>> 0,
    st_size: st.size,
    st_blksize: st.blksize,
    st_blocks: st.blocks | 0,
    st_atime: st.atime.sec | 0,
    st_atime_nsec: st.atime.nsec,
    st_mtime: st.mtime.sec | 0,
    st_mtime_nsec: st.mtime.nsec,
    st_ctime: st.ctime.sec | 0,
    st_ctime_nsec: st.ctime.nsec,
  });
  return copyOut(ctx.mem, addr, b) ? 0 : EFAULT;
}

/** stat (106) */
export function compatStat(ctx: SyscallContext, a: SyscallArgs): number {
  return writeCompatStat(ctx, a[1]!, statPath(ctx, a[0]!, true));
}

/** lstat (107) */
export function compatLstat(ctx: SyscallContext, a: SyscallArgs): number {
  return writeCompatStat(ctx, a[1]!, statPath(ctx, a[0]!, false));
}

/** fstat (108) */
export function compatFstat(ctx: SyscallContext, a: SyscallArgs): number {
  const f = fileOf(ctx, a[0]!);
  if (typeof f === 'number') return f;
  return writeCompatStat(ctx, a[1]!, f.stat?.() ?? EBADF);
}

/** compat_statfs64 is 84 bytes; arm64 also accepts 88 (ARM's OABI fixup, applied regardless of ABI). */
const STATFS64_SIZES: ReadonlySet<number> = new Set([84, 88]);

/**
 * The native statfs/fstatfs handler, made to write the compat statfs64 record: the same values,
 * laid out as `ctx.abi.statfs64` (what compat_sys_statfs64 does around the shared user_statfs).
 */
function statfs64(name: 'statfs' | 'fstatfs', ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  const [target, size, buf] = a as [number, number, number];
  if (!STATFS64_SIZES.has(size >>> 0)) return EINVAL;
  const abi = { ...ctx.abi, statfs: ctx.abi.statfs64 } as unknown as AbiSet;
  return callNative(name, { ...ctx, abi }, [target, buf]);
}

/** statfs64 (266): (path, size, buf) */
export function compatStatfs64(ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  return statfs64('statfs', ctx, a);
}

/** fstatfs64 (267): (fd, size, buf) */
export function compatFstatfs64(ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  return statfs64('fstatfs', ctx, a);
}

/**
 * getdents (141): `compat_linux_dirent` records (u32 ino, u32 off, u16 reclen, name, NUL, d_type in
 * the last byte; reclen = ALIGN(10 + namelen + 2, 4)), packed by the directory's cursor
 * (fs/dirents.ts) with 31-bit hash cookies in d_off (compat-abi.md §7). An inode number above 32
 * bits is -EOVERFLOW (unless records were already returned: then the call returns them and the
 * next call reports it), as fs/readdir.c's compat_filldir; a buffer too small for one record is
 * -EINVAL.
 */
export function compatGetdents(ctx: SyscallContext, a: SyscallArgs): number {
  const [fd, buf, count] = a as [number, number, number];
  const f = ioFileOf(ctx, fd);
  if (typeof f === 'number') return f;
  if (f.getdents === undefined) return ENOTDIR;
  const getdents = f.getdents.bind(f);
  const { result, honoured } = withCompatRecords(ctx, () => getdents(ctx, count));
  // Every directory packs through a DirCursor; one that did not gave linux_dirent64 records.
  if (!honoured) return EINVAL;
  if (typeof result === 'number') return result;
  return copyOut(ctx.mem, buf, result) ? result.length : EFAULT;
}
