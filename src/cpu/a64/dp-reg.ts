import type { Encoding } from './encoding.js';

export const DP_REG_ENCODINGS: readonly Encoding[] = [];
