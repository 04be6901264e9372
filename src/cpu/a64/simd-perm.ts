/**
 * AdvSIMD data movement: copy (DUP, INS, UMOV, SMOV, scalar DUP), modified immediate (MOVI, MVNI,
 * ORR/BIC immediate; FMOV immediate is in simd-fp.ts), permute (ZIP, UZP, TRN), EXT, TBL/TBX and
 * the REV16/REV32/REV64 element reversals.
 *
 * Handlers whose result lanes come from other lanes (and whose destination may also be a source) build
 * the result in the scratch register first and then commit it.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { rz, wz } from './registers.js';
import { clearHigh, commit, SCRATCH } from './simd-lanes.js';

/** Copies element se of register sr to element de of register dr (size 0..3 = 8..64 bits). */
function moveElem(cpu: Cpu, size: number, dr: number, de: number, sr: number, se: number): void {
  switch (size) {
    case 0:
      cpu.v8[(dr << 4) + de] = cpu.v8[(sr << 4) + se];
      break;
    case 1:
      cpu.v16[(dr << 3) + de] = cpu.v16[(sr << 3) + se];
      break;
    case 2:
      cpu.v32[(dr << 2) + de] = cpu.v32[(sr << 2) + se];
      break;
    default: {
      const v32 = cpu.v32;
      const di = (dr << 2) + (de << 1);
      const si = (sr << 2) + (se << 1);
      v32[di] = v32[si];
      v32[di + 1] = v32[si + 1];
    }
  }
}

/** Element size from imm5 (lowest set bit; 4 for the reserved x0000). */
function imm5Size(imm5: number): number {
  return imm5 === 0 ? 4 : 31 - Math.clz32(imm5 & -imm5);
}

/**
 * Fills Vd with one element (size 0..3; lo = its low 32 bits, hi = the high ones for D) by whole
 * words, zeroing the upper half when q = 0. Shared with LD1R.
 */
export function splat(cpu: Cpu, d: number, size: number, lo: number, hi: number, q: number): void {
  let w0 = lo;
  let w1 = lo;
  if (size === 0) w0 = w1 = (lo & 0xff) * 0x01010101;
  else if (size === 1) w0 = w1 = (lo & 0xffff) * 0x10001;
  else if (size === 3) w1 = hi;
  const v32 = cpu.v32;
  const di = d << 2;
  v32[di] = w0;
  v32[di + 1] = w1;
  v32[di + 2] = q === 1 ? w0 : 0;
  v32[di + 3] = q === 1 ? w1 : 0;
}

/** DUP (element): every lane of Vd = Vn.T[index]. */
export function DUP_elem(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const imm5 = (insn >>> 16) & 31;
  const size = imm5Size(imm5);
  if (size > 3 || (size === 3 && q === 0)) {
    cpu.undefined();
    return;
  }
  const index = imm5 >>> (size + 1);
  const n = (insn >>> 5) & 31;
  const v32 = cpu.v32;
  let lo: number;
  let hi = 0;
  if (size === 0) lo = cpu.v8[(n << 4) + index];
  else if (size === 1) lo = cpu.v16[(n << 3) + index];
  else if (size === 2) lo = v32[(n << 2) + index];
  else {
    lo = v32[(n << 2) + (index << 1)];
    hi = v32[(n << 2) + (index << 1) + 1];
  }
  splat(cpu, insn & 31, size, lo, hi, q);
}

/** DUP (element), scalar form (MOV Bd/Hd/Sd/Dd, Vn.T[index]): the element alone, the rest zeroed. */
export function DUP_elem_scalar(cpu: Cpu, insn: number): void {
  const imm5 = (insn >>> 16) & 31;
  const size = imm5Size(imm5);
  if (size > 3) {
    cpu.undefined();
    return;
  }
  const index = imm5 >>> (size + 1);
  const d = insn & 31;
  moveElem(cpu, size, SCRATCH, 0, (insn >>> 5) & 31, index);
  const v32 = cpu.v32;
  const s = SCRATCH << 2;
  if (size < 2) v32[s] &= size === 0 ? 0xff : 0xffff;
  if (size < 3) v32[s + 1] = 0;
  commit(cpu, d, SCRATCH, 8);
}

/** DUP (general): every lane of Vd = the low bits of Wn/Xn. */
export function DUP_gen(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const size = imm5Size((insn >>> 16) & 31);
  if (size > 3 || (size === 3 && q === 0)) {
    cpu.undefined();
    return;
  }
  const ni = rz((insn >>> 5) & 31);
  splat(cpu, insn & 31, size, cpu.x[ni], cpu.x[ni + 1], q);
}

/** INS (general) (MOV Vd.T[index], Wn/Xn): one element from a general register; other lanes kept. */
export function INS_gen(cpu: Cpu, insn: number): void {
  const imm5 = (insn >>> 16) & 31;
  const size = imm5Size(imm5);
  if (size > 3) {
    cpu.undefined();
    return;
  }
  const index = imm5 >>> (size + 1);
  const d = insn & 31;
  const ni = rz((insn >>> 5) & 31);
  const x = cpu.x;
  switch (size) {
    case 0:
      cpu.v8[(d << 4) + index] = x[ni];
      break;
    case 1:
      cpu.v16[(d << 3) + index] = x[ni];
      break;
    case 2:
      cpu.v32[(d << 2) + index] = x[ni];
      break;
    default:
      cpu.v32[(d << 2) + (index << 1)] = x[ni];
      cpu.v32[(d << 2) + (index << 1) + 1] = x[ni + 1];
  }
}

/** INS (element) (MOV Vd.T[i1], Vn.T[i2]): one element between registers; other lanes kept. */
export function INS_elem(cpu: Cpu, insn: number): void {
  const imm5 = (insn >>> 16) & 31;
  const size = imm5Size(imm5);
  if (size > 3) {
    cpu.undefined();
    return;
  }
  const dst = imm5 >>> (size + 1);
  const src = ((insn >>> 11) & 15) >>> size;
  moveElem(cpu, size, insn & 31, dst, (insn >>> 5) & 31, src);
}

/** UMOV (MOV Wd/Xd, Vn.T[index]): an element zero-extended into a general register. */
export function UMOV(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const imm5 = (insn >>> 16) & 31;
  const size = imm5Size(imm5);
  // 32-bit form: B, H, S; 64-bit form: D only.
  if (q === 0 ? size > 2 : size !== 3) {
    cpu.undefined();
    return;
  }
  const index = imm5 >>> (size + 1);
  const n = (insn >>> 5) & 31;
  const di = wz(insn & 31);
  const x = cpu.x;
  switch (size) {
    case 0:
      x[di] = cpu.v8[(n << 4) + index];
      x[di + 1] = 0;
      break;
    case 1:
      x[di] = cpu.v16[(n << 3) + index];
      x[di + 1] = 0;
      break;
    case 2:
      x[di] = cpu.v32[(n << 2) + index];
      x[di + 1] = 0;
      break;
    default:
      x[di] = cpu.v32[(n << 2) + (index << 1)];
      x[di + 1] = cpu.v32[(n << 2) + (index << 1) + 1];
  }
}

/** SMOV: an element sign-extended into Wd (B, H) or Xd (B, H, S). */
export function SMOV(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const imm5 = (insn >>> 16) & 31;
  const size = imm5Size(imm5);
  if (size > 2 || (size === 2 && q === 0)) {
    cpu.undefined();
    return;
  }
  const index = imm5 >>> (size + 1);
  const n = (insn >>> 5) & 31;
  let v: number;
  if (size === 0) v = (cpu.v8[(n << 4) + index] << 24) >> 24;
  else if (size === 1) v = (cpu.v16[(n << 3) + index] << 16) >> 16;
  else v = cpu.v32[(n << 2) + index];
  const di = wz(insn & 31);
  cpu.x[di] = v;
  cpu.x[di + 1] = q === 0 ? 0 : v >> 31;
}

/** One 32-bit word of AdvSIMDExpandImm for the integer cmode forms (both words are equal except 64-bit MOVI). */
function expandWord(cmode: number, imm8: number): number {
  switch (cmode >>> 1) {
    case 0:
      return imm8;
    case 1:
      return imm8 << 8;
    case 2:
      return imm8 << 16;
    case 3:
      return imm8 << 24;
    case 4:
      return imm8 | (imm8 << 16);
    case 5:
      return (imm8 << 8) | (imm8 << 24);
    case 6:
      return (cmode & 1) === 0 ? (imm8 << 8) | 0xff : (imm8 << 16) | 0xffff;
    default:
      return imm8 * 0x01010101;
  }
}

/** Each bit of a nibble of imm8 as a byte of 0x00/0xff, for the 64-bit byte-mask MOVI. */
function byteMask(bits: number): number {
  return (bits & 1 ? 0xff : 0) | (bits & 2 ? 0xff00 : 0) | (bits & 4 ? 0xff0000 : 0) | (bits & 8 ? 0xff000000 : 0);
}

function modImm8(insn: number): number {
  return (((insn >>> 16) & 7) << 5) | ((insn >>> 5) & 31);
}

/** MOVI / MVNI (all integer cmode forms, including the 64-bit byte mask of MOVI Dd / Vd.2D). */
export function MOVI(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const op = (insn >>> 29) & 1;
  const cmode = (insn >>> 12) & 15;
  const imm8 = modImm8(insn);
  let lo: number;
  let hi: number;
  if (cmode === 14 && op === 1) {
    lo = byteMask(imm8 & 15);
    hi = byteMask(imm8 >>> 4);
  } else {
    lo = expandWord(cmode, imm8);
    // MVNI: the inverted immediate (cmode 1110 with op 1 is the byte mask above).
    if (op === 1) lo = ~lo;
    hi = lo;
  }
  const di = (insn & 31) << 2;
  const v32 = cpu.v32;
  v32[di] = lo;
  v32[di + 1] = hi;
  v32[di + 2] = q === 1 ? lo : 0;
  v32[di + 3] = q === 1 ? hi : 0;
}

/** ORR / BIC (vector, immediate): 32-bit (cmode 0xx1) and 16-bit (cmode 10x1) shifted immediates. */
export function ORR_BIC_imm(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const bic = (insn >>> 29) & 1;
  const w = expandWord((insn >>> 12) & 15, modImm8(insn));
  const di = (insn & 31) << 2;
  const v32 = cpu.v32;
  if (bic === 1) {
    v32[di] &= ~w;
    v32[di + 1] &= ~w;
    v32[di + 2] &= ~w;
    v32[di + 3] &= ~w;
  } else {
    v32[di] |= w;
    v32[di + 1] |= w;
    v32[di + 2] |= w;
    v32[di + 3] |= w;
  }
  if (q === 0) clearHigh(cpu, insn & 31);
}

/** ZIP1/ZIP2, UZP1/UZP2, TRN1/TRN2 (opcode in bits 14:12). */
export function PERMUTE(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const size = (insn >>> 22) & 3;
  if (size === 3 && q === 0) {
    cpu.undefined();
    return;
  }
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const elements = (8 << q) >>> size;
  const half = elements >>> 1;
  const opc = (insn >>> 12) & 7;
  const part = opc >>> 2;
  const kind = opc & 3;
  if (kind === 0) {
    cpu.undefined();
    return;
  }
  // Byte by byte: output byte i is byte (i & mask) of element e = i >> size, which comes from element
  // s of the concatenation Vn:Vm (s >= elements selects Vm).
  const v8 = cpu.v8;
  const sb = SCRATCH << 4;
  const nb = n << 4;
  const mb = m << 4;
  const mask = (1 << size) - 1;
  const bytes = 8 << q;
  for (let i = 0; i < bytes; i++) {
    const e = i >>> size;
    let s: number;
    if (kind === 1)
      s = 2 * e + part; // UZP: even (UZP1) or odd (UZP2) elements of n:m
    else if (kind === 2)
      s = (e & 1) * elements + (e & ~1) + part; // TRN
    else s = (e & 1) * elements + part * half + (e >>> 1); // ZIP: low or high halves interleaved
    v8[sb + i] = v8[(s < elements ? nb + (s << size) : mb + ((s - elements) << size)) + (i & mask)];
  }
  commit(cpu, d, SCRATCH, 8 << q);
}

/** EXT: bytes imm4.. of the concatenation Vm:Vn. */
export function EXT(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const pos = (insn >>> 11) & 15;
  if (q === 0 && pos >= 8) {
    cpu.undefined();
    return;
  }
  const bytes = 8 << q;
  const nb = ((insn >>> 5) & 31) << 4;
  const mb = ((insn >>> 16) & 31) << 4;
  const sb = SCRATCH << 4;
  const v8 = cpu.v8;
  for (let i = 0; i < bytes; i++) {
    const s = pos + i;
    v8[sb + i] = s < bytes ? v8[nb + s] : v8[mb + s - bytes];
  }
  commit(cpu, insn & 31, SCRATCH, bytes);
}

/** TBL / TBX: byte table lookup in 1–4 consecutive registers; out-of-range indices give 0 (TBL) or keep Vd (TBX). */
export function TBL_TBX(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const tbx = (insn >>> 12) & 1;
  const limit = (((insn >>> 13) & 3) + 1) << 4;
  const n = (insn >>> 5) & 31;
  const mb = ((insn >>> 16) & 31) << 4;
  const d = insn & 31;
  const db = d << 4;
  const sb = SCRATCH << 4;
  const bytes = 8 << q;
  const v8 = cpu.v8;
  for (let i = 0; i < bytes; i++) {
    const idx = v8[mb + i];
    if (idx < limit) v8[sb + i] = v8[(((n + (idx >>> 4)) & 31) << 4) + (idx & 15)];
    else v8[sb + i] = tbx === 1 ? v8[db + i] : 0;
  }
  commit(cpu, d, SCRATCH, bytes);
}

/** REV16 / REV32 / REV64: reverse the elements inside each 16/32/64-bit container. */
export function REV_vec(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const size = (insn >>> 22) & 3;
  // container log2 bytes: REV64 (U=0, o0=0) 3, REV32 (U=1) 2, REV16 (o0=1) 1
  const container = (insn & (1 << 12)) !== 0 ? 1 : (insn & (1 << 29)) !== 0 ? 2 : 3;
  if (size >= container) {
    cpu.undefined();
    return;
  }
  const n = (insn >>> 5) & 31;
  const d = insn & 31;
  const elements = (8 << q) >>> size;
  // Elements per container minus one: XOR with it mirrors the index inside its container.
  const flip = (1 << (container - size)) - 1;
  const sb = SCRATCH << (4 - size);
  const nb = n << (4 - size);
  if (size === 0) for (let e = 0; e < elements; e++) cpu.v8[sb + (e ^ flip)] = cpu.v8[nb + e];
  else if (size === 1) for (let e = 0; e < elements; e++) cpu.v16[sb + (e ^ flip)] = cpu.v16[nb + e];
  else for (let e = 0; e < elements; e++) cpu.v32[sb + (e ^ flip)] = cpu.v32[nb + e];
  commit(cpu, d, SCRATCH, 8 << q);
}

export const SIMD_PERM_ENCODINGS: readonly Encoding[] = [
  enc('DUP_elem', 'DUP (element)', '0q0 01110000 iiiii 0 0000 1 nnnnn ddddd', DUP_elem),
  enc('DUP_gen', 'DUP (general)', '0q0 01110000 iiiii 0 0001 1 nnnnn ddddd', DUP_gen),
  enc('SMOV', 'SMOV', '0q0 01110000 iiiii 0 0101 1 nnnnn ddddd', SMOV),
  enc('UMOV', 'UMOV', '0q0 01110000 iiiii 0 0111 1 nnnnn ddddd', UMOV),
  enc('INS_gen', 'INS (general)', '010 01110000 iiiii 0 0011 1 nnnnn ddddd', INS_gen),
  enc('INS_elem', 'INS (element)', '011 01110000 iiiii 0 jjjj 1 nnnnn ddddd', INS_elem),
  enc('DUP_elem_scalar', 'DUP (element), scalar', '010 11110000 iiiii 0 0000 1 nnnnn ddddd', DUP_elem_scalar),
  enc('MOVI_32', 'MOVI/MVNI (32-bit shifted immediate)', '0qo 0111100000 iii 0cc0 0 1 jjjjj ddddd', MOVI),
  enc('ORR_BIC_imm32', 'ORR/BIC (vector, immediate, 32-bit)', '0qo 0111100000 iii 0cc1 0 1 jjjjj ddddd', ORR_BIC_imm),
  enc('MOVI_16', 'MOVI/MVNI (16-bit shifted immediate)', '0qo 0111100000 iii 10c0 0 1 jjjjj ddddd', MOVI),
  enc('ORR_BIC_imm16', 'ORR/BIC (vector, immediate, 16-bit)', '0qo 0111100000 iii 10c1 0 1 jjjjj ddddd', ORR_BIC_imm),
  enc('MOVI_msl', 'MOVI/MVNI (32-bit shifting ones)', '0qo 0111100000 iii 110c 0 1 jjjjj ddddd', MOVI),
  enc('MOVI_8_64', 'MOVI (8-bit; 64-bit byte mask)', '0qo 0111100000 iii 1110 0 1 jjjjj ddddd', MOVI),
  enc('UZP1', 'UZP1', '0q 001110 zz 0 mmmmm 0 001 10 nnnnn ddddd', PERMUTE),
  enc('TRN1', 'TRN1', '0q 001110 zz 0 mmmmm 0 010 10 nnnnn ddddd', PERMUTE),
  enc('ZIP1', 'ZIP1', '0q 001110 zz 0 mmmmm 0 011 10 nnnnn ddddd', PERMUTE),
  enc('UZP2', 'UZP2', '0q 001110 zz 0 mmmmm 0 101 10 nnnnn ddddd', PERMUTE),
  enc('TRN2', 'TRN2', '0q 001110 zz 0 mmmmm 0 110 10 nnnnn ddddd', PERMUTE),
  enc('ZIP2', 'ZIP2', '0q 001110 zz 0 mmmmm 0 111 10 nnnnn ddddd', PERMUTE),
  enc('EXT', 'EXT', '0q 101110 00 0 mmmmm 0 iiii 0 nnnnn ddddd', EXT),
  enc('TBL', 'TBL', '0q 001110 00 0 mmmmm 0 ll 0 00 nnnnn ddddd', TBL_TBX),
  enc('TBX', 'TBX', '0q 001110 00 0 mmmmm 0 ll 1 00 nnnnn ddddd', TBL_TBX),
  enc('REV64_vec', 'REV64', '0q0 01110 zz 10000 00000 10 nnnnn ddddd', REV_vec),
  enc('REV32_vec', 'REV32 (vector)', '0q1 01110 zz 10000 00000 10 nnnnn ddddd', REV_vec),
  enc('REV16_vec', 'REV16 (vector)', '0q0 01110 zz 10000 00001 10 nnnnn ddddd', REV_vec),
];
