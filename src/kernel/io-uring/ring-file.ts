/**
 * The "[io_uring]" anonymous-inode file io_uring_setup returns (io_uring_fops): mmap of its three
 * regions (ring-memory.ts), poll (POLLIN while completions wait, POLLOUT while the SQ has room),
 * fstat of the anon inode; no read or write (-EINVAL). The ring ends when the last fd is closed and
 * no mapping of it remains (a mapping holds the file, as vm_file does in Linux): pending requests
 * are cancelled, registered files and the eventfd let go.
 */
import { O_RDWR } from '../abi/fcntl.js';
import { anonInodePath, anonInodeStat } from '../fs/anon-inode.js';
import type { FileStat } from '../fs/host-fs.js';
import { OpenFileBase } from '../fs/open-file.js';
import { POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from '../fs/poll-mask.js';
import type { Kernel } from '../kernel.js';
import type { FileBacking } from '../mm/vma.js';
import type { WaitQueue } from '../task/wait-queue.js';
import { dropFileRef, type IoRing, markRingFile, putRequestFile } from './io-ring.js';
import { IORING_OFF_CQ_RING, IORING_OFF_SQ_RING, IORING_OFF_SQES } from './layouts.js';
import { ECANCELED } from './op-env.js';

const EINVAL = -22;
const PAGE = 4096;

export class IoUringFile extends OpenFileBase {
  readonly waitQueue: WaitQueue;

  constructor(
    private readonly kernel: Kernel,
    readonly ring: IoRing,
  ) {
    super(O_RDWR, anonInodePath('[io_uring]'));
    this.waitQueue = ring.waitQueue;
    markRingFile(this);
    ring.mem.get();
  }

  mapping(): FileBacking {
    return this.ring.mem;
  }

  /**
   * io_uring_validate_mmap_request: the offset names a region (SQ_RING and CQ_RING the rings, SQES
   * the SQEs) and the length fits the pages allocated for it (a power-of-two number of pages, as
   * io_mem_alloc's order gives). 0 or -EINVAL. The mmap path does not call this yet: the integrator
   * wires it (see the report of the io_uring helper).
   */
  mmapCheck(offset: number, len: number): number {
    const l = this.ring.layout;
    let size: number;
    if (offset === IORING_OFF_SQ_RING || offset === IORING_OFF_CQ_RING) size = l.ringsSize;
    else if (offset === IORING_OFF_SQES) size = l.sqesSize;
    else return EINVAL;
    const pages = 2 ** Math.ceil(Math.log2(Math.ceil(size / PAGE)));
    return len > pages * PAGE ? EINVAL : 0;
  }

  /** io_uring_poll. */
  poll(): number {
    const r = this.ring;
    let mask = 0;
    if (r.sqReady() < r.sqEntries) mask |= POLLOUT | POLLWRNORM;
    if (r.cqReady() > 0 || r.overflow.length > 0) mask |= POLLIN | POLLRDNORM;
    return mask;
  }

  stat(): FileStat {
    return anonInodeStat(this.kernel);
  }

  /**
   * The last fd is closed. A mapping of the ring holds the file in Linux, so while one remains the
   * ring lives on (requests complete into it) and ends when the last mapping goes.
   */
  release(): void {
    const mem = this.ring.mem;
    if (mem.mappings > 0) mem.onUnmapped = () => this.teardown();
    else this.teardown();
  }

  /** io_ring_ctx_wait_and_kill: pending requests cancelled, registrations dropped, the memory let go. */
  private teardown(): void {
    const r = this.ring;
    if (r.dead) return;
    r.dead = true;
    for (const req of [...r.pending]) {
      req.disarm?.();
      req.cancel?.(ECANCELED);
      req.done = true;
      putRequestFile(req);
    }
    r.pending.clear();
    r.deferred.length = 0;
    r.countedTimeouts.length = 0;
    for (const f of r.files ?? []) if (f !== undefined) dropFileRef(f);
    r.files = undefined;
    r.buffers = undefined;
    r.eventfd = undefined;
    r.waitQueue.wakeAll();
    r.mem.put();
  }
}
