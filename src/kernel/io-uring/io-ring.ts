/**
 * One io_uring instance (Linux's struct io_ring_ctx): the shared rings and what the kernel keeps
 * beside them — its own SQ head and CQ tail, the overflow list, the requests in flight, the
 * registered buffers, files and eventfd, and the ABI the ring was created in.
 *
 * Completions are posted here (io_fill_cqe_req / io_cqring_event_overflow): into the CQ ring while
 * it has room, else onto the overflow list (IORING_FEAT_NODROP) with IORING_SQ_CQ_OVERFLOW set in
 * the SQ flags, until a later io_uring_enter flushes them in order.
 */
import { COMPAT_ABI, NATIVE_ABI } from '../abi/abi-set.js';
import { eventpollRelease } from '../fs/epoll.js';
import type { EventFd } from '../fs/eventfd.js';
import type { OpenFile } from '../fs/open-file.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { WaitQueue } from '../task/wait-queue.js';
import { CQE, IORING_SQ_CQ_OVERFLOW, type RingLayout } from './layouts.js';
import type { ProvidedBuffer } from './ops-buffers.js';
import type { Request } from './request.js';
import type { RingMemory } from './ring-memory.js';

/** A registered buffer (IORING_REGISTER_BUFFERS): READ_FIXED/WRITE_FIXED must stay inside it. */
export interface FixedBuffer {
  readonly addr: number;
  readonly len: number;
}

interface Overflowed {
  readonly userData: Uint8Array;
  readonly res: number;
  readonly flags: number;
}

/** A TIMEOUT waiting for a number of completions (sqe->off != 0). */
export interface CountedTimeout {
  readonly req: Request;
  /** Completions (timeouts excluded) posted when it is satisfied. */
  readonly target: number;
  readonly fire: () => void;
}

/** The io_uring files (io_is_uring_fops): CLOSE and REGISTER_FILES refuse them. */
const ringFiles = new WeakSet<OpenFile>();

export function markRingFile(f: OpenFile): void {
  ringFiles.add(f);
}

export function isRingFile(f: OpenFile): boolean {
  return ringFiles.has(f);
}

/** fput of a reference a registered-file table held. */
export function dropFileRef(f: OpenFile): void {
  if (--f.refs === 0) {
    eventpollRelease(f);
    f.release?.();
  }
}

/** Drops the file reference an in-flight request held (its fput at completion). */
export function putRequestFile(req: Request): void {
  const f = req.file;
  if (f === undefined) return;
  req.file = undefined;
  dropFileRef(f);
}

export class IoRing {
  /** Woken at every completion: io_uring_enter's GETEVENTS waiters and poll/epoll on the ring fd. */
  readonly waitQueue = new WaitQueue();
  /** The kernel's SQ head (cached_sq_head) and CQ tail (cached_cq_tail). */
  sqHead = 0;
  cqTail = 0;
  readonly overflow: Overflowed[] = [];
  /** Completions posted, timeouts excluded: what a counted TIMEOUT measures. */
  completions = 0;
  /** Timeouts that fired (cq_timeouts): a GETEVENTS wait ends when it changes. */
  cqTimeouts = 0;
  readonly countedTimeouts: CountedTimeout[] = [];
  /** Submitted and not yet completed, in submission order. */
  readonly pending = new Set<Request>();
  /** Chains held back by IOSQE_IO_DRAIN, in submission order. */
  readonly deferred: Request[] = [];
  nextSeq = 0;
  buffers: FixedBuffer[] | undefined;
  files: (OpenFile | undefined)[] | undefined;
  eventfd: EventFd | undefined;
  /** Provided buffers by group id (IORING_OP_PROVIDE_BUFFERS), taken in the order given. */
  readonly providedBuffers = new Map<number, ProvidedBuffer[]>();
  /** ctx->io_bl: allocated at the first PROVIDE_BUFFERS for a group below 64. */
  bgidArray = false;
  /** IORING_REGISTER_EVENTFD_ASYNC: only completions that did not happen inline signal it. */
  eventfdAsync = false;
  /** IORING_SETUP_R_DISABLED until IORING_REGISTER_ENABLE_RINGS. */
  disabled: boolean;
  dead = false;
  /** True while io_uring_enter submits: completions then are inline (IORING_REGISTER_EVENTFD_ASYNC skips them). */
  submitting = false;

  constructor(
    readonly mem: RingMemory,
    readonly layout: RingLayout,
    readonly sqEntries: number,
    readonly cqEntries: number,
    /** IORING_SETUP_* as accepted. */
    readonly flags: number,
    /** ctx->compat: created by a compat io_uring_setup, so a compat ring for life. */
    readonly compat: boolean,
  ) {
    this.disabled = false;
    const l = layout;
    mem.setU32(l.sqMask, sqEntries - 1);
    mem.setU32(l.cqMask, cqEntries - 1);
    mem.setU32(l.sqEntriesOff, sqEntries);
    mem.setU32(l.cqEntriesOff, cqEntries);
  }

  /**
   * The context requests of this ring run in: the submitter's task and memory, with the ring's
   * latched ABI — iovecs, msghdrs and registered buffers are read as the ring was created.
   */
  requestContext(ctx: SyscallContext): SyscallContext {
    if (ctx.compat === this.compat) return ctx;
    return { ...ctx, compat: this.compat, abi: this.compat ? COMPAT_ABI : NATIVE_ABI };
  }

  /** CQEs in the ring that the process has not consumed. */
  cqReady(): number {
    return (this.cqTail - this.mem.u32(this.layout.cqHead)) >>> 0;
  }

  /** SQEs the process has queued beyond the kernel's head. */
  sqReady(): number {
    return (this.mem.u32(this.layout.sqTail) - this.sqHead) >>> 0;
  }

  /** Writes one CQE at the tail if there is room; false when the ring is full. */
  private fill(userData: Uint8Array, res: number, flags: number): boolean {
    if (this.cqReady() >= this.cqEntries) return false;
    const l = this.layout;
    const cqe = new Uint8Array(l.cqeSize);
    cqe.set(userData, CQE.fields.user_data!.offset);
    const d = new DataView(cqe.buffer);
    d.setInt32(CQE.fields.res!.offset, res, true);
    d.setUint32(CQE.fields.flags!.offset, flags >>> 0, true);
    this.mem.store(l.cqes + (this.cqTail & (this.cqEntries - 1)) * l.cqeSize, cqe);
    this.cqTail = (this.cqTail + 1) >>> 0;
    this.mem.setU32(l.cqTail, this.cqTail);
    return true;
  }

  /** io_req_complete_post: the CQE (or its overflow entry), the eventfd, the waiters. */
  post(userData: Uint8Array, res: number, flags: number, inline: boolean, timeout = false): void {
    if (this.dead) return;
    if (this.overflow.length > 0 || !this.fill(userData, res, flags)) {
      this.overflow.push({ userData, res, flags });
      this.setSqFlag(IORING_SQ_CQ_OVERFLOW, true);
    }
    if (timeout) this.cqTimeouts++;
    else this.completions++;
    const ev = this.eventfd;
    // IORING_CQ_EVENTFD_DISABLED in the CQ ring's flags silences the eventfd.
    if (ev !== undefined && !(this.eventfdAsync && inline) && !(this.mem.u32(this.layout.cqFlags) & 1)) {
      if (ev.count < 0xffff_ffff_ffff_ffffn) ev.count += 1n;
      ev.waitQueue.wakeAll();
    }
    if (!timeout) this.fireCountedTimeouts();
    this.waitQueue.wakeAll();
  }

  private fireCountedTimeouts(): void {
    for (let i = 0; i < this.countedTimeouts.length; ) {
      const t = this.countedTimeouts[i]!;
      if (this.completions >= t.target) {
        this.countedTimeouts.splice(i, 1);
        t.fire();
      } else i++;
    }
  }

  /** __io_cqring_overflow_flush: overflowed completions move into the ring in order while it has room. */
  flushOverflow(): void {
    if (this.overflow.length === 0) return;
    let n = 0;
    while (n < this.overflow.length) {
      const o = this.overflow[n]!;
      if (!this.fill(o.userData, o.res, o.flags)) break;
      n++;
    }
    this.overflow.splice(0, n);
    if (this.overflow.length === 0) this.setSqFlag(IORING_SQ_CQ_OVERFLOW, false);
    if (n > 0) this.waitQueue.wakeAll();
  }

  setSqFlag(bit: number, on: boolean): void {
    const off = this.layout.sqFlags;
    const v = this.mem.u32(off);
    this.mem.setU32(off, on ? v | bit : v & ~bit);
  }

  dropFile(f: OpenFile): void {
    dropFileRef(f);
  }
}
