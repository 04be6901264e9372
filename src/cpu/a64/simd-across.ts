/**
 * AdvSIMD reductions: across lanes (ADDV, SADDLV/UADDLV, SMAXV/UMAXV, SMINV/UMINV) and the
 * integer scalar pairwise ADDP (Dd = Vn.d[0] + Vn.d[1]). Results are scalars; the rest of Vd is zeroed.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { add64, setNum64 } from './simd-lane64.js';
import { clearFrom, getX, SCRATCH } from './simd-lanes.js';

/** Element count of an across-lanes form, or 0 when reserved (64-bit lanes, or .2S). */
function acrossCount(insn: number, size: number): number {
  const q = (insn >>> 30) & 1;
  if (size === 3 || (size === 2 && q === 0)) return 0;
  return (8 << q) >>> size;
}

/** Writes a scalar result of size 0..2 (the value truncated to it) into Vd and zeroes the rest. */
function writeScalar(cpu: Cpu, d: number, size: number, v: number): void {
  const v32 = cpu.v32;
  v32[d << 2] = size === 0 ? v & 0xff : size === 1 ? v & 0xffff : v;
  v32[(d << 2) + 1] = 0;
  v32[(d << 2) + 2] = 0;
  v32[(d << 2) + 3] = 0;
}

/** ADDV: sum of all lanes, modulo the element size. */
export function ADDV(cpu: Cpu, insn: number): void {
  const size = (insn >>> 22) & 3;
  const count = acrossCount(insn, size);
  if (count === 0) {
    cpu.undefined();
    return;
  }
  const n = (insn >>> 5) & 31;
  let sum = 0;
  for (let e = 0; e < count; e++) sum += getX(cpu, size, n, e, 1);
  writeScalar(cpu, insn & 31, size, sum % 4294967296);
}

/** SADDLV/UADDLV: sum of all lanes into an element twice as wide. */
export function ADDLV(cpu: Cpu, insn: number): void {
  const size = (insn >>> 22) & 3;
  const count = acrossCount(insn, size);
  if (count === 0) {
    cpu.undefined();
    return;
  }
  const u = (insn >>> 29) & 1;
  const n = (insn >>> 5) & 31;
  const d = insn & 31;
  let sum = 0;
  for (let e = 0; e < count; e++) sum += getX(cpu, size, n, e, u);
  if (size === 2) {
    setNum64(cpu.v32, d << 2, sum);
    clearFrom(cpu, d, 8);
  } else {
    writeScalar(cpu, d, size + 1, sum);
  }
}

/** SMAXV/UMAXV (min false) and SMINV/UMINV (min true). */
function maxMinV(cpu: Cpu, insn: number, min: boolean): void {
  const size = (insn >>> 22) & 3;
  const count = acrossCount(insn, size);
  if (count === 0) {
    cpu.undefined();
    return;
  }
  const u = (insn >>> 29) & 1;
  const n = (insn >>> 5) & 31;
  let best = getX(cpu, size, n, 0, u);
  for (let e = 1; e < count; e++) {
    const x = getX(cpu, size, n, e, u);
    if (min ? x < best : x > best) best = x;
  }
  writeScalar(cpu, insn & 31, size, best);
}

export function MAXV(cpu: Cpu, insn: number): void {
  maxMinV(cpu, insn, false);
}

export function MINV(cpu: Cpu, insn: number): void {
  maxMinV(cpu, insn, true);
}

/** ADDP (scalar): Dd = Vn.d[0] + Vn.d[1]. */
export function ADDP_scalar(cpu: Cpu, insn: number): void {
  if (((insn >>> 22) & 3) !== 3) {
    cpu.undefined();
    return;
  }
  const v32 = cpu.v32;
  const n = (insn >>> 5) & 31;
  const d = insn & 31;
  add64(v32, SCRATCH << 2, n << 2, (n << 2) + 2);
  v32[d << 2] = v32[SCRATCH << 2];
  v32[(d << 2) + 1] = v32[(SCRATCH << 2) + 1];
  clearFrom(cpu, d, 8);
}

const V = '0q u 01110 zz 11000';

export const SIMD_ACROSS_ENCODINGS: readonly Encoding[] = [
  enc('ADDLV', 'SADDLV/UADDLV', `${V} 00011 10 nnnnn ddddd`, ADDLV),
  enc('MAXV', 'SMAXV/UMAXV', `${V} 01010 10 nnnnn ddddd`, MAXV),
  enc('MINV', 'SMINV/UMINV', `${V} 11010 10 nnnnn ddddd`, MINV),
  enc('ADDV', 'ADDV', '0q0 01110 zz 11000 11011 10 nnnnn ddddd', ADDV),
  enc('ADDP_scalar', 'ADDP (scalar)', '010 11110 zz 11000 11011 10 nnnnn ddddd', ADDP_scalar),
];
