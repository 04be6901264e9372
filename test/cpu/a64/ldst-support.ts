/** Memory helpers shared by the load/store tests (BigInt is fine in tests). */
import type { Cpu } from '../../../src/cpu/a64/cpu.js';

/** Writes bytes at a guest address. */
export function poke(cpu: Cpu, addr: number, bytes: number[]): void {
  for (let i = 0; i < bytes.length; i++) cpu.mem.write8(addr + i, bytes[i]!);
}

/** Writes a 64-bit little-endian value. */
export function poke64(cpu: Cpu, addr: number, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  cpu.mem.write64(addr, Number(u & 0xffffffffn) | 0, Number(u >> 32n) | 0);
}

/** Reads a 64-bit little-endian value as unsigned BigInt. */
export function peek64(cpu: Cpu, addr: number): bigint {
  const d = new Int32Array(2);
  cpu.mem.read64(addr, d, 0);
  return (BigInt(d[1]! >>> 0) << 32n) | BigInt(d[0]! >>> 0);
}

/** Reads len bytes. */
export function peek(cpu: Cpu, addr: number, len: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < len; i++) out.push(cpu.mem.read8(addr + i));
  return out;
}

/** Fills len bytes with 0x00, 0x11, 0x22… (byte i = (i * 0x11) & 0xff) starting at addr. */
export function pattern(cpu: Cpu, addr: number, len: number): void {
  for (let i = 0; i < len; i++) cpu.mem.write8(addr + i, (i * 0x11) & 0xff);
}

/** Sets vector register n from 16 bytes. */
export function setV(cpu: Cpu, n: number, bytes: number[]): void {
  cpu.v8.set(bytes, n * 16);
}
