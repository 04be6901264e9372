/**
 * Data processing — register: logical and add/subtract (shifted register), add/subtract (extended
 * register), add/subtract with carry, and the rows of conditional compare/select (handlers in
 * dp-cond.ts) and of the 1-, 2- and 3-source groups (handlers in dp-1src.ts, dp-2src.ts, dp-3src.ts).
 * 32-bit and 64-bit forms of the frequent instructions have separate rows and handlers.
 */
import { add64, adds32, adds64, logicFlags32, logicFlags64, R64, shift32, shift64 } from './alu64.js';
import type { Cpu } from './cpu.js';
import { CLS_w, CLS_x, CLZ_w, CLZ_x, RBIT_w, RBIT_x, REV_w, REV_x, REV16_w, REV16_x, REV32 } from './dp-1src.js';
import {
  ASRV_w,
  ASRV_x,
  CRC32,
  CRC32C,
  LSLV_w,
  LSLV_x,
  LSRV_w,
  LSRV_x,
  RORV_w,
  RORV_x,
  SDIV_w,
  SDIV_x,
  UDIV_w,
  UDIV_x,
} from './dp-2src.js';
import { CCMN, CCMP, CSEL_w, CSEL_x, CSINC_w, CSINC_x, CSINV_w, CSINV_x, CSNEG_w, CSNEG_x } from './dp-cond.js';
import { MADD_w, MADD_x, MSUB_w, MSUB_x, SMADDL, SMSUBL, SMULH, UMADDL, UMSUBL, UMULH } from './dp-3src.js';
import { type Encoding, enc } from './encoding.js';
import { rz, wz } from './registers.js';

// ---- Shifted-register operand ----
// Bits 23:22 are the shift type, 15:10 the amount; amount 0 (the common case) skips the shift.

/** The 32-bit second operand Wm shifted as the instruction says. */
function opShifted32(x: Int32Array, insn: number): number {
  const v = x[rz((insn >>> 16) & 31)]!;
  return (insn & 0xfc00) === 0 ? v : shift32(v, (insn >>> 22) & 3, (insn >>> 10) & 31);
}

/** R64 = the 64-bit second operand Xm shifted as the instruction says. */
function opShifted64(x: Int32Array, insn: number): void {
  const m = rz((insn >>> 16) & 31);
  if ((insn & 0xfc00) === 0) {
    R64[0] = x[m]!;
    R64[1] = x[m + 1]!;
  } else {
    shift64(x[m]!, x[m + 1]!, (insn >>> 22) & 3, (insn >>> 10) & 63);
  }
}

// ---- Logical (shifted register) ----

/** MOV (register), 32-bit: ORR Wd, WZR, Wm without shift. */
function MOV_reg_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 16) & 31)]!;
  x[d + 1] = 0;
}

/** MOV (register), 64-bit: ORR Xd, XZR, Xm without shift. */
function MOV_reg_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const m = rz((insn >>> 16) & 31);
  const d = wz(insn & 31);
  x[d] = x[m]!;
  x[d + 1] = x[m + 1]!;
}

function AND_reg_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 5) & 31)]! & opShifted32(x, insn);
  x[d + 1] = 0;
}

function BIC_reg_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 5) & 31)]! & ~opShifted32(x, insn);
  x[d + 1] = 0;
}

function ORR_reg_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 5) & 31)]! | opShifted32(x, insn);
  x[d + 1] = 0;
}

function ORN_reg_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 5) & 31)]! | ~opShifted32(x, insn);
  x[d + 1] = 0;
}

function EOR_reg_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 5) & 31)]! ^ opShifted32(x, insn);
  x[d + 1] = 0;
}

function EON_reg_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 5) & 31)]! ^ ~opShifted32(x, insn);
  x[d + 1] = 0;
}

function ANDS_reg_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const r = x[rz((insn >>> 5) & 31)]! & opShifted32(x, insn);
  logicFlags32(cpu, r);
  const d = wz(insn & 31);
  x[d] = r;
  x[d + 1] = 0;
}

function BICS_reg_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const r = x[rz((insn >>> 5) & 31)]! & ~opShifted32(x, insn);
  logicFlags32(cpu, r);
  const d = wz(insn & 31);
  x[d] = r;
  x[d + 1] = 0;
}

function AND_reg_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const d = wz(insn & 31);
  if ((insn & 0xfc00) === 0) {
    const m = rz((insn >>> 16) & 31);
    x[d] = x[n]! & x[m]!;
    x[d + 1] = x[n + 1]! & x[m + 1]!;
  } else {
    opShifted64(x, insn);
    x[d] = x[n]! & R64[0]!;
    x[d + 1] = x[n + 1]! & R64[1]!;
  }
}

function BIC_reg_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const d = wz(insn & 31);
  if ((insn & 0xfc00) === 0) {
    const m = rz((insn >>> 16) & 31);
    x[d] = x[n]! & ~x[m]!;
    x[d + 1] = x[n + 1]! & ~x[m + 1]!;
  } else {
    opShifted64(x, insn);
    x[d] = x[n]! & ~R64[0]!;
    x[d + 1] = x[n + 1]! & ~R64[1]!;
  }
}

function ORR_reg_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const d = wz(insn & 31);
  if ((insn & 0xfc00) === 0) {
    const m = rz((insn >>> 16) & 31);
    x[d] = x[n]! | x[m]!;
    x[d + 1] = x[n + 1]! | x[m + 1]!;
  } else {
    opShifted64(x, insn);
    x[d] = x[n]! | R64[0]!;
    x[d + 1] = x[n + 1]! | R64[1]!;
  }
}

function ORN_reg_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const d = wz(insn & 31);
  if ((insn & 0xfc00) === 0) {
    const m = rz((insn >>> 16) & 31);
    x[d] = x[n]! | ~x[m]!;
    x[d + 1] = x[n + 1]! | ~x[m + 1]!;
  } else {
    opShifted64(x, insn);
    x[d] = x[n]! | ~R64[0]!;
    x[d + 1] = x[n + 1]! | ~R64[1]!;
  }
}

function EOR_reg_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const d = wz(insn & 31);
  if ((insn & 0xfc00) === 0) {
    const m = rz((insn >>> 16) & 31);
    x[d] = x[n]! ^ x[m]!;
    x[d + 1] = x[n + 1]! ^ x[m + 1]!;
  } else {
    opShifted64(x, insn);
    x[d] = x[n]! ^ R64[0]!;
    x[d + 1] = x[n + 1]! ^ R64[1]!;
  }
}

function EON_reg_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const d = wz(insn & 31);
  if ((insn & 0xfc00) === 0) {
    const m = rz((insn >>> 16) & 31);
    x[d] = x[n]! ^ ~x[m]!;
    x[d + 1] = x[n + 1]! ^ ~x[m + 1]!;
  } else {
    opShifted64(x, insn);
    x[d] = x[n]! ^ ~R64[0]!;
    x[d + 1] = x[n + 1]! ^ ~R64[1]!;
  }
}

function ANDS_reg_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  opShifted64(x, insn);
  const n = rz((insn >>> 5) & 31);
  const lo = x[n]! & R64[0]!;
  const hi = x[n + 1]! & R64[1]!;
  logicFlags64(cpu, lo, hi);
  const d = wz(insn & 31);
  x[d] = lo;
  x[d + 1] = hi;
}

function BICS_reg_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  opShifted64(x, insn);
  const n = rz((insn >>> 5) & 31);
  const lo = x[n]! & ~R64[0]!;
  const hi = x[n + 1]! & ~R64[1]!;
  logicFlags64(cpu, lo, hi);
  const d = wz(insn & 31);
  x[d] = lo;
  x[d + 1] = hi;
}

// ---- Add/subtract (shifted register) ----
// All registers are XZR when 31 (NEG, NEGS, CMP, CMN are aliases). Shift type ROR has its own
// undefined row.

function ADD_reg_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = (x[rz((insn >>> 5) & 31)]! + opShifted32(x, insn)) | 0;
  x[d + 1] = 0;
}

function SUB_reg_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = (x[rz((insn >>> 5) & 31)]! - opShifted32(x, insn)) | 0;
  x[d + 1] = 0;
}

function ADDS_reg_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  adds32(cpu, wz(insn & 31), x[rz((insn >>> 5) & 31)]!, opShifted32(x, insn), 0);
}

function SUBS_reg_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  adds32(cpu, wz(insn & 31), x[rz((insn >>> 5) & 31)]!, ~opShifted32(x, insn), 1);
}

function ADD_reg_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  if ((insn & 0xfc00) === 0) {
    const m = rz((insn >>> 16) & 31);
    add64(x, wz(insn & 31), x[n]!, x[n + 1]!, x[m]!, x[m + 1]!, 0);
  } else {
    opShifted64(x, insn);
    add64(x, wz(insn & 31), x[n]!, x[n + 1]!, R64[0]!, R64[1]!, 0);
  }
}

function SUB_reg_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  if ((insn & 0xfc00) === 0) {
    const m = rz((insn >>> 16) & 31);
    add64(x, wz(insn & 31), x[n]!, x[n + 1]!, ~x[m]!, ~x[m + 1]!, 1);
  } else {
    opShifted64(x, insn);
    add64(x, wz(insn & 31), x[n]!, x[n + 1]!, ~R64[0]!, ~R64[1]!, 1);
  }
}

function ADDS_reg_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  if ((insn & 0xfc00) === 0) {
    const m = rz((insn >>> 16) & 31);
    adds64(cpu, wz(insn & 31), x[n]!, x[n + 1]!, x[m]!, x[m + 1]!, 0);
  } else {
    opShifted64(x, insn);
    adds64(cpu, wz(insn & 31), x[n]!, x[n + 1]!, R64[0]!, R64[1]!, 0);
  }
}

function SUBS_reg_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  if ((insn & 0xfc00) === 0) {
    const m = rz((insn >>> 16) & 31);
    adds64(cpu, wz(insn & 31), x[n]!, x[n + 1]!, ~x[m]!, ~x[m + 1]!, 1);
  } else {
    opShifted64(x, insn);
    adds64(cpu, wz(insn & 31), x[n]!, x[n + 1]!, ~R64[0]!, ~R64[1]!, 1);
  }
}

// ---- Add/subtract (extended register) ----
// Rm is extended by option (UXTB…SXTX) and shifted left by imm3 (0-4; more is unallocated).
// Rn is SP when 31, Rd is SP for ADD/SUB and XZR for ADDS/SUBS.

/** R64 = the extended and shifted Rm; false when imm3 > 4. */
function opExtended(x: Int32Array, insn: number): boolean {
  const sh = (insn >>> 10) & 7;
  if (sh > 4) return false;
  const m = rz((insn >>> 16) & 31);
  const v = x[m]!;
  let lo: number;
  let hi: number;
  switch ((insn >>> 13) & 7) {
    case 0:
      lo = v & 0xff;
      hi = 0;
      break;
    case 1:
      lo = v & 0xffff;
      hi = 0;
      break;
    case 2:
      lo = v;
      hi = 0;
      break;
    case 4:
      lo = (v << 24) >> 24;
      hi = lo >> 31;
      break;
    case 5:
      lo = (v << 16) >> 16;
      hi = lo >> 31;
      break;
    case 6:
      lo = v;
      hi = v >> 31;
      break;
    default: // UXTX, SXTX
      lo = v;
      hi = x[m + 1]!;
  }
  if (sh !== 0) {
    hi = (hi << sh) | (lo >>> (32 - sh));
    lo <<= sh;
  }
  R64[0] = lo;
  R64[1] = hi;
  return true;
}

function ADD_ext_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  if (!opExtended(x, insn)) {
    cpu.undefined();
    return;
  }
  const d = (insn & 31) << 1;
  x[d] = (x[((insn >>> 5) & 31) << 1]! + R64[0]!) | 0;
  x[d + 1] = 0;
}

function SUB_ext_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  if (!opExtended(x, insn)) {
    cpu.undefined();
    return;
  }
  const d = (insn & 31) << 1;
  x[d] = (x[((insn >>> 5) & 31) << 1]! - R64[0]!) | 0;
  x[d + 1] = 0;
}

function ADDS_ext_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  if (!opExtended(x, insn)) {
    cpu.undefined();
    return;
  }
  adds32(cpu, wz(insn & 31), x[((insn >>> 5) & 31) << 1]!, R64[0]!, 0);
}

function SUBS_ext_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  if (!opExtended(x, insn)) {
    cpu.undefined();
    return;
  }
  adds32(cpu, wz(insn & 31), x[((insn >>> 5) & 31) << 1]!, ~R64[0]!, 1);
}

function ADD_ext_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  if (!opExtended(x, insn)) {
    cpu.undefined();
    return;
  }
  const n = ((insn >>> 5) & 31) << 1;
  add64(x, (insn & 31) << 1, x[n]!, x[n + 1]!, R64[0]!, R64[1]!, 0);
}

function SUB_ext_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  if (!opExtended(x, insn)) {
    cpu.undefined();
    return;
  }
  const n = ((insn >>> 5) & 31) << 1;
  add64(x, (insn & 31) << 1, x[n]!, x[n + 1]!, ~R64[0]!, ~R64[1]!, 1);
}

function ADDS_ext_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  if (!opExtended(x, insn)) {
    cpu.undefined();
    return;
  }
  const n = ((insn >>> 5) & 31) << 1;
  adds64(cpu, wz(insn & 31), x[n]!, x[n + 1]!, R64[0]!, R64[1]!, 0);
}

function SUBS_ext_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  if (!opExtended(x, insn)) {
    cpu.undefined();
    return;
  }
  const n = ((insn >>> 5) & 31) << 1;
  adds64(cpu, wz(insn & 31), x[n]!, x[n + 1]!, ~R64[0]!, ~R64[1]!, 1);
}

// ---- Add/subtract with carry ----
// op (bit 30) selects SBC (Rn + ~Rm + C), S (bit 29) sets flags; sf (bit 31) the width.

function ADC_SBC(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const m = rz((insn >>> 16) & 31);
  const d = wz(insn & 31);
  const inv = (insn >> 30) & 1 ? -1 : 0; // SBC adds the complement of Rm
  const setFlags = (insn & (1 << 29)) !== 0;
  if (insn < 0) {
    if (setFlags) adds64(cpu, d, x[n]!, x[n + 1]!, x[m]! ^ inv, x[m + 1]! ^ inv, cpu.cf);
    else add64(x, d, x[n]!, x[n + 1]!, x[m]! ^ inv, x[m + 1]! ^ inv, cpu.cf);
  } else if (setFlags) {
    adds32(cpu, d, x[n]!, x[m]! ^ inv, cpu.cf);
  } else {
    x[d] = (x[n]! + (x[m]! ^ inv) + cpu.cf) | 0;
    x[d + 1] = 0;
  }
}

function undefinedInsn(cpu: Cpu): void {
  cpu.undefined();
}

export const DP_REG_ENCODINGS: readonly Encoding[] = [
  // Logical (shifted register): sf opc 01010 shift N Rm imm6 Rn Rd; 32-bit needs imm6 < 32.
  enc('AND_reg_w', 'AND (shifted register), 32-bit', '0 00 01010 tt 0 mmmmm 0iiiii nnnnn ddddd', AND_reg_w),
  enc('BIC_reg_w', 'BIC (shifted register), 32-bit', '0 00 01010 tt 1 mmmmm 0iiiii nnnnn ddddd', BIC_reg_w),
  enc('ORR_reg_w', 'ORR (shifted register), 32-bit', '0 01 01010 tt 0 mmmmm 0iiiii nnnnn ddddd', ORR_reg_w),
  enc('ORN_reg_w', 'ORN (shifted register), 32-bit', '0 01 01010 tt 1 mmmmm 0iiiii nnnnn ddddd', ORN_reg_w),
  enc('EOR_reg_w', 'EOR (shifted register), 32-bit', '0 10 01010 tt 0 mmmmm 0iiiii nnnnn ddddd', EOR_reg_w),
  enc('EON_reg_w', 'EON (shifted register), 32-bit', '0 10 01010 tt 1 mmmmm 0iiiii nnnnn ddddd', EON_reg_w),
  enc('ANDS_reg_w', 'ANDS (shifted register), 32-bit', '0 11 01010 tt 0 mmmmm 0iiiii nnnnn ddddd', ANDS_reg_w),
  enc('BICS_reg_w', 'BICS (shifted register), 32-bit', '0 11 01010 tt 1 mmmmm 0iiiii nnnnn ddddd', BICS_reg_w),
  enc('AND_reg_x', 'AND (shifted register), 64-bit', '1 00 01010 tt 0 mmmmm iiiiii nnnnn ddddd', AND_reg_x),
  enc('BIC_reg_x', 'BIC (shifted register), 64-bit', '1 00 01010 tt 1 mmmmm iiiiii nnnnn ddddd', BIC_reg_x),
  enc('ORR_reg_x', 'ORR (shifted register), 64-bit', '1 01 01010 tt 0 mmmmm iiiiii nnnnn ddddd', ORR_reg_x),
  enc('ORN_reg_x', 'ORN (shifted register), 64-bit', '1 01 01010 tt 1 mmmmm iiiiii nnnnn ddddd', ORN_reg_x),
  enc('EOR_reg_x', 'EOR (shifted register), 64-bit', '1 10 01010 tt 0 mmmmm iiiiii nnnnn ddddd', EOR_reg_x),
  enc('EON_reg_x', 'EON (shifted register), 64-bit', '1 10 01010 tt 1 mmmmm iiiiii nnnnn ddddd', EON_reg_x),
  enc('ANDS_reg_x', 'ANDS (shifted register), 64-bit', '1 11 01010 tt 0 mmmmm iiiiii nnnnn ddddd', ANDS_reg_x),
  enc('BICS_reg_x', 'BICS (shifted register), 64-bit', '1 11 01010 tt 1 mmmmm iiiiii nnnnn ddddd', BICS_reg_x),
  enc('MOV_reg_w', 'MOV (register), 32-bit', '0 01 01010 00 0 mmmmm 000000 11111 ddddd', MOV_reg_w),
  enc('MOV_reg_x', 'MOV (register), 64-bit', '1 01 01010 00 0 mmmmm 000000 11111 ddddd', MOV_reg_x),

  // Add/subtract (shifted register): sf op S 01011 shift 0 Rm imm6 Rn Rd.
  enc('ADD_reg_w', 'ADD (shifted register), 32-bit', '0 0 0 01011 tt 0 mmmmm 0iiiii nnnnn ddddd', ADD_reg_w),
  enc('ADDS_reg_w', 'ADDS (shifted register), 32-bit', '0 0 1 01011 tt 0 mmmmm 0iiiii nnnnn ddddd', ADDS_reg_w),
  enc('SUB_reg_w', 'SUB (shifted register), 32-bit', '0 1 0 01011 tt 0 mmmmm 0iiiii nnnnn ddddd', SUB_reg_w),
  enc('SUBS_reg_w', 'SUBS (shifted register), 32-bit', '0 1 1 01011 tt 0 mmmmm 0iiiii nnnnn ddddd', SUBS_reg_w),
  enc('ADD_reg_x', 'ADD (shifted register), 64-bit', '1 0 0 01011 tt 0 mmmmm iiiiii nnnnn ddddd', ADD_reg_x),
  enc('ADDS_reg_x', 'ADDS (shifted register), 64-bit', '1 0 1 01011 tt 0 mmmmm iiiiii nnnnn ddddd', ADDS_reg_x),
  enc('SUB_reg_x', 'SUB (shifted register), 64-bit', '1 1 0 01011 tt 0 mmmmm iiiiii nnnnn ddddd', SUB_reg_x),
  enc('SUBS_reg_x', 'SUBS (shifted register), 64-bit', '1 1 1 01011 tt 0 mmmmm iiiiii nnnnn ddddd', SUBS_reg_x),
  // Shift type 11 is unallocated for add/subtract; fixing sf, op and S makes these rows beat the ones above.
  ...['0 0 0', '0 0 1', '0 1 0', '0 1 1', '1 0 0', '1 0 1', '1 1 0', '1 1 1'].map((sfOpS) =>
    enc(
      'ADDSUB_reg_ror',
      'Add/subtract (shifted register), shift 11: unallocated',
      `${sfOpS} 01011 11 0 mmmmm iiiiii nnnnn ddddd`,
      undefinedInsn,
    ),
  ),

  // Add/subtract (extended register): sf op S 01011 00 1 Rm option imm3 Rn Rd.
  enc('ADD_ext_w', 'ADD (extended register), 32-bit', '0 0 0 01011 00 1 mmmmm ooo iii nnnnn ddddd', ADD_ext_w),
  enc('ADDS_ext_w', 'ADDS (extended register), 32-bit', '0 0 1 01011 00 1 mmmmm ooo iii nnnnn ddddd', ADDS_ext_w),
  enc('SUB_ext_w', 'SUB (extended register), 32-bit', '0 1 0 01011 00 1 mmmmm ooo iii nnnnn ddddd', SUB_ext_w),
  enc('SUBS_ext_w', 'SUBS (extended register), 32-bit', '0 1 1 01011 00 1 mmmmm ooo iii nnnnn ddddd', SUBS_ext_w),
  enc('ADD_ext_x', 'ADD (extended register), 64-bit', '1 0 0 01011 00 1 mmmmm ooo iii nnnnn ddddd', ADD_ext_x),
  enc('ADDS_ext_x', 'ADDS (extended register), 64-bit', '1 0 1 01011 00 1 mmmmm ooo iii nnnnn ddddd', ADDS_ext_x),
  enc('SUB_ext_x', 'SUB (extended register), 64-bit', '1 1 0 01011 00 1 mmmmm ooo iii nnnnn ddddd', SUB_ext_x),
  enc('SUBS_ext_x', 'SUBS (extended register), 64-bit', '1 1 1 01011 00 1 mmmmm ooo iii nnnnn ddddd', SUBS_ext_x),

  // Add/subtract (with carry): sf op S 11010000 Rm 000000 Rn Rd.
  enc('ADC_SBC', 'ADC, ADCS, SBC, SBCS', 'f o s 11010000 mmmmm 000000 nnnnn ddddd', ADC_SBC),

  // Conditional compare: sf op 1 11010010 Rm|imm5 cond i 0 Rn 0 nzcv.
  enc('CCMN', 'CCMN (register, immediate)', 'f 0 1 11010010 mmmmm cccc i 0 nnnnn 0 vvvv', CCMN),
  enc('CCMP', 'CCMP (register, immediate)', 'f 1 1 11010010 mmmmm cccc i 0 nnnnn 0 vvvv', CCMP),

  // Conditional select: sf op 0 11010100 Rm cond op2 Rn Rd.
  enc('CSEL_w', 'CSEL, 32-bit', '0 0 0 11010100 mmmmm cccc 00 nnnnn ddddd', CSEL_w),
  enc('CSINC_w', 'CSINC, 32-bit', '0 0 0 11010100 mmmmm cccc 01 nnnnn ddddd', CSINC_w),
  enc('CSINV_w', 'CSINV, 32-bit', '0 1 0 11010100 mmmmm cccc 00 nnnnn ddddd', CSINV_w),
  enc('CSNEG_w', 'CSNEG, 32-bit', '0 1 0 11010100 mmmmm cccc 01 nnnnn ddddd', CSNEG_w),
  enc('CSEL_x', 'CSEL, 64-bit', '1 0 0 11010100 mmmmm cccc 00 nnnnn ddddd', CSEL_x),
  enc('CSINC_x', 'CSINC, 64-bit', '1 0 0 11010100 mmmmm cccc 01 nnnnn ddddd', CSINC_x),
  enc('CSINV_x', 'CSINV, 64-bit', '1 1 0 11010100 mmmmm cccc 00 nnnnn ddddd', CSINV_x),
  enc('CSNEG_x', 'CSNEG, 64-bit', '1 1 0 11010100 mmmmm cccc 01 nnnnn ddddd', CSNEG_x),

  // Data-processing (1 source): sf 1 0 11010110 00000 opcode Rn Rd.
  enc('RBIT_w', 'RBIT, 32-bit', '0 1 0 11010110 00000 000000 nnnnn ddddd', RBIT_w),
  enc('REV16_w', 'REV16, 32-bit', '0 1 0 11010110 00000 000001 nnnnn ddddd', REV16_w),
  enc('REV_w', 'REV, 32-bit', '0 1 0 11010110 00000 000010 nnnnn ddddd', REV_w),
  enc('CLZ_w', 'CLZ, 32-bit', '0 1 0 11010110 00000 000100 nnnnn ddddd', CLZ_w),
  enc('CLS_w', 'CLS, 32-bit', '0 1 0 11010110 00000 000101 nnnnn ddddd', CLS_w),
  enc('RBIT_x', 'RBIT, 64-bit', '1 1 0 11010110 00000 000000 nnnnn ddddd', RBIT_x),
  enc('REV16_x', 'REV16, 64-bit', '1 1 0 11010110 00000 000001 nnnnn ddddd', REV16_x),
  enc('REV32', 'REV32', '1 1 0 11010110 00000 000010 nnnnn ddddd', REV32),
  enc('REV_x', 'REV, 64-bit', '1 1 0 11010110 00000 000011 nnnnn ddddd', REV_x),
  enc('CLZ_x', 'CLZ, 64-bit', '1 1 0 11010110 00000 000100 nnnnn ddddd', CLZ_x),
  enc('CLS_x', 'CLS, 64-bit', '1 1 0 11010110 00000 000101 nnnnn ddddd', CLS_x),

  // Data-processing (2 source): sf 0 0 11010110 Rm opcode Rn Rd.
  enc('UDIV_w', 'UDIV, 32-bit', '0 0 0 11010110 mmmmm 000010 nnnnn ddddd', UDIV_w),
  enc('SDIV_w', 'SDIV, 32-bit', '0 0 0 11010110 mmmmm 000011 nnnnn ddddd', SDIV_w),
  enc('LSLV_w', 'LSLV, 32-bit', '0 0 0 11010110 mmmmm 001000 nnnnn ddddd', LSLV_w),
  enc('LSRV_w', 'LSRV, 32-bit', '0 0 0 11010110 mmmmm 001001 nnnnn ddddd', LSRV_w),
  enc('ASRV_w', 'ASRV, 32-bit', '0 0 0 11010110 mmmmm 001010 nnnnn ddddd', ASRV_w),
  enc('RORV_w', 'RORV, 32-bit', '0 0 0 11010110 mmmmm 001011 nnnnn ddddd', RORV_w),
  enc('UDIV_x', 'UDIV, 64-bit', '1 0 0 11010110 mmmmm 000010 nnnnn ddddd', UDIV_x),
  enc('SDIV_x', 'SDIV, 64-bit', '1 0 0 11010110 mmmmm 000011 nnnnn ddddd', SDIV_x),
  enc('LSLV_x', 'LSLV, 64-bit', '1 0 0 11010110 mmmmm 001000 nnnnn ddddd', LSLV_x),
  enc('LSRV_x', 'LSRV, 64-bit', '1 0 0 11010110 mmmmm 001001 nnnnn ddddd', LSRV_x),
  enc('ASRV_x', 'ASRV, 64-bit', '1 0 0 11010110 mmmmm 001010 nnnnn ddddd', ASRV_x),
  enc('RORV_x', 'RORV, 64-bit', '1 0 0 11010110 mmmmm 001011 nnnnn ddddd', RORV_x),
  enc('CRC32_bh', 'CRC32B, CRC32H', '0 0 0 11010110 mmmmm 0100 0z nnnnn ddddd', CRC32),
  enc('CRC32_x', 'CRC32X', '1 0 0 11010110 mmmmm 0100 11 nnnnn ddddd', CRC32),
  enc('CRC32C_bh', 'CRC32CB, CRC32CH', '0 0 0 11010110 mmmmm 0101 0z nnnnn ddddd', CRC32C),
  enc('CRC32C_x', 'CRC32CX', '1 0 0 11010110 mmmmm 0101 11 nnnnn ddddd', CRC32C),
  enc('CRC32_w', 'CRC32W', '0 0 0 11010110 mmmmm 0100 10 nnnnn ddddd', CRC32),
  enc('CRC32C_w', 'CRC32CW', '0 0 0 11010110 mmmmm 0101 10 nnnnn ddddd', CRC32C),

  // Data-processing (3 source): sf 00 11011 op31 Rm o0 Ra Rn Rd.
  enc('MADD_w', 'MADD, 32-bit', '0 00 11011 000 mmmmm 0 aaaaa nnnnn ddddd', MADD_w),
  enc('MSUB_w', 'MSUB, 32-bit', '0 00 11011 000 mmmmm 1 aaaaa nnnnn ddddd', MSUB_w),
  enc('MADD_x', 'MADD, 64-bit', '1 00 11011 000 mmmmm 0 aaaaa nnnnn ddddd', MADD_x),
  enc('MSUB_x', 'MSUB, 64-bit', '1 00 11011 000 mmmmm 1 aaaaa nnnnn ddddd', MSUB_x),
  enc('SMADDL', 'SMADDL', '1 00 11011 001 mmmmm 0 aaaaa nnnnn ddddd', SMADDL),
  enc('SMSUBL', 'SMSUBL', '1 00 11011 001 mmmmm 1 aaaaa nnnnn ddddd', SMSUBL),
  enc('SMULH', 'SMULH', '1 00 11011 010 mmmmm 0 aaaaa nnnnn ddddd', SMULH),
  enc('UMADDL', 'UMADDL', '1 00 11011 101 mmmmm 0 aaaaa nnnnn ddddd', UMADDL),
  enc('UMSUBL', 'UMSUBL', '1 00 11011 101 mmmmm 1 aaaaa nnnnn ddddd', UMSUBL),
  enc('UMULH', 'UMULH', '1 00 11011 110 mmmmm 0 aaaaa nnnnn ddddd', UMULH),
];
