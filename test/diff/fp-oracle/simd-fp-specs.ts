/**
 * Fixed AdvSIMD FP cases (inputs only); record.ts runs them under qemu-aarch64 and writes
 * test/cpu/a64/simd-fp-cases.generated.ts. Registers 0..3 only (the oracle's limit).
 */
import { DN, type FpSpec, FZ, RM, RP, RZ } from '../../support/fp-case.js';

const QNAN = '7fc00000';
const SNAN = '7f800001';
const ONES = 'ffffffffffffffffffffffffffffffff';

export const SIMD_FP_SPECS: readonly FpSpec[] = [
  // Three-same.
  {
    name: 'FADD 4S lane by lane',
    asm: 'fadd v0.4s, v1.4s, v2.4s',
    in: { 'v1.4s': [1, 2, 0.1, -0], 'v2.4s': [0.5, -2, 0.2, -0] },
  },
  {
    name: 'FADD 2S zeroes the upper half',
    asm: 'fadd v0.2s, v1.2s, v2.2s',
    in: { q0: ONES, 'v1.4s': [1, 2, 3, 4], 'v2.4s': [1, 1, 1, 1] },
  },
  {
    name: 'FSUB 2D under RM gives -0 for x - x',
    asm: 'fsub v0.2d, v1.2d, v2.2d',
    in: { fpcr: RM, 'v1.2d': [5, 1], 'v2.2d': [5, 2 ** -60] },
  },
  {
    name: 'FMUL 4S with NaNs, infinities and underflow',
    asm: 'fmul v0.4s, v1.4s, v2.4s',
    in: { 'v1.4s': [SNAN, Infinity, 2 ** -100, 3], 'v2.4s': [1, 0, 2 ** -40, QNAN] },
  },
  {
    name: 'FMULX 2D: 0 * Inf is ±2',
    asm: 'fmulx v0.2d, v1.2d, v2.2d',
    in: { 'v1.2d': [-0, Infinity], 'v2.2d': [Infinity, 0] },
  },
  {
    name: 'FDIV 2D divide by zero and exact quotient',
    asm: 'fdiv v0.2d, v1.2d, v2.2d',
    in: { 'v1.2d': [1, 6], 'v2.2d': [0, 3] },
  },
  {
    name: 'FMLA 2D is fused',
    asm: 'fmla v0.2d, v1.2d, v2.2d',
    in: { 'v0.2d': [-1, 1], 'v1.2d': [1 + 2 ** -30, 3], 'v2.2d': [1 - 2 ** -30, 5] },
  },
  {
    name: 'FMLS 4S negates a NaN from Vn',
    asm: 'fmls v0.4s, v1.4s, v2.4s',
    in: { 'v0.4s': [1, 1, 1, QNAN], 'v1.4s': ['7fc00001', 2, 0.1, 1], 'v2.4s': [1, 3, 10, 1] },
  },
  {
    name: 'FMAX/FMIN signed zeros and NaN',
    asm: 'fmin v0.4s, v1.4s, v2.4s',
    in: { 'v1.4s': [0, -0, QNAN, 1], 'v2.4s': [-0, 0, 1, -Infinity] },
  },
  {
    name: 'FMAXNM 4S: numbers beat quiet NaNs, not signalling ones',
    asm: 'fmaxnm v0.4s, v1.4s, v2.4s',
    in: { 'v1.4s': [QNAN, 1, SNAN, QNAN], 'v2.4s': [-5, QNAN, 1, 'ffc00002'] },
  },
  {
    name: 'FABD clears the sign, NaN included',
    asm: 'fabd v0.4s, v1.4s, v2.4s',
    in: { 'v1.4s': [1, 5, 'ffc00001', -0], 'v2.4s': [3, 2, 1, 0] },
  },
  {
    name: 'FRECPS 4S: 2 - a*b, 0*Inf = 2',
    asm: 'frecps v0.4s, v1.4s, v2.4s',
    in: { 'v1.4s': [0.5, 0, 3, 'ffc00001'], 'v2.4s': [3, Infinity, 0.25, 1] },
  },
  {
    name: 'FRSQRTS 2D: (3 - a*b)/2',
    asm: 'frsqrts v0.2d, v1.2d, v2.2d',
    in: { 'v1.2d': [0.5, Infinity], 'v2.2d': [3, -0] },
  },
  {
    name: 'FCMEQ/FCMGE/FCMGT masks; GE signals on quiet NaN',
    asm: 'fcmge v0.4s, v1.4s, v2.4s',
    in: { 'v1.4s': [1, 1, QNAN, -0], 'v2.4s': [1, 2, 1, 0] },
  },
  {
    name: 'FCMEQ does not signal on a quiet NaN',
    asm: 'fcmeq v0.2d, v1.2d, v2.2d',
    in: { 'v1.2d': ['7ff8000000000000', 1], 'v2.2d': [1, 1] },
  },
  {
    name: 'FACGT compares magnitudes',
    asm: 'facgt v0.4s, v1.4s, v2.4s',
    in: { 'v1.4s': [-3, 2, -0, Infinity], 'v2.4s': [2, -3, 0, -Infinity] },
  },
  { name: 'FCMGT (scalar) double', asm: 'fcmgt d0, d1, d2', in: { d1: 2, d2: 1 } },
  { name: 'FABD (scalar) single zeroes the rest', asm: 'fabd s0, s1, s2', in: { q0: ONES, s1: 1, s2: 4 } },
  { name: 'FMULX (scalar) 0 * -Inf is -2', asm: 'fmulx s0, s1, s2', in: { s1: 0, s2: -Infinity } },

  // Pairwise and reductions.
  {
    name: 'FADDP 4S adds adjacent pairs of Vn then Vm',
    asm: 'faddp v0.4s, v1.4s, v2.4s',
    in: { 'v1.4s': [1, 2, 3, 4], 'v2.4s': [10, 20, 30, 40] },
  },
  {
    name: 'FADDP 2D with aliasing (Vd = Vm)',
    asm: 'faddp v2.2d, v1.2d, v2.2d',
    in: { 'v1.2d': [1, 2], 'v2.2d': [0.5, 0.25] },
  },
  { name: 'FMAXNMP 2S', asm: 'fmaxnmp v0.2s, v1.2s, v2.2s', in: { 'v1.4s': [QNAN, 1, 7, 7], 'v2.4s': [-1, -2, 9, 9] } },
  { name: 'FADDP (scalar) D', asm: 'faddp d0, v1.2d', in: { 'v1.2d': [1.5, 2 ** -60] } },
  { name: 'FMINP (scalar) S with signed zeros', asm: 'fminp s0, v1.2s', in: { 'v1.4s': [0, -0, 5, 5] } },
  { name: 'FMAXV reduces (e0 max e1) max (e2 max e3)', asm: 'fmaxv s0, v1.4s', in: { 'v1.4s': [1, QNAN, 3, 2] } },
  { name: 'FMINNMV ignores quiet NaNs', asm: 'fminnmv s0, v1.4s', in: { 'v1.4s': [QNAN, 4, QNAN, -2] } },
  {
    name: 'FMAXNMV of all quiet NaNs keeps the first',
    asm: 'fmaxnmv s0, v1.4s',
    in: { 'v1.4s': ['7fc00001', '7fc00002', '7fc00003', '7fc00004'] },
  },

  // By element.
  {
    name: 'FMUL by element (4S, index 3)',
    asm: 'fmul v0.4s, v1.4s, v2.s[3]',
    in: { 'v1.4s': [1, 2, 3, 4], 'v2.4s': [0, 0, 0, 0.5] },
  },
  {
    name: 'FMLA by element with Vd = Vm',
    asm: 'fmla v2.4s, v1.4s, v2.s[1]',
    in: { 'v1.4s': [1, 2, 3, 4], 'v2.4s': [1, 10, 100, 1000] },
  },
  {
    name: 'FMLS by element 2D index 1',
    asm: 'fmls v0.2d, v1.2d, v3.d[1]',
    in: { 'v0.2d': [1, 1], 'v1.2d': [0.1, 3], 'v3.2d': [0, 10] },
  },
  {
    name: 'FMULX by element: 0 * Inf',
    asm: 'fmulx v0.2s, v1.2s, v2.s[2]',
    in: { 'v1.4s': [0, -0, 1, 1], 'v2.4s': [0, 0, Infinity, 0] },
  },
  { name: 'FMUL (scalar, by element) double', asm: 'fmul d0, d1, v2.d[1]', in: { d1: 3, 'v2.2d': [0, 1.5] } },
  {
    name: 'FMLA (scalar, by element) single',
    asm: 'fmla s0, s1, v2.s[2]',
    in: { s0: 1, s1: 2, 'v2.4s': [0, 0, 3, 0] },
  },

  // Two-register miscellaneous.
  {
    name: 'FABS/FNEG vector leave NaNs quiet or signalling',
    asm: 'fneg v0.4s, v1.4s',
    in: { 'v1.4s': [SNAN, 0, -1, Infinity] },
  },
  { name: 'FSQRT 2D', asm: 'fsqrt v0.2d, v1.2d', in: { 'v1.2d': [2, -4] } },
  { name: 'FRINTN/FRINTA 4S ties', asm: 'frinta v0.4s, v1.4s', in: { 'v1.4s': [0.5, -1.5, 2.5, -0.4] } },
  { name: 'FRINTX 2D raises IXC', asm: 'frintx v0.2d, v1.2d', in: { fpcr: RZ, 'v1.2d': [-2.7, 3] } },
  { name: 'FRINTM 4S', asm: 'frintm v0.4s, v1.4s', in: { 'v1.4s': [-0.5, 0.5, -0, 1e10] } },
  { name: 'FCVTZS 4S saturates and zeroes NaN', asm: 'fcvtzs v0.4s, v1.4s', in: { 'v1.4s': [3e9, -3e9, QNAN, -7.9] } },
  { name: 'FCVTNU 2D', asm: 'fcvtnu v0.2d, v1.2d', in: { 'v1.2d': [2.5, 2 ** 64] } },
  { name: 'FCVTAS (scalar SIMD) double', asm: 'fcvtas d0, d1', in: { d1: -2.5 } },
  {
    name: 'SCVTF 4S from integers',
    asm: 'scvtf v0.4s, v1.4s',
    in: { 'v1.4s': ['7fffffff', '80000000', '00000001', 'ffffffff'] },
  },
  {
    name: 'UCVTF 2D from integers',
    asm: 'ucvtf v0.2d, v1.2d',
    in: { fpcr: RP, 'v1.2d': ['ffffffffffffffff', '0020000000000001'] },
  },
  { name: 'UCVTF (scalar SIMD) single', asm: 'ucvtf s0, s1', in: { s1: 'ffffffff' } },
  { name: 'FRECPE 4S estimates', asm: 'frecpe v0.4s, v1.4s', in: { 'v1.4s': [3, -0.1, 0, 1e-39] } },
  {
    name: 'FRECPE 2D estimates and tiny overflow under RZ',
    asm: 'frecpe v0.2d, v1.2d',
    in: { fpcr: RZ, 'v1.2d': [7, 2 ** -1030] },
  },
  {
    name: 'FRECPE large input under FZ flushes to zero with UFC',
    asm: 'frecpe s0, s1',
    in: { fpcr: FZ, s1: 2 ** 127 },
  },
  {
    name: 'FRSQRTE 4S estimates (even and odd exponents)',
    asm: 'frsqrte v0.4s, v1.4s',
    in: { 'v1.4s': [4, 2, 0.3, 1e-40] },
  },
  {
    name: 'FRSQRTE 2D: negative is the default NaN with IOC, zero is Inf with DZC',
    asm: 'frsqrte v0.2d, v1.2d',
    in: { 'v1.2d': [-1, -0] },
  },
  { name: 'FRECPX (scalar)', asm: 'frecpx d0, d1', in: { d1: 3.5 } },
  { name: 'FRECPX of a denormal', asm: 'frecpx s0, s1', in: { s1: '00000005' } },
  { name: 'URECPE 4S', asm: 'urecpe v0.4s, v1.4s', in: { 'v1.4s': ['7fffffff', '80000000', 'c0000000', 'ffffffff'] } },
  { name: 'URSQRTE 2S', asm: 'ursqrte v0.2s, v1.2s', in: { 'v1.4s': ['3fffffff', '40000000', 0, 0] } },
  { name: 'FCMLT (zero) signals on NaN', asm: 'fcmlt v0.4s, v1.4s, #0.0', in: { 'v1.4s': [-1, 0, -0, QNAN] } },
  { name: 'FCMLE (zero) 2D', asm: 'fcmle v0.2d, v1.2d, #0.0', in: { 'v1.2d': [-0, 1] } },
  { name: 'FCMEQ (zero, scalar)', asm: 'fcmeq s0, s1, #0.0', in: { s1: -0 } },

  // Precision changes.
  { name: 'FCVTL 4H -> 4S', asm: 'fcvtl v0.4s, v1.4h', in: { q1: '00000000000000007e0180017c003c00' } },
  { name: 'FCVTL2 2S (high half) -> 2D', asm: 'fcvtl2 v0.2d, v1.4s', in: { 'v1.4s': [0, 0, 0.1, SNAN] } },
  { name: 'FCVTN 2D -> 2S zeroes the upper half', asm: 'fcvtn v0.2s, v1.2d', in: { q0: ONES, 'v1.2d': [0.1, 1e300] } },
  {
    name: 'FCVTN2 4S -> 4H into the upper half',
    asm: 'fcvtn2 v0.8h, v1.4s',
    in: { q0: ONES, 'v1.4s': [1, 65520, 1e-8, QNAN] },
  },
  { name: 'FCVTXN rounds to odd', asm: 'fcvtxn v0.2s, v1.2d', in: { 'v1.2d': [1 + 2 ** -30, 1 + 2 ** -24] } },
  { name: 'FCVTXN (scalar) overflow gives the largest single', asm: 'fcvtxn s0, d1', in: { d1: 1e300 } },
  {
    name: 'FCVTN under DN gives the default NaN',
    asm: 'fcvtn v0.2s, v1.2d',
    in: { fpcr: DN, 'v1.2d': ['7ff4000000000001', 1] },
  },

  // Fixed point.
  {
    name: 'SCVTF 4S fixed-point (fbits 8)',
    asm: 'scvtf v0.4s, v1.4s, #8',
    in: { 'v1.4s': ['00000100', 'ffffff80', '7fffffff', 0] },
  },
  { name: 'FCVTZU 2D fixed-point (fbits 32)', asm: 'fcvtzu v0.2d, v1.2d, #32', in: { 'v1.2d': [1.5, -1] } },
  { name: 'FCVTZS (scalar) fixed-point single', asm: 'fcvtzs s0, s1, #4', in: { s1: -2.53 } },
  { name: 'UCVTF (scalar) fixed-point double', asm: 'ucvtf d0, d1, #64', in: { d1: 'ffffffffffffffff' } },

  // Immediate.
  { name: 'FMOV 4S immediate', asm: 'fmov v0.4s, #-1.25', in: {} },
  { name: 'FMOV 2S immediate zeroes the upper half', asm: 'fmov v0.2s, #31.0', in: { q0: ONES } },
  { name: 'FMOV 2D immediate', asm: 'fmov v0.2d, #0.1875', in: {} },
];
