/**
 * Data processing — immediate: PC-relative addressing, add/subtract, logical, move wide, bitfield, extract.
 * 32-bit (sf=0) and 64-bit (sf=1) forms have separate rows and handlers so the hot handlers do not branch on sf.
 */
import { add64, adds32, adds64 } from './alu64.js';
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { wz } from './registers.js';

// ---- Add/subtract (immediate) ----
// Rn is SP when 31; Rd is SP for ADD/SUB and XZR for ADDS/SUBS (CMP/CMN).

/** imm12, shifted left by 12 when sh (bit 22) is set. */
function addImm(insn: number): number {
  return ((insn >>> 10) & 0xfff) << (((insn >>> 22) & 1) * 12);
}

/** ADD (immediate), 32-bit. */
function ADD_imm_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = (insn & 31) << 1;
  x[d] = (x[((insn >>> 5) & 31) << 1]! + addImm(insn)) | 0;
  x[d + 1] = 0;
}

/** ADD (immediate), 64-bit. */
function ADD_imm_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = ((insn >>> 5) & 31) << 1;
  add64(x, (insn & 31) << 1, x[n]!, x[n + 1]!, addImm(insn), 0, 0);
}

/** SUB (immediate), 32-bit. */
function SUB_imm_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = (insn & 31) << 1;
  x[d] = (x[((insn >>> 5) & 31) << 1]! - addImm(insn)) | 0;
  x[d + 1] = 0;
}

/** SUB (immediate), 64-bit. */
function SUB_imm_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = ((insn >>> 5) & 31) << 1;
  add64(x, (insn & 31) << 1, x[n]!, x[n + 1]!, ~addImm(insn), -1, 1);
}

/** ADDS (immediate), 32-bit; CMN when Rd is 31. */
function ADDS_imm_w(cpu: Cpu, insn: number): void {
  adds32(cpu, wz(insn & 31), cpu.x[((insn >>> 5) & 31) << 1]!, addImm(insn), 0);
}

/** ADDS (immediate), 64-bit. */
function ADDS_imm_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = ((insn >>> 5) & 31) << 1;
  adds64(cpu, wz(insn & 31), x[n]!, x[n + 1]!, addImm(insn), 0, 0);
}

/** SUBS (immediate), 32-bit; CMP when Rd is 31. */
function SUBS_imm_w(cpu: Cpu, insn: number): void {
  adds32(cpu, wz(insn & 31), cpu.x[((insn >>> 5) & 31) << 1]!, ~addImm(insn), 1);
}

/** SUBS (immediate), 64-bit. */
function SUBS_imm_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = ((insn >>> 5) & 31) << 1;
  adds64(cpu, wz(insn & 31), x[n]!, x[n + 1]!, ~addImm(insn), -1, 1);
}

// ---- Move wide (immediate) ----
// hw (bits 22:21) selects the 16-bit slot; 32-bit forms with hw >= 2 are unallocated (no row matches).

/** MOVZ, 32-bit. */
function MOVZ_w(cpu: Cpu, insn: number): void {
  const d = wz(insn & 31);
  cpu.x[d] = ((insn >>> 5) & 0xffff) << ((insn >>> 17) & 16);
  cpu.x[d + 1] = 0;
}

/** MOVN, 32-bit. */
function MOVN_w(cpu: Cpu, insn: number): void {
  const d = wz(insn & 31);
  cpu.x[d] = ~(((insn >>> 5) & 0xffff) << ((insn >>> 17) & 16));
  cpu.x[d + 1] = 0;
}

/** MOVK, 32-bit: keeps the other halfword and zeroes bits 63:32. */
function MOVK_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  const sh = (insn >>> 17) & 16;
  x[d] = (x[d]! & ~(0xffff << sh)) | (((insn >>> 5) & 0xffff) << sh);
  x[d + 1] = 0;
}

/** MOVZ, 64-bit. */
function MOVZ_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  const v = ((insn >>> 5) & 0xffff) << ((insn >>> 17) & 16);
  if ((insn & (1 << 22)) === 0) {
    x[d] = v;
    x[d + 1] = 0;
  } else {
    x[d] = 0;
    x[d + 1] = v;
  }
}

/** MOVN, 64-bit. */
function MOVN_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  const v = ~(((insn >>> 5) & 0xffff) << ((insn >>> 17) & 16));
  if ((insn & (1 << 22)) === 0) {
    x[d] = v;
    x[d + 1] = -1;
  } else {
    x[d] = -1;
    x[d + 1] = v;
  }
}

/** MOVK, 64-bit. */
function MOVK_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const sh = (insn >>> 17) & 16;
  const d = wz(insn & 31) + ((insn >>> 22) & 1);
  x[d] = (x[d]! & ~(0xffff << sh)) | (((insn >>> 5) & 0xffff) << sh);
}

export const DP_IMM_ENCODINGS: readonly Encoding[] = [
  enc('ADD_imm_w', 'ADD (immediate), 32-bit', '0 0 0 100010 s iiiiiiiiiiii nnnnn ddddd', ADD_imm_w),
  enc('ADDS_imm_w', 'ADDS (immediate), 32-bit', '0 0 1 100010 s iiiiiiiiiiii nnnnn ddddd', ADDS_imm_w),
  enc('SUB_imm_w', 'SUB (immediate), 32-bit', '0 1 0 100010 s iiiiiiiiiiii nnnnn ddddd', SUB_imm_w),
  enc('SUBS_imm_w', 'SUBS (immediate), 32-bit', '0 1 1 100010 s iiiiiiiiiiii nnnnn ddddd', SUBS_imm_w),
  enc('ADD_imm_x', 'ADD (immediate), 64-bit', '1 0 0 100010 s iiiiiiiiiiii nnnnn ddddd', ADD_imm_x),
  enc('ADDS_imm_x', 'ADDS (immediate), 64-bit', '1 0 1 100010 s iiiiiiiiiiii nnnnn ddddd', ADDS_imm_x),
  enc('SUB_imm_x', 'SUB (immediate), 64-bit', '1 1 0 100010 s iiiiiiiiiiii nnnnn ddddd', SUB_imm_x),
  enc('SUBS_imm_x', 'SUBS (immediate), 64-bit', '1 1 1 100010 s iiiiiiiiiiii nnnnn ddddd', SUBS_imm_x),

  enc('MOVN_w', 'MOVN, 32-bit', '0 00 100101 0h iiiiiiiiiiiiiiii ddddd', MOVN_w),
  enc('MOVZ_w', 'MOVZ, 32-bit', '0 10 100101 0h iiiiiiiiiiiiiiii ddddd', MOVZ_w),
  enc('MOVK_w', 'MOVK, 32-bit', '0 11 100101 0h iiiiiiiiiiiiiiii ddddd', MOVK_w),
  enc('MOVN_x', 'MOVN, 64-bit', '1 00 100101 hh iiiiiiiiiiiiiiii ddddd', MOVN_x),
  enc('MOVZ_x', 'MOVZ, 64-bit', '1 10 100101 hh iiiiiiiiiiiiiiii ddddd', MOVZ_x),
  enc('MOVK_x', 'MOVK, 64-bit', '1 11 100101 hh iiiiiiiiiiiiiiii ddddd', MOVK_x),
];
