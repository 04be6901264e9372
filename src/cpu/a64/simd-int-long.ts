/**
 * AdvSIMD three-different (long, wide and narrowing-high) integer operations, vector and scalar:
 * SADDL/UADDL, SADDW/UADDW, SSUBL/USUBL, SSUBW/USUBW, ADDHN/RADDHN, SUBHN/RSUBHN, SABAL/UABAL,
 * SABDL/UABDL, SMLAL/UMLAL, SMLSL/UMLSL, SMULL/UMULL, SQDMLAL, SQDMLSL, SQDMULL, PMULL (8-bit).
 * The "2" forms (Q=1) read the upper halves of the narrow sources. Results are built in the scratch
 * register because the wide destination may overlap a narrow source.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { clmul8 } from './simd-int-arith.js';
import { add64, mulHi, setNum64, shl64, sqadd64, sqsub64, sub64 } from './simd-lane64.js';
import {
  commitHalf,
  copyReg,
  FPSR_QC,
  getS,
  getU,
  getX,
  isScalar,
  POW2,
  SCRATCH,
  SCRATCH2,
  satS,
  setE,
} from './simd-lanes.js';

const ADDL = 0;
const ADDW = 1;
const SUBL = 2;
const SUBW = 3;
const ABAL = 5;
const ABDL = 7;
export const MLAL = 8;
export const QDMLAL = 9;
export const MLSL = 10;
export const QDMLSL = 11;
export const MULL = 12;
export const QDMULL = 13;
const PMULL = 14;

/** The 64-bit product a*b (both int32 or both uint32 numbers) into v32 lane t, doubled when dbl. */
function product64(cpu: Cpu, t: number, a: number, b: number, dbl: boolean): void {
  const v32 = cpu.v32;
  v32[t] = Math.imul(a, b);
  v32[t + 1] = mulHi(a, b);
  if (!dbl) return;
  if (a === -0x80000000 && b === -0x80000000) {
    // 2 * 2^62 overflows: SQDMULL saturates to the largest value.
    v32[t] = -1;
    v32[t + 1] = 0x7fffffff;
    cpu.fpsr |= FPSR_QC;
    return;
  }
  shl64(v32, t, t, 1);
}

/** One 64-bit result lane (32-bit narrow sources) into scratch lane t. */
function lane64(cpu: Cpu, opc: number, e: number, d: number, n: number, a: number, b: number): void {
  const v32 = cpu.v32;
  const t = (SCRATCH << 2) + 2 * e;
  const t2 = SCRATCH2 << 2;
  const di = (d << 2) + 2 * e;
  switch (opc) {
    case ADDL:
      setNum64(v32, t, a + b);
      break;
    case SUBL:
      setNum64(v32, t, a - b);
      break;
    case ADDW:
    case SUBW:
      setNum64(v32, t2, b);
      if (opc === ADDW) add64(v32, t, (n << 2) + 2 * e, t2);
      else sub64(v32, t, (n << 2) + 2 * e, t2);
      break;
    case ABAL:
      setNum64(v32, t2, Math.abs(a - b));
      add64(v32, t, di, t2);
      break;
    case ABDL:
      setNum64(v32, t, Math.abs(a - b));
      break;
    case MLAL:
    case MLSL:
      product64(cpu, t2, a, b, false);
      if (opc === MLAL) add64(v32, t, di, t2);
      else sub64(v32, t, di, t2);
      break;
    case MULL:
      product64(cpu, t, a, b, false);
      break;
    case QDMULL:
      product64(cpu, t, a, b, true);
      break;
    default: // QDMLAL, QDMLSL
      product64(cpu, t2, a, b, true);
      if (opc === QDMLAL) sqadd64(cpu, t, di, t2);
      else sqsub64(cpu, t, di, t2);
  }
}

/** One result lane of 16 or 32 bits (wide = 1 or 2) from narrow sources a, b. */
function laneNum(cpu: Cpu, opc: number, wide: number, u: number, d: number, e: number, a: number, b: number): number {
  switch (opc) {
    case ADDL:
    case ADDW:
      return a + b;
    case SUBL:
    case SUBW:
      return a - b;
    case ABAL:
      return getU(cpu, wide, d, e) + Math.abs(a - b);
    case ABDL:
      return Math.abs(a - b);
    case MLAL:
      return getX(cpu, wide, d, e, u) + a * b;
    case MLSL:
      return getX(cpu, wide, d, e, u) - a * b;
    case MULL:
      return a * b;
    case PMULL:
      return clmul8(a & 0xff, b & 0xff);
    default: {
      const p = satS(cpu, 2 * a * b, wide);
      if (opc === QDMULL) return p;
      const acc = getS(cpu, wide, d, e);
      return satS(cpu, opc === QDMLAL ? acc + p : acc - p, wide);
    }
  }
}

/** The long and wide forms (every opcode except the narrowing-high ones). */
export function LONG3(cpu: Cpu, insn: number): void {
  longOp(cpu, insn, (insn >>> 12) & 15, false, 0);
}

/**
 * A long/wide operation with opcode opc (the three-different numbering). With byElement, every lane
 * uses the second operand b (the by-element forms); otherwise b comes from the lanes of Vm.
 */
export function longOp(cpu: Cpu, insn: number, opc: number, byElement: boolean, b: number): void {
  const size = (insn >>> 22) & 3;
  const saturating = opc === QDMLAL || opc === QDMLSL || opc === QDMULL;
  if (size === 3 || (opc === PMULL && size !== 0) || (saturating && size === 0)) {
    cpu.undefined();
    return;
  }
  const scalar = isScalar(insn);
  const u = (insn >>> 29) & 1;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const count = scalar ? 1 : 8 >>> size;
  const base = scalar ? 0 : ((insn >>> 30) & 1) * count;
  const wide = size + 1;
  const wideN = opc === ADDW || opc === SUBW;
  for (let e = 0; e < count; e++) {
    if (!byElement) b = getX(cpu, size, m, base + e, u);
    if (wide === 3) {
      lane64(cpu, opc, e, d, n, wideN ? 0 : getX(cpu, size, n, base + e, u), b);
    } else {
      const a = wideN ? getX(cpu, wide, n, e, u) : getX(cpu, size, n, base + e, u);
      setE(cpu, wide, SCRATCH, e, laneNum(cpu, opc, wide, u, d, e, a, b));
    }
  }
  if (scalar) {
    const v32 = cpu.v32;
    // Scalar SQDMULL & co: one element of 32 (from H) or 64 bits (from S).
    if (wide === 2) v32[(SCRATCH << 2) + 1] = 0;
    v32[(SCRATCH << 2) + 2] = 0;
    v32[(SCRATCH << 2) + 3] = 0;
  }
  copyReg(cpu, d, SCRATCH);
}

/** ADDHN/RADDHN (bit 13 = 0) and SUBHN/RSUBHN: high half of the wide sum/difference, U = rounding. */
export function HN3(cpu: Cpu, insn: number): void {
  const size = (insn >>> 22) & 3;
  if (size === 3) {
    cpu.undefined();
    return;
  }
  const round = (insn & (1 << 29)) !== 0;
  const sub = (insn & (1 << 13)) !== 0;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const count = 8 >>> size;
  const v32 = cpu.v32;
  for (let e = 0; e < count; e++) {
    if (size === 2) {
      const t = SCRATCH2 << 2;
      if (sub) sub64(v32, t, (n << 2) + 2 * e, (m << 2) + 2 * e);
      else add64(v32, t, (n << 2) + 2 * e, (m << 2) + 2 * e);
      let hi = v32[t + 1];
      if (round && v32[t] < 0) hi = (hi + 1) | 0; // + 2^31 carries out of the low word iff its bit 31 is set
      v32[(SCRATCH << 2) + e] = hi;
    } else {
      const a = getU(cpu, size + 1, n, e);
      const b = getU(cpu, size + 1, m, e);
      const esize = 8 << size;
      const r = (sub ? a - b : a + b) + (round ? POW2[esize - 1] : 0);
      setE(cpu, size, SCRATCH, e, Math.floor(r / POW2[esize]));
    }
  }
  commitHalf(cpu, insn & 31, SCRATCH, (insn >>> 30) & 1);
}

const V = '0q u 01110 zz 1 mmmmm';

export const SIMD_INT_LONG_ENCODINGS: readonly Encoding[] = [
  enc('ADDL', 'SADDL/UADDL', `${V} 0000 00 nnnnn ddddd`, LONG3),
  enc('ADDW', 'SADDW/UADDW', `${V} 0001 00 nnnnn ddddd`, LONG3),
  enc('SUBL', 'SSUBL/USUBL', `${V} 0010 00 nnnnn ddddd`, LONG3),
  enc('SUBW', 'SSUBW/USUBW', `${V} 0011 00 nnnnn ddddd`, LONG3),
  enc('ADDHN', 'ADDHN/RADDHN', `${V} 0100 00 nnnnn ddddd`, HN3),
  enc('ABAL', 'SABAL/UABAL', `${V} 0101 00 nnnnn ddddd`, LONG3),
  enc('SUBHN', 'SUBHN/RSUBHN', `${V} 0110 00 nnnnn ddddd`, HN3),
  enc('ABDL', 'SABDL/UABDL', `${V} 0111 00 nnnnn ddddd`, LONG3),
  enc('MLAL', 'SMLAL/UMLAL (vector)', `${V} 1000 00 nnnnn ddddd`, LONG3),
  enc('SQDMLAL', 'SQDMLAL (vector)', '0q0 01110 zz 1 mmmmm 1001 00 nnnnn ddddd', LONG3),
  enc('MLSL', 'SMLSL/UMLSL (vector)', `${V} 1010 00 nnnnn ddddd`, LONG3),
  enc('SQDMLSL', 'SQDMLSL (vector)', '0q0 01110 zz 1 mmmmm 1011 00 nnnnn ddddd', LONG3),
  enc('MULL', 'SMULL/UMULL (vector)', `${V} 1100 00 nnnnn ddddd`, LONG3),
  enc('SQDMULL', 'SQDMULL (vector)', '0q0 01110 zz 1 mmmmm 1101 00 nnnnn ddddd', LONG3),
  enc('PMULL', 'PMULL (8-bit)', '0q0 01110 zz 1 mmmmm 1110 00 nnnnn ddddd', LONG3),
  enc('SQDMLAL_scalar', 'SQDMLAL (scalar)', '010 11110 zz 1 mmmmm 1001 00 nnnnn ddddd', LONG3),
  enc('SQDMLSL_scalar', 'SQDMLSL (scalar)', '010 11110 zz 1 mmmmm 1011 00 nnnnn ddddd', LONG3),
  enc('SQDMULL_scalar', 'SQDMULL (scalar)', '010 11110 zz 1 mmmmm 1101 00 nnnnn ddddd', LONG3),
];
