/** What the file-system handlers share: errno values, reading paths, finding descriptions, writing stat records. */
import { ERRNO } from '../abi/errno.js';
import { O_ACCMODE, O_PATH, O_RDONLY, O_WRONLY } from '../abi/fcntl.js';
import { writeStruct } from '../abi/marshal.js';
import { bytesToByteString } from '../fs/byte-string.js';
import type { FileStat } from '../fs/host-fs.js';
import type { OpenFile } from '../fs/open-file.js';
import { PATH_MAX } from '../fs/path-walk.js';
import type { SyscallContext } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

export const EPERM = -ERRNO.EPERM;
export const ENOENT = -ERRNO.ENOENT;
export const ESRCH = -ERRNO.ESRCH;
export const ENXIO = -ERRNO.ENXIO;
export const ENODEV = -ERRNO.ENODEV;
export const EBADF = -ERRNO.EBADF;
export const EAGAIN = -ERRNO.EAGAIN;
export const EACCES = -ERRNO.EACCES;
export const EFAULT = -ERRNO.EFAULT;
export const EBUSY = -ERRNO.EBUSY;
export const EEXIST = -ERRNO.EEXIST;
export const EXDEV = -ERRNO.EXDEV;
export const ENOTDIR = -ERRNO.ENOTDIR;
export const EISDIR = -ERRNO.EISDIR;
export const EINVAL = -ERRNO.EINVAL;
export const EMFILE = -ERRNO.EMFILE;
export const ENOTTY = -ERRNO.ENOTTY;
export const ESPIPE = -ERRNO.ESPIPE;
export const EPIPE = -ERRNO.EPIPE;
export const ERANGE = -ERRNO.ERANGE;
export const ENAMETOOLONG = -ERRNO.ENAMETOOLONG;
export const ENOTEMPTY = -ERRNO.ENOTEMPTY;
export const EOPNOTSUPP = -ERRNO.EOPNOTSUPP;

/** Linux's MAX_RW_COUNT: one read or write moves at most INT_MAX rounded down to a page. */
export const MAX_RW_COUNT = 0x7ffff000;
/** Guest buffers are copied through the kernel in pieces of at most this many bytes. */
export const IO_CHUNK = 1 << 20;

/**
 * A path argument as a byte string: -EFAULT for a bad pointer, -ENAMETOOLONG when no NUL comes
 * within PATH_MAX bytes. Read a page at a time so a string ending just before unmapped memory works.
 */
export function readPath(ctx: SyscallContext, addr: number): string | number {
  const parts: Uint8Array[] = [];
  let total = 0;
  let at = addr;
  while (total < PATH_MAX) {
    const n = Math.min(4096 - (at % 4096), PATH_MAX - total);
    const b = copyIn(ctx.mem, at, n);
    if (b === null) return EFAULT;
    const nul = b.indexOf(0);
    if (nul >= 0) {
      parts.push(b.subarray(0, nul));
      const all = new Uint8Array(total + nul);
      let o = 0;
      for (const p of parts) {
        all.set(p, o);
        o += p.length;
      }
      return bytesToByteString(all);
    }
    parts.push(b);
    total += n;
    at += n;
  }
  return ENAMETOOLONG;
}

/** The description behind fd, or -EBADF. */
export function fileOf(ctx: SyscallContext, fd: number): OpenFile | number {
  return ctx.task.files.get(fd) ?? EBADF;
}

/** A description usable for I/O: O_PATH descriptions are -EBADF for everything but a few calls. */
export function ioFileOf(ctx: SyscallContext, fd: number): OpenFile | number {
  const f = ctx.task.files.get(fd);
  return f === undefined || f.flags & O_PATH ? EBADF : f;
}

export function canRead(f: OpenFile): boolean {
  return (f.flags & O_ACCMODE) !== O_WRONLY;
}

export function canWrite(f: OpenFile): boolean {
  return (f.flags & O_ACCMODE) !== O_RDONLY;
}

/**
 * Writes a stat record in the calling ABI's layout (arm64's 128-byte struct stat natively; the
 * compat stat64 when the compat calls come).
 */
export function writeStat(ctx: SyscallContext, addr: number, st: FileStat): number {
  const layout = ctx.abi.stat;
  const b = new Uint8Array(layout.size);
  writeStruct(layout, new DataView(b.buffer), 0, {
    st_dev: st.dev,
    st_ino: st.ino,
    st_mode: st.mode,
    st_nlink: st.nlink,
    st_uid: st.uid,
    st_gid: st.gid,
    st_rdev: st.rdev,
    st_size: st.size,
    st_blksize: st.blksize,
    st_blocks: st.blocks,
    st_atime: st.atime.sec,
    st_atime_nsec: st.atime.nsec,
    st_mtime: st.mtime.sec,
    st_mtime_nsec: st.mtime.nsec,
    st_ctime: st.ctime.sec,
    st_ctime_nsec: st.ctime.nsec,
  });
  // stat64's truncated copy of the inode number (STAT64_HAS_BROKEN_ST_INO).
  const broken = (layout.fields as Readonly<Record<string, { offset: number } | undefined>>).__st_ino;
  if (broken !== undefined) new DataView(b.buffer).setUint32(broken.offset, st.ino >>> 0, true);
  return copyOut(ctx.mem, addr, b) ? 0 : EFAULT;
}
