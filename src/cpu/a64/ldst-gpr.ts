/**
 * Single general-register loads and stores: LDR/STR and their byte, halfword and sign-extending
 * variants in the unsigned-offset, pre-index, post-index, register-offset and unscaled (LDUR) forms,
 * the unprivileged LDTR family (at EL0 they are the unscaled forms), literal loads and PRFM.
 * These are the most frequent instructions in real programs, so every (access, form) pair has its
 * own small handler: an access helper (which does the memory access before touching any register,
 * so a fault leaves registers unchanged) composed with an addressing helper from ldst-address.ts.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import {
  addToBase,
  baseAddr,
  literalAddr,
  loadWriteback,
  regAddr,
  simm9,
  storeCross,
  uoffAddr,
} from './ldst-address.js';
import { rz, wz } from './registers.js';

// ---- accesses: t is the register number (31 = XZR), a the address ----

function ldrb(cpu: Cpu, t: number, a: number): void {
  const v = cpu.mem.read8(a);
  const x = cpu.x;
  const i = wz(t);
  x[i] = v;
  x[i + 1] = 0;
}

function ldrsbX(cpu: Cpu, t: number, a: number): void {
  const v = (cpu.mem.read8(a) << 24) >> 24;
  const x = cpu.x;
  const i = wz(t);
  x[i] = v;
  x[i + 1] = v >> 31;
}

function ldrsbW(cpu: Cpu, t: number, a: number): void {
  const v = (cpu.mem.read8(a) << 24) >> 24;
  const x = cpu.x;
  const i = wz(t);
  x[i] = v;
  x[i + 1] = 0;
}

function ldrh(cpu: Cpu, t: number, a: number): void {
  const v = cpu.mem.read16(a);
  const x = cpu.x;
  const i = wz(t);
  x[i] = v;
  x[i + 1] = 0;
}

function ldrshX(cpu: Cpu, t: number, a: number): void {
  const v = (cpu.mem.read16(a) << 16) >> 16;
  const x = cpu.x;
  const i = wz(t);
  x[i] = v;
  x[i + 1] = v >> 31;
}

function ldrshW(cpu: Cpu, t: number, a: number): void {
  const v = (cpu.mem.read16(a) << 16) >> 16;
  const x = cpu.x;
  const i = wz(t);
  x[i] = v;
  x[i + 1] = 0;
}

function ldrW(cpu: Cpu, t: number, a: number): void {
  const v = cpu.mem.read32(a);
  const x = cpu.x;
  const i = wz(t);
  x[i] = v;
  x[i + 1] = 0;
}

function ldrsw(cpu: Cpu, t: number, a: number): void {
  const v = cpu.mem.read32(a);
  const x = cpu.x;
  const i = wz(t);
  x[i] = v;
  x[i + 1] = v >> 31;
}

/** read64 writes both halves only after the whole access succeeded. */
function ldrX(cpu: Cpu, t: number, a: number): void {
  cpu.mem.read64(a, cpu.x, wz(t));
}

function strb(cpu: Cpu, t: number, a: number): void {
  cpu.mem.write8(a, cpu.x[rz(t)]!);
}

function strh(cpu: Cpu, t: number, a: number): void {
  cpu.mem.write16(a, cpu.x[rz(t)]!);
}

function strW(cpu: Cpu, t: number, a: number): void {
  storeCross(cpu.mem, a, 4);
  cpu.mem.write32(a, cpu.x[rz(t)]!);
}

function strX(cpu: Cpu, t: number, a: number): void {
  const x = cpu.x;
  const i = rz(t);
  storeCross(cpu.mem, a, 8);
  cpu.mem.write64(a, x[i]!, x[i + 1]!);
}

// ---- LDRB / LDRSB / STRB ----

function LDRB_imm_uoff(cpu: Cpu, insn: number): void {
  ldrb(cpu, insn & 31, uoffAddr(cpu.x, insn, 0));
}
function LDRB_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrb(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  loadWriteback(cpu.x, insn, off);
}
function LDRB_imm_post(cpu: Cpu, insn: number): void {
  ldrb(cpu, insn & 31, baseAddr(cpu.x, insn));
  loadWriteback(cpu.x, insn, simm9(insn));
}
function LDRB_reg(cpu: Cpu, insn: number): void {
  ldrb(cpu, insn & 31, regAddr(cpu.x, insn, 0));
}
function LDURB(cpu: Cpu, insn: number): void {
  ldrb(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

function LDRSB_x_imm_uoff(cpu: Cpu, insn: number): void {
  ldrsbX(cpu, insn & 31, uoffAddr(cpu.x, insn, 0));
}
function LDRSB_x_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrsbX(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  loadWriteback(cpu.x, insn, off);
}
function LDRSB_x_imm_post(cpu: Cpu, insn: number): void {
  ldrsbX(cpu, insn & 31, baseAddr(cpu.x, insn));
  loadWriteback(cpu.x, insn, simm9(insn));
}
function LDRSB_x_reg(cpu: Cpu, insn: number): void {
  ldrsbX(cpu, insn & 31, regAddr(cpu.x, insn, 0));
}
function LDURSB_x(cpu: Cpu, insn: number): void {
  ldrsbX(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

function LDRSB_w_imm_uoff(cpu: Cpu, insn: number): void {
  ldrsbW(cpu, insn & 31, uoffAddr(cpu.x, insn, 0));
}
function LDRSB_w_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrsbW(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  loadWriteback(cpu.x, insn, off);
}
function LDRSB_w_imm_post(cpu: Cpu, insn: number): void {
  ldrsbW(cpu, insn & 31, baseAddr(cpu.x, insn));
  loadWriteback(cpu.x, insn, simm9(insn));
}
function LDRSB_w_reg(cpu: Cpu, insn: number): void {
  ldrsbW(cpu, insn & 31, regAddr(cpu.x, insn, 0));
}
function LDURSB_w(cpu: Cpu, insn: number): void {
  ldrsbW(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

function STRB_imm_uoff(cpu: Cpu, insn: number): void {
  strb(cpu, insn & 31, uoffAddr(cpu.x, insn, 0));
}
function STRB_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  strb(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STRB_imm_post(cpu: Cpu, insn: number): void {
  strb(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function STRB_reg(cpu: Cpu, insn: number): void {
  strb(cpu, insn & 31, regAddr(cpu.x, insn, 0));
}
function STURB(cpu: Cpu, insn: number): void {
  strb(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

// ---- LDRH / LDRSH / STRH ----

function LDRH_imm_uoff(cpu: Cpu, insn: number): void {
  ldrh(cpu, insn & 31, uoffAddr(cpu.x, insn, 1));
}
function LDRH_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrh(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  loadWriteback(cpu.x, insn, off);
}
function LDRH_imm_post(cpu: Cpu, insn: number): void {
  ldrh(cpu, insn & 31, baseAddr(cpu.x, insn));
  loadWriteback(cpu.x, insn, simm9(insn));
}
function LDRH_reg(cpu: Cpu, insn: number): void {
  ldrh(cpu, insn & 31, regAddr(cpu.x, insn, 1));
}
function LDURH(cpu: Cpu, insn: number): void {
  ldrh(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

function LDRSH_x_imm_uoff(cpu: Cpu, insn: number): void {
  ldrshX(cpu, insn & 31, uoffAddr(cpu.x, insn, 1));
}
function LDRSH_x_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrshX(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  loadWriteback(cpu.x, insn, off);
}
function LDRSH_x_imm_post(cpu: Cpu, insn: number): void {
  ldrshX(cpu, insn & 31, baseAddr(cpu.x, insn));
  loadWriteback(cpu.x, insn, simm9(insn));
}
function LDRSH_x_reg(cpu: Cpu, insn: number): void {
  ldrshX(cpu, insn & 31, regAddr(cpu.x, insn, 1));
}
function LDURSH_x(cpu: Cpu, insn: number): void {
  ldrshX(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

function LDRSH_w_imm_uoff(cpu: Cpu, insn: number): void {
  ldrshW(cpu, insn & 31, uoffAddr(cpu.x, insn, 1));
}
function LDRSH_w_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrshW(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  loadWriteback(cpu.x, insn, off);
}
function LDRSH_w_imm_post(cpu: Cpu, insn: number): void {
  ldrshW(cpu, insn & 31, baseAddr(cpu.x, insn));
  loadWriteback(cpu.x, insn, simm9(insn));
}
function LDRSH_w_reg(cpu: Cpu, insn: number): void {
  ldrshW(cpu, insn & 31, regAddr(cpu.x, insn, 1));
}
function LDURSH_w(cpu: Cpu, insn: number): void {
  ldrshW(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

function STRH_imm_uoff(cpu: Cpu, insn: number): void {
  strh(cpu, insn & 31, uoffAddr(cpu.x, insn, 1));
}
function STRH_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  strh(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STRH_imm_post(cpu: Cpu, insn: number): void {
  strh(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function STRH_reg(cpu: Cpu, insn: number): void {
  strh(cpu, insn & 31, regAddr(cpu.x, insn, 1));
}
function STURH(cpu: Cpu, insn: number): void {
  strh(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

// ---- LDR / LDRSW / STR (32-bit) ----

function LDR_w_imm_uoff(cpu: Cpu, insn: number): void {
  ldrW(cpu, insn & 31, uoffAddr(cpu.x, insn, 2));
}
function LDR_w_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrW(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  loadWriteback(cpu.x, insn, off);
}
function LDR_w_imm_post(cpu: Cpu, insn: number): void {
  ldrW(cpu, insn & 31, baseAddr(cpu.x, insn));
  loadWriteback(cpu.x, insn, simm9(insn));
}
function LDR_w_reg(cpu: Cpu, insn: number): void {
  ldrW(cpu, insn & 31, regAddr(cpu.x, insn, 2));
}
function LDUR_w(cpu: Cpu, insn: number): void {
  ldrW(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

function LDRSW_imm_uoff(cpu: Cpu, insn: number): void {
  ldrsw(cpu, insn & 31, uoffAddr(cpu.x, insn, 2));
}
function LDRSW_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrsw(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  loadWriteback(cpu.x, insn, off);
}
function LDRSW_imm_post(cpu: Cpu, insn: number): void {
  ldrsw(cpu, insn & 31, baseAddr(cpu.x, insn));
  loadWriteback(cpu.x, insn, simm9(insn));
}
function LDRSW_reg(cpu: Cpu, insn: number): void {
  ldrsw(cpu, insn & 31, regAddr(cpu.x, insn, 2));
}
function LDURSW(cpu: Cpu, insn: number): void {
  ldrsw(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

function STR_w_imm_uoff(cpu: Cpu, insn: number): void {
  strW(cpu, insn & 31, uoffAddr(cpu.x, insn, 2));
}
function STR_w_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  strW(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STR_w_imm_post(cpu: Cpu, insn: number): void {
  strW(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function STR_w_reg(cpu: Cpu, insn: number): void {
  strW(cpu, insn & 31, regAddr(cpu.x, insn, 2));
}
function STUR_w(cpu: Cpu, insn: number): void {
  strW(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

// ---- LDR / STR (64-bit) ----

function LDR_x_imm_uoff(cpu: Cpu, insn: number): void {
  ldrX(cpu, insn & 31, uoffAddr(cpu.x, insn, 3));
}
function LDR_x_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrX(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  loadWriteback(cpu.x, insn, off);
}
function LDR_x_imm_post(cpu: Cpu, insn: number): void {
  ldrX(cpu, insn & 31, baseAddr(cpu.x, insn));
  loadWriteback(cpu.x, insn, simm9(insn));
}
function LDR_x_reg(cpu: Cpu, insn: number): void {
  ldrX(cpu, insn & 31, regAddr(cpu.x, insn, 3));
}
function LDUR_x(cpu: Cpu, insn: number): void {
  ldrX(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

function STR_x_imm_uoff(cpu: Cpu, insn: number): void {
  strX(cpu, insn & 31, uoffAddr(cpu.x, insn, 3));
}
function STR_x_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  strX(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STR_x_imm_post(cpu: Cpu, insn: number): void {
  strX(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function STR_x_reg(cpu: Cpu, insn: number): void {
  strX(cpu, insn & 31, regAddr(cpu.x, insn, 3));
}
function STUR_x(cpu: Cpu, insn: number): void {
  strX(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

// ---- literal loads and prefetch ----

function LDR_w_lit(cpu: Cpu, insn: number): void {
  ldrW(cpu, insn & 31, literalAddr(cpu, insn));
}
function LDR_x_lit(cpu: Cpu, insn: number): void {
  ldrX(cpu, insn & 31, literalAddr(cpu, insn));
}
function LDRSW_lit(cpu: Cpu, insn: number): void {
  ldrsw(cpu, insn & 31, literalAddr(cpu, insn));
}

/** PRFM/PRFUM in every form: a hint that never faults, so nothing to do. */
function PRFM(_cpu: Cpu, _insn: number): void {}

// Patterns: size(2) 111 V(1) 01 opc(2) imm12 Rn Rt for unsigned offsets; size 111 V 00 opc 0 imm9 xx Rn Rt
// with xx = 00 unscaled, 01 post-index, 10 unprivileged, 11 pre-index; size 111 V 00 opc 1 Rm option S 10
// Rn Rt for register offsets, where option<1> = 0 is unallocated (so the rows fix it to 1).
export const LDST_GPR_ENCODINGS: readonly Encoding[] = [
  enc('STRB_imm_uoff', 'STRB (immediate), unsigned offset', '00 111 0 01 00 iiiiiiiiiiii nnnnn ttttt', STRB_imm_uoff),
  enc('STRB_imm_pre', 'STRB (immediate), pre-index', '00 111 0 00 00 0 iiiiiiiii 11 nnnnn ttttt', STRB_imm_pre),
  enc('STRB_imm_post', 'STRB (immediate), post-index', '00 111 0 00 00 0 iiiiiiiii 01 nnnnn ttttt', STRB_imm_post),
  enc('STRB_reg', 'STRB (register)', '00 111 0 00 00 1 mmmmm o1p s 10 nnnnn ttttt', STRB_reg),
  enc('STURB', 'STURB', '00 111 0 00 00 0 iiiiiiiii 00 nnnnn ttttt', STURB),
  enc('STTRB', 'STTRB', '00 111 0 00 00 0 iiiiiiiii 10 nnnnn ttttt', STURB),
  enc('LDRB_imm_uoff', 'LDRB (immediate), unsigned offset', '00 111 0 01 01 iiiiiiiiiiii nnnnn ttttt', LDRB_imm_uoff),
  enc('LDRB_imm_pre', 'LDRB (immediate), pre-index', '00 111 0 00 01 0 iiiiiiiii 11 nnnnn ttttt', LDRB_imm_pre),
  enc('LDRB_imm_post', 'LDRB (immediate), post-index', '00 111 0 00 01 0 iiiiiiiii 01 nnnnn ttttt', LDRB_imm_post),
  enc('LDRB_reg', 'LDRB (register)', '00 111 0 00 01 1 mmmmm o1p s 10 nnnnn ttttt', LDRB_reg),
  enc('LDURB', 'LDURB', '00 111 0 00 01 0 iiiiiiiii 00 nnnnn ttttt', LDURB),
  enc('LDTRB', 'LDTRB', '00 111 0 00 01 0 iiiiiiiii 10 nnnnn ttttt', LDURB),
  enc('LDRSB_x_imm_uoff', 'LDRSB (immediate), 64-bit', '00 111 0 01 10 iiiiiiiiiiii nnnnn ttttt', LDRSB_x_imm_uoff),
  enc('LDRSB_x_imm_pre', 'LDRSB (immediate), 64-bit pre', '00 111 0 00 10 0 iiiiiiiii 11 nnnnn ttttt', LDRSB_x_imm_pre),
  enc(
    'LDRSB_x_imm_post',
    'LDRSB (immediate), 64-bit post',
    '00 111 0 00 10 0 iiiiiiiii 01 nnnnn ttttt',
    LDRSB_x_imm_post,
  ),
  enc('LDRSB_x_reg', 'LDRSB (register), 64-bit', '00 111 0 00 10 1 mmmmm o1p s 10 nnnnn ttttt', LDRSB_x_reg),
  enc('LDURSB_x', 'LDURSB, 64-bit', '00 111 0 00 10 0 iiiiiiiii 00 nnnnn ttttt', LDURSB_x),
  enc('LDTRSB_x', 'LDTRSB, 64-bit', '00 111 0 00 10 0 iiiiiiiii 10 nnnnn ttttt', LDURSB_x),
  enc('LDRSB_w_imm_uoff', 'LDRSB (immediate), 32-bit', '00 111 0 01 11 iiiiiiiiiiii nnnnn ttttt', LDRSB_w_imm_uoff),
  enc('LDRSB_w_imm_pre', 'LDRSB (immediate), 32-bit pre', '00 111 0 00 11 0 iiiiiiiii 11 nnnnn ttttt', LDRSB_w_imm_pre),
  enc(
    'LDRSB_w_imm_post',
    'LDRSB (immediate), 32-bit post',
    '00 111 0 00 11 0 iiiiiiiii 01 nnnnn ttttt',
    LDRSB_w_imm_post,
  ),
  enc('LDRSB_w_reg', 'LDRSB (register), 32-bit', '00 111 0 00 11 1 mmmmm o1p s 10 nnnnn ttttt', LDRSB_w_reg),
  enc('LDURSB_w', 'LDURSB, 32-bit', '00 111 0 00 11 0 iiiiiiiii 00 nnnnn ttttt', LDURSB_w),
  enc('LDTRSB_w', 'LDTRSB, 32-bit', '00 111 0 00 11 0 iiiiiiiii 10 nnnnn ttttt', LDURSB_w),

  enc('STRH_imm_uoff', 'STRH (immediate), unsigned offset', '01 111 0 01 00 iiiiiiiiiiii nnnnn ttttt', STRH_imm_uoff),
  enc('STRH_imm_pre', 'STRH (immediate), pre-index', '01 111 0 00 00 0 iiiiiiiii 11 nnnnn ttttt', STRH_imm_pre),
  enc('STRH_imm_post', 'STRH (immediate), post-index', '01 111 0 00 00 0 iiiiiiiii 01 nnnnn ttttt', STRH_imm_post),
  enc('STRH_reg', 'STRH (register)', '01 111 0 00 00 1 mmmmm o1p s 10 nnnnn ttttt', STRH_reg),
  enc('STURH', 'STURH', '01 111 0 00 00 0 iiiiiiiii 00 nnnnn ttttt', STURH),
  enc('STTRH', 'STTRH', '01 111 0 00 00 0 iiiiiiiii 10 nnnnn ttttt', STURH),
  enc('LDRH_imm_uoff', 'LDRH (immediate), unsigned offset', '01 111 0 01 01 iiiiiiiiiiii nnnnn ttttt', LDRH_imm_uoff),
  enc('LDRH_imm_pre', 'LDRH (immediate), pre-index', '01 111 0 00 01 0 iiiiiiiii 11 nnnnn ttttt', LDRH_imm_pre),
  enc('LDRH_imm_post', 'LDRH (immediate), post-index', '01 111 0 00 01 0 iiiiiiiii 01 nnnnn ttttt', LDRH_imm_post),
  enc('LDRH_reg', 'LDRH (register)', '01 111 0 00 01 1 mmmmm o1p s 10 nnnnn ttttt', LDRH_reg),
  enc('LDURH', 'LDURH', '01 111 0 00 01 0 iiiiiiiii 00 nnnnn ttttt', LDURH),
  enc('LDTRH', 'LDTRH', '01 111 0 00 01 0 iiiiiiiii 10 nnnnn ttttt', LDURH),
  enc('LDRSH_x_imm_uoff', 'LDRSH (immediate), 64-bit', '01 111 0 01 10 iiiiiiiiiiii nnnnn ttttt', LDRSH_x_imm_uoff),
  enc('LDRSH_x_imm_pre', 'LDRSH (immediate), 64-bit pre', '01 111 0 00 10 0 iiiiiiiii 11 nnnnn ttttt', LDRSH_x_imm_pre),
  enc(
    'LDRSH_x_imm_post',
    'LDRSH (immediate), 64-bit post',
    '01 111 0 00 10 0 iiiiiiiii 01 nnnnn ttttt',
    LDRSH_x_imm_post,
  ),
  enc('LDRSH_x_reg', 'LDRSH (register), 64-bit', '01 111 0 00 10 1 mmmmm o1p s 10 nnnnn ttttt', LDRSH_x_reg),
  enc('LDURSH_x', 'LDURSH, 64-bit', '01 111 0 00 10 0 iiiiiiiii 00 nnnnn ttttt', LDURSH_x),
  enc('LDTRSH_x', 'LDTRSH, 64-bit', '01 111 0 00 10 0 iiiiiiiii 10 nnnnn ttttt', LDURSH_x),
  enc('LDRSH_w_imm_uoff', 'LDRSH (immediate), 32-bit', '01 111 0 01 11 iiiiiiiiiiii nnnnn ttttt', LDRSH_w_imm_uoff),
  enc('LDRSH_w_imm_pre', 'LDRSH (immediate), 32-bit pre', '01 111 0 00 11 0 iiiiiiiii 11 nnnnn ttttt', LDRSH_w_imm_pre),
  enc(
    'LDRSH_w_imm_post',
    'LDRSH (immediate), 32-bit post',
    '01 111 0 00 11 0 iiiiiiiii 01 nnnnn ttttt',
    LDRSH_w_imm_post,
  ),
  enc('LDRSH_w_reg', 'LDRSH (register), 32-bit', '01 111 0 00 11 1 mmmmm o1p s 10 nnnnn ttttt', LDRSH_w_reg),
  enc('LDURSH_w', 'LDURSH, 32-bit', '01 111 0 00 11 0 iiiiiiiii 00 nnnnn ttttt', LDURSH_w),
  enc('LDTRSH_w', 'LDTRSH, 32-bit', '01 111 0 00 11 0 iiiiiiiii 10 nnnnn ttttt', LDURSH_w),

  enc('STR_w_imm_uoff', 'STR (immediate), 32-bit', '10 111 0 01 00 iiiiiiiiiiii nnnnn ttttt', STR_w_imm_uoff),
  enc('STR_w_imm_pre', 'STR (immediate), 32-bit pre', '10 111 0 00 00 0 iiiiiiiii 11 nnnnn ttttt', STR_w_imm_pre),
  enc('STR_w_imm_post', 'STR (immediate), 32-bit post', '10 111 0 00 00 0 iiiiiiiii 01 nnnnn ttttt', STR_w_imm_post),
  enc('STR_w_reg', 'STR (register), 32-bit', '10 111 0 00 00 1 mmmmm o1p s 10 nnnnn ttttt', STR_w_reg),
  enc('STUR_w', 'STUR, 32-bit', '10 111 0 00 00 0 iiiiiiiii 00 nnnnn ttttt', STUR_w),
  enc('STTR_w', 'STTR, 32-bit', '10 111 0 00 00 0 iiiiiiiii 10 nnnnn ttttt', STUR_w),
  enc('LDR_w_imm_uoff', 'LDR (immediate), 32-bit', '10 111 0 01 01 iiiiiiiiiiii nnnnn ttttt', LDR_w_imm_uoff),
  enc('LDR_w_imm_pre', 'LDR (immediate), 32-bit pre', '10 111 0 00 01 0 iiiiiiiii 11 nnnnn ttttt', LDR_w_imm_pre),
  enc('LDR_w_imm_post', 'LDR (immediate), 32-bit post', '10 111 0 00 01 0 iiiiiiiii 01 nnnnn ttttt', LDR_w_imm_post),
  enc('LDR_w_reg', 'LDR (register), 32-bit', '10 111 0 00 01 1 mmmmm o1p s 10 nnnnn ttttt', LDR_w_reg),
  enc('LDUR_w', 'LDUR, 32-bit', '10 111 0 00 01 0 iiiiiiiii 00 nnnnn ttttt', LDUR_w),
  enc('LDTR_w', 'LDTR, 32-bit', '10 111 0 00 01 0 iiiiiiiii 10 nnnnn ttttt', LDUR_w),
  enc(
    'LDRSW_imm_uoff',
    'LDRSW (immediate), unsigned offset',
    '10 111 0 01 10 iiiiiiiiiiii nnnnn ttttt',
    LDRSW_imm_uoff,
  ),
  enc('LDRSW_imm_pre', 'LDRSW (immediate), pre-index', '10 111 0 00 10 0 iiiiiiiii 11 nnnnn ttttt', LDRSW_imm_pre),
  enc('LDRSW_imm_post', 'LDRSW (immediate), post-index', '10 111 0 00 10 0 iiiiiiiii 01 nnnnn ttttt', LDRSW_imm_post),
  enc('LDRSW_reg', 'LDRSW (register)', '10 111 0 00 10 1 mmmmm o1p s 10 nnnnn ttttt', LDRSW_reg),
  enc('LDURSW', 'LDURSW', '10 111 0 00 10 0 iiiiiiiii 00 nnnnn ttttt', LDURSW),
  enc('LDTRSW', 'LDTRSW', '10 111 0 00 10 0 iiiiiiiii 10 nnnnn ttttt', LDURSW),

  enc('STR_x_imm_uoff', 'STR (immediate), 64-bit', '11 111 0 01 00 iiiiiiiiiiii nnnnn ttttt', STR_x_imm_uoff),
  enc('STR_x_imm_pre', 'STR (immediate), 64-bit pre', '11 111 0 00 00 0 iiiiiiiii 11 nnnnn ttttt', STR_x_imm_pre),
  enc('STR_x_imm_post', 'STR (immediate), 64-bit post', '11 111 0 00 00 0 iiiiiiiii 01 nnnnn ttttt', STR_x_imm_post),
  enc('STR_x_reg', 'STR (register), 64-bit', '11 111 0 00 00 1 mmmmm o1p s 10 nnnnn ttttt', STR_x_reg),
  enc('STUR_x', 'STUR, 64-bit', '11 111 0 00 00 0 iiiiiiiii 00 nnnnn ttttt', STUR_x),
  enc('STTR_x', 'STTR, 64-bit', '11 111 0 00 00 0 iiiiiiiii 10 nnnnn ttttt', STUR_x),
  enc('LDR_x_imm_uoff', 'LDR (immediate), 64-bit', '11 111 0 01 01 iiiiiiiiiiii nnnnn ttttt', LDR_x_imm_uoff),
  enc('LDR_x_imm_pre', 'LDR (immediate), 64-bit pre', '11 111 0 00 01 0 iiiiiiiii 11 nnnnn ttttt', LDR_x_imm_pre),
  enc('LDR_x_imm_post', 'LDR (immediate), 64-bit post', '11 111 0 00 01 0 iiiiiiiii 01 nnnnn ttttt', LDR_x_imm_post),
  enc('LDR_x_reg', 'LDR (register), 64-bit', '11 111 0 00 01 1 mmmmm o1p s 10 nnnnn ttttt', LDR_x_reg),
  enc('LDUR_x', 'LDUR, 64-bit', '11 111 0 00 01 0 iiiiiiiii 00 nnnnn ttttt', LDUR_x),
  enc('LDTR_x', 'LDTR, 64-bit', '11 111 0 00 01 0 iiiiiiiii 10 nnnnn ttttt', LDUR_x),
  enc('PRFM_imm', 'PRFM (immediate)', '11 111 0 01 10 iiiiiiiiiiii nnnnn ttttt', PRFM),
  enc('PRFM_reg', 'PRFM (register)', '11 111 0 00 10 1 mmmmm o1p s 10 nnnnn ttttt', PRFM),
  enc('PRFUM', 'PRFUM', '11 111 0 00 10 0 iiiiiiiii 00 nnnnn ttttt', PRFM),

  enc('LDR_w_lit', 'LDR (literal), 32-bit', '00 011 0 00 iiiiiiiiiiiiiiiiiii ttttt', LDR_w_lit),
  enc('LDR_x_lit', 'LDR (literal), 64-bit', '01 011 0 00 iiiiiiiiiiiiiiiiiii ttttt', LDR_x_lit),
  enc('LDRSW_lit', 'LDRSW (literal)', '10 011 0 00 iiiiiiiiiiiiiiiiiii ttttt', LDRSW_lit),
  enc('PRFM_lit', 'PRFM (literal)', '11 011 0 00 iiiiiiiiiiiiiiiiiii ttttt', PRFM),
];
