/**
 * Scalar floating point: the encodings of the data-processing (fp-arith.ts) and conversion
 * (fp-convert.ts) groups. Semantics shared with AdvSIMD live in fp-ops.ts (unpack, NaN rules,
 * add/mul/div/sqrt), fp-fma.ts (fused multiply-add), fp-compare.ts, fp-conv-ops.ts, fp-estimate.ts
 * and the exact rounding engine fp-round.ts (all FPCR.RMode values, FZ, DN, AHP; FPSR IOC, DZC, OFC,
 * UFC, IXC, IDC).
 *
 * Not implemented (no rows, so SIGILL; none is advertised in id-registers.ts): half-precision
 * arithmetic and conversions to/from integers (FEAT_FP16: only FCVT and FMOV handle half precision),
 * BFloat16 (BFCVT…), FRINT32Z/32X/64Z/64X (FEAT_FRINTTS), FCADD/FCMLA (FEAT_FCMA), FMLAL/FMLSL
 * (FEAT_FHM), FEAT_AFP (FPCR.AH/FIZ/NEP are ignored) and FEAT_RPRES; FP exception traps (FPCR
 * IOE…IDE) are ignored as on hardware without trap support. FJCVTZS (FEAT_JSCVT) is implemented.
 */
import type { Encoding } from './encoding.js';
import { FP_ARITH_ENCODINGS } from './fp-arith.js';
import { FP_CONVERT_ENCODINGS } from './fp-convert.js';

export const FP_ENCODINGS: readonly Encoding[] = [...FP_ARITH_ENCODINGS, ...FP_CONVERT_ENCODINGS];
