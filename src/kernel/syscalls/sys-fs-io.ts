/**
 * Reading and writing: read, write, pread64, pwrite64, readv, writev, preadv, pwritev, preadv2,
 * pwritev2, lseek, sendfile, copy_file_range; the AIO calls are registered here too (sys-aio.ts).
 *
 * Guest buffers are copied through the kernel at most IO_CHUNK bytes at a time. A read asks the
 * file once per chunk and stops at a short count; only regular files are asked for further chunks
 * (a second read of a pipe or terminal could block although data was already returned). Vectored
 * calls treat their iovecs as one buffer, so readv of a pipe is one read and writev of at most
 * PIPE_BUF bytes is one atomic write, as on Linux.
 */

import { O_APPEND, S_IFDIR, S_IFMT, S_IFREG, SEEK_HOLE } from '../abi/fcntl.js';
import type { OpenFile } from '../fs/open-file.js';
import { readIovecs, readSegs, writeSegs } from './rw-segs.js';
import { AIO_SYSCALLS } from './sys-aio.js';
import {
  canRead,
  canWrite,
  EBADF,
  EFAULT,
  EINVAL,
  EISDIR,
  EOPNOTSUPP,
  ESPIPE,
  IO_CHUNK,
  ioFileOf,
  MAX_RW_COUNT,
} from './sys-fs-common.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { readU64, writeU64 } from './uaccess.js';

function readable(ctx: SyscallContext, fd: number): OpenFile | number {
  const f = ioFileOf(ctx, fd);
  if (typeof f === 'number') return f;
  return canRead(f) ? f : EBADF;
}

function writable(ctx: SyscallContext, fd: number): OpenFile | number {
  const f = ioFileOf(ctx, fd);
  if (typeof f === 'number') return f;
  return canWrite(f) ? f : EBADF;
}

function sysRead(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const f = readable(ctx, a[0]!);
  if (typeof f === 'number') return f;
  return readSegs(ctx, f, [{ addr: a[1]!, len: a[2]! }], a[2]!, undefined);
}

function sysWrite(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const f = writable(ctx, a[0]!);
  if (typeof f === 'number') return f;
  return writeSegs(ctx, f, [{ addr: a[1]!, len: a[2]! }], a[2]!, undefined);
}

function sysPread64(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const f = readable(ctx, a[0]!);
  if (typeof f === 'number') return f;
  if (a[3]! < 0) return EINVAL;
  if (f.lseek === undefined) return ESPIPE;
  return readSegs(ctx, f, [{ addr: a[1]!, len: a[2]! }], a[2]!, a[3]!);
}

function sysPwrite64(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const f = writable(ctx, a[0]!);
  if (typeof f === 'number') return f;
  if (a[3]! < 0) return EINVAL;
  if (f.lseek === undefined) return ESPIPE;
  return writeSegs(ctx, f, [{ addr: a[1]!, len: a[2]! }], a[2]!, a[3]!);
}

/** readv/preadv/preadv2 (pos undefined: the file position). */
function vread(ctx: SyscallContext, fd: number, iov: number, cnt: number, pos: number | undefined) {
  const f = readable(ctx, fd);
  if (typeof f === 'number') return f;
  const v = readIovecs(ctx, iov, cnt);
  if (typeof v === 'number') return v;
  if (pos !== undefined && f.lseek === undefined) return ESPIPE;
  return readSegs(ctx, f, v.segs, v.total, pos);
}

function vwrite(ctx: SyscallContext, fd: number, iov: number, cnt: number, pos: number | undefined) {
  const f = writable(ctx, fd);
  if (typeof f === 'number') return f;
  const v = readIovecs(ctx, iov, cnt);
  if (typeof v === 'number') return v;
  if (pos !== undefined && f.lseek === undefined) return ESPIPE;
  return writeSegs(ctx, f, v.segs, v.total, pos);
}

/** RWF_HIPRI, RWF_DSYNC, RWF_SYNC, RWF_APPEND are hints or need nothing more here; RWF_NOWAIT cannot be honoured. */
const RWF_NOWAIT = 8;
const RWF_SUPPORTED = 0x1f;

function rwfPos(pos: number, flags: number): number | undefined | 'bad' {
  if (flags & ~RWF_SUPPORTED) return 'bad';
  if (pos === -1) return undefined;
  return pos < 0 ? 'bad' : pos;
}

function sysPreadv2(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  if (a[5]! & RWF_NOWAIT) return EOPNOTSUPP;
  const pos = rwfPos(a[3]!, a[5]!);
  return pos === 'bad' ? EINVAL : vread(ctx, a[0]!, a[1]!, a[2]!, pos);
}

function sysPwritev2(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  if (a[5]! & RWF_NOWAIT) return EOPNOTSUPP;
  const pos = rwfPos(a[3]!, a[5]!);
  return pos === 'bad' ? EINVAL : vwrite(ctx, a[0]!, a[1]!, a[2]!, pos);
}

function sysLseek(ctx: SyscallContext, a: readonly number[]): number {
  const f = ioFileOf(ctx, a[0]!);
  if (typeof f === 'number') return f;
  const whence = a[2]!;
  if (whence < 0 || whence > SEEK_HOLE) return EINVAL;
  if (f.lseek === undefined) return ESPIPE;
  return f.lseek(a[1]!, whence, ctx);
}

/**
 * Moves count bytes from inF at inPos to outF (at outPos, or its position when undefined), a chunk
 * at a time, stopping at the end of the input or a short write. Returns the bytes moved.
 */
async function transfer(
  ctx: SyscallContext,
  inF: OpenFile,
  inPos: number,
  outF: OpenFile,
  outPos: number | undefined,
  count: number,
): Promise<number> {
  const read = inF.read;
  const write = outF.write;
  if (read === undefined || write === undefined) return EINVAL;
  let done = 0;
  while (done < count) {
    const buf = new Uint8Array(Math.min(IO_CHUNK, count - done));
    const n = await read.call(inF, ctx, buf, inPos + done);
    if (n < 0) return done > 0 ? done : n;
    if (n === 0) break;
    const w = await write.call(outF, ctx, buf.subarray(0, n), outPos === undefined ? undefined : outPos + done);
    if (w < 0) return done > 0 ? done : w;
    done += w;
    if (w < n) break;
  }
  return done;
}

function sysSendfile(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [outFd, inFd, offp, count] = a as [number, number, number, number];
  const inF = readable(ctx, inFd);
  if (typeof inF === 'number') return inF;
  const outF = writable(ctx, outFd);
  if (typeof outF === 'number') return outF;
  // The input must be seekable (Linux wants page-cache reads); an O_APPEND output is refused.
  if (inF.lseek === undefined || outF.flags & O_APPEND) return EINVAL;
  let pos = inF.pos;
  if (offp !== 0) {
    const p = readU64(ctx.mem, offp);
    if (p === null) return EFAULT;
    if (p > Number.MAX_SAFE_INTEGER) return EINVAL;
    pos = p;
  }
  const moved = transfer(ctx, inF, pos, outF, undefined, Math.min(count, MAX_RW_COUNT)).then((n) => {
    if (n < 0) return n;
    if (offp !== 0) return writeU64(ctx.mem, offp, pos + n) ? n : EFAULT;
    inF.pos = pos + n;
    return n;
  });
  return moved;
}

function fileType(f: OpenFile): number {
  const st = f.stat?.();
  return st === undefined || typeof st === 'number' ? 0 : st.mode & S_IFMT;
}

function sysCopyFileRange(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [fdIn, offIn, fdOut, offOut, len, flags] = a as [number, number, number, number, number, number];
  if (flags !== 0) return EINVAL;
  const inF = readable(ctx, fdIn);
  if (typeof inF === 'number') return inF;
  const outF = writable(ctx, fdOut);
  if (typeof outF === 'number') return outF;
  if (outF.flags & O_APPEND) return EBADF;
  const ti = fileType(inF);
  const to = fileType(outF);
  if (ti === S_IFDIR || to === S_IFDIR) return EISDIR;
  if (ti !== S_IFREG || to !== S_IFREG) return EINVAL;
  const posOf = (ptr: number, f: OpenFile): number | null => (ptr === 0 ? f.pos : readU64(ctx.mem, ptr));
  const pin = posOf(offIn, inF);
  const pout = posOf(offOut, outF);
  if (pin === null || pout === null) return EFAULT;
  if (pin > Number.MAX_SAFE_INTEGER || pout > Number.MAX_SAFE_INTEGER) return EINVAL;
  const count = Math.min(len, MAX_RW_COUNT);
  if (inF === outF && pin < pout + count && pout < pin + count) return EINVAL;
  return transfer(ctx, inF, pin, outF, pout, count).then((n) => {
    if (n < 0) return n;
    if (offIn === 0) inF.pos = pin + n;
    else if (!writeU64(ctx.mem, offIn, pin + n)) return EFAULT;
    if (offOut === 0) outF.pos = pout + n;
    else if (!writeU64(ctx.mem, offOut, pout + n)) return EFAULT;
    return n;
  });
}

export const FS_IO_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'read', args: ['fd', 'buf_out', 'size'], handler: sysRead },
  { name: 'write', args: ['fd', 'buf_in', 'size'], handler: sysWrite },
  { name: 'pread64', args: ['fd', 'buf_out', 'size', 'off'], handler: sysPread64 },
  { name: 'pwrite64', args: ['fd', 'buf_in', 'size', 'off'], handler: sysPwrite64 },
  { name: 'readv', args: ['fd', 'ptr', 'int'], handler: (ctx, a) => vread(ctx, a[0]!, a[1]!, a[2]!, undefined) },
  { name: 'writev', args: ['fd', 'ptr', 'int'], handler: (ctx, a) => vwrite(ctx, a[0]!, a[1]!, a[2]!, undefined) },
  {
    name: 'preadv',
    args: ['fd', 'ptr', 'int', 'off', 'off'],
    handler: (ctx, a) => (a[3]! < 0 ? EINVAL : vread(ctx, a[0]!, a[1]!, a[2]!, a[3]!)),
  },
  {
    name: 'pwritev',
    args: ['fd', 'ptr', 'int', 'off', 'off'],
    handler: (ctx, a) => (a[3]! < 0 ? EINVAL : vwrite(ctx, a[0]!, a[1]!, a[2]!, a[3]!)),
  },
  {
    name: 'preadv2',
    args: ['fd', 'ptr', 'int', 'off', 'off', 'hex'],
    handler: sysPreadv2,
    level: 'partial',
    note: 'RWF_NOWAIT is EOPNOTSUPP',
  },
  {
    name: 'pwritev2',
    args: ['fd', 'ptr', 'int', 'off', 'off', 'hex'],
    handler: sysPwritev2,
    level: 'partial',
    note: 'RWF_NOWAIT is EOPNOTSUPP; RWF_APPEND does not append',
  },
  { name: 'lseek', args: ['fd', 'off', 'whence'], handler: sysLseek },
  { name: 'sendfile', args: ['fd', 'fd', 'ptr', 'size'], handler: sysSendfile },
  { name: 'copy_file_range', args: ['fd', 'ptr', 'fd', 'ptr', 'size', 'uint'], handler: sysCopyFileRange },
  // Linux AIO reads and writes through the same paths (sys-aio.ts).
  ...AIO_SYSCALLS,
];
