/**
 * The memory of one io_uring instance: the rings region (struct io_rings: SQ and CQ heads, tails,
 * masks, flags, the CQE array and the SQ index array) and the SQE array, as Linux allocates them
 * at io_uring_setup and io_uring_mmap hands out.
 *
 * It is one memory object whose page offsets are the mmap offsets: IORING_OFF_SQ_RING (0) and
 * IORING_OFF_CQ_RING (0x8000000) both show the rings pages (the CQ offset is folded onto the SQ
 * one, which is what IORING_FEAT_SINGLE_MMAP promises), IORING_OFF_SQES (0x10000000) the SQEs.
 * The kernel side reads and writes the frames directly, so it sees what the process stores through
 * any mapping at once, and keeps working whatever the process does to its mappings, as Linux's
 * pinned ring pages do.
 */
import type { PhysicalMemory } from '../../memory/physical-memory.js';
import { PageCache } from '../mm/page-cache.js';
import { nextShmemIno, SHMEM_DEV } from '../mm/shmem.js';
import { type FileBacking, PAGE } from '../mm/vma.js';
import { IORING_OFF_CQ_RING, IORING_OFF_SQES, type RingLayout } from './layouts.js';

const CQ_FIRST = IORING_OFF_CQ_RING / PAGE;
const SQES_FIRST = IORING_OFF_SQES / PAGE;

/** The object's page idx as stored: the CQ_RING window is the SQ_RING window. */
function fold(idx: number): number {
  return idx >= CQ_FIRST && idx < SQES_FIRST ? idx - CQ_FIRST : idx;
}

/** A shmem-like page cache (no store) whose CQ_RING pages are its SQ_RING pages. */
class RingPageCache extends PageCache {
  override page(idx: number, knownSize?: number): number {
    return super.page(fold(idx), knownSize);
  }
  override peek(idx: number): number {
    return super.peek(fold(idx));
  }
  override markDirty(idx: number): void {
    super.markDirty(fold(idx));
  }
  override isDirty(idx: number): boolean {
    return super.isDirty(fold(idx));
  }
  override resident(idx: number): boolean {
    return super.resident(fold(idx));
  }
}

export class RingMemory implements FileBacking {
  readonly cache: PageCache;
  readonly path = 'anon_inode:[io_uring]';
  readonly dev = SHMEM_DEV;
  readonly ino = nextShmemIno();
  /** The ring file and every VMA hold one reference; the pages go with the last. */
  private refs = 0;

  constructor(
    private readonly phys: PhysicalMemory,
    readonly layout: RingLayout,
  ) {
    const size = IORING_OFF_SQES + Math.ceil(layout.sqesSize / PAGE) * PAGE;
    this.cache = new RingPageCache(phys, undefined, size);
    // Allocate every page now, as io_mem_alloc does: an exhausted machine fails setup, not a later access.
    this.ok = this.touch(0, layout.ringsSize) && this.touch(IORING_OFF_SQES, layout.sqesSize);
  }

  /** Whether every page could be allocated (-ENOMEM for setup otherwise). */
  readonly ok: boolean;

  private touch(from: number, len: number): boolean {
    for (let p = from; p < from + len; p += PAGE) if (this.cache.page(p / PAGE) < 0) return false;
    return true;
  }

  readAt(pos: number, dst: Uint8Array, at: number, len: number): number {
    return this.cache.read(pos, dst, at, len);
  }

  writeAt(pos: number, src: Uint8Array, at: number, len: number): number {
    return this.cache.write(pos, src, at, len);
  }

  size(): number {
    return this.cache.size();
  }

  get(): void {
    this.refs++;
  }

  put(): void {
    if (--this.refs === 0) this.cache.release();
  }

  /** VMAs mapping the object: each holds the ring's file in Linux (vm_file), keeping the ring alive. */
  mappings = 0;
  /** Called when the last mapping goes (the ring file's deferred release). */
  onUnmapped: (() => void) | undefined;

  vmOpen(): void {
    this.mappings++;
    this.get();
  }

  vmClose(): void {
    this.mappings--;
    if (this.mappings === 0) {
      const f = this.onUnmapped;
      this.onUnmapped = undefined;
      f?.();
    }
    this.put();
  }

  /** The byte at offset off of the object in guest physical memory (pages are allocated at setup). */
  private at(off: number): number {
    const idx = Math.floor(off / PAGE);
    return this.cache.page(idx) * PAGE + (off - idx * PAGE);
  }

  /** A u32 of the rings region (4-aligned, so never across a page). */
  u32(off: number): number {
    const u8 = this.phys.u8;
    const p = this.at(off);
    return (u8[p]! | (u8[p + 1]! << 8) | (u8[p + 2]! << 16) | (u8[p + 3]! << 24)) >>> 0;
  }

  setU32(off: number, v: number): void {
    const u8 = this.phys.u8;
    const p = this.at(off);
    u8[p] = v & 0xff;
    u8[p + 1] = (v >>> 8) & 0xff;
    u8[p + 2] = (v >>> 16) & 0xff;
    u8[p + 3] = (v >>> 24) & 0xff;
  }

  /** A copy of len bytes at off (an SQE: aligned, within one page). */
  bytes(off: number, len: number): Uint8Array {
    const p = this.at(off);
    return this.phys.u8.slice(p, p + len);
  }

  /** Stores src at off (a CQE: aligned, within one page). */
  store(off: number, src: Uint8Array): void {
    this.phys.u8.set(src, this.at(off));
  }
}
