/**
 * AdvSIMD floating point (single and double lanes) — arithmetic: the three-same group (vector and
 * scalar: FADD, FSUB, FMUL, FDIV, FMULX, FMLA, FMLS, FMAX, FMIN, FMAXNM, FMINNM, FABD, FRECPS,
 * FRSQRTS, FCMEQ, FCMGE, FCMGT, FACGE, FACGT), the pairwise forms (FADDP, FMAXP, FMINP, FMAXNMP,
 * FMINNMP, vector and scalar), the across-lanes reductions (FMAXV, FMINV, FMAXNMV, FMINNMV), the
 * by-element multiplies (FMUL, FMULX, FMLA, FMLS, vector and scalar) and FMOV (vector, immediate).
 *
 * sz (bit 22) selects double lanes; the vector form with double lanes and Q = 0 is reserved. The scalar
 * forms (bit 28 set) share handlers with the vector ones and work on element 0. Lane operations read
 * their operands before writing, so element-wise loops may alias; results gathered from other lanes
 * (pairwise, reductions, by-element operands) go through the scratch registers.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { clear32, clear64, FP_IMM8 } from './fp-arith.js';
import { CMP_EQ, CMP_GE, CMP_GT, fpCompareOp, fpMaxMin } from './fp-compare.js';
import { frecps } from './fp-estimate.js';
import { fmadd32, fmadd64 } from './fp-fma.js';
import { fadd32, fadd64, fdiv32, fdiv64, fmul32, fmul64 } from './fp-ops.js';
import { F32, F64 } from './fp-round.js';
import { clearHigh, commit, SCRATCH, SCRATCH2 } from './simd-lanes.js';

const Q = 1 << 30;
const SZ = 1 << 22;
const SCALAR = 1 << 28;
const ABS_MASK = 0x7fffffff;

/** Lane operations. */
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const MULX = 4;
const MAX = 5;
const MIN = 6;
const MAXNM = 7;
const MINNM = 8;
const ABD = 9;
const RECPS = 10;
const RSQRTS = 11;
const CMEQ = 12;
const CMGE = 13;
const CMGT = 14;
const ACGE = 15;
const ACGT = 16;
const MLA = 17;
const MLS = 18;

/** Number of FP elements an instruction works on; 0 for the reserved vector form (double lanes, Q = 0). */
export function fpLanes(insn: number): number {
  if ((insn & SCALAR) !== 0) return 1;
  if ((insn & SZ) !== 0) return (insn & Q) !== 0 ? 2 : 0;
  return (insn & Q) !== 0 ? 4 : 2;
}

/** The zeroing rule after writing register d: scalar keeps its element, 64-bit vectors their low half. */
export function fpFinish(cpu: Cpu, insn: number, d: number): void {
  if ((insn & SCALAR) !== 0) {
    if ((insn & SZ) !== 0) clear64(cpu, d);
    else clear32(cpu, d);
  } else if ((insn & Q) === 0) clearHigh(cpu, d);
}

/** Writes an all-ones or all-zeros comparison mask to element d. */
function putMask(cpu: Cpu, fmt: number, d: number, t: boolean): void {
  const v = t ? -1 : 0;
  if (fmt === F64) {
    cpu.v32[2 * d] = v;
    cpu.v32[2 * d + 1] = v;
  } else cpu.v32[d] = v;
}

/** One lane of a two-operand operation: element d = op(element n, element m) in format fmt. */
function lane(cpu: Cpu, op: number, fmt: number, d: number, n: number, m: number): void {
  const dbl = fmt === F64;
  switch (op) {
    case ADD:
      if (dbl) fadd64(cpu, d, n, m, false);
      else fadd32(cpu, d, n, m, false);
      return;
    case SUB:
      if (dbl) fadd64(cpu, d, n, m, true);
      else fadd32(cpu, d, n, m, true);
      return;
    case MUL:
    case MULX:
      if (dbl) fmul64(cpu, d, n, m, op === MULX);
      else fmul32(cpu, d, n, m, op === MULX);
      return;
    case DIV:
      if (dbl) fdiv64(cpu, d, n, m);
      else fdiv32(cpu, d, n, m);
      return;
    case MAX:
    case MIN:
    case MAXNM:
    case MINNM:
      fpMaxMin(cpu, fmt, d, n, m, op === MIN || op === MINNM, op >= MAXNM);
      return;
    case ABD:
      // FPAbs(FPSub(...)): the sign is cleared, NaN results included.
      if (dbl) {
        fadd64(cpu, d, n, m, true);
        cpu.v32[2 * d + 1] &= ABS_MASK;
      } else {
        fadd32(cpu, d, n, m, true);
        cpu.v32[d] &= ABS_MASK;
      }
      return;
    case RECPS:
    case RSQRTS:
      frecps(cpu, fmt, d, n, m, op === RSQRTS);
      return;
    case CMEQ:
      putMask(cpu, fmt, d, fpCompareOp(cpu, fmt, n, m, CMP_EQ, false));
      return;
    case CMGE:
      putMask(cpu, fmt, d, fpCompareOp(cpu, fmt, n, m, CMP_GE, false));
      return;
    case CMGT:
      putMask(cpu, fmt, d, fpCompareOp(cpu, fmt, n, m, CMP_GT, false));
      return;
    case ACGE:
      putMask(cpu, fmt, d, fpCompareOp(cpu, fmt, n, m, CMP_GE, true));
      return;
    case ACGT:
      putMask(cpu, fmt, d, fpCompareOp(cpu, fmt, n, m, CMP_GT, true));
      return;
    case MLA:
    case MLS:
      if (dbl) fmadd64(cpu, d, d, n, m, false, op === MLS);
      else fmadd32(cpu, d, d, n, m, false, op === MLS);
      return;
  }
}

/** Element-wise three-same operation over the instruction's lanes. */
function sameOp(cpu: Cpu, insn: number, op: number): void {
  const e = fpLanes(insn);
  if (e === 0) {
    cpu.undefined();
    return;
  }
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  if ((insn & SZ) !== 0) for (let i = 0; i < e; i++) lane(cpu, op, F64, (d << 1) + i, (n << 1) + i, (m << 1) + i);
  else for (let i = 0; i < e; i++) lane(cpu, op, F32, (d << 2) + i, (n << 2) + i, (m << 2) + i);
  fpFinish(cpu, insn, d);
}

// The hottest lane operations get their own loops, so each call site is monomorphic and inlinable.

function FADD_vec(cpu: Cpu, insn: number): void {
  const e = fpLanes(insn);
  if (e === 0) {
    cpu.undefined();
    return;
  }
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  if ((insn & SZ) !== 0) for (let i = 0; i < e; i++) fadd64(cpu, (d << 1) + i, (n << 1) + i, (m << 1) + i, false);
  else for (let i = 0; i < e; i++) fadd32(cpu, (d << 2) + i, (n << 2) + i, (m << 2) + i, false);
  fpFinish(cpu, insn, d);
}
function FSUB_vec(cpu: Cpu, insn: number): void {
  const e = fpLanes(insn);
  if (e === 0) {
    cpu.undefined();
    return;
  }
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  if ((insn & SZ) !== 0) for (let i = 0; i < e; i++) fadd64(cpu, (d << 1) + i, (n << 1) + i, (m << 1) + i, true);
  else for (let i = 0; i < e; i++) fadd32(cpu, (d << 2) + i, (n << 2) + i, (m << 2) + i, true);
  fpFinish(cpu, insn, d);
}
function FMUL_vec(cpu: Cpu, insn: number): void {
  const e = fpLanes(insn);
  if (e === 0) {
    cpu.undefined();
    return;
  }
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  if ((insn & SZ) !== 0) for (let i = 0; i < e; i++) fmul64(cpu, (d << 1) + i, (n << 1) + i, (m << 1) + i, false);
  else for (let i = 0; i < e; i++) fmul32(cpu, (d << 2) + i, (n << 2) + i, (m << 2) + i, false);
  fpFinish(cpu, insn, d);
}
function FDIV_vec(cpu: Cpu, insn: number): void {
  const e = fpLanes(insn);
  if (e === 0) {
    cpu.undefined();
    return;
  }
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  if ((insn & SZ) !== 0) for (let i = 0; i < e; i++) fdiv64(cpu, (d << 1) + i, (n << 1) + i, (m << 1) + i);
  else for (let i = 0; i < e; i++) fdiv32(cpu, (d << 2) + i, (n << 2) + i, (m << 2) + i);
  fpFinish(cpu, insn, d);
}
/** FMLA/FMLS (vector): bit 23 (a) negates the Vn element (FMLS). */
function FMLA_FMLS_vec(cpu: Cpu, insn: number): void {
  const e = fpLanes(insn);
  if (e === 0) {
    cpu.undefined();
    return;
  }
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const neg = (insn & (1 << 23)) !== 0;
  if ((insn & SZ) !== 0)
    for (let i = 0; i < e; i++) fmadd64(cpu, (d << 1) + i, (d << 1) + i, (n << 1) + i, (m << 1) + i, false, neg);
  else for (let i = 0; i < e; i++) fmadd32(cpu, (d << 2) + i, (d << 2) + i, (n << 2) + i, (m << 2) + i, false, neg);
  fpFinish(cpu, insn, d);
}
function FMULX_vec(cpu: Cpu, insn: number): void {
  sameOp(cpu, insn, MULX);
}
function FMAX_vec(cpu: Cpu, insn: number): void {
  sameOp(cpu, insn, MAX);
}
function FMIN_vec(cpu: Cpu, insn: number): void {
  sameOp(cpu, insn, MIN);
}
function FMAXNM_vec(cpu: Cpu, insn: number): void {
  sameOp(cpu, insn, MAXNM);
}
function FMINNM_vec(cpu: Cpu, insn: number): void {
  sameOp(cpu, insn, MINNM);
}
function FABD_vec(cpu: Cpu, insn: number): void {
  sameOp(cpu, insn, ABD);
}
function FRECPS_vec(cpu: Cpu, insn: number): void {
  sameOp(cpu, insn, RECPS);
}
function FRSQRTS_vec(cpu: Cpu, insn: number): void {
  sameOp(cpu, insn, RSQRTS);
}
function FCMEQ_reg(cpu: Cpu, insn: number): void {
  sameOp(cpu, insn, CMEQ);
}
function FCMGE_reg(cpu: Cpu, insn: number): void {
  sameOp(cpu, insn, CMGE);
}
function FCMGT_reg(cpu: Cpu, insn: number): void {
  sameOp(cpu, insn, CMGT);
}
function FACGE(cpu: Cpu, insn: number): void {
  sameOp(cpu, insn, ACGE);
}
function FACGT(cpu: Cpu, insn: number): void {
  sameOp(cpu, insn, ACGT);
}

// ---- Pairwise and reductions ----

/** Pairwise operation on the concatenation Vm:Vn (vector), built in the scratch register. */
function pairOp(cpu: Cpu, insn: number, op: number): void {
  const e = fpLanes(insn);
  if (e === 0) {
    cpu.undefined();
    return;
  }
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const h = e >> 1;
  if ((insn & SZ) !== 0) {
    const s = SCRATCH << 1;
    for (let i = 0; i < h; i++) lane(cpu, op, F64, s + i, (n << 1) + 2 * i, (n << 1) + 2 * i + 1);
    for (let i = 0; i < h; i++) lane(cpu, op, F64, s + h + i, (m << 1) + 2 * i, (m << 1) + 2 * i + 1);
  } else {
    const s = SCRATCH << 2;
    for (let i = 0; i < h; i++) lane(cpu, op, F32, s + i, (n << 2) + 2 * i, (n << 2) + 2 * i + 1);
    for (let i = 0; i < h; i++) lane(cpu, op, F32, s + h + i, (m << 2) + 2 * i, (m << 2) + 2 * i + 1);
  }
  commit(cpu, d, SCRATCH, (insn & Q) !== 0 ? 16 : 8);
}

function FADDP_vec(cpu: Cpu, insn: number): void {
  pairOp(cpu, insn, ADD);
}
function FMAXP_vec(cpu: Cpu, insn: number): void {
  pairOp(cpu, insn, MAX);
}
function FMINP_vec(cpu: Cpu, insn: number): void {
  pairOp(cpu, insn, MIN);
}
function FMAXNMP_vec(cpu: Cpu, insn: number): void {
  pairOp(cpu, insn, MAXNM);
}
function FMINNMP_vec(cpu: Cpu, insn: number): void {
  pairOp(cpu, insn, MINNM);
}

/**
 * The operation of the scalar pairwise and across-lanes forms from opcode (bits 16:12) and a (bit 23):
 * 01100 MAXNM/MINNM, 01101 ADD (a = 0, pairwise only), 01111 MAX/MIN; -1 when unallocated.
 */
function pairScalarOp(insn: number, reduce: boolean): number {
  const min = (insn & (1 << 23)) !== 0;
  switch ((insn >>> 12) & 0x1f) {
    case 0b01100:
      return min ? MINNM : MAXNM;
    case 0b01101:
      return min || reduce ? -1 : ADD;
    case 0b01111:
      return min ? MIN : MAX;
    default:
      return -1;
  }
}

/** FADDP, FMAXP, FMINP, FMAXNMP, FMINNMP (scalar): the two elements of Vn. */
function PAIR_scalar(cpu: Cpu, insn: number): void {
  const op = pairScalarOp(insn, false);
  if (op < 0) {
    cpu.undefined();
    return;
  }
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  if ((insn & SZ) !== 0) {
    lane(cpu, op, F64, d << 1, n << 1, (n << 1) + 1);
    clear64(cpu, d);
  } else {
    lane(cpu, op, F32, d << 2, n << 2, (n << 2) + 1);
    clear32(cpu, d);
  }
}

/** FMAXV, FMINV, FMAXNMV, FMINNMV (4S only): op(op(e0, e1), op(e2, e3)) as the Arm ARM's Reduce. */
function REDUCE(cpu: Cpu, insn: number): void {
  const op = pairScalarOp(insn, true);
  if ((insn & SZ) !== 0 || (insn & Q) === 0 || op < 0) {
    cpu.undefined();
    return;
  }
  const n = (insn >>> 5) & 31;
  const d = insn & 31;
  const s = SCRATCH << 2;
  lane(cpu, op, F32, s, n << 2, (n << 2) + 1);
  lane(cpu, op, F32, s + 1, (n << 2) + 2, (n << 2) + 3);
  lane(cpu, op, F32, d << 2, s, s + 1);
  clear32(cpu, d);
}

// ---- By element ----

/**
 * FMLA, FMLS, FMUL, FMULX (by element), vector and scalar: the indexed element of Vm (index H:L for
 * single, H for double; Rm is M:Rm) is copied to the scratch register first, since Vd may be Vm.
 */
function byElem(cpu: Cpu, insn: number, op: number): void {
  const e = fpLanes(insn);
  const dbl = (insn & SZ) !== 0;
  const l = (insn >>> 21) & 1;
  if (e === 0 || (dbl && l !== 0)) {
    cpu.undefined();
    return;
  }
  const h = (insn >>> 11) & 1;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const m = (insn >>> 16) & 31;
  const v32 = cpu.v32;
  const s = SCRATCH2 << 2;
  if (dbl) {
    const src = (m << 2) + (h << 1);
    v32[s] = v32[src];
    v32[s + 1] = v32[src + 1];
    for (let i = 0; i < e; i++) lane(cpu, op, F64, (d << 1) + i, (n << 1) + i, SCRATCH2 << 1);
  } else {
    v32[s] = v32[(m << 2) + ((h << 1) | l)];
    for (let i = 0; i < e; i++) lane(cpu, op, F32, (d << 2) + i, (n << 2) + i, s);
  }
  fpFinish(cpu, insn, d);
}

function FMLA_elem(cpu: Cpu, insn: number): void {
  byElem(cpu, insn, MLA);
}
function FMLS_elem(cpu: Cpu, insn: number): void {
  byElem(cpu, insn, MLS);
}
function FMUL_elem(cpu: Cpu, insn: number): void {
  byElem(cpu, insn, MUL);
}
function FMULX_elem(cpu: Cpu, insn: number): void {
  byElem(cpu, insn, MULX);
}

// ---- FMOV (vector, immediate) ----

/** FMOV Vd.2S/4S, #imm (op 0) and FMOV Vd.2D, #imm (op 1, Q 1): imm8 = abc:defgh. */
function FMOV_vec_imm(cpu: Cpu, insn: number): void {
  const d = insn & 31;
  const v = FP_IMM8[(((insn >>> 16) & 7) << 5) | ((insn >>> 5) & 31)];
  if ((insn & (1 << 29)) !== 0) {
    cpu.vf64[d << 1] = v;
    cpu.vf64[(d << 1) + 1] = v;
    return;
  }
  const f = cpu.vf32;
  f[d << 2] = v;
  f[(d << 2) + 1] = v;
  if ((insn & Q) !== 0) {
    f[(d << 2) + 2] = v;
    f[(d << 2) + 3] = v;
  } else clearHigh(cpu, d);
}

/** Three-same rows: vector (0 Q U 01110 a sz 1 Rm opcode 1 Rn Rd) and scalar (01 U 11110 ...). */
function same(u: number, a: number, opcode: string, vector: boolean): string {
  return `${vector ? '0q' : '01'}${u} ${vector ? '01110' : '11110'} ${a}z 1 mmmmm ${opcode} 1 nnnnn ddddd`;
}

export const SIMD_FP_ARITH_ENCODINGS: readonly Encoding[] = [
  enc('FMAXNM_vec', 'FMAXNM (vector)', same(0, 0, '11000', true), FMAXNM_vec),
  enc('FMLA_vec', 'FMLA (vector)', same(0, 0, '11001', true), FMLA_FMLS_vec),
  enc('FADD_vec', 'FADD (vector)', same(0, 0, '11010', true), FADD_vec),
  enc('FMULX_vec', 'FMULX (vector)', same(0, 0, '11011', true), FMULX_vec),
  enc('FCMEQ_reg', 'FCMEQ (register)', same(0, 0, '11100', true), FCMEQ_reg),
  enc('FMAX_vec', 'FMAX (vector)', same(0, 0, '11110', true), FMAX_vec),
  enc('FRECPS_vec', 'FRECPS (vector)', same(0, 0, '11111', true), FRECPS_vec),
  enc('FMINNM_vec', 'FMINNM (vector)', same(0, 1, '11000', true), FMINNM_vec),
  enc('FMLS_vec', 'FMLS (vector)', same(0, 1, '11001', true), FMLA_FMLS_vec),
  enc('FSUB_vec', 'FSUB (vector)', same(0, 1, '11010', true), FSUB_vec),
  enc('FMIN_vec', 'FMIN (vector)', same(0, 1, '11110', true), FMIN_vec),
  enc('FRSQRTS_vec', 'FRSQRTS (vector)', same(0, 1, '11111', true), FRSQRTS_vec),
  enc('FMAXNMP_vec', 'FMAXNMP (vector)', same(1, 0, '11000', true), FMAXNMP_vec),
  enc('FADDP_vec', 'FADDP (vector)', same(1, 0, '11010', true), FADDP_vec),
  enc('FMUL_vec', 'FMUL (vector)', same(1, 0, '11011', true), FMUL_vec),
  enc('FCMGE_reg', 'FCMGE (register)', same(1, 0, '11100', true), FCMGE_reg),
  enc('FACGE', 'FACGE', same(1, 0, '11101', true), FACGE),
  enc('FMAXP_vec', 'FMAXP (vector)', same(1, 0, '11110', true), FMAXP_vec),
  enc('FDIV_vec', 'FDIV (vector)', same(1, 0, '11111', true), FDIV_vec),
  enc('FMINNMP_vec', 'FMINNMP (vector)', same(1, 1, '11000', true), FMINNMP_vec),
  enc('FABD', 'FABD', same(1, 1, '11010', true), FABD_vec),
  enc('FCMGT_reg', 'FCMGT (register)', same(1, 1, '11100', true), FCMGT_reg),
  enc('FACGT', 'FACGT', same(1, 1, '11101', true), FACGT),
  enc('FMINP_vec', 'FMINP (vector)', same(1, 1, '11110', true), FMINP_vec),
  enc('FMULX_scalar', 'FMULX (scalar)', same(0, 0, '11011', false), FMULX_vec),
  enc('FCMEQ_reg_scalar', 'FCMEQ (register), scalar', same(0, 0, '11100', false), FCMEQ_reg),
  enc('FRECPS_scalar', 'FRECPS (scalar)', same(0, 0, '11111', false), FRECPS_vec),
  enc('FRSQRTS_scalar', 'FRSQRTS (scalar)', same(0, 1, '11111', false), FRSQRTS_vec),
  enc('FCMGE_reg_scalar', 'FCMGE (register), scalar', same(1, 0, '11100', false), FCMGE_reg),
  enc('FACGE_scalar', 'FACGE (scalar)', same(1, 0, '11101', false), FACGE),
  enc('FABD_scalar', 'FABD (scalar)', same(1, 1, '11010', false), FABD_vec),
  enc('FCMGT_reg_scalar', 'FCMGT (register), scalar', same(1, 1, '11100', false), FCMGT_reg),
  enc('FACGT_scalar', 'FACGT (scalar)', same(1, 1, '11101', false), FACGT),
  enc(
    'FP_PAIR_scalar',
    'FADDP/FMAXP/FMINP/FMAXNMP/FMINNMP (scalar)',
    '011 11110 az 11000 011oo 10 nnnnn ddddd',
    PAIR_scalar,
  ),
  enc('FP_REDUCE', 'FMAXV/FMINV/FMAXNMV/FMINNMV', '0q1 01110 az 11000 011oo 10 nnnnn ddddd', REDUCE),
  enc('FMLA_elem', 'FMLA (by element)', '0q0 01111 1z lm mmmm 0001 h 0 nnnnn ddddd', FMLA_elem),
  enc('FMLS_elem', 'FMLS (by element)', '0q0 01111 1z lm mmmm 0101 h 0 nnnnn ddddd', FMLS_elem),
  enc('FMUL_elem', 'FMUL (by element)', '0q0 01111 1z lm mmmm 1001 h 0 nnnnn ddddd', FMUL_elem),
  enc('FMULX_elem', 'FMULX (by element)', '0q1 01111 1z lm mmmm 1001 h 0 nnnnn ddddd', FMULX_elem),
  enc('FMLA_elem_scalar', 'FMLA (by element), scalar', '010 11111 1z lm mmmm 0001 h 0 nnnnn ddddd', FMLA_elem),
  enc('FMLS_elem_scalar', 'FMLS (by element), scalar', '010 11111 1z lm mmmm 0101 h 0 nnnnn ddddd', FMLS_elem),
  enc('FMUL_elem_scalar', 'FMUL (by element), scalar', '010 11111 1z lm mmmm 1001 h 0 nnnnn ddddd', FMUL_elem),
  enc('FMULX_elem_scalar', 'FMULX (by element), scalar', '011 11111 1z lm mmmm 1001 h 0 nnnnn ddddd', FMULX_elem),
  enc('FMOV_vec_imm', 'FMOV (vector, immediate), single', '0q0 0111100000 iii 1111 0 1 jjjjj ddddd', FMOV_vec_imm),
  enc('FMOV_vec_imm_d', 'FMOV (vector, immediate), double', '011 0111100000 iii 1111 0 1 jjjjj ddddd', FMOV_vec_imm),
];
