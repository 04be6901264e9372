/**
 * mlock, mlock2, munlock, mlockall, munlockall (mm/mlock.c, Linux 6.12). Locking marks VMAs
 * VM_LOCKED (VM_LOCKONFAULT with MLOCK_ONFAULT/MCL_ONFAULT), splitting and merging them, counts the
 * pages in locked_vm (VmLck) against RLIMIT_MEMLOCK unless privileged (CAP_IPC_LOCK), and faults
 * the pages in. compat64 never pages anything out, so a locked page behaves like any other.
 */
import { ERRNO } from '../abi/errno.js';
import type { MemoryMap, MmCaller } from './memory-map.js';
import { populate } from './populate.js';
import {
  PAGE,
  VM_DONTEXPAND,
  VM_HUGETLB,
  VM_IO,
  VM_LOCKED,
  VM_LOCKED_MASK,
  VM_LOCKONFAULT,
  VM_SPECIAL,
} from './vma.js';

const EINVAL = -ERRNO.EINVAL;
const ENOMEM = -ERRNO.ENOMEM;
const EPERM = -ERRNO.EPERM;
const EAGAIN = -ERRNO.EAGAIN;
const EFAULT = -ERRNO.EFAULT;

export const MLOCK_ONFAULT = 1;
export const MCL_CURRENT = 1;
export const MCL_FUTURE = 2;
export const MCL_ONFAULT = 4;
const RLIMIT_MEMLOCK = 8;
const TASK_PAGES = 2 ** 48 / PAGE;

/** can_do_mlock: a non-zero RLIMIT_MEMLOCK or CAP_IPC_LOCK. */
function canDoMlock(mm: MemoryMap, caller: MmCaller): boolean {
  return mm.rlimit(caller, RLIMIT_MEMLOCK) !== 0 || caller.privileged === true;
}

/** The page range [start, end) mlock covers: the start page through the last byte's page. */
function lockRange(start: number, len: number): [number, number] | undefined {
  const first = Math.floor(start / PAGE);
  const end = Math.ceil((start + len) / PAGE);
  return end * PAGE > 2 ** 64 ? undefined : [first, end];
}

/** mlock_fixup on [from, to) of each VMA: hugetlb and special mappings are never marked locked. */
function applyLockFlags(mm: MemoryMap, first: number, end: number, flags: number): number {
  if (end === first) return 0;
  let v = mm.find(first);
  if (v === undefined) return ENOMEM;
  let at = first;
  for (;;) {
    if (v === undefined || v.start > at) return ENOMEM;
    const to = Math.min(end, v.end);
    const newFlags = (v.vmFlags & ~VM_LOCKED_MASK) | flags;
    let cur = v;
    if (newFlags !== v.vmFlags && !(v.vmFlags & (VM_SPECIAL | VM_HUGETLB))) {
      const r = mm.modify(v, at, to, newFlags);
      if (typeof r === 'number') return r;
      cur = r;
    }
    at = Math.max(to, Math.min(cur.end, end));
    if (at >= end) return 0;
    v = mm.find(at);
  }
}

/** Pages of [first, end) already locked (count_mm_mlocked_page_nr). */
function lockedIn(mm: MemoryMap, first: number, end: number): number {
  let n = 0;
  for (const v of mm.overlapping(first, end))
    if (v.vmFlags & VM_LOCKED) n += Math.min(end, v.end) - Math.max(first, v.start);
  return n;
}

/** __mlock_posix_error_return: what a failed population turns into. */
function posixError(e: number): number {
  if (e === EFAULT) return ENOMEM;
  if (e === ENOMEM) return EAGAIN;
  return e;
}

/** do_mlock: mlock (flags = VM_LOCKED) and mlock2 (VM_LOCKED, maybe VM_LOCKONFAULT). */
export function doMlock(mm: MemoryMap, caller: MmCaller, start: number, len: number, flags: number): number {
  if (!canDoMlock(mm, caller)) return EPERM;
  const r = lockRange(start, len);
  if (r === undefined) return EINVAL;
  const [first, end] = r;
  const limit = Math.floor(mm.rlimit(caller, RLIMIT_MEMLOCK) / PAGE);
  let locked = end - first + mm.lockedVm;
  if (locked > limit && !caller.privileged) locked -= lockedIn(mm, first, end);
  if (locked > limit && !caller.privileged) return ENOMEM;
  const e = applyLockFlags(mm, first, end, flags);
  if (e < 0) return e;
  if (flags & VM_LOCKONFAULT) return 0;
  const p = populate(mm, first, end, false);
  return p < 0 ? posixError(p) : 0;
}

export function mlock2(mm: MemoryMap, caller: MmCaller, start: number, len: number, flags: number): number {
  if (flags & ~MLOCK_ONFAULT) return EINVAL;
  return doMlock(mm, caller, start, len, VM_LOCKED | (flags & MLOCK_ONFAULT ? VM_LOCKONFAULT : 0));
}

export function munlock(mm: MemoryMap, start: number, len: number): number {
  const r = lockRange(start, len);
  if (r === undefined) return EINVAL;
  return applyLockFlags(mm, r[0], r[1], 0);
}

/** apply_mlockall_flags: def_flags for future mappings, and every VMA now (errors ignored). */
function applyMlockall(mm: MemoryMap, flags: number): void {
  mm.defFlags &= ~VM_LOCKED_MASK;
  if (flags & MCL_FUTURE) {
    mm.defFlags |= VM_LOCKED;
    if (flags & MCL_ONFAULT) mm.defFlags |= VM_LOCKONFAULT;
    if (!(flags & MCL_CURRENT)) return;
  }
  let add = 0;
  if (flags & MCL_CURRENT) {
    add = VM_LOCKED;
    if (flags & MCL_ONFAULT) add |= VM_LOCKONFAULT;
  }
  for (const v of mm.all()) {
    const cur = mm.find(v.start);
    if (cur === undefined || cur.vmFlags & (VM_SPECIAL | VM_HUGETLB | VM_IO | VM_DONTEXPAND)) continue;
    const nf = (cur.vmFlags & ~VM_LOCKED_MASK) | add;
    if (nf !== cur.vmFlags) mm.modify(cur, Math.max(cur.start, v.start), Math.min(cur.end, v.end), nf);
  }
}

export function mlockall(mm: MemoryMap, caller: MmCaller, flags: number): number {
  if (!flags || flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) || flags === MCL_ONFAULT) return EINVAL;
  if (!canDoMlock(mm, caller)) return EPERM;
  const limit = mm.rlimit(caller, RLIMIT_MEMLOCK) / PAGE;
  if (flags & MCL_CURRENT && mm.totalVm > limit && !caller.privileged) return ENOMEM;
  applyMlockall(mm, flags);
  if (flags & MCL_CURRENT) populate(mm, 0, TASK_PAGES, true);
  return 0;
}

export function munlockall(mm: MemoryMap): number {
  applyMlockall(mm, 0);
  return 0;
}
