/**
 * AdvSIMD floating point: the encodings of the arithmetic (simd-fp-arith.ts) and one-source /
 * conversion (simd-fp-misc.ts) groups. Lane semantics are shared with scalar FP (fp-ops.ts and friends).
 * Half-precision arithmetic (FEAT_FP16) has no rows; half precision appears only in FCVTL/FCVTN.
 */
import type { Encoding } from './encoding.js';
import { SIMD_FP_ARITH_ENCODINGS } from './simd-fp-arith.js';
import { SIMD_FP_MISC_ENCODINGS } from './simd-fp-misc.js';

export const SIMD_FP_ENCODINGS: readonly Encoding[] = [...SIMD_FP_ARITH_ENCODINGS, ...SIMD_FP_MISC_ENCODINGS];
