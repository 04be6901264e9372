/**
 * AdvSIMD two-register miscellaneous integer operations (vector and scalar): SADDLP/UADDLP,
 * SADALP/UADALP, SUQADD/USQADD, CLS/CLZ, CNT, RBIT, SQABS/SQNEG, ABS/NEG, XTN/SQXTN/UQXTN/SQXTUN
 * (and "2" forms) and SHLL. (REV* are in simd-perm.ts, NOT and the compares against zero in
 * simd-int-logic.ts.)
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { add64, neg64, setNum64, shl64, suqadd64, usqadd64 } from './simd-lane64.js';
import {
  commitHalf,
  elementCount,
  FPSR_QC,
  finish,
  getS,
  getU,
  getX,
  isScalar,
  POW2,
  SCRATCH,
  SCRATCH2,
  satS,
  satU,
  setE,
  UMAX,
} from './simd-lanes.js';
import { NARROW_SS, NARROW_SU, NARROW_TRUNC, NARROW_UU, narrow64, narrowNum } from './simd-shift-core.js';

/** SADDLP/UADDLP and SADALP/UADALP (bit 14 = accumulate): sums of adjacent pairs, widened. */
export function ADDLP(cpu: Cpu, insn: number): void {
  const size = (insn >>> 22) & 3;
  if (size === 3) {
    cpu.undefined();
    return;
  }
  const u = (insn >>> 29) & 1;
  const acc = (insn & (1 << 14)) !== 0;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const count = elementCount(insn, size + 1);
  const v32 = cpu.v32;
  // Result element e covers exactly source elements 2e and 2e+1, so in-place order is safe.
  for (let e = 0; e < count; e++) {
    const sum = getX(cpu, size, n, 2 * e, u) + getX(cpu, size, n, 2 * e + 1, u);
    if (size === 2) {
      const di = (d << 2) + 2 * e;
      if (acc) {
        setNum64(v32, SCRATCH2 << 2, sum);
        add64(v32, di, di, SCRATCH2 << 2);
      } else {
        setNum64(v32, di, sum);
      }
    } else {
      setE(cpu, size + 1, d, e, acc ? getU(cpu, size + 1, d, e) + sum : sum);
    }
  }
  finish(cpu, insn, size + 1, d);
}

/** SUQADD (U=0: signed Vd + unsigned Vn) / USQADD (U=1: unsigned Vd + signed Vn), saturating. */
export function SUQADD_USQADD(cpu: Cpu, insn: number): void {
  const size = (insn >>> 22) & 3;
  if (!isScalar(insn) && size === 3 && (insn & (1 << 30)) === 0) {
    cpu.undefined();
    return;
  }
  const u = (insn >>> 29) & 1;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const count = elementCount(insn, size);
  for (let e = 0; e < count; e++) {
    if (size === 3) {
      const di = (d << 2) + 2 * e;
      if (u === 0) suqadd64(cpu, di, di, (n << 2) + 2 * e);
      else usqadd64(cpu, di, di, (n << 2) + 2 * e);
    } else if (u === 0) {
      setE(cpu, size, d, e, satS(cpu, getS(cpu, size, d, e) + getU(cpu, size, n, e), size));
    } else {
      setE(cpu, size, d, e, satU(cpu, getU(cpu, size, d, e) + getS(cpu, size, n, e), size));
    }
  }
  finish(cpu, insn, size, d);
}

/** CLS (U=0) / CLZ (U=1). */
export function CLS_CLZ(cpu: Cpu, insn: number): void {
  const size = (insn >>> 22) & 3;
  if (size === 3) {
    cpu.undefined();
    return;
  }
  const clz = (insn & (1 << 29)) !== 0;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const count = elementCount(insn, size);
  const pad = 32 - (8 << size);
  for (let e = 0; e < count; e++) {
    let r: number;
    if (clz) {
      r = Math.clz32(getU(cpu, size, n, e)) - pad;
    } else {
      const x = getS(cpu, size, n, e);
      r = Math.clz32((x ^ (x >> 1)) & UMAX[size]) - pad - 1;
    }
    setE(cpu, size, d, e, r);
  }
  finish(cpu, insn, size, d);
}

/** Bit count of a byte. */
function popcount8(b: number): number {
  b = b - ((b >>> 1) & 0x55);
  b = (b & 0x33) + ((b >>> 2) & 0x33);
  return (b + (b >>> 4)) & 0x0f;
}

/** CNT: population count per byte. */
export function CNT(cpu: Cpu, insn: number): void {
  const d = insn & 31;
  const nb = ((insn >>> 5) & 31) << 4;
  const count = elementCount(insn, 0);
  const v8 = cpu.v8;
  for (let i = 0; i < count; i++) v8[(d << 4) + i] = popcount8(v8[nb + i]);
  finish(cpu, insn, 0, d);
}

/** RBIT (vector): reverse the bits of each byte. */
export function RBIT_vec(cpu: Cpu, insn: number): void {
  const d = insn & 31;
  const nb = ((insn >>> 5) & 31) << 4;
  const count = elementCount(insn, 0);
  const v8 = cpu.v8;
  for (let i = 0; i < count; i++) {
    let b = v8[nb + i];
    b = ((b & 0xf0) >>> 4) | ((b & 0x0f) << 4);
    b = ((b & 0xcc) >>> 2) | ((b & 0x33) << 2);
    b = ((b & 0xaa) >>> 1) | ((b & 0x55) << 1);
    v8[(d << 4) + i] = b;
  }
  finish(cpu, insn, 0, d);
}

/** ABS/NEG (sat false) and SQABS/SQNEG (sat true); U=1 negates, U=0 takes the absolute value. */
function absNeg(cpu: Cpu, insn: number, sat: boolean): void {
  const size = (insn >>> 22) & 3;
  const bad = isScalar(insn) ? !sat && size !== 3 : size === 3 && (insn & (1 << 30)) === 0;
  if (bad) {
    cpu.undefined();
    return;
  }
  const neg = (insn & (1 << 29)) !== 0;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const count = elementCount(insn, size);
  const v32 = cpu.v32;
  for (let e = 0; e < count; e++) {
    if (size === 3) {
      const di = (d << 2) + 2 * e;
      const ni = (n << 2) + 2 * e;
      const hi = v32[ni + 1];
      const isMin = hi === -0x80000000 && v32[ni] === 0;
      if (sat && isMin) {
        v32[di] = -1;
        v32[di + 1] = 0x7fffffff;
        cpu.fpsr |= FPSR_QC;
      } else if (neg || hi < 0) {
        neg64(v32, di, ni);
      } else {
        v32[di] = v32[ni];
        v32[di + 1] = hi;
      }
    } else {
      const x = getS(cpu, size, n, e);
      const r = neg ? -x : Math.abs(x);
      setE(cpu, size, d, e, sat ? satS(cpu, r, size) : r);
    }
  }
  finish(cpu, insn, size, d);
}

export function ABS_NEG(cpu: Cpu, insn: number): void {
  absNeg(cpu, insn, false);
}

export function SQABS_SQNEG(cpu: Cpu, insn: number): void {
  absNeg(cpu, insn, true);
}

/** XTN/SQXTN/UQXTN/SQXTUN (and "2" forms, and the scalar saturating forms) with the given narrowing kind. */
function extractNarrow(cpu: Cpu, insn: number, kind: number): void {
  const size = (insn >>> 22) & 3;
  if (size === 3) {
    cpu.undefined();
    return;
  }
  const scalar = isScalar(insn);
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const count = scalar ? 1 : 8 >>> size;
  const signedIn = kind === NARROW_SS || kind === NARROW_SU;
  if (kind === NARROW_TRUNC) {
    // XTN: the low half of each element (the typed-array stores truncate).
    if (size === 0) for (let e = 0; e < count; e++) cpu.v8[(SCRATCH << 4) + e] = cpu.v16[(n << 3) + e];
    else if (size === 1) for (let e = 0; e < count; e++) cpu.v16[(SCRATCH << 3) + e] = cpu.v32[(n << 2) + e];
    else for (let e = 0; e < count; e++) cpu.v32[(SCRATCH << 2) + e] = cpu.v32[(n << 2) + 2 * e];
    commitHalf(cpu, d, SCRATCH, (insn >>> 30) & 1);
    return;
  }
  for (let e = 0; e < count; e++) {
    if (size === 2) setE(cpu, 2, SCRATCH, e, narrow64(cpu, (n << 2) + 2 * e, kind));
    else setE(cpu, size, SCRATCH, e, narrowNum(cpu, getX(cpu, size + 1, n, e, signedIn ? 0 : 1), size, kind));
  }
  if (scalar) {
    cpu.v32[SCRATCH << 2] &= size === 0 ? 0xff : size === 1 ? 0xffff : -1;
    cpu.v32[(SCRATCH << 2) + 1] = 0;
    commitHalf(cpu, d, SCRATCH, 0);
  } else {
    commitHalf(cpu, d, SCRATCH, (insn >>> 30) & 1);
  }
}

export function XTN(cpu: Cpu, insn: number): void {
  extractNarrow(cpu, insn, NARROW_TRUNC);
}

export function SQXTUN(cpu: Cpu, insn: number): void {
  extractNarrow(cpu, insn, NARROW_SU);
}

/** SQXTN (U=0) / UQXTN (U=1). */
export function QXTN(cpu: Cpu, insn: number): void {
  extractNarrow(cpu, insn, (insn & (1 << 29)) !== 0 ? NARROW_UU : NARROW_SS);
}

/** SHLL/SHLL2: widen the lower/upper half and shift left by the element size. */
export function SHLL(cpu: Cpu, insn: number): void {
  const size = (insn >>> 22) & 3;
  if (size === 3) {
    cpu.undefined();
    return;
  }
  const n = (insn >>> 5) & 31;
  const count = 8 >>> size;
  const base = ((insn >>> 30) & 1) * count;
  const v32 = cpu.v32;
  for (let e = 0; e < count; e++) {
    const x = getU(cpu, size, n, base + e);
    if (size === 2) {
      const t = (SCRATCH << 2) + 2 * e;
      setNum64(v32, t, x);
      shl64(v32, t, t, 32);
    } else {
      setE(cpu, size + 1, SCRATCH, e, x * POW2[8 << size]);
    }
  }
  const d = (insn & 31) << 2;
  for (let i = 0; i < 4; i++) v32[d + i] = v32[(SCRATCH << 2) + i];
}

const V = '0q u 01110 zz 10000';
const S = '01 u 11110 zz 10000';

export const SIMD_INT_MISC_ENCODINGS: readonly Encoding[] = [
  enc('ADDLP', 'SADDLP/UADDLP', `${V} 00010 10 nnnnn ddddd`, ADDLP),
  enc('SUQADD_USQADD', 'SUQADD/USQADD', `${V} 00011 10 nnnnn ddddd`, SUQADD_USQADD),
  enc('CLS_CLZ', 'CLS/CLZ (vector)', `${V} 00100 10 nnnnn ddddd`, CLS_CLZ),
  enc('CNT', 'CNT', '0q0 01110 00 10000 00101 10 nnnnn ddddd', CNT),
  enc('RBIT_vec', 'RBIT (vector)', '0q1 01110 01 10000 00101 10 nnnnn ddddd', RBIT_vec),
  enc('ADALP', 'SADALP/UADALP', `${V} 00110 10 nnnnn ddddd`, ADDLP),
  enc('SQABS_SQNEG', 'SQABS/SQNEG', `${V} 00111 10 nnnnn ddddd`, SQABS_SQNEG),
  enc('ABS_NEG', 'ABS/NEG (vector)', `${V} 01011 10 nnnnn ddddd`, ABS_NEG),
  enc('XTN', 'XTN', '0q0 01110 zz 10000 10010 10 nnnnn ddddd', XTN),
  enc('SQXTUN', 'SQXTUN', '0q1 01110 zz 10000 10010 10 nnnnn ddddd', SQXTUN),
  enc('SHLL', 'SHLL', '0q1 01110 zz 10000 10011 10 nnnnn ddddd', SHLL),
  enc('QXTN', 'SQXTN/UQXTN', `${V} 10100 10 nnnnn ddddd`, QXTN),
  enc('SUQADD_USQADD_scalar', 'SUQADD/USQADD (scalar)', `${S} 00011 10 nnnnn ddddd`, SUQADD_USQADD),
  enc('SQABS_SQNEG_scalar', 'SQABS/SQNEG (scalar)', `${S} 00111 10 nnnnn ddddd`, SQABS_SQNEG),
  enc('ABS_NEG_scalar', 'ABS/NEG (scalar)', `${S} 01011 10 nnnnn ddddd`, ABS_NEG),
  enc('SQXTUN_scalar', 'SQXTUN (scalar)', '011 11110 zz 10000 10010 10 nnnnn ddddd', SQXTUN),
  enc('QXTN_scalar', 'SQXTN/UQXTN (scalar)', `${S} 10100 10 nnnnn ddddd`, QXTN),
];
