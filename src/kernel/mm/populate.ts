/**
 * Faulting pages in ahead of use: mm_populate (MAP_POPULATE, MAP_LOCKED, mlock, mlockall) and
 * madvise(MADV_POPULATE_READ/WRITE).
 */
import { PTE_R, PTE_W } from '../../memory/address-space.js';
import { Access, FaultResult } from '../../memory/guest-fault.js';
import { ERRNO } from '../abi/errno.js';
import type { MemoryMap } from './memory-map.js';
import { VM_ACCESS_FLAGS, VM_IO, VM_LOCKONFAULT, VM_PFNMAP, VM_READ, VM_SHARED, VM_WRITE } from './vma.js';

const ENOMEM = -ERRNO.ENOMEM;
const EFAULT = -ERRNO.EFAULT;
const EINVAL = -ERRNO.EINVAL;

/**
 * A page could not be populated: -ENOMEM when the memory cap stopped it (the call fails cleanly, so
 * the fault's out-of-memory mark is cleared and nobody is OOM-killed), else -EFAULT.
 */
function failed(mm: MemoryMap, capFailuresBefore: number): number {
  if (mm.as.phys.capFailures === capFailuresBefore) return EFAULT;
  mm.outOfMemory = false;
  return ENOMEM;
}

/** Makes page vpn present for the access; 0, or the FaultResult that stopped it. */
function touch(mm: MemoryMap, vpn: number, write: boolean): FaultResult {
  const e = mm.as.pte(vpn);
  if (e >= 0 && e & (write ? PTE_W : PTE_R)) return FaultResult.Resolved;
  return mm.resolveFault(vpn, write ? Access.Write : Access.Read);
}

/**
 * __mm_populate over pages [start, end): every accessible VMA that is not lock-on-fault is faulted
 * in — written (breaking copy-on-write) when it is private and writable, read otherwise. Holes are
 * skipped. Returns 0, -ENOMEM (out of memory) or -EFAULT (a page beyond the end of a file).
 */
export function populate(mm: MemoryMap, start: number, end: number, _ignoreErrors: boolean): number {
  for (const v of mm.overlapping(start, end)) {
    if (v.vmFlags & (VM_IO | VM_PFNMAP | VM_LOCKONFAULT) || !(v.vmFlags & VM_ACCESS_FLAGS)) continue;
    const write = (v.vmFlags & (VM_WRITE | VM_SHARED)) === VM_WRITE;
    const to = Math.min(end, v.end);
    for (let p = Math.max(start, v.start); p < to; p++) {
      const failures = mm.as.phys.capFailures;
      if (touch(mm, p, write) === FaultResult.Resolved) continue;
      return failed(mm, failures);
    }
  }
  return 0;
}

/**
 * madvise_populate: pages [start, end) are faulted in for reading or writing. A hole is -ENOMEM,
 * a VMA without the access -EINVAL, a SIGBUS (beyond the end of a file, hugetlb pool empty) -EFAULT.
 */
export function madvisePopulate(mm: MemoryMap, start: number, end: number, write: boolean): number {
  let p = start;
  while (p < end) {
    const v = mm.find(p);
    if (v === undefined) return ENOMEM;
    if (v.vmFlags & (VM_IO | VM_PFNMAP)) return EINVAL;
    if (write ? !(v.vmFlags & VM_WRITE) : !(v.vmFlags & VM_READ)) return EINVAL;
    const to = Math.min(end, v.end);
    for (; p < to; p++) {
      const failures = mm.as.phys.capFailures;
      if (touch(mm, p, write) === FaultResult.Resolved) continue;
      return failed(mm, failures);
    }
  }
  return 0;
}
