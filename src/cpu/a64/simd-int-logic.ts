/**
 * AdvSIMD bitwise operations (AND, BIC, ORR, ORN, EOR, BSL, BIT, BIF, NOT) and integer comparisons
 * (CMEQ/CMGT/CMGE/CMHI/CMHS/CMTST against a register, CMEQ/CMGT/CMGE/CMLE/CMLT against zero),
 * vector and scalar D forms. These are on the hot path of glibc's string functions.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { gtS64, gtU64 } from './simd-lane64.js';
import { clearHigh, elementCount, finish, getS, getU, isScalar, setE } from './simd-lanes.js';

/** Applies a word-wise bitwise op to the 2 (Q=0) or 4 words of Vd, Vn, Vm; op as in BITWISE_OPS. */
function bitwise(cpu: Cpu, insn: number, op: number): void {
  const v32 = cpu.v32;
  const d = insn & 31;
  const di = d << 2;
  const ni = ((insn >>> 5) & 31) << 2;
  const mi = ((insn >>> 16) & 31) << 2;
  const words = (insn & (1 << 30)) !== 0 ? 4 : 2;
  for (let i = 0; i < words; i++) {
    const a = v32[ni + i];
    const b = v32[mi + i];
    const c = v32[di + i];
    let r: number;
    switch (op) {
      case 0:
        r = a & b;
        break;
      case 1:
        r = a & ~b;
        break;
      case 2:
        r = a | b;
        break;
      case 3:
        r = a | ~b;
        break;
      case 4:
        r = a ^ b;
        break;
      case 5: // BSL: Vd selects Vn (1) or Vm (0)
        r = b ^ ((b ^ a) & c);
        break;
      case 6: // BIT: insert Vn where Vm is 1
        r = c ^ ((c ^ a) & b);
        break;
      default: // BIF: insert Vn where Vm is 0
        r = c ^ ((c ^ a) & ~b);
    }
    v32[di + i] = r;
  }
  if (words === 2) clearHigh(cpu, d);
}

export function AND_vec(cpu: Cpu, insn: number): void {
  bitwise(cpu, insn, 0);
}
export function BIC_vec(cpu: Cpu, insn: number): void {
  bitwise(cpu, insn, 1);
}
export function ORR_vec(cpu: Cpu, insn: number): void {
  bitwise(cpu, insn, 2);
}
export function ORN_vec(cpu: Cpu, insn: number): void {
  bitwise(cpu, insn, 3);
}
export function EOR_vec(cpu: Cpu, insn: number): void {
  bitwise(cpu, insn, 4);
}
export function BSL(cpu: Cpu, insn: number): void {
  bitwise(cpu, insn, 5);
}
export function BIT(cpu: Cpu, insn: number): void {
  bitwise(cpu, insn, 6);
}
export function BIF(cpu: Cpu, insn: number): void {
  bitwise(cpu, insn, 7);
}

/** NOT (MVN): bitwise inverse. */
export function NOT_vec(cpu: Cpu, insn: number): void {
  const v32 = cpu.v32;
  const d = insn & 31;
  const ni = ((insn >>> 5) & 31) << 2;
  v32[d << 2] = ~v32[ni];
  v32[(d << 2) + 1] = ~v32[ni + 1];
  if ((insn & (1 << 30)) !== 0) {
    v32[(d << 2) + 2] = ~v32[ni + 2];
    v32[(d << 2) + 3] = ~v32[ni + 3];
  } else {
    clearHigh(cpu, d);
  }
}

// Comparison kinds.
const EQ = 0;
const GT = 1;
const GE = 2;
const HI = 3;
const HS = 4;
const TST = 5;
const LE = 6;
const LT = 7;

/** True when the size is reserved: scalar forms are D only; vector 64-bit lanes need Q. */
function badCompareSize(cpu: Cpu, insn: number, size: number): boolean {
  const bad = isScalar(insn) ? size !== 3 : size === 3 && (insn & (1 << 30)) === 0;
  if (bad) cpu.undefined();
  return bad;
}

/**
 * Byte-lane comparisons, the forms string functions use (CMEQ/CMHS/CMHI .16b, CMEQ #0): one loop per
 * kind so the per-byte work is a compare and a store.
 */
function compareBytes(
  cpu: Cpu,
  kind: number,
  withZero: boolean,
  db: number,
  nb: number,
  mb: number,
  count: number,
): void {
  const v8 = cpu.v8;
  if (withZero) {
    if (kind === EQ) {
      for (let i = 0; i < count; i++) v8[db + i] = v8[nb + i] === 0 ? 0xff : 0;
      return;
    }
    for (let i = 0; i < count; i++) {
      const a = (v8[nb + i] << 24) >> 24;
      const r = kind === GT ? a > 0 : kind === GE ? a >= 0 : kind === LE ? a <= 0 : a < 0;
      v8[db + i] = r ? 0xff : 0;
    }
    return;
  }
  switch (kind) {
    case EQ:
      for (let i = 0; i < count; i++) v8[db + i] = v8[nb + i] === v8[mb + i] ? 0xff : 0;
      break;
    case HI:
      for (let i = 0; i < count; i++) v8[db + i] = v8[nb + i] > v8[mb + i] ? 0xff : 0;
      break;
    case HS:
      for (let i = 0; i < count; i++) v8[db + i] = v8[nb + i] >= v8[mb + i] ? 0xff : 0;
      break;
    case TST:
      for (let i = 0; i < count; i++) v8[db + i] = (v8[nb + i] & v8[mb + i]) !== 0 ? 0xff : 0;
      break;
    case GT:
      for (let i = 0; i < count; i++) v8[db + i] = v8[nb + i] << 24 > v8[mb + i] << 24 ? 0xff : 0;
      break;
    default: // GE
      for (let i = 0; i < count; i++) v8[db + i] = v8[nb + i] << 24 >= v8[mb + i] << 24 ? 0xff : 0;
  }
}

/** Lane-wise comparison of Vn with Vm (withZero false) or with 0; true lanes become all ones. */
function compare(cpu: Cpu, insn: number, kind: number, withZero: boolean): void {
  const size = (insn >>> 22) & 3;
  if (badCompareSize(cpu, insn, size)) return;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = withZero ? 0 : (insn >>> 16) & 31;
  const count = elementCount(insn, size);
  if (size === 3) {
    const v32 = cpu.v32;
    for (let e = 0; e < count; e++) {
      const ni = (n << 2) + 2 * e;
      const mi = (m << 2) + 2 * e;
      let r: boolean;
      const nl = v32[ni];
      const nh = v32[ni + 1];
      if (withZero) {
        const zero = nl === 0 && nh === 0;
        if (kind === EQ) r = zero;
        else if (kind === GT) r = nh >= 0 && !zero;
        else if (kind === GE) r = nh >= 0;
        else if (kind === LE) r = nh < 0 || zero;
        else r = nh < 0;
      } else if (kind === EQ) r = nl === v32[mi] && nh === v32[mi + 1];
      else if (kind === TST) r = (nl & v32[mi]) !== 0 || (nh & v32[mi + 1]) !== 0;
      else if (kind === GT || kind === GE) r = gtS64(v32, ni, mi, kind === GE);
      else r = gtU64(v32, ni, mi, kind === HS);
      const out = r ? -1 : 0;
      v32[(d << 2) + 2 * e] = out;
      v32[(d << 2) + 2 * e + 1] = out;
    }
  } else if (size === 0) {
    compareBytes(cpu, kind, withZero, d << 4, n << 4, m << 4, count);
  } else {
    for (let e = 0; e < count; e++) {
      let r: boolean;
      if (withZero) {
        const a = getS(cpu, size, n, e);
        r = kind === EQ ? a === 0 : kind === GT ? a > 0 : kind === GE ? a >= 0 : kind === LE ? a <= 0 : a < 0;
      } else if (kind === HI || kind === HS) {
        const a = getU(cpu, size, n, e);
        const b = getU(cpu, size, m, e);
        r = kind === HI ? a > b : a >= b;
      } else {
        const a = getS(cpu, size, n, e);
        const b = getS(cpu, size, m, e);
        r = kind === EQ ? a === b : kind === GT ? a > b : kind === GE ? a >= b : (a & b) !== 0;
      }
      setE(cpu, size, d, e, r ? -1 : 0);
    }
  }
  finish(cpu, insn, size, d);
}

export function CMEQ_reg(cpu: Cpu, insn: number): void {
  compare(cpu, insn, EQ, false);
}
export function CMGT_reg(cpu: Cpu, insn: number): void {
  compare(cpu, insn, GT, false);
}
export function CMGE_reg(cpu: Cpu, insn: number): void {
  compare(cpu, insn, GE, false);
}
export function CMHI_reg(cpu: Cpu, insn: number): void {
  compare(cpu, insn, HI, false);
}
export function CMHS_reg(cpu: Cpu, insn: number): void {
  compare(cpu, insn, HS, false);
}
export function CMTST(cpu: Cpu, insn: number): void {
  compare(cpu, insn, TST, false);
}
export function CMEQ_zero(cpu: Cpu, insn: number): void {
  compare(cpu, insn, EQ, true);
}
export function CMGT_zero(cpu: Cpu, insn: number): void {
  compare(cpu, insn, GT, true);
}
export function CMGE_zero(cpu: Cpu, insn: number): void {
  compare(cpu, insn, GE, true);
}
export function CMLE_zero(cpu: Cpu, insn: number): void {
  compare(cpu, insn, LE, true);
}
export function CMLT_zero(cpu: Cpu, insn: number): void {
  compare(cpu, insn, LT, true);
}

const V3 = 'zz 1 mmmmm';
const M2 = 'zz 10000';

export const SIMD_INT_LOGIC_ENCODINGS: readonly Encoding[] = [
  enc('AND_vec', 'AND (vector)', '0q0 01110 00 1 mmmmm 00011 1 nnnnn ddddd', AND_vec),
  enc('BIC_vec', 'BIC (vector, register)', '0q0 01110 01 1 mmmmm 00011 1 nnnnn ddddd', BIC_vec),
  enc('ORR_vec', 'ORR (vector, register)', '0q0 01110 10 1 mmmmm 00011 1 nnnnn ddddd', ORR_vec),
  enc('ORN_vec', 'ORN (vector)', '0q0 01110 11 1 mmmmm 00011 1 nnnnn ddddd', ORN_vec),
  enc('EOR_vec', 'EOR (vector)', '0q1 01110 00 1 mmmmm 00011 1 nnnnn ddddd', EOR_vec),
  enc('BSL', 'BSL', '0q1 01110 01 1 mmmmm 00011 1 nnnnn ddddd', BSL),
  enc('BIT', 'BIT', '0q1 01110 10 1 mmmmm 00011 1 nnnnn ddddd', BIT),
  enc('BIF', 'BIF', '0q1 01110 11 1 mmmmm 00011 1 nnnnn ddddd', BIF),
  enc('NOT_vec', 'NOT', '0q1 01110 00 10000 00101 10 nnnnn ddddd', NOT_vec),
  enc('CMGT_reg', 'CMGT (register)', `0q0 01110 ${V3} 00110 1 nnnnn ddddd`, CMGT_reg),
  enc('CMHI_reg', 'CMHI (register)', `0q1 01110 ${V3} 00110 1 nnnnn ddddd`, CMHI_reg),
  enc('CMGE_reg', 'CMGE (register)', `0q0 01110 ${V3} 00111 1 nnnnn ddddd`, CMGE_reg),
  enc('CMHS_reg', 'CMHS (register)', `0q1 01110 ${V3} 00111 1 nnnnn ddddd`, CMHS_reg),
  enc('CMTST', 'CMTST', `0q0 01110 ${V3} 10001 1 nnnnn ddddd`, CMTST),
  enc('CMEQ_reg', 'CMEQ (register)', `0q1 01110 ${V3} 10001 1 nnnnn ddddd`, CMEQ_reg),
  enc('CMGT_zero', 'CMGT (zero)', `0q0 01110 ${M2} 01000 10 nnnnn ddddd`, CMGT_zero),
  enc('CMGE_zero', 'CMGE (zero)', `0q1 01110 ${M2} 01000 10 nnnnn ddddd`, CMGE_zero),
  enc('CMEQ_zero', 'CMEQ (zero)', `0q0 01110 ${M2} 01001 10 nnnnn ddddd`, CMEQ_zero),
  enc('CMLE_zero', 'CMLE (zero)', `0q1 01110 ${M2} 01001 10 nnnnn ddddd`, CMLE_zero),
  enc('CMLT_zero', 'CMLT (zero)', `0q0 01110 ${M2} 01010 10 nnnnn ddddd`, CMLT_zero),
  enc('CMGT_reg_scalar', 'CMGT (register), scalar', `010 11110 ${V3} 00110 1 nnnnn ddddd`, CMGT_reg),
  enc('CMHI_reg_scalar', 'CMHI (register), scalar', `011 11110 ${V3} 00110 1 nnnnn ddddd`, CMHI_reg),
  enc('CMGE_reg_scalar', 'CMGE (register), scalar', `010 11110 ${V3} 00111 1 nnnnn ddddd`, CMGE_reg),
  enc('CMHS_reg_scalar', 'CMHS (register), scalar', `011 11110 ${V3} 00111 1 nnnnn ddddd`, CMHS_reg),
  enc('CMTST_scalar', 'CMTST, scalar', `010 11110 ${V3} 10001 1 nnnnn ddddd`, CMTST),
  enc('CMEQ_reg_scalar', 'CMEQ (register), scalar', `011 11110 ${V3} 10001 1 nnnnn ddddd`, CMEQ_reg),
  enc('CMGT_zero_scalar', 'CMGT (zero), scalar', `010 11110 ${M2} 01000 10 nnnnn ddddd`, CMGT_zero),
  enc('CMGE_zero_scalar', 'CMGE (zero), scalar', `011 11110 ${M2} 01000 10 nnnnn ddddd`, CMGE_zero),
  enc('CMEQ_zero_scalar', 'CMEQ (zero), scalar', `010 11110 ${M2} 01001 10 nnnnn ddddd`, CMEQ_zero),
  enc('CMLE_zero_scalar', 'CMLE (zero), scalar', `011 11110 ${M2} 01001 10 nnnnn ddddd`, CMLE_zero),
  enc('CMLT_zero_scalar', 'CMLT (zero), scalar', `010 11110 ${M2} 01010 10 nnnnn ddddd`, CMLT_zero),
];
