import type { Encoding } from './encoding.js';

export const BRANCH_ENCODINGS: readonly Encoding[] = [];
