/**
 * Data processing (1 source): RBIT, REV16, REV32, REV, CLZ, CLS. Handlers only; their rows are in dp-reg.ts.
 */
import type { Cpu } from './cpu.js';
import { rz, wz } from './registers.js';

function rbit32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return (v >>> 16) | (v << 16);
}

function bswap32(v: number): number {
  return (v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24) | 0;
}

function rev16(v: number): number {
  return ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
}

/** RBIT, 32-bit. */
export function RBIT_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = rbit32(x[rz((insn >>> 5) & 31)]!);
  x[d + 1] = 0;
}

/** RBIT, 64-bit: the halves swap as well. */
export function RBIT_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const lo = x[n]!;
  const hi = x[n + 1]!;
  const d = wz(insn & 31);
  x[d] = rbit32(hi);
  x[d + 1] = rbit32(lo);
}

/** REV16, 32-bit. */
export function REV16_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = rev16(x[rz((insn >>> 5) & 31)]!);
  x[d + 1] = 0;
}

/** REV16, 64-bit. */
export function REV16_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const lo = x[n]!;
  const hi = x[n + 1]!;
  const d = wz(insn & 31);
  x[d] = rev16(lo);
  x[d + 1] = rev16(hi);
}

/** REV, 32-bit. */
export function REV_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = bswap32(x[rz((insn >>> 5) & 31)]!);
  x[d + 1] = 0;
}

/** REV32: reverses the bytes of each 32-bit word. */
export function REV32(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const lo = x[n]!;
  const hi = x[n + 1]!;
  const d = wz(insn & 31);
  x[d] = bswap32(lo);
  x[d + 1] = bswap32(hi);
}

/** REV, 64-bit. */
export function REV_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const lo = x[n]!;
  const hi = x[n + 1]!;
  const d = wz(insn & 31);
  x[d] = bswap32(hi);
  x[d + 1] = bswap32(lo);
}

/** CLZ, 32-bit. */
export function CLZ_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = Math.clz32(x[rz((insn >>> 5) & 31)]!);
  x[d + 1] = 0;
}

/** CLZ, 64-bit. */
export function CLZ_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const hi = x[n + 1]!;
  const d = wz(insn & 31);
  x[d] = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(x[n]!);
  x[d + 1] = 0;
}

/** CLS, 32-bit: leading bits equal to the sign bit, not counting the sign bit = CLZ(v ^ (v >> 1)) - 1. */
export function CLS_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const v = x[rz((insn >>> 5) & 31)]!;
  const d = wz(insn & 31);
  x[d] = Math.clz32(v ^ (v >> 1)) - 1;
  x[d + 1] = 0;
}

/** CLS, 64-bit. */
export function CLS_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const lo = x[n]!;
  const hi = x[n + 1]!;
  const vhi = hi ^ (hi >> 1);
  const vlo = lo ^ ((lo >>> 1) | (hi << 31));
  const d = wz(insn & 31);
  x[d] = (vhi !== 0 ? Math.clz32(vhi) : 32 + Math.clz32(vlo)) - 1;
  x[d + 1] = 0;
}
