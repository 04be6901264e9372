import type { Encoding } from './encoding.js';

export const FP_ENCODINGS: readonly Encoding[] = [];
