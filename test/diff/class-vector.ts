/**
 * The FP and vector classes of the differential tester: scalar FP, AdvSIMD integer (with permutes,
 * copies and modified immediates), AdvSIMD FP, and the Cryptographic Extension (AES, SHA-1, SHA-256,
 * PMULL/PMULL2 with 64-bit lanes), and all of these with the integer instructions interleaved. Words
 * are random words of the rows with every field random; the state has FP-interesting lanes and, for
 * the FP classes, random rounding modes, FZ, DN and AHP.
 */
import { CRYPTO_ENCODINGS } from '../../src/cpu/a64/crypto.js';
import { FP_ENCODINGS } from '../../src/cpu/a64/fp.js';
import { SIMD_FP_ENCODINGS } from '../../src/cpu/a64/simd-fp.js';
import { SIMD_INT_ENCODINGS } from '../../src/cpu/a64/simd-int.js';
import { SIMD_PERM_ENCODINGS } from '../../src/cpu/a64/simd-perm.js';
import type { Rng } from '../support/fp-values.js';
import { emitInteger } from './class-integer.js';
import { randomState } from './initial-state.js';
import { type InsnClass, push, repeatUnits, type Sequence } from './insn-class.js';
import { randomWord, type Template, templateOf } from './templates.js';

function randomRows(templates: readonly Template[]): (rng: Rng, seq: Sequence) => void {
  return (rng, seq) => {
    const t = rng.pick(templates);
    push(seq, randomWord(t, rng), t.name);
  };
}

const FP_TEMPLATES = FP_ENCODINGS.map(templateOf);

export const FP_CLASS: InsnClass = {
  name: 'fp',
  summary: 'scalar FP: arithmetic, FMADD family, compares, FCSEL, conversions (all rounding modes), FMOV',
  templates: FP_TEMPLATES,
  build: repeatUnits(randomRows(FP_TEMPLATES)),
  initial: (rng) => ({
    state: randomState(rng, rng.pick(['d', 's', 'h', 'any'] as const), true),
    sandbox: new Uint8Array(0),
  }),
  model: () => 'cortex-a72',
};

/** PMULL/PMULL2 with size 3 (64-bit lanes) belongs to the crypto class. */
function isPmull64(t: Template, w: number): boolean {
  return t.name === 'PMULL' && ((w >>> 22) & 3) === 3;
}

const SIMD_INT_TEMPLATES = [...SIMD_INT_ENCODINGS, ...SIMD_PERM_ENCODINGS].map(templateOf);

function emitSimdInt(rng: Rng, seq: Sequence): void {
  const t = rng.pick(SIMD_INT_TEMPLATES);
  let w = randomWord(t, rng);
  while (isPmull64(t, w)) w = randomWord(t, rng);
  push(seq, w, t.name);
}

export const SIMD_INT_CLASS: InsnClass = {
  name: 'simd-int',
  summary:
    'AdvSIMD integer: three-same/different, two-reg misc, shifts, across lanes, by element, permutes, TBL/TBX, MOVI, INS/DUP/UMOV',
  templates: SIMD_INT_TEMPLATES,
  build: repeatUnits(emitSimdInt),
  initial: (rng) => ({ state: randomState(rng, 'any', false), sandbox: new Uint8Array(0) }),
  model: () => 'cortex-a72',
};

const SIMD_FP_TEMPLATES = SIMD_FP_ENCODINGS.map(templateOf);

export const SIMD_FP_CLASS: InsnClass = {
  name: 'simd-fp',
  summary: 'AdvSIMD FP: arithmetic, pairwise, reductions, by element, compares, conversions, estimates, FRINT',
  templates: SIMD_FP_TEMPLATES,
  build: repeatUnits(randomRows(SIMD_FP_TEMPLATES)),
  initial: (rng) => ({
    state: randomState(rng, rng.pick(['d', 's', 'any'] as const), true),
    sandbox: new Uint8Array(0),
  }),
  model: () => 'cortex-a72',
};

const CRYPTO_TEMPLATES = CRYPTO_ENCODINGS.map(templateOf);
const PMULL = templateOf(SIMD_INT_ENCODINGS.find((e) => e.name === 'PMULL')!);

function emitCrypto(rng: Rng, seq: Sequence): void {
  if (rng.chance(0.2)) {
    push(seq, randomWord(PMULL, rng) | (3 << 22), 'PMULL');
    return;
  }
  const t = rng.pick(CRYPTO_TEMPLATES);
  push(seq, randomWord(t, rng), t.name);
}

export const CRYPTO_CLASS: InsnClass = {
  name: 'crypto',
  summary: 'AESE/AESD/AESMC/AESIMC, SHA1C/P/M/H/SU0/SU1, SHA256H/H2/SU0/SU1, PMULL/PMULL2 .1q',
  templates: [...CRYPTO_TEMPLATES, PMULL],
  build: repeatUnits(emitCrypto),
  initial: (rng) => ({ state: randomState(rng, 'any', false), sandbox: new Uint8Array(0) }),
  model: () => 'cortex-a72',
};

const emitFp = randomRows(FP_TEMPLATES);
const emitSimdFp = randomRows(SIMD_FP_TEMPLATES);

/** One instruction of any register-only class: integer, FP, AdvSIMD integer and FP, crypto. */
function emitMixed(rng: Rng, seq: Sequence): void {
  const r = rng.int(5);
  if (r === 0) emitInteger(rng, seq);
  else if (r === 1) emitFp(rng, seq);
  else if (r === 2) emitSimdInt(rng, seq);
  else if (r === 3) emitSimdFp(rng, seq);
  else emitCrypto(rng, seq);
}

export const MIXED_CLASS: InsnClass = {
  name: 'mixed',
  summary: 'integer, FP, AdvSIMD and crypto instructions interleaved (values flow between register files)',
  templates: [...FP_TEMPLATES, ...SIMD_INT_TEMPLATES, ...SIMD_FP_TEMPLATES, ...CRYPTO_TEMPLATES],
  build: repeatUnits(emitMixed),
  initial: (rng) => ({ state: randomState(rng, 'any', true), sandbox: new Uint8Array(0) }),
  model: () => 'cortex-a72',
};
