/**
 * Test cases of the differential tester: the instruction classes, and one reproducible case per
 * (seed, class, index): every case has its own random generator, so `--case N` rebuilds it alone.
 * A small share of cases ends with a word compat64 decodes as UNDEFINED, near the class's rows, to
 * check that qemu raises SIGILL there too.
 */
import { decodeName } from '../../src/cpu/a64/decoder.js';
import { Rng } from '../support/fp-values.js';
import { BRANCH_CLASS, INTEGER_CLASS } from './class-integer.js';
import { ATOMICS_CLASS, MEMORY_CLASS } from './class-memory.js';
import { UNDEFINED_CLASS } from './class-undefined.js';
import { CRYPTO_CLASS, FP_CLASS, MIXED_CLASS, SIMD_FP_CLASS, SIMD_INT_CLASS } from './class-vector.js';
import { type InsnClass, push, type Sequence } from './insn-class.js';
import type { DiffCase } from './layout.js';
import { undefinedInCompat64, undefinedNear } from './templates.js';

const NOP = 0xd503201f | 0;

export const CLASSES: readonly InsnClass[] = [
  INTEGER_CLASS,
  BRANCH_CLASS,
  MEMORY_CLASS,
  FP_CLASS,
  SIMD_INT_CLASS,
  SIMD_FP_CLASS,
  CRYPTO_CLASS,
  MIXED_CLASS,
  UNDEFINED_CLASS,
  // Last, so that the other classes' case seeds (which depend on the class's index) stay as they were.
  ATOMICS_CLASS,
];

export function classByName(name: string): InsnClass {
  const c = CLASSES.find((k) => k.name === name);
  if (!c) throw new Error(`unknown class ${name} (classes: ${CLASSES.map((k) => k.name).join(', ')})`);
  return c;
}

/** Row name given to the undefined-encoding probe words. */
export const UNDEFINED_PROBE = '(undefined probe)';

export interface CaseOptions {
  /** Longest sequence (words before the final BRK). */
  readonly maxLen: number;
  /** Share of cases that end with an undefined-encoding probe. */
  readonly undefinedRate: number;
  /** Rows (decoder names) left out of the sequences, e.g. while a known mismatch awaits its fix. */
  readonly exclude?: ReadonlySet<string>;
}

/** A 32-bit mix of the seed, class and case index (murmur3's finalizer), so cases are independent. */
function caseSeed(seed: number, cls: number, index: number): number {
  let h = (seed ^ Math.imul(cls + 1, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0 || 1;
}

/**
 * Words reserved inside their row end a sequence early: one is kept now and then (as the last word,
 * a check that qemu raises SIGILL too), the others are dropped, or replaced by NOPs where word
 * positions matter. Excluded rows (--exclude) go the same way, never kept.
 */
function dropReserved(cls: InsnClass, seq: Sequence, rng: Rng, exclude: ReadonlySet<string> | undefined): void {
  let keptReserved = false;
  for (let i = 0; i < seq.words.length; i++) {
    const excluded = exclude?.has(decodeName(seq.words[i]!)) === true;
    if (!excluded && !undefinedInCompat64(seq.words[i]!)) continue;
    if (!excluded && !keptReserved && rng.chance(0.1)) {
      keptReserved = true;
      seq.words.length = i + 1;
      seq.rows.length = i + 1;
      return;
    }
    if (cls.positional) {
      seq.words[i] = NOP;
      seq.rows[i] = excluded ? 'NOP (was excluded)' : 'NOP (was reserved)';
    } else {
      seq.words.splice(i, 1);
      seq.rows.splice(i, 1);
      i--;
    }
  }
  if (seq.words.length === 0) push(seq, NOP, 'HINT');
}

/** Case number `index` of a class for a seed. */
export function makeCase(cls: InsnClass, seed: number, index: number, opts: CaseOptions): DiffCase {
  const rng = new Rng(caseSeed(seed, CLASSES.indexOf(cls), index));
  const { state, sandbox } = cls.initial(rng);
  const len = 1 + rng.int(opts.maxLen);
  const seq = cls.build(rng, len);
  if (!cls.undefinedOnly) dropReserved(cls, seq, rng, opts.exclude);
  // Undefined probes run on the ARMv8.0 model only: a later CPU implements more of the space.
  if (!cls.undefinedOnly && cls.model(seq) === 'cortex-a72' && rng.chance(opts.undefinedRate)) {
    const w = undefinedNear(cls.templates, rng);
    if (w !== undefined) push(seq, w, UNDEFINED_PROBE);
  }
  return { cls: cls.name, code: Int32Array.from(seq.words), state, sandbox, model: cls.model(seq), rows: seq.rows };
}
