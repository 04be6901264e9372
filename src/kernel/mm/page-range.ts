/**
 * Walking the present pages of a range of the page table. The table holds only touched pages, so a
 * huge sparse range (a 1 TiB PROT_NONE reservation) is walked through the present entries rather
 * than page by page: the cost is O(min(range, present pages)), never O(size of the reservation).
 */
import type { AddressSpace } from '../../memory/address-space.js';

/** Calls fn(vpn, pte) for every present page in [start, end), in no particular order. */
export function forEachPresent(
  as: AddressSpace,
  start: number,
  end: number,
  fn: (vpn: number, pte: number) => void,
): void {
  if (end <= start) return;
  if (end - start <= as.presentCount) {
    for (let p = start; p < end; p++) {
      const e = as.pte(p);
      if (e >= 0) fn(p, e);
    }
    return;
  }
  // Collect first: fn may change the table.
  const hits: number[] = [];
  for (const [vpn, e] of as.presentPages()) if (vpn >= start && vpn < end) hits.push(vpn, e);
  for (let i = 0; i < hits.length; i += 2) fn(hits[i]!, hits[i + 1]!);
}

/** Unmaps every present page in [start, end), dropping the frame references. */
export function clearRange(as: AddressSpace, start: number, end: number): void {
  forEachPresent(as, start, end, (vpn) => as.clearPte(vpn));
}

/** Number of present pages in [start, end). */
export function countPresent(as: AddressSpace, start: number, end: number): number {
  let n = 0;
  forEachPresent(as, start, end, () => {
    n++;
  });
  return n;
}
