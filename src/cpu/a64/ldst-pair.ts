/**
 * Register-pair loads and stores: LDP/STP (32/64-bit), LDPSW and the SIMD&FP LDP/STP (S, D, Q) in the
 * signed-offset, pre-index and post-index forms, and the non-temporal LDNP/STNP (the signed-offset
 * form with a hint, which an interpreter ignores).
 * Loads read both values into a scratch before touching registers, then write back the base, then
 * write Rt and Rt2: a fault leaves every register unchanged, and when Rn is also a destination
 * (CONSTRAINED UNPREDICTABLE) the loaded value wins; with Rt == Rt2 (also UNPREDICTABLE) Rt2's wins.
 * Stores that cross into the next page check it first, so a fault stores nothing.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { addToBase, baseAddr, pairOff, storeCross } from './ldst-address.js';
import { rz, wz } from './registers.js';

/** The loaded values (up to two Q registers) between the reads and the register writes. */
const pair = new Int32Array(8);

// ---- loads: read into the scratch, then set the registers ----

function readW2(cpu: Cpu, a: number): void {
  const mem = cpu.mem;
  pair[0] = mem.read32(a);
  pair[1] = mem.read32(a + 4);
}

function readX2(cpu: Cpu, a: number): void {
  const mem = cpu.mem;
  mem.read64(a, pair, 0);
  mem.read64(a + 8, pair, 2);
}

function readQ2(cpu: Cpu, a: number): void {
  const mem = cpu.mem;
  mem.read64(a, pair, 0);
  mem.read64(a + 8, pair, 2);
  mem.read64(a + 16, pair, 4);
  mem.read64(a + 24, pair, 6);
}

function setW2(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const t = wz(insn & 31);
  const t2 = wz((insn >>> 10) & 31);
  x[t] = pair[0]!;
  x[t + 1] = 0;
  x[t2] = pair[1]!;
  x[t2 + 1] = 0;
}

function setSW2(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const t = wz(insn & 31);
  const t2 = wz((insn >>> 10) & 31);
  const v0 = pair[0]!;
  const v1 = pair[1]!;
  x[t] = v0;
  x[t + 1] = v0 >> 31;
  x[t2] = v1;
  x[t2 + 1] = v1 >> 31;
}

function setX2(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const t = wz(insn & 31);
  const t2 = wz((insn >>> 10) & 31);
  x[t] = pair[0]!;
  x[t + 1] = pair[1]!;
  x[t2] = pair[2]!;
  x[t2 + 1] = pair[3]!;
}

function setVS2(cpu: Cpu, insn: number): void {
  const v = cpu.v32;
  const t = (insn & 31) << 2;
  const t2 = ((insn >>> 10) & 31) << 2;
  v[t] = pair[0]!;
  v[t + 1] = 0;
  v[t + 2] = 0;
  v[t + 3] = 0;
  v[t2] = pair[1]!;
  v[t2 + 1] = 0;
  v[t2 + 2] = 0;
  v[t2 + 3] = 0;
}

function setVD2(cpu: Cpu, insn: number): void {
  const v = cpu.v32;
  const t = (insn & 31) << 2;
  const t2 = ((insn >>> 10) & 31) << 2;
  v[t] = pair[0]!;
  v[t + 1] = pair[1]!;
  v[t + 2] = 0;
  v[t + 3] = 0;
  v[t2] = pair[2]!;
  v[t2 + 1] = pair[3]!;
  v[t2 + 2] = 0;
  v[t2 + 3] = 0;
}

function setVQ2(cpu: Cpu, insn: number): void {
  const v = cpu.v32;
  const t = (insn & 31) << 2;
  const t2 = ((insn >>> 10) & 31) << 2;
  v[t] = pair[0]!;
  v[t + 1] = pair[1]!;
  v[t + 2] = pair[2]!;
  v[t + 3] = pair[3]!;
  v[t2] = pair[4]!;
  v[t2 + 1] = pair[5]!;
  v[t2 + 2] = pair[6]!;
  v[t2 + 3] = pair[7]!;
}

// ---- stores ----

function stpW(cpu: Cpu, insn: number, a: number): void {
  const x = cpu.x;
  const mem = cpu.mem;
  storeCross(mem, a, 8);
  mem.write32(a, x[rz(insn & 31)]!);
  mem.write32(a + 4, x[rz((insn >>> 10) & 31)]!);
}

function stpX(cpu: Cpu, insn: number, a: number): void {
  const x = cpu.x;
  const mem = cpu.mem;
  const t = rz(insn & 31);
  const t2 = rz((insn >>> 10) & 31);
  storeCross(mem, a, 16);
  mem.write64(a, x[t]!, x[t + 1]!);
  mem.write64(a + 8, x[t2]!, x[t2 + 1]!);
}

function stpVS(cpu: Cpu, insn: number, a: number): void {
  const v = cpu.v32;
  const mem = cpu.mem;
  storeCross(mem, a, 8);
  mem.write32(a, v[(insn & 31) << 2]!);
  mem.write32(a + 4, v[((insn >>> 10) & 31) << 2]!);
}

function stpVD(cpu: Cpu, insn: number, a: number): void {
  const v = cpu.v32;
  const mem = cpu.mem;
  const t = (insn & 31) << 2;
  const t2 = ((insn >>> 10) & 31) << 2;
  storeCross(mem, a, 16);
  mem.write64(a, v[t]!, v[t + 1]!);
  mem.write64(a + 8, v[t2]!, v[t2 + 1]!);
}

function stpVQ(cpu: Cpu, insn: number, a: number): void {
  const v = cpu.v32;
  const mem = cpu.mem;
  const t = (insn & 31) << 2;
  const t2 = ((insn >>> 10) & 31) << 2;
  storeCross(mem, a, 32);
  mem.write64(a, v[t]!, v[t + 1]!);
  mem.write64(a + 8, v[t + 2]!, v[t + 3]!);
  mem.write64(a + 16, v[t2]!, v[t2 + 1]!);
  mem.write64(a + 24, v[t2 + 2]!, v[t2 + 3]!);
}

// ---- 32-bit ----

function LDP_w_off(cpu: Cpu, insn: number): void {
  readW2(cpu, baseAddr(cpu.x, insn) + pairOff(insn, 2));
  setW2(cpu, insn);
}
function LDP_w_pre(cpu: Cpu, insn: number): void {
  const off = pairOff(insn, 2);
  readW2(cpu, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
  setW2(cpu, insn);
}
function LDP_w_post(cpu: Cpu, insn: number): void {
  readW2(cpu, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, pairOff(insn, 2));
  setW2(cpu, insn);
}
function LDPSW_off(cpu: Cpu, insn: number): void {
  readW2(cpu, baseAddr(cpu.x, insn) + pairOff(insn, 2));
  setSW2(cpu, insn);
}
function LDPSW_pre(cpu: Cpu, insn: number): void {
  const off = pairOff(insn, 2);
  readW2(cpu, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
  setSW2(cpu, insn);
}
function LDPSW_post(cpu: Cpu, insn: number): void {
  readW2(cpu, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, pairOff(insn, 2));
  setSW2(cpu, insn);
}
function STP_w_off(cpu: Cpu, insn: number): void {
  stpW(cpu, insn, baseAddr(cpu.x, insn) + pairOff(insn, 2));
}
function STP_w_pre(cpu: Cpu, insn: number): void {
  const off = pairOff(insn, 2);
  stpW(cpu, insn, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STP_w_post(cpu: Cpu, insn: number): void {
  stpW(cpu, insn, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, pairOff(insn, 2));
}

// ---- 64-bit ----

function LDP_x_off(cpu: Cpu, insn: number): void {
  readX2(cpu, baseAddr(cpu.x, insn) + pairOff(insn, 3));
  setX2(cpu, insn);
}
function LDP_x_pre(cpu: Cpu, insn: number): void {
  const off = pairOff(insn, 3);
  readX2(cpu, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
  setX2(cpu, insn);
}
function LDP_x_post(cpu: Cpu, insn: number): void {
  readX2(cpu, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, pairOff(insn, 3));
  setX2(cpu, insn);
}
function STP_x_off(cpu: Cpu, insn: number): void {
  stpX(cpu, insn, baseAddr(cpu.x, insn) + pairOff(insn, 3));
}
function STP_x_pre(cpu: Cpu, insn: number): void {
  const off = pairOff(insn, 3);
  stpX(cpu, insn, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STP_x_post(cpu: Cpu, insn: number): void {
  stpX(cpu, insn, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, pairOff(insn, 3));
}

// ---- SIMD&FP S ----

function LDP_vs_off(cpu: Cpu, insn: number): void {
  readW2(cpu, baseAddr(cpu.x, insn) + pairOff(insn, 2));
  setVS2(cpu, insn);
}
function LDP_vs_pre(cpu: Cpu, insn: number): void {
  const off = pairOff(insn, 2);
  readW2(cpu, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
  setVS2(cpu, insn);
}
function LDP_vs_post(cpu: Cpu, insn: number): void {
  readW2(cpu, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, pairOff(insn, 2));
  setVS2(cpu, insn);
}
function STP_vs_off(cpu: Cpu, insn: number): void {
  stpVS(cpu, insn, baseAddr(cpu.x, insn) + pairOff(insn, 2));
}
function STP_vs_pre(cpu: Cpu, insn: number): void {
  const off = pairOff(insn, 2);
  stpVS(cpu, insn, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STP_vs_post(cpu: Cpu, insn: number): void {
  stpVS(cpu, insn, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, pairOff(insn, 2));
}

// ---- SIMD&FP D ----

function LDP_vd_off(cpu: Cpu, insn: number): void {
  readX2(cpu, baseAddr(cpu.x, insn) + pairOff(insn, 3));
  setVD2(cpu, insn);
}
function LDP_vd_pre(cpu: Cpu, insn: number): void {
  const off = pairOff(insn, 3);
  readX2(cpu, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
  setVD2(cpu, insn);
}
function LDP_vd_post(cpu: Cpu, insn: number): void {
  readX2(cpu, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, pairOff(insn, 3));
  setVD2(cpu, insn);
}
function STP_vd_off(cpu: Cpu, insn: number): void {
  stpVD(cpu, insn, baseAddr(cpu.x, insn) + pairOff(insn, 3));
}
function STP_vd_pre(cpu: Cpu, insn: number): void {
  const off = pairOff(insn, 3);
  stpVD(cpu, insn, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STP_vd_post(cpu: Cpu, insn: number): void {
  stpVD(cpu, insn, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, pairOff(insn, 3));
}

// ---- SIMD&FP Q ----

function LDP_vq_off(cpu: Cpu, insn: number): void {
  readQ2(cpu, baseAddr(cpu.x, insn) + pairOff(insn, 4));
  setVQ2(cpu, insn);
}
function LDP_vq_pre(cpu: Cpu, insn: number): void {
  const off = pairOff(insn, 4);
  readQ2(cpu, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
  setVQ2(cpu, insn);
}
function LDP_vq_post(cpu: Cpu, insn: number): void {
  readQ2(cpu, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, pairOff(insn, 4));
  setVQ2(cpu, insn);
}
function STP_vq_off(cpu: Cpu, insn: number): void {
  stpVQ(cpu, insn, baseAddr(cpu.x, insn) + pairOff(insn, 4));
}
function STP_vq_pre(cpu: Cpu, insn: number): void {
  const off = pairOff(insn, 4);
  stpVQ(cpu, insn, baseAddr(cpu.x, insn) + off);
  addToBase(cpu.x, insn, off);
}
function STP_vq_post(cpu: Cpu, insn: number): void {
  stpVQ(cpu, insn, baseAddr(cpu.x, insn));
  addToBase(cpu.x, insn, pairOff(insn, 4));
}

// Pattern: opc(2) 101 V(1) mode(3) L(1) imm7 Rt2 Rn Rt, with mode 000 no-allocate (LDNP/STNP),
// 001 post-index, 010 signed offset, 011 pre-index. opc 11, LDPSW's no-allocate slot and STGP
// (opc 01, V 0, L 0: memory tagging, not advertised) have no row.
export const LDST_PAIR_ENCODINGS: readonly Encoding[] = [
  enc('STNP_w', 'STNP, 32-bit', '00 101 0 000 0 iiiiiii uuuuu nnnnn ttttt', STP_w_off),
  enc('STP_w_off', 'STP, 32-bit signed offset', '00 101 0 010 0 iiiiiii uuuuu nnnnn ttttt', STP_w_off),
  enc('STP_w_pre', 'STP, 32-bit pre-index', '00 101 0 011 0 iiiiiii uuuuu nnnnn ttttt', STP_w_pre),
  enc('STP_w_post', 'STP, 32-bit post-index', '00 101 0 001 0 iiiiiii uuuuu nnnnn ttttt', STP_w_post),
  enc('LDNP_w', 'LDNP, 32-bit', '00 101 0 000 1 iiiiiii uuuuu nnnnn ttttt', LDP_w_off),
  enc('LDP_w_off', 'LDP, 32-bit signed offset', '00 101 0 010 1 iiiiiii uuuuu nnnnn ttttt', LDP_w_off),
  enc('LDP_w_pre', 'LDP, 32-bit pre-index', '00 101 0 011 1 iiiiiii uuuuu nnnnn ttttt', LDP_w_pre),
  enc('LDP_w_post', 'LDP, 32-bit post-index', '00 101 0 001 1 iiiiiii uuuuu nnnnn ttttt', LDP_w_post),
  enc('LDPSW_off', 'LDPSW, signed offset', '01 101 0 010 1 iiiiiii uuuuu nnnnn ttttt', LDPSW_off),
  enc('LDPSW_pre', 'LDPSW, pre-index', '01 101 0 011 1 iiiiiii uuuuu nnnnn ttttt', LDPSW_pre),
  enc('LDPSW_post', 'LDPSW, post-index', '01 101 0 001 1 iiiiiii uuuuu nnnnn ttttt', LDPSW_post),
  enc('STNP_x', 'STNP, 64-bit', '10 101 0 000 0 iiiiiii uuuuu nnnnn ttttt', STP_x_off),
  enc('STP_x_off', 'STP, 64-bit signed offset', '10 101 0 010 0 iiiiiii uuuuu nnnnn ttttt', STP_x_off),
  enc('STP_x_pre', 'STP, 64-bit pre-index', '10 101 0 011 0 iiiiiii uuuuu nnnnn ttttt', STP_x_pre),
  enc('STP_x_post', 'STP, 64-bit post-index', '10 101 0 001 0 iiiiiii uuuuu nnnnn ttttt', STP_x_post),
  enc('LDNP_x', 'LDNP, 64-bit', '10 101 0 000 1 iiiiiii uuuuu nnnnn ttttt', LDP_x_off),
  enc('LDP_x_off', 'LDP, 64-bit signed offset', '10 101 0 010 1 iiiiiii uuuuu nnnnn ttttt', LDP_x_off),
  enc('LDP_x_pre', 'LDP, 64-bit pre-index', '10 101 0 011 1 iiiiiii uuuuu nnnnn ttttt', LDP_x_pre),
  enc('LDP_x_post', 'LDP, 64-bit post-index', '10 101 0 001 1 iiiiiii uuuuu nnnnn ttttt', LDP_x_post),

  enc('STNP_vs', 'STNP (SIMD&FP), 32-bit', '00 101 1 000 0 iiiiiii uuuuu nnnnn ttttt', STP_vs_off),
  enc('STP_vs_off', 'STP (SIMD&FP), 32-bit signed offset', '00 101 1 010 0 iiiiiii uuuuu nnnnn ttttt', STP_vs_off),
  enc('STP_vs_pre', 'STP (SIMD&FP), 32-bit pre-index', '00 101 1 011 0 iiiiiii uuuuu nnnnn ttttt', STP_vs_pre),
  enc('STP_vs_post', 'STP (SIMD&FP), 32-bit post-index', '00 101 1 001 0 iiiiiii uuuuu nnnnn ttttt', STP_vs_post),
  enc('LDNP_vs', 'LDNP (SIMD&FP), 32-bit', '00 101 1 000 1 iiiiiii uuuuu nnnnn ttttt', LDP_vs_off),
  enc('LDP_vs_off', 'LDP (SIMD&FP), 32-bit signed offset', '00 101 1 010 1 iiiiiii uuuuu nnnnn ttttt', LDP_vs_off),
  enc('LDP_vs_pre', 'LDP (SIMD&FP), 32-bit pre-index', '00 101 1 011 1 iiiiiii uuuuu nnnnn ttttt', LDP_vs_pre),
  enc('LDP_vs_post', 'LDP (SIMD&FP), 32-bit post-index', '00 101 1 001 1 iiiiiii uuuuu nnnnn ttttt', LDP_vs_post),
  enc('STNP_vd', 'STNP (SIMD&FP), 64-bit', '01 101 1 000 0 iiiiiii uuuuu nnnnn ttttt', STP_vd_off),
  enc('STP_vd_off', 'STP (SIMD&FP), 64-bit signed offset', '01 101 1 010 0 iiiiiii uuuuu nnnnn ttttt', STP_vd_off),
  enc('STP_vd_pre', 'STP (SIMD&FP), 64-bit pre-index', '01 101 1 011 0 iiiiiii uuuuu nnnnn ttttt', STP_vd_pre),
  enc('STP_vd_post', 'STP (SIMD&FP), 64-bit post-index', '01 101 1 001 0 iiiiiii uuuuu nnnnn ttttt', STP_vd_post),
  enc('LDNP_vd', 'LDNP (SIMD&FP), 64-bit', '01 101 1 000 1 iiiiiii uuuuu nnnnn ttttt', LDP_vd_off),
  enc('LDP_vd_off', 'LDP (SIMD&FP), 64-bit signed offset', '01 101 1 010 1 iiiiiii uuuuu nnnnn ttttt', LDP_vd_off),
  enc('LDP_vd_pre', 'LDP (SIMD&FP), 64-bit pre-index', '01 101 1 011 1 iiiiiii uuuuu nnnnn ttttt', LDP_vd_pre),
  enc('LDP_vd_post', 'LDP (SIMD&FP), 64-bit post-index', '01 101 1 001 1 iiiiiii uuuuu nnnnn ttttt', LDP_vd_post),
  enc('STNP_vq', 'STNP (SIMD&FP), 128-bit', '10 101 1 000 0 iiiiiii uuuuu nnnnn ttttt', STP_vq_off),
  enc('STP_vq_off', 'STP (SIMD&FP), 128-bit signed offset', '10 101 1 010 0 iiiiiii uuuuu nnnnn ttttt', STP_vq_off),
  enc('STP_vq_pre', 'STP (SIMD&FP), 128-bit pre-index', '10 101 1 011 0 iiiiiii uuuuu nnnnn ttttt', STP_vq_pre),
  enc('STP_vq_post', 'STP (SIMD&FP), 128-bit post-index', '10 101 1 001 0 iiiiiii uuuuu nnnnn ttttt', STP_vq_post),
  enc('LDNP_vq', 'LDNP (SIMD&FP), 128-bit', '10 101 1 000 1 iiiiiii uuuuu nnnnn ttttt', LDP_vq_off),
  enc('LDP_vq_off', 'LDP (SIMD&FP), 128-bit signed offset', '10 101 1 010 1 iiiiiii uuuuu nnnnn ttttt', LDP_vq_off),
  enc('LDP_vq_pre', 'LDP (SIMD&FP), 128-bit pre-index', '10 101 1 011 1 iiiiiii uuuuu nnnnn ttttt', LDP_vq_pre),
  enc('LDP_vq_post', 'LDP (SIMD&FP), 128-bit post-index', '10 101 1 001 1 iiiiiii uuuuu nnnnn ttttt', LDP_vq_post),
];
