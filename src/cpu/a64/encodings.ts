/**
 * The A64 encodings table: one row per encoding, gathered from the instruction classes.
 * Each class file declares its rows beside its handlers (see encoding.ts for the row format).
 */
import { BRANCH_ENCODINGS } from './branch.js';
import { CRYPTO_ENCODINGS } from './crypto.js';
import { DP_IMM_ENCODINGS } from './dp-imm.js';
import { DP_REG_ENCODINGS } from './dp-reg.js';
import type { Encoding } from './encoding.js';
import { FP_ENCODINGS } from './fp.js';
import { LDST_ENCODINGS } from './ldst.js';
import { LDST_SIMD_ENCODINGS } from './ldst-simd.js';
import { SIMD_FP_ENCODINGS } from './simd-fp.js';
import { SIMD_INT_ENCODINGS } from './simd-int.js';
import { SIMD_PERM_ENCODINGS } from './simd-perm.js';
import { SYSTEM_ENCODINGS } from './system.js';

export const ENCODINGS: readonly Encoding[] = [
  ...DP_IMM_ENCODINGS,
  ...DP_REG_ENCODINGS,
  ...BRANCH_ENCODINGS,
  ...SYSTEM_ENCODINGS,
  ...LDST_ENCODINGS,
  ...LDST_SIMD_ENCODINGS,
  ...FP_ENCODINGS,
  ...SIMD_INT_ENCODINGS,
  ...SIMD_FP_ENCODINGS,
  ...SIMD_PERM_ENCODINGS,
  ...CRYPTO_ENCODINGS,
];
