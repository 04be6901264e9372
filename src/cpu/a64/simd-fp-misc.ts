/**
 * AdvSIMD floating point (single and double lanes) — one-source operations: the two-register
 * miscellaneous group (vector and scalar: FABS, FNEG, FSQRT, FRINT*, FCVT[NPMZA][SU], SCVTF/UCVTF,
 * FRECPE, FRSQRTE, FRECPX, FCMEQ/FCMGE/FCMGT/FCMLE/FCMLT against zero, URECPE, URSQRTE), the precision
 * changes FCVTL(2), FCVTN(2) and FCVTXN(2), and the fixed-point conversions of the shift-by-immediate
 * group (SCVTF/UCVTF/FCVTZS/FCVTZU with fbits, vector and scalar).
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { clear32 } from './fp-arith.js';
import { CMP_EQ, CMP_GE, CMP_GT, CMP_LE, CMP_LT, fpCompareOp } from './fp-compare.js';
import { cvt, fixedToFp, fpConvert, fpRoundInt, fpToFixed } from './fp-conv-ops.js';
import { frecpe, frecpx, frsqrte, urecpe, ursqrte } from './fp-estimate.js';
import { fsqrt32, fsqrt64 } from './fp-ops.js';
import { F16, F32, F64, fpcrMode, RNA, RODD } from './fp-round.js';
import { fpFinish, fpLanes } from './simd-fp-arith.js';
import { clearHigh, SCRATCH } from './simd-lanes.js';

const Q = 1 << 30;
const SZ = 1 << 22;
const ABS_MASK = 0x7fffffff;
const SIGN = 1 << 31;

/** One-source lane operations. */
const ABS = 0;
const NEG = 1;
const SQRT = 2;
const RINT = 3;
const TOINT = 4;
const TOFP = 5;
const RECPE = 6;
const RSQRTE = 7;
const RECPX = 8;
const CMPZ = 9;

/**
 * Element d = op(element n). arg is the rounding mode (RINT: -1 = FPCR; TOINT), the comparison (CMPZ)
 * or unused; flag is FRINTX's exactness or the unsigned conversions; fbits for the fixed-point forms.
 */
function lane1(
  cpu: Cpu,
  op: number,
  fmt: number,
  d: number,
  n: number,
  arg: number,
  flag: boolean,
  fbits: number,
): void {
  const v32 = cpu.v32;
  const dbl = fmt === F64;
  switch (op) {
    case ABS:
    case NEG:
      // Sign-bit operations: NaNs pass unchanged and nothing is signalled.
      if (dbl) {
        v32[2 * d] = v32[2 * n];
        v32[2 * d + 1] = op === ABS ? v32[2 * n + 1] & ABS_MASK : v32[2 * n + 1] ^ SIGN;
      } else v32[d] = op === ABS ? v32[n] & ABS_MASK : v32[n] ^ SIGN;
      return;
    case SQRT:
      if (dbl) fsqrt64(cpu, d, n);
      else fsqrt32(cpu, d, n);
      return;
    case RINT:
      fpRoundInt(cpu, fmt, d, n, arg < 0 ? fpcrMode(cpu) : arg, flag);
      return;
    case TOINT:
      fpToFixed(cpu, fmt, n, fbits, flag, dbl, arg);
      if (dbl) {
        v32[2 * d] = cvt[0];
        v32[2 * d + 1] = cvt[1];
      } else v32[d] = cvt[0];
      return;
    case TOFP:
      if (dbl) fixedToFp(cpu, v32[2 * n], v32[2 * n + 1], true, flag, fbits, fmt, d, fpcrMode(cpu));
      else fixedToFp(cpu, v32[n], 0, false, flag, fbits, fmt, d, fpcrMode(cpu));
      return;
    case RECPE:
      frecpe(cpu, fmt, d, n);
      return;
    case RSQRTE:
      frsqrte(cpu, fmt, d, n);
      return;
    case RECPX:
      frecpx(cpu, fmt, d, n);
      return;
    case CMPZ: {
      const v = fpCompareOp(cpu, fmt, n, -1, arg, false) ? -1 : 0;
      if (dbl) {
        v32[2 * d] = v;
        v32[2 * d + 1] = v;
      } else v32[d] = v;
      return;
    }
  }
}

/** Lane-wise one-source operation over the instruction's elements (vector or scalar). */
function misc(cpu: Cpu, insn: number, op: number, arg: number, flag: boolean, fbits: number): void {
  const e = fpLanes(insn);
  if (e === 0) {
    cpu.undefined();
    return;
  }
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  if ((insn & SZ) !== 0) for (let i = 0; i < e; i++) lane1(cpu, op, F64, (d << 1) + i, (n << 1) + i, arg, flag, fbits);
  else for (let i = 0; i < e; i++) lane1(cpu, op, F32, (d << 2) + i, (n << 2) + i, arg, flag, fbits);
  fpFinish(cpu, insn, d);
}

/** Directed rounding of FRINT/FCVT from o2 = bit 12 and o1 = a (bit 23): RN, RP, RM, RZ. */
function rmodeOf(insn: number): number {
  return (((insn >>> 12) & 1) << 1) | ((insn >>> 23) & 1);
}

const U = 1 << 29;

function FABS_vec(cpu: Cpu, insn: number): void {
  misc(cpu, insn, ABS, 0, false, 0);
}
function FNEG_vec(cpu: Cpu, insn: number): void {
  misc(cpu, insn, NEG, 0, false, 0);
}
function FSQRT_vec(cpu: Cpu, insn: number): void {
  misc(cpu, insn, SQRT, 0, false, 0);
}
/** FRINTN/M/P/Z (U 0: rounding from the encoding), FRINTA/X/I (U 1). */
function FRINT_vec(cpu: Cpu, insn: number): void {
  if ((insn & U) === 0) {
    misc(cpu, insn, RINT, rmodeOf(insn), false, 0);
    return;
  }
  switch (rmodeOf(insn)) {
    case 0: // FRINTA
      misc(cpu, insn, RINT, RNA, false, 0);
      return;
    case 2: // FRINTX
      misc(cpu, insn, RINT, -1, true, 0);
      return;
    case 3: // FRINTI
      misc(cpu, insn, RINT, -1, false, 0);
      return;
    default:
      cpu.undefined();
  }
}
/** FCVTNS/MS/PS/ZS/NU/MU/PU/ZU (vector and scalar). */
function FCVT_vec(cpu: Cpu, insn: number): void {
  misc(cpu, insn, TOINT, rmodeOf(insn), (insn & U) !== 0, 0);
}
/** FCVTAS/FCVTAU (vector and scalar). */
function FCVTA_vec(cpu: Cpu, insn: number): void {
  misc(cpu, insn, TOINT, RNA, (insn & U) !== 0, 0);
}
/** SCVTF/UCVTF (vector and scalar, integer). */
function CVTF_vec(cpu: Cpu, insn: number): void {
  misc(cpu, insn, TOFP, 0, (insn & U) !== 0, 0);
}
function FRECPE_vec(cpu: Cpu, insn: number): void {
  misc(cpu, insn, RECPE, 0, false, 0);
}
function FRSQRTE_vec(cpu: Cpu, insn: number): void {
  misc(cpu, insn, RSQRTE, 0, false, 0);
}
function FRECPX(cpu: Cpu, insn: number): void {
  misc(cpu, insn, RECPX, 0, false, 0);
}
/** FCMGT/FCMGE (zero): U picks GE. */
function FCMGT_GE_zero(cpu: Cpu, insn: number): void {
  misc(cpu, insn, CMPZ, (insn & U) !== 0 ? CMP_GE : CMP_GT, false, 0);
}
/** FCMEQ/FCMLE (zero): U picks LE. */
function FCMEQ_LE_zero(cpu: Cpu, insn: number): void {
  misc(cpu, insn, CMPZ, (insn & U) !== 0 ? CMP_LE : CMP_EQ, false, 0);
}
function FCMLT_zero(cpu: Cpu, insn: number): void {
  misc(cpu, insn, CMPZ, CMP_LT, false, 0);
}

/** URECPE/URSQRTE (32-bit lanes only). */
function URECPE_URSQRTE(cpu: Cpu, insn: number): void {
  if ((insn & SZ) !== 0) {
    cpu.undefined();
    return;
  }
  const v32 = cpu.v32;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const e = (insn & Q) !== 0 ? 4 : 2;
  const sqrt = (insn & U) !== 0;
  for (let i = 0; i < e; i++) {
    const x = v32[(n << 2) + i];
    v32[(d << 2) + i] = sqrt ? ursqrte(x) : urecpe(x);
  }
  if ((insn & Q) === 0) clearHigh(cpu, d);
}

// ---- Precision changes ----

/** FCVTL/FCVTL2: the low (Q 0) or high (Q 1) half of Vn widened, 4H → 4S (sz 0) or 2S → 2D (sz 1). */
function FCVTL(cpu: Cpu, insn: number): void {
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const hi = (insn & Q) !== 0;
  const mode = fpcrMode(cpu);
  if ((insn & SZ) !== 0) {
    for (let i = 0; i < 2; i++) fpConvert(cpu, F32, (n << 2) + (hi ? 2 : 0) + i, F64, (SCRATCH << 1) + i, mode);
  } else {
    for (let i = 0; i < 4; i++) fpConvert(cpu, F16, (n << 3) + (hi ? 4 : 0) + i, F32, (SCRATCH << 2) + i, mode);
  }
  const v32 = cpu.v32;
  for (let k = 0; k < 4; k++) v32[(d << 2) + k] = v32[(SCRATCH << 2) + k];
}

/**
 * FCVTN/FCVTN2 (mode = FPCR) and FCVTXN/FCVTXN2 (round to odd, doubles only): 4S → 4H (sz 0) or
 * 2D → 2S (sz 1) into the low half (Q 0, the high half zeroed) or the high half (Q 1, the low half kept).
 */
function narrow(cpu: Cpu, insn: number, mode: number): void {
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  if ((insn & SZ) !== 0) {
    for (let i = 0; i < 2; i++) fpConvert(cpu, F64, (n << 1) + i, F32, (SCRATCH << 2) + i, mode);
  } else {
    for (let i = 0; i < 4; i++) fpConvert(cpu, F32, (n << 2) + i, F16, (SCRATCH << 3) + i, mode);
  }
  const v32 = cpu.v32;
  const s = SCRATCH << 2;
  if ((insn & Q) !== 0) {
    v32[(d << 2) + 2] = v32[s];
    v32[(d << 2) + 3] = v32[s + 1];
  } else {
    v32[d << 2] = v32[s];
    v32[(d << 2) + 1] = v32[s + 1];
    clearHigh(cpu, d);
  }
}

function FCVTN(cpu: Cpu, insn: number): void {
  narrow(cpu, insn, fpcrMode(cpu));
}

function FCVTXN_vec(cpu: Cpu, insn: number): void {
  if ((insn & SZ) === 0) {
    cpu.undefined();
    return;
  }
  narrow(cpu, insn, RODD);
}

/** FCVTXN (scalar): Sd = Dn rounded to odd. */
function FCVTXN_scalar(cpu: Cpu, insn: number): void {
  if ((insn & SZ) === 0) {
    cpu.undefined();
    return;
  }
  const d = insn & 31;
  fpConvert(cpu, F64, ((insn >>> 5) & 31) << 1, F32, d << 2, RODD);
  clear32(cpu, d);
}

// ---- Fixed-point conversions (shift by immediate) ----

/** fbits from immh:immb: 64-bit lanes (immh 1xxx) 128 - imm, 32-bit (01xx) 64 - imm; -1 otherwise. */
function fixedBits(insn: number): number {
  const imm = (insn >>> 16) & 0x7f;
  if ((imm & 0x40) !== 0) return 128 - imm;
  if ((imm & 0x20) !== 0) return 64 - imm;
  return -1;
}

/** SCVTF/UCVTF and FCVTZS/FCVTZU (vector and scalar, fixed-point); bit 22 (immh<3>) selects doubles. */
function CVT_fixed(cpu: Cpu, insn: number): void {
  const fbits = fixedBits(insn);
  if (fbits < 0) {
    cpu.undefined();
    return;
  }
  const toInt = (insn & (1 << 11)) !== 0;
  misc(cpu, insn, toInt ? TOINT : TOFP, 3, (insn & U) !== 0, fbits);
}

/** Two-register miscellaneous rows: vector (0 Q U 01110 a sz 10000 opcode 10) and scalar (01 U 11110 ...). */
function misc2(u: string, a: string, opcode: string, vector: boolean): string {
  return `${vector ? '0q' : '01'}${u} ${vector ? '01110' : '11110'} ${a}z 10000 ${opcode} 10 nnnnn ddddd`;
}

export const SIMD_FP_MISC_ENCODINGS: readonly Encoding[] = [
  enc('FCMGT_GE_zero', 'FCMGT/FCMGE (zero)', misc2('u', '1', '01100', true), FCMGT_GE_zero),
  enc('FCMEQ_LE_zero', 'FCMEQ/FCMLE (zero)', misc2('u', '1', '01101', true), FCMEQ_LE_zero),
  enc('FCMLT_zero', 'FCMLT (zero)', misc2('0', '1', '01110', true), FCMLT_zero),
  enc('FABS_vec', 'FABS (vector)', misc2('0', '1', '01111', true), FABS_vec),
  enc('FNEG_vec', 'FNEG (vector)', misc2('1', '1', '01111', true), FNEG_vec),
  enc('FSQRT_vec', 'FSQRT (vector)', misc2('1', '1', '11111', true), FSQRT_vec),
  enc('FRINT_vec', 'FRINTN/M/P/Z/A/X/I (vector)', misc2('u', 'a', '1100o', true), FRINT_vec),
  enc('FCVT_vec', 'FCVTNS/MS/PS/ZS/NU/MU/PU/ZU (vector)', misc2('u', 'a', '1101o', true), FCVT_vec),
  enc('FCVTA_vec', 'FCVTAS/FCVTAU (vector)', misc2('u', '0', '11100', true), FCVTA_vec),
  enc('CVTF_vec', 'SCVTF/UCVTF (vector, integer)', misc2('u', '0', '11101', true), CVTF_vec),
  enc('URECPE_URSQRTE', 'URECPE/URSQRTE', misc2('u', '1', '11100', true), URECPE_URSQRTE),
  enc('FRECPE_vec', 'FRECPE (vector)', misc2('0', '1', '11101', true), FRECPE_vec),
  enc('FRSQRTE_vec', 'FRSQRTE (vector)', misc2('1', '1', '11101', true), FRSQRTE_vec),
  enc('FCVTN', 'FCVTN/FCVTN2', misc2('0', '0', '10110', true), FCVTN),
  enc('FCVTL', 'FCVTL/FCVTL2', misc2('0', '0', '10111', true), FCVTL),
  enc('FCVTXN_vec', 'FCVTXN/FCVTXN2', misc2('1', '0', '10110', true), FCVTXN_vec),
  enc('FCMGT_GE_zero_scalar', 'FCMGT/FCMGE (zero), scalar', misc2('u', '1', '01100', false), FCMGT_GE_zero),
  enc('FCMEQ_LE_zero_scalar', 'FCMEQ/FCMLE (zero), scalar', misc2('u', '1', '01101', false), FCMEQ_LE_zero),
  enc('FCMLT_zero_scalar', 'FCMLT (zero), scalar', misc2('0', '1', '01110', false), FCMLT_zero),
  enc('FCVT_scalar_simd', 'FCVTNS/MS/PS/ZS/NU/MU/PU/ZU (scalar SIMD)', misc2('u', 'a', '1101o', false), FCVT_vec),
  enc('FCVTA_scalar_simd', 'FCVTAS/FCVTAU (scalar SIMD)', misc2('u', '0', '11100', false), FCVTA_vec),
  enc('CVTF_scalar_simd', 'SCVTF/UCVTF (scalar SIMD, integer)', misc2('u', '0', '11101', false), CVTF_vec),
  enc('FRECPE_scalar', 'FRECPE (scalar)', misc2('0', '1', '11101', false), FRECPE_vec),
  enc('FRSQRTE_scalar', 'FRSQRTE (scalar)', misc2('1', '1', '11101', false), FRSQRTE_vec),
  enc('FRECPX', 'FRECPX', misc2('0', '1', '11111', false), FRECPX),
  enc('FCVTXN_scalar', 'FCVTXN (scalar)', misc2('1', '0', '10110', false), FCVTXN_scalar),
  enc('CVTF_fixed_vec', 'SCVTF/UCVTF (vector, fixed-point)', '0qu 011110 hhhh bbb 11100 1 nnnnn ddddd', CVT_fixed),
  enc('FCVTZ_fixed_vec', 'FCVTZS/FCVTZU (vector, fixed-point)', '0qu 011110 hhhh bbb 11111 1 nnnnn ddddd', CVT_fixed),
  enc('CVTF_fixed_scalar', 'SCVTF/UCVTF (scalar, fixed-point)', '01u 111110 hhhh bbb 11100 1 nnnnn ddddd', CVT_fixed),
  enc(
    'FCVTZ_fixed_scalar',
    'FCVTZS/FCVTZU (scalar, fixed-point)',
    '01u 111110 hhhh bbb 11111 1 nnnnn ddddd',
    CVT_fixed,
  ),
];
