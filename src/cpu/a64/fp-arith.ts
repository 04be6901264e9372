/**
 * Scalar floating point (single and double precision) — data processing: FMOV (register, immediate),
 * FABS/FNEG/FSQRT, FRINT*, the two-source arithmetic (FADD, FSUB, FMUL, FDIV, FNMUL, FMAX, FMIN,
 * FMAXNM, FMINNM), the fused three-source group (FMADD, FMSUB, FNMADD, FNMSUB), FCMP/FCMPE,
 * FCCMP/FCCMPE and FCSEL. The semantics (rounding, flags, NaNs) are in fp-ops.ts and friends.
 *
 * Bit 22 (ftype<0>) selects double (1) or single (0); ftype 1x (half precision arithmetic, FEAT_FP16)
 * has no row and is undefined. Register r is element 2r of vf64 or 4r of vf32; a scalar write zeroes
 * the rest of the 128-bit register.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { fpCompare, fpMaxMin } from './fp-compare.js';
import { fpRoundInt } from './fp-conv-ops.js';
import { fmadd32, fmadd64 } from './fp-fma.js';
import { fadd32, fadd64, fdiv32, fdiv64, fmul32, fmul64, fsqrt32, fsqrt64 } from './fp-ops.js';
import { F32, F64, fpcrMode, RM, RN, RNA, RP, RZ } from './fp-round.js';

const DBL = 1 << 22;
const SIGN = 1 << 31;

/** Zeroes bits 127:64 of register d (after a double-precision write). */
export function clear64(cpu: Cpu, d: number): void {
  const v32 = cpu.v32;
  v32[(d << 2) + 2] = 0;
  v32[(d << 2) + 3] = 0;
}

/** Zeroes bits 127:32 of register d (after a single-precision write). */
export function clear32(cpu: Cpu, d: number): void {
  const v32 = cpu.v32;
  v32[(d << 2) + 1] = 0;
  v32[(d << 2) + 2] = 0;
  v32[(d << 2) + 3] = 0;
}

// ---- Moves and sign operations (no FP exceptions, NaNs untouched) ----

/** FMOV (register). */
function FMOV_reg(cpu: Cpu, insn: number): void {
  const v32 = cpu.v32;
  const d = (insn & 31) << 2;
  const n = ((insn >>> 5) & 31) << 2;
  v32[d] = v32[n];
  if ((insn & DBL) !== 0) {
    v32[d + 1] = v32[n + 1];
    clear64(cpu, insn & 31);
  } else clear32(cpu, insn & 31);
}

/** FABS (scalar) and FNEG (scalar): bit 16 (opcode<1>) picks negate. */
function FABS_FNEG_scalar(cpu: Cpu, insn: number): void {
  const v32 = cpu.v32;
  const d = (insn & 31) << 2;
  const n = ((insn >>> 5) & 31) << 2;
  const neg = (insn & (1 << 16)) !== 0;
  if ((insn & DBL) !== 0) {
    const hi = v32[n + 1];
    v32[d] = v32[n];
    v32[d + 1] = neg ? hi ^ SIGN : hi & ~SIGN;
    clear64(cpu, insn & 31);
  } else {
    const w = v32[n];
    v32[d] = neg ? w ^ SIGN : w & ~SIGN;
    clear32(cpu, insn & 31);
  }
}

/** VFPExpandImm: ±(16 + imm8<3:0>)/16 × 2^e with e from imm8<6:4> in -3..4. */
function vfpExpandImm(imm8: number): number {
  const e = (((imm8 >>> 4) & 7) ^ 4) - 3;
  const v = ((16 + (imm8 & 15)) / 16) * 2 ** e;
  return (imm8 & 0x80) !== 0 ? -v : v;
}

/** The 256 FP immediates by imm8 (a table: no double is computed or boxed per instruction). */
export const FP_IMM8 = new Float64Array(256).map((_, i) => vfpExpandImm(i));

/** FMOV (scalar, immediate). */
function FMOV_imm(cpu: Cpu, insn: number): void {
  const d = insn & 31;
  const v = FP_IMM8[(insn >>> 13) & 0xff];
  if ((insn & DBL) !== 0) {
    cpu.vf64[d << 1] = v;
    clear64(cpu, d);
  } else {
    cpu.vf32[d << 2] = v;
    clear32(cpu, d);
  }
}

// ---- One source ----

/** FSQRT (scalar). */
function FSQRT_scalar(cpu: Cpu, insn: number): void {
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  if ((insn & DBL) !== 0) {
    fsqrt64(cpu, d << 1, n << 1);
    clear64(cpu, d);
  } else {
    fsqrt32(cpu, d << 2, n << 2);
    clear32(cpu, d);
  }
}

/** Rounding of FRINTN/P/M/Z/A/-/X/I by opcode<2:0> (bits 17:15); -1 means FPCR.RMode. */
const FRINT_MODE = [RN, RP, RM, RZ, RNA, -2, -1, -1];

/** FRINTN, FRINTP, FRINTM, FRINTZ, FRINTA, FRINTX, FRINTI (scalar). */
function FRINT_scalar(cpu: Cpu, insn: number): void {
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const op = (insn >>> 15) & 7;
  let mode = FRINT_MODE[op];
  if (mode === -2) {
    cpu.undefined();
    return;
  }
  if (mode < 0) mode = fpcrMode(cpu);
  const exact = op === 6;
  if ((insn & DBL) !== 0) {
    fpRoundInt(cpu, F64, d << 1, n << 1, mode, exact);
    clear64(cpu, d);
  } else {
    fpRoundInt(cpu, F32, d << 2, n << 2, mode, exact);
    clear32(cpu, d);
  }
}

// ---- Two sources ----

function FADD_scalar(cpu: Cpu, insn: number): void {
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  if ((insn & DBL) !== 0) {
    fadd64(cpu, d << 1, n << 1, m << 1, false);
    clear64(cpu, d);
  } else {
    fadd32(cpu, d << 2, n << 2, m << 2, false);
    clear32(cpu, d);
  }
}

function FSUB_scalar(cpu: Cpu, insn: number): void {
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  if ((insn & DBL) !== 0) {
    fadd64(cpu, d << 1, n << 1, m << 1, true);
    clear64(cpu, d);
  } else {
    fadd32(cpu, d << 2, n << 2, m << 2, true);
    clear32(cpu, d);
  }
}

/** FMUL (scalar) and FNMUL (bit 15: the result negated, NaNs included). */
function FMUL_scalar(cpu: Cpu, insn: number): void {
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const neg = (insn & (1 << 15)) !== 0;
  if ((insn & DBL) !== 0) {
    fmul64(cpu, d << 1, n << 1, m << 1, false);
    if (neg) cpu.v32[(d << 2) + 1] ^= SIGN;
    clear64(cpu, d);
  } else {
    fmul32(cpu, d << 2, n << 2, m << 2, false);
    if (neg) cpu.v32[d << 2] ^= SIGN;
    clear32(cpu, d);
  }
}

function FDIV_scalar(cpu: Cpu, insn: number): void {
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  if ((insn & DBL) !== 0) {
    fdiv64(cpu, d << 1, n << 1, m << 1);
    clear64(cpu, d);
  } else {
    fdiv32(cpu, d << 2, n << 2, m << 2);
    clear32(cpu, d);
  }
}

/** FMAX, FMIN, FMAXNM, FMINNM (scalar): opcode<0> (bit 12) = min, opcode<1> (bit 13) = NM. */
function FMAXMIN_scalar(cpu: Cpu, insn: number): void {
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const min = (insn & (1 << 12)) !== 0;
  const num = (insn & (1 << 13)) !== 0;
  if ((insn & DBL) !== 0) {
    fpMaxMin(cpu, F64, d << 1, n << 1, m << 1, min, num);
    clear64(cpu, d);
  } else {
    fpMaxMin(cpu, F32, d << 2, n << 2, m << 2, min, num);
    clear32(cpu, d);
  }
}

// ---- Three sources (fused) ----

/** FMADD, FMSUB (o0: op1 negated), FNMADD (o1: addend and op1 negated), FNMSUB (o1 o0: addend negated). */
function FMADD_family(cpu: Cpu, insn: number): void {
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const a = (insn >>> 10) & 31;
  const m = (insn >>> 16) & 31;
  const o1 = (insn & (1 << 21)) !== 0;
  const o0 = (insn & (1 << 15)) !== 0;
  const negN = o1 !== o0;
  if ((insn & DBL) !== 0) {
    fmadd64(cpu, d << 1, a << 1, n << 1, m << 1, o1, negN);
    clear64(cpu, d);
  } else {
    fmadd32(cpu, d << 2, a << 2, n << 2, m << 2, o1, negN);
    clear32(cpu, d);
  }
}

// ---- Compare and select ----

function setNzcv(cpu: Cpu, f: number): void {
  cpu.nf = (f >>> 3) & 1;
  cpu.zf = (f >>> 2) & 1;
  cpu.cf = (f >>> 1) & 1;
  cpu.vf = f & 1;
}

/** FCMP/FCMPE, register or #0.0 (opc<0>, bit 3), E (opc<1>, bit 4) signals on quiet NaNs too. */
function FCMP(cpu: Cpu, insn: number): void {
  const n = (insn >>> 5) & 31;
  const zero = (insn & 8) !== 0;
  const m = (insn >>> 16) & 31;
  const e = (insn & 16) !== 0;
  if ((insn & DBL) !== 0) setNzcv(cpu, fpCompare(cpu, F64, n << 1, zero ? -1 : m << 1, e));
  else setNzcv(cpu, fpCompare(cpu, F32, n << 2, zero ? -1 : m << 2, e));
}

/** FCCMP/FCCMPE: compare if the condition holds, else NZCV = #nzcv. */
function FCCMP(cpu: Cpu, insn: number): void {
  if (!cpu.cond((insn >>> 12) & 15)) {
    setNzcv(cpu, insn & 15);
    return;
  }
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const e = (insn & 16) !== 0;
  if ((insn & DBL) !== 0) setNzcv(cpu, fpCompare(cpu, F64, n << 1, m << 1, e));
  else setNzcv(cpu, fpCompare(cpu, F32, n << 2, m << 2, e));
}

/** FCSEL: Vd = cond ? Vn : Vm (bits only). */
function FCSEL(cpu: Cpu, insn: number): void {
  const v32 = cpu.v32;
  const d = insn & 31;
  const s = (cpu.cond((insn >>> 12) & 15) ? (insn >>> 5) & 31 : (insn >>> 16) & 31) << 2;
  v32[d << 2] = v32[s];
  if ((insn & DBL) !== 0) {
    v32[(d << 2) + 1] = v32[s + 1];
    clear64(cpu, d);
  } else clear32(cpu, d);
}

export const FP_ARITH_ENCODINGS: readonly Encoding[] = [
  enc('FMOV_reg', 'FMOV (register)', '000 11110 0t 1 0000 00 10000 nnnnn ddddd', FMOV_reg),
  enc('FABS_scalar', 'FABS (scalar)', '000 11110 0t 1 0000 01 10000 nnnnn ddddd', FABS_FNEG_scalar),
  enc('FNEG_scalar', 'FNEG (scalar)', '000 11110 0t 1 0000 10 10000 nnnnn ddddd', FABS_FNEG_scalar),
  enc('FSQRT_scalar', 'FSQRT (scalar)', '000 11110 0t 1 0000 11 10000 nnnnn ddddd', FSQRT_scalar),
  enc('FRINT_scalar', 'FRINTN/P/M/Z/A/X/I (scalar)', '000 11110 0t 1 001 ooo 10000 nnnnn ddddd', FRINT_scalar),
  enc('FMOV_imm', 'FMOV (scalar, immediate)', '000 11110 0t 1 iiiiiiii 100 00000 ddddd', FMOV_imm),
  enc('FCMP', 'FCMP/FCMPE', '000 11110 0t 1 mmmmm 00 1000 nnnnn ez 000', FCMP),
  enc('FCCMP', 'FCCMP/FCCMPE', '000 11110 0t 1 mmmmm cccc 01 nnnnn e ffff', FCCMP),
  enc('FCSEL', 'FCSEL', '000 11110 0t 1 mmmmm cccc 11 nnnnn ddddd', FCSEL),
  enc('FMUL_scalar', 'FMUL (scalar)', '000 11110 0t 1 mmmmm 0000 10 nnnnn ddddd', FMUL_scalar),
  enc('FDIV_scalar', 'FDIV (scalar)', '000 11110 0t 1 mmmmm 0001 10 nnnnn ddddd', FDIV_scalar),
  enc('FADD_scalar', 'FADD (scalar)', '000 11110 0t 1 mmmmm 0010 10 nnnnn ddddd', FADD_scalar),
  enc('FSUB_scalar', 'FSUB (scalar)', '000 11110 0t 1 mmmmm 0011 10 nnnnn ddddd', FSUB_scalar),
  enc(
    'FMAXMIN_scalar',
    'FMAX/FMIN/FMAXNM/FMINNM (scalar)',
    '000 11110 0t 1 mmmmm 01 oo 10 nnnnn ddddd',
    FMAXMIN_scalar,
  ),
  enc('FNMUL_scalar', 'FNMUL (scalar)', '000 11110 0t 1 mmmmm 1000 10 nnnnn ddddd', FMUL_scalar),
  enc('FMADD', 'FMADD/FMSUB/FNMADD/FNMSUB', '000 11111 0t o mmmmm p aaaaa nnnnn ddddd', FMADD_family),
];
