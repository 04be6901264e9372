import { type AddressSpace, PTE_R, PTE_W, PTE_X } from '../../memory/address-space.js';
import { Access, FaultResult } from '../../memory/guest-fault.js';
import { MAP_GROWSDOWN, MAP_PRIVATE, MAP_SHARED, MAP_TYPE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../abi/mman.js';
import { cloneVma, type FileBacking, type Vma } from './vma.js';
import type { Layout, MmapLimits } from './mmap-layout.js';

const PAGE = 4096;
export const MAX_MAP_COUNT = 65530;
/** vm.mmap_min_addr as Debian sets it. */
export const MMAP_MIN_ADDR = 65536;
const STACK_GUARD_GAP_PAGES = 256;

/**
 * The memory map of one address space: VMAs (kept sorted; lookups by binary search) over the page
 * table. Pages are populated on first touch by the fault resolver: anonymous reads share the zero
 * frame, writes get a fresh frame, file pages are read from the backing file.
 */
export class MemoryMap {
  private vmas: Vma[] = [];
  brkStart = 0;
  brk = 0;
  /** RLIMIT_STACK, for the main stack's growth. */
  stackLimit = 8 * 1024 * 1024;

  constructor(
    readonly as: AddressSpace,
    public layout: Layout,
  ) {
    as.resolver = (vpn, access) => this.resolveFault(vpn, access);
  }

  get count(): number {
    return this.vmas.length;
  }

  all(): readonly Vma[] {
    return this.vmas;
  }

  /** Index of the first VMA with end > vpn. */
  private firstEndingAfter(vpn: number): number {
    let lo = 0;
    let hi = this.vmas.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.vmas[mid]!.end > vpn) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  find(vpn: number): Vma | undefined {
    const v = this.vmas[this.firstEndingAfter(vpn)];
    return v !== undefined && v.start <= vpn ? v : undefined;
  }

  /** True when no VMA intersects [start, end) (pages). */
  isFree(start: number, end: number): boolean {
    const v = this.vmas[this.firstEndingAfter(start)];
    return v === undefined || v.start >= end;
  }

  // ---- choosing addresses (vm_unmapped_area) ----

  /**
   * A free range of len bytes, honouring the hint when it fits within the limits, else top-down
   * below mmapBase with a bottom-up fallback (or bottom-up for the legacy layout). -1 when none.
   */
  findFree(len: number, hint: number, limits: MmapLimits, alignPages = 1): number {
    const pages = Math.ceil(len / PAGE);
    const taskPages = limits.taskSize / PAGE;
    if (pages > taskPages) return -1;
    if (hint !== 0) {
      const h = Math.floor(hint / PAGE);
      if (h * PAGE >= MMAP_MIN_ADDR && h + pages <= taskPages && this.isFreeWithGuard(h, h + pages)) return h * PAGE;
    }
    const minPage = MMAP_MIN_ADDR / PAGE;
    if (limits.topDown) {
      const r = this.topDown(pages, minPage, Math.floor(limits.mmapBase / PAGE), alignPages);
      if (r >= 0) return r * PAGE;
      const b = this.bottomUp(pages, Math.floor(limits.mmapBase / PAGE), taskPages, alignPages);
      return b >= 0 ? b * PAGE : -1;
    }
    const b = this.bottomUp(pages, Math.floor(limits.legacyBase / PAGE), taskPages, alignPages);
    return b >= 0 ? b * PAGE : -1;
  }

  /** Like isFree, but also keeps the stack guard gap below a grows-down VMA. */
  private isFreeWithGuard(start: number, end: number): boolean {
    const v = this.vmas[this.firstEndingAfter(start)];
    if (v === undefined) return true;
    if (v.start < end) return false;
    return !(v.flags & MAP_GROWSDOWN) || v.start - end >= STACK_GUARD_GAP_PAGES;
  }

  private gapTop(v: Vma): number {
    return v.flags & MAP_GROWSDOWN ? v.start - STACK_GUARD_GAP_PAGES : v.start;
  }

  private topDown(pages: number, low: number, high: number, align: number): number {
    // Walk gaps from the highest VMA below `high` downwards.
    let i = this.firstEndingAfter(high);
    let top = high;
    if (i < this.vmas.length && this.vmas[i]!.start < high) top = Math.min(top, this.gapTop(this.vmas[i]!));
    for (i = i - 1; ; i--) {
      const below = i >= 0 ? this.vmas[i]!.end : low;
      const start = Math.floor((top - pages) / align) * align;
      if (start >= below && start >= low) return start;
      if (i < 0) return -1;
      top = Math.min(top, this.gapTop(this.vmas[i]!));
    }
  }

  private bottomUp(pages: number, low: number, high: number, align: number): number {
    let start = Math.ceil(low / align) * align;
    for (let i = this.firstEndingAfter(low); i <= this.vmas.length; i++) {
      const v = this.vmas[i];
      const limit = v === undefined ? high : Math.min(high, this.gapTop(v));
      if (start + pages <= limit) return start;
      if (v === undefined) return -1;
      start = Math.ceil(Math.max(start, v.end) / align) * align;
    }
    return -1;
  }

  // ---- changing the map ----

  /** Inserts a mapping over [addr, addr+len), replacing whatever was there (MAP_FIXED semantics). Returns false at the map-count limit. */
  map(
    addr: number,
    len: number,
    prot: number,
    flags: number,
    file: FileBacking | undefined,
    offset: number,
    name?: string,
  ): boolean {
    const start = addr / PAGE;
    const end = start + Math.ceil(len / PAGE);
    if (this.vmas.length + 2 > MAX_MAP_COUNT && !this.isFree(start, end)) return false;
    if (this.vmas.length + 1 > MAX_MAP_COUNT) return false;
    this.unmap(start, end);
    const vma: Vma = { start, end, prot, flags, file, offset, name };
    const i = this.firstEndingAfter(start);
    this.vmas.splice(i, 0, vma);
    this.tryMerge(i);
    return true;
  }

  /** Removes [start, end) (pages), splitting VMAs at the edges and dropping page-table entries. */
  unmap(start: number, end: number): void {
    this.splitAt(start);
    this.splitAt(end);
    let i = this.firstEndingAfter(start);
    const from = i;
    while (i < this.vmas.length && this.vmas[i]!.start < end) {
      const v = this.vmas[i]!;
      this.writeBackShared(v, v.start, v.end);
      for (let p = v.start; p < v.end; p++) this.as.clearPte(p);
      i++;
    }
    this.vmas.splice(from, i - from);
  }

  /** Changes protection of [start, end); returns false if part of the range is unmapped (ENOMEM). */
  protect(start: number, end: number, prot: number): boolean {
    for (let p = start; p < end; ) {
      const v = this.find(p);
      if (v === undefined) return false;
      p = v.end;
    }
    this.splitAt(start);
    this.splitAt(end);
    for (let i = this.firstEndingAfter(start); i < this.vmas.length && this.vmas[i]!.start < end; i++) {
      const v = this.vmas[i]!;
      v.prot = prot;
      for (let p = v.start; p < v.end; p++) {
        const e = this.as.pte(p);
        if (e < 0) continue;
        const frame = Math.floor(e / 8);
        // A write must still fault for shared (copy-on-write) or zero frames.
        const writable =
          (prot & PROT_WRITE) !== 0 && frame !== 0 && (this.as.phys.refCount(frame) === 1 || this.isShared(v));
        this.as.setPerms(p, pteBits(prot, writable));
      }
    }
    for (let i = this.vmas.length - 1; i > 0; i--) this.tryMerge(i);
    return true;
  }

  private isShared(v: Vma): boolean {
    return (v.flags & MAP_TYPE) === MAP_SHARED;
  }

  private splitAt(vpn: number): void {
    const i = this.firstEndingAfter(vpn);
    const v = this.vmas[i];
    if (v === undefined || v.start >= vpn) return;
    const left = cloneVma(v, v.start, vpn);
    const right = cloneVma(v, vpn, v.end);
    this.vmas.splice(i, 1, left, right);
  }

  private tryMerge(i: number): void {
    const a = this.vmas[i - 1];
    const b = this.vmas[i];
    if (a === undefined || b === undefined || a.end !== b.start) return;
    if (a.prot !== b.prot || a.flags !== b.flags || a.name !== b.name || a.file !== b.file) return;
    if (a.file !== undefined && a.offset + (a.end - a.start) * PAGE !== b.offset) return;
    a.end = b.end;
    this.vmas.splice(i, 1);
  }

  /** Shared file mappings write their pages back to the file (munmap, msync, exit). */
  writeBackShared(v: Vma, start: number, end: number): void {
    if (v.file === undefined || !this.isShared(v) || !(v.prot & PROT_WRITE)) return;
    const size = v.file.size();
    for (let p = start; p < end; p++) {
      const e = this.as.pte(p);
      if (e < 0) continue;
      const pos = v.offset + (p - v.start) * PAGE;
      if (pos >= size) break;
      const n = Math.min(PAGE, size - pos);
      const frame = Math.floor(e / 8);
      v.file.writeAt(pos, this.as.phys.u8, frame * PAGE, n);
    }
  }

  /** Drops every mapping (exec, exit). */
  clear(): void {
    this.unmap(0, Number.MAX_SAFE_INTEGER);
  }

  // ---- faults ----

  resolveFault(vpn: number, access: Access): FaultResult {
    let v = this.find(vpn);
    if (v === undefined) {
      v = this.growStack(vpn);
      if (v === undefined) return FaultResult.MapErr;
    }
    const need = access === Access.Write ? PROT_WRITE : access === Access.Exec ? PROT_EXEC : PROT_READ | PROT_WRITE;
    if ((v.prot & need) === 0) return FaultResult.AccErr;
    const phys = this.as.phys;
    const e = this.as.pte(vpn);
    if (e >= 0) {
      // Present but not permitted in the PTE: a write to a zero or shared copy-on-write frame.
      if (access !== Access.Write) return FaultResult.AccErr;
      const frame = Math.floor(e / 8);
      if (frame !== 0 && (phys.refCount(frame) === 1 || this.isShared(v))) {
        this.as.setPerms(vpn, pteBits(v.prot, true));
        return FaultResult.Resolved;
      }
      const nf = phys.alloc();
      if (nf < 0) return FaultResult.BusErr;
      if (frame !== 0) phys.copyFrame(nf, frame);
      this.as.setPte(vpn, nf, pteBits(v.prot, true));
      return FaultResult.Resolved;
    }
    if (v.file === undefined) {
      if (access !== Access.Write && !this.isShared(v)) {
        phys.ref(0);
        this.as.setPte(vpn, 0, pteBits(v.prot, false));
        return FaultResult.Resolved;
      }
      const nf = phys.alloc();
      if (nf < 0) return FaultResult.BusErr;
      this.as.setPte(vpn, nf, pteBits(v.prot, true));
      return FaultResult.Resolved;
    }
    const pos = v.offset + (vpn - v.start) * PAGE;
    if (pos >= v.file.size()) return FaultResult.BusErr;
    const nf = phys.alloc();
    if (nf < 0) return FaultResult.BusErr;
    v.file.readAt(pos, phys.u8, nf * PAGE, PAGE);
    this.as.setPte(vpn, nf, pteBits(v.prot, true));
    return FaultResult.Resolved;
  }

  /** The main stack grows down into the gap below it, up to RLIMIT_STACK. */
  private growStack(vpn: number): Vma | undefined {
    const i = this.firstEndingAfter(vpn);
    const v = this.vmas[i];
    if (v === undefined || !(v.flags & MAP_GROWSDOWN) || vpn >= v.start) return undefined;
    const prev = this.vmas[i - 1];
    if (prev !== undefined && vpn - prev.end < STACK_GUARD_GAP_PAGES && !(prev.flags & MAP_GROWSDOWN)) return undefined;
    if ((v.end - vpn) * PAGE > this.stackLimit) return undefined;
    v.start = vpn;
    return v;
  }
}

/** PTE bits for a VMA protection; writable only once the page is private to this mapping. */
export function pteBits(prot: number, writable: boolean): number {
  let b = 0;
  if (prot & (PROT_READ | PROT_WRITE)) b |= PTE_R;
  if (writable && prot & PROT_WRITE) b |= PTE_W;
  if (prot & PROT_EXEC) b |= PTE_X;
  return b;
}

export { MAP_PRIVATE };
