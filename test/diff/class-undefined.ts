/**
 * The undefined class of the differential tester: single random words from the whole encoding space
 * that compat64 treats as undefined (no row, or reserved inside a row). qemu-aarch64's Cortex-A72
 * must raise SIGILL on each too; a word it executes instead is an ARMv8.0 (or crypto) encoding
 * compat64 is missing. Branch encodings are left out (a branch compat64 lacks would jump anywhere,
 * the harness included; the branch rows are checked by the branch class).
 */
import type { Rng } from '../support/fp-values.js';
import { randomState } from './initial-state.js';
import { type InsnClass, push, type Sequence } from './insn-class.js';
import { undefinedInCompat64 } from './templates.js';

/** Unconditional/conditional immediate branches, compare/test and branch, branch (register). */
function isBranchSpace(w: number): boolean {
  return (
    (w & 0x7c000000) === 0x14000000 ||
    (w & 0x7e000000) === 0x34000000 ||
    (w & 0x7e000000) === 0x36000000 ||
    (w & 0xff000000) === 0x54000000 ||
    (w & 0xfe000000) === 0xd6000000
  );
}

function buildUndefined(rng: Rng, _len: number): Sequence {
  const seq: Sequence = { words: [], rows: [] };
  for (;;) {
    const w = rng.u32() | 0;
    if (isBranchSpace(w) || !undefinedInCompat64(w)) continue;
    push(seq, w, 'UNDEFINED');
    return seq;
  }
}

export const UNDEFINED_CLASS: InsnClass = {
  name: 'undefined',
  summary: 'random words of the whole encoding space that compat64 leaves undefined: qemu must raise SIGILL too',
  templates: [],
  build: buildUndefined,
  undefinedOnly: true,
  initial: (rng) => ({ state: randomState(rng, 'any', false), sandbox: new Uint8Array(0) }),
  model: () => 'cortex-a72',
};
