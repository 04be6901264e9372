/**
 * Fixed scalar FP cases (inputs only); record.ts runs them under qemu-aarch64 and writes
 * test/cpu/a64/fp-cases.generated.ts. Each case names the architectural rule it pins down.
 * Registers 0..3 only (the oracle's limit).
 */
import { AHP, DN, type FpSpec, FZ, RM, RP, RZ } from '../../support/fp-case.js';

const MIN_SUB = 2 ** -1074;
const MIN_NORM = 2 ** -1022;

export const SCALAR_SPECS: readonly FpSpec[] = [
  // Arithmetic, rounding and the inexact flag.
  { name: 'FADD rounds to nearest even and sets IXC', asm: 'fadd d0, d1, d2', in: { d1: 0.1, d2: 0.2 } },
  { name: 'FADD exact sum sets no flag', asm: 'fadd d0, d1, d2', in: { d1: 1.5, d2: 2.25 } },
  { name: 'FADD rounds up under FPCR.RMode=RP', asm: 'fadd d0, d1, d2', in: { fpcr: RP, d1: 1, d2: 2 ** -60 } },
  { name: 'FADD rounds down under RM (negative)', asm: 'fadd d0, d1, d2', in: { fpcr: RM, d1: -1, d2: -(2 ** -60) } },
  { name: 'FADD truncates under RZ', asm: 'fadd d0, d1, d2', in: { fpcr: RZ, d1: 1, d2: 1 - 2 ** -53 } },
  { name: 'FADD x + (-x) is +0, or -0 under RM', asm: 'fadd d0, d1, d2', in: { fpcr: RM, d1: 3, d2: -3 } },
  { name: 'FADD -0 + -0 is -0', asm: 'fadd d0, d1, d2', in: { d1: -0, d2: -0 } },
  { name: 'FSUB Inf - Inf is the default NaN with IOC', asm: 'fsub d0, d1, d2', in: { d1: Infinity, d2: Infinity } },
  { name: 'FADD single: 1 + 2^-24 ties to even', asm: 'fadd s0, s1, s2', in: { s1: 1, s2: 2 ** -24 } },
  {
    name: 'FADD single overflows to Inf with OFC|IXC',
    asm: 'fadd s0, s1, s2',
    in: { s1: 3.4028234663852886e38, s2: 3.4028234663852886e38 },
  },
  {
    name: 'FADD single overflow under RZ gives the largest finite',
    asm: 'fadd s0, s1, s2',
    in: { fpcr: RZ, s1: 3.4028234663852886e38, s2: 3.4028234663852886e38 },
  },
  // The differential tester's seed 3, mixed case 34288: an operand of exactly DBL_MAX and an exact sum
  // halfway between two doubles of exponent 1023 (the error-free sum used to overflow in between).
  {
    name: 'FADD with DBL_MAX: a halfway sum under RM rounds down with IXC',
    asm: 'fadd d0, d1, d2',
    in: { fpcr: RM, d1: 'ffd234567f7fffff', d2: '7fefffffffffffff' },
  },
  {
    name: 'FADD with DBL_MAX: a halfway sum under RP rounds up with IXC',
    asm: 'fadd d0, d1, d2',
    in: { fpcr: RP, d1: '7fefffffffffffff', d2: 'ffd234567f7fffff' },
  },
  {
    name: 'FSUB of DBL_MAX: a halfway difference under RZ truncates with IXC',
    asm: 'fsub d0, d1, d2',
    in: { fpcr: RZ, d1: '7fefffffffffffff', d2: '7fd234567f7fffff' },
  },
  {
    name: 'FADD with -DBL_MAX: a halfway sum under RN ties to even with IXC',
    asm: 'fadd d0, d1, d2',
    in: { d1: 'ffefffffffffffff', d2: '7fd234567f7fffff' },
  },
  { name: 'FMUL tiny inexact result sets UFC|IXC', asm: 'fmul d0, d1, d2', in: { d1: MIN_NORM, d2: 0.75 } },
  { name: 'FMUL exact subnormal result sets no UFC', asm: 'fmul d0, d1, d2', in: { d1: MIN_NORM, d2: 0.5 } },
  {
    name: 'FMUL tiny result rounding up to the smallest normal still underflows',
    asm: 'fmul d0, d1, d2',
    in: { d1: MIN_NORM, d2: 1 - 2 ** -53 },
  },
  {
    name: 'FMUL under FZ flushes a tiny result to zero with UFC only',
    asm: 'fmul d0, d1, d2',
    in: { fpcr: FZ, d1: MIN_NORM, d2: 0.75 },
  },
  {
    name: 'FZ flushes a denormal input (IDC) before adding',
    asm: 'fadd d0, d1, d2',
    in: { fpcr: FZ, d1: MIN_SUB, d2: 1 },
  },
  {
    name: 'FMUL overflow under RP (negative) gives -max',
    asm: 'fmul d0, d1, d2',
    in: { fpcr: RP, d1: -1e300, d2: 1e300 },
  },
  { name: 'FMUL 0 * Inf is the default NaN with IOC', asm: 'fmul d0, d1, d2', in: { d1: -0, d2: Infinity } },
  { name: 'FNMUL negates the product', asm: 'fnmul d0, d1, d2', in: { d1: 1.5, d2: 2 } },
  { name: 'FNMUL negates a propagated NaN too', asm: 'fnmul d0, d1, d2', in: { d1: '7ff8000000000123', d2: 2 } },
  { name: 'FDIV 1/0 is Inf with DZC', asm: 'fdiv d0, d1, d2', in: { d1: 1, d2: -0 } },
  { name: 'FDIV 0/0 is the default NaN with IOC', asm: 'fdiv d0, d1, d2', in: { d1: 0, d2: 0 } },
  { name: 'FDIV 1/3 under RP rounds up', asm: 'fdiv d0, d1, d2', in: { fpcr: RP, d1: 1, d2: 3 } },
  { name: 'FDIV single 1/3 under RZ', asm: 'fdiv s0, s1, s2', in: { fpcr: RZ, s1: 1, s2: 3 } },
  { name: 'FSQRT of -1 is the default NaN with IOC', asm: 'fsqrt d0, d1', in: { d1: -1 } },
  { name: 'FSQRT of -0 is -0', asm: 'fsqrt d0, d1', in: { d1: -0 } },
  { name: 'FSQRT 2 under RM', asm: 'fsqrt d0, d1', in: { fpcr: RM, d1: 2 } },
  { name: 'FSQRT exact square sets no flag', asm: 'fsqrt s0, s1', in: { s1: 2.25 } },

  // NaN propagation.
  {
    name: 'a signalling NaN operand wins over an earlier quiet one (quietened, IOC)',
    asm: 'fadd d0, d1, d2',
    in: { d1: '7ff8000000000001', d2: '7ff0000000000002' },
  },
  {
    name: 'of two quiet NaNs the first operand propagates',
    asm: 'fadd d0, d1, d2',
    in: { d1: 'fff8000000000001', d2: '7ff8000000000002' },
  },
  {
    name: 'of two signalling NaNs the first operand propagates',
    asm: 'fmul s0, s1, s2',
    in: { s1: '7f800001', s2: '7f800002' },
  },
  {
    name: 'FPCR.DN replaces a propagated NaN with the default NaN',
    asm: 'fadd d0, d1, d2',
    in: { fpcr: DN, d1: 'fff8000000000001', d2: 1 },
  },
  {
    name: 'FMADD: a signalling addend wins (NaN order addend, n, m)',
    asm: 'fmadd d0, d1, d2, d3',
    in: { d1: '7ff8000000000001', d2: 1, d3: '7ff0000000000003' },
  },
  {
    name: 'FMADD: quiet addend with 0 * Inf is the default NaN with IOC',
    asm: 'fmadd d0, d1, d2, d3',
    in: { d1: 0, d2: Infinity, d3: '7ff8000000000003' },
  },
  {
    name: 'FMSUB negates a NaN from the first multiplicand',
    asm: 'fmsub d0, d1, d2, d3',
    in: { d1: '7ff8000000000001', d2: 1, d3: 1 },
  },

  // Fused multiply-add.
  {
    name: 'FMADD is fused: (1+2^-30)(1-2^-30) - 1 = -2^-60 exactly',
    asm: 'fmadd d0, d1, d2, d3',
    in: { d1: 1 + 2 ** -30, d2: 1 - 2 ** -30, d3: -1 },
  },
  {
    name: 'FMSUB is fused: 1 - 0.1*10 is the exact residual',
    asm: 'fmsub d0, d1, d2, d3',
    in: { d1: 0.1, d2: 10, d3: 1 },
  },
  { name: 'FNMADD -(a) - n*m', asm: 'fnmadd d0, d1, d2, d3', in: { d1: 3, d2: 5, d3: 7 } },
  { name: 'FNMSUB -(a) + n*m', asm: 'fnmsub d0, d1, d2, d3', in: { d1: 3, d2: 5, d3: 7 } },
  {
    name: 'FMADD single: one rounding of the exact sum (no double rounding)',
    asm: 'fmadd s0, s1, s2, s3',
    in: { s1: 1 + 2 ** -23, s2: 1 + 2 ** -23, s3: 2 ** -47 },
  },
  { name: 'FMADD exact zero is +0, -0 under RM', asm: 'fmadd d0, d1, d2, d3', in: { fpcr: RM, d1: 2, d2: 3, d3: -6 } },
  {
    name: 'FMADD with a tiny addend under RP',
    asm: 'fmadd d0, d1, d2, d3',
    in: { fpcr: RP, d1: 1, d2: 1, d3: MIN_SUB },
  },

  // FMAX/FMIN family.
  { name: 'FMAX(-0, +0) is +0', asm: 'fmax d0, d1, d2', in: { d1: -0, d2: 0 } },
  { name: 'FMIN(+0, -0) is -0', asm: 'fmin s0, s1, s2', in: { s1: 0, s2: -0 } },
  { name: 'FMAX propagates a quiet NaN', asm: 'fmax d0, d1, d2', in: { d1: 1, d2: '7ff8000000000005' } },
  {
    name: 'FMAXNM prefers the number to a quiet NaN',
    asm: 'fmaxnm d0, d1, d2',
    in: { d1: '7ff8000000000005', d2: -1 },
  },
  {
    name: 'FMINNM with a signalling NaN returns it quietened with IOC',
    asm: 'fminnm d0, d1, d2',
    in: { d1: 1, d2: '7ff0000000000005' },
  },

  // Compares.
  { name: 'FCMP less: NZCV 1000', asm: 'fcmp d1, d2', in: { d1: 1, d2: 2 } },
  { name: 'FCMP equal (+0 vs -0): NZCV 0110', asm: 'fcmp d1, d2', in: { d1: 0, d2: -0 } },
  { name: 'FCMP greater with #0.0: NZCV 0010', asm: 'fcmp s1, #0.0', in: { s1: 1e-40 } },
  {
    name: 'FCMP unordered: NZCV 0011, no IOC for a quiet NaN',
    asm: 'fcmp d1, d2',
    in: { d1: '7ff8000000000000', d2: 1 },
  },
  { name: 'FCMPE signals IOC on a quiet NaN', asm: 'fcmpe d1, d2', in: { d1: '7ff8000000000000', d2: 1 } },
  { name: 'FCMP signals IOC on a signalling NaN', asm: 'fcmp s1, s2', in: { s1: 1, s2: '7f800001' } },
  {
    name: 'FCCMP with a false condition sets NZCV from the immediate',
    asm: 'fccmp d1, d2, #0b0101, eq',
    in: { nzcv: 0, d1: 1, d2: 1 },
  },
  {
    name: 'FCCMP with a true condition compares',
    asm: 'fccmp d1, d2, #0b0101, eq',
    in: { nzcv: 0x40000000, d1: 1, d2: 2 },
  },
  {
    name: 'FCSEL picks by condition and zeroes the upper bits',
    asm: 'fcsel d0, d1, d2, mi',
    in: { nzcv: 0x80000000, q0: 'ffffffffffffffffffffffffffffffff', d1: 1, d2: 2 },
  },

  // Conversions to integer.
  { name: 'FCVTZS to 64-bit saturates with IOC (no IXC)', asm: 'fcvtzs x0, d1', in: { d1: 1e20 } },
  { name: 'FCVTZS to 32-bit saturates negative values', asm: 'fcvtzs w0, d1', in: { d1: -3e9 } },
  { name: 'FCVTZS of NaN is 0 with IOC', asm: 'fcvtzs x0, s1', in: { s1: '7fc00000' } },
  { name: 'FCVTZU of -0.5 is 0 with IXC', asm: 'fcvtzu x0, d1', in: { d1: -0.5 } },
  { name: 'FCVTZU of -1.0 saturates to 0 with IOC', asm: 'fcvtzu w0, d1', in: { d1: -1 } },
  { name: 'FCVTNS ties to even', asm: 'fcvtns x0, d1', in: { d1: 2.5 } },
  { name: 'FCVTAS ties away from zero', asm: 'fcvtas x0, d1', in: { d1: -2.5 } },
  { name: 'FCVTMS rounds toward -Inf', asm: 'fcvtms w0, s1', in: { s1: -2.25 } },
  { name: 'FCVTPU rounds toward +Inf', asm: 'fcvtpu x0, d1', in: { d1: 2 ** 63 + 2048 } },
  { name: 'FCVTZU of 2^64 - 2048 is exact', asm: 'fcvtzu x0, d1', in: { d1: 2 ** 64 - 2048 } },
  { name: 'FCVTZS fixed-point (fbits 16)', asm: 'fcvtzs w0, d1, #16', in: { d1: -1.75 } },
  { name: 'FCVTZU fixed-point (fbits 64) of 0.5', asm: 'fcvtzu x0, d1, #64', in: { d1: 0.5 } },

  // Conversions from integer.
  { name: 'SCVTF of 2^53+1 rounds to even with IXC', asm: 'scvtf d0, x1', in: { x1: 2n ** 53n + 1n } },
  { name: 'UCVTF of 2^64-1 rounds to 2^64', asm: 'ucvtf d0, x1', in: { x1: 2n ** 64n - 1n } },
  {
    name: 'UCVTF to single rounds once (no double rounding)',
    asm: 'ucvtf s0, x1',
    in: { x1: 2n ** 60n + 2n ** 36n + 1n },
  },
  { name: 'SCVTF of INT64_MIN is exact', asm: 'scvtf s0, x1', in: { x1: -(2n ** 63n) } },
  { name: 'SCVTF 32-bit under RM', asm: 'scvtf s0, w1', in: { fpcr: RM, x1: 0x7fffffffn } },
  { name: 'UCVTF fixed-point (fbits 32)', asm: 'ucvtf d0, w1, #32', in: { x1: 0xc0000000n } },

  // Round to integral.
  { name: 'FRINTX raises IXC when the value changes', asm: 'frintx d0, d1', in: { d1: 2.5 } },
  { name: 'FRINTI does not raise IXC', asm: 'frinti d0, d1', in: { d1: 2.5 } },
  { name: 'FRINTX under RP', asm: 'frintx s0, s1', in: { fpcr: RP, s1: 2.25 } },
  { name: 'FRINTA ties away from zero', asm: 'frinta d0, d1', in: { d1: -2.5 } },
  { name: 'FRINTN of -0.5 is -0', asm: 'frintn d0, d1', in: { d1: -0.5 } },
  { name: 'FRINTP of -0.5 is -0', asm: 'frintp s0, s1', in: { s1: -0.5 } },
  { name: 'FRINTM of -0.5 is -1', asm: 'frintm d0, d1', in: { d1: -0.5 } },
  { name: 'FRINTZ keeps large values', asm: 'frintz d0, d1', in: { d1: 2 ** 60 + 2 ** 8 } },

  // Precision conversions.
  {
    name: 'FCVT d->s keeps the top NaN payload bits and quietens (IOC)',
    asm: 'fcvt s0, d1',
    in: { d1: '7ff4000012345678' },
  },
  { name: 'FCVT s->d widens the NaN payload', asm: 'fcvt d0, s1', in: { s1: 'ff812345' } },
  { name: 'FCVT d->s overflow under RZ', asm: 'fcvt s0, d1', in: { fpcr: RZ, d1: 1e39 } },
  { name: 'FCVT d->s of a single-precision tie rounds to even', asm: 'fcvt s0, d1', in: { d1: 1 + 2 ** -24 } },
  { name: 'FCVT d->h rounds to nearest half', asm: 'fcvt h0, d1', in: { d1: 65519.99 } },
  { name: 'FCVT s->h overflow gives Inf', asm: 'fcvt h0, s1', in: { s1: 65520 } },
  { name: 'FCVT s->h with AHP: no Inf, IOC beyond 131008', asm: 'fcvt h0, s1', in: { fpcr: AHP, s1: 2e5 } },
  { name: 'FCVT h->d of a half subnormal is exact', asm: 'fcvt d0, h1', in: { h1: '8001' } },
  { name: 'FCVT h->s of a half signalling NaN', asm: 'fcvt s0, h1', in: { h1: '7d01' } },
  { name: 'FCVT d->s of a tiny value under FZ flushes with UFC', asm: 'fcvt s0, d1', in: { fpcr: FZ, d1: 1e-40 } },

  // Moves.
  { name: 'FMOV (immediate) 0.125', asm: 'fmov d0, #0.125', in: { q0: 'ffffffffffffffffffffffffffffffff' } },
  { name: 'FMOV (immediate) -31.0 single', asm: 'fmov s0, #-31.0', in: {} },
  { name: 'FMOV X <- D', asm: 'fmov x0, d1', in: { d1: -2.5 } },
  {
    name: 'FMOV D <- X zeroes the upper half',
    asm: 'fmov d0, x1',
    in: { q0: 'ffffffffffffffffffffffffffffffff', x1: 0x4004000000000000n },
  },
  { name: 'FMOV X <- V.D[1]', asm: 'fmov x0, v1.d[1]', in: { q1: '0123456789abcdeffedcba9876543210' } },
  {
    name: 'FMOV V.D[1] <- X keeps the low half',
    asm: 'fmov v0.d[1], x1',
    in: { q0: '00000000000000001111111111111111', x1: 0x2222222222222222n },
  },
  { name: 'FMOV W <- S', asm: 'fmov w0, s1', in: { s1: -1 } },
  { name: 'FABS clears the sign of a NaN without IOC', asm: 'fabs d0, d1', in: { d1: 'fff0000000000001' } },
  { name: 'FNEG flips the sign bit', asm: 'fneg s0, s1', in: { s1: 0 } },
];
