/**
 * The page-fault handler (Linux's handle_mm_fault, as far as a user-mode emulator needs it): called
 * by the memory layer on a page-table miss or a permission miss.
 *
 * - No VMA: the stack may grow into the gap below it; otherwise SEGV_MAPERR.
 * - A VMA without the access: SEGV_ACCERR (PROT_NONE, a write to a read-only mapping, exec of a
 *   non-executable one). Reads are allowed by any of read, write or exec (arm64 has no write-only
 *   or execute-only user pages on the hardware Linux targets by default).
 * - Private anonymous memory: reads map the shared zero frame, writes a fresh frame.
 * - File and shmem pages come from the object's page cache: shared mappings map the cached frame
 *   (first read-only, so the first write marks the page dirty), private ones map it read-only and
 *   copy it on the first write. A page wholly beyond the end of the object is SIGBUS.
 * - A write to a present read-only page: copy-on-write unless the frame is the mapping's alone.
 * Running out of emulator memory ends in SIGBUS with MemoryMap.outOfMemory set; the kernel loop then
 * OOM-kills the process instead (oom.ts).
 */
import { PTE_W } from '../../memory/address-space.js';
import { Access, FaultResult } from '../../memory/guest-fault.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../abi/mman.js';
import { type MemoryMap, newAnonId, pteBits } from './memory-map.js';
import { NO_QUOTA, pageCacheOf } from './page-cache.js';
import { isShared, PAGE, type Vma } from './vma.js';

export function resolveFault(mm: MemoryMap, vpn: number, access: Access): FaultResult {
  let v = mm.find(vpn);
  if (v === undefined) {
    v = mm.expandStack(vpn);
    if (v === undefined) return FaultResult.MapErr;
  }
  const need =
    access === Access.Write ? PROT_WRITE : access === Access.Exec ? PROT_EXEC : PROT_READ | PROT_WRITE | PROT_EXEC;
  if ((v.prot & need) === 0) return FaultResult.AccErr;
  const as = mm.as;
  const phys = as.phys;
  const e = as.pte(vpn);
  if (e >= 0) {
    if (access !== Access.Write) {
      // The entry lacks a permission the VMA grants (it was set before an mprotect): refresh it.
      as.setPerms(vpn, pteBits(v.prot, (e & PTE_W) !== 0));
      return FaultResult.Resolved;
    }
    const frame = Math.floor(e / 8);
    if (isShared(v)) {
      if (v.file !== undefined) pageCacheOf(v.file, phys).markDirty(pageIndex(v, vpn));
      as.setPerms(vpn, pteBits(v.prot, true));
      return FaultResult.Resolved;
    }
    if (frame !== 0 && phys.refCount(frame) === 1) {
      as.setPerms(vpn, pteBits(v.prot, true));
      return FaultResult.Resolved;
    }
    const nf = phys.alloc();
    if (nf < 0) return outOfMemory(mm);
    if (frame !== 0) phys.copyFrame(nf, frame);
    if (v.anon === 0) v.anon = newAnonId();
    as.setPte(vpn, nf, pteBits(v.prot, true));
    return FaultResult.Resolved;
  }
  if (v.file === undefined) {
    if (v.anon === 0) v.anon = newAnonId();
    if (access !== Access.Write) {
      as.setPte(vpn, 0, pteBits(v.prot, false));
      return FaultResult.Resolved;
    }
    const nf = phys.alloc();
    if (nf < 0) return outOfMemory(mm);
    as.setPte(vpn, nf, pteBits(v.prot, true));
    return FaultResult.Resolved;
  }
  const cache = pageCacheOf(v.file, phys);
  const idx = pageIndex(v, vpn);
  // One size query per fault: a host file's size is an fstat.
  const size = cache.size();
  if (idx * PAGE >= size) return FaultResult.BusErr;
  const frame = cache.page(idx, size);
  if (frame === NO_QUOTA) return FaultResult.BusErr;
  if (frame < 0) return outOfMemory(mm);
  if (isShared(v)) {
    const write = access === Access.Write;
    if (write) cache.markDirty(idx);
    phys.ref(frame);
    as.setPte(vpn, frame, pteBits(v.prot, write));
    return FaultResult.Resolved;
  }
  if (access === Access.Write) {
    const nf = phys.alloc();
    if (nf < 0) return outOfMemory(mm);
    phys.copyFrame(nf, frame);
    if (v.anon === 0) v.anon = newAnonId();
    as.setPte(vpn, nf, pteBits(v.prot, true));
    return FaultResult.Resolved;
  }
  phys.ref(frame);
  as.setPte(vpn, frame, pteBits(v.prot, false));
  return FaultResult.Resolved;
}

/** The object page mapped at vpn by v. */
export function pageIndex(v: Vma, vpn: number): number {
  return v.offset / PAGE + (vpn - v.start);
}

function outOfMemory(mm: MemoryMap): FaultResult {
  mm.outOfMemory = true;
  return FaultResult.BusErr;
}
