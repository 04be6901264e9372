/**
 * Conditional compare (CCMP, CCMN; register and immediate) and conditional select (CSEL, CSINC,
 * CSINV, CSNEG and their aliases CSET, CSETM, CINC, CINV, CNEG). Handlers only; their rows are in dp-reg.ts.
 */
import { add64, adds32, adds64 } from './alu64.js';
import type { Cpu } from './cpu.js';
import { rz, wz } from './registers.js';

// ---- Conditional compare ----
// If the condition holds, the flags are those of Rn - op (CCMP) or Rn + op (CCMN); otherwise nzcv.

/** Operand of CCMP/CCMN: Rm, or the 5-bit immediate when bit 11 is set. */
function ccmpOperandLo(x: Int32Array, insn: number): number {
  return (insn & 0x800) !== 0 ? (insn >>> 16) & 31 : x[rz((insn >>> 16) & 31)]!;
}

function ccmpOperandHi(x: Int32Array, insn: number): number {
  return (insn & 0x800) !== 0 ? 0 : x[rz((insn >>> 16) & 31) + 1]!;
}

/** CCMP (register and immediate). */
export function CCMP(cpu: Cpu, insn: number): void {
  if (!cpu.cond((insn >>> 12) & 15)) {
    cpu.nzcv = insn << 28;
    return;
  }
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const lo = ccmpOperandLo(x, insn);
  if (insn < 0) adds64(cpu, wz(31), x[n]!, x[n + 1]!, ~lo, ~ccmpOperandHi(x, insn), 1);
  else adds32(cpu, wz(31), x[n]!, ~lo, 1);
}

/** CCMN (register and immediate). */
export function CCMN(cpu: Cpu, insn: number): void {
  if (!cpu.cond((insn >>> 12) & 15)) {
    cpu.nzcv = insn << 28;
    return;
  }
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const lo = ccmpOperandLo(x, insn);
  if (insn < 0) adds64(cpu, wz(31), x[n]!, x[n + 1]!, lo, ccmpOperandHi(x, insn), 0);
  else adds32(cpu, wz(31), x[n]!, lo, 0);
}

// ---- Conditional select ----

export function CSEL_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz(cpu.cond((insn >>> 12) & 15) ? (insn >>> 5) & 31 : (insn >>> 16) & 31)]!;
  x[d + 1] = 0;
}

export function CSEL_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const s = rz(cpu.cond((insn >>> 12) & 15) ? (insn >>> 5) & 31 : (insn >>> 16) & 31);
  const d = wz(insn & 31);
  x[d] = x[s]!;
  x[d + 1] = x[s + 1]!;
}

/** CSINC, 32-bit (CSET, CINC). */
export function CSINC_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = cpu.cond((insn >>> 12) & 15) ? x[rz((insn >>> 5) & 31)]! : (x[rz((insn >>> 16) & 31)]! + 1) | 0;
  x[d + 1] = 0;
}

/** CSINC, 64-bit. */
export function CSINC_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  if (cpu.cond((insn >>> 12) & 15)) {
    const n = rz((insn >>> 5) & 31);
    x[d] = x[n]!;
    x[d + 1] = x[n + 1]!;
  } else {
    const m = rz((insn >>> 16) & 31);
    add64(x, d, x[m]!, x[m + 1]!, 1, 0, 0);
  }
}

/** CSINV, 32-bit (CSETM, CINV). */
export function CSINV_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = cpu.cond((insn >>> 12) & 15) ? x[rz((insn >>> 5) & 31)]! : ~x[rz((insn >>> 16) & 31)]!;
  x[d + 1] = 0;
}

/** CSINV, 64-bit. */
export function CSINV_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  if (cpu.cond((insn >>> 12) & 15)) {
    const n = rz((insn >>> 5) & 31);
    x[d] = x[n]!;
    x[d + 1] = x[n + 1]!;
  } else {
    const m = rz((insn >>> 16) & 31);
    x[d] = ~x[m]!;
    x[d + 1] = ~x[m + 1]!;
  }
}

/** CSNEG, 32-bit (CNEG). */
export function CSNEG_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = cpu.cond((insn >>> 12) & 15) ? x[rz((insn >>> 5) & 31)]! : -x[rz((insn >>> 16) & 31)]! | 0;
  x[d + 1] = 0;
}

/** CSNEG, 64-bit. */
export function CSNEG_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  if (cpu.cond((insn >>> 12) & 15)) {
    const n = rz((insn >>> 5) & 31);
    x[d] = x[n]!;
    x[d + 1] = x[n + 1]!;
  } else {
    const m = rz((insn >>> 16) & 31);
    add64(x, d, ~x[m]!, ~x[m + 1]!, 1, 0, 0);
  }
}
