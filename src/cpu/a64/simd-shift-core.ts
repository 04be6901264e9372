/**
 * Element shift, rounding and narrowing primitives shared by the AdvSIMD shift-by-register,
 * shift-by-immediate and narrowing (XTN/SQXTN…) handlers. Elements of up to 32 bits are numbers
 * (shifts are exact multiplications/divisions by powers of two); 64-bit lanes use simd-lane64.ts.
 */
import type { Cpu } from './cpu.js';
import { qshl64, rshr64, shl64, shr64 } from './simd-lane64.js';
import { FPSR_QC, POW2, SMAX, SMIN, satS, satU, UMAX } from './simd-lanes.js';

/**
 * x (an element value, signed or unsigned) shifted left by sh when sh >= 0 (exact, not truncated),
 * or right by -sh with optional rounding. Shifts beyond 40 behave like 40 for 32-bit inputs.
 */
export function shiftNum(x: number, sh: number, round: boolean): number {
  if (sh >= 0) return x * POW2[Math.min(sh, 40)];
  const s = Math.min(-sh, 40);
  let r = Math.floor(x / POW2[s]);
  if (round) r += Math.floor(x / POW2[s - 1]) & 1;
  return r;
}

/**
 * A 64-bit lane at index a shifted by sh (negative = right), signed or not, rounding and/or
 * saturating (saturation applies to left shifts only: right shifts always fit), into index d.
 */
export function shift64(
  cpu: Cpu,
  d: number,
  a: number,
  sh: number,
  signed: boolean,
  round: boolean,
  sat: boolean,
): void {
  if (sh >= 0) {
    if (sat) qshl64(cpu, d, a, sh, signed, signed);
    else shl64(cpu.v32, d, a, sh);
  } else if (round) {
    rshr64(cpu.v32, d, a, -sh, signed);
  } else {
    shr64(cpu.v32, d, a, -sh, signed);
  }
}

/** Narrowing kinds: truncate (XTN, SHRN), signed saturate, unsigned saturate, signed to unsigned saturate. */
export const NARROW_TRUNC = 0;
export const NARROW_SS = 1;
export const NARROW_UU = 2;
export const NARROW_SU = 3;

/** Narrows a number-valued element to size (0..1, or 2 for 32-bit results of ≤32-bit math) by kind. */
export function narrowNum(cpu: Cpu, v: number, size: number, kind: number): number {
  if (kind === NARROW_TRUNC) return v;
  if (kind === NARROW_SS) return satS(cpu, v, size);
  return satU(cpu, v, size);
}

/** Narrows the 64-bit lane at v32 index a to 32 bits by kind (QC on saturation); returns it as int32. */
export function narrow64(cpu: Cpu, a: number, kind: number): number {
  const lo = cpu.v32[a];
  const hi = cpu.v32[a + 1];
  switch (kind) {
    case NARROW_TRUNC:
      return lo;
    case NARROW_SS:
      if (hi === lo >> 31) return lo;
      cpu.fpsr |= FPSR_QC;
      return hi < 0 ? SMIN[2] : SMAX[2];
    case NARROW_UU:
      if (hi === 0) return lo;
      cpu.fpsr |= FPSR_QC;
      return UMAX[2] | 0;
    default:
      if (hi === 0) return lo;
      cpu.fpsr |= FPSR_QC;
      return hi < 0 ? 0 : UMAX[2] | 0;
  }
}
