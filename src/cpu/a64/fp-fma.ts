/**
 * Fused multiply-add (Arm ARM FPMulAdd; FMADD/FMSUB/FNMADD/FNMSUB, FMLA/FMLS, and the numeric core of
 * FRECPS/FRSQRTS): a + n*m with a single rounding. The product is split exactly with twoProd and the
 * three-term sum is compressed to a double-double whose low part is rounded to odd, which keeps any
 * later rounding to 53 bits or fewer identical to rounding the exact value (Boldo & Melquiond).
 * Element indices as in fp-ops.ts.
 */
import type { Cpu } from './cpu.js';
import { INF, nanResult, put, putDefaultNaN, putSigned, QNAN, SNAN, uNeg, unpack, uValue, ZERO } from './fp-ops.js';
import {
  eft,
  F64,
  FPCR_SLOW,
  fpcrMode,
  IOC,
  IXC,
  isOddDouble,
  mantissa,
  mExp,
  RM,
  roundSum,
  scale,
  stepUlp,
  twoProd,
  twoSum,
} from './fp-round.js';

const MIN_NORMAL_64 = 2 ** -1022;
const MIN_NORMAL_32 = 2 ** -126;
/** Below this a double product's rounding error is no longer a double (twoProd would underflow). */
const TWOPROD_MIN = 2 ** -968;
/** Above this Veltkamp splitting could overflow. */
const TWOPROD_MAX = 2 ** 995;
const SIGN = 1 << 31;
/** A stand-in for a term far below every bit that can affect a rounding (a sticky bit). */
const STICKY = 2 ** -300;

/**
 * Rounds to odd: l + e3 (an exact pair) truncated to a double with the last bit set when inexact.
 * Keeping that sticky bit makes a later rounding of hi + l to <= 51 bits equal to rounding the exact value.
 */
function roundOdd(l: number, e3: number): number {
  if (e3 === 0 || isOddDouble(l)) return l;
  return stepUlp(l, e3 > 0 === l > 0 ? 1 : -1);
}

/** Three-term exact sum x0 + x1 + x2 compressed to odd[0] + odd[1] (hi = RN of the sum, lo rounded to odd). */
const odd = new Float64Array(2);
function sum3(x0: number, x1: number, x2: number): void {
  twoSum(x1, x2);
  const s = eft[0];
  const e1 = eft[1];
  twoSum(x0, s);
  const hi = eft[0];
  twoSum(eft[1], e1);
  odd[1] = roundOdd(eft[0], eft[1]);
  odd[0] = hi;
}

/**
 * FMADD family and FMLA/FMLS: d = a + n*m with one rounding (FPMulAdd(addend, op1, op2)); negA and negN
 * negate the addend and op1 first (FPNeg, so a NaN operand's sign flips too). Double precision.
 */
export function fmadd64(cpu: Cpu, d: number, ai: number, n: number, m: number, negA: boolean, negN: boolean): void {
  const f = cpu.vf64;
  const a = negN ? -f[n] : f[n];
  const b = f[m];
  const c = negA ? -f[ai] : f[ai];
  const p = a * b;
  if ((cpu.fpcr & FPCR_SLOW) === 0) {
    const ap = Math.abs(p);
    if (
      ap >= TWOPROD_MIN &&
      ap < TWOPROD_MAX &&
      Math.abs(a) < TWOPROD_MAX &&
      Math.abs(b) < TWOPROD_MAX &&
      Math.abs(c) < TWOPROD_MAX
    ) {
      twoProd(a, b);
      sum3(eft[0], eft[1], c);
      const r = odd[0] + odd[1];
      if (Math.abs(r) > MIN_NORMAL_64) {
        if ((cpu.fpsr & IXC) === 0) {
          twoSum(odd[0], odd[1]);
          if (eft[1] !== 0) cpu.fpsr |= IXC;
        }
        f[d] = r;
        return;
      }
    }
  }
  fmaSlow(cpu, F64, d, ai, n, m, negA, negN);
}

/** FMADD family, single precision: the product is exact in double; the sum is rounded to odd, then to single. */
export function fmadd32(cpu: Cpu, d: number, ai: number, n: number, m: number, negA: boolean, negN: boolean): void {
  const f = cpu.vf32;
  const a = negN ? -f[n] : f[n];
  const b = f[m];
  const c = negA ? -f[ai] : f[ai];
  const p = a * b;
  if ((cpu.fpcr & FPCR_SLOW) === 0) {
    twoSum(p, c);
    const s = eft[0];
    if (Math.abs(s) < Number.POSITIVE_INFINITY) {
      const r = Math.fround(roundOdd(s, eft[1]));
      const ar = Math.abs(r);
      if (ar > MIN_NORMAL_32 && ar < Number.POSITIVE_INFINITY) {
        if (r !== s || eft[1] !== 0) cpu.fpsr |= IXC;
        f[d] = r;
        return;
      }
    }
  }
  fmaSlow(cpu, 1, d, ai, n, m, negA, negN);
}

function fmaSlow(
  cpu: Cpu,
  fmt: number,
  d: number,
  ai: number,
  n: number,
  m: number,
  negA: boolean,
  negN: boolean,
): void {
  const tA = unpack(cpu, fmt, ai);
  const c = negA ? -uValue[0] : uValue[0];
  const sA = negA ? !uNeg : uNeg;
  const t1 = unpack(cpu, fmt, n);
  const a = negN ? -uValue[0] : uValue[0];
  const s1 = negN ? !uNeg : uNeg;
  const t2 = unpack(cpu, fmt, m);
  const b = uValue[0];
  const sP = s1 !== uNeg;
  const infZero = (t1 === INF && t2 === ZERO) || (t1 === ZERO && t2 === INF);
  if (tA >= QNAN || t1 >= QNAN || t2 >= QNAN) {
    if (tA === QNAN && infZero) {
      cpu.fpsr |= IOC;
      putDefaultNaN(cpu, fmt, d);
      return;
    }
    const fa = negA ? SIGN : 0;
    const f1 = negN ? SIGN : 0;
    if (tA === SNAN) nanResult(cpu, fmt, d, ai, tA, fa);
    else if (t1 === SNAN) nanResult(cpu, fmt, d, n, t1, f1);
    else if (t2 === SNAN) nanResult(cpu, fmt, d, m, t2, 0);
    else if (tA === QNAN) nanResult(cpu, fmt, d, ai, tA, fa);
    else if (t1 === QNAN) nanResult(cpu, fmt, d, n, t1, f1);
    else nanResult(cpu, fmt, d, m, t2, 0);
    return;
  }
  const infP = t1 === INF || t2 === INF;
  if (infZero || (tA === INF && infP && sA !== sP)) {
    cpu.fpsr |= IOC;
    putDefaultNaN(cpu, fmt, d);
    return;
  }
  if (tA === INF || infP) {
    putSigned(cpu, fmt, d, tA === INF ? sA : sP, true);
    return;
  }
  put(cpu, fmt, d, fusedValue(cpu, fmt, c, a, b, 0, fpcrMode(cpu)));
}

/**
 * The rounded value of (c + a*b) * 2^eAdj for finite operands (FPMulAdd's numeric case, also used by
 * FRECPS/FRSQRTS): one rounding of the exact value; an exact zero takes the sign of two same-signed
 * zero terms, otherwise + (- when rounding towards minus infinity).
 */
export function fusedValue(cpu: Cpu, fmt: number, c: number, a: number, b: number, eAdj: number, mode: number): number {
  if (a === 0 || b === 0) {
    if (c !== 0) return scale(c, eAdj);
    const sA = 1 / c < 0;
    const sP = (a < 0 || (a === 0 && 1 / a < 0)) !== (b < 0 || (b === 0 && 1 / b < 0));
    return sA === sP ? c : mode === RM ? -0 : 0;
  }
  const sP = a < 0 !== b < 0;
  const ma = mantissa(a);
  const ea = mExp;
  const mb = mantissa(b);
  const e = ea + mExp + eAdj;
  twoProd(sP ? -ma : ma, mb);
  const ph = eft[0];
  const pl = eft[1];
  if (c === 0) return roundSum(cpu, ph, pl, 0, e, fmt, mode);
  const sA = c < 0;
  const mc = mantissa(c);
  const dc = mExp + eAdj - e;
  // An addend far below the product (or far above) only contributes a sticky bit: any value well
  // under every bit that can matter keeps the rounding exact.
  if (dc > 200) return roundSum(cpu, sA ? -mc : mc, sP ? -STICKY : STICKY, 0, mExp + eAdj, fmt, mode);
  const x2 = dc < -200 ? (sA ? -STICKY : STICKY) : scale(sA ? -mc : mc, dc);
  sum3(ph, pl, x2);
  if (odd[0] === 0 && odd[1] === 0) return mode === RM ? -0 : 0;
  return roundSum(cpu, odd[0], odd[1], 0, e, fmt, mode);
}
