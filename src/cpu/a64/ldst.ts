/**
 * A64 loads and stores, except the AdvSIMD structure loads/stores (ldst-simd.ts): the rows of each
 * group, gathered here. Addressing helpers are in ldst-address.ts.
 */
import type { Encoding } from './encoding.js';
import { LDST_ATOMIC_ENCODINGS } from './ldst-atomic.js';
import { LDST_EXCLUSIVE_ENCODINGS } from './ldst-exclusive.js';
import { LDST_FP_ENCODINGS } from './ldst-fp.js';
import { LDST_GPR_ENCODINGS } from './ldst-gpr.js';
import { LDST_PAIR_ENCODINGS } from './ldst-pair.js';

export const LDST_ENCODINGS: readonly Encoding[] = [
  ...LDST_GPR_ENCODINGS,
  ...LDST_PAIR_ENCODINGS,
  ...LDST_FP_ENCODINGS,
  ...LDST_EXCLUSIVE_ENCODINGS,
  ...LDST_ATOMIC_ENCODINGS,
];
