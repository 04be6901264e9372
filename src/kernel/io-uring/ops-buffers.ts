/**
 * Provided buffers (io_uring/kbuf.c of 6.1): PROVIDE_BUFFERS gives the kernel nbufs buffers of one
 * length in a group, REMOVE_BUFFERS takes some back, and a READ, READV or RECV with
 * IOSQE_BUFFER_SELECT takes the group's next buffer, reporting it in the CQE (IORING_CQE_F_BUFFER,
 * the buffer id in the upper 16 bits of cqe->flags). A request that fails gives its buffer back.
 */
import type { OpEnv, OpResult } from './op-env.js';
import type { Request } from './request.js';

const ENOENT = -2;
const EFAULT = -14;
const EINVAL = -22;
const EOVERFLOW = -75;
const ENOBUFS = -105;
const USHRT_MAX = 0xffff;
const MAX_RW_COUNT = 0x7ffff000;
const IORING_CQE_F_BUFFER = 1;
const IORING_CQE_BUFFER_SHIFT = 16;

/** One provided buffer. */
export interface ProvidedBuffer {
  readonly addr: number;
  readonly len: number;
  readonly bid: number;
}

/** io_provide_buffers_prep. */
export function prepProvideBuffers(_env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.opFlags !== 0 || s.fileIndex !== 0) return EINVAL;
  if (s.fd <= 0 || s.fd > USHRT_MAX) return EINVAL;
  if (s.len * s.fd > 2 ** 32 - 1) return EOVERFLOW;
  if (s.addr + s.len * s.fd > 2 ** 64) return EFAULT;
  if (s.off < 0 || s.off > USHRT_MAX) return EINVAL;
  return 0;
}

/** io_provide_buffers: nbufs (sqe->fd) buffers of sqe->len bytes from sqe->addr, ids from sqe->off. */
export function issueProvideBuffers(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  const groups = env.ring.providedBuffers;
  if (s.bufIndex < BGID_ARRAY) env.ring.bgidArray = true;
  let list = groups.get(s.bufIndex);
  if (list === undefined) {
    list = [];
    groups.set(s.bufIndex, list);
  }
  for (let i = 0; i < s.fd; i++) list.push({ addr: s.addr + i * s.len, len: s.len, bid: (s.off + i) & USHRT_MAX });
  return 0;
}

/** io_remove_buffers_prep. */
export function prepRemoveBuffers(_env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.opFlags !== 0 || s.addr !== 0 || s.len !== 0 || s.off !== 0 || s.fileIndex !== 0) return EINVAL;
  if (s.fd <= 0 || s.fd > USHRT_MAX) return EINVAL;
  return 0;
}

/** BGID_ARRAY: groups below it live in an array allocated at the first PROVIDE_BUFFERS for one of them. */
const BGID_ARRAY = 64;

/**
 * io_remove_buffers: up to nbufs buffers of the group leave it; how many did. -ENOENT for a group
 * that does not exist — a group below BGID_ARRAY exists (empty) once that array is allocated.
 */
export function issueRemoveBuffers(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  const ring = env.ring;
  const list = ring.providedBuffers.get(s.bufIndex);
  if (list === undefined) return ring.bgidArray && s.bufIndex < BGID_ARRAY ? 0 : ENOENT;
  const n = Math.min(s.fd, list.length);
  list.splice(0, n);
  return n;
}

/**
 * io_buffer_select: the group's next buffer for a transfer of at most want bytes (0: the whole
 * buffer). The request keeps it; its CQE will name it.
 */
export function selectBuffer(env: OpEnv, req: Request, want: number): { addr: number; len: number } | number {
  const list = env.ring.providedBuffers.get(req.sqe.bufIndex);
  const b = list?.shift();
  if (b === undefined) return ENOBUFS;
  req.selectedBuffer = b;
  req.cqeFlags = IORING_CQE_F_BUFFER | (b.bid << IORING_CQE_BUFFER_SHIFT);
  const len = want === 0 || want > b.len ? b.len : want;
  return { addr: b.addr, len: Math.min(len, MAX_RW_COUNT) };
}

/** io_kbuf_recycle: a failed request's buffer goes back to the front of its group. */
export function recycleBuffer(env: OpEnv, req: Request): void {
  const b = req.selectedBuffer;
  if (b === undefined) return;
  req.selectedBuffer = undefined;
  req.cqeFlags = 0;
  const groups = env.ring.providedBuffers;
  let list = groups.get(req.sqe.bufIndex);
  if (list === undefined) {
    list = [];
    groups.set(req.sqe.bufIndex, list);
  }
  list.unshift(b);
}
