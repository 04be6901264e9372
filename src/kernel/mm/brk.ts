/** brk (mm/mmap.c and do_brk_flags in mm/vma.c, Linux 6.12, without CONFIG_COMPAT_BRK). */
import { MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../abi/mman.js';
import type { MemoryMap, MmCaller } from './memory-map.js';
import { populate } from './populate.js';
import { PAGE, type Vma, VM_ACCOUNT, VM_LOCKED, VM_MAYEXEC, VM_MAYREAD, VM_MAYWRITE } from './vma.js';
import { STACK_GUARD_GAP_PAGES, startGap } from './vma-tree.js';

const RLIMIT_DATA = 2;

/**
 * do_brk_flags: the heap grows by pages [from, to). The VMA just below (brkVma, one that belongs to
 * the heap) is extended when it can take the pages, otherwise a new anonymous VMA is made — never
 * merged with anything else, as Linux does. false = -ENOMEM.
 */
function brkExpand(mm: MemoryMap, brkVma: Vma | undefined, from: number, to: number, caller: MmCaller): boolean {
  const vmFlags = PROT_READ | PROT_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT | mm.defFlags;
  const pages = to - from;
  if (!mm.mayExpand(caller, vmFlags, pages)) return false;
  if (mm.count > mm.maxMapCount) return false;
  if (!mm.enoughMemory(pages)) return false;
  const cand: Vma = {
    start: from,
    end: to,
    prot: PROT_READ | PROT_WRITE,
    flags: MAP_PRIVATE,
    vmFlags,
    file: undefined,
    offset: from * PAGE,
    name: undefined,
    anonName: undefined,
    anon: 0,
  };
  if (brkVma !== undefined && brkVma.end === from && mm.canMerge(brkVma, cand)) mm.resize(brkVma, to);
  else mm.insertCopy(cand);
  return true;
}

/**
 * The brk syscall: below start_brk or over RLIMIT_DATA nothing changes; shrinking unmaps the
 * heap's top; growing needs the pages up to one past the new end, and a stack's guard gap, free.
 * Returns the new break, or the old one on failure.
 */
export function doBrk(mm: MemoryMap, caller: MmCaller, want: number): number {
  const orig = mm.brk;
  if (want < mm.brkStart) return orig;
  if (want - mm.brkStart > mm.rlimit(caller, RLIMIT_DATA)) return orig;
  const newEnd = Math.ceil(want / PAGE);
  const oldEnd = Math.ceil(mm.brk / PAGE);
  if (oldEnd === newEnd) {
    mm.brk = want;
    return want;
  }
  if (want <= mm.brk) {
    const v = mm.findAfter(newEnd);
    if (v === undefined || v.start >= oldEnd) return orig;
    mm.brk = want;
    if (mm.munmap(newEnd, oldEnd) < 0) {
      mm.brk = orig;
      return orig;
    }
    return want;
  }
  const next = mm.findAfter(oldEnd);
  if (next !== undefined && next.start < newEnd + 1 + STACK_GUARD_GAP_PAGES && newEnd + 1 > startGap(next)) return orig;
  const below = mm.findBefore(oldEnd);
  const brkVma = below !== undefined && below.end > mm.brkStart / PAGE ? below : undefined;
  if (!brkExpand(mm, brkVma, oldEnd, newEnd, caller)) return orig;
  mm.brk = want;
  if (mm.defFlags & VM_LOCKED) populate(mm, oldEnd, newEnd, true);
  return want;
}
