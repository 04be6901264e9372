/**
 * AdvSIMD shifts by register (three-same): SSHL/USHL, SRSHL/URSHL, SQSHL/UQSHL, SQRSHL/UQRSHL,
 * vector and scalar. The shift count is the signed low byte of each Vm element; negative counts shift right.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { elementCount, finish, getU, getX, isScalar, satS, satU, setE } from './simd-lanes.js';
import { shift64, shiftNum } from './simd-shift-core.js';

function shiftByReg(cpu: Cpu, insn: number, round: boolean, sat: boolean): void {
  const size = (insn >>> 22) & 3;
  // Scalar SSHL/USHL/SRSHL/URSHL are D only; the saturating ones take every size. Vector D needs Q.
  const bad = isScalar(insn) ? !sat && size !== 3 : size === 3 && (insn & (1 << 30)) === 0;
  if (bad) {
    cpu.undefined();
    return;
  }
  const u = (insn >>> 29) & 1;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const count = elementCount(insn, size);
  for (let e = 0; e < count; e++) {
    if (size === 3) {
      const sh = (cpu.v32[(m << 2) + 2 * e] << 24) >> 24;
      shift64(cpu, (d << 2) + 2 * e, (n << 2) + 2 * e, sh, u === 0, round, sat);
    } else {
      const sh = (getU(cpu, size, m, e) << 24) >> 24;
      const r = shiftNum(getX(cpu, size, n, e, u), sh, round);
      setE(cpu, size, d, e, !sat ? r : u === 1 ? satU(cpu, r, size) : satS(cpu, r, size));
    }
  }
  finish(cpu, insn, size, d);
}

/** SSHL / USHL. */
export function SHL_reg(cpu: Cpu, insn: number): void {
  shiftByReg(cpu, insn, false, false);
}

/** SRSHL / URSHL. */
export function RSHL_reg(cpu: Cpu, insn: number): void {
  shiftByReg(cpu, insn, true, false);
}

/** SQSHL / UQSHL (register). */
export function QSHL_reg(cpu: Cpu, insn: number): void {
  shiftByReg(cpu, insn, false, true);
}

/** SQRSHL / UQRSHL. */
export function QRSHL_reg(cpu: Cpu, insn: number): void {
  shiftByReg(cpu, insn, true, true);
}

const V = '0q u 01110 zz 1 mmmmm';
const S = '01 u 11110 zz 1 mmmmm';

export const SIMD_SHIFT_REG_ENCODINGS: readonly Encoding[] = [
  enc('SHL_reg', 'SSHL/USHL', `${V} 01000 1 nnnnn ddddd`, SHL_reg),
  enc('QSHL_reg', 'SQSHL/UQSHL (register)', `${V} 01001 1 nnnnn ddddd`, QSHL_reg),
  enc('RSHL_reg', 'SRSHL/URSHL', `${V} 01010 1 nnnnn ddddd`, RSHL_reg),
  enc('QRSHL_reg', 'SQRSHL/UQRSHL', `${V} 01011 1 nnnnn ddddd`, QRSHL_reg),
  enc('SHL_reg_scalar', 'SSHL/USHL (scalar)', `${S} 01000 1 nnnnn ddddd`, SHL_reg),
  enc('QSHL_reg_scalar', 'SQSHL/UQSHL (register, scalar)', `${S} 01001 1 nnnnn ddddd`, QSHL_reg),
  enc('RSHL_reg_scalar', 'SRSHL/URSHL (scalar)', `${S} 01010 1 nnnnn ddddd`, RSHL_reg),
  enc('QRSHL_reg_scalar', 'SQRSHL/UQRSHL (scalar)', `${S} 01011 1 nnnnn ddddd`, QRSHL_reg),
];
