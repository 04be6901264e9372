/**
 * AdvSIMD integer operations by element, vector and scalar: MUL, MLA, MLS, SQDMULH, SQRDMULH and the
 * long SMULL/UMULL, SMLAL/UMLAL, SMLSL/UMLSL, SQDMULL, SQDMLAL, SQDMLSL. The element operand is read
 * once before any lane is written, so Vd may be Vm. (FMLA/FMLS/FMUL/FMULX by element are in simd-fp.ts.)
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { qdmulh } from './simd-int-arith.js';
import { longOp, MLAL, MLSL, MULL, QDMLAL, QDMLSL, QDMULL } from './simd-int-long.js';
import { elementCount, finish, getS, getU, getX, setE } from './simd-lanes.js';

/** Register of the element operand: V0–V15 for H elements (M is an index bit), V0–V31 for S. */
function elemReg(insn: number, size: number): number {
  return size === 1 ? (insn >>> 16) & 15 : (insn >>> 16) & 31;
}

/** Index of the element operand: H:L:M for H elements, H:L for S. */
function elemIndex(insn: number, size: number): number {
  const hl = (((insn >>> 11) & 1) << 1) | ((insn >>> 21) & 1);
  return size === 1 ? (hl << 1) | ((insn >>> 20) & 1) : hl;
}

/** The element size (1 = H, 2 = S), or -1 (and SIGILL) for the reserved sizes. */
function elemSize(cpu: Cpu, insn: number): number {
  const size = (insn >>> 22) & 3;
  if (size === 1 || size === 2) return size;
  cpu.undefined();
  return -1;
}

/** MUL / MLA / MLS by element: op 0 = MUL, 1 = MLA, 2 = MLS. */
function mulElem(cpu: Cpu, insn: number, op: number): void {
  const size = elemSize(cpu, insn);
  if (size < 0) return;
  const b = getU(cpu, size, elemReg(insn, size), elemIndex(insn, size));
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const count = elementCount(insn, size);
  for (let e = 0; e < count; e++) {
    const p = Math.imul(getU(cpu, size, n, e), b);
    if (op === 0) setE(cpu, size, d, e, p);
    else setE(cpu, size, d, e, op === 1 ? (getU(cpu, size, d, e) + p) | 0 : (getU(cpu, size, d, e) - p) | 0);
  }
  finish(cpu, insn, size, d);
}

export function MUL_elem(cpu: Cpu, insn: number): void {
  mulElem(cpu, insn, 0);
}

export function MLA_elem(cpu: Cpu, insn: number): void {
  mulElem(cpu, insn, 1);
}

export function MLS_elem(cpu: Cpu, insn: number): void {
  mulElem(cpu, insn, 2);
}

/** SQDMULH (bit 12 = 0) / SQRDMULH by element, vector and scalar. */
export function QDMULH_elem(cpu: Cpu, insn: number): void {
  const size = elemSize(cpu, insn);
  if (size < 0) return;
  const round = (insn & (1 << 12)) !== 0;
  const b = getS(cpu, size, elemReg(insn, size), elemIndex(insn, size));
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const count = elementCount(insn, size);
  for (let e = 0; e < count; e++) setE(cpu, size, d, e, qdmulh(cpu, size, getS(cpu, size, n, e), b, round));
  finish(cpu, insn, size, d);
}

/** Long forms by element: the by-element opcode (bits 15:12) mapped to the three-different numbering. */
const LONG_OPC = new Int8Array([-1, -1, MLAL, QDMLAL, -1, -1, MLSL, QDMLSL, -1, -1, MULL, QDMULL, -1, -1, -1, -1]);

export function LONG_elem(cpu: Cpu, insn: number): void {
  const size = elemSize(cpu, insn);
  if (size < 0) return;
  const u = (insn >>> 29) & 1;
  const b = getX(cpu, size, elemReg(insn, size), elemIndex(insn, size), u);
  longOp(cpu, insn, LONG_OPC[(insn >>> 12) & 15], true, b);
}

const V = '0q u 01111 zz l m rrrr';
const S = '01 u 11111 zz l m rrrr';

export const SIMD_ELEM_ENCODINGS: readonly Encoding[] = [
  enc('MLA_elem', 'MLA (by element)', '0q1 01111 zz l m rrrr 0000 h 0 nnnnn ddddd', MLA_elem),
  enc('MLAL_elem', 'SMLAL/UMLAL (by element)', `${V} 0010 h 0 nnnnn ddddd`, LONG_elem),
  enc('SQDMLAL_elem', 'SQDMLAL (by element)', '0q0 01111 zz l m rrrr 0011 h 0 nnnnn ddddd', LONG_elem),
  enc('MLS_elem', 'MLS (by element)', '0q1 01111 zz l m rrrr 0100 h 0 nnnnn ddddd', MLS_elem),
  enc('MLSL_elem', 'SMLSL/UMLSL (by element)', `${V} 0110 h 0 nnnnn ddddd`, LONG_elem),
  enc('SQDMLSL_elem', 'SQDMLSL (by element)', '0q0 01111 zz l m rrrr 0111 h 0 nnnnn ddddd', LONG_elem),
  enc('MUL_elem', 'MUL (by element)', '0q0 01111 zz l m rrrr 1000 h 0 nnnnn ddddd', MUL_elem),
  enc('MULL_elem', 'SMULL/UMULL (by element)', `${V} 1010 h 0 nnnnn ddddd`, LONG_elem),
  enc('SQDMULL_elem', 'SQDMULL (by element)', '0q0 01111 zz l m rrrr 1011 h 0 nnnnn ddddd', LONG_elem),
  enc('SQDMULH_elem', 'SQDMULH (by element)', '0q0 01111 zz l m rrrr 1100 h 0 nnnnn ddddd', QDMULH_elem),
  enc('SQRDMULH_elem', 'SQRDMULH (by element)', '0q0 01111 zz l m rrrr 1101 h 0 nnnnn ddddd', QDMULH_elem),
  enc('SQDMLAL_elem_scalar', 'SQDMLAL (by element, scalar)', `${S.replace('u', '0')} 0011 h 0 nnnnn ddddd`, LONG_elem),
  enc('SQDMLSL_elem_scalar', 'SQDMLSL (by element, scalar)', `${S.replace('u', '0')} 0111 h 0 nnnnn ddddd`, LONG_elem),
  enc('SQDMULL_elem_scalar', 'SQDMULL (by element, scalar)', `${S.replace('u', '0')} 1011 h 0 nnnnn ddddd`, LONG_elem),
  enc(
    'SQDMULH_elem_scalar',
    'SQDMULH (by element, scalar)',
    `${S.replace('u', '0')} 1100 h 0 nnnnn ddddd`,
    QDMULH_elem,
  ),
  enc(
    'SQRDMULH_elem_scalar',
    'SQRDMULH (by element, scalar)',
    `${S.replace('u', '0')} 1101 h 0 nnnnn ddddd`,
    QDMULH_elem,
  ),
];
