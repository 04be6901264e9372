/**
 * Single SIMD&FP register loads and stores (B, H, S, D, Q) in the unsigned-offset, pre-index,
 * post-index, register-offset and unscaled forms, and the S/D/Q literal loads. A load writes the
 * low bits of the 128-bit register and zeroes the rest. As for the general registers, each
 * (size, form) pair has its own small handler and the memory access happens before any register
 * is written.
 */

import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { addToBase, baseAddr, literalAddr, regAddr, simm9, storeCross, uoffAddr } from './ldst-address.js';

/** Holds a Q value between its two 64-bit reads, so a fault on the second leaves the register unchanged. */
const q = new Int32Array(4);

// ---- accesses: t is the register number, a the address ----

function ldrB(cpu: Cpu, t: number, a: number): void {
  const v = cpu.mem.read8(a);
  const v32 = cpu.v32;
  const i = t << 2;
  v32[i] = v;
  v32[i + 1] = 0;
  v32[i + 2] = 0;
  v32[i + 3] = 0;
}

function ldrH(cpu: Cpu, t: number, a: number): void {
  const v = cpu.mem.read16(a);
  const v32 = cpu.v32;
  const i = t << 2;
  v32[i] = v;
  v32[i + 1] = 0;
  v32[i + 2] = 0;
  v32[i + 3] = 0;
}

function ldrS(cpu: Cpu, t: number, a: number): void {
  const v = cpu.mem.read32(a);
  const v32 = cpu.v32;
  const i = t << 2;
  v32[i] = v;
  v32[i + 1] = 0;
  v32[i + 2] = 0;
  v32[i + 3] = 0;
}

function ldrD(cpu: Cpu, t: number, a: number): void {
  const v32 = cpu.v32;
  const i = t << 2;
  cpu.mem.read64(a, v32, i);
  v32[i + 2] = 0;
  v32[i + 3] = 0;
}

function ldrQ(cpu: Cpu, t: number, a: number): void {
  const mem = cpu.mem;
  mem.read64(a, q, 0);
  mem.read64(a + 8, q, 2);
  const v32 = cpu.v32;
  const i = t << 2;
  v32[i] = q[0]!;
  v32[i + 1] = q[1]!;
  v32[i + 2] = q[2]!;
  v32[i + 3] = q[3]!;
}

function strB(cpu: Cpu, t: number, a: number): void {
  cpu.mem.write8(a, cpu.v32[t << 2]!);
}

function strH(cpu: Cpu, t: number, a: number): void {
  cpu.mem.write16(a, cpu.v32[t << 2]!);
}

function strS(cpu: Cpu, t: number, a: number): void {
  storeCross(cpu.mem, a, 4);
  cpu.mem.write32(a, cpu.v32[t << 2]!);
}

function strD(cpu: Cpu, t: number, a: number): void {
  const v32 = cpu.v32;
  const i = t << 2;
  storeCross(cpu.mem, a, 8);
  cpu.mem.write64(a, v32[i]!, v32[i + 1]!);
}

function strQ(cpu: Cpu, t: number, a: number): void {
  const mem = cpu.mem;
  const v32 = cpu.v32;
  const i = t << 2;
  storeCross(mem, a, 16);
  mem.write64(a, v32[i]!, v32[i + 1]!);
  mem.write64(a + 8, v32[i + 2]!, v32[i + 3]!);
}

// ---- B ----

function LDR_vb_imm_uoff(cpu: Cpu, insn: number): void {
  ldrB(cpu, insn & 31, uoffAddr(cpu.x, insn, 0));
}
function LDR_vb_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrB(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function LDR_vb_imm_post(cpu: Cpu, insn: number): void {
  ldrB(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function LDR_vb_reg(cpu: Cpu, insn: number): void {
  ldrB(cpu, insn & 31, regAddr(cpu.x, insn, 0));
}
function LDUR_vb(cpu: Cpu, insn: number): void {
  ldrB(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}
function STR_vb_imm_uoff(cpu: Cpu, insn: number): void {
  strB(cpu, insn & 31, uoffAddr(cpu.x, insn, 0));
}
function STR_vb_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  strB(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STR_vb_imm_post(cpu: Cpu, insn: number): void {
  strB(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function STR_vb_reg(cpu: Cpu, insn: number): void {
  strB(cpu, insn & 31, regAddr(cpu.x, insn, 0));
}
function STUR_vb(cpu: Cpu, insn: number): void {
  strB(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

// ---- H ----

function LDR_vh_imm_uoff(cpu: Cpu, insn: number): void {
  ldrH(cpu, insn & 31, uoffAddr(cpu.x, insn, 1));
}
function LDR_vh_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrH(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function LDR_vh_imm_post(cpu: Cpu, insn: number): void {
  ldrH(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function LDR_vh_reg(cpu: Cpu, insn: number): void {
  ldrH(cpu, insn & 31, regAddr(cpu.x, insn, 1));
}
function LDUR_vh(cpu: Cpu, insn: number): void {
  ldrH(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}
function STR_vh_imm_uoff(cpu: Cpu, insn: number): void {
  strH(cpu, insn & 31, uoffAddr(cpu.x, insn, 1));
}
function STR_vh_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  strH(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STR_vh_imm_post(cpu: Cpu, insn: number): void {
  strH(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function STR_vh_reg(cpu: Cpu, insn: number): void {
  strH(cpu, insn & 31, regAddr(cpu.x, insn, 1));
}
function STUR_vh(cpu: Cpu, insn: number): void {
  strH(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

// ---- S ----

function LDR_vs_imm_uoff(cpu: Cpu, insn: number): void {
  ldrS(cpu, insn & 31, uoffAddr(cpu.x, insn, 2));
}
function LDR_vs_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrS(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function LDR_vs_imm_post(cpu: Cpu, insn: number): void {
  ldrS(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function LDR_vs_reg(cpu: Cpu, insn: number): void {
  ldrS(cpu, insn & 31, regAddr(cpu.x, insn, 2));
}
function LDUR_vs(cpu: Cpu, insn: number): void {
  ldrS(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}
function STR_vs_imm_uoff(cpu: Cpu, insn: number): void {
  strS(cpu, insn & 31, uoffAddr(cpu.x, insn, 2));
}
function STR_vs_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  strS(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STR_vs_imm_post(cpu: Cpu, insn: number): void {
  strS(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function STR_vs_reg(cpu: Cpu, insn: number): void {
  strS(cpu, insn & 31, regAddr(cpu.x, insn, 2));
}
function STUR_vs(cpu: Cpu, insn: number): void {
  strS(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

// ---- D ----

function LDR_vd_imm_uoff(cpu: Cpu, insn: number): void {
  ldrD(cpu, insn & 31, uoffAddr(cpu.x, insn, 3));
}
function LDR_vd_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrD(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function LDR_vd_imm_post(cpu: Cpu, insn: number): void {
  ldrD(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function LDR_vd_reg(cpu: Cpu, insn: number): void {
  ldrD(cpu, insn & 31, regAddr(cpu.x, insn, 3));
}
function LDUR_vd(cpu: Cpu, insn: number): void {
  ldrD(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}
function STR_vd_imm_uoff(cpu: Cpu, insn: number): void {
  strD(cpu, insn & 31, uoffAddr(cpu.x, insn, 3));
}
function STR_vd_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  strD(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STR_vd_imm_post(cpu: Cpu, insn: number): void {
  strD(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function STR_vd_reg(cpu: Cpu, insn: number): void {
  strD(cpu, insn & 31, regAddr(cpu.x, insn, 3));
}
function STUR_vd(cpu: Cpu, insn: number): void {
  strD(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

// ---- Q ----

function LDR_vq_imm_uoff(cpu: Cpu, insn: number): void {
  ldrQ(cpu, insn & 31, uoffAddr(cpu.x, insn, 4));
}
function LDR_vq_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  ldrQ(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function LDR_vq_imm_post(cpu: Cpu, insn: number): void {
  ldrQ(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function LDR_vq_reg(cpu: Cpu, insn: number): void {
  ldrQ(cpu, insn & 31, regAddr(cpu.x, insn, 4));
}
function LDUR_vq(cpu: Cpu, insn: number): void {
  ldrQ(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}
function STR_vq_imm_uoff(cpu: Cpu, insn: number): void {
  strQ(cpu, insn & 31, uoffAddr(cpu.x, insn, 4));
}
function STR_vq_imm_pre(cpu: Cpu, insn: number): void {
  const off = simm9(insn);
  strQ(cpu, insn & 31, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STR_vq_imm_post(cpu: Cpu, insn: number): void {
  strQ(cpu, insn & 31, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, simm9(insn));
}
function STR_vq_reg(cpu: Cpu, insn: number): void {
  strQ(cpu, insn & 31, regAddr(cpu.x, insn, 4));
}
function STUR_vq(cpu: Cpu, insn: number): void {
  strQ(cpu, insn & 31, baseAddr(cpu.x, insn) + simm9(insn));
}

// ---- literals ----

function LDR_vs_lit(cpu: Cpu, insn: number): void {
  ldrS(cpu, insn & 31, literalAddr(cpu, insn));
}
function LDR_vd_lit(cpu: Cpu, insn: number): void {
  ldrD(cpu, insn & 31, literalAddr(cpu, insn));
}
function LDR_vq_lit(cpu: Cpu, insn: number): void {
  ldrQ(cpu, insn & 31, literalAddr(cpu, insn));
}

// Same layout as the general-register rows with V (bit 26) set; size:opc selects B (00:0x), H (01:0x),
// S (10:0x), D (11:0x) and Q (00:1x). The unprivileged forms have no SIMD&FP variant.
export const LDST_FP_ENCODINGS: readonly Encoding[] = [
  enc('STR_vb_imm_uoff', 'STR (immediate, SIMD&FP), 8-bit', '00 111 1 01 00 iiiiiiiiiiii nnnnn ttttt', STR_vb_imm_uoff),
  enc(
    'STR_vb_imm_pre',
    'STR (immediate, SIMD&FP), 8-bit pre',
    '00 111 1 00 00 0 iiiiiiiii 11 nnnnn ttttt',
    STR_vb_imm_pre,
  ),
  enc(
    'STR_vb_imm_post',
    'STR (immediate, SIMD&FP), 8-bit post',
    '00 111 1 00 00 0 iiiiiiiii 01 nnnnn ttttt',
    STR_vb_imm_post,
  ),
  enc('STR_vb_reg', 'STR (register, SIMD&FP), 8-bit', '00 111 1 00 00 1 mmmmm o1p s 10 nnnnn ttttt', STR_vb_reg),
  enc('STUR_vb', 'STUR (SIMD&FP), 8-bit', '00 111 1 00 00 0 iiiiiiiii 00 nnnnn ttttt', STUR_vb),
  enc('LDR_vb_imm_uoff', 'LDR (immediate, SIMD&FP), 8-bit', '00 111 1 01 01 iiiiiiiiiiii nnnnn ttttt', LDR_vb_imm_uoff),
  enc(
    'LDR_vb_imm_pre',
    'LDR (immediate, SIMD&FP), 8-bit pre',
    '00 111 1 00 01 0 iiiiiiiii 11 nnnnn ttttt',
    LDR_vb_imm_pre,
  ),
  enc(
    'LDR_vb_imm_post',
    'LDR (immediate, SIMD&FP), 8-bit post',
    '00 111 1 00 01 0 iiiiiiiii 01 nnnnn ttttt',
    LDR_vb_imm_post,
  ),
  enc('LDR_vb_reg', 'LDR (register, SIMD&FP), 8-bit', '00 111 1 00 01 1 mmmmm o1p s 10 nnnnn ttttt', LDR_vb_reg),
  enc('LDUR_vb', 'LDUR (SIMD&FP), 8-bit', '00 111 1 00 01 0 iiiiiiiii 00 nnnnn ttttt', LDUR_vb),

  enc(
    'STR_vh_imm_uoff',
    'STR (immediate, SIMD&FP), 16-bit',
    '01 111 1 01 00 iiiiiiiiiiii nnnnn ttttt',
    STR_vh_imm_uoff,
  ),
  enc(
    'STR_vh_imm_pre',
    'STR (immediate, SIMD&FP), 16-bit pre',
    '01 111 1 00 00 0 iiiiiiiii 11 nnnnn ttttt',
    STR_vh_imm_pre,
  ),
  enc(
    'STR_vh_imm_post',
    'STR (immediate, SIMD&FP), 16-bit post',
    '01 111 1 00 00 0 iiiiiiiii 01 nnnnn ttttt',
    STR_vh_imm_post,
  ),
  enc('STR_vh_reg', 'STR (register, SIMD&FP), 16-bit', '01 111 1 00 00 1 mmmmm o1p s 10 nnnnn ttttt', STR_vh_reg),
  enc('STUR_vh', 'STUR (SIMD&FP), 16-bit', '01 111 1 00 00 0 iiiiiiiii 00 nnnnn ttttt', STUR_vh),
  enc(
    'LDR_vh_imm_uoff',
    'LDR (immediate, SIMD&FP), 16-bit',
    '01 111 1 01 01 iiiiiiiiiiii nnnnn ttttt',
    LDR_vh_imm_uoff,
  ),
  enc(
    'LDR_vh_imm_pre',
    'LDR (immediate, SIMD&FP), 16-bit pre',
    '01 111 1 00 01 0 iiiiiiiii 11 nnnnn ttttt',
    LDR_vh_imm_pre,
  ),
  enc(
    'LDR_vh_imm_post',
    'LDR (immediate, SIMD&FP), 16-bit post',
    '01 111 1 00 01 0 iiiiiiiii 01 nnnnn ttttt',
    LDR_vh_imm_post,
  ),
  enc('LDR_vh_reg', 'LDR (register, SIMD&FP), 16-bit', '01 111 1 00 01 1 mmmmm o1p s 10 nnnnn ttttt', LDR_vh_reg),
  enc('LDUR_vh', 'LDUR (SIMD&FP), 16-bit', '01 111 1 00 01 0 iiiiiiiii 00 nnnnn ttttt', LDUR_vh),

  enc(
    'STR_vs_imm_uoff',
    'STR (immediate, SIMD&FP), 32-bit',
    '10 111 1 01 00 iiiiiiiiiiii nnnnn ttttt',
    STR_vs_imm_uoff,
  ),
  enc(
    'STR_vs_imm_pre',
    'STR (immediate, SIMD&FP), 32-bit pre',
    '10 111 1 00 00 0 iiiiiiiii 11 nnnnn ttttt',
    STR_vs_imm_pre,
  ),
  enc(
    'STR_vs_imm_post',
    'STR (immediate, SIMD&FP), 32-bit post',
    '10 111 1 00 00 0 iiiiiiiii 01 nnnnn ttttt',
    STR_vs_imm_post,
  ),
  enc('STR_vs_reg', 'STR (register, SIMD&FP), 32-bit', '10 111 1 00 00 1 mmmmm o1p s 10 nnnnn ttttt', STR_vs_reg),
  enc('STUR_vs', 'STUR (SIMD&FP), 32-bit', '10 111 1 00 00 0 iiiiiiiii 00 nnnnn ttttt', STUR_vs),
  enc(
    'LDR_vs_imm_uoff',
    'LDR (immediate, SIMD&FP), 32-bit',
    '10 111 1 01 01 iiiiiiiiiiii nnnnn ttttt',
    LDR_vs_imm_uoff,
  ),
  enc(
    'LDR_vs_imm_pre',
    'LDR (immediate, SIMD&FP), 32-bit pre',
    '10 111 1 00 01 0 iiiiiiiii 11 nnnnn ttttt',
    LDR_vs_imm_pre,
  ),
  enc(
    'LDR_vs_imm_post',
    'LDR (immediate, SIMD&FP), 32-bit post',
    '10 111 1 00 01 0 iiiiiiiii 01 nnnnn ttttt',
    LDR_vs_imm_post,
  ),
  enc('LDR_vs_reg', 'LDR (register, SIMD&FP), 32-bit', '10 111 1 00 01 1 mmmmm o1p s 10 nnnnn ttttt', LDR_vs_reg),
  enc('LDUR_vs', 'LDUR (SIMD&FP), 32-bit', '10 111 1 00 01 0 iiiiiiiii 00 nnnnn ttttt', LDUR_vs),

  enc(
    'STR_vd_imm_uoff',
    'STR (immediate, SIMD&FP), 64-bit',
    '11 111 1 01 00 iiiiiiiiiiii nnnnn ttttt',
    STR_vd_imm_uoff,
  ),
  enc(
    'STR_vd_imm_pre',
    'STR (immediate, SIMD&FP), 64-bit pre',
    '11 111 1 00 00 0 iiiiiiiii 11 nnnnn ttttt',
    STR_vd_imm_pre,
  ),
  enc(
    'STR_vd_imm_post',
    'STR (immediate, SIMD&FP), 64-bit post',
    '11 111 1 00 00 0 iiiiiiiii 01 nnnnn ttttt',
    STR_vd_imm_post,
  ),
  enc('STR_vd_reg', 'STR (register, SIMD&FP), 64-bit', '11 111 1 00 00 1 mmmmm o1p s 10 nnnnn ttttt', STR_vd_reg),
  enc('STUR_vd', 'STUR (SIMD&FP), 64-bit', '11 111 1 00 00 0 iiiiiiiii 00 nnnnn ttttt', STUR_vd),
  enc(
    'LDR_vd_imm_uoff',
    'LDR (immediate, SIMD&FP), 64-bit',
    '11 111 1 01 01 iiiiiiiiiiii nnnnn ttttt',
    LDR_vd_imm_uoff,
  ),
  enc(
    'LDR_vd_imm_pre',
    'LDR (immediate, SIMD&FP), 64-bit pre',
    '11 111 1 00 01 0 iiiiiiiii 11 nnnnn ttttt',
    LDR_vd_imm_pre,
  ),
  enc(
    'LDR_vd_imm_post',
    'LDR (immediate, SIMD&FP), 64-bit post',
    '11 111 1 00 01 0 iiiiiiiii 01 nnnnn ttttt',
    LDR_vd_imm_post,
  ),
  enc('LDR_vd_reg', 'LDR (register, SIMD&FP), 64-bit', '11 111 1 00 01 1 mmmmm o1p s 10 nnnnn ttttt', LDR_vd_reg),
  enc('LDUR_vd', 'LDUR (SIMD&FP), 64-bit', '11 111 1 00 01 0 iiiiiiiii 00 nnnnn ttttt', LDUR_vd),

  enc(
    'STR_vq_imm_uoff',
    'STR (immediate, SIMD&FP), 128-bit',
    '00 111 1 01 10 iiiiiiiiiiii nnnnn ttttt',
    STR_vq_imm_uoff,
  ),
  enc(
    'STR_vq_imm_pre',
    'STR (immediate, SIMD&FP), 128-bit pre',
    '00 111 1 00 10 0 iiiiiiiii 11 nnnnn ttttt',
    STR_vq_imm_pre,
  ),
  enc(
    'STR_vq_imm_post',
    'STR (immediate, SIMD&FP), 128-bit post',
    '00 111 1 00 10 0 iiiiiiiii 01 nnnnn ttttt',
    STR_vq_imm_post,
  ),
  enc('STR_vq_reg', 'STR (register, SIMD&FP), 128-bit', '00 111 1 00 10 1 mmmmm o1p s 10 nnnnn ttttt', STR_vq_reg),
  enc('STUR_vq', 'STUR (SIMD&FP), 128-bit', '00 111 1 00 10 0 iiiiiiiii 00 nnnnn ttttt', STUR_vq),
  enc(
    'LDR_vq_imm_uoff',
    'LDR (immediate, SIMD&FP), 128-bit',
    '00 111 1 01 11 iiiiiiiiiiii nnnnn ttttt',
    LDR_vq_imm_uoff,
  ),
  enc(
    'LDR_vq_imm_pre',
    'LDR (immediate, SIMD&FP), 128-bit pre',
    '00 111 1 00 11 0 iiiiiiiii 11 nnnnn ttttt',
    LDR_vq_imm_pre,
  ),
  enc(
    'LDR_vq_imm_post',
    'LDR (immediate, SIMD&FP), 128-bit post',
    '00 111 1 00 11 0 iiiiiiiii 01 nnnnn ttttt',
    LDR_vq_imm_post,
  ),
  enc('LDR_vq_reg', 'LDR (register, SIMD&FP), 128-bit', '00 111 1 00 11 1 mmmmm o1p s 10 nnnnn ttttt', LDR_vq_reg),
  enc('LDUR_vq', 'LDUR (SIMD&FP), 128-bit', '00 111 1 00 11 0 iiiiiiiii 00 nnnnn ttttt', LDUR_vq),

  enc('LDR_vs_lit', 'LDR (literal, SIMD&FP), 32-bit', '00 011 1 00 iiiiiiiiiiiiiiiiiii ttttt', LDR_vs_lit),
  enc('LDR_vd_lit', 'LDR (literal, SIMD&FP), 64-bit', '01 011 1 00 iiiiiiiiiiiiiiiiiii ttttt', LDR_vd_lit),
  enc('LDR_vq_lit', 'LDR (literal, SIMD&FP), 128-bit', '10 011 1 00 iiiiiiiiiiiiiiiiiii ttttt', LDR_vq_lit),
];
