/**
 * madvise (mm/madvise.c, Linux 6.12). Advice is applied VMA by VMA; holes in the range are skipped
 * and reported as -ENOMEM at the end. Flag advice (DONTFORK, WIPEONFORK, DONTDUMP, HUGEPAGE,
 * MERGEABLE, SEQUENTIAL, …) splits and merges VMAs like mprotect, a split refused at
 * vm.max_map_count giving -EAGAIN. DONTNEED drops pages (private anonymous memory reads back as
 * zeros, file and shared pages from their object); FREE does the same for private anonymous memory
 * (Linux may keep the old data until memory is short; reading zeros is one of its outcomes);
 * REMOVE punches a hole in a shared memory object.
 */
import { ERRNO } from '../abi/errno.js';
import * as M from '../abi/mman.js';
import type { MemoryMap } from './memory-map.js';
import { madvisePopulate } from './populate.js';
import { pageCacheOf } from './page-cache.js';
import { ShmemObject } from './shmem.js';
import {
  PAGE,
  type Vma,
  VM_DONTCOPY,
  VM_DONTDUMP,
  VM_DONTEXPAND,
  VM_HUGEPAGE,
  VM_HUGETLB,
  VM_IO,
  VM_LOCKED,
  VM_MAYSHARE,
  VM_MAYWRITE,
  VM_MERGEABLE,
  VM_MIXEDMAP,
  VM_NOHUGEPAGE,
  VM_PFNMAP,
  VM_RAND_READ,
  VM_SEQ_READ,
  VM_SHARED,
  VM_SPECIAL,
  VM_WIPEONFORK,
} from './vma.js';

const EINVAL = -ERRNO.EINVAL;
const ENOMEM = -ERRNO.ENOMEM;
const EAGAIN = -ERRNO.EAGAIN;
const EACCES = -ERRNO.EACCES;
const EPERM = -ERRNO.EPERM;
const EOPNOTSUPP = -ERRNO.EOPNOTSUPP;

export const MADV_DONTNEED_LOCKED = 24;
export const MADV_COLLAPSE = 25;
export const MADV_HWPOISON = 100;
export const MADV_SOFT_OFFLINE = 101;

/** madvise_behavior_valid for a kernel with KSM, THP and memory-failure support (Debian's). */
function validAdvice(a: number): boolean {
  switch (a) {
    case M.MADV_DOFORK:
    case M.MADV_DONTFORK:
    case M.MADV_NORMAL:
    case M.MADV_SEQUENTIAL:
    case M.MADV_RANDOM:
    case M.MADV_REMOVE:
    case M.MADV_WILLNEED:
    case M.MADV_DONTNEED:
    case MADV_DONTNEED_LOCKED:
    case M.MADV_FREE:
    case M.MADV_COLD:
    case M.MADV_PAGEOUT:
    case M.MADV_POPULATE_READ:
    case M.MADV_POPULATE_WRITE:
    case M.MADV_MERGEABLE:
    case M.MADV_UNMERGEABLE:
    case M.MADV_HUGEPAGE:
    case M.MADV_NOHUGEPAGE:
    case MADV_COLLAPSE:
    case M.MADV_DONTDUMP:
    case M.MADV_DODUMP:
    case M.MADV_WIPEONFORK:
    case M.MADV_KEEPONFORK:
    case MADV_HWPOISON:
    case MADV_SOFT_OFFLINE:
      return true;
    default:
      return false;
  }
}

/** The whole of madvise(start, len, advice); privileged = CAP_SYS_ADMIN (the memory-failure advice). */
export function madvise(mm: MemoryMap, start: number, lenIn: number, advice: number, privileged: boolean): number {
  if (!validAdvice(advice)) return EINVAL;
  if (start % PAGE !== 0) return EINVAL;
  const len = Math.ceil(lenIn / PAGE) * PAGE;
  if (lenIn !== 0 && len >= 2 ** 64) return EINVAL;
  const end = start + len;
  if (end >= 2 ** 64) return EINVAL;
  if (end === start) return 0;
  if (advice === MADV_HWPOISON || advice === MADV_SOFT_OFFLINE) return privileged ? 0 : EPERM;
  const first = start / PAGE;
  const last = end / PAGE;
  if (advice === M.MADV_POPULATE_READ || advice === M.MADV_POPULATE_WRITE)
    return madvisePopulate(mm, first, last, advice === M.MADV_POPULATE_WRITE);
  let unmapped = 0;
  let p = first;
  for (;;) {
    const v = mm.findAfter(p);
    if (v === undefined) return ENOMEM;
    if (p < v.start) {
      unmapped = ENOMEM;
      p = v.start;
      if (p >= last) break;
    }
    const to = Math.min(v.end, last);
    const e = visit(mm, v, p, to, advice);
    if (e < 0) return e;
    p = to;
    if (p >= last) break;
  }
  return unmapped;
}

/** madvise_vma_behavior for pages [from, to) of v. */
function visit(mm: MemoryMap, v: Vma, from: number, to: number, advice: number): number {
  let f = v.vmFlags;
  switch (advice) {
    case M.MADV_REMOVE:
      return remove(mm, v, from, to);
    case M.MADV_WILLNEED:
      return 0;
    case M.MADV_COLD:
    case M.MADV_PAGEOUT:
      return f & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB) ? EINVAL : 0;
    case M.MADV_DONTNEED:
    case MADV_DONTNEED_LOCKED:
    case M.MADV_FREE:
      return dontneed(mm, v, from, to, advice);
    case MADV_COLLAPSE:
      return v.file === undefined && !(f & VM_SHARED) ? 0 : EINVAL;
    case M.MADV_NORMAL:
      f &= ~(VM_RAND_READ | VM_SEQ_READ);
      break;
    case M.MADV_SEQUENTIAL:
      f = (f & ~VM_RAND_READ) | VM_SEQ_READ;
      break;
    case M.MADV_RANDOM:
      f = (f & ~VM_SEQ_READ) | VM_RAND_READ;
      break;
    case M.MADV_DONTFORK:
      f |= VM_DONTCOPY;
      break;
    case M.MADV_DOFORK:
      if (f & VM_IO) return EINVAL;
      f &= ~VM_DONTCOPY;
      break;
    case M.MADV_WIPEONFORK:
      // Only private anonymous memory can be wiped.
      if (v.file !== undefined || f & VM_SHARED) return EINVAL;
      f |= VM_WIPEONFORK;
      break;
    case M.MADV_KEEPONFORK:
      f &= ~VM_WIPEONFORK;
      break;
    case M.MADV_DONTDUMP:
      f |= VM_DONTDUMP;
      break;
    case M.MADV_DODUMP:
      if (!(f & VM_HUGETLB) && f & VM_SPECIAL) return EINVAL;
      f &= ~VM_DONTDUMP;
      break;
    case M.MADV_MERGEABLE:
      // ksm_madvise leaves shared, special and hugetlb mappings alone.
      if (f & (VM_SHARED | VM_MAYSHARE | VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_HUGETLB | VM_MIXEDMAP)) return 0;
      f |= VM_MERGEABLE;
      break;
    case M.MADV_UNMERGEABLE:
      f &= ~VM_MERGEABLE;
      break;
    case M.MADV_HUGEPAGE:
      f = (f & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
      break;
    case M.MADV_NOHUGEPAGE:
      f = (f & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
      break;
    default:
      return EINVAL;
  }
  const r = mm.modify(v, from, to, f);
  // A split refused for lack of kernel resources is reported as EAGAIN by madvise.
  if (typeof r === 'number') return r === ENOMEM ? EAGAIN : r;
  return 0;
}

function dontneed(mm: MemoryMap, v: Vma, from: number, to: number, advice: number): number {
  if (v.vmFlags & VM_HUGETLB) {
    if (advice === M.MADV_FREE) return EINVAL;
    const huge = (v.file?.hugePageSize ?? PAGE) / PAGE;
    if (from % huge !== 0) return EINVAL;
    to = Math.floor(to / huge) * huge;
  } else {
    let forbidden = VM_PFNMAP;
    if (advice !== MADV_DONTNEED_LOCKED) forbidden |= VM_LOCKED;
    if (v.vmFlags & forbidden) return EINVAL;
    if (advice === M.MADV_FREE && (v.file !== undefined || v.vmFlags & VM_SHARED)) return EINVAL;
  }
  if (from < to) mm.zapRange(from, to);
  return 0;
}

/** MADV_REMOVE: a hole punched in the shared object behind pages [from, to). */
function remove(mm: MemoryMap, v: Vma, from: number, to: number): number {
  if (v.vmFlags & VM_LOCKED) return EINVAL;
  if (v.file === undefined) return EINVAL;
  if (!(v.vmFlags & VM_SHARED && v.vmFlags & VM_MAYWRITE)) return EACCES;
  if (!(v.file instanceof ShmemObject)) return EOPNOTSUPP;
  const firstIdx = v.offset / PAGE + (from - v.start);
  pageCacheOf(v.file, mm.as.phys).punch(firstIdx, firstIdx + (to - from));
  return 0;
}

/** ANON_VMA_NAME_MAX_LEN, the terminating NUL included. */
export const ANON_VMA_NAME_MAX_LEN = 80;

/**
 * prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, start, len, name): names anonymous memory (shown as
 * [anon:name], or [anon_shmem:name] for shared anonymous memory) or, with undefined, unnames it.
 * The name (at most 79 bytes) must be printable ASCII without [ ] \\ $ and ` (-EINVAL); file
 * mappings are -EBADF; holes -ENOMEM after naming the rest, as madvise walks.
 */
export function setAnonName(mm: MemoryMap, start: number, lenIn: number, name: string | undefined): number {
  if (name !== undefined) {
    if (name.length >= ANON_VMA_NAME_MAX_LEN) return EINVAL;
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c <= 0x1f || c >= 0x7f || '[]\\$`'.includes(name[i]!)) return EINVAL;
    }
  }
  if (start % PAGE !== 0) return EINVAL;
  const len = Math.ceil(lenIn / PAGE) * PAGE;
  if (lenIn !== 0 && len >= 2 ** 64) return EINVAL;
  const end = start + len;
  if (end >= 2 ** 64) return EINVAL;
  if (end === start) return 0;
  const last = end / PAGE;
  let unmapped = 0;
  let p = start / PAGE;
  for (;;) {
    const v = mm.findAfter(p);
    if (v === undefined) return ENOMEM;
    if (p < v.start) {
      unmapped = ENOMEM;
      p = v.start;
      if (p >= last) break;
    }
    const to = Math.min(v.end, last);
    if (v.file !== undefined && !(v.file instanceof ShmemObject && v.file.path === '/dev/zero (deleted)'))
      return -ERRNO.EBADF;
    if (v.anonName !== name) {
      const r = mm.modify(v, p, to, v.vmFlags, (x) => {
        x.anonName = name;
      });
      if (typeof r === 'number') return r === ENOMEM ? EAGAIN : r;
    }
    p = to;
    if (p >= last) break;
  }
  return unmapped;
}
