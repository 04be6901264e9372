/**
 * splice, tee, vmsplice (fs/splice.c, Linux 6.1): the argument checks in Linux's order, the choice
 * of case (pipe to pipe, pipe to file, file to pipe; -EINVAL when neither end is a pipe), the
 * offset pointers (loff_t in both ABIs; -ESPIPE for a pipe's, -EINVAL for a file that cannot be
 * read or written at an offset) and the O_NONBLOCK rules. The moving and waiting is fs/splice.ts.
 *
 * vmsplice reads its iovecs in the calling ABI's layout (8-byte compat_iovec in a compat call).
 */
import { O_APPEND, O_LARGEFILE, O_NONBLOCK, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK } from '../abi/fcntl.js';
import type { OpenFile } from '../fs/open-file.js';
import { type Pipe, PipeEnd } from '../fs/pipe.js';
import {
  SPLICE_F_ALL,
  SPLICE_F_NONBLOCK,
  spliceFileToPipe,
  spliceFromPipe,
  splicePipeToPipe,
  teePipes,
  type UserSeg,
  vmspliceToPipe,
} from '../fs/splice.js';
import { readIovecs } from './rw-segs.js';
import { canRead, canWrite, EBADF, EFAULT, EINVAL, ESPIPE, ioFileOf, MAX_RW_COUNT } from './sys-fs-common.js';
import type { SyscallArgs, SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut, writeU64 } from './uaccess.js';

/** The largest file offset + 1 of a description opened without O_LARGEFILE (2 GiB − 1). */
const MAX_NON_LFS = 0x7fffffff;
const EFBIG = -27;

/** get_pipe_info: the pipe behind an fd, for the two ends compat64's pipes have. */
function pipeOf(f: OpenFile): Pipe | undefined {
  return f instanceof PipeEnd ? f.pipe : undefined;
}

function typeOf(f: OpenFile): number {
  const st = f.stat?.();
  return st === undefined || typeof st === 'number' ? 0 : st.mode & S_IFMT;
}

/** FMODE_PREAD / FMODE_PWRITE: seekable files; pipes, FIFOs and sockets are streams. */
function positional(f: OpenFile): boolean {
  const t = typeOf(f);
  return f.lseek !== undefined && t !== S_IFIFO && t !== S_IFSOCK;
}

/** A loff_t from user memory (signed). */
function readLoff(ctx: SyscallContext, addr: number): number | null {
  const b = copyIn(ctx.mem, addr, 8);
  if (b === null) return null;
  return Number(new DataView(b.buffer, b.byteOffset).getBigInt64(0, true));
}

function nonblocking(f: OpenFile): boolean {
  return (f.flags & O_NONBLOCK) !== 0;
}

async function sysSplice(ctx: SyscallContext, a: SyscallArgs): Promise<number> {
  const [fdIn, offIn, fdOut, offOut, lenArg, flags] = a as [number, number, number, number, number, number];
  if (lenArg === 0) return 0;
  if (flags & ~SPLICE_F_ALL) return EINVAL;
  const inF = ioFileOf(ctx, fdIn);
  if (typeof inF === 'number') return inF;
  const outF = ioFileOf(ctx, fdOut);
  if (typeof outF === 'number') return outF;
  const ip = pipeOf(inF);
  const op = pipeOf(outF);
  // __do_splice: a pipe end with an offset, then the offsets are read (out first).
  if ((ip !== undefined && offIn !== 0) || (op !== undefined && offOut !== 0)) return ESPIPE;
  let outPos: number | undefined;
  let inPos: number | undefined;
  if (offOut !== 0) {
    const v = readLoff(ctx, offOut);
    if (v === null) return EFAULT;
    outPos = v;
  }
  if (offIn !== 0) {
    const v = readLoff(ctx, offIn);
    if (v === null) return EFAULT;
    inPos = v;
  }
  if (!canRead(inF) || !canWrite(outF)) return EBADF;
  let nonblock = (flags & SPLICE_F_NONBLOCK) !== 0;
  if (ip !== undefined && op !== undefined) {
    if (ip === op) return EINVAL;
    nonblock ||= nonblocking(inF) || nonblocking(outF);
    return splicePipeToPipe(ctx, ip, op, lenArg, nonblock);
  }
  if (ip !== undefined) return pipeToFile(ctx, ip, outF, outPos, offOut, lenArg, nonblock || nonblocking(inF));
  if (op !== undefined) return fileToPipe(ctx, inF, inPos, offIn, op, lenArg, nonblock || nonblocking(outF));
  return EINVAL;
}

/** do_splice's ipipe case: the pipe's bytes written to outF at outPos (or its position). */
async function pipeToFile(
  ctx: SyscallContext,
  ip: Pipe,
  outF: OpenFile,
  outPos: number | undefined,
  offOut: number,
  len: number,
  nonblock: boolean,
): Promise<number> {
  if (outPos !== undefined && !positional(outF)) return EINVAL;
  if (outF.flags & O_APPEND) return EINVAL;
  if (outPos !== undefined && outPos < 0) return EINVAL;
  const write = outF.write;
  if (write === undefined || typeOf(outF) === S_IFDIR) return EINVAL;
  let pos = outPos;
  // generic_write_check_limits of the file's write: without O_LARGEFILE (a compat open) it stops at 2 GiB − 1.
  const nonLfs = !(outF.flags & O_LARGEFILE) && typeOf(outF) === S_IFREG;
  const n = await spliceFromPipe(ctx, ip, Math.min(len, MAX_RW_COUNT), nonblock, async (bytes) => {
    let chunk = bytes;
    if (nonLfs) {
      const at = pos ?? outF.pos;
      if (at >= MAX_NON_LFS) return EFBIG;
      if (at + chunk.length > MAX_NON_LFS) chunk = chunk.subarray(0, MAX_NON_LFS - at);
    }
    const w = await write.call(outF, ctx, chunk, pos);
    if (w > 0 && pos !== undefined) pos += w;
    return w;
  });
  if (n >= 0 && offOut !== 0 && pos !== undefined && !writeU64(ctx.mem, offOut, pos)) return EFAULT;
  return n;
}

/** do_splice's opipe case: one read of inF at inPos (or its position) queued in the pipe. */
async function fileToPipe(
  ctx: SyscallContext,
  inF: OpenFile,
  inPos: number | undefined,
  offIn: number,
  op: Pipe,
  len: number,
  nonblock: boolean,
): Promise<number> {
  if (inPos !== undefined && !positional(inF)) return EINVAL;
  if (inPos !== undefined && inPos < 0) return EINVAL;
  const type = typeOf(inF);
  if (inF.read === undefined || type === S_IFDIR) return EINVAL;
  const n = await spliceFileToPipe(ctx, inF, inPos, type === S_IFREG, op, Math.min(len, MAX_RW_COUNT), nonblock);
  if (n >= 0 && inPos !== undefined && !writeU64(ctx.mem, offIn, inPos + n)) return EFAULT;
  return n;
}

async function sysTee(ctx: SyscallContext, a: SyscallArgs): Promise<number> {
  const [fdIn, fdOut, len, flags] = a as [number, number, number, number];
  if (flags & ~SPLICE_F_ALL) return EINVAL;
  if (len === 0) return 0;
  const inF = ioFileOf(ctx, fdIn);
  if (typeof inF === 'number') return inF;
  const outF = ioFileOf(ctx, fdOut);
  if (typeof outF === 'number') return outF;
  if (!canRead(inF) || !canWrite(outF)) return EBADF;
  const ip = pipeOf(inF);
  const op = pipeOf(outF);
  if (ip === undefined || op === undefined || ip === op) return EINVAL;
  const nonblock = (flags & SPLICE_F_NONBLOCK) !== 0 || nonblocking(inF) || nonblocking(outF);
  return teePipes(ctx, ip, op, len, nonblock);
}

/** pipe_to_user: the bytes copied to the segments from logical offset from; -EFAULT when none could be. */
function toUser(ctx: SyscallContext, segs: readonly UserSeg[], from: number, bytes: Uint8Array): number {
  let skip = from;
  let done = 0;
  for (const s of segs) {
    if (done === bytes.length) break;
    if (skip >= s.len) {
      skip -= s.len;
      continue;
    }
    const k = Math.min(s.len - skip, bytes.length - done);
    if (!copyOut(ctx.mem, s.addr + skip, bytes, done, k)) break;
    done += k;
    skip = 0;
  }
  return done > 0 || bytes.length === 0 ? done : EFAULT;
}

async function sysVmsplice(ctx: SyscallContext, a: SyscallArgs): Promise<number> {
  const [fd, iov, nrSegs, flags] = a as [number, number, number, number];
  if (flags & ~SPLICE_F_ALL) return EINVAL;
  const f = ioFileOf(ctx, fd);
  if (typeof f === 'number') return f;
  // vmsplice_type: a writable description is spliced into, a read-only one out of.
  const toPipe = canWrite(f);
  if (!toPipe && !canRead(f)) return EBADF;
  const v = readIovecs(ctx, iov, nrSegs > 0x7fffffff ? -1 : nrSegs);
  if (typeof v === 'number') return v;
  if (v.total === 0) return 0;
  const p = pipeOf(f);
  if (p === undefined) return EBADF;
  const nonblock = (flags & SPLICE_F_NONBLOCK) !== 0;
  if (toPipe) return vmspliceToPipe(ctx, p, v.segs, nonblock, (addr, len) => copyIn(ctx.mem, addr, len));
  let done = 0;
  return spliceFromPipe(ctx, p, v.total, nonblock, (bytes) => {
    const n = toUser(ctx, v.segs, done, bytes);
    if (n > 0) done += n;
    return n;
  });
}

export const SPLICE_SYSCALLS: readonly SyscallSpec[] = [
  {
    name: 'splice',
    args: ['fd', 'ptr', 'fd', 'ptr', 'size', 'uint'],
    handler: sysSplice,
    level: 'partial',
    note: 'file pages are copied into the pipe rather than referenced (later changes to the file are not seen)',
  },
  { name: 'tee', args: ['fd', 'fd', 'size', 'uint'], handler: sysTee },
  {
    name: 'vmsplice',
    args: ['fd', 'ptr', 'ulong', 'uint'],
    handler: sysVmsplice,
    compatAware: true,
    level: 'partial',
    note: 'user pages are copied into the pipe, not referenced (later changes to them are not seen; SPLICE_F_GIFT has no effect)',
  },
];
