/**
 * mremap (mm/mremap.c, Linux 6.12): shrink in place, grow in place when the pages above are free,
 * otherwise move (MREMAP_MAYMOVE) to an address chosen with the calling ABI's limits or given
 * (MREMAP_FIXED), optionally leaving the old range mapped and empty (MREMAP_DONTUNMAP). Pages move
 * with their frames: nothing is copied. A zero old length duplicates a shared mapping.
 */
import { ERRNO } from '../abi/errno.js';
import { MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE } from '../abi/mman.js';
import type { MemoryMap, MmCaller } from './memory-map.js';
import { forEachPresent } from './page-range.js';
import { populate } from './populate.js';
import {
  PAGE,
  type Vma,
  VM_ACCOUNT,
  VM_DONTEXPAND,
  VM_HUGETLB,
  VM_LOCKED,
  VM_LOCKED_MASK,
  VM_MAYSHARE,
  VM_PFNMAP,
  VM_SHARED,
} from './vma.js';

const EINVAL = -ERRNO.EINVAL;
const EFAULT = -ERRNO.EFAULT;
const ENOMEM = -ERRNO.ENOMEM;
const EAGAIN = -ERRNO.EAGAIN;
const TASK_SIZE_64 = 2 ** 48;

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

export function mremap(
  mm: MemoryMap,
  caller: MmCaller,
  addr: number,
  oldLen: number,
  newLen: number,
  flags: number,
  newAddr: number,
): number {
  if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) return EINVAL;
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) return EINVAL;
  if (flags & MREMAP_DONTUNMAP && (!(flags & MREMAP_MAYMOVE) || oldLen !== newLen)) return EINVAL;
  if (addr % PAGE !== 0) return EINVAL;
  oldLen = alignUp(oldLen, PAGE);
  newLen = alignUp(newLen, PAGE);
  if (newLen === 0 || newLen >= 2 ** 64) return EINVAL;
  const v = mm.find(addr / PAGE);
  if (v === undefined) return EFAULT;
  const huge = v.vmFlags & VM_HUGETLB ? v.file?.hugePageSize : undefined;
  if (huge !== undefined) {
    oldLen = alignUp(oldLen, huge);
    newLen = alignUp(newLen, huge);
    if (addr % huge !== 0 || newAddr % huge !== 0 || newLen > oldLen) return EINVAL;
  }
  let r: number;
  if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
    r = mremapTo(mm, caller, addr, oldLen, newAddr, newLen, flags, huge);
  } else if (oldLen >= newLen) {
    if (oldLen === newLen) return addr;
    const e = mm.munmap((addr + newLen) / PAGE, (addr + oldLen) / PAGE);
    return e < 0 ? e : addr;
  } else {
    r = grow(mm, caller, addr, oldLen, newLen, flags, huge);
  }
  if (r >= 0 && newLen > oldLen) {
    const nv = mm.find(r / PAGE);
    if (nv !== undefined && nv.vmFlags & VM_LOCKED) populate(mm, (r + oldLen) / PAGE, (r + newLen) / PAGE, true);
  }
  return r;
}

/** Growth without MREMAP_FIXED: in place when the pages above are free, else a move if allowed. */
function grow(
  mm: MemoryMap,
  caller: MmCaller,
  addr: number,
  oldLen: number,
  newLen: number,
  flags: number,
  huge: number | undefined,
): number {
  const v = vmaToResize(mm, caller, addr, oldLen, newLen, flags);
  if (typeof v === 'number') return v;
  if (oldLen === v.end * PAGE - addr) {
    const delta = (newLen - oldLen) / PAGE;
    const end = v.end + delta;
    if (end * PAGE <= TASK_SIZE_64 && mm.isFree(v.end, end)) {
      if (v.vmFlags & VM_ACCOUNT && !mm.enoughMemory(delta)) return ENOMEM;
      mm.expand(v, end);
      return addr;
    }
  }
  if (!(flags & MREMAP_MAYMOVE)) return ENOMEM;
  const dest = mm.getUnmappedArea(newLen, 0, caller.limits, huge === undefined ? 1 : huge / PAGE);
  if (dest < 0) return dest;
  return moveVma(mm, v, addr, oldLen, newLen, dest, flags);
}

/** mremap_to: MREMAP_FIXED and/or MREMAP_DONTUNMAP. */
function mremapTo(
  mm: MemoryMap,
  caller: MmCaller,
  addr: number,
  oldLen: number,
  newAddr: number,
  newLen: number,
  flags: number,
  huge: number | undefined,
): number {
  if (newAddr % PAGE !== 0) return EINVAL;
  if (newLen > TASK_SIZE_64 || newAddr > TASK_SIZE_64 - newLen) return EINVAL;
  if (addr + oldLen > newAddr && newAddr + newLen > addr) return EINVAL;
  // Worst case both ranges split in three: keep room for the move's own VMAs.
  if (mm.count + 2 >= mm.maxMapCount - 3) return ENOMEM;
  if (flags & MREMAP_FIXED) {
    const e = mm.munmap(newAddr / PAGE, (newAddr + newLen) / PAGE);
    if (e < 0) return e;
  }
  if (oldLen > newLen) {
    const e = mm.munmap((addr + newLen) / PAGE, (addr + oldLen) / PAGE);
    if (e < 0) return e;
    oldLen = newLen;
  }
  const v = vmaToResize(mm, caller, addr, oldLen, newLen, flags);
  if (typeof v === 'number') return v;
  if (flags & MREMAP_DONTUNMAP && !mm.mayExpand(caller, v.vmFlags, oldLen / PAGE)) return ENOMEM;
  let dest = newAddr;
  if (!(flags & MREMAP_FIXED)) {
    dest = mm.getUnmappedArea(newLen, newAddr, caller.limits, huge === undefined ? 1 : huge / PAGE);
    if (dest < 0) return dest;
  }
  return moveVma(mm, v, addr, oldLen, newLen, dest, flags);
}

/** vma_to_resize: the VMA at addr, if [addr, addr+oldLen) lies in it and it may grow to newLen. */
function vmaToResize(
  mm: MemoryMap,
  caller: MmCaller,
  addr: number,
  oldLen: number,
  newLen: number,
  flags: number,
): Vma | number {
  const v = mm.find(addr / PAGE);
  if (v === undefined) return EFAULT;
  if (oldLen === 0 && !(v.vmFlags & (VM_SHARED | VM_MAYSHARE))) return EINVAL;
  if (flags & MREMAP_DONTUNMAP && v.vmFlags & (VM_DONTEXPAND | VM_PFNMAP)) return EINVAL;
  if (oldLen > v.end * PAGE - addr) return EFAULT;
  if (newLen === oldLen) return v;
  if (v.vmFlags & (VM_DONTEXPAND | VM_PFNMAP)) return EFAULT;
  if (!mm.mlockFutureOk(caller, v.vmFlags, newLen - oldLen)) return EAGAIN;
  if (!mm.mayExpand(caller, v.vmFlags, (newLen - oldLen) / PAGE)) return ENOMEM;
  return v;
}

/**
 * move_vma: a VMA like v's part at addr is made at dest (merging there if it can), the present pages
 * move with their frames, and the old range is unmapped — or, with MREMAP_DONTUNMAP, left mapped
 * and empty (private anonymous pages read back as zero) and unlocked.
 */
function moveVma(
  mm: MemoryMap,
  v: Vma,
  addr: number,
  oldLen: number,
  newLen: number,
  dest: number,
  flags: number,
): number {
  if (mm.count >= mm.maxMapCount - 3) return ENOMEM;
  if (v.vmFlags & VM_ACCOUNT && !mm.enoughMemory(newLen / PAGE)) return ENOMEM;
  const oldStart = addr / PAGE;
  const destStart = dest / PAGE;
  const moved: Vma = {
    ...v,
    start: destStart,
    end: destStart + newLen / PAGE,
    // An anonymous VMA that never faulted takes the new address as its pgoff (copy_vma).
    offset: v.file === undefined && v.anon === 0 ? dest : v.offset + (oldStart - v.start) * PAGE,
  };
  mm.insertCopy(moved);
  const as = mm.as;
  const shift = destStart - oldStart;
  forEachPresent(as, oldStart, oldStart + Math.min(oldLen, newLen) / PAGE, (vpn, e) => {
    const frame = Math.floor(e / 8);
    if (frame !== 0) as.phys.ref(frame);
    as.setPte(vpn + shift, frame, e % 8);
    as.clearPte(vpn);
  });
  mm.mergeAround(moved);
  if (flags & MREMAP_DONTUNMAP) {
    const old = mm.find(oldStart);
    if (old !== undefined && old.vmFlags & VM_LOCKED_MASK)
      mm.modify(old, oldStart, oldStart + oldLen / PAGE, old.vmFlags & ~VM_LOCKED_MASK);
    return dest;
  }
  if (oldLen > 0) mm.munmap(oldStart, oldStart + oldLen / PAGE);
  return dest;
}
