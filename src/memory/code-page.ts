/**
 * What the CPU keeps about a frame that holds code: the decoded handler id of each word
 * (0 = not decoded), a hit counter per word for choosing hot block starts, and compiled blocks
 * by start word. Writes to the frame invalidate it (the memory layer calls invalidate()).
 */
/**
 * A compiled block: runs from its start address (given at each call, since one frame may be mapped
 * at different addresses — a shared library in two processes, a memfd mapped twice) and returns how
 * many instructions it retired.
 */
export type CompiledBlock = (cpu: never, start: number) => number;

const WORDS = 1024;

/** The shared "no compiled block" array of a page that has none: most code pages never get one. */
const NO_BLOCKS: readonly (CompiledBlock | undefined)[] = new Array<undefined>(WORDS).fill(undefined);

/**
 * ids and hits of many pages are views into one slab: a typed array of its own costs each page a
 * separate backing store, and a short run watches ~100 code pages (~1 ms of `busybox true`).
 */
const SLAB_PAGES = 64;
const PAGE_BYTES = WORDS * 3;
let slab: ArrayBuffer | undefined;
let slabUsed = SLAB_PAGES;

export class CodePage {
  readonly ids: Uint16Array;
  readonly hits: Uint8Array;
  /** Compiled blocks by start word; NO_BLOCKS (shared, never written) until the first is stored. */
  blocks: readonly (CompiledBlock | undefined)[] = NO_BLOCKS;
  hasBlocks = false;

  constructor() {
    if (slabUsed === SLAB_PAGES) {
      slab = new ArrayBuffer(SLAB_PAGES * PAGE_BYTES);
      slabUsed = 0;
    }
    const at = slabUsed++ * PAGE_BYTES;
    this.ids = new Uint16Array(slab!, at, WORDS);
    this.hits = new Uint8Array(slab!, at + 2 * WORDS, WORDS);
  }

  /** Stores a compiled block starting at word wi. */
  setBlock(wi: number, block: CompiledBlock): void {
    if (this.blocks === NO_BLOCKS) this.blocks = new Array<CompiledBlock | undefined>(WORDS).fill(undefined);
    (this.blocks as (CompiledBlock | undefined)[])[wi] = block;
    this.hasBlocks = true;
  }

  /** A write to bytes [from, to) of the frame: forget decodings there and every compiled block of the page. */
  invalidate(from: number, to: number): void {
    this.ids.fill(0, from >>> 2, (to + 3) >>> 2);
    if (this.hasBlocks) {
      this.blocks = NO_BLOCKS;
      this.hits.fill(0);
      this.hasBlocks = false;
    }
  }
}
