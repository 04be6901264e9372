/**
 * The hugetlb pool (Linux's hstate and nr_hugepages): a fixed number of huge pages that hugetlbfs
 * files, MAP_HUGETLB mappings, SHM_HUGETLB segments and memfd_create(MFD_HUGETLB) draw from.
 *
 * compat64 models the accounting, not physical contiguity: a huge page is taken from the pool when
 * any of its 4 KiB pages is first touched, and its small frames are allocated lazily. A mapping made
 * without MAP_NORESERVE reserves the huge pages it covers when it is created (mmap fails with
 * ENOMEM when the pool cannot cover it); a fault that finds the pool empty is SIGBUS, as on Linux.
 * arm64 with 4 KiB pages knows four huge page sizes (64 KiB, 2 MiB, 32 MiB, 1 GiB); only the
 * default 2 MiB one has pages: 64 unless --hugepages says otherwise.
 */
import type { PhysicalMemory } from '../../memory/physical-memory.js';
import type { PageQuota } from './page-cache.js';
import { PAGE } from './vma.js';

export const HPAGE_2M = 2 * 1024 * 1024;
/** Huge page sizes arm64 registers with 4 KiB pages, as log2 (MAP_HUGE_SHIFT encodings). */
const ARM64_HUGE_LOGS = [16, 21, 25, 30];
export const DEFAULT_HUGE_PAGES = 64;

export class HugetlbPool {
  /** nr_hugepages. */
  total: number;
  /** Pages not in use (HugePages_Free, reserved ones included). */
  free: number;
  /** Pages promised to mappings but not yet faulted in (HugePages_Rsvd). */
  reserved = 0;

  constructor(
    readonly pageSize: number,
    pages: number,
  ) {
    this.total = pages;
    this.free = pages;
  }

  /** 4 KiB pages per huge page. */
  get smallPages(): number {
    return this.pageSize / PAGE;
  }

  /** Changes nr_hugepages (pages in use stay in use). */
  resize(pages: number): void {
    const used = this.total - this.free;
    this.total = Math.max(pages, used);
    this.free = this.total - used;
  }

  /** The accounting of one hugetlbfs object: which of its huge pages are allocated or reserved. */
  quotaFor(): HugeQuota {
    return new HugeQuota(this);
  }
}

/** Per-object huge page accounting (the inode's reservation map and its allocated pages). */
export class HugeQuota implements PageQuota {
  private readonly allocated = new Set<number>();
  private readonly reservedPages = new Set<number>();

  constructor(readonly pool: HugetlbPool) {}

  /**
   * Reserves the huge pages [first, first+count) of the object that are neither allocated nor
   * reserved yet (hugetlb_reserve_pages); false when the pool cannot cover them.
   */
  reserve(first: number, count: number): boolean {
    const need: number[] = [];
    for (let h = first; h < first + count; h++) if (!this.allocated.has(h) && !this.reservedPages.has(h)) need.push(h);
    if (this.pool.free - this.pool.reserved < need.length) return false;
    for (const h of need) this.reservedPages.add(h);
    this.pool.reserved += need.length;
    return true;
  }

  allocate(idx: number): boolean {
    const h = Math.floor(idx / this.pool.smallPages);
    if (this.allocated.has(h)) return true;
    if (this.reservedPages.delete(h)) {
      this.pool.reserved--;
    } else if (this.pool.free - this.pool.reserved <= 0) {
      return false;
    }
    this.pool.free--;
    this.allocated.add(h);
    return true;
  }

  release(fromIdx: number): void {
    const firstHuge = Math.ceil(fromIdx / this.pool.smallPages);
    for (const h of this.allocated) {
      if (h >= firstHuge) {
        this.allocated.delete(h);
        this.pool.free++;
      }
    }
    for (const h of this.reservedPages) {
      if (h >= firstHuge) {
        this.reservedPages.delete(h);
        this.pool.reserved--;
      }
    }
  }
}

/** The hugetlb pools of one kernel: the default 2 MiB one and empty ones for the other sizes. */
export class HugetlbPools {
  private readonly pools = new Map<number, HugetlbPool>();

  constructor(defaultPages = DEFAULT_HUGE_PAGES) {
    for (const log of ARM64_HUGE_LOGS) this.pools.set(log, new HugetlbPool(2 ** log, log === 21 ? defaultPages : 0));
  }

  /** The default (2 MiB) pool. */
  get default(): HugetlbPool {
    return this.pools.get(21)!;
  }

  /** hstate_sizelog: log2 of the size from the MAP_HUGE, SHM_HUGE or MFD_HUGE bits (0 = default), or undefined (-EINVAL). */
  bySizeLog(log: number): HugetlbPool | undefined {
    return log === 0 ? this.default : this.pools.get(log);
  }
}

/** Most 2 MiB huge pages a machine with this much memory can have (nr_hugepages stops there on Linux too). */
export function maxHugePages(memoryBytes: number): number {
  return Math.floor(memoryBytes / HPAGE_2M);
}

/** The --hugepages option (nr_hugepages of the default pool) as it reaches the kernel's options. */
export interface HugePagesOption {
  /** Size of the 2 MiB hugetlb pool in pages (default 64). */
  readonly hugePages?: number;
}

/**
 * What the pools hang off: a kernel. Its options may carry HugePagesOption (runProgram passes its
 * RunOptions on as the kernel's options); its memory caps the pool.
 */
export interface PoolOwner {
  readonly options?: object;
  readonly phys?: PhysicalMemory;
}

const poolsByOwner = new WeakMap<object, HugetlbPools>();

/**
 * The hugetlb pools of a kernel, made on first use. The default pool has options.hugePages pages
 * (--hugepages; 64 when absent), as many as the emulator's memory cap can hold — like writing
 * /proc/sys/vm/nr_hugepages, which gets what memory allows.
 */
export function hugetlbPoolsOf(owner: PoolOwner): HugetlbPools {
  let p = poolsByOwner.get(owner);
  if (p === undefined) {
    const asked = (owner.options as HugePagesOption | undefined)?.hugePages;
    let pages = Math.max(0, Math.floor(asked ?? DEFAULT_HUGE_PAGES));
    if (owner.phys !== undefined) pages = Math.min(pages, maxHugePages(owner.phys.maxFrames * PAGE));
    p = new HugetlbPools(pages);
    poolsByOwner.set(owner, p);
  }
  return p;
}
