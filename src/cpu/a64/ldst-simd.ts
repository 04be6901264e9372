/**
 * Advanced SIMD load/store structures: LD1–LD4 / ST1–ST4 (multiple structures, single lane) and
 * LD1R–LD4R, with no offset, post-index immediate and post-index register forms.
 *
 * Fault rule: a faulting instruction must leave registers unchanged so the signal handler sees the
 * state before it. Every access of one instruction lies in at most 64 contiguous bytes, so when that
 * span crosses a page both pages are translated up front (probe); after that no access can fault, and
 * the elements go straight into the registers.
 */
import { Access } from '../../memory/guest-fault.js';
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { probeCross } from './ldst-address.js';
import { dataAddr, rsp } from './registers.js';
import { SCRATCH } from './simd-lanes.js';
import { splat } from './simd-perm.js';

/** Post-index writeback of the base (register index ni): Rm = 31 adds imm, otherwise X[m] (mod 2^64). */
function postIndex(x: Int32Array, ni: number, m: number, imm: number): void {
  let offLo = imm;
  let offHi = 0;
  if (m !== 31) {
    offLo = x[m << 1];
    offHi = x[(m << 1) + 1];
  }
  const lo = (x[ni] >>> 0) + (offLo >>> 0);
  x[ni + 1] = (x[ni + 1] + offHi + (lo > 0xffffffff ? 1 : 0)) | 0;
  x[ni] = lo | 0;
}

/** Loads one element of 2^size bytes from addr into byte offset o of the register file. */
function loadElem(cpu: Cpu, size: number, addr: number, o: number): void {
  const mem = cpu.mem;
  switch (size) {
    case 0:
      cpu.v8[o] = mem.read8(addr);
      break;
    case 1:
      cpu.v16[o >>> 1] = mem.read16(addr);
      break;
    case 2:
      cpu.v32[o >>> 2] = mem.read32(addr);
      break;
    default:
      mem.read64(addr, cpu.v32, o >>> 2);
  }
}

/** Stores the element of 2^size bytes at byte offset o of the register file to addr. */
function storeElem(cpu: Cpu, size: number, addr: number, o: number): void {
  const mem = cpu.mem;
  switch (size) {
    case 0:
      mem.write8(addr, cpu.v8[o]);
      break;
    case 1:
      mem.write16(addr, cpu.v16[o >>> 1]);
      break;
    case 2:
      mem.write32(addr, cpu.v32[o >>> 2]);
      break;
    default:
      mem.write64(addr, cpu.v32[o >>> 2], cpu.v32[(o >>> 2) + 1]);
  }
}

/** Register count of LD1/ST1 (multiple structures) by opcode (bits 15:12); 0 = not an LD1/ST1 opcode. */
const LD1_REGS = new Int8Array([0, 0, 4, 0, 0, 0, 3, 1, 0, 0, 2, 0, 0, 0, 0, 0]);
/** Structure size (selem) of LD2–LD4/ST2–ST4 by opcode. */
const LDN_SELEM = new Int8Array([4, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]);

/** LD1 (multiple structures): 1–4 consecutive registers filled from contiguous memory. */
export function LD1_mult(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const regs = LD1_REGS[(insn >>> 12) & 15];
  const t = insn & 31;
  const x = cpu.x;
  const ni = rsp((insn >>> 5) & 31);
  const addr = dataAddr(x, ni);
  const step = 8 << q;
  const bytes = regs * step;
  const mem = cpu.mem;
  probeCross(mem, addr, bytes, Access.Read);
  const v32 = cpu.v32;
  for (let r = 0; r < regs; r++) {
    const vi = ((t + r) & 31) << 2;
    const a = addr + r * step;
    mem.read64(a, v32, vi);
    if (q === 1) {
      mem.read64(a + 8, v32, vi + 2);
    } else {
      v32[vi + 2] = 0;
      v32[vi + 3] = 0;
    }
  }
  if ((insn & (1 << 23)) !== 0) postIndex(x, ni, (insn >>> 16) & 31, bytes);
}

/** ST1 (multiple structures): 1–4 consecutive registers stored to contiguous memory. */
export function ST1_mult(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const regs = LD1_REGS[(insn >>> 12) & 15];
  const t = insn & 31;
  const x = cpu.x;
  const ni = rsp((insn >>> 5) & 31);
  const addr = dataAddr(x, ni);
  const step = 8 << q;
  const bytes = regs * step;
  const mem = cpu.mem;
  probeCross(mem, addr, bytes, Access.Write);
  const v32 = cpu.v32;
  for (let r = 0; r < regs; r++) {
    const vi = ((t + r) & 31) << 2;
    const a = addr + r * step;
    mem.write64(a, v32[vi], v32[vi + 1]);
    if (q === 1) mem.write64(a + 8, v32[vi + 2], v32[vi + 3]);
  }
  if ((insn & (1 << 23)) !== 0) postIndex(x, ni, (insn >>> 16) & 31, bytes);
}

/** LD2/LD3/LD4 (multiple structures): de-interleaves selem-element structures into selem registers. */
export function LDn_mult(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const size = (insn >>> 10) & 3;
  if (size === 3 && q === 0) {
    cpu.undefined();
    return;
  }
  const selem = LDN_SELEM[(insn >>> 12) & 15];
  const t = insn & 31;
  const x = cpu.x;
  const ni = rsp((insn >>> 5) & 31);
  const addr = dataAddr(x, ni);
  const elements = (8 << q) >>> size;
  const ebytes = 1 << size;
  const bytes = elements * selem * ebytes;
  probeCross(cpu.mem, addr, bytes, Access.Read);
  // Memory is read 8 bytes at a time into scratch, then each byte goes to its register and lane.
  const v8 = cpu.v8;
  const v32 = cpu.v32;
  const mem = cpu.mem;
  const sb = SCRATCH << 4;
  let off = 0;
  for (let e = 0; e < elements; e++) {
    for (let s = 0; s < selem; s++) {
      const dst = (((t + s) & 31) << 4) + e * ebytes;
      for (let b = 0; b < ebytes; b++, off++) {
        if ((off & 7) === 0) mem.read64(addr + off, v32, SCRATCH << 2);
        v8[dst + b] = v8[sb + (off & 7)];
      }
    }
  }
  if (q === 0) {
    for (let s = 0; s < selem; s++) {
      const vi = ((t + s) & 31) << 2;
      v32[vi + 2] = 0;
      v32[vi + 3] = 0;
    }
  }
  if ((insn & (1 << 23)) !== 0) postIndex(x, ni, (insn >>> 16) & 31, bytes);
}

/** ST2/ST3/ST4 (multiple structures): interleaves selem registers into memory. */
export function STn_mult(cpu: Cpu, insn: number): void {
  const q = (insn >>> 30) & 1;
  const size = (insn >>> 10) & 3;
  if (size === 3 && q === 0) {
    cpu.undefined();
    return;
  }
  const selem = LDN_SELEM[(insn >>> 12) & 15];
  const t = insn & 31;
  const x = cpu.x;
  const ni = rsp((insn >>> 5) & 31);
  const addr = dataAddr(x, ni);
  const elements = (8 << q) >>> size;
  const ebytes = 1 << size;
  const bytes = elements * selem * ebytes;
  probeCross(cpu.mem, addr, bytes, Access.Write);
  // Each 8 bytes of memory are gathered from the registers into scratch and written at once.
  const v8 = cpu.v8;
  const v32 = cpu.v32;
  const mem = cpu.mem;
  const sb = SCRATCH << 4;
  let off = 0;
  for (let e = 0; e < elements; e++) {
    for (let s = 0; s < selem; s++) {
      const src = (((t + s) & 31) << 4) + e * ebytes;
      for (let b = 0; b < ebytes; b++, off++) {
        v8[sb + (off & 7)] = v8[src + b];
        if ((off & 7) === 7) mem.write64(addr + off - 7, v32[SCRATCH << 2], v32[(SCRATCH << 2) + 1]);
      }
    }
  }
  if ((insn & (1 << 23)) !== 0) postIndex(x, ni, (insn >>> 16) & 31, bytes);
}

/**
 * The element size (log2 bytes) and lane index of a single-structure access, packed as
 * size | index << 2, or -1 for the reserved size/S combinations.
 */
function singleLane(insn: number): number {
  const q = (insn >>> 30) & 1;
  const s = (insn >>> 12) & 1;
  const size = (insn >>> 10) & 3;
  switch ((insn >>> 14) & 3) {
    case 0:
      return ((q << 3) | (s << 2) | size) << 2;
    case 1:
      if ((size & 1) !== 0) return -1;
      return (((q << 2) | (s << 1) | (size >>> 1)) << 2) | 1;
    case 2:
      if (size === 0) return (((q << 1) | s) << 2) | 2;
      if (size === 1 && s === 0) return (q << 2) | 3;
      return -1;
    default:
      return -1;
  }
}

/** LD1–LD4 (single structure): loads one lane of selem consecutive registers; other lanes keep their values. */
export function LDn_single(cpu: Cpu, insn: number): void {
  const lane = singleLane(insn);
  if (lane < 0) {
    cpu.undefined();
    return;
  }
  const size = lane & 3;
  const ebytes = 1 << size;
  const index = lane >>> 2;
  const selem = ((((insn >>> 13) & 1) << 1) | ((insn >>> 21) & 1)) + 1;
  const t = insn & 31;
  const x = cpu.x;
  const ni = rsp((insn >>> 5) & 31);
  const addr = dataAddr(x, ni);
  const bytes = selem * ebytes;
  probeCross(cpu.mem, addr, bytes, Access.Read);
  for (let s = 0; s < selem; s++) loadElem(cpu, size, addr + s * ebytes, (((t + s) & 31) << 4) + index * ebytes);
  if ((insn & (1 << 23)) !== 0) postIndex(x, ni, (insn >>> 16) & 31, bytes);
}

/** ST1–ST4 (single structure): stores one lane of selem consecutive registers. */
export function STn_single(cpu: Cpu, insn: number): void {
  const lane = singleLane(insn);
  if (lane < 0) {
    cpu.undefined();
    return;
  }
  const size = lane & 3;
  const ebytes = 1 << size;
  const index = lane >>> 2;
  const selem = ((((insn >>> 13) & 1) << 1) | ((insn >>> 21) & 1)) + 1;
  const t = insn & 31;
  const x = cpu.x;
  const ni = rsp((insn >>> 5) & 31);
  const addr = dataAddr(x, ni);
  const bytes = selem * ebytes;
  probeCross(cpu.mem, addr, bytes, Access.Write);
  for (let s = 0; s < selem; s++) storeElem(cpu, size, addr + s * ebytes, (((t + s) & 31) << 4) + index * ebytes);
  if ((insn & (1 << 23)) !== 0) postIndex(x, ni, (insn >>> 16) & 31, bytes);
}

/** LD1R–LD4R: loads selem consecutive elements and replicates each across all lanes of its register. */
export function LDnR(cpu: Cpu, insn: number): void {
  if ((insn & (1 << 12)) !== 0) {
    cpu.undefined();
    return;
  }
  const q = (insn >>> 30) & 1;
  const size = (insn >>> 10) & 3;
  const ebytes = 1 << size;
  const selem = ((((insn >>> 13) & 1) << 1) | ((insn >>> 21) & 1)) + 1;
  const t = insn & 31;
  const x = cpu.x;
  const ni = rsp((insn >>> 5) & 31);
  const addr = dataAddr(x, ni);
  const bytes = selem * ebytes;
  const mem = cpu.mem;
  probeCross(mem, addr, bytes, Access.Read);
  const v32 = cpu.v32;
  for (let s = 0; s < selem; s++) {
    const r = (t + s) & 31;
    const a = addr + s * ebytes;
    if (size === 3) {
      mem.read64(a, v32, SCRATCH << 2);
      splat(cpu, r, 3, v32[SCRATCH << 2], v32[(SCRATCH << 2) + 1], q);
    } else {
      splat(cpu, r, size, size === 0 ? mem.read8(a) : size === 1 ? mem.read16(a) : mem.read32(a), 0, q);
    }
  }
  if ((insn & (1 << 23)) !== 0) postIndex(x, ni, (insn >>> 16) & 31, bytes);
}

// Bit 23 selects post-index (Rm in 20:16, 31 = immediate); without it bits 20:16 must be zero.
export const LDST_SIMD_ENCODINGS: readonly Encoding[] = [
  enc('ST4_mult', 'ST4 (multiple structures)', '0q0011000 0 000000 0000 zz nnnnn ttttt', STn_mult),
  enc('ST1_mult4', 'ST1 (multiple structures, 4 registers)', '0q0011000 0 000000 0010 zz nnnnn ttttt', ST1_mult),
  enc('ST3_mult', 'ST3 (multiple structures)', '0q0011000 0 000000 0100 zz nnnnn ttttt', STn_mult),
  enc('ST1_mult3', 'ST1 (multiple structures, 3 registers)', '0q0011000 0 000000 0110 zz nnnnn ttttt', ST1_mult),
  enc('ST1_mult1', 'ST1 (multiple structures, 1 register)', '0q0011000 0 000000 0111 zz nnnnn ttttt', ST1_mult),
  enc('ST2_mult', 'ST2 (multiple structures)', '0q0011000 0 000000 1000 zz nnnnn ttttt', STn_mult),
  enc('ST1_mult2', 'ST1 (multiple structures, 2 registers)', '0q0011000 0 000000 1010 zz nnnnn ttttt', ST1_mult),
  enc('LD4_mult', 'LD4 (multiple structures)', '0q0011000 1 000000 0000 zz nnnnn ttttt', LDn_mult),
  enc('LD1_mult4', 'LD1 (multiple structures, 4 registers)', '0q0011000 1 000000 0010 zz nnnnn ttttt', LD1_mult),
  enc('LD3_mult', 'LD3 (multiple structures)', '0q0011000 1 000000 0100 zz nnnnn ttttt', LDn_mult),
  enc('LD1_mult3', 'LD1 (multiple structures, 3 registers)', '0q0011000 1 000000 0110 zz nnnnn ttttt', LD1_mult),
  enc('LD1_mult1', 'LD1 (multiple structures, 1 register)', '0q0011000 1 000000 0111 zz nnnnn ttttt', LD1_mult),
  enc('LD2_mult', 'LD2 (multiple structures)', '0q0011000 1 000000 1000 zz nnnnn ttttt', LDn_mult),
  enc('LD1_mult2', 'LD1 (multiple structures, 2 registers)', '0q0011000 1 000000 1010 zz nnnnn ttttt', LD1_mult),
  enc('ST4_mult_post', 'ST4 (multiple structures, post-index)', '0q0011001 0 0mmmmm 0000 zz nnnnn ttttt', STn_mult),
  enc('ST1_mult4_post', 'ST1 (4 registers, post-index)', '0q0011001 0 0mmmmm 0010 zz nnnnn ttttt', ST1_mult),
  enc('ST3_mult_post', 'ST3 (multiple structures, post-index)', '0q0011001 0 0mmmmm 0100 zz nnnnn ttttt', STn_mult),
  enc('ST1_mult3_post', 'ST1 (3 registers, post-index)', '0q0011001 0 0mmmmm 0110 zz nnnnn ttttt', ST1_mult),
  enc('ST1_mult1_post', 'ST1 (1 register, post-index)', '0q0011001 0 0mmmmm 0111 zz nnnnn ttttt', ST1_mult),
  enc('ST2_mult_post', 'ST2 (multiple structures, post-index)', '0q0011001 0 0mmmmm 1000 zz nnnnn ttttt', STn_mult),
  enc('ST1_mult2_post', 'ST1 (2 registers, post-index)', '0q0011001 0 0mmmmm 1010 zz nnnnn ttttt', ST1_mult),
  enc('LD4_mult_post', 'LD4 (multiple structures, post-index)', '0q0011001 1 0mmmmm 0000 zz nnnnn ttttt', LDn_mult),
  enc('LD1_mult4_post', 'LD1 (4 registers, post-index)', '0q0011001 1 0mmmmm 0010 zz nnnnn ttttt', LD1_mult),
  enc('LD3_mult_post', 'LD3 (multiple structures, post-index)', '0q0011001 1 0mmmmm 0100 zz nnnnn ttttt', LDn_mult),
  enc('LD1_mult3_post', 'LD1 (3 registers, post-index)', '0q0011001 1 0mmmmm 0110 zz nnnnn ttttt', LD1_mult),
  enc('LD1_mult1_post', 'LD1 (1 register, post-index)', '0q0011001 1 0mmmmm 0111 zz nnnnn ttttt', LD1_mult),
  enc('LD2_mult_post', 'LD2 (multiple structures, post-index)', '0q0011001 1 0mmmmm 1000 zz nnnnn ttttt', LDn_mult),
  enc('LD1_mult2_post', 'LD1 (2 registers, post-index)', '0q0011001 1 0mmmmm 1010 zz nnnnn ttttt', LD1_mult),
  // Single structure: bits 15:14 = element size class (B/H/S-or-D), 13:R = selem - 1, 12 = S.
  enc('ST1_single', 'ST1 (single structure)', '0q0011010 0 0 00000 oo0 s zz nnnnn ttttt', STn_single),
  enc('ST2_single', 'ST2 (single structure)', '0q0011010 0 1 00000 oo0 s zz nnnnn ttttt', STn_single),
  enc('ST3_single', 'ST3 (single structure)', '0q0011010 0 0 00000 oo1 s zz nnnnn ttttt', STn_single),
  enc('ST4_single', 'ST4 (single structure)', '0q0011010 0 1 00000 oo1 s zz nnnnn ttttt', STn_single),
  enc('LD1_single', 'LD1 (single structure)', '0q0011010 1 0 00000 oo0 s zz nnnnn ttttt', LDn_single),
  enc('LD2_single', 'LD2 (single structure)', '0q0011010 1 1 00000 oo0 s zz nnnnn ttttt', LDn_single),
  enc('LD3_single', 'LD3 (single structure)', '0q0011010 1 0 00000 oo1 s zz nnnnn ttttt', LDn_single),
  enc('LD4_single', 'LD4 (single structure)', '0q0011010 1 1 00000 oo1 s zz nnnnn ttttt', LDn_single),
  enc('LD1R', 'LD1R', '0q0011010 1 0 00000 110 s zz nnnnn ttttt', LDnR),
  enc('LD2R', 'LD2R', '0q0011010 1 1 00000 110 s zz nnnnn ttttt', LDnR),
  enc('LD3R', 'LD3R', '0q0011010 1 0 00000 111 s zz nnnnn ttttt', LDnR),
  enc('LD4R', 'LD4R', '0q0011010 1 1 00000 111 s zz nnnnn ttttt', LDnR),
  enc('ST1_single_post', 'ST1 (single structure, post-index)', '0q0011011 0 0 mmmmm oo0 s zz nnnnn ttttt', STn_single),
  enc('ST2_single_post', 'ST2 (single structure, post-index)', '0q0011011 0 1 mmmmm oo0 s zz nnnnn ttttt', STn_single),
  enc('ST3_single_post', 'ST3 (single structure, post-index)', '0q0011011 0 0 mmmmm oo1 s zz nnnnn ttttt', STn_single),
  enc('ST4_single_post', 'ST4 (single structure, post-index)', '0q0011011 0 1 mmmmm oo1 s zz nnnnn ttttt', STn_single),
  enc('LD1_single_post', 'LD1 (single structure, post-index)', '0q0011011 1 0 mmmmm oo0 s zz nnnnn ttttt', LDn_single),
  enc('LD2_single_post', 'LD2 (single structure, post-index)', '0q0011011 1 1 mmmmm oo0 s zz nnnnn ttttt', LDn_single),
  enc('LD3_single_post', 'LD3 (single structure, post-index)', '0q0011011 1 0 mmmmm oo1 s zz nnnnn ttttt', LDn_single),
  enc('LD4_single_post', 'LD4 (single structure, post-index)', '0q0011011 1 1 mmmmm oo1 s zz nnnnn ttttt', LDn_single),
  enc('LD1R_post', 'LD1R (post-index)', '0q0011011 1 0 mmmmm 110 s zz nnnnn ttttt', LDnR),
  enc('LD2R_post', 'LD2R (post-index)', '0q0011011 1 1 mmmmm 110 s zz nnnnn ttttt', LDnR),
  enc('LD3R_post', 'LD3R (post-index)', '0q0011011 1 0 mmmmm 111 s zz nnnnn ttttt', LDnR),
  enc('LD4R_post', 'LD4R (post-index)', '0q0011011 1 1 mmmmm 111 s zz nnnnn ttttt', LDnR),
];
