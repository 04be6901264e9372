import type { Encoding } from './encoding.js';

export const SIMD_PERM_ENCODINGS: readonly Encoding[] = [];
