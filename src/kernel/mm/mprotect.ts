/** mprotect over a page range (mm/mprotect.c, do_mprotect_pkey's VMA walk, Linux 6.12). */
import { ERRNO } from '../abi/errno.js';
import type { MemoryMap, MmCaller } from './memory-map.js';
import { VM_ACCESS_FLAGS, VM_ACCOUNT, VM_HUGETLB, VM_NORESERVE, VM_SHARED, VM_WRITE } from './vma.js';

const ENOMEM = -ERRNO.ENOMEM;
const EACCES = -ERRNO.EACCES;

/**
 * mprotect over pages [start, end): VMA by VMA from start, stopping at the first hole with -ENOMEM
 * after changing what came before it, as Linux does. Each VMA must allow the new access (VM_MAY*),
 * else -EACCES. A private mapping becoming writable is charged (VM_ACCOUNT, RLIMIT_DATA). PTEs keep
 * write permission only where the page is already private to the mapping; other pages take a write
 * fault (copy-on-write, dirty tracking).
 */
export function doMprotect(
  mm: MemoryMap,
  start: number,
  end: number,
  prot: number,
  caller: MmCaller | undefined,
): number {
  let v = mm.findAfter(start);
  if (v === undefined || v.start > start) return ENOMEM;
  let at = start;
  for (;;) {
    let newFlags = (v.vmFlags & ~VM_ACCESS_FLAGS) | prot;
    // VM_MAY* sit 4 bits above VM_READ/WRITE/EXEC: every new access must be allowed.
    if (newFlags & ~(newFlags >> 4) & VM_ACCESS_FLAGS) return EACCES;
    const to = Math.min(end, v.end);
    if (newFlags & VM_WRITE) {
      const pages = to - at;
      if (!mm.mayExpand(caller, newFlags, pages) && mm.mayExpand(caller, v.vmFlags, pages)) return ENOMEM;
      if (!(v.vmFlags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE))) {
        if (!mm.enoughMemory(pages)) return ENOMEM;
        newFlags |= VM_ACCOUNT;
      }
    }
    const e = mm.modify(v, at, to, newFlags);
    if (typeof e === 'number') return e;
    mm.refreshPtes(e, at, to);
    // A merge may have taken in the following VMA (it had these flags already): go on after it.
    at = Math.max(to, e.end);
    if (at >= end) return 0;
    v = mm.next(e);
    if (v === undefined || v.start !== at) return ENOMEM;
  }
}
