/**
 * io_uring_register's operations (io_uring/io_uring.c __io_uring_register, rsrc.c): registered
 * buffers and files, the eventfd, the opcode probe, enabling a ring created disabled. Registered
 * buffers are read as iovecs in the ring's latched ABI: 8-byte compat_iovecs on a compat ring.
 * Other operations Linux 6.1 knows (personalities, restrictions, io-wq tuning, ring fds, buffer
 * rings, updates) are answered -EINVAL, as for an opcode the kernel does not know.
 */
import { readField } from '../abi/marshal.js';
import { EventFd } from '../fs/eventfd.js';
import type { OpenFile } from '../fs/open-file.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { RLIMIT_NOFILE } from '../task/task.js';
import { copyIn, copyOut } from '../syscalls/uaccess.js';
import { dropFileRef, type FixedBuffer, type IoRing, isRingFile } from './io-ring.js';
import { IORING_SETUP_R_DISABLED, PROBE, PROBE_OP } from './layouts.js';
import { IORING_OP_LAST, OP_DEFS } from './opcodes.js';

const EBADF = -9;
const EFAULT = -14;
const EBUSY = -16;
const ENXIO = -6;
const EINVAL = -22;
const EMFILE = -24;
const EOVERFLOW = -75;
const EBADFD = -77;

export const IORING_REGISTER = {
  BUFFERS: 0,
  UNREGISTER_BUFFERS: 1,
  FILES: 2,
  UNREGISTER_FILES: 3,
  EVENTFD: 4,
  UNREGISTER_EVENTFD: 5,
  FILES_UPDATE: 6,
  EVENTFD_ASYNC: 7,
  PROBE: 8,
  PERSONALITY: 9,
  UNREGISTER_PERSONALITY: 10,
  RESTRICTIONS: 11,
  ENABLE_RINGS: 12,
} as const;

/** IORING_MAX_REG_BUFFERS, IORING_MAX_FIXED_FILES. */
const IORING_MAX_REG_BUFFERS = 1 << 14;
const IORING_MAX_FIXED_FILES = 1 << 15;
/** io_buffer_validate: at most 1 GiB per buffer. */
const SZ_1G = 1 << 30;
const IO_URING_OP_SUPPORTED = 1;

/** io_sqe_buffers_register: the iovec array in the ring's ABI; a NULL base with length 0 is a sparse slot. */
function registerBuffers(ctx: SyscallContext, ring: IoRing, arg: number, nr: number): number {
  if (ring.buffers !== undefined) return EBUSY;
  if (nr === 0 || nr > IORING_MAX_REG_BUFFERS) return EINVAL;
  const rctx = ring.requestContext(ctx);
  const layout = rctx.abi.iovec;
  const raw = copyIn(rctx.mem, arg, nr * layout.size);
  if (raw === null) return EFAULT;
  const view = new DataView(raw.buffer);
  const bufs: FixedBuffer[] = [];
  for (let i = 0; i < nr; i++) {
    const base = Number(readField(layout, view, i * layout.size, 'iov_base'));
    const len = Number(readField(layout, view, i * layout.size, 'iov_len'));
    if (base === 0) {
      if (len !== 0) return EFAULT;
    } else {
      if (len === 0 || len > SZ_1G) return EFAULT;
      if (base + len > 2 ** 64 - 1) return EOVERFLOW;
      // io_pin_pages: every page of the buffer must be mapped.
      if (!mapped(ctx, base, len)) return EFAULT;
    }
    bufs.push({ addr: base, len });
  }
  ring.buffers = bufs;
  return 0;
}

/** Whether [addr, addr + len) is all mapped (a cheap stand-in for pinning the pages). */
function mapped(ctx: SyscallContext, addr: number, len: number): boolean {
  const PAGE = 4096;
  for (let p = Math.floor(addr / PAGE) * PAGE; p < addr + len; p += PAGE) {
    const v = ctx.mm.findAfter(p / PAGE);
    if (v === undefined || v.start * PAGE > p) return false;
  }
  return true;
}

/** io_sqe_files_register: an int array, -1 for an empty slot; each file referenced by the table. */
function registerFiles(ctx: SyscallContext, ring: IoRing, arg: number, nr: number): number {
  if (ring.files !== undefined) return EBUSY;
  if (nr === 0) return EINVAL;
  if (nr > IORING_MAX_FIXED_FILES) return EMFILE;
  if (nr > ctx.task.rlimits[RLIMIT_NOFILE]![0]) return EMFILE;
  const raw = copyIn(ctx.mem, arg, nr * 4);
  if (raw === null) return EFAULT;
  const view = new DataView(raw.buffer);
  const files: (OpenFile | undefined)[] = [];
  const undo = (): void => {
    for (const f of files) if (f !== undefined) dropFileRef(f);
  };
  for (let i = 0; i < nr; i++) {
    const fd = view.getInt32(i * 4, true);
    if (fd === -1) {
      files.push(undefined);
      continue;
    }
    const f = ctx.task.files.get(fd);
    if (f === undefined || isRingFile(f)) {
      undo();
      return EBADF;
    }
    f.refs++;
    files.push(f);
  }
  ring.files = files;
  return 0;
}

/** IORING_REGISTER_FILES_SKIP: leave this slot as it is. */
const IORING_REGISTER_FILES_SKIP = -2;

/**
 * __io_sqe_files_update: slots [offset, offset + nr) take the fds of the int array at fdsAddr (-1
 * empties a slot, IORING_REGISTER_FILES_SKIP leaves it); the count done, or the first error if none.
 */
export function updateFiles(ctx: SyscallContext, ring: IoRing, offset: number, fdsAddr: number, nr: number): number {
  const files = ring.files;
  if (files === undefined) return ENXIO;
  if (offset + nr > files.length) return EINVAL;
  let done = 0;
  let err = 0;
  for (; done < nr; done++) {
    const b = copyIn(ctx.mem, fdsAddr + done * 4, 4);
    if (b === null) {
      err = EFAULT;
      break;
    }
    const fd = new DataView(b.buffer).getInt32(0, true);
    if (fd === IORING_REGISTER_FILES_SKIP) continue;
    const slot = offset + done;
    const old = files[slot];
    if (old !== undefined) {
      files[slot] = undefined;
      dropFileRef(old);
    }
    if (fd === -1) continue;
    const f = ctx.task.files.get(fd);
    if (f === undefined || isRingFile(f)) {
      err = EBADF;
      break;
    }
    f.refs++;
    files[slot] = f;
  }
  return done > 0 ? done : err;
}

/** io_register_files_update: a struct io_uring_rsrc_update {offset, resv, data} and nr fds. */
function registerFilesUpdate(ctx: SyscallContext, ring: IoRing, arg: number, nr: number): number {
  if (nr === 0) return EINVAL;
  const b = copyIn(ctx.mem, arg, 16);
  if (b === null) return EFAULT;
  const v = new DataView(b.buffer);
  if (v.getUint32(4, true) !== 0) return EINVAL;
  const data = v.getUint32(12, true) * 4294967296 + v.getUint32(8, true);
  return updateFiles(ctx, ring, v.getUint32(0, true), data, nr);
}

/** io_probe: last_op, ops_len and one entry per opcode, IO_URING_OP_SUPPORTED for what runs here. */
function probe(ctx: SyscallContext, arg: number, nr0: number): number {
  const nr = Math.min(nr0, IORING_OP_LAST);
  const size = PROBE.size + nr * PROBE_OP.size;
  const b = copyIn(ctx.mem, arg, size);
  if (b === null) return EFAULT;
  if (b.some((x) => x !== 0)) return EINVAL;
  const v = new DataView(b.buffer);
  v.setUint8(PROBE.fields.last_op!.offset, IORING_OP_LAST - 1);
  v.setUint8(PROBE.fields.ops_len!.offset, nr);
  for (let i = 0; i < nr; i++) {
    const at = PROBE.size + i * PROBE_OP.size;
    v.setUint8(at + PROBE_OP.fields.op!.offset, i);
    if (OP_DEFS[i]!.implemented) v.setUint16(at + PROBE_OP.fields.flags!.offset, IO_URING_OP_SUPPORTED, true);
  }
  return copyOut(ctx.mem, arg, b) ? 0 : EFAULT;
}

export function ioUringRegister(ctx: SyscallContext, ring: IoRing, opcode: number, arg: number, nr: number): number {
  switch (opcode) {
    case IORING_REGISTER.BUFFERS:
      return registerBuffers(ctx, ring, arg, nr);
    case IORING_REGISTER.UNREGISTER_BUFFERS:
      if (arg !== 0 || nr !== 0) return EINVAL;
      if (ring.buffers === undefined) return ENXIO;
      ring.buffers = undefined;
      return 0;
    case IORING_REGISTER.FILES:
      return registerFiles(ctx, ring, arg, nr);
    case IORING_REGISTER.UNREGISTER_FILES: {
      if (arg !== 0 || nr !== 0) return EINVAL;
      const files = ring.files;
      if (files === undefined) return ENXIO;
      ring.files = undefined;
      for (const f of files) if (f !== undefined) dropFileRef(f);
      return 0;
    }
    case IORING_REGISTER.FILES_UPDATE:
      return registerFilesUpdate(ctx, ring, arg, nr);
    case IORING_REGISTER.EVENTFD:
    case IORING_REGISTER.EVENTFD_ASYNC: {
      if (nr !== 1) return EINVAL;
      if (ring.eventfd !== undefined) return EBUSY;
      const b = copyIn(ctx.mem, arg, 4);
      if (b === null) return EFAULT;
      const f = ctx.task.files.get(new DataView(b.buffer).getInt32(0, true));
      if (f === undefined) return EBADF;
      if (!(f instanceof EventFd)) return EINVAL;
      ring.eventfd = f;
      ring.eventfdAsync = opcode === IORING_REGISTER.EVENTFD_ASYNC;
      return 0;
    }
    case IORING_REGISTER.UNREGISTER_EVENTFD:
      if (arg !== 0 || nr !== 0) return EINVAL;
      if (ring.eventfd === undefined) return ENXIO;
      ring.eventfd = undefined;
      return 0;
    case IORING_REGISTER.PROBE:
      return probe(ctx, arg, nr);
    case IORING_REGISTER.ENABLE_RINGS:
      if (!(ring.flags & IORING_SETUP_R_DISABLED) || !ring.disabled) return EBADFD;
      ring.disabled = false;
      return 0;
    default:
      return EINVAL;
  }
}
