import type { CompiledBlock } from '../../memory/code-page.js';
import { BRANCH_ENCODINGS } from './branch.js';
import type { Cpu } from './cpu.js';
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

export interface BlockResult {
  fn: CompiledBlock;
  length: number;
}

/**
 * Compiles the block starting at pc, whose words are read with readWord(offsetInPage) from the page
 * holding pc (blocks never cross a page). Returns undefined when the first instruction is undefined.
 * The block is position independent: it takes its start address as an argument, because it is
 * cached with the physical frame, which other processes may map at other addresses.
 */
export function compileBlock(pc: number, readWord: (off: number) => number): BlockResult | undefined {
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
  const used = [...new Set(ids)];
  const names = used.map((id) => `h${id}`);
  const body: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const last = i === ids.length - 1;
    body.push(`c.pc = b + ${4 * i};`);
    if (last) body.push(`c.npc = b + ${4 * i + 4};`);
    body.push(`h${ids[i]}(c, ${words[i]! | 0});`);
    if (!last) body.push('if (c.exit !== 0) return k + ' + (i + 1) + ';');
  }
  // A block that branches back to its own start (a tight loop) keeps looping inside the function,
  // up to LOOP_LIMIT times, instead of returning to the dispatcher each iteration.
  const n = ids.length;
  const src = `${names.map((nm, k) => `const ${nm} = H[${used[k]}];`).join('\n')}
return function block_${pc.toString(16)}(c, b) {
let k = 0;
for (;;) {
${body.join('\n')}
k += ${n};
if (c.exit !== 0 || c.npc !== b || k >= ${LOOP_LIMIT * n}) return k;
}
};`;
  const fn = new Function('H', src)(HANDLERS) as (cpu: Cpu, start: number) => number;
  return { fn: fn as CompiledBlock, length: ids.length };
}
