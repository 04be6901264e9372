/**
 * The mechanics of splice, tee and vmsplice (fs/splice.c, Linux 6.1) over compat64's pipes.
 *
 * - Waiting follows Linux: ipipe_prep waits for data (or no writer left), opipe_prep and
 *   wait_for_space for a free buffer (no reader left: SIGPIPE and -EPIPE), splice_from_pipe_next
 *   waits only while nothing was moved yet. SPLICE_F_NONBLOCK (or O_NONBLOCK where Linux adds it)
 *   turns each wait into -EAGAIN; a signal ends it with -ERESTARTSYS. Every wait parks on the
 *   pipe's queues like a pipe read or write (pipe.ts), so any writer or reader wakes it.
 * - Pipe to pipe moves whole buffers and splits the last one; tee links buffers into the second
 *   pipe without consuming them (the page is shared, the copy never merges later writes).
 * - A file read into a pipe becomes one buffer per file page touched (as the page cache hands
 *   pages to the pipe), limited by the free buffers; other inputs (sockets) give page-sized pieces.
 * - vmsplice copies user memory into fresh pipe pages (one buffer per user page touched) instead of
 *   referencing the pages themselves: the bytes the reader gets are those at the time of the call,
 *   where Linux's reader would see later changes to the still-mapped pages (SPLICE_F_GIFT changes
 *   nothing here).
 *
 * The pipe is not locked across a file's blocking read or write (a socket's): the bytes that write
 * took are consumed when it completes, so a second reader of the same pipe meanwhile could see them
 * too, which Linux's pipe lock prevents.
 */
import { O_NONBLOCK } from '../abi/fcntl.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { sendSigpipe } from '../task/signal-send.js';
import type { OpenFile } from './open-file.js';
import { PIPE_BUF_FLAG_CAN_MERGE, PIPE_BUF_FLAG_GIFT, type Pipe } from './pipe.js';
import { waitOnFile } from './poll-wait.js';

const EAGAIN = -11;
const EFAULT = -14;
const EINVAL = -22;
const EPIPE = -32;
const ERESTARTSYS = -512;

const PAGE_SIZE = 4096;

export const SPLICE_F_MOVE = 1;
export const SPLICE_F_NONBLOCK = 2;
export const SPLICE_F_MORE = 4;
export const SPLICE_F_GIFT = 8;
export const SPLICE_F_ALL = SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT;

function readersWoken(p: Pipe): void {
  p.rdWait.wakeAll();
}

function writersWoken(p: Pipe): void {
  p.wrWait.wakeAll();
}

/** ipipe_prep: 0 once the pipe has data or no writer; -EAGAIN; -ERESTARTSYS. */
async function waitForData(ctx: SyscallContext, p: Pipe, nonblock: boolean): Promise<number> {
  while (p.empty) {
    if (p.writers === 0) return 0;
    if (nonblock) return EAGAIN;
    if (!(await waitOnFile(ctx, p.rdWait, 'a pipe', 'write to'))) return ERESTARTSYS;
  }
  return 0;
}

/** wait_for_space / opipe_prep: 0 once a buffer is free; -EPIPE (with SIGPIPE) with no reader; -EAGAIN; -ERESTARTSYS. */
async function waitForSpace(ctx: SyscallContext, p: Pipe, nonblock: boolean): Promise<number> {
  for (;;) {
    if (p.readers === 0) {
      sendSigpipe(ctx.kernel, ctx.task);
      return EPIPE;
    }
    if (!p.full) return 0;
    if (nonblock) return EAGAIN;
    if (!(await waitOnFile(ctx, p.wrWait, 'a pipe', 'read from'))) return ERESTARTSYS;
  }
}

/** The prep of splice_pipe_to_pipe and do_tee: input first, then output (only while the output is full). */
async function prepBoth(ctx: SyscallContext, ip: Pipe, op: Pipe, nonblock: boolean): Promise<number> {
  const r = await waitForData(ctx, ip, nonblock);
  if (r !== 0) return r;
  if (!op.full) return 0;
  return waitForSpace(ctx, op, nonblock);
}

/** splice_pipe_to_pipe: moves up to len bytes; retries from the waits while nothing could move. */
export async function splicePipeToPipe(
  ctx: SyscallContext,
  ip: Pipe,
  op: Pipe,
  len: number,
  nonblock: boolean,
): Promise<number> {
  for (;;) {
    const prep = await prepBoth(ctx, ip, op, nonblock);
    if (prep !== 0) return prep;
    let done = 0;
    let left = len;
    let stuck = false;
    while (left > 0) {
      if (op.readers === 0) {
        sendSigpipe(ctx.kernel, ctx.task);
        if (done === 0) done = EPIPE;
        break;
      }
      if (ip.empty && ip.writers === 0) break;
      if (ip.empty || op.full) {
        stuck = done === 0;
        if (stuck && nonblock) done = EAGAIN;
        break;
      }
      const b = ip.buffer(0)!;
      if (left >= b.len) {
        // The whole buffer changes pipes, flags and all.
        const n = b.len;
        op.pushBuffer({ page: b.page, offset: b.offset, len: n, flags: b.flags });
        ip.consumeOldest(n);
        done += n;
        left -= n;
      } else {
        op.pushBuffer({
          page: b.page,
          offset: b.offset,
          len: left,
          flags: b.flags & ~(PIPE_BUF_FLAG_GIFT | PIPE_BUF_FLAG_CAN_MERGE),
        });
        ip.consumeOldest(left);
        done += left;
        left = 0;
      }
    }
    if (done > 0) {
      readersWoken(op);
      writersWoken(ip);
    }
    // Raced with another reader or writer after the waits: wait again, as Linux's retry does.
    if (stuck && !nonblock) continue;
    return done;
  }
}

/** do_tee's link_pipe: links up to len bytes of ip's buffers into op, leaving ip as it was. */
export async function teePipes(
  ctx: SyscallContext,
  ip: Pipe,
  op: Pipe,
  len: number,
  nonblock: boolean,
): Promise<number> {
  const prep = await prepBoth(ctx, ip, op, nonblock);
  if (prep !== 0) return prep;
  let done = 0;
  let left = len;
  for (let i = 0; left > 0; i++) {
    if (op.readers === 0) {
      sendSigpipe(ctx.kernel, ctx.task);
      if (done === 0) done = EPIPE;
      break;
    }
    const b = ip.buffer(i);
    if (b === undefined || op.full) break;
    const n = Math.min(b.len, left);
    op.pushBuffer({
      page: b.page,
      offset: b.offset,
      len: n,
      flags: b.flags & ~(PIPE_BUF_FLAG_GIFT | PIPE_BUF_FLAG_CAN_MERGE),
    });
    done += n;
    left -= n;
  }
  if (done > 0) readersWoken(op);
  return done;
}

/**
 * splice_file_to_pipe: waits for a free buffer, then one read of the file (at pos, or its position
 * when undefined) of at most len bytes and the free buffers' worth, queued as page pieces. A
 * non-regular input (a socket) reads without blocking under SPLICE_F_NONBLOCK, as MSG_DONTWAIT.
 */
export async function spliceFileToPipe(
  ctx: SyscallContext,
  inF: OpenFile,
  pos: number | undefined,
  regular: boolean,
  op: Pipe,
  len: number,
  nonblock: boolean,
): Promise<number> {
  const space = await waitForSpace(ctx, op, nonblock);
  if (space !== 0) return space;
  const read = inF.read;
  if (read === undefined) return EINVAL;
  const start = pos ?? inF.pos;
  const slots = op.maxUsage - op.occupancy;
  // The page cache gives one buffer per file page: an unaligned start needs one page more.
  const room = regular ? slots * PAGE_SIZE - (start % PAGE_SIZE) : slots * PAGE_SIZE;
  const want = Math.min(len, Math.max(room, 0));
  if (want === 0) return 0;
  const buf = new Uint8Array(want);
  let n: number;
  if (!regular && nonblock && !(inF.flags & O_NONBLOCK)) {
    inF.flags |= O_NONBLOCK;
    try {
      n = await read.call(inF, ctx, buf, pos);
    } finally {
      inF.flags &= ~O_NONBLOCK;
    }
  } else {
    n = await read.call(inF, ctx, buf, pos);
  }
  if (n <= 0) return n;
  let off = 0;
  while (off < n) {
    const inPage = regular ? PAGE_SIZE - ((start + off) % PAGE_SIZE) : PAGE_SIZE;
    const k = Math.min(inPage, n - off);
    const page = new Uint8Array(PAGE_SIZE);
    const at = regular ? (start + off) % PAGE_SIZE : 0;
    page.set(buf.subarray(off, off + k), at);
    op.pushBuffer({ page, offset: at, len: k, flags: 0 });
    off += k;
  }
  readersWoken(op);
  return n;
}

/** Where the bytes taken from a pipe go: a file write or a copy to user memory; returns the count taken or an errno. */
export type PipeSink = (bytes: Uint8Array) => number | Promise<number>;

/**
 * __splice_from_pipe / iter_file_splice_write: waits for data while nothing has moved (0 once no
 * writer is left), then hands the sink the queued bytes (up to len) and consumes what it took;
 * goes on while data is queued and len is not reached.
 */
export async function spliceFromPipe(
  ctx: SyscallContext,
  ip: Pipe,
  len: number,
  nonblock: boolean,
  sink: PipeSink,
): Promise<number> {
  let done = 0;
  while (done < len) {
    if (ip.empty) {
      if (done > 0) break;
      const r = await waitForData(ctx, ip, nonblock);
      if (r !== 0) return r;
      if (ip.empty) break;
    }
    const chunk = gatherFront(ip, len - done);
    const n = await sink(chunk);
    if (n < 0) {
      if (done === 0) return n;
      break;
    }
    // The sink may have waited (a socket): consume at most what is still queued.
    consumeFront(ip, Math.min(n, ip.size));
    writersWoken(ip);
    done += n;
    if (n < chunk.length) break;
  }
  return done;
}

/** A copy of up to max bytes from the front of the pipe (packet boundaries are not kept by splice). */
function gatherFront(p: Pipe, max: number): Uint8Array {
  const out = new Uint8Array(Math.min(max, p.size));
  let at = 0;
  for (let i = 0; at < out.length; i++) {
    const b = p.buffer(i);
    if (b === undefined) break;
    const k = Math.min(b.len, out.length - at);
    out.set(b.page.subarray(b.offset, b.offset + k), at);
    at += k;
  }
  return out;
}

function consumeFront(p: Pipe, n: number): void {
  let left = n;
  while (left > 0) {
    const b = p.buffer(0);
    if (b === undefined) return;
    const k = Math.min(b.len, left);
    p.consumeOldest(k);
    left -= k;
  }
}

/** A piece of user memory (vmsplice's iovecs). */
export interface UserSeg {
  addr: number;
  len: number;
}

/**
 * vmsplice_to_pipe (iter_to_pipe): waits for a free buffer, then queues copies of the user memory,
 * one buffer per user page touched, until the segments end or the pipe is full. -EFAULT only when
 * nothing could be read.
 */
export async function vmspliceToPipe(
  ctx: SyscallContext,
  op: Pipe,
  segs: readonly UserSeg[],
  nonblock: boolean,
  copyIn: (addr: number, len: number) => Uint8Array | null,
): Promise<number> {
  const space = await waitForSpace(ctx, op, nonblock);
  if (space !== 0) return space;
  let done = 0;
  outer: for (const s of segs) {
    let off = 0;
    while (off < s.len) {
      if (op.full) break outer;
      const addr = s.addr + off;
      const at = addr % PAGE_SIZE;
      const k = Math.min(PAGE_SIZE - at, s.len - off);
      const bytes = copyIn(addr, k);
      if (bytes === null) {
        if (done === 0) return EFAULT;
        break outer;
      }
      const page = new Uint8Array(PAGE_SIZE);
      page.set(bytes, at);
      op.pushBuffer({ page, offset: at, len: k, flags: 0 });
      done += k;
      off += k;
    }
  }
  if (done > 0) readersWoken(op);
  return done;
}
