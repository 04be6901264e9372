import type { Encoding } from './encoding.js';

export const SIMD_INT_ENCODINGS: readonly Encoding[] = [];
