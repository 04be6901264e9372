import type { Encoding } from './encoding.js';

export const LDST_SIMD_ENCODINGS: readonly Encoding[] = [];
