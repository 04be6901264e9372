/**
 * Exact floating-point rounding for the FP slow paths: the architecture's FPRoundBase (Arm ARM
 * shared pseudocode) applied to an exactly known real value, with every rounding mode, flush-to-zero,
 * overflow/underflow/inexact flags, for double, single and half precision results.
 *
 * The fast paths in fp-ops.ts use the host's own IEEE arithmetic (round to nearest, even); everything
 * else (directed rounding, FZ, tiny results, first inexact result, overflow) comes here with the exact
 * value written as V = (hi + lo + tail) * 2^e, where
 *   - hi > 0 and lo are doubles with hi = RN(hi + lo) (a normalized double-double: |lo| <= ulp(hi)/2),
 *   - tail is only a sign (-1, 0, +1) for a remainder below every bit of lo (division, square root),
 *   - e is an integer scale, so products and quotients are formed on mantissas in [1, 4) and never
 *     overflow or underflow the host double range.
 * The producers obtain hi/lo with error-free transformations (twoSum, twoProd below).
 * Nothing here allocates; results of the error-free transformations come back in module variables.
 */
import type { Cpu } from './cpu.js';

/** Result formats, with their precision (significand bits) and minimum normal exponent. */
export const F64 = 0;
export const F32 = 1;
export const F16 = 2;
const PREC = [53, 24, 11];
const EMIN = [-1022, -126, -14];
/** Largest finite value of each format. */
export const MAX_NORMAL = [Number.MAX_VALUE, 3.4028234663852886e38, 65504];
/** 2^(emax+1): the first magnitude that overflows (Infinity for double). */
const OVERFLOW_AT = [Number.POSITIVE_INFINITY, 2 ** 128, 2 ** 16];

/** Rounding modes: the FPCR.RMode values 0..3, then the two the instructions name explicitly. */
export const RN = 0;
export const RP = 1;
export const RM = 2;
export const RZ = 3;
/** Round to nearest, ties away from zero (FRINTA, FCVTA*). */
export const RNA = 4;
/** Round to odd (FCVTXN). */
export const RODD = 5;

/** FPCR bits. */
export const FPCR_AHP = 1 << 26;
export const FPCR_DN = 1 << 25;
export const FPCR_FZ = 1 << 24;
export const FPCR_RMODE_SHIFT = 22;
/** The FPCR bits that force the slow paths: a rounding mode other than RN, or flush-to-zero. */
export const FPCR_SLOW = FPCR_FZ | (3 << FPCR_RMODE_SHIFT);

/** FPSR cumulative exception bits. */
export const IOC = 1;
export const DZC = 2;
export const OFC = 4;
export const UFC = 8;
export const IXC = 16;
export const IDC = 128;

/** The current rounding mode (FPCR.RMode). */
export function fpcrMode(cpu: Cpu): number {
  return (cpu.fpcr >>> FPCR_RMODE_SHIFT) & 3;
}

// ---- Powers of two and exponents ----

/** 2^k for k in -1074..1023, indexed by k + 1074. */
const P2 = new Float64Array(2098);
{
  let v = 1;
  for (let k = 0; k <= 1023; k++, v *= 2) P2[k + 1074] = v;
  v = 1;
  for (let k = 0; k >= -1074; k--, v /= 2) P2[k + 1074] = v;
}

/** 2^k as a double (0 below the subnormal range, Infinity above the normal range). */
export function pow2(k: number): number {
  if (k < -1074) return 0;
  if (k > 1023) return Number.POSITIVE_INFINITY;
  return P2[k + 1074];
}

/** x * 2^k, exact whenever the result is representable (scaled in two steps to avoid an intermediate over/underflow). */
export function scale(x: number, k: number): number {
  if (k >= -1022 && k <= 1023) return x * P2[k + 1074];
  const h = k >> 1;
  return x * pow2(h) * pow2(k - h);
}

const TWO64 = 2 ** 64;
const bitsF = new Float64Array(1);
const bitsI = new Int32Array(bitsF.buffer);

/** floor(log2(x)) for a finite x > 0 (subnormals included). */
export function exponentOf(x: number): number {
  bitsF[0] = x;
  const be = (bitsI[1] >>> 20) & 0x7ff;
  if (be !== 0) return be - 1023;
  bitsF[0] = x * TWO64;
  return ((bitsI[1] >>> 20) & 0x7ff) - 1023 - 64;
}

/** True when a finite x > 0 is a power of two. */
function isPow2(x: number): boolean {
  bitsF[0] = x;
  if ((bitsI[1] & 0x7ff00000) === 0) bitsF[0] = x * TWO64;
  return (bitsI[1] & 0xfffff) === 0 && bitsI[0] === 0;
}

/**
 * The double next to x (x finite, non-zero) one unit in the last place away from zero (dir > 0)
 * or towards zero (dir < 0): the bit pattern plus or minus one.
 */
export function stepUlp(x: number, dir: number): number {
  bitsF[0] = x;
  if (dir > 0) {
    const lo = (bitsI[0] >>> 0) + 1;
    bitsI[0] = lo | 0;
    if (lo > 0xffffffff) bitsI[1] = bitsI[1] + 1;
  } else {
    if (bitsI[0] === 0) bitsI[1] = bitsI[1] - 1;
    bitsI[0] = bitsI[0] - 1;
  }
  return bitsF[0];
}

/** True when the least significant bit of x's significand is 1. */
export function isOddDouble(x: number): boolean {
  bitsF[0] = x;
  return (bitsI[0] & 1) !== 0;
}

/** Splits |x| (finite, non-zero) into a mantissa in [1, 2) (returned) and its exponent (mExp). */
export let mExp = 0;
export function mantissa(x: number): number {
  const ax = Math.abs(x);
  mExp = exponentOf(ax);
  return scale(ax, -mExp);
}

// ---- Error-free transformations (Knuth's TwoSum, Dekker/Veltkamp's TwoProduct) ----

/**
 * Results of twoSum/twoProd: eft[0] + eft[1] equals the exact sum or product. A typed array, because
 * module-level number variables would box every double stored in them (an allocation per operation).
 */
export const eft = new Float64Array(2);

/**
 * a + b = eft[0] + eft[1] exactly, eft[0] = RN(a + b) (no overflow in a + b). Fast2Sum with the larger
 * magnitude first: its intermediate s - a is exact, so it cannot overflow. (Knuth's branch-free TwoSum
 * forms s - a even when |b| is the larger: that is b plus the rounding error of s, so with b = DBL_MAX
 * and a sum halfway between two doubles of exponent 1023 that rounds up it is DBL_MAX + ulp/2, which
 * rounds to Infinity and made the error NaN.)
 */
export function twoSum(a: number, b: number): void {
  const s = a + b;
  eft[1] = Math.abs(a) >= Math.abs(b) ? b - (s - a) : a - (s - b);
  eft[0] = s;
}

/** a * b = eft[0] + eft[1] exactly; needs |a|, |b| < 2^995 and a product well above the subnormal range. */
export function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = 134217729 * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = 134217729 * b;
  const bh = t - (t - b);
  const bl = b - bh;
  eft[1] = ah * bh - p + ah * bl + al * bh + al * bl;
  eft[0] = p;
}

// ---- FPRoundBase ----

/**
 * Rounds (-1)^neg * (hi + lo + tail) * 2^e to format fmt with rounding mode `mode`, applying FPCR.FZ
 * (not for half precision: conversions to half ignore FZ16) and raising OFC/UFC/IXC in cpu.fpsr.
 * Returns the signed result as a double (exactly representable in fmt; never NaN).
 */
export function roundExact(
  cpu: Cpu,
  neg: boolean,
  hi: number,
  lo: number,
  tail: number,
  e: number,
  fmt: number,
  mode: number,
): number {
  const p = PREC[fmt];
  const emin = EMIN[fmt];
  // Exponent of the exact value: one less than hi's when V lies just below a power-of-two hi.
  let E = exponentOf(hi);
  if ((lo < 0 || (lo === 0 && tail < 0)) && isPow2(hi)) E -= 1;
  E += e;
  const tiny = E < emin;
  if (tiny && fmt !== F16 && (cpu.fpcr & FPCR_FZ) !== 0) {
    // Flush-to-zero of a tiny result: UFC only, no IXC.
    cpu.fpsr |= UFC;
    return neg ? -0 : 0;
  }
  // n = floor(V / Q) for the quantum Q = 2^qe of V's binade; c classifies the remainder:
  // 0 exact, 1 below half a quantum, 2 exactly half, 3 above half.
  let n: number;
  let c: number;
  let qe: number;
  if (E < emin - p) {
    // Below half the smallest subnormal: rounds to 0 or the smallest subnormal.
    qe = emin - p + 1;
    n = 0;
    c = 1;
  } else {
    qe = (tiny ? emin : E) - p + 1;
    const t = scale(hi, e - qe);
    let l = scale(lo, e - qe);
    // A low part far below the quantum may underflow in scaling; only its sign matters then.
    if (l === 0 && lo !== 0) l = lo > 0 ? 2 ** -600 : -(2 ** -600);
    const f = Math.floor(t);
    const rem = t - f;
    if (rem === 0) {
      const s = l > 0 ? 1 : l < 0 ? -1 : tail;
      if (s === 0) {
        n = f;
        c = 0;
      } else {
        const al = Math.abs(l);
        let cls: number;
        if (al < 0.5) cls = 1;
        else if (al > 0.5) cls = 3;
        else cls = tail === 0 ? 2 : tail === s ? 3 : 1;
        if (s > 0) {
          n = f;
          c = cls;
        } else {
          n = f - 1;
          c = 4 - cls;
        }
      }
    } else {
      n = f;
      if (rem < 0.5) c = 1;
      else if (rem > 0.5) c = 3;
      else {
        const s = l > 0 ? 1 : l < 0 ? -1 : tail;
        c = s > 0 ? 3 : s < 0 ? 1 : 2;
      }
    }
  }
  let overflowToInf: boolean;
  switch (mode) {
    case RN:
      if (c === 3 || (c === 2 && n % 2 === 1)) n += 1;
      overflowToInf = true;
      break;
    case RNA:
      if (c >= 2) n += 1;
      overflowToInf = true;
      break;
    case RP:
      if (c !== 0 && !neg) n += 1;
      overflowToInf = !neg;
      break;
    case RM:
      if (c !== 0 && neg) n += 1;
      overflowToInf = neg;
      break;
    case RODD:
      if (c !== 0 && n % 2 === 0) n += 1;
      overflowToInf = false;
      break;
    default:
      overflowToInf = false;
  }
  const mag = n * pow2(qe);
  if (mag >= OVERFLOW_AT[fmt]) {
    cpu.fpsr |= OFC | IXC;
    const r = overflowToInf ? Number.POSITIVE_INFINITY : MAX_NORMAL[fmt];
    return neg ? -r : r;
  }
  if (c !== 0) cpu.fpsr |= tiny ? UFC | IXC : IXC;
  return neg ? -mag : mag;
}

/**
 * Rounds an exact double-double a + b (any magnitudes, any signs, no overflow in a + b) scaled by 2^e;
 * the sign and the exact-zero case are the caller's (an exact zero returns 0 here).
 */
export function roundSum(cpu: Cpu, a: number, b: number, tail: number, e: number, fmt: number, mode: number): number {
  twoSum(a, b);
  const hi = eft[0];
  const lo = eft[1];
  if (hi === 0) return 0;
  return hi < 0
    ? roundExact(cpu, true, -hi, -lo, -tail, e, fmt, mode)
    : roundExact(cpu, false, hi, lo, tail, e, fmt, mode);
}
