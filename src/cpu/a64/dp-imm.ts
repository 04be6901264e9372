/**
 * Data processing — immediate: PC-relative addressing, add/subtract, logical, move wide, bitfield, extract.
 * 32-bit (sf=0) and 64-bit (sf=1) forms have separate rows and handlers so the hot handlers do not branch on sf.
 */
import { add64, adds32, adds64, asr64, logicFlags32, logicFlags64, lsl64, lsr64, R64 } from './alu64.js';
import { BITMASK_HI, BITMASK_LO, BITMASK_VALID, decodeBitMask } from './bitmask-imm.js';
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { rz, setAddr, wz } from './registers.js';

// ---- PC-relative addressing ----

/** The signed 21-bit immhi:immlo of ADR/ADRP. */
function adrImm(insn: number): number {
  return (((insn << 8) >> 13) << 2) | ((insn >>> 29) & 3);
}

/** ADR: Xd = pc + imm. */
function ADR(cpu: Cpu, insn: number): void {
  setAddr(cpu.x, wz(insn & 31), cpu.pc + adrImm(insn));
}

/** ADRP: Xd = (pc with bits 11:0 cleared) + imm * 4096. */
function ADRP(cpu: Cpu, insn: number): void {
  const pc = cpu.pc;
  setAddr(cpu.x, wz(insn & 31), pc - (pc % 4096) + adrImm(insn) * 4096);
}

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

// ---- Logical (immediate) ----
// The mask comes from the DecodeBitMasks tables (filled on first use); reserved encodings are undefined.
// Rd is SP for AND/ORR/EOR, XZR for ANDS (TST); Rn is XZR (ORR Xd, XZR, #imm is MOV).

/** AND (immediate), 32-bit. */
function AND_imm_w(cpu: Cpu, insn: number): void {
  const k = (insn >>> 10) & 0x1fff;
  if (BITMASK_VALID[k] !== 1 && !decodeBitMask(k)) {
    cpu.undefined();
    return;
  }
  const x = cpu.x;
  const d = (insn & 31) << 1;
  x[d] = x[rz((insn >>> 5) & 31)]! & BITMASK_LO[k]!;
  x[d + 1] = 0;
}

/** ORR (immediate), 32-bit. */
function ORR_imm_w(cpu: Cpu, insn: number): void {
  const k = (insn >>> 10) & 0x1fff;
  if (BITMASK_VALID[k] !== 1 && !decodeBitMask(k)) {
    cpu.undefined();
    return;
  }
  const x = cpu.x;
  const d = (insn & 31) << 1;
  x[d] = x[rz((insn >>> 5) & 31)]! | BITMASK_LO[k]!;
  x[d + 1] = 0;
}

/** EOR (immediate), 32-bit. */
function EOR_imm_w(cpu: Cpu, insn: number): void {
  const k = (insn >>> 10) & 0x1fff;
  if (BITMASK_VALID[k] !== 1 && !decodeBitMask(k)) {
    cpu.undefined();
    return;
  }
  const x = cpu.x;
  const d = (insn & 31) << 1;
  x[d] = x[rz((insn >>> 5) & 31)]! ^ BITMASK_LO[k]!;
  x[d + 1] = 0;
}

/** ANDS (immediate), 32-bit; TST when Rd is 31. */
function ANDS_imm_w(cpu: Cpu, insn: number): void {
  const k = (insn >>> 10) & 0x1fff;
  if (BITMASK_VALID[k] !== 1 && !decodeBitMask(k)) {
    cpu.undefined();
    return;
  }
  const x = cpu.x;
  const r = x[rz((insn >>> 5) & 31)]! & BITMASK_LO[k]!;
  logicFlags32(cpu, r);
  const d = wz(insn & 31);
  x[d] = r;
  x[d + 1] = 0;
}

/** AND (immediate), 64-bit. */
function AND_imm_x(cpu: Cpu, insn: number): void {
  const k = (insn >>> 10) & 0x1fff;
  if (BITMASK_VALID[k] !== 1 && !decodeBitMask(k)) {
    cpu.undefined();
    return;
  }
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const d = (insn & 31) << 1;
  x[d] = x[n]! & BITMASK_LO[k]!;
  x[d + 1] = x[n + 1]! & BITMASK_HI[k]!;
}

/** ORR (immediate), 64-bit. */
function ORR_imm_x(cpu: Cpu, insn: number): void {
  const k = (insn >>> 10) & 0x1fff;
  if (BITMASK_VALID[k] !== 1 && !decodeBitMask(k)) {
    cpu.undefined();
    return;
  }
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const d = (insn & 31) << 1;
  x[d] = x[n]! | BITMASK_LO[k]!;
  x[d + 1] = x[n + 1]! | BITMASK_HI[k]!;
}

/** EOR (immediate), 64-bit. */
function EOR_imm_x(cpu: Cpu, insn: number): void {
  const k = (insn >>> 10) & 0x1fff;
  if (BITMASK_VALID[k] !== 1 && !decodeBitMask(k)) {
    cpu.undefined();
    return;
  }
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const d = (insn & 31) << 1;
  x[d] = x[n]! ^ BITMASK_LO[k]!;
  x[d + 1] = x[n + 1]! ^ BITMASK_HI[k]!;
}

/** ANDS (immediate), 64-bit. */
function ANDS_imm_x(cpu: Cpu, insn: number): void {
  const k = (insn >>> 10) & 0x1fff;
  if (BITMASK_VALID[k] !== 1 && !decodeBitMask(k)) {
    cpu.undefined();
    return;
  }
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const lo = x[n]! & BITMASK_LO[k]!;
  const hi = x[n + 1]! & BITMASK_HI[k]!;
  logicFlags64(cpu, lo, hi);
  const d = wz(insn & 31);
  x[d] = lo;
  x[d + 1] = hi;
}

// ---- Bitfield ----
// With R = immr and S = imms, every form is two shifts of the source: left by (size-1-S) so that
// bit S becomes the top bit, then right (logical for UBFM, arithmetic for SBFM) by (size-1-S+R)
// when S >= R (field extract: UBFX, SBFX, LSR, ASR, UXTB, SXTW…) or by (R-S-1) when S < R
// (field insert at bit size-R: UBFIZ, SBFIZ, LSL). BFM merges that value under the mask obtained by
// shifting all-ones the same way. 32-bit forms require immr and imms below 32 (their rows fix those bits).

/** The right-shift amount of the bitfield scheme above, for element size 32 or 64. */
function bfRight(size: number, r: number, s: number): number {
  return s >= r ? size - 1 - s + r : r - s - 1;
}

/** SBFM, 32-bit (ASR, SBFX, SBFIZ, SXTB, SXTH). */
function SBFM_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const s = (insn >>> 10) & 31;
  const v = (x[rz((insn >>> 5) & 31)]! << (31 - s)) >> bfRight(32, (insn >>> 16) & 31, s);
  const d = wz(insn & 31);
  x[d] = v;
  x[d + 1] = 0;
}

/** UBFM, 32-bit (LSL, LSR, UBFX, UBFIZ, UXTB, UXTH). */
function UBFM_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const s = (insn >>> 10) & 31;
  const v = (x[rz((insn >>> 5) & 31)]! << (31 - s)) >>> bfRight(32, (insn >>> 16) & 31, s);
  const d = wz(insn & 31);
  x[d] = v;
  x[d + 1] = 0;
}

/** BFM, 32-bit (BFI, BFXIL, BFC). */
function BFM_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const s = (insn >>> 10) & 31;
  const right = bfRight(32, (insn >>> 16) & 31, s);
  const v = (x[rz((insn >>> 5) & 31)]! << (31 - s)) >>> right;
  const mask = (-1 << (31 - s)) >>> right;
  const d = wz(insn & 31);
  x[d] = (x[d]! & ~mask) | (v & mask);
  x[d + 1] = 0;
}

/** SBFM, 64-bit (ASR, SBFX, SBFIZ, SXTB, SXTH, SXTW). */
function SBFM_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const s = (insn >>> 10) & 63;
  lsl64(x[n]!, x[n + 1]!, 63 - s);
  asr64(R64[0]!, R64[1]!, bfRight(64, (insn >>> 16) & 63, s));
  const d = wz(insn & 31);
  x[d] = R64[0]!;
  x[d + 1] = R64[1]!;
}

/** UBFM, 64-bit (LSL, LSR, UBFX, UBFIZ). */
function UBFM_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const s = (insn >>> 10) & 63;
  lsl64(x[n]!, x[n + 1]!, 63 - s);
  lsr64(R64[0]!, R64[1]!, bfRight(64, (insn >>> 16) & 63, s));
  const d = wz(insn & 31);
  x[d] = R64[0]!;
  x[d + 1] = R64[1]!;
}

/** BFM, 64-bit (BFI, BFXIL, BFC). */
function BFM_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const s = (insn >>> 10) & 63;
  const right = bfRight(64, (insn >>> 16) & 63, s);
  lsl64(-1, -1, 63 - s);
  lsr64(R64[0]!, R64[1]!, right);
  const mlo = R64[0]!;
  const mhi = R64[1]!;
  lsl64(x[n]!, x[n + 1]!, 63 - s);
  lsr64(R64[0]!, R64[1]!, right);
  const d = wz(insn & 31);
  x[d] = (x[d]! & ~mlo) | (R64[0]! & mlo);
  x[d + 1] = (x[d + 1]! & ~mhi) | (R64[1]! & mhi);
}

// Frequent aliases get rows of their own (more fixed bits win), so they skip the general shifts.

/** LSR (immediate), 32-bit: UBFM with imms = 31. */
function LSR_imm_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 5) & 31)]! >>> ((insn >>> 16) & 31);
  x[d + 1] = 0;
}

/** ASR (immediate), 32-bit: SBFM with imms = 31. */
function ASR_imm_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 5) & 31)]! >> ((insn >>> 16) & 31);
  x[d + 1] = 0;
}

/** LSR (immediate), 64-bit: UBFM with imms = 63. */
function LSR_imm_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  lsr64(x[n]!, x[n + 1]!, (insn >>> 16) & 63);
  const d = wz(insn & 31);
  x[d] = R64[0]!;
  x[d + 1] = R64[1]!;
}

/** ASR (immediate), 64-bit: SBFM with imms = 63. */
function ASR_imm_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  asr64(x[n]!, x[n + 1]!, (insn >>> 16) & 63);
  const d = wz(insn & 31);
  x[d] = R64[0]!;
  x[d + 1] = R64[1]!;
}

/** UXTB: UBFM Wd, Wn, #0, #7. */
function UXTB(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 5) & 31)]! & 0xff;
  x[d + 1] = 0;
}

/** UXTH: UBFM Wd, Wn, #0, #15. */
function UXTH(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 5) & 31)]! & 0xffff;
  x[d + 1] = 0;
}

/** SXTB, 32-bit: SBFM Wd, Wn, #0, #7. */
function SXTB_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = (x[rz((insn >>> 5) & 31)]! << 24) >> 24;
  x[d + 1] = 0;
}

/** SXTH, 32-bit: SBFM Wd, Wn, #0, #15. */
function SXTH_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = (x[rz((insn >>> 5) & 31)]! << 16) >> 16;
  x[d + 1] = 0;
}

/** SXTB, 64-bit: SBFM Xd, Xn, #0, #7. */
function SXTB_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  const v = (x[rz((insn >>> 5) & 31)]! << 24) >> 24;
  x[d] = v;
  x[d + 1] = v >> 31;
}

/** SXTH, 64-bit: SBFM Xd, Xn, #0, #15. */
function SXTH_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  const v = (x[rz((insn >>> 5) & 31)]! << 16) >> 16;
  x[d] = v;
  x[d + 1] = v >> 31;
}

/** SXTW: SBFM Xd, Xn, #0, #31. */
function SXTW(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  const v = x[rz((insn >>> 5) & 31)]!;
  x[d] = v;
  x[d + 1] = v >> 31;
}

// ---- Extract ----

/** EXTR, 32-bit (ROR immediate when Rn = Rm): bits lsb+31..lsb of Wn:Wm. */
function EXTR_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const lsb = (insn >>> 10) & 31;
  const m = x[rz((insn >>> 16) & 31)]!;
  // For lsb = 0 the left shift is by 32 & 31 = 0, so mask the Wn part out.
  const v = lsb === 0 ? m : (m >>> lsb) | (x[rz((insn >>> 5) & 31)]! << (32 - lsb));
  const d = wz(insn & 31);
  x[d] = v;
  x[d + 1] = 0;
}

/** EXTR, 64-bit: bits lsb+63..lsb of Xn:Xm. */
function EXTR_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const lsb = (insn >>> 10) & 63;
  const n = rz((insn >>> 5) & 31);
  const m = rz((insn >>> 16) & 31);
  const nlo = x[n]!;
  const nhi = x[n + 1]!;
  const mlo = x[m]!;
  const mhi = x[m + 1]!;
  let lo: number;
  let hi: number;
  if (lsb === 0) {
    lo = mlo;
    hi = mhi;
  } else if (lsb < 32) {
    lo = (mlo >>> lsb) | (mhi << (32 - lsb));
    hi = (mhi >>> lsb) | (nlo << (32 - lsb));
  } else if (lsb === 32) {
    lo = mhi;
    hi = nlo;
  } else {
    const s = lsb - 32;
    lo = (mhi >>> s) | (nlo << (32 - s));
    hi = (nlo >>> s) | (nhi << (32 - s));
  }
  const d = wz(insn & 31);
  x[d] = lo;
  x[d + 1] = hi;
}

export const DP_IMM_ENCODINGS: readonly Encoding[] = [
  enc('ADR', 'ADR', '0 ll 10000 hhhhhhhhhhhhhhhhhhh ddddd', ADR),
  enc('ADRP', 'ADRP', '1 ll 10000 hhhhhhhhhhhhhhhhhhh ddddd', ADRP),

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

  enc('AND_imm_w', 'AND (immediate), 32-bit', '0 00 100100 0 rrrrrr ssssss nnnnn ddddd', AND_imm_w),
  enc('ORR_imm_w', 'ORR (immediate), 32-bit', '0 01 100100 0 rrrrrr ssssss nnnnn ddddd', ORR_imm_w),
  enc('EOR_imm_w', 'EOR (immediate), 32-bit', '0 10 100100 0 rrrrrr ssssss nnnnn ddddd', EOR_imm_w),
  enc('ANDS_imm_w', 'ANDS (immediate), 32-bit', '0 11 100100 0 rrrrrr ssssss nnnnn ddddd', ANDS_imm_w),
  enc('AND_imm_x', 'AND (immediate), 64-bit', '1 00 100100 N rrrrrr ssssss nnnnn ddddd', AND_imm_x),
  enc('ORR_imm_x', 'ORR (immediate), 64-bit', '1 01 100100 N rrrrrr ssssss nnnnn ddddd', ORR_imm_x),
  enc('EOR_imm_x', 'EOR (immediate), 64-bit', '1 10 100100 N rrrrrr ssssss nnnnn ddddd', EOR_imm_x),
  enc('ANDS_imm_x', 'ANDS (immediate), 64-bit', '1 11 100100 N rrrrrr ssssss nnnnn ddddd', ANDS_imm_x),

  enc('SBFM_w', 'SBFM, 32-bit', '0 00 100110 0 0rrrrr 0sssss nnnnn ddddd', SBFM_w),
  enc('BFM_w', 'BFM, 32-bit', '0 01 100110 0 0rrrrr 0sssss nnnnn ddddd', BFM_w),
  enc('UBFM_w', 'UBFM, 32-bit', '0 10 100110 0 0rrrrr 0sssss nnnnn ddddd', UBFM_w),
  enc('SBFM_x', 'SBFM, 64-bit', '1 00 100110 1 rrrrrr ssssss nnnnn ddddd', SBFM_x),
  enc('BFM_x', 'BFM, 64-bit', '1 01 100110 1 rrrrrr ssssss nnnnn ddddd', BFM_x),
  enc('UBFM_x', 'UBFM, 64-bit', '1 10 100110 1 rrrrrr ssssss nnnnn ddddd', UBFM_x),
  enc('ASR_imm_w', 'ASR (immediate), 32-bit', '0 00 100110 0 0rrrrr 011111 nnnnn ddddd', ASR_imm_w),
  enc('LSR_imm_w', 'LSR (immediate), 32-bit', '0 10 100110 0 0rrrrr 011111 nnnnn ddddd', LSR_imm_w),
  enc('ASR_imm_x', 'ASR (immediate), 64-bit', '1 00 100110 1 rrrrrr 111111 nnnnn ddddd', ASR_imm_x),
  enc('LSR_imm_x', 'LSR (immediate), 64-bit', '1 10 100110 1 rrrrrr 111111 nnnnn ddddd', LSR_imm_x),
  enc('SXTB_w', 'SXTB, 32-bit', '0 00 100110 0 000000 000111 nnnnn ddddd', SXTB_w),
  enc('SXTH_w', 'SXTH, 32-bit', '0 00 100110 0 000000 001111 nnnnn ddddd', SXTH_w),
  enc('UXTB', 'UXTB', '0 10 100110 0 000000 000111 nnnnn ddddd', UXTB),
  enc('UXTH', 'UXTH', '0 10 100110 0 000000 001111 nnnnn ddddd', UXTH),
  enc('SXTB_x', 'SXTB, 64-bit', '1 00 100110 1 000000 000111 nnnnn ddddd', SXTB_x),
  enc('SXTH_x', 'SXTH, 64-bit', '1 00 100110 1 000000 001111 nnnnn ddddd', SXTH_x),
  enc('SXTW', 'SXTW', '1 00 100110 1 000000 011111 nnnnn ddddd', SXTW),

  enc('EXTR_w', 'EXTR, 32-bit', '0 00 100111 0 0 mmmmm 0sssss nnnnn ddddd', EXTR_w),
  enc('EXTR_x', 'EXTR, 64-bit', '1 00 100111 1 0 mmmmm ssssss nnnnn ddddd', EXTR_x),
];
