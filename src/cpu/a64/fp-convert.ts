/**
 * Scalar floating point — conversions: FCVT between half, single and double; FCVT[NAPMZ][SU] to 32/64-bit
 * integers and FCVTZ[SU] to fixed point; SCVTF/UCVTF from integers and fixed point; FMOV between
 * general and FP registers (W↔S, X↔D, W/X↔H, X↔V.D[1]) and FJCVTZS. Semantics in fp-conv-ops.ts.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { clear32, clear64 } from './fp-arith.js';
import { cvt, fixedToFp, fpConvert, fpToFixed } from './fp-conv-ops.js';
import { QNAN, unpack } from './fp-ops.js';
import { F16, F32, F64, fpcrMode, IOC, IXC, RNA } from './fp-round.js';
import { rz, wz } from './registers.js';

const DBL = 1 << 22;

/**
 * FMOV to/from H registers needs FEAT_FP16 (ARMv8.2) and FJCVTZS FEAT_JSCVT (ARMv8.3). compat64 models
 * a Cortex-A72 (ARMv8.0, see id-registers.ts), where both are undefined; the code stays for the day
 * those features are implemented in full and advertised.
 */
const FEAT_FP16 = false;
const FEAT_JSCVT = false;

/** Zeroes everything above the low 16 bits of register d (half-precision writes). */
function clear16(cpu: Cpu, d: number): void {
  cpu.v16[(d << 3) + 1] = 0;
  clear32(cpu, d);
}

/** Element index of register r for a format (F64: vf64, F32: vf32, F16: v16). */
function elem(fmt: number, r: number): number {
  return fmt === F64 ? r << 1 : fmt === F32 ? r << 2 : r << 3;
}

/** ftype (bits 23:22) to format: 00 single, 01 double, 11 half; 10 is -1 (unallocated). */
const FTYPE = [F32, F64, -1, F16];

/** FCVT (scalar) between any two of half, single and double precision (opc in bits 16:15). */
function FCVT_scalar(cpu: Cpu, insn: number): void {
  const from = FTYPE[(insn >>> 22) & 3];
  const to = FTYPE[(insn >>> 15) & 3];
  if (from < 0 || to < 0 || from === to) {
    cpu.undefined();
    return;
  }
  const d = insn & 31;
  fpConvert(cpu, from, elem(from, (insn >>> 5) & 31), to, elem(to, d), fpcrMode(cpu));
  if (to === F64) clear64(cpu, d);
  else if (to === F32) clear32(cpu, d);
  else clear16(cpu, d);
}

/** Writes a conversion result to Wd/Xd (31 = XZR). */
function putInt(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = cvt[0];
  x[d + 1] = insn < 0 ? cvt[1] : 0;
}

/** FCVTNS/NU/PS/PU/MS/MU/ZS/ZU (scalar, to integer): rmode (bits 20:19) is the rounding, bit 16 unsigned. */
function FCVT_int(cpu: Cpu, insn: number): void {
  const n = (insn >>> 5) & 31;
  const dbl = (insn & DBL) !== 0;
  fpToFixed(cpu, dbl ? F64 : F32, dbl ? n << 1 : n << 2, 0, (insn & 0x10000) !== 0, insn < 0, (insn >>> 19) & 3);
  putInt(cpu, insn);
}

/** FCVTAS/FCVTAU (scalar): to nearest with ties away from zero. */
function FCVTA_int(cpu: Cpu, insn: number): void {
  const n = (insn >>> 5) & 31;
  const dbl = (insn & DBL) !== 0;
  fpToFixed(cpu, dbl ? F64 : F32, dbl ? n << 1 : n << 2, 0, (insn & 0x10000) !== 0, insn < 0, RNA);
  putInt(cpu, insn);
}

/** fbits of the fixed-point forms: 64 - scale; the 32-bit forms need scale >= 32. */
function fbitsOf(cpu: Cpu, insn: number): number {
  const sc = (insn >>> 10) & 63;
  if (insn >= 0 && sc < 32) {
    cpu.undefined();
    return -1;
  }
  return 64 - sc;
}

/** FCVTZS/FCVTZU (scalar, fixed-point). */
function FCVTZ_fixed(cpu: Cpu, insn: number): void {
  const fbits = fbitsOf(cpu, insn);
  if (fbits < 0) return;
  const n = (insn >>> 5) & 31;
  const dbl = (insn & DBL) !== 0;
  fpToFixed(cpu, dbl ? F64 : F32, dbl ? n << 1 : n << 2, fbits, (insn & 0x10000) !== 0, insn < 0, 3);
  putInt(cpu, insn);
}

/** SCVTF/UCVTF from a W or X register into Sd/Dd, dividing by 2^fbits. */
function cvtf(cpu: Cpu, insn: number, fbits: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const d = insn & 31;
  const is64 = insn < 0;
  const unsigned = (insn & 0x10000) !== 0;
  if ((insn & DBL) !== 0) {
    fixedToFp(cpu, x[n], x[n + 1], is64, unsigned, fbits, F64, d << 1, fpcrMode(cpu));
    clear64(cpu, d);
  } else {
    fixedToFp(cpu, x[n], x[n + 1], is64, unsigned, fbits, F32, d << 2, fpcrMode(cpu));
    clear32(cpu, d);
  }
}

/** SCVTF/UCVTF (scalar, integer). */
function CVTF_int(cpu: Cpu, insn: number): void {
  cvtf(cpu, insn, 0);
}

/** SCVTF/UCVTF (scalar, fixed-point). */
function CVTF_fixed(cpu: Cpu, insn: number): void {
  const fbits = fbitsOf(cpu, insn);
  if (fbits >= 0) cvtf(cpu, insn, fbits);
}

/**
 * FMOV (general) in all its forms, chosen by sf:ftype:rmode:opcode<0>, and FJCVTZS (sf 0, ftype 01,
 * rmode 11, opcode 110). Bit moves only: no FP exceptions.
 */
function FMOV_gen(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const v32 = cpu.v32;
  const d = insn & 31;
  const n = (insn >>> 5) & 31;
  const toFp = (insn & 0x10000) !== 0;
  const sel = ((insn >>> 31) << 4) | (((insn >>> 22) & 3) << 2) | ((insn >>> 19) & 3);
  switch (sel) {
    case 0b0_00_00: // W <-> S
      if (toFp) {
        v32[d << 2] = x[rz(n)];
        clear32(cpu, d);
      } else {
        x[wz(d)] = v32[n << 2];
        x[wz(d) + 1] = 0;
      }
      return;
    case 0b1_01_00: // X <-> D
      if (toFp) {
        v32[d << 2] = x[rz(n)];
        v32[(d << 2) + 1] = x[rz(n) + 1];
        clear64(cpu, d);
      } else {
        x[wz(d)] = v32[n << 2];
        x[wz(d) + 1] = v32[(n << 2) + 1];
      }
      return;
    case 0b1_10_01: // X <-> V.D[1]: the other half of the vector register is kept
      if (toFp) {
        v32[(d << 2) + 2] = x[rz(n)];
        v32[(d << 2) + 3] = x[rz(n) + 1];
      } else {
        x[wz(d)] = v32[(n << 2) + 2];
        x[wz(d) + 1] = v32[(n << 2) + 3];
      }
      return;
    case 0b0_11_00: // W <-> H
    case 0b1_11_00: // X <-> H
      if (!FEAT_FP16) break;
      if (toFp) {
        cpu.v16[d << 3] = x[rz(n)];
        clear16(cpu, d);
      } else {
        x[wz(d)] = cpu.v16[n << 3];
        x[wz(d) + 1] = 0;
      }
      return;
    case 0b0_01_11:
      if (FEAT_JSCVT && !toFp) {
        FJCVTZS(cpu, d, n);
        return;
      }
      break;
  }
  cpu.undefined();
}

const TWO32 = 4294967296;

/**
 * FJCVTZS: double to int32 the JavaScript way (toward zero, modulo 2^32); Z is set only when the
 * conversion was exact and in range (and not -0 or a flushed denormal); N, C, V are cleared.
 */
function FJCVTZS(cpu: Cpu, d: number, n: number): void {
  const t = unpack(cpu, F64, n << 1);
  const hi = cpu.v32[(n << 2) + 1];
  const v = cpu.vf64[n << 1];
  let z = 1;
  let r = 0;
  if (t >= QNAN) {
    cpu.fpsr |= IOC;
    z = 0;
  } else {
    const value = (hi & 0x7ff00000) === 0 && (cpu.fpcr & (1 << 24)) !== 0 ? 0 : v;
    const i = Math.trunc(value);
    if (Math.abs(i) === Number.POSITIVE_INFINITY) {
      cpu.fpsr |= IOC;
      z = 0;
    } else {
      r = i - Math.floor(i / TWO32) * TWO32;
      if (i < -2147483648 || i > 2147483647) {
        cpu.fpsr |= IOC;
        z = 0;
      } else if (i !== value) {
        cpu.fpsr |= IXC;
        z = 0;
      } else if (value === 0 && (hi < 0 || v !== 0)) z = 0;
    }
  }
  const x = cpu.x;
  x[wz(d)] = r | 0;
  x[wz(d) + 1] = 0;
  cpu.nf = 0;
  cpu.zf = z;
  cpu.cf = 0;
  cpu.vf = 0;
}

export const FP_CONVERT_ENCODINGS: readonly Encoding[] = [
  enc('FCVT_scalar', 'FCVT (scalar)', '000 11110 tt 1 0001 oo 10000 nnnnn ddddd', FCVT_scalar),
  enc(
    'FCVT_int',
    'FCVTNS/NU/PS/PU/MS/MU/ZS/ZU (scalar, integer)',
    's00 11110 0t 1 rr 00u 000000 nnnnn ddddd',
    FCVT_int,
  ),
  enc('FCVTA_int', 'FCVTAS/FCVTAU (scalar)', 's00 11110 0t 1 00 10u 000000 nnnnn ddddd', FCVTA_int),
  enc('CVTF_int', 'SCVTF/UCVTF (scalar, integer)', 's00 11110 0t 1 00 01u 000000 nnnnn ddddd', CVTF_int),
  enc('FMOV_gen', 'FMOV (general); FJCVTZS', 's00 11110 tt 1 rr 11o 000000 nnnnn ddddd', FMOV_gen),
  enc('FCVTZ_fixed', 'FCVTZS/FCVTZU (scalar, fixed-point)', 's00 11110 0t 0 11 00u kkkkkk nnnnn ddddd', FCVTZ_fixed),
  enc('CVTF_fixed', 'SCVTF/UCVTF (scalar, fixed-point)', 's00 11110 0t 0 00 01u kkkkkk nnnnn ddddd', CVTF_fixed),
];
