/**
 * AdvSIMD shift by immediate, vector and scalar: SSHR/USHR, SSRA/USRA, SRSHR/URSHR, SRSRA/URSRA,
 * SHL, SLI, SRI, SQSHL/UQSHL/SQSHLU (immediate), the narrowing SHRN/RSHRN/SQSHRN/UQSHRN/SQRSHRN/
 * UQRSHRN/SQSHRUN/SQRSHRUN (and "2" forms), and SSHLL/USHLL (SXTL/UXTL).
 * The element size is the highest set bit of immh (bits 22:19); immh = 0 is the modified-immediate
 * class, so a word reaching here with immh = 0 is unallocated.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { add64, qshl64, rshr64, setNum64, shl64, shr64 } from './simd-lane64.js';
import {
  commitHalf,
  elementCount,
  finish,
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
import { NARROW_SS, NARROW_SU, NARROW_TRUNC, NARROW_UU, narrow64, narrowNum, shiftNum } from './simd-shift-core.js';

/** Element size (0..3) from immh, or -1 for immh = 0. */
function immhSize(insn: number): number {
  const immh = (insn >>> 19) & 15;
  return immh === 0 ? -1 : 31 - Math.clz32(immh);
}

/** Size check for the same-width shifts: scalar forms are D only, vector D needs Q. Returns the size or -1. */
function sameWidthSize(cpu: Cpu, insn: number, scalarAnySize: boolean): number {
  const size = immhSize(insn);
  const bad = size < 0 || (isScalar(insn) ? !scalarAnySize && size !== 3 : size === 3 && (insn & (1 << 30)) === 0);
  if (bad) {
    cpu.undefined();
    return -1;
  }
  return size;
}

/** The right-shift amount 2*esize - immh:immb (1..esize). */
function rightShift(insn: number, size: number): number {
  return (16 << size) - ((insn >>> 16) & 127);
}

/** The left-shift amount immh:immb - esize (0..esize-1). */
function leftShift(insn: number, size: number): number {
  return ((insn >>> 16) & 127) - (8 << size);
}

/** SSHR/USHR on 8/16/32-bit lanes (s in 1..esize) with typed-array loops. */
function shiftRightPlain(cpu: Cpu, size: number, u: number, d: number, n: number, s: number, count: number): void {
  if (size === 2) {
    const v32 = cpu.v32;
    const db = d << 2;
    const nb = n << 2;
    // JavaScript shifts take the count mod 32: a shift by 32 is done in two steps.
    if (u === 1) for (let i = 0; i < count; i++) v32[db + i] = s === 32 ? 0 : v32[nb + i] >>> s;
    else for (let i = 0; i < count; i++) v32[db + i] = (v32[nb + i] >> (s - 1)) >> 1;
  } else if (size === 1) {
    const v16 = cpu.v16;
    const db = d << 3;
    const nb = n << 3;
    if (u === 1) for (let i = 0; i < count; i++) v16[db + i] = v16[nb + i] >>> s;
    else for (let i = 0; i < count; i++) v16[db + i] = (v16[nb + i] << 16) >> (16 + Math.min(s, 15));
  } else {
    const v8 = cpu.v8;
    const db = d << 4;
    const nb = n << 4;
    if (u === 1) for (let i = 0; i < count; i++) v8[db + i] = v8[nb + i] >>> s;
    else for (let i = 0; i < count; i++) v8[db + i] = (v8[nb + i] << 24) >> (24 + Math.min(s, 7));
  }
}

/** SSHR/USHR, SSRA/USRA, SRSHR/URSHR, SRSRA/URSRA: bit 13 = rounding, bit 12 = accumulate. */
export function SHR_imm(cpu: Cpu, insn: number): void {
  const size = sameWidthSize(cpu, insn, false);
  if (size < 0) return;
  const u = (insn >>> 29) & 1;
  const round = (insn & (1 << 13)) !== 0;
  const acc = (insn & (1 << 12)) !== 0;
  const s = rightShift(insn, size);
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const count = elementCount(insn, size);
  if (size === 3) {
    const v32 = cpu.v32;
    const t = SCRATCH2 << 2;
    for (let e = 0; e < count; e++) {
      const di = (d << 2) + 2 * e;
      if (round) rshr64(v32, t, (n << 2) + 2 * e, s, u === 0);
      else shr64(v32, t, (n << 2) + 2 * e, s, u === 0);
      if (acc) add64(v32, di, di, t);
      else {
        v32[di] = v32[t];
        v32[di + 1] = v32[t + 1];
      }
    }
  } else if (!round && !acc) {
    shiftRightPlain(cpu, size, u, d, n, s, count);
  } else {
    for (let e = 0; e < count; e++) {
      const r = shiftNum(getX(cpu, size, n, e, u), -s, round);
      setE(cpu, size, d, e, acc ? getU(cpu, size, d, e) + r : r);
    }
  }
  finish(cpu, insn, size, d);
}

/** SHL (immediate) and SLI (U=1, shift left and insert). */
export function SHL_SLI_imm(cpu: Cpu, insn: number): void {
  const size = sameWidthSize(cpu, insn, false);
  if (size < 0) return;
  const insert = (insn & (1 << 29)) !== 0;
  const s = leftShift(insn, size);
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const count = elementCount(insn, size);
  if (size === 3) {
    const v32 = cpu.v32;
    const t = SCRATCH2 << 2;
    for (let e = 0; e < count; e++) {
      const di = (d << 2) + 2 * e;
      shl64(v32, t, (n << 2) + 2 * e, s);
      if (insert) {
        // keep the low s bits of Vd
        const ml = s >= 32 ? -1 : (1 << s) - 1;
        const mh = s > 32 ? (1 << (s - 32)) - 1 : 0;
        v32[di] = (v32[di] & ml) | v32[t];
        v32[di + 1] = (v32[di + 1] & mh) | v32[t + 1];
      } else {
        v32[di] = v32[t];
        v32[di + 1] = v32[t + 1];
      }
    }
  } else {
    const keep = POW2[s] - 1;
    for (let e = 0; e < count; e++) {
      const r = getU(cpu, size, n, e) * POW2[s];
      setE(cpu, size, d, e, insert ? (r % POW2[32]) + (getU(cpu, size, d, e) & keep) : r);
    }
  }
  finish(cpu, insn, size, d);
}

/** SRI: shift right and insert (the top s bits of Vd are kept). */
export function SRI(cpu: Cpu, insn: number): void {
  const size = sameWidthSize(cpu, insn, false);
  if (size < 0) return;
  const s = rightShift(insn, size);
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const count = elementCount(insn, size);
  if (size === 3) {
    const v32 = cpu.v32;
    const t = SCRATCH2 << 2;
    // mask of the bits SRI replaces: all ones >>> s
    const mh = s >= 32 ? 0 : -1 >>> s;
    const ml = s === 64 ? 0 : s > 32 ? -1 >>> (s - 32) : -1;
    for (let e = 0; e < count; e++) {
      const di = (d << 2) + 2 * e;
      shr64(v32, t, (n << 2) + 2 * e, s, false);
      v32[di] = (v32[di] & ~ml) | v32[t];
      v32[di + 1] = (v32[di + 1] & ~mh) | v32[t + 1];
    }
  } else {
    const all = UMAX[size];
    const mask = Math.floor(all / POW2[s]);
    for (let e = 0; e < count; e++) {
      const r = Math.floor(getU(cpu, size, n, e) / POW2[s]);
      setE(cpu, size, d, e, (getU(cpu, size, d, e) & ~mask) | r);
    }
  }
  finish(cpu, insn, size, d);
}

/** SQSHL/UQSHL (immediate) and SQSHLU (U=1, opcode 01100): saturating shift left. */
export function QSHL_imm(cpu: Cpu, insn: number): void {
  const size = sameWidthSize(cpu, insn, true);
  if (size < 0) return;
  const u = (insn >>> 29) & 1;
  const toUnsigned = u === 1 && (insn & (1 << 12)) === 0; // SQSHLU
  const signedIn = u === 0 || toUnsigned;
  const s = leftShift(insn, size);
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const count = elementCount(insn, size);
  for (let e = 0; e < count; e++) {
    if (size === 3) {
      qshl64(cpu, (d << 2) + 2 * e, (n << 2) + 2 * e, s, signedIn, u === 0);
    } else {
      const r = getX(cpu, size, n, e, signedIn ? 0 : 1) * POW2[s];
      setE(cpu, size, d, e, u === 0 ? satS(cpu, r, size) : satU(cpu, r, size));
    }
  }
  finish(cpu, insn, size, d);
}

/**
 * SHRN, RSHRN, SQSHRN, SQRSHRN, UQSHRN, UQRSHRN, SQSHRUN, SQRSHRUN (bit 11 = rounding).
 * Results are built in the scratch register: the "2" forms write the upper half of a register that
 * may also be the source.
 */
export function SHRN_family(cpu: Cpu, insn: number): void {
  const size = immhSize(insn);
  if (size < 0 || size === 3) {
    cpu.undefined();
    return;
  }
  const u = (insn >>> 29) & 1;
  const sat = (insn & (1 << 12)) !== 0;
  const kind = u === 0 ? (sat ? NARROW_SS : NARROW_TRUNC) : sat ? NARROW_UU : NARROW_SU;
  const signedIn = kind === NARROW_SS || kind === NARROW_SU;
  const round = (insn & (1 << 11)) !== 0;
  const s = rightShift(insn, size);
  const scalar = isScalar(insn);
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const count = scalar ? 1 : 8 >>> size;
  if (kind === NARROW_TRUNC && !round && size === 0) {
    // SHRN .8b, .8h, #n: glibc's string functions turn a byte mask into a 64-bit syndrome this way.
    const v16 = cpu.v16;
    const v8 = cpu.v8;
    for (let e = 0; e < count; e++) v8[(SCRATCH << 4) + e] = v16[(n << 3) + e] >>> s;
    commitHalf(cpu, d, SCRATCH, (insn >>> 30) & 1);
    return;
  }
  for (let e = 0; e < count; e++) {
    if (size === 2) {
      const t = SCRATCH2 << 2;
      if (round) rshr64(cpu.v32, t, (n << 2) + 2 * e, s, signedIn);
      else shr64(cpu.v32, t, (n << 2) + 2 * e, s, signedIn);
      setE(cpu, 2, SCRATCH, e, narrow64(cpu, t, kind));
    } else {
      const r = shiftNum(getX(cpu, size + 1, n, e, signedIn ? 0 : 1), -s, round);
      setE(cpu, size, SCRATCH, e, narrowNum(cpu, r, size, kind));
    }
  }
  if (scalar) {
    cpu.v32[SCRATCH << 2] &= size === 0 ? 0xff : size === 1 ? 0xffff : -1;
    cpu.v32[(SCRATCH << 2) + 1] = 0;
    commitHalf(cpu, d, SCRATCH, 0);
  } else {
    commitHalf(cpu, d, SCRATCH, (insn >>> 30) & 1);
  }
}

/** SSHLL/USHLL (SXTL/UXTL): widen the lower or upper (Q=1) half and shift left. */
export function SHLL_imm(cpu: Cpu, insn: number): void {
  const size = immhSize(insn);
  if (size < 0 || size === 3) {
    cpu.undefined();
    return;
  }
  const u = (insn >>> 29) & 1;
  const q = (insn >>> 30) & 1;
  const s = leftShift(insn, size);
  const n = (insn >>> 5) & 31;
  const count = 8 >>> size;
  const base = q * count;
  if (size === 0) {
    // SXTL/UXTL .8h (and shifts): bytes to halfwords.
    const sh = u === 1 ? 0 : 24;
    for (let e = 0; e < count; e++) cpu.v16[(SCRATCH << 3) + e] = ((cpu.v8[(n << 4) + base + e] << sh) >> sh) << s;
  } else if (size === 1) {
    const sh = u === 1 ? 0 : 16;
    for (let e = 0; e < count; e++) cpu.v32[(SCRATCH << 2) + e] = ((cpu.v16[(n << 3) + base + e] << sh) >> sh) << s;
  } else {
    for (let e = 0; e < count; e++) {
      const t = (SCRATCH << 2) + 2 * e;
      setNum64(cpu.v32, t, getX(cpu, 2, n, base + e, u));
      shl64(cpu.v32, t, t, s);
    }
  }
  const v32 = cpu.v32;
  const d = (insn & 31) << 2;
  for (let i = 0; i < 4; i++) v32[d + i] = v32[(SCRATCH << 2) + i];
}

const V = '0q u 011110 hhhh bbb';
const S = '01 u 111110 hhhh bbb';

export const SIMD_SHIFT_ENCODINGS: readonly Encoding[] = [
  enc('SHR_imm', 'SSHR/USHR', `${V} 00000 1 nnnnn ddddd`, SHR_imm),
  enc('SRA_imm', 'SSRA/USRA', `${V} 00010 1 nnnnn ddddd`, SHR_imm),
  enc('RSHR_imm', 'SRSHR/URSHR', `${V} 00100 1 nnnnn ddddd`, SHR_imm),
  enc('RSRA_imm', 'SRSRA/URSRA', `${V} 00110 1 nnnnn ddddd`, SHR_imm),
  enc('SRI', 'SRI', '0q1 011110 hhhh bbb 01000 1 nnnnn ddddd', SRI),
  enc('SHL_imm', 'SHL', '0q0 011110 hhhh bbb 01010 1 nnnnn ddddd', SHL_SLI_imm),
  enc('SLI', 'SLI', '0q1 011110 hhhh bbb 01010 1 nnnnn ddddd', SHL_SLI_imm),
  enc('SQSHLU_imm', 'SQSHLU', '0q1 011110 hhhh bbb 01100 1 nnnnn ddddd', QSHL_imm),
  enc('QSHL_imm', 'SQSHL/UQSHL (immediate)', `${V} 01110 1 nnnnn ddddd`, QSHL_imm),
  enc('SHRN', 'SHRN/SQSHRUN', `${V} 10000 1 nnnnn ddddd`, SHRN_family),
  enc('RSHRN', 'RSHRN/SQRSHRUN', `${V} 10001 1 nnnnn ddddd`, SHRN_family),
  enc('QSHRN', 'SQSHRN/UQSHRN', `${V} 10010 1 nnnnn ddddd`, SHRN_family),
  enc('QRSHRN', 'SQRSHRN/UQRSHRN', `${V} 10011 1 nnnnn ddddd`, SHRN_family),
  enc('SHLL_imm', 'SSHLL/USHLL', `${V} 10100 1 nnnnn ddddd`, SHLL_imm),
  enc('SHR_imm_scalar', 'SSHR/USHR (scalar)', `${S} 00000 1 nnnnn ddddd`, SHR_imm),
  enc('SRA_imm_scalar', 'SSRA/USRA (scalar)', `${S} 00010 1 nnnnn ddddd`, SHR_imm),
  enc('RSHR_imm_scalar', 'SRSHR/URSHR (scalar)', `${S} 00100 1 nnnnn ddddd`, SHR_imm),
  enc('RSRA_imm_scalar', 'SRSRA/URSRA (scalar)', `${S} 00110 1 nnnnn ddddd`, SHR_imm),
  enc('SRI_scalar', 'SRI (scalar)', '011 111110 hhhh bbb 01000 1 nnnnn ddddd', SRI),
  enc('SHL_imm_scalar', 'SHL (scalar)', '010 111110 hhhh bbb 01010 1 nnnnn ddddd', SHL_SLI_imm),
  enc('SLI_scalar', 'SLI (scalar)', '011 111110 hhhh bbb 01010 1 nnnnn ddddd', SHL_SLI_imm),
  enc('SQSHLU_imm_scalar', 'SQSHLU (scalar)', '011 111110 hhhh bbb 01100 1 nnnnn ddddd', QSHL_imm),
  enc('QSHL_imm_scalar', 'SQSHL/UQSHL (immediate, scalar)', `${S} 01110 1 nnnnn ddddd`, QSHL_imm),
  enc('SQSHRUN_scalar', 'SQSHRUN (scalar)', '011 111110 hhhh bbb 10000 1 nnnnn ddddd', SHRN_family),
  enc('SQRSHRUN_scalar', 'SQRSHRUN (scalar)', '011 111110 hhhh bbb 10001 1 nnnnn ddddd', SHRN_family),
  enc('QSHRN_scalar', 'SQSHRN/UQSHRN (scalar)', `${S} 10010 1 nnnnn ddddd`, SHRN_family),
  enc('QRSHRN_scalar', 'SQRSHRN/UQRSHRN (scalar)', `${S} 10011 1 nnnnn ddddd`, SHRN_family),
];
