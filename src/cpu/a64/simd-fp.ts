import type { Encoding } from './encoding.js';

export const SIMD_FP_ENCODINGS: readonly Encoding[] = [];
