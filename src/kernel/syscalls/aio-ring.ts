/**
 * The AIO ring (fs/aio.c struct aio_ring and its io_events) and the context that owns it: where
 * completions are appended (aio_complete) and whence io_getevents takes them
 * (aio_read_events_ring). The ring lives in a shmem object mapped into the process; the kernel
 * side reads and writes the object, the process its mapping.
 */
import type { EventFd } from '../fs/eventfd.js';
import type { ShmemObject } from '../mm/shmem.js';
import { WaitQueue } from '../task/wait-queue.js';
import type { SyscallContext } from './syscall-types.js';
import { copyOut } from './uaccess.js';

const EFAULT = -14;

export const AIO_RING_MAGIC = 0xa10a10a1;
export const AIO_RING_COMPAT_FEATURES = 1;
export const AIO_RING_INCOMPAT_FEATURES = 0;
/** sizeof(struct aio_ring) and sizeof(struct io_event). */
export const RING_HEADER = 32;
export const IO_EVENT = 32;
/** Ring header offsets. */
export const R_ID = 0;
export const R_NR = 4;
export const R_HEAD = 8;
export const R_TAIL = 12;

interface PendingPoll {
  cancel(): void;
}

interface PendingPoll {
  cancel(): void;
}

/** A kioctx: one ring and what is on its way into it. */
export class AioContext {
  readonly waitQueue = new WaitQueue();
  /** The kernel's tail (ctx->tail): the next event goes there. */
  tail = 0;
  /** Requests submitted and not yet completed (they hold ring slots). */
  inFlight = 0;
  dead = false;
  /** Pending POLL requests by the user iocb address (cancellable). */
  readonly polls = new Map<number, PendingPoll>();

  constructor(
    readonly id: number,
    readonly addr: number,
    readonly size: number,
    readonly nr: number,
    readonly maxReqs: number,
    readonly ring: ShmemObject,
  ) {}

  u32(off: number): number {
    const b = new Uint8Array(4);
    this.ring.readAt(off, b, 0, 4);
    return new DataView(b.buffer).getUint32(0, true);
  }

  setU32(off: number, v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.ring.writeAt(off, b, 0, 4);
  }

  /** Free ring slots: one stays empty so head == tail means "no events" (reqs_available). */
  available(): number {
    const head = this.u32(R_HEAD) % this.nr;
    const inRing = (this.tail - head + this.nr) % this.nr;
    return this.nr - 1 - this.inFlight - inRing;
  }

  /** aio_complete: the event at tail, then the new tail, then the waiters. */
  complete(ev: Uint8Array, res: number, resfd: EventFd | undefined): void {
    this.inFlight--;
    if (!this.dead) {
      const d = new DataView(ev.buffer, ev.byteOffset, IO_EVENT);
      // io_event: data (8), obj (8), res (8), res2 (8, always 0).
      d.setUint32(16, res >>> 0, true);
      d.setInt32(20, Math.floor(res / 4294967296), true);
      d.setUint32(24, 0, true);
      d.setUint32(28, 0, true);
      this.ring.writeAt(RING_HEADER + this.tail * IO_EVENT, ev, 0, IO_EVENT);
      this.tail = (this.tail + 1) % this.nr;
      this.setU32(R_TAIL, this.tail);
    }
    if (resfd !== undefined) signalEventfd(resfd);
    this.waitQueue.wakeAll();
  }
}

/** eventfd_signal(ctx, 1): the counter saturates at ULLONG_MAX. */
function signalEventfd(ev: EventFd): void {
  if (ev.count < 0xffff_ffff_ffff_ffffn) ev.count += 1n;
  ev.waitQueue.wakeAll();
}

/** aio_read_events_ring: copies up to max events from head to the user array; the count or -EFAULT. */
export function readRing(ctx: SyscallContext, k: AioContext, dst: number, max: number): number {
  let head = k.u32(R_HEAD);
  let tail = k.u32(R_TAIL);
  if (head === tail) return 0;
  head %= k.nr;
  tail %= k.nr;
  let got = 0;
  let err = 0;
  while (got < max && head !== tail) {
    const run = Math.min((head <= tail ? tail : k.nr) - head, max - got);
    const b = new Uint8Array(run * IO_EVENT);
    k.ring.readAt(RING_HEADER + head * IO_EVENT, b, 0, b.length);
    if (!copyOut(ctx.mem, dst + got * IO_EVENT, b)) {
      err = EFAULT;
      break;
    }
    got += run;
    head = (head + run) % k.nr;
  }
  k.setU32(R_HEAD, head);
  return err < 0 ? err : got;
}
