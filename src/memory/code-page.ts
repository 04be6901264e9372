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

export class CodePage {
  readonly ids = new Uint16Array(WORDS);
  readonly hits = new Uint8Array(WORDS);
  readonly blocks: (CompiledBlock | undefined)[] = new Array(WORDS).fill(undefined);
  hasBlocks = false;

  /** A write to bytes [from, to) of the frame: forget decodings there and every compiled block of the page. */
  invalidate(from: number, to: number): void {
    this.ids.fill(0, from >>> 2, (to + 3) >>> 2);
    if (this.hasBlocks) {
      this.blocks.fill(undefined);
      this.hits.fill(0);
      this.hasBlocks = false;
    }
  }
}
