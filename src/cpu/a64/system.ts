import type { Encoding } from './encoding.js';

export const SYSTEM_ENCODINGS: readonly Encoding[] = [];
