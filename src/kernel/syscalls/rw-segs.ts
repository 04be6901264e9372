/**
 * Moving bytes between guest buffers and a file for the read and write calls (sys-fs-io.ts) and
 * AIO (sys-aio.ts): the segments of a buffer or an iovec array, read and written at most IO_CHUNK
 * bytes at a time, with the O_LARGEFILE limit of generic_write_check_limits.
 */
import { O_APPEND, O_LARGEFILE, S_IFMT, S_IFREG } from '../abi/fcntl.js';
import { readField } from '../abi/marshal.js';
import type { OpenFile } from '../fs/open-file.js';
import { EFAULT, EINVAL, IO_CHUNK, MAX_RW_COUNT } from './sys-fs-common.js';
import type { SyscallContext } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

/** UIO_MAXIOV */
const UIO_MAXIOV = 1024;

/** A piece of guest buffer. */
export interface Seg {
  addr: number;
  len: number;
}

/** Copies the logical bytes [from, from + dst.length) of the segments into dst. */
function gather(ctx: SyscallContext, segs: readonly Seg[], from: number, dst: Uint8Array): boolean {
  let skip = from;
  let out = 0;
  for (const s of segs) {
    if (out === dst.length) break;
    if (skip >= s.len) {
      skip -= s.len;
      continue;
    }
    const n = Math.min(s.len - skip, dst.length - out);
    const b = copyIn(ctx.mem, s.addr + skip, n);
    if (b === null) return false;
    dst.set(b, out);
    out += n;
    skip = 0;
  }
  return true;
}

/** Copies src[0…n) to the logical bytes starting at from of the segments. */
function scatter(ctx: SyscallContext, segs: readonly Seg[], from: number, src: Uint8Array, n: number): boolean {
  let skip = from;
  let done = 0;
  for (const s of segs) {
    if (done === n) break;
    if (skip >= s.len) {
      skip -= s.len;
      continue;
    }
    const k = Math.min(s.len - skip, n - done);
    if (!copyOut(ctx.mem, s.addr + skip, src, done, k)) return false;
    done += k;
    skip = 0;
  }
  return true;
}

export function isRegular(f: OpenFile): boolean {
  const st = f.stat?.();
  return st !== undefined && typeof st !== 'number' && (st.mode & S_IFMT) === S_IFREG;
}

/** Reads up to total bytes into the segments; pos undefined reads at (and advances) the file position. */
export function readSegs(
  ctx: SyscallContext,
  f: OpenFile,
  segs: readonly Seg[],
  total: number,
  pos: number | undefined,
): number | Promise<number> {
  const read = f.read;
  if (read === undefined) return EINVAL;
  const count = Math.min(total, MAX_RW_COUNT);
  const more = count > IO_CHUNK && isRegular(f);
  const finish = (n: number, buf: Uint8Array, done: number): number | Promise<number> => {
    if (n < 0) return done > 0 ? done : n;
    if (n > 0 && !scatter(ctx, segs, done, buf, n)) return done > 0 ? done : EFAULT;
    const now = done + n;
    if (n < buf.length || !more || now >= count) return now;
    return step(now);
  };
  const step = (done: number): number | Promise<number> => {
    const buf = new Uint8Array(Math.min(IO_CHUNK, count - done));
    const r = read.call(f, ctx, buf, pos === undefined ? undefined : pos + done);
    return typeof r === 'number' ? finish(r, buf, done) : r.then((n) => finish(n, buf, done));
  };
  return step(0);
}

/** The largest file offset + 1 of a description opened without O_LARGEFILE (2 GiB − 1). */
const MAX_NON_LFS = 0x7fffffff;
const EFBIG = -27;

/**
 * generic_write_check_limits for a regular file opened without O_LARGEFILE (only a compat open or
 * openat leaves it out): a write at or past MAX_NON_LFS is -EFBIG, one that crosses it is cut
 * short. Returns the count to write or the errno. Every other description is unlimited here.
 * An O_APPEND write starts at the end of the file (generic_write_checks sets ki_pos to i_size first,
 * also for pwrite), so its position is the size.
 */
function nonLfsCount(f: OpenFile, pos: number | undefined, count: number): number {
  if (f.flags & O_LARGEFILE || count === 0) return count;
  const st = f.stat?.();
  if (st === undefined || typeof st === 'number' || (st.mode & S_IFMT) !== S_IFREG) return count;
  const at = f.flags & O_APPEND ? st.size : (pos ?? f.pos);
  if (at + count <= MAX_NON_LFS) return count;
  return at >= MAX_NON_LFS ? EFBIG : MAX_NON_LFS - at;
}

export function writeSegs(
  ctx: SyscallContext,
  f: OpenFile,
  segs: readonly Seg[],
  total: number,
  pos: number | undefined,
): number | Promise<number> {
  const write = f.write;
  if (write === undefined) return EINVAL;
  const count = nonLfsCount(f, pos, Math.min(total, MAX_RW_COUNT));
  if (count < 0) return count;
  const finish = (n: number, want: number, done: number): number | Promise<number> => {
    if (n < 0) return done > 0 ? done : n;
    const now = done + n;
    if (n < want || now >= count) return now;
    return step(now);
  };
  const step = (done: number): number | Promise<number> => {
    const buf = new Uint8Array(Math.min(IO_CHUNK, count - done));
    if (!gather(ctx, segs, done, buf)) return done > 0 ? done : EFAULT;
    const r = write.call(f, ctx, buf, pos === undefined ? undefined : pos + done);
    return typeof r === 'number' ? finish(r, buf.length, done) : r.then((n) => finish(n, buf.length, done));
  };
  return step(0);
}

/** The iovec array of readv/writev in the calling ABI's layout; the total is capped at MAX_RW_COUNT. */
export function readIovecs(ctx: SyscallContext, addr: number, count: number): { segs: Seg[]; total: number } | number {
  if (count < 0 || count > UIO_MAXIOV) return EINVAL;
  const layout = ctx.abi.iovec;
  const raw = copyIn(ctx.mem, addr, count * layout.size);
  if (raw === null) return EFAULT;
  const view = new DataView(raw.buffer);
  const lenSize = layout.fields.iov_len!.size;
  const segs: Seg[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const base = Number(readField(layout, view, i * layout.size, 'iov_base'));
    const lenRaw = readField(layout, view, i * layout.size, 'iov_len');
    // An iov_len that is negative as ssize_t is EINVAL: a compat_iovec's from 2^31 on
    // (copy_compat_iovec_from_user reads it as compat_ssize_t).
    if (typeof lenRaw === 'bigint' || lenRaw < 0 || lenRaw > Number.MAX_SAFE_INTEGER) return EINVAL;
    if (lenSize === 4 && lenRaw > 0x7fffffff) return EINVAL;
    const len = Math.min(lenRaw, MAX_RW_COUNT - total);
    segs.push({ addr: base, len });
    total += len;
  }
  return { segs, total };
}
