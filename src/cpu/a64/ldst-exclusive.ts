/**
 * Exclusive and ordered loads and stores: LDXR/LDAXR, STXR/STLXR (B, H, W, X), the pair forms
 * LDXP/LDAXP/STXP/STLXP, and LDAR/STLR (B, H, W, X).
 *
 * The interpreter runs one task at a time, so barriers and acquire/release ordering are free. The
 * local monitor lives on the Cpu: a load-exclusive arms it with the address, size and loaded value;
 * a store-exclusive succeeds (status 0) only if it is armed for the same address and size and memory
 * still holds that value, because another task may have run in between (after a time slice or a
 * syscall); any store-exclusive then clears the monitor, as does CLREX. The value of a 128-bit pair
 * does not fit exclLo/exclHi: its second doubleword is kept in this module, tagged with the Cpu that
 * loaded it (vbuf's scratch bytes would not do: SIMD handlers overwrite them). A STXP on another Cpu
 * than the tag's simply fails, which the retry loop around every store-exclusive absorbs.
 * Every access here must be aligned to its size (the pairs to their total size), or Linux raises SIGBUS.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { baseAddr, misaligned } from './ldst-address.js';
import { rz, wz } from './registers.js';

/** The second doubleword loaded by the last 128-bit LDXP, and the Cpu that loaded it. */
const pairHi = new Int32Array(2);
let pairOwner: Cpu | null = null;

/** Scratch for 64- and 128-bit reads, so a fault leaves registers unchanged. */
const tmp = new Int32Array(4);

/** Reads the (zero-extended) value of 1 << size bytes at a into tmp[0] (and tmp[1] for 8 bytes). */
function readSized(cpu: Cpu, a: number, size: number): void {
  const mem = cpu.mem;
  switch (size) {
    case 0:
      tmp[0] = mem.read8(a);
      tmp[1] = 0;
      break;
    case 1:
      tmp[0] = mem.read16(a);
      tmp[1] = 0;
      break;
    case 2:
      tmp[0] = mem.read32(a);
      tmp[1] = 0;
      break;
    default:
      mem.read64(a, tmp, 0);
  }
}

/** Writes the low 1 << size bytes of general register index i (already rz-mapped) to a. */
function writeSized(cpu: Cpu, a: number, size: number, i: number): void {
  const mem = cpu.mem;
  const x = cpu.x;
  switch (size) {
    case 0:
      mem.write8(a, x[i]!);
      break;
    case 1:
      mem.write16(a, x[i]!);
      break;
    case 2:
      mem.write32(a, x[i]!);
      break;
    default:
      mem.write64(a, x[i]!, x[i + 1]!);
  }
}

/** LDXRB, LDXRH, LDXR (and the LDAXR forms): load and arm the monitor. */
function LDXR(cpu: Cpu, insn: number): void {
  const size = insn >>> 30;
  const a = baseAddr(cpu.x, insn);
  if (misaligned(cpu, a, 1 << size)) return;
  readSized(cpu, a, size);
  const lo = tmp[0]!;
  const hi = tmp[1]!;
  cpu.exclAddr = a;
  cpu.exclSize = 1 << size;
  cpu.exclLo = lo;
  cpu.exclHi = hi;
  const x = cpu.x;
  const t = wz(insn & 31);
  x[t] = lo;
  x[t + 1] = hi;
}

/** STXRB, STXRH, STXR (and the STLXR forms): Ws = 0 if stored, 1 if not. */
function STXR(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const size = insn >>> 30;
  const a = baseAddr(x, insn);
  if (misaligned(cpu, a, 1 << size)) return;
  let status = 1;
  if (cpu.exclAddr === a && cpu.exclSize === 1 << size) {
    readSized(cpu, a, size);
    if (tmp[0] === cpu.exclLo && tmp[1] === cpu.exclHi) {
      writeSized(cpu, a, size, rz(insn & 31));
      status = 0;
    }
  }
  cpu.exclAddr = -1;
  const s = wz((insn >>> 16) & 31);
  x[s] = status;
  x[s + 1] = 0;
}

/** LDXP/LDAXP: a pair of words (8 bytes) or doublewords (16 bytes, sz = bit 30), single-copy atomic. */
function LDXP(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const mem = cpu.mem;
  const is64 = (insn & 0x40000000) !== 0;
  const a = baseAddr(x, insn);
  if (misaligned(cpu, a, is64 ? 16 : 8)) return;
  // Aligned, so both halves are in one page: the first read faults or neither does.
  mem.read64(a, tmp, 0);
  if (is64) mem.read64(a + 8, tmp, 2);
  cpu.exclAddr = a;
  cpu.exclSize = is64 ? 16 : 8;
  cpu.exclLo = tmp[0]!;
  cpu.exclHi = tmp[1]!;
  const t = wz(insn & 31);
  const t2 = wz((insn >>> 10) & 31);
  if (is64) {
    pairHi[0] = tmp[2]!;
    pairHi[1] = tmp[3]!;
    pairOwner = cpu;
    x[t] = tmp[0]!;
    x[t + 1] = tmp[1]!;
    x[t2] = tmp[2]!;
    x[t2 + 1] = tmp[3]!;
  } else {
    x[t] = tmp[0]!;
    x[t + 1] = 0;
    x[t2] = tmp[1]!;
    x[t2 + 1] = 0;
  }
}

/** STXP/STLXP: stores Rt (lower address) and Rt2 if the monitor and memory still match. */
function STXP(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const mem = cpu.mem;
  const is64 = (insn & 0x40000000) !== 0;
  const bytes = is64 ? 16 : 8;
  const a = baseAddr(x, insn);
  if (misaligned(cpu, a, bytes)) return;
  let status = 1;
  if (cpu.exclAddr === a && cpu.exclSize === bytes) {
    mem.read64(a, tmp, 0);
    let same = tmp[0] === cpu.exclLo && tmp[1] === cpu.exclHi;
    if (same && is64) {
      mem.read64(a + 8, tmp, 2);
      same = pairOwner === cpu && tmp[2] === pairHi[0] && tmp[3] === pairHi[1];
    }
    if (same) {
      const t = rz(insn & 31);
      const t2 = rz((insn >>> 10) & 31);
      if (is64) {
        mem.write64(a, x[t]!, x[t + 1]!);
        mem.write64(a + 8, x[t2]!, x[t2 + 1]!);
      } else {
        mem.write64(a, x[t]!, x[t2]!);
      }
      status = 0;
    }
  }
  cpu.exclAddr = -1;
  const s = wz((insn >>> 16) & 31);
  x[s] = status;
  x[s + 1] = 0;
}

/** LDARB, LDARH, LDAR: an aligned load (acquire ordering is implicit in a single-threaded interpreter). */
function LDAR(cpu: Cpu, insn: number): void {
  const size = insn >>> 30;
  const a = baseAddr(cpu.x, insn);
  if (misaligned(cpu, a, 1 << size)) return;
  readSized(cpu, a, size);
  const x = cpu.x;
  const t = wz(insn & 31);
  x[t] = tmp[0]!;
  x[t + 1] = tmp[1]!;
}

/** STLRB, STLRH, STLR: an aligned store. */
function STLR(cpu: Cpu, insn: number): void {
  const size = insn >>> 30;
  const a = baseAddr(cpu.x, insn);
  if (misaligned(cpu, a, 1 << size)) return;
  writeSized(cpu, a, size, rz(insn & 31));
}

// Pattern: size(2) 001000 o2 L o1 Rs o0 Rt2 Rn Rt. o2 = 0, o1 = 0: single exclusives (o0 = acquire or
// release); o2 = 0, o1 = 1, size 1x: exclusive pairs (size 0x is CASP, in ldst-atomic.ts); o2 = 1, o1 = 0,
// o0 = 1: LDAR/STLR (o0 = 0 is LDLAR/STLLR, FEAT_LOR, not advertised); o2 = 1, o1 = 1: CAS.
// The should-be-one Rs and Rt2 fields are not checked.
export const LDST_EXCLUSIVE_ENCODINGS: readonly Encoding[] = [
  enc('STXR', 'STXRB, STXRH, STXR', 'zz 001000 0 0 0 sssss 0 uuuuu nnnnn ttttt', STXR),
  enc('STLXR', 'STLXRB, STLXRH, STLXR', 'zz 001000 0 0 0 sssss 1 uuuuu nnnnn ttttt', STXR),
  enc('LDXR', 'LDXRB, LDXRH, LDXR', 'zz 001000 0 1 0 sssss 0 uuuuu nnnnn ttttt', LDXR),
  enc('LDAXR', 'LDAXRB, LDAXRH, LDAXR', 'zz 001000 0 1 0 sssss 1 uuuuu nnnnn ttttt', LDXR),
  enc('STXP', 'STXP', '1z 001000 0 0 1 sssss 0 uuuuu nnnnn ttttt', STXP),
  enc('STLXP', 'STLXP', '1z 001000 0 0 1 sssss 1 uuuuu nnnnn ttttt', STXP),
  enc('LDXP', 'LDXP', '1z 001000 0 1 1 sssss 0 uuuuu nnnnn ttttt', LDXP),
  enc('LDAXP', 'LDAXP', '1z 001000 0 1 1 sssss 1 uuuuu nnnnn ttttt', LDXP),
  enc('STLR', 'STLRB, STLRH, STLR', 'zz 001000 1 0 0 sssss 1 uuuuu nnnnn ttttt', STLR),
  enc('LDAR', 'LDARB, LDARH, LDAR', 'zz 001000 1 1 0 sssss 1 uuuuu nnnnn ttttt', LDAR),
];
