/**
 * The AdvSIMD integer instruction classes (ARMv8.0-A), vector and scalar forms. The handlers live in
 * one module per encoding group; this module gathers their rows for the encodings table.
 */
import type { Encoding } from './encoding.js';
import { SIMD_ACROSS_ENCODINGS } from './simd-across.js';
import { SIMD_ELEM_ENCODINGS } from './simd-elem.js';
import { SIMD_INT_ARITH_ENCODINGS } from './simd-int-arith.js';
import { SIMD_INT_LOGIC_ENCODINGS } from './simd-int-logic.js';
import { SIMD_INT_LONG_ENCODINGS } from './simd-int-long.js';
import { SIMD_INT_MISC_ENCODINGS } from './simd-int-misc.js';
import { SIMD_SHIFT_ENCODINGS } from './simd-shift.js';
import { SIMD_SHIFT_REG_ENCODINGS } from './simd-shift-reg.js';

export const SIMD_INT_ENCODINGS: readonly Encoding[] = [
  ...SIMD_INT_ARITH_ENCODINGS,
  ...SIMD_INT_LOGIC_ENCODINGS,
  ...SIMD_SHIFT_REG_ENCODINGS,
  ...SIMD_INT_LONG_ENCODINGS,
  ...SIMD_INT_MISC_ENCODINGS,
  ...SIMD_ACROSS_ENCODINGS,
  ...SIMD_SHIFT_ENCODINGS,
  ...SIMD_ELEM_ENCODINGS,
];
