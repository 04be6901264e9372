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
