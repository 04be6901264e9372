/**
 * Floating-point comparisons and selections (Arm ARM FPCompare, FPCompareEQ/GE/GT, FPMax/FPMin,
 * FPMaxNum/FPMinNum), on register-file element indices like fp-ops.ts (F64: vf64[i]; F32: vf32[i]).
 */
import type { Cpu } from './cpu.js';
import { INF, nanResult, processNaNs2, put, QNAN, SNAN, uNeg, unpack, uValue, ZERO } from './fp-ops.js';
import { F64, FPCR_FZ, IOC } from './fp-round.js';

/**
 * FPCompare (FCMP/FCMPE/FCCMP/FCCMPE): NZCV as a 4-bit value; m < 0 compares with +0.0.
 * Unordered gives 0011 and IOC for a signalling NaN (any NaN when signalAll: the E forms).
 */
export function fpCompare(cpu: Cpu, fmt: number, n: number, m: number, signalAll: boolean): number {
  if ((cpu.fpcr & FPCR_FZ) === 0) {
    const a = fmt === F64 ? cpu.vf64[n] : cpu.vf32[n];
    const b = m < 0 ? 0 : fmt === F64 ? cpu.vf64[m] : cpu.vf32[m];
    if (a === b) return 0b0110;
    if (a < b) return 0b1000;
    if (a > b) return 0b0010;
  }
  const t1 = unpack(cpu, fmt, n);
  const a = uValue[0];
  let t2 = ZERO;
  let b = 0;
  if (m >= 0) {
    t2 = unpack(cpu, fmt, m);
    b = uValue[0];
  }
  if (t1 >= QNAN || t2 >= QNAN) {
    if (signalAll || t1 === SNAN || t2 === SNAN) cpu.fpsr |= IOC;
    return 0b0011;
  }
  if (a === b) return 0b0110;
  return a < b ? 0b1000 : 0b0010;
}

/** Comparison kinds for the vector FCM* forms. */
export const CMP_EQ = 0;
export const CMP_GE = 1;
export const CMP_GT = 2;
/** FCMLE/FCMLT (zero): FPCompareGE/GT with the operands swapped. */
export const CMP_LE = 3;
export const CMP_LT = 4;

function cmp(a: number, b: number, op: number): boolean {
  switch (op) {
    case CMP_EQ:
      return a === b;
    case CMP_GE:
      return a >= b;
    case CMP_GT:
      return a > b;
    case CMP_LE:
      return a <= b;
    default:
      return a < b;
  }
}

/**
 * FPCompareEQ/GE/GT of elements n and m (m < 0: +0.0). EQ raises IOC only for signalling NaNs,
 * the others for any NaN. abs compares magnitudes (FACGE/FACGT).
 */
export function fpCompareOp(cpu: Cpu, fmt: number, n: number, m: number, op: number, abs: boolean): boolean {
  let a: number;
  let b: number;
  if ((cpu.fpcr & FPCR_FZ) === 0) {
    a = fmt === F64 ? cpu.vf64[n] : cpu.vf32[n];
    b = m < 0 ? 0 : fmt === F64 ? cpu.vf64[m] : cpu.vf32[m];
    if (!Number.isNaN(a) && !Number.isNaN(b)) {
      if (abs) {
        a = Math.abs(a);
        b = Math.abs(b);
      }
      return cmp(a, b, op);
    }
  }
  const t1 = unpack(cpu, fmt, n);
  a = uValue[0];
  let t2 = ZERO;
  b = 0;
  if (m >= 0) {
    t2 = unpack(cpu, fmt, m);
    b = uValue[0];
  }
  if (t1 >= QNAN || t2 >= QNAN) {
    if (op !== CMP_EQ || t1 === SNAN || t2 === SNAN) cpu.fpsr |= IOC;
    return false;
  }
  if (abs) {
    a = Math.abs(a);
    b = Math.abs(b);
  }
  return cmp(a, b, op);
}

/**
 * FMAX/FMIN (num false) and FMAXNM/FMINNM (num true: a quiet NaN loses against a number) of elements
 * n and m into d. Zeros of both signs: max gives +0, min gives -0.
 */
export function fpMaxMin(cpu: Cpu, fmt: number, d: number, n: number, m: number, min: boolean, num: boolean): void {
  if ((cpu.fpcr & FPCR_FZ) === 0) {
    const a = fmt === F64 ? cpu.vf64[n] : cpu.vf32[n];
    const b = fmt === F64 ? cpu.vf64[m] : cpu.vf32[m];
    if (a !== b) {
      if (a > b) {
        put(cpu, fmt, d, min ? b : a);
        return;
      }
      if (a < b) {
        put(cpu, fmt, d, min ? a : b);
        return;
      }
    } else if (a !== 0) {
      put(cpu, fmt, d, a);
      return;
    }
  }
  let t1 = unpack(cpu, fmt, n);
  let a = uValue[0];
  let s1 = uNeg;
  let t2 = unpack(cpu, fmt, m);
  let b = uValue[0];
  let s2 = uNeg;
  if (num) {
    // FPMaxNum/FPMinNum: a quiet NaN against a non-quiet-NaN becomes the infinity that always loses.
    if (t1 === QNAN && t2 !== QNAN) {
      t1 = INF;
      a = min ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      s1 = !min;
    } else if (t2 === QNAN && t1 !== QNAN) {
      t2 = INF;
      b = min ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      s2 = !min;
    }
  }
  if (t1 >= QNAN || t2 >= QNAN) {
    processNaNs2(cpu, fmt, d, n, t1, m, t2, 0);
    return;
  }
  const first = min ? a < b : a > b;
  const v = first ? a : b;
  if (v === 0 && (first ? t1 : t2) === ZERO) {
    // FPMax takes sign1 AND sign2 for a zero result, FPMin sign1 OR sign2.
    const neg = min ? s1 || s2 : s1 && s2;
    put(cpu, fmt, d, neg ? -0 : 0);
    return;
  }
  put(cpu, fmt, d, v);
}

/** FPProcessNaN for one operand, for the one-source operations that propagate NaNs. */
export function nanOperand(cpu: Cpu, fmt: number, d: number, n: number): boolean {
  const t = unpack(cpu, fmt, n);
  if (t < QNAN) return false;
  nanResult(cpu, fmt, d, n, t, 0);
  return true;
}
