import { CodePage } from './code-page.js';

/**
 * Guest physical memory: 4 KiB frames in one WebAssembly.Memory, so the interpreter (through
 * typed-array views) and a later WebAssembly tier share the same bytes. Frames carry reference
 * counts for copy-on-write. Frame 0 is the shared zero frame and is never handed out.
 */
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
const WASM_PAGE = 65536;
const FRAMES_PER_WASM_PAGE = WASM_PAGE / PAGE_SIZE;
/** wasm32's ceiling: 65536 wasm pages = 4 GiB. */
const MAX_WASM_PAGES = 65536;

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmMemoryCtor = new (d: { initial: number; maximum?: number }) => WasmMemory;
const WasmMemory = (globalThis as unknown as { WebAssembly: { Memory: WasmMemoryCtor } }).WebAssembly.Memory;

/** Called after the buffer is replaced by a grow, so holders of views can refresh them. */
export type ViewListener = () => void;

export class PhysicalMemory {
  readonly memory: WasmMemory;
  dv: DataView;
  u8: Uint8Array;
  /** Reference count per frame (0 = free). */
  private refs: Int32Array;
  private freeList: Int32Array;
  private freeCount = 0;
  /** Frames handed out so far from the top of the buffer (next never-used frame). */
  private highWater = 1;
  private frameCapacity: number;
  /** Most frames this memory may ever use (the emulator's memory cap). */
  readonly maxFrames: number;
  private readonly listeners = new Set<ViewListener>();
  /** Decoded-instruction caches of frames that hold code (handler id per word, 0 = not decoded yet). */
  private readonly code: (CodePage | undefined)[] = [];
  private readonly codeListeners = new Set<(frame: number) => void>();
  /**
   * 1 for a frame some address space may hold in its fast write TLB: watchCode tells the spaces to
   * drop those entries only then (each space scans its whole write TLB; most code frames were
   * never written through it).
   */
  private writeMapped: Uint8Array;
  /** Called when the cap is reached, to give back frames nobody needs (clean page-cache pages). */
  private reclaimers: (() => number)[] = [];
  /** How many allocations failed at the cap (after reclaiming). */
  capFailures = 0;

  /** @param capBytes the emulator memory cap: guests beyond it get ENOMEM or a clear kill. */
  constructor(capBytes = 4 * 1024 * 1024 * 1024) {
    const maxPages = Math.min(MAX_WASM_PAGES, Math.ceil(capBytes / WASM_PAGE));
    const initial = Math.min(maxPages, 256);
    this.memory = new WasmMemory({ initial, maximum: maxPages });
    this.maxFrames = maxPages * FRAMES_PER_WASM_PAGE;
    this.frameCapacity = initial * FRAMES_PER_WASM_PAGE;
    this.dv = new DataView(this.memory.buffer);
    this.u8 = new Uint8Array(this.memory.buffer);
    this.refs = new Int32Array(this.frameCapacity);
    this.writeMapped = new Uint8Array(this.frameCapacity);
    this.freeList = new Int32Array(1024);
    this.refs[0] = 1; // the zero frame is permanently referenced
  }

  /** The decode cache of a frame that holds code, or undefined. */
  codeCache(frame: number): CodePage | undefined {
    return this.code[frame];
  }

  /**
   * Starts watching a frame as code: creates its decode cache and tells every address space to
   * drop fast write entries for it, so later writes invalidate decoded instructions.
   */
  watchCode(frame: number): CodePage {
    let c = this.code[frame];
    if (c === undefined) {
      c = new CodePage();
      this.code[frame] = c;
      if (this.writeMapped[frame] !== 0) {
        for (const l of this.codeListeners) l(frame);
        this.writeMapped[frame] = 0;
      }
    }
    return c;
  }

  /** An address space put the frame in its fast write TLB (see writeMapped). */
  noteWriteMapped(frame: number): void {
    this.writeMapped[frame] = 1;
  }

  /** Subscribes to watchCode; returns the unsubscribe function (an address space calls it when disposed). */
  onCodeWatched(l: (frame: number) => void): () => void {
    this.codeListeners.add(l);
    return () => this.codeListeners.delete(l);
  }

  /** Subscribes to buffer replacements; returns the unsubscribe function. */
  onViewsChanged(l: ViewListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Subscribers of either kind (a test checks that disposed address spaces leave none behind). */
  get listenerCount(): number {
    return this.listeners.size + this.codeListeners.size;
  }

  get framesInUse(): number {
    return this.highWater - 1 - this.freeCount;
  }

  /** A zero-filled frame with reference count 1, or -1 when the cap is reached. */
  alloc(): number {
    let f: number;
    if (this.freeCount === 0 && this.highWater >= this.frameCapacity && !this.grow() && !this.reclaim()) {
      this.capFailures++;
      return -1;
    }
    if (this.freeCount > 0) {
      f = this.freeList[--this.freeCount]!;
      this.u8.fill(0, f * PAGE_SIZE, (f + 1) * PAGE_SIZE);
    } else {
      f = this.highWater++;
    }
    this.refs[f] = 1;
    return f;
  }

  /** Registers a reclaimer: called at the cap, it frees what frames it can and returns how many. */
  onPressure(reclaim: () => number): void {
    this.reclaimers.push(reclaim);
  }

  private reclaim(): boolean {
    for (const r of this.reclaimers) r();
    return this.freeCount > 0;
  }

  ref(f: number): void {
    this.refs[f]!++;
  }

  refCount(f: number): number {
    return this.refs[f]!;
  }

  unref(f: number): void {
    if (f === 0) return;
    const r = --this.refs[f]!;
    if (r === 0) {
      if (this.freeCount === this.freeList.length) {
        const bigger = new Int32Array(this.freeList.length * 2);
        bigger.set(this.freeList);
        this.freeList = bigger;
      }
      this.freeList[this.freeCount++] = f;
      this.code[f] = undefined;
    }
  }

  copyFrame(dst: number, src: number): void {
    this.u8.copyWithin(dst * PAGE_SIZE, src * PAGE_SIZE, (src + 1) * PAGE_SIZE);
  }

  private grow(): boolean {
    const curPages = this.frameCapacity / FRAMES_PER_WASM_PAGE;
    const maxPages = this.maxFrames / FRAMES_PER_WASM_PAGE;
    if (curPages >= maxPages) return false;
    const add = Math.min(Math.max(curPages, 16), maxPages - curPages);
    try {
      this.memory.grow(add);
    } catch {
      return false; // the host refused: treat as the cap
    }
    this.frameCapacity += add * FRAMES_PER_WASM_PAGE;
    const refs = new Int32Array(this.frameCapacity);
    refs.set(this.refs);
    this.refs = refs;
    const writeMapped = new Uint8Array(this.frameCapacity);
    writeMapped.set(this.writeMapped);
    this.writeMapped = writeMapped;
    this.dv = new DataView(this.memory.buffer);
    this.u8 = new Uint8Array(this.memory.buffer);
    for (const l of this.listeners) l();
    return true;
  }
}
