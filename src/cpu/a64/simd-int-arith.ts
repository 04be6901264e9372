/**
 * AdvSIMD three-same integer arithmetic (vector, and the scalar forms that share a handler):
 * ADD/SUB, MUL/MLA/MLS/PMUL, halving adds, saturating adds, max/min, absolute difference,
 * pairwise ops, SQDMULH/SQRDMULH.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { add64, mulHi, sqadd64, sqsub64, sub64, uqadd64, uqsub64 } from './simd-lane64.js';
import {
  commit,
  elementCount,
  FPSR_QC,
  finish,
  getS,
  getU,
  getX,
  isScalar,
  SCRATCH,
  satS,
  satU,
  setE,
} from './simd-lanes.js';

/** True (and SIGILL raised) for a reserved size: vector 8B/4H/2S/1D rules with 64-bit lanes needing Q. */
function reserved64(cpu: Cpu, insn: number, size: number, scalarD: boolean): boolean {
  const bad = isScalar(insn) ? scalarD && size !== 3 : size === 3 && (insn & (1 << 30)) === 0;
  if (bad) cpu.undefined();
  return bad;
}

function reservedNo64(cpu: Cpu, size: number): boolean {
  if (size === 3) cpu.undefined();
  return size === 3;
}

/** ADD / SUB (vector; scalar D). */
export function ADD_SUB_vec(cpu: Cpu, insn: number): void {
  const size = (insn >>> 22) & 3;
  if (reserved64(cpu, insn, size, true)) return;
  const sub = (insn & (1 << 29)) !== 0;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const count = elementCount(insn, size);
  switch (size) {
    case 0: {
      const v8 = cpu.v8;
      const db = d << 4;
      const nb = n << 4;
      const mb = m << 4;
      if (sub) for (let i = 0; i < count; i++) v8[db + i] = v8[nb + i] - v8[mb + i];
      else for (let i = 0; i < count; i++) v8[db + i] = v8[nb + i] + v8[mb + i];
      break;
    }
    case 1: {
      const v16 = cpu.v16;
      const db = d << 3;
      const nb = n << 3;
      const mb = m << 3;
      if (sub) for (let i = 0; i < count; i++) v16[db + i] = v16[nb + i] - v16[mb + i];
      else for (let i = 0; i < count; i++) v16[db + i] = v16[nb + i] + v16[mb + i];
      break;
    }
    case 2: {
      const v32 = cpu.v32;
      const db = d << 2;
      const nb = n << 2;
      const mb = m << 2;
      if (sub) for (let i = 0; i < count; i++) v32[db + i] = (v32[nb + i] - v32[mb + i]) | 0;
      else for (let i = 0; i < count; i++) v32[db + i] = (v32[nb + i] + v32[mb + i]) | 0;
      break;
    }
    default:
      for (let i = 0; i < count; i++) {
        if (sub) sub64(cpu.v32, (d << 2) + 2 * i, (n << 2) + 2 * i, (m << 2) + 2 * i);
        else add64(cpu.v32, (d << 2) + 2 * i, (n << 2) + 2 * i, (m << 2) + 2 * i);
      }
  }
  finish(cpu, insn, size, d);
}

/** MUL, MLA, MLS (vector): products modulo the element size; op 0 = MUL, 1 = MLA, 2 = MLS. */
function mulAcc(cpu: Cpu, insn: number, op: number): void {
  const size = (insn >>> 22) & 3;
  if (reservedNo64(cpu, size)) return;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const count = elementCount(insn, size);
  for (let e = 0; e < count; e++) {
    const p = Math.imul(getU(cpu, size, n, e), getU(cpu, size, m, e));
    if (op === 0) setE(cpu, size, d, e, p);
    else setE(cpu, size, d, e, op === 1 ? (getU(cpu, size, d, e) + p) | 0 : (getU(cpu, size, d, e) - p) | 0);
  }
  finish(cpu, insn, size, d);
}

export function MUL_vec(cpu: Cpu, insn: number): void {
  mulAcc(cpu, insn, 0);
}

export function MLA_vec(cpu: Cpu, insn: number): void {
  mulAcc(cpu, insn, 1);
}

export function MLS_vec(cpu: Cpu, insn: number): void {
  mulAcc(cpu, insn, 2);
}

/** Carry-less product of two bytes (16-bit result). */
export function clmul8(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) if ((b >>> i) & 1) r ^= a << i;
  return r;
}

/** PMUL: polynomial multiply of bytes, low 8 bits. */
export function PMUL(cpu: Cpu, insn: number): void {
  if (((insn >>> 22) & 3) !== 0) {
    cpu.undefined();
    return;
  }
  const d = insn & 31;
  const count = elementCount(insn, 0);
  const v8 = cpu.v8;
  const nb = ((insn >>> 5) & 31) << 4;
  const mb = ((insn >>> 16) & 31) << 4;
  for (let i = 0; i < count; i++) v8[(d << 4) + i] = clmul8(v8[nb + i], v8[mb + i]);
  finish(cpu, insn, 0, d);
}

/** SHADD/UHADD, SRHADD/URHADD, SHSUB/UHSUB: op 0 = halving add, 1 = rounding halving add, 2 = halving subtract. */
function halving(cpu: Cpu, insn: number, op: number): void {
  const size = (insn >>> 22) & 3;
  if (reservedNo64(cpu, size)) return;
  const u = (insn >>> 29) & 1;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const count = elementCount(insn, size);
  for (let e = 0; e < count; e++) {
    const a = getX(cpu, size, n, e, u);
    const b = getX(cpu, size, m, e, u);
    setE(cpu, size, d, e, Math.floor((op === 2 ? a - b : a + b + op) / 2));
  }
  finish(cpu, insn, size, d);
}

export function HADD(cpu: Cpu, insn: number): void {
  halving(cpu, insn, 0);
}

export function RHADD(cpu: Cpu, insn: number): void {
  halving(cpu, insn, 1);
}

export function HSUB(cpu: Cpu, insn: number): void {
  halving(cpu, insn, 2);
}

/** SQADD/UQADD/SQSUB/UQSUB (vector and scalar, all sizes). */
function satAddSub(cpu: Cpu, insn: number, sub: boolean): void {
  const size = (insn >>> 22) & 3;
  if (reserved64(cpu, insn, size, false)) return;
  const u = (insn >>> 29) & 1;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const count = elementCount(insn, size);
  if (size === 3) {
    for (let e = 0; e < count; e++) {
      const di = (d << 2) + 2 * e;
      const ni = (n << 2) + 2 * e;
      const mi = (m << 2) + 2 * e;
      if (u === 1) (sub ? uqsub64 : uqadd64)(cpu, di, ni, mi);
      else (sub ? sqsub64 : sqadd64)(cpu, di, ni, mi);
    }
  } else {
    for (let e = 0; e < count; e++) {
      const a = getX(cpu, size, n, e, u);
      const b = getX(cpu, size, m, e, u);
      const r = sub ? a - b : a + b;
      setE(cpu, size, d, e, u === 1 ? satU(cpu, r, size) : satS(cpu, r, size));
    }
  }
  finish(cpu, insn, size, d);
}

export function QADD(cpu: Cpu, insn: number): void {
  satAddSub(cpu, insn, false);
}

export function QSUB(cpu: Cpu, insn: number): void {
  satAddSub(cpu, insn, true);
}

/** SMAX/UMAX/SMIN/UMIN (vector). */
function maxMin(cpu: Cpu, insn: number, min: boolean): void {
  const size = (insn >>> 22) & 3;
  if (reservedNo64(cpu, size)) return;
  const u = (insn >>> 29) & 1;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const count = elementCount(insn, size);
  // One typed-array loop per lane size: these are common in vectorised loops.
  if (size === 0) {
    const v8 = cpu.v8;
    const sh = u === 1 ? 0 : 24;
    for (let i = 0; i < count; i++) {
      const a = v8[(n << 4) + i];
      const b = v8[(m << 4) + i];
      v8[(d << 4) + i] = min === (a << sh) >> sh < (b << sh) >> sh ? a : b;
    }
  } else if (size === 1) {
    const v16 = cpu.v16;
    const sh = u === 1 ? 0 : 16;
    for (let i = 0; i < count; i++) {
      const a = v16[(n << 3) + i];
      const b = v16[(m << 3) + i];
      v16[(d << 3) + i] = min === (a << sh) >> sh < (b << sh) >> sh ? a : b;
    }
  } else {
    const v32 = cpu.v32;
    const flip = u === 1 ? 0x80000000 : 0; // unsigned order = signed order with the sign bit flipped
    for (let i = 0; i < count; i++) {
      const a = v32[(n << 2) + i];
      const b = v32[(m << 2) + i];
      v32[(d << 2) + i] = min === (a ^ flip) < (b ^ flip) ? a : b;
    }
  }
  finish(cpu, insn, size, d);
}

export function MAX_vec(cpu: Cpu, insn: number): void {
  maxMin(cpu, insn, false);
}

export function MIN_vec(cpu: Cpu, insn: number): void {
  maxMin(cpu, insn, true);
}

/** SABD/UABD and SABA/UABA (accumulate). */
function absDiff(cpu: Cpu, insn: number, acc: boolean): void {
  const size = (insn >>> 22) & 3;
  if (reservedNo64(cpu, size)) return;
  const u = (insn >>> 29) & 1;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const count = elementCount(insn, size);
  for (let e = 0; e < count; e++) {
    const diff = Math.abs(getX(cpu, size, n, e, u) - getX(cpu, size, m, e, u));
    setE(cpu, size, d, e, acc ? getU(cpu, size, d, e) + diff : diff);
  }
  finish(cpu, insn, size, d);
}

export function ABD(cpu: Cpu, insn: number): void {
  absDiff(cpu, insn, false);
}

export function ABA(cpu: Cpu, insn: number): void {
  absDiff(cpu, insn, true);
}

/** half results of an unsigned byte pairwise op (0 = add, 1 = max, 2 = min) from the pairs at byte sb onwards. */
function pairwiseBytes(cpu: Cpu, op: number, sb: number, db: number, half: number): void {
  const v8 = cpu.v8;
  if (op === 0) {
    for (let e = 0; e < half; e++) v8[db + e] = v8[sb + 2 * e] + v8[sb + 2 * e + 1];
  } else if (op === 1) {
    for (let e = 0; e < half; e++) v8[db + e] = Math.max(v8[sb + 2 * e], v8[sb + 2 * e + 1]);
  } else {
    for (let e = 0; e < half; e++) v8[db + e] = Math.min(v8[sb + 2 * e], v8[sb + 2 * e + 1]);
  }
}

/**
 * Pairwise ops over the concatenation Vm:Vn: op 0 = ADDP, 1 = max, 2 = min (signed unless U).
 * Results go through the scratch register since Vd may be a source.
 */
function pairwise(cpu: Cpu, insn: number, op: number): void {
  const size = (insn >>> 22) & 3;
  const q = (insn >>> 30) & 1;
  if (op === 0 ? size === 3 && q === 0 : size === 3) {
    cpu.undefined();
    return;
  }
  const u = (insn >>> 29) & 1;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const count = (8 << q) >>> size;
  const half = count >>> 1;
  if (size === 3) {
    const v32 = cpu.v32;
    add64(v32, SCRATCH << 2, n << 2, (n << 2) + 2);
    add64(v32, (SCRATCH << 2) + 2, m << 2, (m << 2) + 2);
  } else if (size === 0 && (op === 0 || u === 1)) {
    // ADDP/UMAXP/UMINP .16b/.8b: string functions reduce comparison masks with these.
    pairwiseBytes(cpu, op, n << 4, SCRATCH << 4, half);
    pairwiseBytes(cpu, op, m << 4, (SCRATCH << 4) + half, half);
  } else {
    for (let e = 0; e < count; e++) {
      const src = e < half ? n : m;
      const k = 2 * (e < half ? e : e - half);
      const a = getX(cpu, size, src, k, u);
      const b = getX(cpu, size, src, k + 1, u);
      setE(cpu, size, SCRATCH, e, op === 0 ? a + b : (op === 1) === a > b ? a : b);
    }
  }
  commit(cpu, d, SCRATCH, 8 << q);
}

export function ADDP_vec(cpu: Cpu, insn: number): void {
  pairwise(cpu, insn, 0);
}

export function MAXP(cpu: Cpu, insn: number): void {
  pairwise(cpu, insn, 1);
}

export function MINP(cpu: Cpu, insn: number): void {
  pairwise(cpu, insn, 2);
}

/**
 * The saturated high half of 2*a*b (+ rounding) for H or S elements (SQDMULH/SQRDMULH and their
 * by-element forms); sets QC on the one overflowing case (both operands the minimum).
 */
export function qdmulh(cpu: Cpu, size: number, a: number, b: number, round: boolean): number {
  if (size === 1) {
    const r = Math.floor((2 * a * b + (round ? 0x8000 : 0)) / 65536);
    if (r > 0x7fff) {
      cpu.fpsr |= FPSR_QC;
      return 0x7fff;
    }
    return r;
  }
  if (a === -0x80000000 && b === -0x80000000) {
    cpu.fpsr |= FPSR_QC;
    return 0x7fffffff;
  }
  // hi:lo = a*b; 2*a*b = (hi << 1 | lo >>> 31):(lo << 1)
  const lo = Math.imul(a, b);
  let hi = (mulHi(a, b) << 1) | (lo >>> 31);
  if (round && (lo & 0x40000000) !== 0) hi = (hi + 1) | 0;
  return hi;
}

/** SQDMULH / SQRDMULH (vector and scalar; H and S). */
export function QDMULH(cpu: Cpu, insn: number): void {
  const size = (insn >>> 22) & 3;
  if (size === 0 || size === 3) {
    cpu.undefined();
    return;
  }
  const round = (insn & (1 << 29)) !== 0;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const count = elementCount(insn, size);
  for (let e = 0; e < count; e++)
    setE(cpu, size, d, e, qdmulh(cpu, size, getS(cpu, size, n, e), getS(cpu, size, m, e), round));
  finish(cpu, insn, size, d);
}

const V = '0q u 01110 zz 1 mmmmm';
const S = '01 u 11110 zz 1 mmmmm';

export const SIMD_INT_ARITH_ENCODINGS: readonly Encoding[] = [
  enc('HADD', 'SHADD/UHADD', `${V} 00000 1 nnnnn ddddd`, HADD),
  enc('QADD', 'SQADD/UQADD (vector)', `${V} 00001 1 nnnnn ddddd`, QADD),
  enc('RHADD', 'SRHADD/URHADD', `${V} 00010 1 nnnnn ddddd`, RHADD),
  enc('HSUB', 'SHSUB/UHSUB', `${V} 00100 1 nnnnn ddddd`, HSUB),
  enc('QSUB', 'SQSUB/UQSUB (vector)', `${V} 00101 1 nnnnn ddddd`, QSUB),
  enc('MAX_vec', 'SMAX/UMAX', `${V} 01100 1 nnnnn ddddd`, MAX_vec),
  enc('MIN_vec', 'SMIN/UMIN', `${V} 01101 1 nnnnn ddddd`, MIN_vec),
  enc('ABD', 'SABD/UABD', `${V} 01110 1 nnnnn ddddd`, ABD),
  enc('ABA', 'SABA/UABA', `${V} 01111 1 nnnnn ddddd`, ABA),
  enc('ADD_SUB_vec', 'ADD/SUB (vector)', `${V} 10000 1 nnnnn ddddd`, ADD_SUB_vec),
  enc('MLA_vec', 'MLA (vector)', '0q0 01110 zz 1 mmmmm 10010 1 nnnnn ddddd', MLA_vec),
  enc('MLS_vec', 'MLS (vector)', '0q1 01110 zz 1 mmmmm 10010 1 nnnnn ddddd', MLS_vec),
  enc('MUL_vec', 'MUL (vector)', '0q0 01110 zz 1 mmmmm 10011 1 nnnnn ddddd', MUL_vec),
  enc('PMUL', 'PMUL', '0q1 01110 zz 1 mmmmm 10011 1 nnnnn ddddd', PMUL),
  enc('MAXP', 'SMAXP/UMAXP', `${V} 10100 1 nnnnn ddddd`, MAXP),
  enc('MINP', 'SMINP/UMINP', `${V} 10101 1 nnnnn ddddd`, MINP),
  enc('QDMULH_vec', 'SQDMULH/SQRDMULH (vector)', `${V} 10110 1 nnnnn ddddd`, QDMULH),
  enc('ADDP_vec', 'ADDP (vector)', '0q0 01110 zz 1 mmmmm 10111 1 nnnnn ddddd', ADDP_vec),
  enc('QADD_scalar', 'SQADD/UQADD (scalar)', `${S} 00001 1 nnnnn ddddd`, QADD),
  enc('QSUB_scalar', 'SQSUB/UQSUB (scalar)', `${S} 00101 1 nnnnn ddddd`, QSUB),
  enc('ADD_SUB_scalar', 'ADD/SUB (scalar)', `${S} 10000 1 nnnnn ddddd`, ADD_SUB_vec),
  enc('QDMULH_scalar', 'SQDMULH/SQRDMULH (scalar)', `${S} 10110 1 nnnnn ddddd`, QDMULH),
];
