/**
 * The io_uring ABI as data (include/uapi/linux/io_uring.h, Linux 6.1): the structures user space
 * and the kernel exchange, the flag words, and where each field of the shared rings lives.
 *
 * Every structure here is made of fixed-width members, so it is the same in the native and the
 * compat ABI (compat-abi-notes.md §7.3): only what an SQE points to (iovecs, msghdr) differs, and
 * that goes through the ring's latched ABI set.
 */
import { array, defineStruct, i32, layoutOf, LP64, u8, u16, u32, u64 } from '../abi/layout.js';

/** struct io_sqring_offsets: where the SQ fields are in the rings mapping. 40 bytes. */
export const io_sqring_offsets = defineStruct('io_sqring_offsets', {
  head: u32,
  tail: u32,
  ring_mask: u32,
  ring_entries: u32,
  flags: u32,
  dropped: u32,
  array: u32,
  resv1: u32,
  user_addr: u64,
});

/** struct io_cqring_offsets. 40 bytes. */
export const io_cqring_offsets = defineStruct('io_cqring_offsets', {
  head: u32,
  tail: u32,
  ring_mask: u32,
  ring_entries: u32,
  overflow: u32,
  cqes: u32,
  flags: u32,
  resv1: u32,
  user_addr: u64,
});

/** struct io_uring_params: io_uring_setup's in/out argument. 120 bytes. */
export const io_uring_params = defineStruct('io_uring_params', {
  sq_entries: u32,
  cq_entries: u32,
  flags: u32,
  sq_thread_cpu: u32,
  sq_thread_idle: u32,
  features: u32,
  wq_fd: u32,
  resv: array(u32, 3),
  sq_off: io_sqring_offsets,
  cq_off: io_cqring_offsets,
});

/**
 * struct io_uring_sqe, with each union named by the member compat64 reads: `off` is also addr2,
 * `addr` also splice_off_in, `op_flags` is rw_flags / fsync_flags / poll32_events / msg_flags /
 * timeout_flags / accept_flags / cancel_flags / open_flags / statx_flags, `buf_index` also
 * buf_group, `file_index` also splice_fd_in. 64 bytes (128 with IORING_SETUP_SQE128).
 */
export const io_uring_sqe = defineStruct('io_uring_sqe', {
  opcode: u8,
  flags: u8,
  ioprio: u16,
  fd: i32,
  off: u64,
  addr: u64,
  len: u32,
  op_flags: u32,
  user_data: u64,
  buf_index: u16,
  personality: u16,
  file_index: i32,
  addr3: u64,
  pad2: u64,
});

/** struct io_uring_cqe: 16 bytes (32 with IORING_SETUP_CQE32, the big_cqe[] zeroed). */
export const io_uring_cqe = defineStruct('io_uring_cqe', {
  user_data: u64,
  res: i32,
  flags: u32,
});

/** struct io_uring_probe header and struct io_uring_probe_op. */
export const io_uring_probe = defineStruct('io_uring_probe', {
  last_op: u8,
  ops_len: u8,
  resv: u16,
  resv2: array(u32, 3),
});
export const io_uring_probe_op = defineStruct('io_uring_probe_op', {
  op: u8,
  resv: u8,
  flags: u16,
  resv2: u32,
});

/** struct io_uring_getevents_arg (IORING_ENTER_EXT_ARG). */
export const io_uring_getevents_arg = defineStruct('io_uring_getevents_arg', {
  sigmask: u64,
  sigmask_sz: u32,
  pad: u32,
  ts: u64,
});

export const PARAMS = layoutOf(io_uring_params, LP64);
export const SQE = layoutOf(io_uring_sqe, LP64);
export const CQE = layoutOf(io_uring_cqe, LP64);
export const PROBE = layoutOf(io_uring_probe, LP64);
export const PROBE_OP = layoutOf(io_uring_probe_op, LP64);
export const GETEVENTS_ARG = layoutOf(io_uring_getevents_arg, LP64);

// ---- io_uring_setup flags ----
export const IORING_SETUP_IOPOLL = 1 << 0;
export const IORING_SETUP_SQPOLL = 1 << 1;
export const IORING_SETUP_SQ_AFF = 1 << 2;
export const IORING_SETUP_CQSIZE = 1 << 3;
export const IORING_SETUP_CLAMP = 1 << 4;
export const IORING_SETUP_ATTACH_WQ = 1 << 5;
export const IORING_SETUP_R_DISABLED = 1 << 6;
export const IORING_SETUP_SUBMIT_ALL = 1 << 7;
export const IORING_SETUP_COOP_TASKRUN = 1 << 8;
export const IORING_SETUP_TASKRUN_FLAG = 1 << 9;
export const IORING_SETUP_SQE128 = 1 << 10;
export const IORING_SETUP_CQE32 = 1 << 11;
export const IORING_SETUP_SINGLE_ISSUER = 1 << 12;
export const IORING_SETUP_DEFER_TASKRUN = 1 << 13;
/** Every flag 6.1 knows; anything else is -EINVAL. */
export const IORING_SETUP_ALL = (1 << 14) - 1;

// ---- features (params.features) ----
export const IORING_FEAT_SINGLE_MMAP = 1 << 0;
export const IORING_FEAT_NODROP = 1 << 1;
export const IORING_FEAT_SUBMIT_STABLE = 1 << 2;
export const IORING_FEAT_RW_CUR_POS = 1 << 3;
export const IORING_FEAT_CUR_PERSONALITY = 1 << 4;
export const IORING_FEAT_FAST_POLL = 1 << 5;
export const IORING_FEAT_POLL_32BITS = 1 << 6;
export const IORING_FEAT_SQPOLL_NONFIXED = 1 << 7;
export const IORING_FEAT_EXT_ARG = 1 << 8;
export const IORING_FEAT_NATIVE_WORKERS = 1 << 9;
export const IORING_FEAT_RSRC_TAGS = 1 << 10;
export const IORING_FEAT_CQE_SKIP = 1 << 11;
export const IORING_FEAT_LINKED_FILE = 1 << 12;

// ---- mmap offsets of the ring file ----
export const IORING_OFF_SQ_RING = 0;
export const IORING_OFF_CQ_RING = 0x8000000;
export const IORING_OFF_SQES = 0x10000000;

// ---- SQE flags ----
export const IOSQE_FIXED_FILE = 1 << 0;
export const IOSQE_IO_DRAIN = 1 << 1;
export const IOSQE_IO_LINK = 1 << 2;
export const IOSQE_IO_HARDLINK = 1 << 3;
export const IOSQE_ASYNC = 1 << 4;
export const IOSQE_BUFFER_SELECT = 1 << 5;
export const IOSQE_CQE_SKIP_SUCCESS = 1 << 6;
export const SQE_VALID_FLAGS = (1 << 7) - 1;

// ---- CQE flags, SQ/CQ ring flags ----
export const IORING_CQE_F_MORE = 1 << 1;
export const IORING_SQ_NEED_WAKEUP = 1 << 0;
export const IORING_SQ_CQ_OVERFLOW = 1 << 1;
export const IORING_SQ_TASKRUN = 1 << 2;

// ---- io_uring_enter flags ----
export const IORING_ENTER_GETEVENTS = 1 << 0;
export const IORING_ENTER_SQ_WAKEUP = 1 << 1;
export const IORING_ENTER_SQ_WAIT = 1 << 2;
export const IORING_ENTER_EXT_ARG = 1 << 3;
export const IORING_ENTER_REGISTERED_RING = 1 << 4;
export const IORING_ENTER_ALL = (1 << 5) - 1;

/** IORING_MAX_ENTRIES and IORING_MAX_CQ_ENTRIES. */
export const IORING_MAX_ENTRIES = 32768;
export const IORING_MAX_CQ_ENTRIES = 2 * IORING_MAX_ENTRIES;

/** SMP_CACHE_BYTES on arm64 (L1_CACHE_SHIFT 6): struct io_rings aligns its hot fields to it. */
const CACHELINE = 64;

/**
 * Where each field of struct io_rings lies (the SQ and CQ ring share one region, as with
 * IORING_FEAT_SINGLE_MMAP): sq.head, sq.tail, cq.head, cq.tail each on its own cache line, then
 * the masks, entry counts, sq_dropped, sq_flags, cq_flags, cq_overflow, the CQE array on a cache
 * line, and the SQ index array after it on another (rings_size()).
 */
export interface RingLayout {
  readonly sqHead: number;
  readonly sqTail: number;
  readonly cqHead: number;
  readonly cqTail: number;
  readonly sqMask: number;
  readonly cqMask: number;
  readonly sqEntriesOff: number;
  readonly cqEntriesOff: number;
  readonly sqDropped: number;
  readonly sqFlags: number;
  readonly cqFlags: number;
  readonly cqOverflow: number;
  readonly cqes: number;
  readonly sqArray: number;
  /** Bytes of the rings region (what mmap of IORING_OFF_SQ_RING or _CQ_RING may cover). */
  readonly ringsSize: number;
  /** Bytes of one CQE (16, or 32 with CQE32) and one SQE (64, or 128 with SQE128). */
  readonly cqeSize: number;
  readonly sqeSize: number;
  readonly sqesSize: number;
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

export function ringLayout(sqEntries: number, cqEntries: number, cqe32: boolean, sqe128: boolean): RingLayout {
  const cqeSize = cqe32 ? 2 * CQE.size : CQE.size;
  const sqeSize = sqe128 ? 2 * SQE.size : SQE.size;
  const cqes = 5 * CACHELINE;
  const sqArray = alignUp(cqes + cqEntries * cqeSize, CACHELINE);
  return {
    sqHead: 0,
    sqTail: CACHELINE,
    cqHead: 2 * CACHELINE,
    cqTail: 3 * CACHELINE,
    sqMask: 4 * CACHELINE,
    cqMask: 4 * CACHELINE + 4,
    sqEntriesOff: 4 * CACHELINE + 8,
    cqEntriesOff: 4 * CACHELINE + 12,
    sqDropped: 4 * CACHELINE + 16,
    sqFlags: 4 * CACHELINE + 20,
    cqFlags: 4 * CACHELINE + 24,
    cqOverflow: 4 * CACHELINE + 28,
    cqes,
    sqArray,
    ringsSize: sqArray + sqEntries * 4,
    cqeSize,
    sqeSize,
    sqesSize: sqEntries * sqeSize,
  };
}
