/**
 * Integer arithmetic with NZCV on the register file's 32-bit halves (see registers.ts), shared by
 * the immediate and register data-processing classes. Each helper is small so V8 inlines it into the
 * handlers; nothing allocates.
 *
 * Subtraction is addition of the complement with carry-in 1 (a - b = a + ~b + 1), exactly as the
 * architecture defines SUBS/SBCS/CMP, so one adder gives the right C and V for every form.
 */
import type { Cpu } from './cpu.js';

/** x[d] = a + b + cin (32-bit, high half zeroed) and NZCV from the addition. */
export function adds32(cpu: Cpu, d: number, a: number, b: number, cin: number): void {
  const u = (a >>> 0) + (b >>> 0) + cin;
  const r = u | 0;
  cpu.nf = r >>> 31;
  cpu.zf = r === 0 ? 1 : 0;
  cpu.cf = u > 0xffffffff ? 1 : 0;
  cpu.vf = (~(a ^ b) & (a ^ r)) >>> 31;
  const x = cpu.x;
  x[d] = r;
  x[d + 1] = 0;
}

/** x[d] = (ahi:alo) + (bhi:blo) + cin (64-bit) and NZCV from the addition. */
export function adds64(cpu: Cpu, d: number, alo: number, ahi: number, blo: number, bhi: number, cin: number): void {
  const ul = (alo >>> 0) + (blo >>> 0) + cin;
  const uh = (ahi >>> 0) + (bhi >>> 0) + (ul > 0xffffffff ? 1 : 0);
  const rlo = ul | 0;
  const rhi = uh | 0;
  cpu.nf = rhi >>> 31;
  cpu.zf = (rlo | rhi) === 0 ? 1 : 0;
  cpu.cf = uh > 0xffffffff ? 1 : 0;
  cpu.vf = (~(ahi ^ bhi) & (ahi ^ rhi)) >>> 31;
  const x = cpu.x;
  x[d] = rlo;
  x[d + 1] = rhi;
}

/** x[d] = (ahi:alo) + (bhi:blo) + cin (64-bit), flags untouched. */
export function add64(x: Int32Array, d: number, alo: number, ahi: number, blo: number, bhi: number, cin: number): void {
  const ul = (alo >>> 0) + (blo >>> 0) + cin;
  x[d + 1] = (ahi + bhi + (ul > 0xffffffff ? 1 : 0)) | 0;
  x[d] = ul | 0;
}

/** NZ from a 32-bit logical result, C and V cleared (ANDS/BICS/TST). */
export function logicFlags32(cpu: Cpu, r: number): void {
  cpu.nf = r >>> 31;
  cpu.zf = r === 0 ? 1 : 0;
  cpu.cf = 0;
  cpu.vf = 0;
}

/** NZ from a 64-bit logical result, C and V cleared. */
export function logicFlags64(cpu: Cpu, lo: number, hi: number): void {
  cpu.nf = hi >>> 31;
  cpu.zf = (lo | hi) === 0 ? 1 : 0;
  cpu.cf = 0;
  cpu.vf = 0;
}

/**
 * Result of the 64-bit shift helpers below: [0] low half, [1] high half. A module-level scratch
 * (never allocated per call) because a function cannot return two numbers without an object.
 */
export const R64 = new Int32Array(2);

/** R64 = (hi:lo) << s, s in 0..63. */
export function lsl64(lo: number, hi: number, s: number): void {
  if (s === 0) {
    R64[0] = lo;
    R64[1] = hi;
  } else if (s < 32) {
    R64[0] = lo << s;
    R64[1] = (hi << s) | (lo >>> (32 - s));
  } else {
    R64[0] = 0;
    R64[1] = lo << (s - 32);
  }
}

/** R64 = (hi:lo) >>> s (logical), s in 0..63. */
export function lsr64(lo: number, hi: number, s: number): void {
  if (s === 0) {
    R64[0] = lo;
    R64[1] = hi;
  } else if (s < 32) {
    R64[0] = (lo >>> s) | (hi << (32 - s));
    R64[1] = hi >>> s;
  } else {
    R64[0] = hi >>> (s - 32);
    R64[1] = 0;
  }
}

/** R64 = (hi:lo) >> s (arithmetic), s in 0..63. */
export function asr64(lo: number, hi: number, s: number): void {
  if (s === 0) {
    R64[0] = lo;
    R64[1] = hi;
  } else if (s < 32) {
    R64[0] = (lo >>> s) | (hi << (32 - s));
    R64[1] = hi >> s;
  } else {
    R64[0] = hi >> (s - 32);
    R64[1] = hi >> 31;
  }
}

/** R64 = (hi:lo) rotated right by s, s in 0..63. */
export function ror64(lo: number, hi: number, s: number): void {
  if (s >= 32) {
    const t = lo;
    lo = hi;
    hi = t;
    s -= 32;
  }
  if (s === 0) {
    R64[0] = lo;
    R64[1] = hi;
  } else {
    R64[0] = (lo >>> s) | (hi << (32 - s));
    R64[1] = (hi >>> s) | (lo << (32 - s));
  }
}

/** R64 = (hi:lo) shifted by type (0 LSL, 1 LSR, 2 ASR, 3 ROR) and amount s in 0..63. */
export function shift64(lo: number, hi: number, type: number, s: number): void {
  if (type === 0) lsl64(lo, hi, s);
  else if (type === 1) lsr64(lo, hi, s);
  else if (type === 2) asr64(lo, hi, s);
  else ror64(lo, hi, s);
}

/** v shifted by type (0 LSL, 1 LSR, 2 ASR, 3 ROR) and amount s in 0..31, as int32. */
export function shift32(v: number, type: number, s: number): number {
  if (type === 0) return v << s;
  if (type === 1) return v >>> s;
  if (type === 2) return v >> s;
  // For s = 0 both shifts below are by 0 (JS masks counts to 5 bits), giving v.
  return (v >>> s) | (v << (32 - s));
}
