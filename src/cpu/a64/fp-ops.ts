/**
 * Floating-point semantics shared by the scalar (fp.ts) and vector (simd-fp.ts) handlers, following the
 * Arm ARM shared pseudocode: FPUnpack (FPCR.FZ flushes denormal inputs, setting IDC), FPProcessNaNs /
 * FPProcessNaNs3 (signalling NaNs first, then quiet ones, in operand order; a signalling NaN raises IOC
 * and is quietened; FPCR.DN gives the default NaN) and FPAdd/FPSub/FPMul/FPMulX/FPDiv/FPSqrt. The fused
 * multiply-add is in fp-fma.ts, comparisons and FMAX/FMIN in fp-compare.ts, conversions in
 * fp-conv-ops.ts, estimates in fp-estimate.ts.
 *
 * Operands and results are addressed as element indices into the register file: for double precision
 * index i is cpu.vf64[i] (bits cpu.v32[2i], cpu.v32[2i+1]); for single precision cpu.vf32[i] (bits
 * cpu.v32[i]). Register r's lowest element is 2r (double) or 4r (single). Operations read all operands
 * before writing the destination, so lane-wise vector loops may alias destination and sources.
 *
 * Fast paths: with FPCR.RMode = RN and FZ = 0 the host's IEEE double arithmetic gives the result
 * (single precision: computed in double and rounded with Math.fround, which is correctly rounded for
 * +, -, *, / and sqrt because 53 >= 2*24 + 2); the inexact flag is checked with an error-free
 * transformation only while FPSR.IXC is still clear. Anything else (NaN, infinities, zero divisors,
 * tiny or overflowing results, directed rounding, flush-to-zero) takes the exact slow path, which
 * rounds with roundExact (fp-round.ts).
 */
import type { Cpu } from './cpu.js';
import {
  DZC,
  eft,
  exponentOf,
  F64,
  FPCR_DN,
  FPCR_FZ,
  FPCR_SLOW,
  fpcrMode,
  IDC,
  IOC,
  IXC,
  mantissa,
  mExp,
  RM,
  roundExact,
  roundSum,
  scale,
  twoProd,
} from './fp-round.js';

/** Operand types of FPUnpack. */
export const ZERO = 0;
export const NUM = 1;
export const INF = 2;
export const QNAN = 3;
export const SNAN = 4;

const MIN_NORMAL_64 = 2 ** -1022;
const MIN_NORMAL_32 = 2 ** -126;
/** Below this a double product's rounding error is no longer a double (twoProd would underflow). */
const TWOPROD_MIN = 2 ** -968;
/** Above this Veltkamp splitting could overflow. */
const TWOPROD_MAX = 2 ** 995;

/**
 * The value (signed; ±0 for zeros and flushed denormals, ±Infinity, 0 for NaNs) and sign of the last
 * unpack (the value in a typed array so storing it does not box a double).
 */
export const uValue = new Float64Array(1);
export let uNeg = false;

/** FPUnpack of element i in format fmt (F64 or F32): returns the type, sets uValue[0]/uNeg, applies FPCR.FZ. */
export function unpack(cpu: Cpu, fmt: number, i: number): number {
  const v32 = cpu.v32;
  let ex: number;
  let frac: number;
  let top: number;
  if (fmt === F64) {
    top = v32[2 * i + 1];
    ex = (top >>> 20) & 0x7ff;
    frac = (top & 0xfffff) | v32[2 * i];
    uNeg = top < 0;
    if (ex === 0x7ff) {
      uValue[0] = 0;
      if (frac === 0) {
        uValue[0] = uNeg ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
        return INF;
      }
      return (top & 0x80000) !== 0 ? QNAN : SNAN;
    }
  } else {
    top = v32[i];
    ex = (top >>> 23) & 0xff;
    frac = top & 0x7fffff;
    uNeg = top < 0;
    if (ex === 0xff) {
      uValue[0] = 0;
      if (frac === 0) {
        uValue[0] = uNeg ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
        return INF;
      }
      return (top & 0x400000) !== 0 ? QNAN : SNAN;
    }
  }
  if (ex === 0) {
    if (frac !== 0 && (cpu.fpcr & FPCR_FZ) === 0) {
      uValue[0] = fmt === F64 ? cpu.vf64[i] : cpu.vf32[i];
      return NUM;
    }
    if (frac !== 0) cpu.fpsr |= IDC;
    uValue[0] = uNeg ? -0 : 0;
    return ZERO;
  }
  uValue[0] = fmt === F64 ? cpu.vf64[i] : cpu.vf32[i];
  return NUM;
}

/** Writes a (format-representable) value to element d. */
export function put(cpu: Cpu, fmt: number, d: number, v: number): void {
  if (fmt === F64) cpu.vf64[d] = v;
  else cpu.vf32[d] = v;
}

/** Writes the default NaN (FPDefaultNaN) to element d. */
export function putDefaultNaN(cpu: Cpu, fmt: number, d: number): void {
  if (fmt === F64) {
    cpu.v32[2 * d] = 0;
    cpu.v32[2 * d + 1] = 0x7ff80000;
  } else cpu.v32[d] = 0x7fc00000;
}

/** Writes a signed zero or infinity. */
export function putSigned(cpu: Cpu, fmt: number, d: number, neg: boolean, inf: boolean): void {
  const v = inf ? Number.POSITIVE_INFINITY : 0;
  put(cpu, fmt, d, neg ? -v : v);
}

/**
 * FPProcessNaN: element src (of type t, a NaN) quietened, or the default NaN under FPCR.DN; IOC for
 * a signalling NaN. flip (0 or the sign bit) negates the operand first (FMSUB, FRECPS...).
 */
export function nanResult(cpu: Cpu, fmt: number, d: number, src: number, t: number, flip: number): void {
  if (t === SNAN) cpu.fpsr |= IOC;
  if ((cpu.fpcr & FPCR_DN) !== 0) {
    putDefaultNaN(cpu, fmt, d);
    return;
  }
  const v32 = cpu.v32;
  if (fmt === F64) {
    const lo = v32[2 * src];
    const hi = (v32[2 * src + 1] | 0x80000) ^ flip;
    v32[2 * d] = lo;
    v32[2 * d + 1] = hi;
  } else v32[d] = (v32[src] | 0x400000) ^ flip;
}

/** FPProcessNaNs for two operands (at least one is a NaN). */
export function processNaNs2(
  cpu: Cpu,
  fmt: number,
  d: number,
  n: number,
  t1: number,
  m: number,
  t2: number,
  flip1: number,
): void {
  if (t1 === SNAN) nanResult(cpu, fmt, d, n, t1, flip1);
  else if (t2 === SNAN) nanResult(cpu, fmt, d, m, t2, 0);
  else if (t1 === QNAN) nanResult(cpu, fmt, d, n, t1, flip1);
  else nanResult(cpu, fmt, d, m, t2, 0);
}

// ---- FPAdd / FPSub ----

/** FADD/FSUB, double precision. */
export function fadd64(cpu: Cpu, d: number, n: number, m: number, sub: boolean): void {
  const f = cpu.vf64;
  const a = f[n];
  const b = sub ? -f[m] : f[m];
  const r = a + b;
  // Sums of doubles are exact whenever they are tiny, so only NaN, infinities and the modes go slow.
  if ((cpu.fpcr & FPCR_SLOW) === 0 && Math.abs(r) < Number.POSITIVE_INFINITY) {
    if ((cpu.fpsr & IXC) === 0) {
      const bb = r - a;
      if (a - (r - bb) + (b - bb) !== 0) cpu.fpsr |= IXC;
    }
    f[d] = r;
    return;
  }
  addSlow(cpu, F64, d, n, m, sub);
}

/** FADD/FSUB, single precision. */
export function fadd32(cpu: Cpu, d: number, n: number, m: number, sub: boolean): void {
  const f = cpu.vf32;
  const a = f[n];
  const b = sub ? -f[m] : f[m];
  const s = a + b;
  const r = Math.fround(s);
  if ((cpu.fpcr & FPCR_SLOW) === 0 && Math.abs(r) < Number.POSITIVE_INFINITY) {
    if ((cpu.fpsr & IXC) === 0) {
      const bb = s - a;
      if (r !== s || a - (s - bb) + (b - bb) !== 0) cpu.fpsr |= IXC;
    }
    f[d] = r;
    return;
  }
  addSlow(cpu, 1, d, n, m, sub);
}

function addSlow(cpu: Cpu, fmt: number, d: number, n: number, m: number, sub: boolean): void {
  const t1 = unpack(cpu, fmt, n);
  const a = uValue[0];
  const s1 = uNeg;
  const t2 = unpack(cpu, fmt, m);
  const b = sub ? -uValue[0] : uValue[0];
  const s2 = sub ? !uNeg : uNeg;
  if (t1 >= QNAN || t2 >= QNAN) {
    processNaNs2(cpu, fmt, d, n, t1, m, t2, 0);
    return;
  }
  if (t1 === INF && t2 === INF && s1 !== s2) {
    cpu.fpsr |= IOC;
    putDefaultNaN(cpu, fmt, d);
    return;
  }
  if (t1 === INF || t2 === INF) {
    putSigned(cpu, fmt, d, t1 === INF ? s1 : s2, true);
    return;
  }
  if (t1 === ZERO && t2 === ZERO && s1 === s2) {
    putSigned(cpu, fmt, d, s1, false);
    return;
  }
  const mode = fpcrMode(cpu);
  let e = 0;
  let x = a;
  let y = b;
  if (!(Math.abs(a + b) < Number.POSITIVE_INFINITY)) {
    // Overflowing sums need both operands >= 2^969, so halving them is exact.
    x *= 0.5;
    y *= 0.5;
    e = 1;
  }
  const r = roundSum(cpu, x, y, 0, e, fmt, mode);
  if (r === 0 && x + y === 0) putSigned(cpu, fmt, d, mode === RM, false);
  else put(cpu, fmt, d, r);
}

// ---- FPMul / FPMulX ----

/** FMUL (mulx false) or FMULX (mulx true: 0 * inf = ±2), double precision. */
export function fmul64(cpu: Cpu, d: number, n: number, m: number, mulx: boolean): void {
  const f = cpu.vf64;
  const a = f[n];
  const b = f[m];
  const r = a * b;
  if ((cpu.fpcr & FPCR_SLOW) === 0) {
    const ar = Math.abs(r);
    if (ar > MIN_NORMAL_64 && ar < Number.POSITIVE_INFINITY) {
      if ((cpu.fpsr & IXC) === 0) {
        if (ar < TWOPROD_MIN || Math.abs(a) > TWOPROD_MAX || Math.abs(b) > TWOPROD_MAX) {
          mulSlow(cpu, F64, d, n, m, mulx);
          return;
        }
        twoProd(a, b);
        if (eft[1] !== 0) cpu.fpsr |= IXC;
      }
      f[d] = r;
      return;
    }
    if (r === 0 && (a === 0 || b === 0) && Math.abs(a + b) < Number.POSITIVE_INFINITY) {
      f[d] = r;
      return;
    }
  }
  mulSlow(cpu, F64, d, n, m, mulx);
}

/** FMUL/FMULX, single precision (the double product of two singles is exact). */
export function fmul32(cpu: Cpu, d: number, n: number, m: number, mulx: boolean): void {
  const f = cpu.vf32;
  const a = f[n];
  const b = f[m];
  const p = a * b;
  const r = Math.fround(p);
  if ((cpu.fpcr & FPCR_SLOW) === 0) {
    const ar = Math.abs(r);
    if (ar > MIN_NORMAL_32 && ar < Number.POSITIVE_INFINITY) {
      if (r !== p) cpu.fpsr |= IXC;
      f[d] = r;
      return;
    }
    if (p === 0 && Math.abs(a + b) < Number.POSITIVE_INFINITY) {
      f[d] = r;
      return;
    }
  }
  mulSlow(cpu, 1, d, n, m, mulx);
}

function mulSlow(cpu: Cpu, fmt: number, d: number, n: number, m: number, mulx: boolean): void {
  const t1 = unpack(cpu, fmt, n);
  const a = uValue[0];
  const s1 = uNeg;
  const t2 = unpack(cpu, fmt, m);
  const b = uValue[0];
  const neg = s1 !== uNeg;
  if (t1 >= QNAN || t2 >= QNAN) {
    processNaNs2(cpu, fmt, d, n, t1, m, t2, 0);
    return;
  }
  if ((t1 === INF && t2 === ZERO) || (t1 === ZERO && t2 === INF)) {
    if (mulx) put(cpu, fmt, d, neg ? -2 : 2);
    else {
      cpu.fpsr |= IOC;
      putDefaultNaN(cpu, fmt, d);
    }
    return;
  }
  if (t1 === INF || t2 === INF || t1 === ZERO || t2 === ZERO) {
    putSigned(cpu, fmt, d, neg, t1 === INF || t2 === INF);
    return;
  }
  const ma = mantissa(a);
  const ea = mExp;
  const mb = mantissa(b);
  twoProd(ma, mb);
  put(cpu, fmt, d, roundExact(cpu, neg, eft[0], eft[1], 0, ea + mExp, fmt, fpcrMode(cpu)));
}

// ---- FPDiv ----

/** FDIV, double precision. */
export function fdiv64(cpu: Cpu, d: number, n: number, m: number): void {
  const f = cpu.vf64;
  const a = f[n];
  const b = f[m];
  const r = a / b;
  if ((cpu.fpcr & FPCR_SLOW) === 0) {
    const ar = Math.abs(r);
    if (ar > MIN_NORMAL_64 && ar < Number.POSITIVE_INFINITY) {
      if ((cpu.fpsr & IXC) === 0) {
        const aa = Math.abs(a);
        if (aa < TWOPROD_MIN || ar > TWOPROD_MAX || Math.abs(b) > TWOPROD_MAX) {
          divSlow(cpu, F64, d, n, m);
          return;
        }
        twoProd(r, b);
        if (eft[0] !== a || eft[1] !== 0) cpu.fpsr |= IXC;
      }
      f[d] = r;
      return;
    }
  }
  divSlow(cpu, F64, d, n, m);
}

/** FDIV, single precision: the quotient is exact iff r * b (exact in double) equals a. */
export function fdiv32(cpu: Cpu, d: number, n: number, m: number): void {
  const f = cpu.vf32;
  const a = f[n];
  const b = f[m];
  const r = Math.fround(a / b);
  if ((cpu.fpcr & FPCR_SLOW) === 0) {
    const ar = Math.abs(r);
    if (ar > MIN_NORMAL_32 && ar < Number.POSITIVE_INFINITY) {
      if (r * b !== a) cpu.fpsr |= IXC;
      f[d] = r;
      return;
    }
  }
  divSlow(cpu, 1, d, n, m);
}

function divSlow(cpu: Cpu, fmt: number, d: number, n: number, m: number): void {
  const t1 = unpack(cpu, fmt, n);
  const a = uValue[0];
  const s1 = uNeg;
  const t2 = unpack(cpu, fmt, m);
  const b = uValue[0];
  const neg = s1 !== uNeg;
  if (t1 >= QNAN || t2 >= QNAN) {
    processNaNs2(cpu, fmt, d, n, t1, m, t2, 0);
    return;
  }
  if ((t1 === INF && t2 === INF) || (t1 === ZERO && t2 === ZERO)) {
    cpu.fpsr |= IOC;
    putDefaultNaN(cpu, fmt, d);
    return;
  }
  if (t1 === INF || t2 === ZERO) {
    if (t1 !== INF) cpu.fpsr |= DZC;
    putSigned(cpu, fmt, d, neg, true);
    return;
  }
  if (t1 === ZERO || t2 === INF) {
    putSigned(cpu, fmt, d, neg, false);
    return;
  }
  const ma = mantissa(a);
  const ea = mExp;
  const mb = mantissa(b);
  const q = ma / mb;
  // The remainder ma - q*mb is a double (q is the rounded quotient); its sign says which side q lies.
  twoProd(q, mb);
  const rem = ma - eft[0] - eft[1];
  put(cpu, fmt, d, roundExact(cpu, neg, q, 0, rem > 0 ? 1 : rem < 0 ? -1 : 0, ea - mExp, fmt, fpcrMode(cpu)));
}

// ---- FPSqrt ----

/** FSQRT, double precision. */
export function fsqrt64(cpu: Cpu, d: number, n: number): void {
  const f = cpu.vf64;
  const a = f[n];
  const r = Math.sqrt(a);
  if ((cpu.fpcr & FPCR_SLOW) === 0 && r > 0 && r < Number.POSITIVE_INFINITY) {
    if ((cpu.fpsr & IXC) === 0) {
      if (a < TWOPROD_MIN) {
        sqrtSlow(cpu, F64, d, n);
        return;
      }
      twoProd(r, r);
      if (eft[0] !== a || eft[1] !== 0) cpu.fpsr |= IXC;
    }
    f[d] = r;
    return;
  }
  sqrtSlow(cpu, F64, d, n);
}

/** FSQRT, single precision. */
export function fsqrt32(cpu: Cpu, d: number, n: number): void {
  const f = cpu.vf32;
  const a = f[n];
  const r = Math.fround(Math.sqrt(a));
  if ((cpu.fpcr & FPCR_SLOW) === 0 && r > 0 && r < Number.POSITIVE_INFINITY) {
    if (r * r !== a) cpu.fpsr |= IXC;
    f[d] = r;
    return;
  }
  sqrtSlow(cpu, 1, d, n);
}

function sqrtSlow(cpu: Cpu, fmt: number, d: number, n: number): void {
  const t = unpack(cpu, fmt, n);
  const a = uValue[0];
  if (t >= QNAN) {
    nanResult(cpu, fmt, d, n, t, 0);
    return;
  }
  if (t === ZERO) {
    putSigned(cpu, fmt, d, uNeg, false);
    return;
  }
  if (uNeg) {
    cpu.fpsr |= IOC;
    putDefaultNaN(cpu, fmt, d);
    return;
  }
  if (t === INF) {
    put(cpu, fmt, d, a);
    return;
  }
  let e = exponentOf(a);
  e -= e & 1;
  const m = scale(a, -e); // in [1, 4)
  const s = Math.sqrt(m);
  twoProd(s, s);
  const rem = m - eft[0] - eft[1];
  put(cpu, fmt, d, roundExact(cpu, false, s, 0, rem > 0 ? 1 : rem < 0 ? -1 : 0, e / 2, fmt, fpcrMode(cpu)));
}
