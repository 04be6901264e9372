/**
 * Lane access to the SIMD register file for the AdvSIMD handlers: elements of 8, 16 and 32 bits as
 * plain numbers, the scratch registers, FPSR.QC and the zeroing rules for 64-bit and scalar results.
 * (64-bit lanes are handled on their 32-bit halves in simd-lane64.ts.)
 */
import type { Cpu } from './cpu.js';

/** Register numbers of the two scratch registers behind V31 (cpu.vbuf bytes 512–543). */
export const SCRATCH = 32;
export const SCRATCH2 = 33;

/** FPSR.QC, the cumulative saturation bit. */
export const FPSR_QC = 1 << 27;

export function setQC(cpu: Cpu): void {
  cpu.fpsr |= FPSR_QC;
}

/** Element e (size 0..2 = 8/16/32 bits) of register r, zero-extended. */
export function getU(cpu: Cpu, size: number, r: number, e: number): number {
  switch (size) {
    case 0:
      return cpu.v8[(r << 4) + e];
    case 1:
      return cpu.v16[(r << 3) + e];
    default:
      return cpu.v32[(r << 2) + e] >>> 0;
  }
}

/** Element e (size 0..2) of register r, sign-extended. */
export function getS(cpu: Cpu, size: number, r: number, e: number): number {
  switch (size) {
    case 0:
      return (cpu.v8[(r << 4) + e] << 24) >> 24;
    case 1:
      return (cpu.v16[(r << 3) + e] << 16) >> 16;
    default:
      return cpu.v32[(r << 2) + e];
  }
}

/** Element e (size 0..2) of register r, sign- or zero-extended by unsigned (0/1). */
export function getX(cpu: Cpu, size: number, r: number, e: number, unsigned: number): number {
  return unsigned !== 0 ? getU(cpu, size, r, e) : getS(cpu, size, r, e);
}

/** Sets element e (size 0..2) of register r to the low bits of v (an integer-valued number). */
export function setE(cpu: Cpu, size: number, r: number, e: number, v: number): void {
  switch (size) {
    case 0:
      cpu.v8[(r << 4) + e] = v;
      break;
    case 1:
      cpu.v16[(r << 3) + e] = v;
      break;
    default:
      // Values beyond int32 (sums, products held as doubles) wrap like the typed array's conversion.
      cpu.v32[(r << 2) + e] = v;
  }
}

/** Zeroes the upper 64 bits of register d (results of 8B/4H/2S/1D operations). */
export function clearHigh(cpu: Cpu, d: number): void {
  cpu.v32[(d << 2) + 2] = 0;
  cpu.v32[(d << 2) + 3] = 0;
}

/** Zeroes register d from byte `from` upwards (scalar results keep only their element). */
export function clearFrom(cpu: Cpu, d: number, from: number): void {
  if (from === 8) {
    clearHigh(cpu, d);
    return;
  }
  cpu.v8.fill(0, (d << 4) + from, (d << 4) + 16);
}

/** Copies a whole register (e.g. scratch to destination). */
export function copyReg(cpu: Cpu, d: number, s: number): void {
  const v32 = cpu.v32;
  const di = d << 2;
  const si = s << 2;
  v32[di] = v32[si];
  v32[di + 1] = v32[si + 1];
  v32[di + 2] = v32[si + 2];
  v32[di + 3] = v32[si + 3];
}

/** Copies the low `bytes` (8 or 16) of scratch register s to d and zeroes the rest. */
export function commit(cpu: Cpu, d: number, s: number, bytes: number): void {
  const v32 = cpu.v32;
  const di = d << 2;
  const si = s << 2;
  v32[di] = v32[si];
  v32[di + 1] = v32[si + 1];
  if (bytes === 16) {
    v32[di + 2] = v32[si + 2];
    v32[di + 3] = v32[si + 3];
  } else {
    v32[di + 2] = 0;
    v32[di + 3] = 0;
  }
}

/** Largest signed and unsigned element values by size (0..2), as numbers. */
export const SMAX = new Float64Array([0x7f, 0x7fff, 0x7fffffff]);
export const SMIN = new Float64Array([-0x80, -0x8000, -0x80000000]);
export const UMAX = new Float64Array([0xff, 0xffff, 0xffffffff]);

/** Signed saturation of v to an element of size 0..2; sets QC when it clips. */
export function satS(cpu: Cpu, v: number, size: number): number {
  if (v > SMAX[size]) {
    cpu.fpsr |= FPSR_QC;
    return SMAX[size];
  }
  if (v < SMIN[size]) {
    cpu.fpsr |= FPSR_QC;
    return SMIN[size];
  }
  return v;
}

/** Unsigned saturation of v to an element of size 0..2; sets QC when it clips. */
export function satU(cpu: Cpu, v: number, size: number): number {
  if (v > UMAX[size]) {
    cpu.fpsr |= FPSR_QC;
    return UMAX[size];
  }
  if (v < 0) {
    cpu.fpsr |= FPSR_QC;
    return 0;
  }
  return v;
}

/** 2^k for k in 0..160, for shifts done on numbers. */
export const POW2 = new Float64Array(161).map((_, k) => 2 ** k);

const SCALAR_BIT = 1 << 28;

/** Elements an AdvSIMD integer instruction works on: 1 in the scalar forms (bit 28 set), else by Q and size. */
export function elementCount(insn: number, size: number): number {
  return (insn & SCALAR_BIT) !== 0 ? 1 : (8 << ((insn >>> 30) & 1)) >>> size;
}

/** True for the scalar forms (bit 28 set) of the shared vector/scalar encodings. */
export function isScalar(insn: number): boolean {
  return (insn & SCALAR_BIT) !== 0;
}

/** Applies the zeroing rule after writing elements of 2^size bytes: scalar keeps one element, 64-bit vectors the low half. */
export function finish(cpu: Cpu, insn: number, size: number, d: number): void {
  if ((insn & SCALAR_BIT) !== 0) clearFrom(cpu, d, 1 << size);
  else if ((insn & (1 << 30)) === 0) clearHigh(cpu, d);
}

/**
 * Writes the low 8 bytes of scratch register s into the lower half of d (q = 0, upper half zeroed)
 * or the upper half (q = 1, lower half kept): the narrowing "2" forms.
 */
export function commitHalf(cpu: Cpu, d: number, s: number, q: number): void {
  const v32 = cpu.v32;
  const di = (d << 2) + (q << 1);
  v32[di] = v32[s << 2];
  v32[di + 1] = v32[(s << 2) + 1];
  if (q === 0) {
    v32[di + 2] = 0;
    v32[di + 3] = 0;
  }
}
