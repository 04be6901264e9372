import type { Encoding } from './encoding.js';

export const DP_IMM_ENCODINGS: readonly Encoding[] = [];
