/**
 * Linux native AIO (fs/aio.c): io_setup, io_destroy, io_submit, io_cancel, io_getevents,
 * io_pgetevents.
 *
 * A context is a ring of io_events mapped into the process (MAP_SHARED, "/[aio] (deleted)"), as
 * Linux's: the 32-byte header (id, nr, head, tail, magic 0xa10a10a1, features, header_length)
 * and then the events. The kernel appends at tail, userspace (or io_getevents) consumes at head,
 * and libaio reads the ring directly when the magic matches. The context id is the ring's address.
 * The kernel side reads and writes the ring through its shmem object, so the ring keeps working
 * whatever the process does to the mapping, as Linux's pinned ring pages do.
 *
 * Requests complete while io_submit runs (a read that blocks, of an empty pipe say, blocks the
 * submitter): PREAD, PWRITE, PREADV, PWRITEV, FSYNC, FDSYNC. POLL completes at once when the file
 * is ready and otherwise when its wait queue says so; only a pending POLL can be cancelled
 * (io_cancel: -EINPROGRESS, the event still lands in the ring). IOCB_FLAG_RESFD signals an
 * eventfd at each completion.
 *
 * Compat calls (compat_sys_io_*): io_setup reads and writes a u32 context and, being a compat
 * call, places the ring below 4 GiB; io_submit reads an array of u32 iocb pointers, and its
 * PREADV/PWRITEV read compat iovecs (the ABI of the submitting call); io_getevents takes an
 * old_timespec32 (ctx.abi.timespec). The iocb and io_event layouts are the same in both ABIs.
 */
import * as M from '../abi/mman.js';
import { EventFd } from '../fs/eventfd.js';
import type { OpenFile } from '../fs/open-file.js';
import { POLLERR, POLLHUP, vfsPoll } from '../fs/poll-mask.js';
import { doMmap } from '../mm/do-mmap.js';
import { hugetlbPoolsOf } from '../mm/hugetlb.js';
import type { MemoryMap } from '../mm/memory-map.js';
import { nextShmemIno, SHMEM_DEV, ShmemObject } from '../mm/shmem.js';
import { PAGE } from '../mm/vma.js';
import { restoreSigmaskUnless } from '../task/signal-deliver.js';
import { signalPending } from '../task/signal-send.js';
import { INTERRUPTED, keepHostAlive, waitInterruptible } from '../task/signal-wait.js';
import {
  AIO_RING_COMPAT_FEATURES,
  AIO_RING_INCOMPAT_FEATURES,
  AIO_RING_MAGIC,
  AioContext,
  IO_EVENT,
  R_ID,
  R_NR,
  RING_HEADER,
  readRing,
} from './aio-ring.js';
import { andThen, readTimespec, setUserSigmaskFrom } from './poll-args.js';
import { readIovecs, readSegs, type Seg, writeSegs } from './rw-segs.js';
import { canRead, canWrite, MAX_RW_COUNT } from './sys-fs-common.js';
import { mmCaller } from './sys-mm.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, readU32, readU64, writeU32, writeU64 } from './uaccess.js';

const EBADF = -9;
const EAGAIN = -11;
const ENOMEM = -12;
const EFAULT = -14;
const EINVAL = -22;
const EINTR = -4;
const EOPNOTSUPP = -95;
const EINPROGRESS = -115;
const ERESTARTNOHAND = -514;
/** The -ERESTART* codes a blocking read or write may end with: an AIO completion reports -EINTR. */
const ERESTART_MIN = -516;
const ERESTART_MAX = -512;

/** /proc/sys/fs/aio-max-nr. */
const AIO_MAX_NR = 0x10000;
/** compat64 emulates one CPU: num_possible_cpus() = 1. */
const POSSIBLE_CPUS = 1;
/** The aio_key io_submit stores in each iocb (KIOCB_KEY); io_cancel wants it back. */
const KIOCB_KEY = 0;

const IOCB_CMD_PREAD = 0;
const IOCB_CMD_PWRITE = 1;
const IOCB_CMD_FSYNC = 2;
const IOCB_CMD_FDSYNC = 3;
const IOCB_CMD_POLL = 5;
const IOCB_CMD_PREADV = 7;
const IOCB_CMD_PWRITEV = 8;
const IOCB_FLAG_RESFD = 1;
/** RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND; RWF_NOWAIT cannot be honoured here. */
const RWF_SUPPORTED = 0x1f;
const RWF_NOWAIT = 8;

interface AioTable {
  /** mm->ioctx_table by context id (the ring address). */
  readonly byAddr: Map<number, AioContext>;
}

/** The contexts of each address space (a forked child starts with none, as mm_init leaves it). */
const tables = new WeakMap<MemoryMap, AioTable>();
/** aio_nr: the max_reqs of every context of the kernel, against aio-max-nr. */
const aioNr = new WeakMap<object, { n: number }>();

function tableOf(mm: MemoryMap): AioTable {
  let t = tables.get(mm);
  if (t === undefined) {
    t = { byAddr: new Map() };
    tables.set(mm, t);
  }
  return t;
}

function lookup(ctx: SyscallContext, id: number): AioContext | undefined {
  const k = tables.get(ctx.mm)?.byAddr.get(id);
  return k === undefined || k.dead ? undefined : k;
}

function nrOf(ctx: SyscallContext): { n: number } {
  let c = aioNr.get(ctx.kernel);
  if (c === undefined) {
    c = { n: 0 };
    aioNr.set(ctx.kernel, c);
  }
  return c;
}

// ---- io_setup / io_destroy ----

/** io_setup(nr_events, ctxp): *ctxp must be 0; the ring's address goes there (u32 in a compat call). */
function sysIoSetup(ctx: SyscallContext, a: readonly number[]): number {
  const nrEvents = a[0]! >>> 0;
  const ctxp = a[1]!;
  const cur = ctx.compat ? readU32(ctx.mem, ctxp) : readU64(ctx.mem, ctxp);
  if (cur === null) return EFAULT;
  if (cur !== 0 || nrEvents === 0) return EINVAL;
  // ioctx_alloc: room for the per-CPU batches, then the overflow and global limits.
  let n = Math.max(nrEvents, POSSIBLE_CPUS * 4) * 2;
  if (n > 0x10000000 / IO_EVENT) return EINVAL;
  const total = nrOf(ctx);
  if (nrEvents > AIO_MAX_NR || total.n + nrEvents > AIO_MAX_NR) return EAGAIN;
  // aio_setup_ring: two more events ("1 is required, 2 for good luck"), rounded up to whole pages.
  n += 2;
  const size = Math.ceil((RING_HEADER + n * IO_EVENT) / PAGE) * PAGE;
  const nr = (size - RING_HEADER) / IO_EVENT;
  const ring = new ShmemObject(ctx.mm.as.phys, '/[aio] (deleted)', SHMEM_DEV, nextShmemIno(), size);
  ring.get();
  const addr = doMmap(ctx.mm, {
    addr: 0,
    len: size,
    prot: M.PROT_READ | M.PROT_WRITE,
    flags: M.MAP_SHARED,
    off: 0,
    file: { backing: ring, readable: true, writable: true },
    caller: mmCaller(ctx),
    compat: ctx.compat,
    personality: ctx.task.personality,
    pools: hugetlbPoolsOf(ctx.kernel),
  });
  if (addr < 0) {
    ring.put();
    return ENOMEM;
  }
  const table = tableOf(ctx.mm);
  let id = 0;
  const used = new Set([...table.byAddr.values()].map((k) => k.id));
  while (used.has(id)) id++;
  const k = new AioContext(id, addr, size, nr, nrEvents, ring);
  const header = new Uint8Array(RING_HEADER);
  const h = new DataView(header.buffer);
  h.setUint32(R_ID, id, true);
  h.setUint32(R_NR, nr, true);
  h.setUint32(16, AIO_RING_MAGIC, true);
  h.setUint32(20, AIO_RING_COMPAT_FEATURES, true);
  h.setUint32(24, AIO_RING_INCOMPAT_FEATURES, true);
  h.setUint32(28, RING_HEADER, true);
  ring.writeAt(0, header, 0, RING_HEADER);
  table.byAddr.set(addr, k);
  total.n += nrEvents;
  const ok = ctx.compat ? writeU32(ctx.mem, ctxp, addr) : writeU64(ctx.mem, ctxp, addr);
  if (!ok) {
    killContext(ctx, k);
    return EFAULT;
  }
  return 0;
}

/** kill_ioctx: the context leaves the table, pending polls end, waiters wake, the ring is unmapped. */
function killContext(ctx: SyscallContext, k: AioContext): void {
  k.dead = true;
  tables.get(ctx.mm)?.byAddr.delete(k.addr);
  nrOf(ctx).n -= k.maxReqs;
  for (const p of [...k.polls.values()]) p.cancel();
  k.waitQueue.wakeAll();
  // vm_munmap(ctx->mmap_base, ctx->mmap_size): whatever is mapped there now.
  ctx.mm.munmap(k.addr / PAGE, (k.addr + k.size) / PAGE);
  k.ring.put();
}

function sysIoDestroy(ctx: SyscallContext, a: readonly number[]): number {
  const k = lookup(ctx, a[0]!);
  if (k === undefined) return EINVAL;
  killContext(ctx, k);
  return 0;
}

// ---- io_submit ----

/** The fields of a user iocb that io_submit_one reads. */
interface Iocb {
  /** io_event.data and .obj as the completion writes them (the rest is filled at completion). */
  readonly event: Uint8Array;
  readonly rwFlags: number;
  readonly opcode: number;
  readonly fd: number;
  readonly buf: number;
  readonly nbytes: number;
  readonly offset: number;
  readonly flags: number;
  readonly resfd: number;
  readonly reserved2: number;
}

function parseIocb(b: Uint8Array, user: number): Iocb {
  const d = new DataView(b.buffer);
  const u64 = (off: number) => d.getUint32(off + 4, true) * 4294967296 + d.getUint32(off, true);
  const event = new Uint8Array(IO_EVENT);
  event.set(b.subarray(0, 8), 0);
  const e = new DataView(event.buffer);
  e.setUint32(8, user >>> 0, true);
  e.setUint32(12, Math.floor(user / 4294967296), true);
  return {
    event,
    rwFlags: d.getInt32(12, true),
    opcode: d.getUint16(16, true),
    fd: d.getUint32(20, true),
    buf: u64(24),
    nbytes: u64(32),
    offset: d.getInt32(44, true) * 4294967296 + d.getUint32(40, true),
    reserved2: u64(48),
    flags: d.getUint32(56, true),
    resfd: d.getUint32(60, true),
  };
}

/** aio_rw_done: an interrupted transfer completes with -EINTR. */
function rwResult(r: number): number {
  return r >= ERESTART_MIN && r <= ERESTART_MAX ? EINTR : r;
}

/** aio_read/aio_write: the checks that fail io_submit, then the transfer, whose result is the event's. */
function submitRw(
  ctx: SyscallContext,
  k: AioContext,
  f: OpenFile,
  cb: Iocb,
  resfd: EventFd | undefined,
): number | Promise<number> {
  const write = cb.opcode === IOCB_CMD_PWRITE || cb.opcode === IOCB_CMD_PWRITEV;
  const vectored = cb.opcode === IOCB_CMD_PREADV || cb.opcode === IOCB_CMD_PWRITEV;
  // aio_prep_rw: kiocb_set_rw_flags.
  if (cb.rwFlags & ~RWF_SUPPORTED || cb.rwFlags & RWF_NOWAIT) return EOPNOTSUPP;
  if (write ? !canWrite(f) : !canRead(f)) return EBADF;
  if ((write ? f.write : f.read) === undefined) return EINVAL;
  let segs: Seg[];
  let total: number;
  if (vectored) {
    const v = readIovecs(ctx, cb.buf, cb.nbytes > 0x7fffffff ? -1 : cb.nbytes);
    if (typeof v === 'number') return v;
    ({ segs, total } = v);
  } else {
    total = Math.min(cb.nbytes, MAX_RW_COUNT);
    segs = [{ addr: cb.buf, len: total }];
  }
  // rw_verify_area on ki_pos: a negative offset is EINVAL (pos + count overflow cannot happen below 2^53).
  if (cb.offset < 0) return EINVAL;
  const pos = f.lseek === undefined ? undefined : cb.offset;
  k.inFlight++;
  const r = write ? writeSegs(ctx, f, segs, total, pos) : readSegs(ctx, f, segs, total, pos);
  if (typeof r === 'number') {
    k.complete(cb.event, rwResult(r), resfd);
    return 0;
  }
  return r.then((n) => {
    k.complete(cb.event, rwResult(n), resfd);
    return 0;
  });
}

/** aio_fsync: the data fields must be 0 and the file must have fsync. */
function submitFsync(k: AioContext, f: OpenFile, cb: Iocb, resfd: EventFd | undefined): number {
  if (cb.buf !== 0 || cb.offset !== 0 || cb.nbytes !== 0 || cb.rwFlags !== 0) return EINVAL;
  if (f.fsync === undefined) return EINVAL;
  k.inFlight++;
  k.complete(cb.event, f.fsync(cb.opcode === IOCB_CMD_FDSYNC), resfd);
  return 0;
}

/** aio_poll: a one-shot poll whose result is the ready mask; waits on the file's queue if none is ready. */
function submitPoll(k: AioContext, f: OpenFile, cb: Iocb, user: number, resfd: EventFd | undefined): number {
  if (cb.buf > 0xffff) return EINVAL;
  if (cb.offset !== 0 || cb.nbytes !== 0 || cb.rwFlags !== 0) return EINVAL;
  // demangle_poll is the identity on arm64; errors and hang-ups are always reported.
  const events = cb.buf | POLLERR | POLLHUP;
  k.inFlight++;
  const now = vfsPoll(f) & events;
  if (now !== 0) {
    k.complete(cb.event, now, resfd);
    return 0;
  }
  let unsubscribe: (() => void) | undefined;
  const finish = (mask: number): void => {
    unsubscribe?.();
    k.polls.delete(user);
    k.complete(cb.event, mask, resfd);
  };
  unsubscribe = f.waitQueue?.subscribe(() => {
    const mask = vfsPoll(f) & events;
    if (mask !== 0) finish(mask);
  });
  // aio_poll_cancel: the request completes with whatever is ready by then (usually 0).
  k.polls.set(user, { cancel: () => finish(vfsPoll(f) & events) });
  return 0;
}

/** io_submit_one: 0 when the request was accepted (its event is in the ring or on its way), else the errno. */
function submitOne(ctx: SyscallContext, k: AioContext, user: number): number | Promise<number> {
  const raw = copyIn(ctx.mem, user, 64);
  if (raw === null) return EFAULT;
  const cb = parseIocb(raw, user);
  if (cb.reserved2 !== 0) return EINVAL;
  // (ssize_t)aio_nbytes < 0.
  if (cb.nbytes >= 2 ** 63) return EINVAL;
  if (k.available() <= 0) return EAGAIN;
  // fget: O_PATH descriptions do not count.
  const f = ioFile(ctx, cb.fd);
  if (f === undefined) return EBADF;
  let resfd: EventFd | undefined;
  if (cb.flags & IOCB_FLAG_RESFD) {
    const e = ioFile(ctx, cb.resfd);
    if (e === undefined) return EBADF;
    if (!(e instanceof EventFd)) return EINVAL;
    resfd = e;
  }
  if (!writeU32(ctx.mem, user + 8, KIOCB_KEY)) return EFAULT;
  switch (cb.opcode) {
    case IOCB_CMD_PREAD:
    case IOCB_CMD_PWRITE:
    case IOCB_CMD_PREADV:
    case IOCB_CMD_PWRITEV:
      return submitRw(ctx, k, f, cb, resfd);
    case IOCB_CMD_FSYNC:
    case IOCB_CMD_FDSYNC:
      return submitFsync(k, f, cb, resfd);
    case IOCB_CMD_POLL:
      return submitPoll(k, f, cb, user, resfd);
    default:
      return EINVAL;
  }
}

function ioFile(ctx: SyscallContext, fd: number): OpenFile | undefined {
  const O_PATH = 0o10000000;
  const f = ctx.task.files.get(fd);
  return f === undefined || f.flags & O_PATH ? undefined : f;
}

/** io_submit(ctx, nr, iocbpp): the number accepted, or the first request's errno when none was. */
function sysIoSubmit(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [id, nrIn, list] = a as [number, number, number];
  if (nrIn < 0) return EINVAL;
  const k = lookup(ctx, id);
  if (k === undefined) return EINVAL;
  const nr = Math.min(nrIn, k.nr);
  const width = ctx.compat ? 4 : 8;
  const step = (i: number): number | Promise<number> => {
    for (; i < nr; i++) {
      const user = ctx.compat ? readU32(ctx.mem, list + i * width) : readU64(ctx.mem, list + i * width);
      const r = user === null ? EFAULT : submitOne(ctx, k, user);
      if (typeof r !== 'number') {
        const at = i;
        return r.then((v) => (v < 0 ? at || v : step(at + 1)));
      }
      if (r < 0) return i || r;
    }
    return i;
  };
  return step(0);
}

// ---- io_cancel ----

function sysIoCancel(ctx: SyscallContext, a: readonly number[]): number {
  const [id, user] = a as [number, number];
  const key = readU32(ctx.mem, user + 8);
  if (key === null) return EFAULT;
  if (key !== KIOCB_KEY) return EINVAL;
  const k = lookup(ctx, id);
  if (k === undefined) return EINVAL;
  const p = k.polls.get(user);
  if (p === undefined) return EINVAL;
  p.cancel();
  // The result argument is unused: the event is always delivered through the ring.
  return EINPROGRESS;
}

// ---- io_getevents ----

/** read_events: waits (interruptibly, until the deadline) for min_nr events; returns what it got. */
async function waitEvents(
  ctx: SyscallContext,
  k: AioContext,
  minNr: number,
  nr: number,
  dst: number,
  deadlineNs: number | undefined,
): Promise<number> {
  let got = 0;
  const check = (): boolean => {
    const r = readRing(ctx, k, dst + got * IO_EVENT, nr - got);
    if (r > 0) got += r;
    let ret = r;
    if (k.dead) ret = EINVAL;
    if (got === 0) got = ret;
    return ret < 0 || got >= minNr;
  };
  const host = ctx.kernel.host;
  const release = keepHostAlive();
  try {
    for (;;) {
      if (check()) return got;
      const left = deadlineNs === undefined ? undefined : deadlineNs - host.monotonicNs();
      if (left !== undefined && left <= 0) return got;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const woken = new Promise<void>((resolve) => {
        if (left !== undefined) timer = setTimeout(resolve, Math.min(0x7fffffff, Math.ceil(left / 1e6)));
        k.waitQueue.wait().then(resolve);
      });
      const r = await waitInterruptible(ctx.task, woken);
      if (timer !== undefined) clearTimeout(timer);
      if (r === INTERRUPTED) return got;
    }
  } finally {
    release();
  }
}

/**
 * do_io_getevents after the timeout was read (undefined: none): the events got, which is 0 when a
 * signal ended the wait; the callers decide what that becomes.
 */
function doGetevents(
  ctx: SyscallContext,
  a: readonly number[],
  deadline: number | undefined,
): number | Promise<number> {
  const [id, minNr, nr, events] = a as [number, number, number, number];
  const k = lookup(ctx, id);
  if (k === undefined) return EINVAL;
  if (minNr > nr || minNr < 0) return EINVAL;
  if (deadline !== undefined && deadline <= ctx.kernel.host.monotonicNs()) {
    const got = readRing(ctx, k, events, nr);
    return got >= 0 && k.dead ? EINVAL : got;
  }
  return waitEvents(ctx, k, minNr, nr, events, deadline);
}

/** The absolute deadline of a timeout argument (ctx.abi.timespec), undefined for none, null for -EFAULT. */
function readDeadline(ctx: SyscallContext, timeout: number): number | undefined | null {
  if (timeout === 0) return undefined;
  const ts = readTimespec(ctx, timeout);
  // timespec64_to_ktime does not validate: a zero or negative timeout polls once.
  return ts === null ? null : ctx.kernel.host.monotonicNs() + ts.sec * 1e9 + ts.nsec;
}

/** io_getevents(ctx, min_nr, nr, events, timeout): the timeout is ctx.abi.timespec (old_timespec32 in compat). */
function sysIoGetevents(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const deadline = readDeadline(ctx, a[4]!);
  if (deadline === null) return EFAULT;
  // A wait that ended with nothing because of a signal is -EINTR (never restarted).
  return andThen(doGetevents(ctx, a, deadline), (got) => (got === 0 && signalPending(ctx.task) ? EINTR : got));
}

/**
 * io_pgetevents(..., usig): usig is a struct __aio_sigset {sigmask, sigsetsize} (two u32 in a compat
 * call), whose mask is blocked for the wait; a wait a signal ends with nothing is -ERESTARTNOHAND.
 */
function sysIoPgetevents(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const deadline = readDeadline(ctx, a[4]!);
  if (deadline === null) return EFAULT;
  let mask = 0;
  let size = 0;
  if (a[5]! !== 0) {
    const w = ctx.compat ? 4 : 8;
    const sig = copyIn(ctx.mem, a[5]!, 2 * w);
    if (sig === null) return EFAULT;
    const d = new DataView(sig.buffer);
    const word = (at: number) =>
      w === 4 ? d.getUint32(at, true) : d.getUint32(at + 4, true) * 4294967296 + d.getUint32(at, true);
    mask = word(0);
    size = word(w);
  }
  const err = setUserSigmaskFrom(ctx, mask, size);
  if (err < 0) return err;
  return andThen(doGetevents(ctx, a, deadline), (got) => {
    const interrupted = signalPending(ctx.task);
    restoreSigmaskUnless(ctx.task, interrupted);
    return interrupted && got === 0 ? ERESTARTNOHAND : got;
  });
}

export const AIO_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'io_setup', args: ['uint', 'ptr'], handler: sysIoSetup, compatAware: true },
  { name: 'io_destroy', args: ['ulong'], handler: sysIoDestroy, compatAware: true },
  {
    name: 'io_submit',
    args: ['ulong', 'long', 'ptr'],
    handler: sysIoSubmit,
    compatAware: true,
    level: 'partial',
    note: 'reads, writes and fsyncs complete inside io_submit (a read that blocks blocks the submitter); POLL completes when ready',
  },
  {
    name: 'io_cancel',
    args: ['ulong', 'ptr', 'ptr'],
    handler: sysIoCancel,
    compatAware: true,
    level: 'partial',
    note: 'only a pending POLL can be cancelled (the others have completed)',
  },
  { name: 'io_getevents', args: ['ulong', 'long', 'long', 'ptr', 'ptr'], handler: sysIoGetevents, compatAware: true },
  {
    name: 'io_pgetevents',
    args: ['ulong', 'long', 'long', 'ptr', 'ptr', 'ptr'],
    handler: sysIoPgetevents,
    compatAware: true,
  },
];
