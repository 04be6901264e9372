/** Descriptors: openat, close, close_range, dup, dup3, pipe2. */
import {
  O_CLOEXEC,
  O_DIRECT,
  O_LARGEFILE,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_PATH,
  O_TRUNC,
  S_IFMT,
  S_IFREG,
} from '../abi/fcntl.js';
import type { FileStat } from '../fs/host-fs.js';
import { statOfNode } from '../fs/node-stat.js';
import type { OpenFile } from '../fs/open-file.js';
import { openPath } from '../fs/open-path.js';
import { resolveAt } from '../fs/path-walk.js';
import { makePipe } from '../fs/pipe.js';
import { EBADF, EFAULT, EINVAL, fileOf, readPath } from './sys-fs-common.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyOut } from './uaccess.js';

/** Flags openat accepts (VALID_OPEN_FLAGS); unknown bits are ignored by open, as Linux does. */
const O_NOTIFICATION_PIPE = O_DIRECT;
const CLOSE_RANGE_UNSHARE = 2;
const CLOSE_RANGE_CLOEXEC = 4;

/** MAX_NON_LFS: the largest size a description without O_LARGEFILE may open (2 GiB − 1). */
const MAX_NON_LFS = 0x7fffffff;
const EOVERFLOW = -75;

function tooLargeWithoutLfs(st: FileStat | number | undefined): boolean {
  return st !== undefined && typeof st !== 'number' && (st.mode & S_IFMT) === S_IFREG && st.size > MAX_NON_LFS;
}

/**
 * A compat open/openat (compat_sys_open/openat) does not add O_LARGEFILE as the 64-bit calls do
 * (force_o_largefile): without it, generic_file_open refuses a regular file larger than 2 GiB − 1
 * with -EOVERFLOW, and the description keeps the flag clear (writes past 2 GiB are -EFBIG,
 * sys-fs-io.ts). Returns the errno, or 0 when the open stands.
 */
function withoutLargefile(f: OpenFile): number {
  if (tooLargeWithoutLfs(f.stat?.())) return EOVERFLOW;
  f.flags &= ~O_LARGEFILE;
  return 0;
}

/**
 * Linux refuses the large file before O_TRUNC could truncate it (handle_truncate runs after
 * vfs_open): a compat O_TRUNC open of a large file opens it untruncated first, so the
 * permission errors still come first, and then answers -EOVERFLOW with the file left whole.
 */
function truncWouldOverflow(ctx: SyscallContext, dirfd: number, path: string, flags: number): boolean {
  const w = resolveAt(ctx, dirfd, path, { follow: !(flags & O_NOFOLLOW) });
  if (typeof w === 'number' || w.loc === undefined) return false;
  return tooLargeWithoutLfs(statOfNode(ctx, w.loc.node));
}

function sysOpenat(ctx: SyscallContext, a: readonly number[]): number {
  const [dirfd, pathAddr, flags, mode] = a as [number, number, number, number];
  const path = readPath(ctx, pathAddr);
  if (typeof path === 'number') return path;
  const noLfs = ctx.compat && !(flags & O_LARGEFILE) && !(flags & O_PATH);
  const keepWhole = noLfs && (flags & O_TRUNC) !== 0 && truncWouldOverflow(ctx, dirfd, path, flags);
  const f = openPath(ctx, dirfd, path, keepWhole ? flags & ~O_TRUNC : flags, mode);
  if (typeof f === 'number') return f;
  if (noLfs) {
    const err = withoutLargefile(f);
    if (err < 0) {
      if (f.refs === 0) f.release?.();
      return err;
    }
  }
  const fd = ctx.task.files.install(f, (flags & O_CLOEXEC) !== 0);
  // A description nobody holds (EMFILE) is released now.
  if (fd < 0 && f.refs === 0) f.release?.();
  return fd;
}

function sysClose(ctx: SyscallContext, a: readonly number[]): number {
  return ctx.task.files.close(a[0]!) ? 0 : EBADF;
}

function sysCloseRange(ctx: SyscallContext, a: readonly number[]): number {
  const [first, last, flags] = a.map((x) => x >>> 0) as [number, number, number];
  if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last) return EINVAL;
  // UNSHARE: the table is never shared between tasks yet, so there is nothing to unshare.
  const files = ctx.task.files;
  for (const fd of files.fds()) {
    if (fd < first || fd > last) continue;
    if (flags & CLOSE_RANGE_CLOEXEC) files.setCloexec(fd, true);
    else files.close(fd);
  }
  return 0;
}

function sysDup(ctx: SyscallContext, a: readonly number[]): number {
  const f = fileOf(ctx, a[0]!);
  if (typeof f === 'number') return f;
  return ctx.task.files.install(f, false);
}

function sysDup3(ctx: SyscallContext, a: readonly number[]): number {
  const [oldfd, newfd, flags] = a as [number, number, number];
  if (flags & ~O_CLOEXEC) return EINVAL;
  if (oldfd === newfd) return EINVAL;
  const f = fileOf(ctx, oldfd);
  if (typeof f === 'number') return f;
  const files = ctx.task.files;
  if (newfd < 0 || newfd >= files.limit) return EBADF;
  files.put(newfd, f, (flags & O_CLOEXEC) !== 0);
  return newfd;
}

function sysPipe2(ctx: SyscallContext, a: readonly number[]): number {
  const [fdsAddr, flags] = a as [number, number];
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_NOTIFICATION_PIPE)) return EINVAL;
  const [r, w] = makePipe(ctx, flags);
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const files = ctx.task.files;
  const rfd = files.install(r, cloexec);
  if (rfd < 0) {
    r.release();
    w.release();
    return rfd;
  }
  const wfd = files.install(w, cloexec);
  if (wfd < 0) {
    files.close(rfd);
    w.release();
    return wfd;
  }
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setInt32(0, rfd, true);
  v.setInt32(4, wfd, true);
  if (!copyOut(ctx.mem, fdsAddr, out)) {
    files.close(rfd);
    files.close(wfd);
    return EFAULT;
  }
  return 0;
}

export const FS_OPEN_SYSCALLS: readonly SyscallSpec[] = [
  {
    name: 'openat',
    args: ['dirfd', 'path', 'openflags', 'mode'],
    handler: sysOpenat,
    level: 'partial',
    note: 'O_TMPFILE is EOPNOTSUPP',
  },
  { name: 'close', args: ['fd'], handler: sysClose },
  { name: 'close_range', args: ['uint', 'uint', 'uint'], handler: sysCloseRange },
  { name: 'dup', args: ['fd'], handler: sysDup },
  { name: 'dup3', args: ['fd', 'fd', 'openflags'], handler: sysDup3 },
  { name: 'pipe2', args: ['ptr', 'openflags'], handler: sysPipe2 },
];
