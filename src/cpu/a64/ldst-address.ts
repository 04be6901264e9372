/**
 * Addressing for the A64 loads and stores: base register (31 = SP), scaled and unscaled immediates,
 * register offsets with extend and shift, base writeback, literals, and the alignment check of
 * exclusive, ordered and atomic accesses. Every helper is small so V8 inlines it into the handlers.
 * Addresses are plain numbers with the top byte ignored (Linux enables TBI for user data accesses).
 */
import type { AddressSpace } from '../../memory/address-space.js';
import { Access } from '../../memory/guest-fault.js';
import type { Cpu } from './cpu.js';
import { Exit } from './exits.js';

const TWO32 = 4294967296;

/** The address in the base register Rn (bits 9:5; 31 = SP), top byte dropped. */
export function baseAddr(x: Int32Array, insn: number): number {
  const n = (insn >>> 4) & 62;
  return (x[n + 1]! & 0xffffff) * TWO32 + (x[n]! >>> 0);
}

/** Base plus the unsigned 12-bit immediate (bits 21:10) scaled by the access size (1 << scale). */
export function uoffAddr(x: Int32Array, insn: number, scale: number): number {
  const n = (insn >>> 4) & 62;
  return (x[n + 1]! & 0xffffff) * TWO32 + (x[n]! >>> 0) + (((insn >>> 10) & 0xfff) << scale);
}

/** The signed 9-bit immediate (bits 20:12) of the unscaled, pre- and post-indexed forms. */
export function simm9(insn: number): number {
  return (insn << 11) >> 23;
}

/** The signed 7-bit immediate (bits 21:15) of the pair forms, scaled by the register size (1 << scale). */
export function pairOff(insn: number, scale: number): number {
  return ((insn << 10) >> 25) << scale;
}

/**
 * Base plus register offset: Rm (bits 20:16, 31 = XZR) extended by option (bits 15:13: 010 UXTW,
 * 011 LSL, 110 SXTW, 111 SXTX; the rows only match those) and shifted left by scale when S (bit 12)
 * is set. The sum is formed on 32-bit halves so that a negative or full 64-bit index wraps as in
 * hardware before the top byte is dropped.
 */
export function regAddr(x: Int32Array, insn: number, scale: number): number {
  const n = (insn >>> 4) & 62;
  const rm = (insn >>> 16) & 31;
  let lo = 0;
  let hi = 0;
  if (rm !== 31) {
    lo = x[rm << 1]!;
    hi = (insn & 0x2000) !== 0 ? x[(rm << 1) + 1]! : (insn & 0x8000) !== 0 ? lo >> 31 : 0;
  }
  if (scale !== 0 && (insn & 0x1000) !== 0) {
    hi = (hi << scale) | (lo >>> (32 - scale));
    lo <<= scale;
  }
  const sumLo = (x[n]! >>> 0) + (lo >>> 0);
  const sumHi = x[n + 1]! + hi + (sumLo > 0xffffffff ? 1 : 0);
  return (sumHi & 0xffffff) * TWO32 + (sumLo >>> 0);
}

/** Adds off (a small signed number) to the 64-bit base register Rn: base writeback, which keeps the tag byte. */
export function addToBase(x: Int32Array, insn: number, off: number): void {
  const n = (insn >>> 4) & 62;
  const lo = (x[n]! >>> 0) + off;
  x[n] = lo | 0;
  if (lo > 0xffffffff) x[n + 1] = (x[n + 1]! + 1) | 0;
  else if (lo < 0) x[n + 1] = (x[n + 1]! - 1) | 0;
}

/**
 * Writeback after a single-register load that already wrote Rt. Rn == Rt is CONSTRAINED
 * UNPREDICTABLE; the loaded value wins (Rt 31 is XZR and Rn 31 is SP, so those never collide).
 */
export function loadWriteback(x: Int32Array, insn: number, off: number): void {
  const t = insn & 31;
  if (t !== ((insn >>> 5) & 31) || t === 31) addToBase(x, insn, off);
}

/** The target of a literal load: pc plus the signed 19-bit word offset (bits 23:5). */
export function literalAddr(cpu: Cpu, insn: number): number {
  return cpu.pc + ((insn << 8) >> 13) * 4;
}

/**
 * Exclusive, acquire/release and atomic accesses must be aligned to their size (no FEAT_LSE2): Linux
 * delivers SIGBUS BUS_ADRALN with the address. Returns true (after raising the exit) when misaligned.
 */
export function misaligned(cpu: Cpu, a: number, bytes: number): boolean {
  if ((a & (bytes - 1)) === 0) return false;
  cpu.exit = Exit.DataAlign;
  cpu.exitInfo = a;
  return true;
}

/**
 * Before an access of len bytes at a (len <= 4096) that crosses a page boundary: translates the
 * first page, then the second. Nothing is stored by a store that faults, and a fault reports the
 * lowest faulting address (the start, or the first byte of the second page), as Linux and
 * qemu-aarch64 report it; the memory layer's multi-byte writes would check the last byte first.
 */
export function probeCross(mem: AddressSpace, a: number, len: number, access: Access): void {
  const off = a & 4095;
  if (off > 4096 - len) {
    mem.translate(a, access);
    mem.translate(a - off + 4096, access);
  }
}

/** probeCross for a store. */
export function storeCross(mem: AddressSpace, a: number, len: number): void {
  probeCross(mem, a, len, Access.Write);
}
