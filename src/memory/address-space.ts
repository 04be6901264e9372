import { CodePage } from './code-page.js';
import { Access, FaultResult, GUEST_FAULT } from './guest-fault.js';
import { PAGE_SIZE, type PhysicalMemory } from './physical-memory.js';

/** Page permissions as stored in a page-table entry. */
export const PTE_R = 1;
export const PTE_W = 2;
export const PTE_X = 4;
const PTE_PERM_BITS = 8;

/** Resolves a fault on page vpn (demand paging, copy-on-write, stack growth); supplied by the kernel's mm. */
export type FaultResolver = (vpn: number, access: Access) => FaultResult;

const TLB_SIZE = 1024;
const TLB_MASK = TLB_SIZE - 1;
/** User virtual addresses are below 2^48; top-byte-ignore has already dropped bits 63:56. */
export const VA_LIMIT = 2 ** 48;
const INV_PAGE = 1 / PAGE_SIZE;

/**
 * One guest virtual address space: a page table (vpn → frame and permissions) with direct-mapped
 * read and write TLBs in front. Addresses are plain numbers (exact below 2^53). Accesses that hit
 * the TLB and stay inside one page are a few integer operations; everything else takes the slow path,
 * which resolves the fault through the kernel or throws GUEST_FAULT.
 */
export class AddressSpace {
  dv: DataView;
  u8: Uint8Array;
  private readonly ptes = new Map<number, number>();
  private readonly rTag = new Float64Array(TLB_SIZE).fill(-1);
  private readonly rBase = new Int32Array(TLB_SIZE);
  private readonly wTag = new Float64Array(TLB_SIZE).fill(-1);
  private readonly wBase = new Int32Array(TLB_SIZE);
  resolver: FaultResolver = () => FaultResult.MapErr;

  /** Instruction-fetch page cache used by the CPU: the page's first address, its frame offset and decode cache. */
  fetchPage = -1;
  fetchBase = 0;
  fetchCode: CodePage = new CodePage();

  /** Details of the last fault thrown as GUEST_FAULT. */
  faultAddr = 0;
  faultAccess: Access = Access.Read;
  faultResult: FaultResult = FaultResult.MapErr;

  /** Unsubscribes from physical memory; undefined while detached (new, or disposed). */
  private detach: (() => void) | undefined;
  private readonly refreshViews = (): void => {
    this.dv = this.phys.dv;
    this.u8 = this.phys.u8;
  };
  private readonly codeWatched = (frame: number): void => this.dropWriteEntriesFor(frame);

  constructor(readonly phys: PhysicalMemory) {
    this.dv = phys.dv;
    this.u8 = phys.u8;
    this.attach();
  }

  /** Follows physical memory's buffer and code watches (from creation, and again if reused after dispose). */
  private attach(): void {
    this.refreshViews();
    const offViews = this.phys.onViewsChanged(this.refreshViews);
    const offCode = this.phys.onCodeWatched(this.codeWatched);
    this.detach = () => {
      offViews();
      offCode();
    };
  }

  /**
   * The address space is finished (exit, or the old image after exec): every page is unmapped, its
   * frames given back, and physical memory no longer calls it, so it can be collected. Mapping a
   * page again later re-attaches it (setPte), so a disposed space stays safe to use.
   */
  dispose(): void {
    for (const vpn of [...this.ptes.keys()]) this.clearPte(vpn);
    this.flushTlb();
    this.detach?.();
    this.detach = undefined;
  }

  get disposed(): boolean {
    return this.detach === undefined;
  }

  // ---- page table (used by the kernel's mm) ----

  /** The entry for page vpn: frame * 8 + permissions, or -1. */
  pte(vpn: number): number {
    const e = this.ptes.get(vpn);
    return e === undefined ? -1 : e;
  }

  /** Maps page vpn to frame (whose reference the table now owns) with the given PTE_* permissions. */
  setPte(vpn: number, frame: number, perms: number): void {
    if (this.detach === undefined) this.attach();
    const old = this.ptes.get(vpn);
    if (old !== undefined) this.phys.unref(Math.floor(old / PTE_PERM_BITS));
    this.ptes.set(vpn, frame * PTE_PERM_BITS + perms);
    this.invalidate(vpn);
  }

  /** Changes the permissions of a present page. */
  setPerms(vpn: number, perms: number): void {
    const old = this.ptes.get(vpn);
    if (old === undefined) return;
    this.ptes.set(vpn, Math.floor(old / PTE_PERM_BITS) * PTE_PERM_BITS + perms);
    this.invalidate(vpn);
  }

  /** Unmaps page vpn and drops its frame reference. */
  clearPte(vpn: number): void {
    const old = this.ptes.get(vpn);
    if (old === undefined) return;
    this.ptes.delete(vpn);
    this.phys.unref(Math.floor(old / PTE_PERM_BITS));
    this.invalidate(vpn);
  }

  /** Every present page, for fork and teardown. */
  presentPages(): IterableIterator<[number, number]> {
    return this.ptes.entries();
  }

  get presentCount(): number {
    return this.ptes.size;
  }

  private invalidate(vpn: number): void {
    const i = vpn & TLB_MASK;
    if (this.rTag[i] === vpn) this.rTag[i] = -1;
    if (this.wTag[i] === vpn) this.wTag[i] = -1;
    if (this.fetchPage === vpn * PAGE_SIZE) this.fetchPage = -1;
  }

  flushTlb(): void {
    this.rTag.fill(-1);
    this.wTag.fill(-1);
    this.fetchPage = -1;
  }

  private dropWriteEntriesFor(frame: number): void {
    const base = frame * PAGE_SIZE;
    for (let i = 0; i < TLB_SIZE; i++) if (this.wBase[i] === base) this.wTag[i] = -1;
  }

  // ---- translation (slow path) ----

  /**
   * The frame byte offset of the page holding addr for the access, filling the TLB;
   * throws GUEST_FAULT when the kernel cannot resolve the fault.
   */
  translate(addr: number, access: Access): number {
    if (!(addr >= 0 && addr < VA_LIMIT)) return this.fault(addr, access, FaultResult.MapErr);
    const vpn = Math.floor(addr * INV_PAGE);
    const need = access === Access.Write ? PTE_W : access === Access.Exec ? PTE_X : PTE_R;
    for (let attempt = 0; ; attempt++) {
      const e = this.ptes.get(vpn);
      if (e !== undefined && (e & need) !== 0) {
        const frame = Math.floor(e / PTE_PERM_BITS);
        const base = frame * PAGE_SIZE;
        const i = vpn & TLB_MASK;
        if (access === Access.Read) {
          this.rTag[i] = vpn;
          this.rBase[i] = base;
        } else if (access === Access.Write) {
          // Writes to watched code frames stay on the slow path so decoded instructions get invalidated.
          if (this.phys.codeCache(frame) === undefined) {
            this.wTag[i] = vpn;
            this.wBase[i] = base;
            this.phys.noteWriteMapped(frame);
          }
          if (e & PTE_R) {
            this.rTag[i] = vpn;
            this.rBase[i] = base;
          }
        }
        return base;
      }
      if (attempt > 0) return this.fault(addr, access, FaultResult.AccErr);
      const r = this.resolver(vpn, access);
      if (r !== FaultResult.Resolved) return this.fault(addr, access, r);
    }
  }

  private fault(addr: number, access: Access, r: FaultResult): never {
    this.faultAddr = addr;
    this.faultAccess = access;
    this.faultResult = r;
    throw GUEST_FAULT;
  }

  /** Called on every slow-path write: invalidates decoded instructions of a watched code frame. */
  private noteWrite(base: number, off: number, len: number): void {
    const code = this.phys.codeCache(base / PAGE_SIZE);
    if (code !== undefined) code.invalidate(off, off + len);
  }

  // ---- hot accessors ----

  read8(addr: number): number {
    const vpn = Math.floor(addr * INV_PAGE);
    const i = vpn & TLB_MASK;
    const off = addr - vpn * PAGE_SIZE;
    if (this.rTag[i] === vpn) return this.u8[this.rBase[i]! + off]!;
    return this.u8[this.translate(addr, Access.Read) + off]!;
  }

  read16(addr: number): number {
    const vpn = Math.floor(addr * INV_PAGE);
    const i = vpn & TLB_MASK;
    const off = addr - vpn * PAGE_SIZE;
    if (this.rTag[i] === vpn && off <= PAGE_SIZE - 2) return this.dv.getUint16(this.rBase[i]! + off, true);
    return this.readSlow(addr, 2);
  }

  /** Returns the 32-bit value as int32. */
  read32(addr: number): number {
    const vpn = Math.floor(addr * INV_PAGE);
    const i = vpn & TLB_MASK;
    const off = addr - vpn * PAGE_SIZE;
    if (this.rTag[i] === vpn && off <= PAGE_SIZE - 4) return this.dv.getInt32(this.rBase[i]! + off, true);
    return this.readSlow(addr, 4) | 0;
  }

  /** Reads 64 bits into dst[at] (low half) and dst[at + 1] (high half). */
  read64(addr: number, dst: Int32Array, at: number): void {
    const vpn = Math.floor(addr * INV_PAGE);
    const i = vpn & TLB_MASK;
    const off = addr - vpn * PAGE_SIZE;
    if (this.rTag[i] === vpn && off <= PAGE_SIZE - 8) {
      const p = this.rBase[i]! + off;
      dst[at] = this.dv.getInt32(p, true);
      dst[at + 1] = this.dv.getInt32(p + 4, true);
      return;
    }
    const lo = this.readSlow(addr, 4);
    const hi = this.readSlow(addr + 4, 4);
    dst[at] = lo;
    dst[at + 1] = hi;
  }

  write8(addr: number, v: number): void {
    const vpn = Math.floor(addr * INV_PAGE);
    const i = vpn & TLB_MASK;
    const off = addr - vpn * PAGE_SIZE;
    if (this.wTag[i] === vpn) {
      this.u8[this.wBase[i]! + off] = v;
      return;
    }
    this.writeSlow(addr, 1, v);
  }

  write16(addr: number, v: number): void {
    const vpn = Math.floor(addr * INV_PAGE);
    const i = vpn & TLB_MASK;
    const off = addr - vpn * PAGE_SIZE;
    if (this.wTag[i] === vpn && off <= PAGE_SIZE - 2) {
      this.dv.setUint16(this.wBase[i]! + off, v, true);
      return;
    }
    this.writeSlow(addr, 2, v);
  }

  write32(addr: number, v: number): void {
    const vpn = Math.floor(addr * INV_PAGE);
    const i = vpn & TLB_MASK;
    const off = addr - vpn * PAGE_SIZE;
    if (this.wTag[i] === vpn && off <= PAGE_SIZE - 4) {
      this.dv.setInt32(this.wBase[i]! + off, v, true);
      return;
    }
    this.writeSlow(addr, 4, v);
  }

  write64(addr: number, lo: number, hi: number): void {
    const vpn = Math.floor(addr * INV_PAGE);
    const i = vpn & TLB_MASK;
    const off = addr - vpn * PAGE_SIZE;
    if (this.wTag[i] === vpn && off <= PAGE_SIZE - 8) {
      const p = this.wBase[i]! + off;
      this.dv.setInt32(p, lo, true);
      this.dv.setInt32(p + 4, hi, true);
      return;
    }
    // Translate both pages before writing anything, so a fault leaves memory unchanged.
    this.translate(addr, Access.Write);
    this.translate(addr + 7, Access.Write);
    this.writeSlow(addr, 4, lo);
    this.writeSlow(addr + 4, 4, hi);
  }

  /**
   * Read of up to 4 bytes (little-endian) on a TLB miss; returns an unsigned value. An access inside
   * one page translates once (filling the TLB); one that crosses pages goes byte by byte.
   */
  private readSlow(addr: number, len: number): number {
    const off = addr - Math.floor(addr * INV_PAGE) * PAGE_SIZE;
    if (off <= PAGE_SIZE - len) {
      const p = this.translate(addr, Access.Read) + off;
      return len === 4 ? this.dv.getUint32(p, true) : len === 2 ? this.dv.getUint16(p, true) : this.u8[p]!;
    }
    let v = 0;
    for (let k = 0; k < len; k++) {
      const a = addr + k;
      const vpn = Math.floor(a * INV_PAGE);
      const base = this.translate(a, Access.Read);
      v += this.u8[base + (a - vpn * PAGE_SIZE)]! * 2 ** (8 * k);
    }
    return v;
  }

  private writeSlow(addr: number, len: number, v: number): void {
    const off = addr - Math.floor(addr * INV_PAGE) * PAGE_SIZE;
    if (off <= PAGE_SIZE - len) {
      const base = this.translate(addr, Access.Write);
      if (len === 4) this.dv.setInt32(base + off, v, true);
      else if (len === 2) this.dv.setUint16(base + off, v, true);
      else this.u8[base + off] = v;
      this.noteWrite(base, off, len);
      return;
    }
    const first = this.translate(addr, Access.Write);
    if (len > 1) this.translate(addr + len - 1, Access.Write);
    for (let k = 0; k < len; k++) {
      const a = addr + k;
      const vpn = Math.floor(a * INV_PAGE);
      const base = k === 0 ? first : this.translate(a, Access.Write);
      const off = a - vpn * PAGE_SIZE;
      this.u8[base + off] = (v >>> (8 * k)) & 0xff;
      this.noteWrite(base, off, 1);
    }
  }

  // ---- block copies (SIMD loads/stores, syscalls) ----

  /** Copies len guest bytes at addr into dst[at…]; throws GUEST_FAULT (nothing partial is promised). */
  readBytes(addr: number, dst: Uint8Array, at: number, len: number): void {
    while (len > 0) {
      const vpn = Math.floor(addr * INV_PAGE);
      const off = addr - vpn * PAGE_SIZE;
      const n = Math.min(len, PAGE_SIZE - off);
      const base = this.translate(addr, Access.Read);
      dst.set(this.u8.subarray(base + off, base + off + n), at);
      addr += n;
      at += n;
      len -= n;
    }
  }

  /** Copies src[at…at+len) to guest addr; all pages are checked writable before any byte is written. */
  writeBytes(addr: number, src: Uint8Array, at: number, len: number): void {
    for (let a = addr, left = len; left > 0; ) {
      const vpn = Math.floor(a * INV_PAGE);
      const n = Math.min(left, PAGE_SIZE - (a - vpn * PAGE_SIZE));
      this.translate(a, Access.Write);
      a += n;
      left -= n;
    }
    while (len > 0) {
      const vpn = Math.floor(addr * INV_PAGE);
      const off = addr - vpn * PAGE_SIZE;
      const n = Math.min(len, PAGE_SIZE - off);
      const base = this.translate(addr, Access.Write);
      this.u8.set(src.subarray(at, at + n), base + off);
      this.noteWrite(base, off, n);
      addr += n;
      at += n;
      len -= n;
    }
  }

  /** Fills len guest bytes at addr with value (e.g. DC ZVA, bss). */
  fill(addr: number, value: number, len: number): void {
    while (len > 0) {
      const vpn = Math.floor(addr * INV_PAGE);
      const off = addr - vpn * PAGE_SIZE;
      const n = Math.min(len, PAGE_SIZE - off);
      const base = this.translate(addr, Access.Write);
      this.u8.fill(value, base + off, base + off + n);
      this.noteWrite(base, off, n);
      addr += n;
      len -= n;
    }
  }

  /** Page frame offset for an instruction fetch at page address pageAddr (slow path of the CPU fetch). */
  translateExec(addr: number): number {
    return this.translate(addr, Access.Exec);
  }
}
