/**
 * The load/store class of the differential tester: random words of every load/store row (general,
 * pair, SIMD&FP, structure, exclusive, LSE atomic, literal, prefetch) and the EL0 cache maintenance
 * instructions, with register fields given roles so that addresses stay inside the sandbox: the base
 * is one of the pointer registers (X24-X29, SP), register offsets come from the small index registers
 * (X20-X23), loads write only data registers, and scaled 12-bit offsets and literal offsets are kept
 * short. Writeback moves pointers by at most a few hundred bytes, so most accesses stay in bounds; the
 * ones that leave it fault on both sides, which is compared too.
 */
import type { Encoding } from '../../src/cpu/a64/encoding.js';
import { LDST_ENCODINGS } from '../../src/cpu/a64/ldst.js';
import { LDST_ATOMIC_ENCODINGS } from '../../src/cpu/a64/ldst-atomic.js';
import { LDST_EXCLUSIVE_ENCODINGS } from '../../src/cpu/a64/ldst-exclusive.js';
import { LDST_FP_ENCODINGS } from '../../src/cpu/a64/ldst-fp.js';
import { LDST_PAIR_ENCODINGS } from '../../src/cpu/a64/ldst-pair.js';
import { LDST_SIMD_ENCODINGS } from '../../src/cpu/a64/ldst-simd.js';
import { SYSTEM_ENCODINGS } from '../../src/cpu/a64/system.js';
import type { Rng } from '../support/fp-values.js';
import { ALIGNED_POINTER_REGS, DATA_REGS, INDEX_REGS, memoryState, POINTER_REGS } from './initial-state.js';
import { type InsnClass, push, repeatUnits, type Sequence } from './insn-class.js';
import { CODE_SIZE } from './layout.js';
import { field, randomWord, setField, type Template, templateOf } from './templates.js';

const names = (rows: readonly Encoding[]) => new Set(rows.map((e) => e.name));

const CACHE_ROWS = new Set(['DC_ZVA', 'DC_CVAC', 'DC_CVAU', 'DC_CIVAC', 'IC_IVAU']);
const ROWS: readonly Encoding[] = [
  ...LDST_ENCODINGS,
  ...LDST_SIMD_ENCODINGS,
  ...SYSTEM_ENCODINGS.filter((e) => CACHE_ROWS.has(e.name)),
];
const TEMPLATES: readonly Template[] = ROWS.map(templateOf);
const BY_NAME = new Map(TEMPLATES.map((t) => [t.name, t]));

/** Rows whose Rt (and Rt2) name SIMD&FP registers. */
const VECTOR_ROWS = new Set([
  ...names(LDST_FP_ENCODINGS),
  ...names(LDST_SIMD_ENCODINGS),
  ...[...names(LDST_PAIR_ENCODINGS)].filter((n) => /_v[sdq]/.test(n)),
]);
/** Rows with a second transfer register in bits 14:10. */
const PAIR_ROWS = new Set([...names(LDST_PAIR_ENCODINGS), 'LDXP', 'LDAXP', 'STXP', 'STLXP']);
/** Rows whose Rs is the status result of a store-exclusive. */
const STATUS_ROWS = new Set(['STXR', 'STLXR', 'STXP', 'STLXP']);
/** Rows whose Rs or Rt2 field should be all ones. */
const RS_ONES = new Set(['LDXR', 'LDAXR', 'LDXP', 'LDAXP', 'STLR', 'LDAR']);
const ALIGNED_ROWS = new Set([...names(LDST_EXCLUSIVE_ENCODINGS), ...names(LDST_ATOMIC_ENCODINGS)]);
const LSE_ROWS = names(LDST_ATOMIC_ENCODINGS);

function dataReg(rng: Rng, vector: boolean, allowZr: boolean): number {
  if (vector) return rng.int(32);
  if (allowZr && rng.chance(0.08)) return 31;
  return rng.pick(DATA_REGS);
}

function pointer(rng: Rng, aligned: boolean, allowSp: boolean): number {
  const set = aligned && rng.chance(0.9) ? ALIGNED_POINTER_REGS : POINTER_REGS;
  for (;;) {
    const r = rng.pick(set);
    if (allowSp || r !== 31) return r;
  }
}

/** A random word of the row with register and offset fields chosen so the access stays in the sandbox. */
function instance(t: Template, rng: Rng, pos: number): number {
  let w = randomWord(t, rng);
  const name = t.name;
  const vector = VECTOR_ROWS.has(name);
  const pair = PAIR_ROWS.has(name);
  const aligned = ALIGNED_ROWS.has(name);
  const n = field(t, 'n', 5);
  if (n) w = setField(w, n, pointer(rng, aligned, true));
  const tf = field(t, 't', 5);
  let rt = -1;
  if (tf) {
    if (CACHE_ROWS.has(name)) rt = pointer(rng, name === 'DC_ZVA', false);
    else if (name.startsWith('PRFM') || name === 'PRFUM') rt = rng.int(32);
    else if (name === 'CASP') rt = rng.pick(DATA_REGS) & ~1;
    else rt = dataReg(rng, vector, !pair);
    w = setField(w, tf, rt);
  }
  const uf = field(t, 'u', 5);
  let rt2 = -1;
  if (uf) {
    if (pair) {
      do rt2 = dataReg(rng, vector, false);
      while (rt2 === rt);
    } else rt2 = 31;
    w = setField(w, uf, rt2);
  }
  const sf = field(t, 's', 5);
  if (sf) {
    let rs: number;
    if (RS_ONES.has(name)) rs = 31;
    else if (name === 'CASP') rs = rng.pick(DATA_REGS) & ~1;
    else if (STATUS_ROWS.has(name)) {
      do rs = rng.pick(DATA_REGS);
      while (rs === rt || rs === rt2);
    } else rs = dataReg(rng, false, true);
    w = setField(w, sf, rs);
  }
  const mf = field(t, 'm', 5);
  if (mf) w = setField(w, mf, rng.chance(0.2) ? 31 : rng.pick(INDEX_REGS));
  const imm12 = field(t, 'i', 12);
  if (imm12 && !rng.chance(0.03)) w = setField(w, imm12, rng.int(64));
  const lit = field(t, 'i', 19);
  if (lit) {
    // A literal inside the code page (sequence, BRK, zeros), mostly; sometimes before it (a fault).
    const target = rng.chance(0.05) ? -1 - rng.int(8) : rng.int(CODE_SIZE / 4 - 4);
    w = setField(w, lit, target - pos);
  }
  return w;
}

const EXCLUSIVE_PAIRS: readonly [string, string][] = [
  ['LDXR', 'STXR'],
  ['LDAXR', 'STLXR'],
  ['LDXP', 'STXP'],
  ['LDAXP', 'STLXP'],
];

/**
 * Store-exclusives are generated only right after a load-exclusive of the same size from the same
 * register, because the other cases are ones where qemu departs from the architecture or the
 * architecture leaves the result open: a misaligned store-exclusive is an alignment fault even when
 * the monitor does not cover it (AArch64.ExclusiveMonitorsPass checks alignment first; qemu just
 * fails the store), and whether a store-exclusive of another size than the load passes is
 * CONSTRAINED UNPREDICTABLE.
 */
const RANDOM_TEMPLATES: readonly Template[] = TEMPLATES.filter((t) => !STATUS_ROWS.has(t.name));

/** LDXR/LDAXR (or the pair forms) and a store-exclusive of the same size to the same address. */
function emitExclusivePair(rng: Rng, seq: Sequence): void {
  const [ld, st] = rng.pick(EXCLUSIVE_PAIRS);
  const lt = BY_NAME.get(ld)!;
  const stt = BY_NAME.get(st)!;
  const ptr = pointer(rng, true, true);
  let a = instance(lt, rng, seq.words.length);
  a = setField(a, field(lt, 'n', 5)!, ptr);
  let b = instance(stt, rng, seq.words.length + 1);
  b = setField(b, field(stt, 'n', 5)!, ptr);
  // Same size (bits 31:30) for both.
  b = (b & 0x3fffffff) | (a & 0xc0000000) | 0;
  push(seq, a, ld);
  push(seq, b, st);
}

function emitMemory(rng: Rng, seq: Sequence): void {
  if (rng.chance(0.05)) {
    emitExclusivePair(rng, seq);
    return;
  }
  const t = rng.pick(RANDOM_TEMPLATES);
  push(seq, instance(t, rng, seq.words.length), t.name);
}

/** LSE rows plus the exclusives without a status result (store-exclusives come in pairs). */
const ATOMIC_TEMPLATES: readonly Template[] = TEMPLATES.filter(
  (t) => LSE_ROWS.has(t.name) || (ALIGNED_ROWS.has(t.name) && !STATUS_ROWS.has(t.name)),
);
/** Plain loads and stores that read back or disturb what the atomics leave in the sandbox. */
const PLAIN_TEMPLATES: readonly Template[] = [
  'LDR_w_imm_uoff',
  'LDR_x_imm_uoff',
  'STR_w_imm_uoff',
  'STR_x_imm_uoff',
  'LDP_x_off',
  'STP_x_off',
].map((n) => {
  const t = BY_NAME.get(n);
  if (!t) throw new Error(`atomics class: no row ${n}`);
  return t;
});

function emitAtomic(rng: Rng, seq: Sequence): void {
  const r = rng.int(100);
  if (r < 15) emitExclusivePair(rng, seq);
  else {
    const t = r < 25 ? rng.pick(PLAIN_TEMPLATES) : rng.pick(ATOMIC_TEMPLATES);
    push(seq, instance(t, rng, seq.words.length), t.name);
  }
}

export const MEMORY_CLASS: InsnClass = {
  name: 'ldst',
  summary: 'loads/stores: general, pair, SIMD&FP, LD1-4/ST1-4, exclusive, LSE atomic, literal, PRFM, DC/IC',
  templates: TEMPLATES,
  build: repeatUnits(emitMemory),
  initial: memoryState,
  // LSE atomics are ARMv8.1: qemu's Cortex-A72 lacks them, its Neoverse-N1 has them.
  model: (seq) => (seq.rows.some((r) => LSE_ROWS.has(r)) ? 'neoverse-n1' : 'cortex-a72'),
};

/**
 * The atomics class: the LSE rows (LDADD…LDUMIN, SWP, CAS, CASP in every size and ordering) and the
 * exclusives, densely, with a few plain loads and stores between them. The ldst class has them too,
 * but among a hundred other rows.
 */
export const ATOMICS_CLASS: InsnClass = {
  name: 'atomics',
  summary: 'LSE atomics (LDADD…, SWP, CAS, CASP) and load/store-exclusive pairs, densely',
  templates: ATOMIC_TEMPLATES,
  build: repeatUnits(emitAtomic),
  initial: memoryState,
  model: (seq) => (seq.rows.some((r) => LSE_ROWS.has(r)) ? 'neoverse-n1' : 'cortex-a72'),
};
