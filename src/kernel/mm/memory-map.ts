import { type AddressSpace, PTE_R, PTE_W, PTE_X } from '../../memory/address-space.js';
import type { Access, FaultResult } from '../../memory/guest-fault.js';
import { ERRNO } from '../abi/errno.js';
import { MAP_GROWSDOWN, MAP_PRIVATE, MAP_SHARED, PROT_EXEC, PROT_READ, PROT_WRITE } from '../abi/mman.js';
import type { Rlimits } from '../task/task.js';
import { resolveFault } from './fault.js';
import { forkMemoryMap } from './mm-fork.js';
import type { Layout, MmapLimits } from './mmap-layout.js';
import { doMprotect } from './mprotect.js';
import { type CacheMapper, type PageCache, pageCacheOf } from './page-cache.js';
import { clearRange, forEachPresent } from './page-range.js';
import { DAC_MMAP_MIN_ADDR, getUnmappedArea, MMAP_MIN_ADDR, thpUnmappedArea } from './unmapped-area.js';
import {
  cloneVma,
  type FileBacking,
  isDataMapping,
  isExecMapping,
  isShared,
  isStackMapping,
  PAGE,
  VM_ACCESS_FLAGS,
  VM_ACCOUNT,
  VM_GROWSDOWN,
  VM_LOCKED,
  VM_MAYEXEC,
  VM_MAYREAD,
  VM_MAYSHARE,
  VM_MAYWRITE,
  VM_NORESERVE,
  VM_SHARED,
  VM_WRITE,
  type Vma,
} from './vma.js';
import { STACK_GUARD_GAP_PAGES, VmaTree } from './vma-tree.js';

export { DAC_MMAP_MIN_ADDR, MMAP_MIN_ADDR };

/** vm.max_map_count's default. */
export const MAX_MAP_COUNT = 65530;
const MMAP_MIN_PAGE = MMAP_MIN_ADDR / PAGE;

const ENOMEM = -ERRNO.ENOMEM;
const EINVAL = -ERRNO.EINVAL;

const RLIMIT_DATA = 2;
const RLIMIT_STACK = 3;
const RLIMIT_MEMLOCK = 8;
const RLIMIT_AS = 9;

/** Who asks for a change: the calling ABI's address limits, its resource limits and its privilege. */
export interface MmCaller {
  /** layout.native or layout.compat: every address the kernel picks follows the calling ABI. */
  readonly limits: MmapLimits;
  /** The process's [soft, hard] limits (Infinity = RLIM_INFINITY); absent = unlimited. */
  readonly rlimits?: Rlimits;
  /** CAP_IPC_LOCK and CAP_SYS_RAWIO (compat64: effective uid 0). */
  readonly privileged?: boolean;
}

let nextAnon = 1;
/** A fresh anon_vma identity. */
export function newAnonId(): number {
  return nextAnon++;
}

/**
 * The memory map of one address space (Linux's mm_struct): the VMAs, in a tree with O(log n)
 * lookups and gap searches, over the page table. Pages are populated on first touch by the fault
 * resolver (fault.ts). Counters follow Linux's (total_vm, locked_vm, data_vm, exec_vm, stack_vm),
 * kept as VMAs come and go, so RLIMIT_AS, RLIMIT_DATA and RLIMIT_MEMLOCK checks cost nothing.
 */
export class MemoryMap implements CacheMapper {
  private readonly tree = new VmaTree();
  /** The VMAs that map each page cache, so truncation and msync find them without a scan. */
  private readonly cacheVmas = new Map<PageCache, Set<Vma>>();
  /** The VMA find() returned last (still in the tree: unlink forgets it). */
  private lastFound: Vma | undefined;
  /** start_brk and brk (bytes). */
  brkStart = 0;
  brk = 0;
  /** RLIMIT_STACK soft limit in bytes at exec, for the stack's growth while rlimits is unknown. */
  stackLimit = 8 * 1024 * 1024;
  /**
   * The process's limits (the task's own array, shared: bindRlimits at exec and fork, and every mm
   * syscall); faults (stack growth) and the loader's mappings check them.
   */
  rlimits: Rlimits | undefined;
  /** vm.max_map_count. */
  maxMapCount = MAX_MAP_COUNT;
  /** mm->def_flags: VM_LOCKED (and VM_LOCKONFAULT) after mlockall(MCL_FUTURE). */
  defFlags = 0;
  totalVm = 0;
  lockedVm = 0;
  dataVm = 0;
  execVm = 0;
  stackVm = 0;
  /** Peak of total_vm (VmPeak). */
  hiwaterVm = 0;
  /** Set when a fault could not get a frame because the emulator's memory cap is reached. */
  outOfMemory = false;

  constructor(
    readonly as: AddressSpace,
    public layout: Layout,
  ) {
    as.resolver = (vpn, access) => resolveFault(this, vpn, access);
  }

  resolveFault(vpn: number, access: Access): FaultResult {
    return resolveFault(this, vpn, access);
  }

  get count(): number {
    return this.tree.size;
  }

  /** The VMA tree's depth (benchmark, tests): lookups visit about 2 ln(count) nodes. */
  treeDepth(): { mean: number; max: number } {
    return this.tree.depthStats();
  }

  /** Every VMA in address order (an O(n) copy, for /proc and fork). */
  all(): Vma[] {
    return this.tree.toArray();
  }

  /**
   * The VMA containing page vpn. The last one found is remembered (Linux's old vmacache): faults
   * on consecutive pages of one area, the common case, skip the tree walk.
   */
  find(vpn: number): Vma | undefined {
    const h = this.lastFound;
    if (h !== undefined && vpn >= h.start && vpn < h.end) return h;
    const v = this.tree.find(vpn);
    if (v !== undefined) this.lastFound = v;
    return v;
  }

  /** find_vma: the VMA containing vpn or the first one above it. */
  findAfter(vpn: number): Vma | undefined {
    return this.tree.findAfter(vpn);
  }

  /** The last VMA starting below page vpn. */
  findBefore(vpn: number): Vma | undefined {
    return this.tree.findBefore(vpn);
  }

  prev(v: Vma): Vma | undefined {
    return this.tree.prev(v);
  }

  next(v: Vma): Vma | undefined {
    return this.tree.next(v);
  }

  /** True when no VMA intersects pages [start, end). */
  isFree(start: number, end: number): boolean {
    return this.tree.isFree(start, end);
  }

  overlapping(start: number, end: number): Vma[] {
    return this.tree.overlapping(start, end);
  }

  /** The soft limit of an rlimit in bytes (Infinity when unknown). */
  rlimit(caller: MmCaller | undefined, resource: number): number {
    const r = caller?.rlimits ?? this.rlimits;
    return r?.[resource]?.[0] ?? Number.POSITIVE_INFINITY;
  }

  // ---- accounting (vm_stat_account, may_expand_vm, mlock_future_ok) ----

  private account(v: Vma, sign: number): void {
    const n = (v.end - v.start) * sign;
    this.totalVm += n;
    if (this.totalVm > this.hiwaterVm) this.hiwaterVm = this.totalVm;
    if (isExecMapping(v)) this.execVm += n;
    else if (isStackMapping(v)) this.stackVm += n;
    else if (isDataMapping(v.vmFlags)) this.dataVm += n;
    if (v.vmFlags & VM_LOCKED) this.lockedVm += n;
  }

  /** may_expand_vm: RLIMIT_AS for every mapping, RLIMIT_DATA for private writable ones. */
  mayExpand(caller: MmCaller | undefined, vmFlags: number, pages: number): boolean {
    if ((this.totalVm + pages) * PAGE > this.rlimit(caller, RLIMIT_AS)) return false;
    if (isDataMapping(vmFlags) && (this.dataVm + pages) * PAGE > this.rlimit(caller, RLIMIT_DATA)) {
      // Linux's workaround for Valgrind: a zero soft limit defers to the hard one.
      const r = caller?.rlimits ?? this.rlimits;
      const hard = r?.[RLIMIT_DATA]?.[1] ?? Number.POSITIVE_INFINITY;
      return this.rlimit(caller, RLIMIT_DATA) === 0 && (this.dataVm + pages) * PAGE <= hard;
    }
    return true;
  }

  /** mlock_future_ok: a VM_LOCKED mapping of more bytes must fit RLIMIT_MEMLOCK (unless privileged). */
  mlockFutureOk(caller: MmCaller | undefined, vmFlags: number, bytes: number): boolean {
    if (!(vmFlags & VM_LOCKED) || caller?.privileged) return true;
    return this.lockedVm * PAGE + bytes <= this.rlimit(caller, RLIMIT_MEMLOCK);
  }

  /**
   * __vm_enough_memory in the default heuristic overcommit mode: a single request larger than all
   * of memory (here: the emulator's memory cap, with no swap) is refused.
   */
  enoughMemory(pages: number): boolean {
    return pages <= this.as.phys.maxFrames;
  }

  // ---- linking VMAs (the only places the tree changes) ----

  /** Adds a new VMA: tree, counters, the object's open hook and the cache's list of mappers. */
  private link(v: Vma): void {
    this.tree.insert(v);
    this.account(v, 1);
    if (v.file !== undefined) {
      v.file.vmOpen?.(v);
      const cache = pageCacheOf(v.file, this.as.phys);
      let set = this.cacheVmas.get(cache);
      if (set === undefined) {
        set = new Set();
        this.cacheVmas.set(cache, set);
        cache.addMapper(this);
      }
      set.add(v);
    }
  }

  /** Removes a VMA for good (unmap, or absorbed by a merge). */
  private unlink(v: Vma): void {
    if (this.lastFound === v) this.lastFound = undefined;
    this.tree.remove(v);
    this.account(v, -1);
    if (v.file !== undefined) {
      const cache = pageCacheOf(v.file, this.as.phys);
      const set = this.cacheVmas.get(cache);
      if (set !== undefined) {
        set.delete(v);
        if (set.size === 0) {
          this.cacheVmas.delete(cache);
          cache.removeMapper(this);
        }
      }
      v.file.vmClose?.(v);
    }
  }

  /** Changes a VMA in place (bounds, flags): no open/close hooks, counters follow. */
  private reshape(v: Vma, change: (v: Vma) => void): void {
    this.tree.remove(v);
    this.account(v, -1);
    change(v);
    this.tree.insert(v);
    this.account(v, 1);
  }

  /** Sets the protection and VM_* flags of a VMA already in the tree. */
  setFlags(v: Vma, vmFlags: number): void {
    this.reshape(v, (x) => {
      x.vmFlags = vmFlags;
      x.prot = vmFlags & VM_ACCESS_FLAGS;
    });
  }

  // ---- split and merge ----

  /**
   * Splits the VMA containing vpn so that a VMA starts at vpn (Linux's __split_vma); the upper part
   * is the new VMA. checkCount applies split_vma's map-count check. Returns 0 or a negative errno.
   */
  splitAt(vpn: number, checkCount: boolean): number {
    const v = this.tree.find(vpn);
    if (v === undefined || v.start === vpn) return 0;
    if (checkCount && this.count >= this.maxMapCount) return ENOMEM;
    const huge = v.file?.hugePageSize;
    if (huge !== undefined && (vpn * PAGE) % huge !== 0) return EINVAL;
    const upper = cloneVma(v, vpn, v.end);
    this.reshape(v, (x) => {
      x.end = vpn;
    });
    this.link(upper);
    return 0;
  }

  /** is_mergeable_vma + is_mergeable_anon_vma + pgoff contiguity: can b be appended to a? */
  canMerge(a: Vma, b: Vma): boolean {
    if (a.end !== b.start || a.vmFlags !== b.vmFlags || a.flags !== b.flags) return false;
    if (a.file !== b.file || a.name !== b.name || a.anonName !== b.anonName) return false;
    if (a.file?.sysvShm) return false;
    if (a.anon !== 0 && b.anon !== 0 && a.anon !== b.anon) return false;
    return a.offset + (a.end - a.start) * PAGE === b.offset;
  }

  /** Merges v with its neighbours where Linux would; returns the VMA now covering v's pages. */
  mergeAround(v: Vma): Vma {
    const prev = this.tree.prev(v);
    if (prev !== undefined && this.canMerge(prev, v)) {
      const anon = prev.anon || v.anon;
      const end = v.end;
      this.unlink(v);
      this.reshape(prev, (x) => {
        x.end = end;
        x.anon = anon;
      });
      v = prev;
    }
    const next = this.tree.next(v);
    if (next !== undefined && this.canMerge(v, next)) {
      const anon = v.anon || next.anon;
      const end = next.end;
      this.unlink(next);
      this.reshape(v, (x) => {
        x.end = end;
        x.anon = anon;
      });
    }
    return v;
  }

  // ---- choosing addresses (get_unmapped_area / vm_unmapped_area, in unmapped-area.ts) ----

  getUnmappedArea(len: number, hint: number, limits: MmapLimits, alignPages = 1): number {
    return getUnmappedArea(this.tree, len, hint, limits, alignPages);
  }

  thpUnmappedArea(len: number, hint: number, limits: MmapLimits, off: number): number | undefined {
    return thpUnmappedArea(this.tree, len, hint, limits, off);
  }

  /** len bytes (rounded up to pages) at the hint or searched; -1 when there is no room. */
  findFree(len: number, hint: number, limits: MmapLimits, alignPages = 1): number {
    const r = this.getUnmappedArea(Math.ceil(len / PAGE) * PAGE, hint, limits, alignPages);
    return r < 0 ? -1 : r;
  }

  // ---- changing the map ----

  /**
   * mmap_region: maps [addr, addr+len) (page aligned, address already chosen) replacing whatever
   * was there, with Linux's checks in Linux's order: RLIMIT_AS (counting the pages it replaces),
   * the unmap of the old pages, the commit check of accountable mappings. The new VMA merges with
   * compatible neighbours. Returns addr or a negative errno.
   */
  mmapRegion(
    addr: number,
    len: number,
    vmFlags: number,
    file: FileBacking | undefined,
    offset: number,
    caller: MmCaller | undefined,
    name?: string,
  ): number {
    const start = addr / PAGE;
    const end = start + len / PAGE;
    if (!this.mayExpand(caller, vmFlags, end - start)) {
      if (!this.mayExpand(caller, vmFlags, end - start - this.pagesIn(start, end))) return ENOMEM;
    }
    const err = this.munmap(start, end);
    if (err < 0) return ENOMEM;
    if (
      (file === undefined || file.hugePageSize === undefined) &&
      (vmFlags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) === VM_WRITE
    ) {
      if (!this.enoughMemory(end - start)) return ENOMEM;
      vmFlags |= VM_ACCOUNT;
    }
    const v: Vma = {
      start,
      end,
      prot: vmFlags & VM_ACCESS_FLAGS,
      flags: (vmFlags & VM_MAYSHARE ? MAP_SHARED : MAP_PRIVATE) | (vmFlags & VM_GROWSDOWN ? MAP_GROWSDOWN : 0),
      vmFlags,
      file,
      offset,
      name,
      anonName: undefined,
      anon: 0,
    };
    this.link(v);
    this.mergeAround(v);
    return addr;
  }

  /** Moves v's end to newEnd without merging (the heap's growth: the pages above must be free). */
  resize(v: Vma, newEnd: number): void {
    this.reshape(v, (x) => {
      x.end = newEnd;
    });
  }

  /** Grows v in place up to newEnd (mremap; the pages above must be free) and merges it with what follows. */
  expand(v: Vma, newEnd: number): Vma {
    this.reshape(v, (x) => {
      x.end = newEnd;
    });
    return this.mergeAround(v);
  }

  /** Pages of [start, end) covered by VMAs (count_vma_pages_range). */
  pagesIn(start: number, end: number): number {
    let n = 0;
    for (const v of this.tree.overlapping(start, end)) n += Math.min(end, v.end) - Math.max(start, v.start);
    return n;
  }

  /**
   * Maps a fixed range the way the loader and exec do (MAP_FIXED; flags MAP_PRIVATE or MAP_SHARED,
   * optionally MAP_GROWSDOWN). Returns false when the map-count limit is reached.
   */
  map(
    addr: number,
    len: number,
    prot: number,
    flags: number,
    file: FileBacking | undefined,
    offset: number,
    name?: string,
  ): boolean {
    if (this.count > this.maxMapCount) return false;
    let vmFlags = (prot & VM_ACCESS_FLAGS) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | this.defFlags;
    if ((flags & 0xf) === MAP_SHARED) vmFlags |= VM_SHARED | VM_MAYSHARE;
    if (flags & MAP_GROWSDOWN) vmFlags |= VM_GROWSDOWN;
    const off = file === undefined ? addr : offset;
    return this.mmapRegion(addr, Math.ceil(len / PAGE) * PAGE, vmFlags, file, off, undefined, name) >= 0;
  }

  /**
   * Removes pages [start, end) (do_vmi_munmap): VMAs are split at the edges (unmapping the middle
   * of a VMA needs room for one more under vm.max_map_count), shared file pages are written
   * back, page-table entries dropped. Returns 0 or a negative errno (-ENOMEM, -EINVAL for a
   * hugetlb VMA cut off its huge page boundary).
   */
  munmap(start: number, end: number): number {
    const first = this.tree.findAfter(start);
    if (first === undefined || first.start >= end) return 0;
    if (first.start < start) {
      if (end < first.end && this.count >= this.maxMapCount) return ENOMEM;
      const e = this.splitAt(start, false);
      if (e < 0) return e;
    }
    const last = this.tree.find(end - 1);
    if (last !== undefined && last.end > end) {
      const e = this.splitAt(end, false);
      if (e < 0) return e;
    }
    for (const v of this.tree.overlapping(start, end)) {
      this.writeBack(v, v.start, v.end);
      this.unlink(v);
      clearRange(this.as, v.start, v.end);
    }
    return 0;
  }

  /** Shared mappings of files write their dirty pages back (munmap, msync, exit). */
  writeBack(v: Vma, start: number, end: number): void {
    if (v.file === undefined || !isShared(v)) return;
    const cache = pageCacheOf(v.file, this.as.phys);
    const firstIdx = v.offset / PAGE + (start - v.start);
    cache.sync(firstIdx, firstIdx + (end - start));
  }

  /** mprotect over pages [start, end) (mprotect.ts). */
  mprotect(start: number, end: number, prot: number, caller: MmCaller | undefined): number {
    return doMprotect(this, start, end, prot, caller);
  }

  /**
   * vma_modify: gives pages [from, to) of v (which must contain them) the VM_* flags newFlags,
   * splitting v (each split checks vm.max_map_count) and merging the result with its neighbours.
   * Returns the VMA now covering [from, to) or a negative errno.
   */
  modify(v: Vma, from: number, to: number, newFlags: number, change?: (v: Vma) => void): Vma | number {
    if (newFlags === v.vmFlags && change === undefined) return v;
    // The changed part as it would be: when it fits onto a neighbour, Linux moves the boundary
    // instead of splitting (vma_merge_existing_range), which needs no room under max_map_count.
    const cand = cloneVma(v, from, to);
    cand.vmFlags = newFlags;
    cand.prot = newFlags & VM_ACCESS_FLAGS;
    change?.(cand);
    if (from === v.start && to < v.end) {
      const prev = this.tree.prev(v);
      if (prev !== undefined && this.canMerge(prev, cand)) {
        this.reshape(v, (x) => {
          x.offset += (to - x.start) * PAGE;
          x.start = to;
        });
        this.reshape(prev, (x) => {
          x.end = to;
          x.anon = x.anon || cand.anon;
        });
        return prev;
      }
    }
    if (to === v.end && from > v.start) {
      const next = this.tree.next(v);
      if (next !== undefined && this.canMerge(cand, next)) {
        this.reshape(v, (x) => {
          x.end = from;
        });
        this.reshape(next, (x) => {
          x.offset -= (next.start - from) * PAGE;
          x.start = from;
          x.anon = x.anon || cand.anon;
        });
        return next;
      }
    }
    const end = v.end;
    if (v.start < from) {
      const e = this.splitAt(from, true);
      if (e < 0) return e;
    }
    if (end > to) {
      const e = this.splitAt(to, true);
      if (e < 0) return e;
    }
    const mid = this.tree.find(from);
    if (mid === undefined) return ENOMEM;
    this.reshape(mid, (x) => {
      x.vmFlags = newFlags;
      x.prot = newFlags & VM_ACCESS_FLAGS;
      change?.(x);
    });
    return this.mergeAround(mid);
  }

  /** Sets present PTEs of [from, to) in v to the VMA's protection, keeping write only where allowed. */
  refreshPtes(v: Vma, from: number, to: number): void {
    const as = this.as;
    const phys = as.phys;
    const shared = isShared(v);
    forEachPresent(as, from, to, (vpn, e) => {
      const frame = Math.floor(e / 8);
      const wasWritable = (e & PTE_W) !== 0;
      const writable = wasWritable && frame !== 0 && (shared || phys.refCount(frame) === 1);
      as.setPerms(vpn, pteBits(v.prot, writable));
    });
  }

  /** Drops the pages of [start, end) (MADV_DONTNEED): private ones read back as zero or from the file. */
  zapRange(start: number, end: number): void {
    clearRange(this.as, start, end);
  }

  // ---- the page cache's view (CacheMapper) ----

  /** Unmaps pages [fromIdx, toIdx) of the cache (truncation, hole punching); see CacheMapper. */
  zapCachePages(cache: PageCache, fromIdx: number, toIdx: number, evenCows: boolean): void {
    for (const v of this.cacheVmas.get(cache) ?? []) {
      const lo = Math.max(v.start, v.start + fromIdx - v.offset / PAGE);
      const hi = Math.min(v.end, v.start + toIdx - v.offset / PAGE);
      if (lo >= hi) continue;
      if (evenCows || isShared(v)) {
        clearRange(this.as, lo, hi);
        continue;
      }
      // A private mapping keeps the pages it copied; only the cache's own frames go.
      forEachPresent(this.as, lo, hi, (vpn, e) => {
        if (Math.floor(e / 8) === cache.peek(v.offset / PAGE + (vpn - v.start))) this.as.clearPte(vpn);
      });
    }
  }

  /** Write-protects shared pages of the cache (after writeback) so the next write marks them dirty again. */
  protectCachePages(cache: PageCache, fromIdx: number, toIdx: number): void {
    for (const v of this.cacheVmas.get(cache) ?? []) {
      if (!isShared(v)) continue;
      const lo = Math.max(v.start, v.start + fromIdx - v.offset / PAGE);
      const hi = Math.min(v.end, v.start + toIdx - v.offset / PAGE);
      if (lo >= hi) continue;
      forEachPresent(this.as, lo, hi, (vpn, e) => {
        if (e & PTE_W) this.as.setPerms(vpn, pteBits(v.prot, false));
      });
    }
  }

  // ---- whole-map operations ----

  /**
   * Drops every mapping (exec's old image, the last user's exit), writing shared file pages back,
   * and disposes of the address space: its frames go back and physical memory forgets it.
   */
  clear(): void {
    this.lastFound = undefined;
    for (const v of this.tree.toArray()) {
      this.writeBack(v, v.start, v.end);
      this.unlink(v);
    }
    this.as.dispose();
  }

  /** fork: a copy-on-write copy of this map in a new address space (mm-fork.ts). */
  fork(childAs: AddressSpace): MemoryMap {
    return forkMemoryMap(this, childAs);
  }

  /** Inserts a copy of a VMA (fork, mremap): hooks and counters as for any new VMA. */
  insertCopy(v: Vma): void {
    this.link(v);
  }

  // ---- the stack ----

  /**
   * expand_downwards: a fault just below a VM_GROWSDOWN VMA grows it, keeping stack_guard_gap
   * from an accessible VMA below, within RLIMIT_STACK, RLIMIT_AS and (locked) RLIMIT_MEMLOCK.
   */
  expandStack(vpn: number): Vma | undefined {
    const v = this.tree.findAfter(vpn);
    if (v === undefined || !(v.vmFlags & VM_GROWSDOWN) || vpn >= v.start) return undefined;
    if (vpn < MMAP_MIN_PAGE) return undefined;
    const prev = this.tree.prev(v);
    if (
      prev !== undefined &&
      !(prev.vmFlags & VM_GROWSDOWN) &&
      prev.vmFlags & VM_ACCESS_FLAGS &&
      vpn - prev.end < STACK_GUARD_GAP_PAGES
    )
      return undefined;
    const grow = v.start - vpn;
    // acct_stack_growth reads RLIMIT_STACK now: a setrlimit after exec applies to further growth.
    const limit = this.rlimits?.[RLIMIT_STACK]?.[0] ?? this.stackLimit;
    if ((v.end - vpn) * PAGE > limit) return undefined;
    if (!this.mayExpand(undefined, v.vmFlags, grow)) return undefined;
    if (v.vmFlags & VM_LOCKED && !this.mlockFutureOk(undefined, v.vmFlags, grow * PAGE)) return undefined;
    this.reshape(v, (x) => {
      x.start = vpn;
      x.offset -= grow * PAGE;
    });
    return v;
  }
}

/** PTE bits for a VMA protection; writable only once the page is private to this mapping. */
export function pteBits(prot: number, writable: boolean): number {
  let b = 0;
  if (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) b |= PTE_R;
  if (writable && prot & PROT_WRITE) b |= PTE_W;
  if (prot & PROT_EXEC) b |= PTE_X;
  return b;
}
