/**
 * fork's copy of an address space (dup_mmap, Linux 6.12): every VMA is copied except those marked
 * MADV_DONTFORK; private pages are shared copy-on-write (the frame's reference count goes up and
 * both sides' entries lose write permission, so the first write on either side copies), shared
 * pages stay shared; MADV_WIPEONFORK areas start empty in the child. Memory locks (VM_LOCKED and
 * mlockall's MCL_FUTURE) are not inherited.
 */
import type { AddressSpace } from '../../memory/address-space.js';
import { PTE_W } from '../../memory/address-space.js';
import { MemoryMap, newAnonId } from './memory-map.js';
import { isShared, type Vma, VM_DONTCOPY, VM_LOCKED_MASK, VM_WIPEONFORK } from './vma.js';

export function forkMemoryMap(parent: MemoryMap, childAs: AddressSpace): MemoryMap {
  const child = new MemoryMap(childAs, parent.layout);
  child.brkStart = parent.brkStart;
  child.brk = parent.brk;
  child.stackLimit = parent.stackLimit;
  child.rlimits = parent.rlimits;
  child.maxMapCount = parent.maxMapCount;
  const copies = new Map<Vma, Vma | undefined>();
  for (const v of parent.all()) {
    if (v.vmFlags & VM_DONTCOPY) {
      copies.set(v, undefined);
      continue;
    }
    const wipe = (v.vmFlags & VM_WIPEONFORK) !== 0;
    const c: Vma = {
      ...v,
      vmFlags: v.vmFlags & ~VM_LOCKED_MASK,
      // The child gets its own anon_vma (none for a wiped area, which starts empty).
      anon: v.anon !== 0 && !wipe ? newAnonId() : 0,
    };
    child.insertCopy(c);
    copies.set(v, wipe ? undefined : c);
  }
  // One pass over the parent's present pages; consecutive pages mostly share a VMA.
  const pas = parent.as;
  const phys = pas.phys;
  let v: Vma | undefined;
  const pages: [number, number][] = [...pas.presentPages()];
  for (const [vpn, e] of pages) {
    if (v === undefined || vpn < v.start || vpn >= v.end) v = parent.find(vpn);
    if (v === undefined || copies.get(v) === undefined) continue;
    const frame = Math.floor(e / 8);
    if (frame !== 0) phys.ref(frame);
    if (isShared(v) || !(e & PTE_W)) {
      childAs.setPte(vpn, frame, e % 8);
      continue;
    }
    pas.setPerms(vpn, (e % 8) & ~PTE_W);
    childAs.setPte(vpn, frame, (e % 8) & ~PTE_W);
  }
  return child;
}
