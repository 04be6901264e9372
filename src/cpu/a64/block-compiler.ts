import type { CompiledBlock } from '../../memory/code-page.js';
import { BRANCH_ENCODINGS } from './branch.js';
import { decode, HANDLER_NAMES, HANDLERS, UNDEFINED_ID } from './decoder.js';

/**
 * The second execution tier: a hot straight-line run of instructions (up to a branch, an exception
 * instruction, the end of the page or MAX_BLOCK) becomes one JavaScript function that calls each
 * instruction's handler directly with its word as a constant. Every call site is then monomorphic,
 * so V8 inlines the handlers and folds their field extraction — the interpreter's indirect dispatch
 * per instruction disappears. Semantics are the interpreter's: pc is set before each instruction
 * (faults and pc-relative handlers see it), npc before the last, and any exit stops the block.
 */
export const MAX_BLOCK = 64;
/** Iterations a self-looping block may run before returning to the dispatcher (keeps time slices fair). */
const LOOP_LIMIT = 256;

const ENDS_BLOCK = new Set<string>([...BRANCH_ENCODINGS.map((e) => e.name), 'UNDEFINED', 'WFE', 'WFI', 'YIELD']);
const endsBlock = new Uint8Array(HANDLERS.length);
HANDLER_NAMES.forEach((n, id) => {
  endsBlock[id] = ENDS_BLOCK.has(n) ? 1 : 0;
});

/** How many words the block starting at pc would hold (0 when its first instruction is undefined). */
export function blockLength(pc: number, readWord: (off: number) => number): number {
  let n = 0;
  for (let off = pc % 4096; off < 4096 && n < MAX_BLOCK; off += 4) {
    const id = decode(readWord(off));
    if (id === UNDEFINED_ID) break;
    n++;
    if (endsBlock[id]) break;
  }
  return n;
}

/** The JavaScript of one block: a function expression over the handler constants `h<id>`. */
export interface BlockSource {
  /** `function block_<pc>(c, b) { … }` */
  fn: string;
  /** Handler ids the function calls (each bound once as `const h<id> = H[<id>]`). */
  used: readonly number[];
  length: number;
}

/**
 * The source of the block starting at pc, whose words are read with readWord(offsetInPage) from the
 * page holding pc (blocks never cross a page). Undefined when the first instruction is undefined.
 * The block is position independent: it takes its start address as an argument, because it is
 * cached with the physical frame, which other processes may map at other addresses.
 */
export function blockSource(pc: number, readWord: (off: number) => number): BlockSource | undefined {
  const pageOff = pc % 4096;
  const ids: number[] = [];
  const words: number[] = [];
  for (let off = pageOff; off < 4096 && ids.length < MAX_BLOCK; off += 4) {
    const w = readWord(off);
    const id = decode(w);
    if (id === UNDEFINED_ID && ids.length > 0) break; // let the interpreter raise it with the right pc
    ids.push(id);
    words.push(w);
    if (endsBlock[id]) break;
  }
  if (ids.length === 0 || ids[0] === UNDEFINED_ID) return undefined;
  const body: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const last = i === ids.length - 1;
    body.push(`c.pc = b + ${4 * i};`);
    if (last) body.push(`c.npc = b + ${4 * i + 4};`);
    body.push(`h${ids[i]}(c, ${words[i]! | 0});`);
    if (!last) body.push(`if (c.exit !== 0) return k + ${i + 1};`);
  }
  // A block that branches back to its own start (a tight loop) keeps looping inside the function,
  // up to LOOP_LIMIT times, instead of returning to the dispatcher each iteration.
  const n = ids.length;
  const fn = `function block_${pc.toString(16)}(c, b) {
let k = 0;
for (;;) {
${body.join('\n')}
k += ${n};
if (c.exit !== 0 || c.npc !== b || k >= ${LOOP_LIMIT * n}) return k;
}
}`;
  return { fn, used: [...new Set(ids)], length: n };
}

/**
 * Turns block sources into functions with ONE `new Function`: creating a script has a fixed cost
 * (~100 µs) that dominated programs with thousands of warm blocks (python's start-up compiles ~6600),
 * so the CPU queues hot blocks and compiles them in batches.
 */
export function compileBlocks(sources: readonly BlockSource[]): CompiledBlock[] {
  const used = new Set<number>();
  for (const s of sources) for (const id of s.used) used.add(id);
  const consts = [...used].map((id) => `const h${id} = H[${id}];`).join('\n');
  const src = `${consts}\nreturn [\n${sources.map((s) => s.fn).join(',\n')}\n];`;
  return new Function('H', src)(HANDLERS) as CompiledBlock[];
}
