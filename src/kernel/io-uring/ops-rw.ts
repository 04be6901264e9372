/**
 * READV, WRITEV, READ, WRITE, READ_FIXED, WRITE_FIXED and FSYNC (io_uring/rw.c, sync.c). The
 * transfer is the read/write calls' own (rw-segs.ts), tried without blocking first; one that would
 * block waits for the file's readiness and is tried again (IORING_FEAT_FAST_POLL), unless the SQE
 * asked for RWF_NOWAIT. READV/WRITEV read the iovec array in the ring's latched ABI: 8-byte
 * compat_iovecs on a ring a compat io_uring_setup created.
 */
import { POLLIN, POLLOUT } from '../fs/poll-mask.js';
import { readIovecs, readSegs, type Seg, writeSegs } from '../syscalls/rw-segs.js';
import { canRead, canWrite, MAX_RW_COUNT } from '../syscalls/sys-fs-common.js';
import { IORING_SETUP_IOPOLL } from './layouts.js';
import { selectBuffer } from './ops-buffers.js';
import { nonblocking, type OpEnv, type OpResult, retryWhenReady } from './op-env.js';
import { IORING_OP } from './opcodes.js';
import type { Request } from './request.js';

const EBADF = -9;
const EINTR = -4;
const EFAULT = -14;
const EINVAL = -22;
const EOPNOTSUPP = -95;
/** RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND. */
const RWF_SUPPORTED = 0x1f;
const RWF_NOWAIT = 8;
const IOSQE_BUFFER_SELECT = 1 << 5;
const IORING_FSYNC_DATASYNC = 1;

/** A blocking transfer a signal interrupted completes with -EINTR (io_rw_done). */
function rwResult(r: number): number {
  return r >= -516 && r <= -512 ? EINTR : r;
}

/** The segments an SQE names: its iovec array, its registered buffer, or its one buffer. */
function segmentsOf(
  env: OpEnv,
  req: Request,
  vectored: boolean,
  fixed: boolean,
): { segs: Seg[]; total: number } | number {
  const s = req.sqe;
  if (vectored) return readIovecs(env.ctx, s.addr, s.len > 0x7fffffff ? -1 : s.len);
  if (fixed) {
    // io_import_fixed: the range must lie inside the registered buffer.
    const bufs = env.ring.buffers;
    const b = bufs?.[s.bufIndex];
    if (b === undefined) return EFAULT;
    if (s.addr < b.addr || s.addr + s.len > b.addr + b.len) return EFAULT;
  }
  const total = Math.min(s.len, MAX_RW_COUNT);
  return { segs: [{ addr: s.addr, len: total }], total };
}

/**
 * A READ or READV with IOSQE_BUFFER_SELECT: the group's next buffer, at most sqe->len bytes; READV
 * names one iovec (in the ring's ABI: a compat_iovec on a compat ring) whose length caps the read.
 */
function selectedSegments(env: OpEnv, req: Request, vectored: boolean): { segs: Seg[]; total: number } | number {
  let want = req.sqe.len;
  if (vectored) {
    if (req.sqe.len !== 1) return EINVAL;
    const one = readIovecs(env.ctx, req.sqe.addr, 1);
    if (typeof one === 'number') return one;
    want = one.segs[0]!.len;
  }
  const b = selectBuffer(env, req, want);
  return typeof b === 'number' ? b : { segs: [b], total: b.len };
}

export function issueRw(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  const op = s.opcode;
  const write = op === IORING_OP.WRITEV || op === IORING_OP.WRITE || op === IORING_OP.WRITE_FIXED;
  const vectored = op === IORING_OP.READV || op === IORING_OP.WRITEV;
  const fixed = op === IORING_OP.READ_FIXED || op === IORING_OP.WRITE_FIXED;
  const f = req.file!;
  // io_prep_rw.
  if (s.opFlags & ~RWF_SUPPORTED) return EOPNOTSUPP;
  if (write ? !canWrite(f) : !canRead(f)) return EBADF;
  if ((write ? f.write : f.read) === undefined) return EINVAL;
  // No file here has an iopoll method (io_rw_init_file).
  if (env.ring.flags & IORING_SETUP_IOPOLL) return EOPNOTSUPP;
  const v =
    s.flags & IOSQE_BUFFER_SELECT ? selectedSegments(env, req, vectored) : segmentsOf(env, req, vectored, fixed);
  if (typeof v === 'number') return v;
  // off == -1 is the file position (IORING_FEAT_RW_CUR_POS); stream files have none.
  if (s.off < -1) return EINVAL;
  const pos = s.off === -1 || f.lseek === undefined ? undefined : s.off;
  req.expect = v.total;
  const ctx = env.ctx;
  const attempt = (): number | Promise<number> => {
    const r = nonblocking(f, () =>
      write ? writeSegs(ctx, f, v.segs, v.total, pos) : readSegs(ctx, f, v.segs, v.total, pos),
    );
    return typeof r === 'number' ? rwResult(r) : r.then(rwResult);
  };
  if (s.opFlags & RWF_NOWAIT) return attempt();
  return retryWhenReady(env, req, f, write ? POLLOUT : POLLIN, attempt);
}

/** io_prep_rw for the fixed variants: the registered buffer must exist (-EFAULT). */
export function prepRw(env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.opcode === IORING_OP.READ_FIXED || s.opcode === IORING_OP.WRITE_FIXED) {
    if (env.ring.buffers === undefined || s.bufIndex >= env.ring.buffers.length) return EFAULT;
  }
  return 0;
}

/** io_fsync_prep. */
export function prepFsync(_env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.addr !== 0 || s.bufIndex !== 0 || s.fileIndex !== 0) return EINVAL;
  if (s.opFlags & ~IORING_FSYNC_DATASYNC) return EINVAL;
  return 0;
}

/** io_fsync: the file's fsync (fdatasync with IORING_FSYNC_DATASYNC). */
export function issueFsync(_env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  const f = req.file!;
  return f.fsync === undefined ? EINVAL : f.fsync((s.opFlags & IORING_FSYNC_DATASYNC) !== 0);
}
