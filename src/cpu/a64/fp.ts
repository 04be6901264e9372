/**
 * Scalar floating point: the encodings of the data-processing (fp-arith.ts) and conversion
 * (fp-convert.ts) groups. Semantics shared with AdvSIMD live in fp-ops.ts, fp-compare.ts,
 * fp-conv-ops.ts, fp-estimate.ts and the exact rounding in fp-round.ts.
 */
import type { Encoding } from './encoding.js';
import { FP_ARITH_ENCODINGS } from './fp-arith.js';
import { FP_CONVERT_ENCODINGS } from './fp-convert.js';

export const FP_ENCODINGS: readonly Encoding[] = [...FP_ARITH_ENCODINGS, ...FP_CONVERT_ENCODINGS];
