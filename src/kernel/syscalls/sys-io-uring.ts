/**
 * io_uring (io_uring/io_uring.c, Linux 6.1): io_uring_setup, io_uring_enter, io_uring_register.
 * The rings, the opcodes and the registered resources live in kernel/io-uring/.
 *
 * Compat calls share these handlers (compat-abi.md §7): a ring made by a compat io_uring_setup is
 * a compat ring for life — READV/WRITEV and registered buffers read compat_iovecs, SENDMSG/RECVMSG
 * the compat_msghdr — whatever ABI later io_uring_enter calls use; the enter call's own sigmask is
 * read in that call's ABI; the user maps the rings with mmap2, which in a compat call places them
 * below 4 GiB. The params, SQE and CQE layouts are the same in both ABIs.
 *
 * IORING_SETUP_SQPOLL needs a kernel thread polling the SQ ring, which compat64 does not have: it
 * is refused with -EPERM, as Linux before 5.11 refused an unprivileged caller. IOPOLL rings are
 * created, and their reads and writes complete with -EOPNOTSUPP (no file here can be polled for
 * I/O completion), as Linux's do on files without an iopoll method.
 */
import { LP64, layoutOf } from '../abi/layout.js';
import { ioUringEnter } from '../io-uring/enter.js';
import { IoRing } from '../io-uring/io-ring.js';
import {
  IORING_ENTER_ALL,
  IORING_ENTER_REGISTERED_RING,
  IORING_FEAT_CQE_SKIP,
  IORING_FEAT_CUR_PERSONALITY,
  IORING_FEAT_EXT_ARG,
  IORING_FEAT_FAST_POLL,
  IORING_FEAT_LINKED_FILE,
  IORING_FEAT_NODROP,
  IORING_FEAT_POLL_32BITS,
  IORING_FEAT_RW_CUR_POS,
  IORING_FEAT_SINGLE_MMAP,
  IORING_FEAT_SUBMIT_STABLE,
  IORING_MAX_CQ_ENTRIES,
  IORING_MAX_ENTRIES,
  IORING_SETUP_ALL,
  IORING_SETUP_ATTACH_WQ,
  IORING_SETUP_CLAMP,
  IORING_SETUP_COOP_TASKRUN,
  IORING_SETUP_CQE32,
  IORING_SETUP_CQSIZE,
  IORING_SETUP_DEFER_TASKRUN,
  IORING_SETUP_R_DISABLED,
  IORING_SETUP_SINGLE_ISSUER,
  IORING_SETUP_SQ_AFF,
  IORING_SETUP_SQE128,
  IORING_SETUP_SQPOLL,
  IORING_SETUP_TASKRUN_FLAG,
  io_cqring_offsets,
  io_sqring_offsets,
  PARAMS,
  ringLayout,
} from '../io-uring/layouts.js';
import { ioUringRegister } from '../io-uring/register.js';
import { IoUringFile } from '../io-uring/ring-file.js';
import { RingMemory } from '../io-uring/ring-memory.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EPERM = -1;
const ENXIO = -6;
const EBADF = -9;
const ENOMEM = -12;
const EFAULT = -14;
const EINVAL = -22;
const EBADFD = -77;
const EOPNOTSUPP = -95;

/** What compat64 implements of the IORING_FEAT_* list (no SQPOLL, native workers or resource tags). */
const FEATURES =
  IORING_FEAT_SINGLE_MMAP |
  IORING_FEAT_NODROP |
  IORING_FEAT_SUBMIT_STABLE |
  IORING_FEAT_RW_CUR_POS |
  IORING_FEAT_CUR_PERSONALITY |
  IORING_FEAT_FAST_POLL |
  IORING_FEAT_POLL_32BITS |
  IORING_FEAT_EXT_ARG |
  IORING_FEAT_CQE_SKIP |
  IORING_FEAT_LINKED_FILE;

/** IO_RINGFD_REG_MAX: how many ring fds IORING_REGISTER_RING_FDS could register. */
const IO_RINGFD_REG_MAX = 16;

const roundupPow2 = (n: number) => 2 ** Math.ceil(Math.log2(n));

const SQ_OFF = layoutOf(io_sqring_offsets, LP64);
const CQ_OFF = layoutOf(io_cqring_offsets, LP64);

/** The ring behind an fd: -EBADF for none, -EOPNOTSUPP for a file that is not an io_uring. */
function ringOf(ctx: SyscallContext, fd: number): IoRing | number {
  const f = ctx.task.files.get(fd);
  if (f === undefined) return EBADF;
  return f instanceof IoUringFile ? f.ring : EOPNOTSUPP;
}

/** io_uring_create's entry counts and flag rules; the params with sq/cq entries set, or the errno. */
function checkParams(ctx: SyscallContext, entries0: number, v: DataView): { sq: number; cq: number } | number {
  const F = PARAMS.fields;
  const flags = v.getUint32(F.flags!.offset, true);
  for (let i = 0; i < 3; i++) if (v.getUint32(F.resv!.offset + 4 * i, true) !== 0) return EINVAL;
  if (flags & ~IORING_SETUP_ALL) return EINVAL;
  let entries = entries0;
  if (entries === 0) return EINVAL;
  if (entries > IORING_MAX_ENTRIES) {
    if (!(flags & IORING_SETUP_CLAMP)) return EINVAL;
    entries = IORING_MAX_ENTRIES;
  }
  const sq = roundupPow2(entries);
  let cq = 2 * sq;
  if (flags & IORING_SETUP_CQSIZE) {
    let want = v.getUint32(F.cq_entries!.offset, true);
    if (want === 0) return EINVAL;
    if (want > IORING_MAX_CQ_ENTRIES) {
      if (!(flags & IORING_SETUP_CLAMP)) return EINVAL;
      want = IORING_MAX_CQ_ENTRIES;
    }
    cq = roundupPow2(want);
    if (cq < sq) return EINVAL;
  }
  if (flags & IORING_SETUP_SQPOLL) return EPERM;
  if (flags & IORING_SETUP_TASKRUN_FLAG && !(flags & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_DEFER_TASKRUN)))
    return EINVAL;
  if (flags & IORING_SETUP_DEFER_TASKRUN && !(flags & IORING_SETUP_SINGLE_ISSUER)) return EINVAL;
  if (flags & IORING_SETUP_ATTACH_WQ) {
    // io_sq_offload_create keeps failing an invalid attach even without SQPOLL.
    const wq = ctx.task.files.get(v.getUint32(F.wq_fd!.offset, true) | 0);
    if (wq === undefined) return ENXIO;
    if (!(wq instanceof IoUringFile)) return EINVAL;
  }
  if (flags & IORING_SETUP_SQ_AFF) return EINVAL;
  return { sq, cq };
}

/** io_uring_setup(entries, params): the ring's fd (close-on-exec), params filled in. */
function sysIoUringSetup(ctx: SyscallContext, a: readonly number[]): number {
  const entries = a[0]! >>> 0;
  const paramsAddr = a[1]!;
  const raw = copyIn(ctx.mem, paramsAddr, PARAMS.size);
  if (raw === null) return EFAULT;
  const v = new DataView(raw.buffer);
  const n = checkParams(ctx, entries, v);
  if (typeof n === 'number') return n;
  const F = PARAMS.fields;
  const flags = v.getUint32(F.flags!.offset, true);
  const layout = ringLayout(n.sq, n.cq, (flags & IORING_SETUP_CQE32) !== 0, (flags & IORING_SETUP_SQE128) !== 0);
  const mem = new RingMemory(ctx.mm.as.phys, layout);
  if (!mem.ok) {
    mem.get();
    mem.put();
    return ENOMEM;
  }
  const ring = new IoRing(mem, layout, n.sq, n.cq, flags, ctx.compat);
  ring.disabled = (flags & IORING_SETUP_R_DISABLED) !== 0;
  const file = new IoUringFile(ctx.kernel, ring);
  v.setUint32(F.sq_entries!.offset, n.sq, true);
  v.setUint32(F.cq_entries!.offset, n.cq, true);
  v.setUint32(F.features!.offset, FEATURES, true);
  const sq = F.sq_off!.offset;
  const S = SQ_OFF.fields;
  new Uint8Array(raw.buffer, sq, SQ_OFF.size + CQ_OFF.size).fill(0);
  v.setUint32(sq + S.head!.offset, layout.sqHead, true);
  v.setUint32(sq + S.tail!.offset, layout.sqTail, true);
  v.setUint32(sq + S.ring_mask!.offset, layout.sqMask, true);
  v.setUint32(sq + S.ring_entries!.offset, layout.sqEntriesOff, true);
  v.setUint32(sq + S.flags!.offset, layout.sqFlags, true);
  v.setUint32(sq + S.dropped!.offset, layout.sqDropped, true);
  v.setUint32(sq + S.array!.offset, layout.sqArray, true);
  const cq = F.cq_off!.offset;
  const C = CQ_OFF.fields;
  v.setUint32(cq + C.head!.offset, layout.cqHead, true);
  v.setUint32(cq + C.tail!.offset, layout.cqTail, true);
  v.setUint32(cq + C.ring_mask!.offset, layout.cqMask, true);
  v.setUint32(cq + C.ring_entries!.offset, layout.cqEntriesOff, true);
  v.setUint32(cq + C.overflow!.offset, layout.cqOverflow, true);
  v.setUint32(cq + C.cqes!.offset, layout.cqes, true);
  v.setUint32(cq + C.flags!.offset, layout.cqFlags, true);
  if (!copyOut(ctx.mem, paramsAddr, raw)) {
    file.release();
    return EFAULT;
  }
  const fd = ctx.task.files.install(file, true);
  if (fd < 0) file.release();
  return fd;
}

/** io_uring_enter(fd, to_submit, min_complete, flags, argp, argsz). */
function sysIoUringEnter(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [fd, toSubmit, minComplete, flags, argp, argsz] = a as [number, number, number, number, number, number];
  if (flags & ~IORING_ENTER_ALL) return EINVAL;
  if (flags & IORING_ENTER_REGISTERED_RING) {
    // No ring fd can be registered here (IORING_REGISTER_RING_FDS is not implemented).
    return fd >>> 0 >= IO_RINGFD_REG_MAX ? EINVAL : EBADF;
  }
  const ring = ringOf(ctx, fd);
  if (typeof ring === 'number') return ring;
  if (ring.disabled) return EBADFD;
  return ioUringEnter(ctx, ring, toSubmit >>> 0, minComplete >>> 0, flags, argp, argsz);
}

function sysIoUringRegister(ctx: SyscallContext, a: readonly number[]): number {
  const [fd, opcode, arg, nr] = a as [number, number, number, number];
  const ring = ringOf(ctx, fd);
  if (typeof ring === 'number') return ring;
  return ioUringRegister(ctx, ring, opcode >>> 0, arg, nr >>> 0);
}

export const IO_URING_SYSCALLS: readonly SyscallSpec[] = [
  {
    name: 'io_uring_setup',
    args: ['uint', 'ptr'],
    handler: sysIoUringSetup,
    compatAware: true,
    level: 'partial',
    note: 'SQPOLL is refused (-EPERM); IOPOLL rings complete reads and writes with -EOPNOTSUPP',
  },
  {
    name: 'io_uring_enter',
    args: ['fd', 'uint', 'uint', 'hex', 'ptr', 'size'],
    handler: sysIoUringEnter,
    compatAware: true,
    level: 'partial',
    note: 'opcodes: NOP, READV, WRITEV, READ, WRITE, READ/WRITE_FIXED, FSYNC, POLL_ADD (one-shot and multishot), POLL_REMOVE (and update), TIMEOUT, TIMEOUT_REMOVE (and update), LINK_TIMEOUT, SENDMSG, RECVMSG, SEND, RECV, ACCEPT, CONNECT, OPENAT, CLOSE, STATX, ASYNC_CANCEL, FILES_UPDATE, PROVIDE/REMOVE_BUFFERS (BUFFER_SELECT for READ, READV, RECV), and through their syscalls MKDIRAT, UNLINKAT, RENAMEAT, SYMLINKAT, LINKAT, FALLOCATE, FADVISE, MADVISE, SYNC_FILE_RANGE, SHUTDOWN, SOCKET, EPOLL_CTL (no fixed files there); others complete with -EINVAL',
  },
  {
    name: 'io_uring_register',
    args: ['fd', 'uint', 'ptr', 'uint'],
    handler: sysIoUringRegister,
    compatAware: true,
    level: 'partial',
    note: 'BUFFERS, FILES, FILES_UPDATE, EVENTFD(_ASYNC), their UNREGISTERs, PROBE, ENABLE_RINGS; others -EINVAL',
  },
];
