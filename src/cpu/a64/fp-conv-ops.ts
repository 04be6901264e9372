/**
 * Floating-point conversions (Arm ARM FPToFixed, FixedToFP, FPRoundInt, FPConvert), shared by the
 * scalar and vector handlers. Element indices as in fp-ops.ts; half-precision elements are cpu.v16[i].
 * Integers travel as two int32 halves (lo, hi) so 64-bit values never become BigInt.
 */
import type { Cpu } from './cpu.js';
import { INF, NUM, nanResult, put, putDefaultNaN, QNAN, SNAN, uNeg, unpack, uValue, ZERO } from './fp-ops.js';
import {
  exponentOf,
  F16,
  F32,
  F64,
  FPCR_AHP,
  FPCR_DN,
  FPCR_FZ,
  FPCR_SLOW,
  IOC,
  IXC,
  RM,
  RN,
  RNA,
  RP,
  roundExact,
  roundSum,
  scale,
} from './fp-round.js';

const TWO32 = 4294967296;
const TWO52 = 4503599627370496;
const TWO63 = 2 ** 63;
const TWO64 = 2 ** 64;

/** 2^k and 2^-k for the fixed-point scalings (k = fbits, 0..64). */
const P2 = new Float64Array(65).map((_, k) => 2 ** k);
const P2N = new Float64Array(65).map((_, k) => 2 ** -k);

/**
 * Whether rounding to an integer with mode moves fl = floor(x) up by one, given err = x - fl in (0, 1).
 * (Returns a boolean: helpers returning doubles would box them when not inlined.)
 */
function roundsUp(fl: number, err: number, mode: number): boolean {
  switch (mode) {
    case RN:
      return err > 0.5 || (err === 0.5 && Math.floor(fl / 2) * 2 !== fl);
    case RNA:
      return err > 0.5 || (err === 0.5 && fl >= 0);
    case RP:
      return true;
    case RM:
      return false;
    default:
      return fl < 0;
  }
}

/** Result of fpToFixed: the integer as int32 halves [lo, hi] (hi is 0 for 32-bit results). */
export const cvt = new Int32Array(2);

/**
 * FPToFixed (FCVT[NAPMZ][SU], fixed-point FCVTZ[SU]): element n times 2^fbits, rounded with mode to a
 * signed or unsigned 32- or 64-bit integer. NaN gives 0 and IOC; out-of-range values saturate with IOC
 * (and no IXC); otherwise an inexact result sets IXC.
 */
export function fpToFixed(
  cpu: Cpu,
  fmt: number,
  n: number,
  fbits: number,
  unsigned: boolean,
  is64: boolean,
  mode: number,
): void {
  let v: number;
  if ((cpu.fpcr & FPCR_FZ) === 0) v = fmt === F64 ? cpu.vf64[n] : cpu.vf32[n];
  else v = unpack(cpu, fmt, n) >= QNAN ? Number.NaN : uValue[0];
  if (Number.isNaN(v)) {
    cpu.fpsr |= IOC;
    cvt[0] = 0;
    cvt[1] = 0;
    return;
  }
  const x = v * P2[fbits];
  // Math.floor is exact; beyond 2^52 (and for infinities) x is already an integer.
  let r = x;
  let inexact = false;
  if (Math.abs(x) < TWO52) {
    r = Math.floor(x);
    const err = x - r;
    if (err !== 0) {
      inexact = true;
      if (roundsUp(r, err, mode)) r += 1;
    }
  }
  let max: number;
  let min: number;
  if (is64) {
    max = unsigned ? TWO64 : TWO63;
    min = unsigned ? 0 : -TWO63;
    if (r >= max || r < min) {
      cpu.fpsr |= IOC;
      if (r < min) {
        cvt[0] = 0;
        cvt[1] = unsigned ? 0 : -0x80000000;
      } else {
        cvt[0] = -1;
        cvt[1] = unsigned ? -1 : 0x7fffffff;
      }
      return;
    }
    const hi = Math.floor(r / TWO32);
    cvt[1] = hi | 0;
    cvt[0] = (r - hi * TWO32) | 0;
  } else {
    max = unsigned ? 0xffffffff : 0x7fffffff;
    min = unsigned ? 0 : -0x80000000;
    cvt[1] = 0;
    if (r > max || r < min) {
      cpu.fpsr |= IOC;
      cvt[0] = r < min ? min | 0 : max | 0;
      return;
    }
    cvt[0] = r | 0;
  }
  if (inexact) cpu.fpsr |= IXC;
}

/**
 * FixedToFP (SCVTF/UCVTF, integer and fixed-point): the 32-bit integer lo, or the 64-bit hi:lo, divided
 * by 2^fbits and rounded once to fmt with mode, written to element d.
 */
export function fixedToFp(
  cpu: Cpu,
  lo: number,
  hi: number,
  is64: boolean,
  unsigned: boolean,
  fbits: number,
  fmt: number,
  d: number,
  mode: number,
): void {
  let a: number;
  let b = 0;
  if (is64) {
    // hi * 2^32 and lo are exact doubles; their sum is the integer.
    a = (unsigned ? hi >>> 0 : hi) * TWO32;
    b = lo >>> 0;
  } else a = unsigned ? lo >>> 0 : lo;
  if (a + b === 0) {
    put(cpu, fmt, d, 0);
    return;
  }
  if ((cpu.fpcr & FPCR_SLOW) === 0) {
    const s = a + b;
    const bb = s - a;
    const err = a - (s - bb) + (b - bb);
    if (fmt === F64) {
      if (err !== 0) cpu.fpsr |= IXC;
      cpu.vf64[d] = s * P2N[fbits];
      return;
    }
    if (err === 0) {
      const r = Math.fround(s);
      if (r !== s) cpu.fpsr |= IXC;
      cpu.vf32[d] = r * P2N[fbits];
      return;
    }
  }
  put(cpu, fmt, d, roundSum(cpu, a, b, 0, -fbits, fmt, mode));
}

/**
 * FPRoundInt (FRINT[NAPMZXI]): element n rounded to an integral value of the same format with mode;
 * exact (FRINTX) raises IXC when the value changes. Zero results keep the operand's sign.
 */
export function fpRoundInt(cpu: Cpu, fmt: number, d: number, n: number, mode: number, exact: boolean): void {
  const t = unpack(cpu, fmt, n);
  const v = uValue[0];
  if (t >= QNAN) {
    nanResult(cpu, fmt, d, n, t, 0);
    return;
  }
  let r = v;
  if (t === NUM) {
    if (Math.abs(v) < TWO52) {
      r = Math.floor(v);
      const err = v - r;
      if (err !== 0) {
        if (roundsUp(r, err, mode)) r += 1;
        if (exact) cpu.fpsr |= IXC;
      }
    }
    if (r === 0) r = uNeg ? -0 : 0;
  }
  if (fmt === F64) cpu.vf64[d] = r;
  else cpu.vf32[d] = r;
}

// ---- Half precision ----

/** The value of half-precision bits h (IEEE; under FPCR.AHP the alternative format without Inf/NaN). */
export function halfValue(h: number, ahp: boolean): number {
  const ex = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  let v: number;
  if (ex === 0) v = frac * 2 ** -24;
  else if (ex === 31 && !ahp) v = frac === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  else v = (1024 + frac) * scale(1, ex - 25);
  return (h & 0x8000) !== 0 ? -v : v;
}

/** Half-precision bits of a value exactly representable as a half (or ±Infinity). */
export function halfBits(v: number): number {
  const sign = v < 0 || (v === 0 && 1 / v < 0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === 0) return sign;
  if (a === Number.POSITIVE_INFINITY) return sign | 0x7c00;
  const e = exponentOf(a);
  if (e < -14) return sign | (a * 2 ** 24);
  return sign | ((e + 15) << 10) | (scale(a, 10 - e) - 1024);
}

/**
 * FPConvert (FCVT between H/S/D, FCVTL/FCVTN, FCVTXN with mode RODD): element n of format `from` to
 * element d of format `to`. NaNs keep their top payload bits and become quiet (IOC if signalling);
 * FPCR.DN gives the default NaN; FPCR.AHP selects the alternative half format.
 */
export function fpConvert(cpu: Cpu, from: number, n: number, to: number, d: number, mode: number): void {
  const ahp = (cpu.fpcr & FPCR_AHP) !== 0;
  let t: number;
  let v: number;
  let neg: boolean;
  if (from === F16) {
    // FPUnpackCV: half inputs are never flushed.
    const h = cpu.v16[n];
    v = halfValue(h, ahp);
    neg = (h & 0x8000) !== 0;
    if (Number.isNaN(v)) t = (h & 0x200) !== 0 ? QNAN : SNAN;
    else if (v === 0) t = ZERO;
    else t = Math.abs(v) === Number.POSITIVE_INFINITY ? INF : NUM;
  } else {
    if (to === F32 && mode === RN && (cpu.fpcr & FPCR_FZ) === 0) {
      // Fast path for FCVT Sd, Dn: Math.fround rounds once, to nearest even.
      const x = cpu.vf64[n];
      const r = Math.fround(x);
      const ar = Math.abs(r);
      if (ar > 2 ** -126 && ar < Number.POSITIVE_INFINITY) {
        if (r !== x) cpu.fpsr |= IXC;
        cpu.vf32[d] = r;
        return;
      }
    }
    t = unpack(cpu, from, n);
    v = uValue[0];
    neg = uNeg;
  }
  if (t >= QNAN) {
    if (to === F16 && ahp) {
      cpu.fpsr |= IOC;
      cpu.v16[d] = neg ? 0x8000 : 0;
      return;
    }
    if (t === SNAN) cpu.fpsr |= IOC;
    if ((cpu.fpcr & FPCR_DN) !== 0) {
      if (to === F16) cpu.v16[d] = 0x7e00;
      else putDefaultNaN(cpu, to, d);
      return;
    }
    convertNaN(cpu, from, n, to, d);
    return;
  }
  if (to === F16) {
    if (t === INF && ahp) {
      cpu.fpsr |= IOC;
      cpu.v16[d] = neg ? 0xffff : 0x7fff;
      return;
    }
    let r = v;
    if (t === NUM) {
      if (ahp) r = roundAhp(cpu, v, mode);
      else r = roundExact(cpu, v < 0, Math.abs(v), 0, 0, 0, F16, mode);
    }
    cpu.v16[d] = ahp && Math.abs(r) > 65504 ? halfBitsAhp(r) : halfBits(r);
    return;
  }
  let r = v;
  if (t === NUM && to === F32 && from === F64) r = roundExact(cpu, v < 0, Math.abs(v), 0, 0, 0, F32, mode);
  if (to === F64) cpu.vf64[d] = r;
  else cpu.vf32[d] = r;
}

/**
 * Rounding to the alternative half format, whose exponent 31 is a normal binade: values from 32768 up
 * are rounded here (quantum 32 below 65536, 64 above); beyond 131008 the result is the largest value
 * with IOC and no IXC (FPRoundBase's AHP overflow).
 */
function roundAhp(cpu: Cpu, v: number, mode: number): number {
  const ax = Math.abs(v);
  const neg = v < 0;
  if (ax < 32768) return roundExact(cpu, neg, ax, 0, 0, 0, F16, mode);
  const q = ax >= 65536 ? 64 : 32;
  const x = ax / q;
  const fl = Math.floor(x);
  const err = x - fl;
  let n = fl;
  if (err !== 0) {
    if (mode === RN) n = err > 0.5 || (err === 0.5 && fl % 2 !== 0) ? fl + 1 : fl;
    else if ((mode === RP && !neg) || (mode === RM && neg)) n = fl + 1;
  }
  let r = n * q;
  if (r > 131008) {
    cpu.fpsr |= IOC;
    r = 131008;
  } else if (r !== ax) cpu.fpsr |= IXC;
  return neg ? -r : r;
}

/** Bits of an alternative-half value above 65504 (exponent field 31). */
function halfBitsAhp(v: number): number {
  const a = Math.abs(v);
  return (v < 0 ? 0x8000 : 0) | (31 << 10) | (a / 64 - 1024);
}

/** FPConvertNaN: the quietened NaN of element n (format from) in format to, top payload bits kept. */
function convertNaN(cpu: Cpu, from: number, n: number, to: number, d: number): void {
  const v32 = cpu.v32;
  // Normalise to sign and a 51-bit payload held as (p1: bits 50:32, p0: bits 31:0).
  let sign: number;
  let p1: number;
  let p0: number;
  if (from === F64) {
    const hi = v32[2 * n + 1];
    sign = hi & 0x80000000;
    p1 = hi & 0x7ffff;
    p0 = v32[2 * n];
  } else if (from === F32) {
    const b = v32[n];
    sign = b & 0x80000000;
    p1 = (b & 0x3fffff) >>> 3;
    p0 = (b & 7) << 29;
  } else {
    const h = cpu.v16[n];
    sign = (h & 0x8000) << 16;
    p1 = (h & 0x1ff) << 10;
    p0 = 0;
  }
  if (to === F64) {
    v32[2 * d] = p0;
    v32[2 * d + 1] = sign | 0x7ff80000 | p1;
  } else if (to === F32) v32[d] = sign | 0x7fc00000 | (p1 << 3) | (p0 >>> 29);
  else cpu.v16[d] = (sign >>> 16) | 0x7e00 | (p1 >>> 10);
}
