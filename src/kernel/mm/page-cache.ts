/**
 * The page cache of one file or shared-memory object (Linux's address_space): its pages as frames
 * of guest physical memory, shared by every mapping of the object and by read(2)/write(2).
 *
 * - A host file's cache sits over a PageStore (the host file). Pages are read in on first use by
 *   a mapping; read(2) takes cached pages from their frames and the rest straight from the host;
 *   write(2) goes to the host and into any cached frame (write-through), so both views agree at
 *   once. Pages written through MAP_SHARED mappings are dirty until sync() writes them to the
 *   host (msync, munmap, fsync, exit). Clean pages nobody maps are dropped when memory runs short.
 * - A shmem object's cache (shared anonymous memory, SysV shm, memfd, hugetlbfs) has no store: its
 *   pages are its contents, zero until written, and its size is its own.
 *
 * The cache holds one reference on each of its frames; every page-table entry mapping a frame holds
 * another, so a frame with reference count 1 belongs to the cache alone.
 */
import type { PhysicalMemory } from '../../memory/physical-memory.js';
import { PAGE } from './vma.js';

/** The persistent data behind a cache (a host file). */
export interface PageStore {
  readAt(pos: number, dst: Uint8Array, at: number, len: number): number;
  writeAt(pos: number, src: Uint8Array, at: number, len: number): number;
  size(): number;
  /** Optional: a cache the store already has (FileBacking.cache). */
  readonly cache?: PageCache;
}

/** An address space that maps pages of a cache (MemoryMap): truncation and writeback reach its PTEs. */
export interface CacheMapper {
  /**
   * Unmaps the cache's pages [fromIdx, toIdx) wherever they are mapped; evenCows also drops the
   * private copies mappings made of them (truncation does, hole punching does not).
   */
  zapCachePages(cache: PageCache, fromIdx: number, toIdx: number, evenCows: boolean): void;
  /** Write-protects shared mappings of pages [fromIdx, toIdx), so a later write marks them dirty again. */
  protectCachePages(cache: PageCache, fromIdx: number, toIdx: number): void;
}

/** Decides whether a new page may be allocated (hugetlb pools): false means SIGBUS. */
export interface PageQuota {
  allocate(idx: number): boolean;
  /** Pages [fromIdx, …) were dropped (truncation, release). */
  release(fromIdx: number): void;
}

/** page() could not get a frame: the emulator's memory cap is reached. */
export const NO_MEMORY = -1;
/** page() was refused by the object's quota (an exhausted hugetlb pool): SIGBUS. */
export const NO_QUOTA = -2;

const ENOSPC = -28;

export class PageCache {
  private readonly pages = new Map<number, number>();
  private readonly dirty = new Set<number>();
  private readonly mappers = new Set<CacheMapper>();
  private objSize: number;
  /** hugetlb pool accounting for shmem objects on hugetlbfs. */
  quota: PageQuota | undefined;

  constructor(
    readonly phys: PhysicalMemory,
    private readonly store: PageStore | undefined,
    size = 0,
  ) {
    this.objSize = size;
    if (store !== undefined) phys.onPressure(() => this.reclaim());
  }

  /** The object's size in bytes: the host file's, or the shmem object's own. */
  size(): number {
    return this.store !== undefined ? this.store.size() : this.objSize;
  }

  get hasStore(): boolean {
    return this.store !== undefined;
  }

  /** Pages held, and pages waiting to be written back. */
  get residentPages(): number {
    return this.pages.size;
  }
  get dirtyPages(): number {
    return this.dirty.size;
  }

  addMapper(m: CacheMapper): void {
    this.mappers.add(m);
  }

  removeMapper(m: CacheMapper): void {
    this.mappers.delete(m);
  }

  /** The frame of page idx if it is cached, else -1. */
  peek(idx: number): number {
    return this.pages.get(idx) ?? -1;
  }

  /**
   * The frame of page idx, read from the store (or zero) on first use. The cache keeps its own
   * reference; a caller mapping the frame takes another. NO_MEMORY or NO_QUOTA when it cannot.
   * knownSize: the object's size() if the caller has just asked for it (it saves a host fstat).
   */
  page(idx: number, knownSize?: number): number {
    const have = this.pages.get(idx);
    if (have !== undefined) return have;
    if (this.quota !== undefined && !this.quota.allocate(idx)) return NO_QUOTA;
    const f = this.phys.alloc();
    if (f < 0) return NO_MEMORY;
    if (this.store !== undefined) {
      const pos = idx * PAGE;
      const size = knownSize ?? this.store.size();
      if (pos < size) this.store.readAt(pos, this.phys.u8, f * PAGE, Math.min(PAGE, size - pos));
    }
    this.pages.set(idx, f);
    return f;
  }

  /** A shared mapping is about to write page idx. */
  markDirty(idx: number): void {
    if (this.store !== undefined) this.dirty.add(idx);
  }

  /** read(2): up to len bytes at pos into dst[at…], clipped at the end of the object. */
  read(pos: number, dst: Uint8Array, at: number, len: number): number {
    const size = this.size();
    if (pos >= size || len <= 0) return 0;
    len = Math.min(len, size - pos);
    let done = 0;
    while (done < len) {
      const p = pos + done;
      const idx = Math.floor(p / PAGE);
      const off = p - idx * PAGE;
      const n = Math.min(PAGE - off, len - done);
      const f = this.pages.get(idx);
      if (f !== undefined) {
        const base = f * PAGE + off;
        dst.set(this.phys.u8.subarray(base, base + n), at + done);
      } else if (this.store !== undefined) {
        const got = this.store.readAt(p, dst, at + done, n);
        if (got < n) return done + Math.max(0, got);
      } else dst.fill(0, at + done, at + done + n);
      done += n;
    }
    return done;
  }

  /**
   * write(2): len bytes of src[at…] at pos. A host file is written first (its errors and short
   * writes are the result) and cached pages are updated to match; a shmem object takes the bytes
   * into its pages, growing its size (-ENOSPC when memory is exhausted before anything was written).
   */
  write(pos: number, src: Uint8Array, at: number, len: number): number {
    if (len <= 0) return 0;
    const oldSize = this.size();
    let n: number;
    if (this.store !== undefined) {
      n = this.store.writeAt(pos, src, at, len);
      if (n <= 0) return n;
      if (pos > oldSize) this.zeroCached(oldSize, pos);
      this.copyIntoCached(pos, src, at, n);
      return n;
    }
    if (pos > oldSize) this.zeroCached(oldSize, pos);
    n = 0;
    while (n < len) {
      const p = pos + n;
      const idx = Math.floor(p / PAGE);
      const off = p - idx * PAGE;
      const k = Math.min(PAGE - off, len - n);
      const f = this.page(idx);
      if (f < 0) break;
      this.phys.u8.set(src.subarray(at + n, at + n + k), f * PAGE + off);
      this.phys.codeCache(f)?.invalidate(off, off + k);
      n += k;
    }
    if (n === 0) return ENOSPC;
    this.objSize = Math.max(this.objSize, pos + n);
    return n;
  }

  /** Copies written bytes into the cached frames they cover. */
  private copyIntoCached(pos: number, src: Uint8Array, at: number, len: number): void {
    if (this.pages.size === 0) return;
    for (let done = 0; done < len; ) {
      const p = pos + done;
      const idx = Math.floor(p / PAGE);
      const off = p - idx * PAGE;
      const k = Math.min(PAGE - off, len - done);
      const f = this.pages.get(idx);
      if (f !== undefined) {
        this.phys.u8.set(src.subarray(at + done, at + done + k), f * PAGE + off);
        this.phys.codeCache(f)?.invalidate(off, off + k);
      }
      done += k;
    }
  }

  /** Zeroes cached bytes [from, to) (the old tail of the last page when a file grows). */
  private zeroCached(from: number, to: number): void {
    for (let p = from; p < to; ) {
      const idx = Math.floor(p / PAGE);
      const off = p - idx * PAGE;
      const k = Math.min(PAGE - off, to - p);
      const f = this.pages.get(idx);
      if (f !== undefined) this.phys.u8.fill(0, f * PAGE + off, f * PAGE + off + k);
      p += k;
    }
  }

  /**
   * The object's size is now newSize (ftruncate: for a host file, call it after the host truncated
   * the file). Pages wholly beyond the end leave the cache and every mapping, private copies
   * included (a later touch is SIGBUS); the bytes after the end in the last page read as zero.
   */
  resize(newSize: number): void {
    if (this.store === undefined) this.objSize = newSize;
    const keep = Math.ceil(newSize / PAGE);
    let beyond = false;
    for (const idx of this.pages.keys()) if (idx >= keep) beyond = true;
    if (beyond || this.store === undefined) {
      for (const m of this.mappers) m.zapCachePages(this, keep, Number.POSITIVE_INFINITY, true);
      for (const [idx, f] of this.pages) {
        if (idx >= keep) {
          this.pages.delete(idx);
          this.dirty.delete(idx);
          this.phys.unref(f);
        }
      }
    }
    this.quota?.release(keep);
    this.zeroCached(newSize, keep * PAGE);
  }

  /**
   * Writes dirty pages [fromIdx, toIdx) back to the store and write-protects their shared mappings,
   * so the next write through them marks them dirty again.
   */
  sync(fromIdx = 0, toIdx = Number.POSITIVE_INFINITY): void {
    const store = this.store;
    if (store === undefined || this.dirty.size === 0) return;
    const size = store.size();
    const done: number[] = [];
    for (const idx of this.dirty) {
      if (idx < fromIdx || idx >= toIdx) continue;
      done.push(idx);
      const pos = idx * PAGE;
      const f = this.pages.get(idx);
      if (f === undefined || pos >= size) continue;
      store.writeAt(pos, this.phys.u8, f * PAGE, Math.min(PAGE, size - pos));
    }
    if (done.length === 0) return;
    let lo = Number.POSITIVE_INFINITY;
    let hi = 0;
    for (const idx of done) {
      this.dirty.delete(idx);
      lo = Math.min(lo, idx);
      hi = Math.max(hi, idx + 1);
    }
    for (const m of this.mappers) m.protectCachePages(this, lo, hi);
  }

  /** A hole punched in pages [fromIdx, toIdx) of a shmem object: they read as zeros again. */
  punch(fromIdx: number, toIdx: number): void {
    for (const m of this.mappers) m.zapCachePages(this, fromIdx, toIdx, false);
    for (const [idx, f] of this.pages) {
      if (idx >= fromIdx && idx < toIdx) {
        this.pages.delete(idx);
        this.dirty.delete(idx);
        this.phys.unref(f);
      }
    }
  }

  /** Whether page idx waits to be written back. */
  isDirty(idx: number): boolean {
    return this.dirty.has(idx);
  }

  /** Whether page idx is in memory (mincore). */
  resident(idx: number): boolean {
    return this.pages.has(idx);
  }

  /** Drops clean pages that no mapping holds; returns how many frames were freed. */
  reclaim(): number {
    let n = 0;
    for (const [idx, f] of this.pages) {
      if (this.dirty.has(idx) || this.phys.refCount(f) !== 1) continue;
      this.pages.delete(idx);
      this.phys.unref(f);
      n++;
    }
    return n;
  }

  /** Frees every page (the object is gone: last reference to a shmem object, removed shm segment). */
  release(): void {
    for (const f of this.pages.values()) this.phys.unref(f);
    this.pages.clear();
    this.dirty.clear();
    this.quota?.release(0);
  }
}

const implicitCaches = new WeakMap<object, PageCache>();

/**
 * The page cache of a mapped object: its own (FileBacking.cache), or one made for the backing
 * object the first time it is mapped (host files whose VFS does not provide one yet).
 */
export function pageCacheOf(store: PageStore, phys: PhysicalMemory): PageCache {
  if (store.cache !== undefined) return store.cache;
  let c = implicitCaches.get(store);
  if (c === undefined) {
    c = new PageCache(phys, store);
    implicitCaches.set(store, c);
  }
  return c;
}
