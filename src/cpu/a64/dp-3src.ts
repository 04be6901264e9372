/**
 * Data processing (3 source): MADD, MSUB, SMADDL, SMSUBL, UMADDL, UMSUBL, SMULH, UMULH.
 * Handlers only; their rows are in dp-reg.ts. MUL/MNEG/SMULL/UMULL are the forms with Ra = XZR.
 */
import { add64, R64 } from './alu64.js';
import type { Cpu } from './cpu.js';
import { smul32hi, smulh64, umul32hi, umulh64 } from './mul-div64.js';
import { rz, wz } from './registers.js';

/** MADD, 32-bit: Wd = Wa + Wn * Wm. */
export function MADD_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = (x[rz((insn >>> 10) & 31)]! + Math.imul(x[rz((insn >>> 5) & 31)]!, x[rz((insn >>> 16) & 31)]!)) | 0;
  x[d + 1] = 0;
}

/** MSUB, 32-bit: Wd = Wa - Wn * Wm. */
export function MSUB_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = (x[rz((insn >>> 10) & 31)]! - Math.imul(x[rz((insn >>> 5) & 31)]!, x[rz((insn >>> 16) & 31)]!)) | 0;
  x[d + 1] = 0;
}

/** MADD, 64-bit: the low 64 bits of the product need the three lower partial products only. */
export function MADD_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const m = rz((insn >>> 16) & 31);
  const a = rz((insn >>> 10) & 31);
  const nlo = x[n]!;
  const mlo = x[m]!;
  const plo = Math.imul(nlo, mlo);
  const phi = (umul32hi(nlo, mlo) + Math.imul(nlo, x[m + 1]!) + Math.imul(x[n + 1]!, mlo)) | 0;
  add64(x, wz(insn & 31), x[a]!, x[a + 1]!, plo, phi, 0);
}

/** MSUB, 64-bit: Xa - P = Xa + ~P + 1. */
export function MSUB_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const m = rz((insn >>> 16) & 31);
  const a = rz((insn >>> 10) & 31);
  const nlo = x[n]!;
  const mlo = x[m]!;
  const plo = Math.imul(nlo, mlo);
  const phi = (umul32hi(nlo, mlo) + Math.imul(nlo, x[m + 1]!) + Math.imul(x[n + 1]!, mlo)) | 0;
  add64(x, wz(insn & 31), x[a]!, x[a + 1]!, ~plo, ~phi, 1);
}

/** SMADDL: Xd = Xa + sext(Wn) * sext(Wm). */
export function SMADDL(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const wn = x[rz((insn >>> 5) & 31)]!;
  const wm = x[rz((insn >>> 16) & 31)]!;
  const a = rz((insn >>> 10) & 31);
  add64(x, wz(insn & 31), x[a]!, x[a + 1]!, Math.imul(wn, wm), smul32hi(wn, wm), 0);
}

/** SMSUBL: Xd = Xa - sext(Wn) * sext(Wm). */
export function SMSUBL(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const wn = x[rz((insn >>> 5) & 31)]!;
  const wm = x[rz((insn >>> 16) & 31)]!;
  const a = rz((insn >>> 10) & 31);
  add64(x, wz(insn & 31), x[a]!, x[a + 1]!, ~Math.imul(wn, wm), ~smul32hi(wn, wm), 1);
}

/** UMADDL: Xd = Xa + zext(Wn) * zext(Wm). */
export function UMADDL(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const wn = x[rz((insn >>> 5) & 31)]!;
  const wm = x[rz((insn >>> 16) & 31)]!;
  const a = rz((insn >>> 10) & 31);
  add64(x, wz(insn & 31), x[a]!, x[a + 1]!, Math.imul(wn, wm), umul32hi(wn, wm), 0);
}

/** UMSUBL: Xd = Xa - zext(Wn) * zext(Wm). */
export function UMSUBL(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const wn = x[rz((insn >>> 5) & 31)]!;
  const wm = x[rz((insn >>> 16) & 31)]!;
  const a = rz((insn >>> 10) & 31);
  add64(x, wz(insn & 31), x[a]!, x[a + 1]!, ~Math.imul(wn, wm), ~umul32hi(wn, wm), 1);
}

/** SMULH: high 64 bits of the signed 128-bit product (Ra is ignored). */
export function SMULH(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const m = rz((insn >>> 16) & 31);
  smulh64(x[n]!, x[n + 1]!, x[m]!, x[m + 1]!);
  const d = wz(insn & 31);
  x[d] = R64[0]!;
  x[d + 1] = R64[1]!;
}

/** UMULH: high 64 bits of the unsigned 128-bit product. */
export function UMULH(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const m = rz((insn >>> 16) & 31);
  umulh64(x[n]!, x[n + 1]!, x[m]!, x[m + 1]!);
  const d = wz(insn & 31);
  x[d] = R64[0]!;
  x[d + 1] = R64[1]!;
}
