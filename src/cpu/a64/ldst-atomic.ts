/**
 * FEAT_LSE atomics: LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN (and their ST* aliases,
 * which are the same encodings with Rt = XZR), SWP, CAS and CASP, each with the A/L/AL ordering
 * variants and the B/H/W/X sizes. The interpreter runs one task at a time, so a read-modify-write is
 * atomic as long as it completes within the instruction; ordering variants need nothing extra.
 * Memory is read, then written, and only then are registers set, so a fault changes no register.
 * Accesses must be aligned to their size (no FEAT_LSE2), or Linux raises SIGBUS BUS_ADRALN.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { baseAddr, misaligned } from './ldst-address.js';
import { rz, wz } from './registers.js';

/** Scratch for 64- and 128-bit reads. */
const tmp = new Int32Array(4);

/** Reads 1, 2 or 4 bytes (size 0..2), zero-extended (the 4-byte value as int32). */
function read(cpu: Cpu, a: number, size: number): number {
  const mem = cpu.mem;
  return size === 0 ? mem.read8(a) : size === 1 ? mem.read16(a) : mem.read32(a);
}

/** Writes the low 1, 2 or 4 bytes (size 0..2) of v. */
function write(cpu: Cpu, a: number, size: number, v: number): void {
  const mem = cpu.mem;
  if (size === 0) mem.write8(a, v);
  else if (size === 1) mem.write16(a, v);
  else mem.write32(a, v);
}

/** Signed 64-bit a > b, on halves. */
function gtS64(ahi: number, alo: number, bhi: number, blo: number): boolean {
  return ahi > bhi || (ahi === bhi && alo >>> 0 > blo >>> 0);
}

/** Unsigned 64-bit a > b, on halves. */
function gtU64(ahi: number, alo: number, bhi: number, blo: number): boolean {
  return ahi >>> 0 > bhi >>> 0 || (ahi === bhi && alo >>> 0 > blo >>> 0);
}

/**
 * LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN (opc = bits 14:12): [Xn] = old op Rs,
 * Rt = old (zero-extended for B/H/W).
 */
function LDop(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const size = insn >>> 30;
  const a = baseAddr(x, insn);
  if (misaligned(cpu, a, 1 << size)) return;
  const op = (insn >>> 12) & 7;
  const s = rz((insn >>> 16) & 31);
  const t = wz(insn & 31);
  if (size === 3) {
    const mem = cpu.mem;
    mem.read64(a, tmp, 0);
    const olo = tmp[0]!;
    const ohi = tmp[1]!;
    const slo = x[s]!;
    const shi = x[s + 1]!;
    let nlo: number;
    let nhi: number;
    switch (op) {
      case 0: {
        const sum = (olo >>> 0) + (slo >>> 0);
        nlo = sum | 0;
        nhi = (ohi + shi + (sum > 0xffffffff ? 1 : 0)) | 0;
        break;
      }
      case 1:
        nlo = olo & ~slo;
        nhi = ohi & ~shi;
        break;
      case 2:
        nlo = olo ^ slo;
        nhi = ohi ^ shi;
        break;
      case 3:
        nlo = olo | slo;
        nhi = ohi | shi;
        break;
      default: {
        // 4 SMAX, 5 SMIN, 6 UMAX, 7 UMIN: take Rs when it is greater (MAX) or smaller (MIN).
        const greater = op < 6 ? gtS64(shi, slo, ohi, olo) : gtU64(shi, slo, ohi, olo);
        const takeS = (op & 1) === 0 ? greater : !greater && (shi !== ohi || slo !== olo);
        nlo = takeS ? slo : olo;
        nhi = takeS ? shi : ohi;
      }
    }
    mem.write64(a, nlo, nhi);
    x[t] = olo;
    x[t + 1] = ohi;
    return;
  }
  const old = read(cpu, a, size);
  const sv = x[s]!;
  let nv: number;
  switch (op) {
    case 0:
      nv = old + sv;
      break;
    case 1:
      nv = old & ~sv;
      break;
    case 2:
      nv = old ^ sv;
      break;
    case 3:
      nv = old | sv;
      break;
    case 4:
    case 5: {
      const sh = 32 - (8 << size);
      const so = (old << sh) >> sh;
      const ss = (sv << sh) >> sh;
      nv = op === 4 ? Math.max(ss, so) : Math.min(ss, so);
      break;
    }
    default: {
      const m = size === 2 ? -1 : (1 << (8 << size)) - 1;
      const uo = (old & m) >>> 0;
      const us = (sv & m) >>> 0;
      nv = op === 6 ? Math.max(us, uo) : Math.min(us, uo);
    }
  }
  write(cpu, a, size, nv);
  x[t] = old;
  x[t + 1] = 0;
}

/** SWP: [Xn] = Rs, Rt = old. */
function SWP(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const size = insn >>> 30;
  const a = baseAddr(x, insn);
  if (misaligned(cpu, a, 1 << size)) return;
  const s = rz((insn >>> 16) & 31);
  const t = wz(insn & 31);
  if (size === 3) {
    const mem = cpu.mem;
    mem.read64(a, tmp, 0);
    mem.write64(a, x[s]!, x[s + 1]!);
    x[t] = tmp[0]!;
    x[t + 1] = tmp[1]!;
    return;
  }
  const old = read(cpu, a, size);
  write(cpu, a, size, x[s]!);
  x[t] = old;
  x[t + 1] = 0;
}

/** CAS: if [Xn] == Rs then [Xn] = Rt; Rs = old either way. */
function CAS(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const size = insn >>> 30;
  const a = baseAddr(x, insn);
  if (misaligned(cpu, a, 1 << size)) return;
  const rs = (insn >>> 16) & 31;
  const s = rz(rs);
  const t = rz(insn & 31);
  const ws = wz(rs);
  if (size === 3) {
    const mem = cpu.mem;
    mem.read64(a, tmp, 0);
    const olo = tmp[0]!;
    const ohi = tmp[1]!;
    if (olo === x[s] && ohi === x[s + 1]) mem.write64(a, x[t]!, x[t + 1]!);
    x[ws] = olo;
    x[ws + 1] = ohi;
    return;
  }
  const old = read(cpu, a, size);
  const m = size === 2 ? -1 : (1 << (8 << size)) - 1;
  if (old === (x[s]! & m)) write(cpu, a, size, x[t]!);
  x[ws] = old;
  x[ws + 1] = 0;
}

/**
 * CASP: compares the pair Rs:Rs+1 with two words or doublewords at [Xn] (Rs at the lower address)
 * and stores Rt:Rt+1 if equal; Rs:Rs+1 = old either way. Odd Rs or Rt is CONSTRAINED UNPREDICTABLE:
 * treated as undefined.
 */
function CASP(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const rs = (insn >>> 16) & 31;
  const rt = insn & 31;
  if (((rs | rt) & 1) !== 0) {
    cpu.undefined();
    return;
  }
  const is64 = (insn & 0x40000000) !== 0;
  const a = baseAddr(x, insn);
  if (misaligned(cpu, a, is64 ? 16 : 8)) return;
  const mem = cpu.mem;
  const s = rz(rs);
  const s2 = rz(rs + 1);
  const t = rz(rt);
  const t2 = rz(rt + 1);
  const ws = wz(rs);
  const ws2 = wz(rs + 1);
  // Aligned, so the whole pair is in one page: the first access faults or none does.
  mem.read64(a, tmp, 0);
  if (is64) {
    mem.read64(a + 8, tmp, 2);
    if (tmp[0] === x[s] && tmp[1] === x[s + 1] && tmp[2] === x[s2] && tmp[3] === x[s2 + 1]) {
      mem.write64(a, x[t]!, x[t + 1]!);
      mem.write64(a + 8, x[t2]!, x[t2 + 1]!);
    }
    x[ws] = tmp[0]!;
    x[ws + 1] = tmp[1]!;
    x[ws2] = tmp[2]!;
    x[ws2 + 1] = tmp[3]!;
  } else {
    if (tmp[0] === x[s] && tmp[1] === x[s2]) mem.write64(a, x[t]!, x[t2]!);
    x[ws] = tmp[0]!;
    x[ws + 1] = 0;
    x[ws2] = tmp[1]!;
    x[ws2 + 1] = 0;
  }
}

// Atomic memory operations: size(2) 111 V=0 00 A R 1 Rs o3 opc(3) 00 Rn Rt; o3 = 1 with opc 000 is SWP
// (opc 100 is LDAPR, FEAT_LRCPC, not advertised). CAS and CASP sit in the exclusives space:
// size 001000 o2 L o1 Rs o0 Rt2 Rn Rt with o2 = 1, o1 = 1 (CAS) or o2 = 0, o1 = 1, size 0x (CASP).
export const LDST_ATOMIC_ENCODINGS: readonly Encoding[] = [
  enc('LDADD', 'LDADD{A,L,AL}{B,H}', 'zz 111 0 00 a r 1 sssss 0 000 00 nnnnn ttttt', LDop),
  enc('LDCLR', 'LDCLR{A,L,AL}{B,H}', 'zz 111 0 00 a r 1 sssss 0 001 00 nnnnn ttttt', LDop),
  enc('LDEOR', 'LDEOR{A,L,AL}{B,H}', 'zz 111 0 00 a r 1 sssss 0 010 00 nnnnn ttttt', LDop),
  enc('LDSET', 'LDSET{A,L,AL}{B,H}', 'zz 111 0 00 a r 1 sssss 0 011 00 nnnnn ttttt', LDop),
  enc('LDSMAX', 'LDSMAX{A,L,AL}{B,H}', 'zz 111 0 00 a r 1 sssss 0 100 00 nnnnn ttttt', LDop),
  enc('LDSMIN', 'LDSMIN{A,L,AL}{B,H}', 'zz 111 0 00 a r 1 sssss 0 101 00 nnnnn ttttt', LDop),
  enc('LDUMAX', 'LDUMAX{A,L,AL}{B,H}', 'zz 111 0 00 a r 1 sssss 0 110 00 nnnnn ttttt', LDop),
  enc('LDUMIN', 'LDUMIN{A,L,AL}{B,H}', 'zz 111 0 00 a r 1 sssss 0 111 00 nnnnn ttttt', LDop),
  enc('SWP', 'SWP{A,L,AL}{B,H}', 'zz 111 0 00 a r 1 sssss 1 000 00 nnnnn ttttt', SWP),
  enc('CAS', 'CAS{A,L,AL}{B,H}', 'zz 001000 1 a 1 sssss r uuuuu nnnnn ttttt', CAS),
  enc('CASP', 'CASP{A,L,AL}', '0z 001000 0 a 1 sssss r uuuuu nnnnn ttttt', CASP),
];
