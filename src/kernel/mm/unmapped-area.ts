/**
 * Choosing addresses: Linux's generic_get_unmapped_area(_topdown), vm_unmapped_area and
 * __thp_get_unmapped_area over the VMA tree's gap searches.
 */
import { ERRNO } from '../abi/errno.js';
import type { MmapLimits } from './mmap-layout.js';
import { PAGE } from './vma.js';
import { startGap, type VmaTree } from './vma-tree.js';

/**
 * mmap_min_addr on Debian's arm64 kernels: max(CONFIG_DEFAULT_MMAP_MIN_ADDR = 4096,
 * CONFIG_LSM_MMAP_MIN_ADDR = 32768). Searches, hints and stack growth stay at or above it.
 */
export const MMAP_MIN_ADDR = 32768;
/**
 * dac_mmap_min_addr (what vm.mmap_min_addr shows): below it a MAP_FIXED mapping needs
 * CAP_SYS_RAWIO (-EPERM otherwise) — on Debian arm64 only page 0.
 */
export const DAC_MMAP_MIN_ADDR = 4096;
const MMAP_MIN_PAGE = MMAP_MIN_ADDR / PAGE;
/** HPAGE_PMD_SIZE with 4 KiB pages. */
const THP_SIZE = 2 * 1024 * 1024;
const ENOMEM = -ERRNO.ENOMEM;

/**
 * get_unmapped_area for len bytes (page aligned): a hint is taken when it fits below the limits'
 * task size, at or above mmap_min_addr, clear of other VMAs and of a stack's guard gap; otherwise
 * top-down below mmap_base with a bottom-up fallback (or bottom-up from the legacy base). The
 * search asks for len + alignment - 1 pages and aligns inside the gap found, as vm_unmapped_area
 * does. alignPages (a power of two) is the huge page size for hugetlbfs. Returns the address or
 * -ENOMEM.
 */
export function getUnmappedArea(tree: VmaTree, len: number, hint: number, limits: MmapLimits, alignPages = 1): number {
  const pages = len / PAGE;
  const taskPages = limits.taskSize / PAGE;
  if (pages > taskPages - MMAP_MIN_PAGE) return ENOMEM;
  if (hint !== 0) {
    const h = Math.ceil(hint / (PAGE * alignPages)) * alignPages;
    const above = tree.findAfter(h);
    const below = above === undefined ? tree.findBefore(Number.POSITIVE_INFINITY) : tree.prev(above);
    if (
      taskPages - pages >= h &&
      h >= MMAP_MIN_PAGE &&
      (above === undefined || h + pages <= startGap(above)) &&
      (below === undefined || h >= below.end)
    )
      return h * PAGE;
  }
  const mask = alignPages - 1;
  const search = pages + mask;
  if (limits.topDown) {
    const gapEnd = tree.highestGap(MMAP_MIN_PAGE, limits.mmapBase / PAGE, search);
    if (gapEnd >= 0) {
      const a = gapEnd - pages;
      return (a - (a & mask)) * PAGE;
    }
    const low = Math.max(MMAP_MIN_PAGE, limits.fallbackBase / PAGE);
    const gapStart = tree.lowestGap(low, taskPages, search);
    return gapStart < 0 ? ENOMEM : (gapStart + (-gapStart & mask)) * PAGE;
  }
  const low = Math.max(MMAP_MIN_PAGE, limits.legacyBase / PAGE);
  const gapStart = tree.lowestGap(low, taskPages, search);
  return gapStart < 0 ? ENOMEM : (gapStart + (-gapStart & mask)) * PAGE;
}

/**
 * __thp_get_unmapped_area (Linux 6.12, CONFIG_TRANSPARENT_HUGEPAGE): a native mapping of at least
 * one PMD-aligned 2 MiB span of its object (anonymous private memory whose length is a multiple of
 * 2 MiB, or a host file) is searched 2 MiB longer and then placed at the 2 MiB boundary that
 * matches its offset, so transparent huge pages can back it. undefined = no such placement; the
 * caller then searches normally.
 */
export function thpUnmappedArea(
  tree: VmaTree,
  len: number,
  hint: number,
  limits: MmapLimits,
  off: number,
): number | undefined {
  const size = THP_SIZE;
  const offAlign = Math.ceil(off / size) * size;
  if (off + len <= offAlign || off + len - offAlign < size) return undefined;
  const r = getUnmappedArea(tree, len + size, hint, limits);
  if (r < 0) return undefined;
  if (r === Math.ceil(hint / PAGE) * PAGE && hint !== 0) return r;
  const sub = (((off - r) % size) + size) % size;
  if (limits.topDown && sub === 0) return r + size;
  return r + sub;
}
