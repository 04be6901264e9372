import type { Encoding } from './encoding.js';

export const LDST_ENCODINGS: readonly Encoding[] = [];
