/**
 * Arithmetic on 64-bit SIMD lanes held as 32-bit halves in cpu.v32 (lane at index i: v32[i] low,
 * v32[i + 1] high), for the AdvSIMD integer handlers: no BigInt, nothing allocated. Every function
 * reads its operands before writing the destination, so d may equal a or b.
 */
import type { Cpu } from './cpu.js';
import { FPSR_QC } from './simd-lanes.js';

const TWO32 = 4294967296;

/** High 32 bits (as int32) of the 64-bit product of two int32 values, or of two uint32 values. */
export function mulHi(a: number, b: number): number {
  // The double product is within 2^12 of the true one, so rounding the quotient recovers the exact high word.
  return Math.round((a * b - (Math.imul(a, b) >>> 0)) / TWO32) | 0;
}

/** Writes an integer-valued number of magnitude below 2^53 as a 64-bit lane. */
export function setNum64(v32: Int32Array, d: number, v: number): void {
  v32[d] = v | 0;
  v32[d + 1] = Math.floor(v / TWO32) | 0;
}

export function add64(v32: Int32Array, d: number, a: number, b: number): void {
  const lo = (v32[a] >>> 0) + (v32[b] >>> 0);
  v32[d + 1] = (v32[a + 1] + v32[b + 1] + (lo > 0xffffffff ? 1 : 0)) | 0;
  v32[d] = lo | 0;
}

export function sub64(v32: Int32Array, d: number, a: number, b: number): void {
  const al = v32[a] >>> 0;
  const bl = v32[b] >>> 0;
  v32[d + 1] = (v32[a + 1] - v32[b + 1] - (al < bl ? 1 : 0)) | 0;
  v32[d] = (al - bl) | 0;
}

export function neg64(v32: Int32Array, d: number, a: number): void {
  const lo = v32[a];
  v32[d + 1] = (~v32[a + 1] + (lo === 0 ? 1 : 0)) | 0;
  v32[d] = -lo | 0;
}

/** Signed a > b (ge: a >= b) on 64-bit lanes. */
export function gtS64(v32: Int32Array, a: number, b: number, ge: boolean): boolean {
  const ah = v32[a + 1];
  const bh = v32[b + 1];
  if (ah !== bh) return ah > bh;
  const al = v32[a] >>> 0;
  const bl = v32[b] >>> 0;
  return ge ? al >= bl : al > bl;
}

/** Unsigned a > b (ge: a >= b) on 64-bit lanes. */
export function gtU64(v32: Int32Array, a: number, b: number, ge: boolean): boolean {
  const ah = v32[a + 1] >>> 0;
  const bh = v32[b + 1] >>> 0;
  if (ah !== bh) return ah > bh;
  const al = v32[a] >>> 0;
  const bl = v32[b] >>> 0;
  return ge ? al >= bl : al > bl;
}

function saturate64(cpu: Cpu, d: number, negative: boolean): void {
  const v32 = cpu.v32;
  v32[d] = negative ? 0 : -1;
  v32[d + 1] = negative ? -0x80000000 : 0x7fffffff;
  cpu.fpsr |= FPSR_QC;
}

function saturateU64(cpu: Cpu, d: number, high: boolean): void {
  cpu.v32[d] = high ? -1 : 0;
  cpu.v32[d + 1] = high ? -1 : 0;
  cpu.fpsr |= FPSR_QC;
}

/** SQADD on 64-bit lanes. */
export function sqadd64(cpu: Cpu, d: number, a: number, b: number): void {
  const v32 = cpu.v32;
  const ah = v32[a + 1];
  const bh = v32[b + 1];
  add64(v32, d, a, b);
  if ((ah ^ bh) >= 0 && (ah ^ v32[d + 1]) < 0) saturate64(cpu, d, ah < 0);
}

/** SQSUB on 64-bit lanes. */
export function sqsub64(cpu: Cpu, d: number, a: number, b: number): void {
  const v32 = cpu.v32;
  const ah = v32[a + 1];
  const bh = v32[b + 1];
  sub64(v32, d, a, b);
  if ((ah ^ bh) < 0 && (ah ^ v32[d + 1]) < 0) saturate64(cpu, d, ah < 0);
}

/** UQADD on 64-bit lanes. */
export function uqadd64(cpu: Cpu, d: number, a: number, b: number): void {
  const v32 = cpu.v32;
  const lo = (v32[a] >>> 0) + (v32[b] >>> 0);
  const hi = (v32[a + 1] >>> 0) + (v32[b + 1] >>> 0) + (lo > 0xffffffff ? 1 : 0);
  if (hi > 0xffffffff) {
    saturateU64(cpu, d, true);
    return;
  }
  v32[d] = lo | 0;
  v32[d + 1] = hi | 0;
}

/** UQSUB on 64-bit lanes. */
export function uqsub64(cpu: Cpu, d: number, a: number, b: number): void {
  const v32 = cpu.v32;
  if (gtU64(v32, b, a, false)) {
    saturateU64(cpu, d, false);
    return;
  }
  sub64(v32, d, a, b);
}

/** SUQADD on 64-bit lanes: signed a plus unsigned b, saturated as signed. */
export function suqadd64(cpu: Cpu, d: number, a: number, b: number): void {
  const v32 = cpu.v32;
  const neg = v32[a + 1] < 0 ? 1 : 0;
  const lo = (v32[a] >>> 0) + (v32[b] >>> 0);
  const hi = (v32[a + 1] >>> 0) + (v32[b + 1] >>> 0) + (lo > 0xffffffff ? 1 : 0);
  const carry = hi > 0xffffffff ? 1 : 0;
  // true value = result + 2^64 * (carry - neg); only the positive side can overflow.
  if ((carry === 1 && neg === 0) || (carry === neg && (hi | 0) < 0)) {
    saturate64(cpu, d, false);
    return;
  }
  v32[d] = lo | 0;
  v32[d + 1] = hi | 0;
}

/** USQADD on 64-bit lanes: unsigned a plus signed b, saturated as unsigned. */
export function usqadd64(cpu: Cpu, d: number, a: number, b: number): void {
  const v32 = cpu.v32;
  const neg = v32[b + 1] < 0 ? 1 : 0;
  const lo = (v32[a] >>> 0) + (v32[b] >>> 0);
  const hi = (v32[a + 1] >>> 0) + (v32[b + 1] >>> 0) + (lo > 0xffffffff ? 1 : 0);
  const k = (hi > 0xffffffff ? 1 : 0) - neg;
  if (k !== 0) {
    saturateU64(cpu, d, k > 0);
    return;
  }
  v32[d] = lo | 0;
  v32[d + 1] = hi | 0;
}

/** Logical shift left by s >= 0 (s >= 64 gives 0). */
export function shl64(v32: Int32Array, d: number, a: number, s: number): void {
  const lo = v32[a];
  const hi = v32[a + 1];
  if (s === 0) {
    v32[d] = lo;
    v32[d + 1] = hi;
  } else if (s < 32) {
    v32[d + 1] = (hi << s) | (lo >>> (32 - s));
    v32[d] = lo << s;
  } else if (s < 64) {
    v32[d + 1] = lo << (s - 32);
    v32[d] = 0;
  } else {
    v32[d] = 0;
    v32[d + 1] = 0;
  }
}

/** Shift right by s >= 0, arithmetic when signed; s >= 64 leaves only sign bits (or 0). */
export function shr64(v32: Int32Array, d: number, a: number, s: number, signed: boolean): void {
  const lo = v32[a];
  const hi = v32[a + 1];
  const fill = signed ? hi >> 31 : 0;
  if (s === 0) {
    v32[d] = lo;
    v32[d + 1] = hi;
  } else if (s < 32) {
    v32[d] = (lo >>> s) | (hi << (32 - s));
    v32[d + 1] = signed ? hi >> s : hi >>> s;
  } else if (s < 64) {
    v32[d] = signed ? hi >> (s - 32) : hi >>> (s - 32);
    v32[d + 1] = fill;
  } else {
    v32[d] = fill;
    v32[d + 1] = fill;
  }
}

/** Bit k of a 64-bit lane; beyond bit 63 the sign bit when signed, else 0. */
function bit64(v32: Int32Array, a: number, k: number, signed: boolean): number {
  if (k < 32) return (v32[a] >>> k) & 1;
  if (k < 64) return (v32[a + 1] >>> (k - 32)) & 1;
  return signed ? v32[a + 1] >>> 31 : 0;
}

/** Rounding shift right by s >= 1: (a + 2^(s-1)) >> s, computed as (a >> s) + bit s-1 so nothing overflows. */
export function rshr64(v32: Int32Array, d: number, a: number, s: number, signed: boolean): void {
  const round = bit64(v32, a, s - 1, signed);
  shr64(v32, d, a, s, signed);
  if (round !== 0) {
    const lo = (v32[d] >>> 0) + 1;
    v32[d + 1] = (v32[d + 1] + (lo > 0xffffffff ? 1 : 0)) | 0;
    v32[d] = lo | 0;
  }
}

/**
 * Saturating shift left by s >= 0: signed in/signed out (SQSHL), unsigned (UQSHL) or signed in,
 * unsigned out (SQSHLU); sets QC when the value does not fit.
 */
export function qshl64(cpu: Cpu, d: number, a: number, s: number, signedIn: boolean, signedOut: boolean): void {
  const v32 = cpu.v32;
  const lo = v32[a];
  const hi = v32[a + 1];
  const zero = lo === 0 && hi === 0;
  if (signedIn && !signedOut && hi < 0) {
    saturateU64(cpu, d, false);
    return;
  }
  if (zero) {
    v32[d] = 0;
    v32[d + 1] = 0;
    return;
  }
  if (signedOut) {
    if (s >= 64) {
      saturate64(cpu, d, hi < 0);
      return;
    }
    // Fits when shifting back arithmetically restores the value (no lost or sign-changing bits).
    shl64(v32, d, a, s);
    const rl = v32[d];
    const rh = v32[d + 1];
    shr64(v32, d, d, s, true);
    if (v32[d] !== lo || v32[d + 1] !== hi) {
      saturate64(cpu, d, hi < 0);
      return;
    }
    v32[d] = rl;
    v32[d + 1] = rh;
    return;
  }
  // Unsigned result: the top s bits must be zero.
  if (s >= 64) {
    saturateU64(cpu, d, true);
    return;
  }
  if (s > 0) {
    const lost = s > 32 ? (hi !== 0 ? 1 : lo >>> (64 - s)) : hi >>> (32 - s);
    if (lost !== 0) {
      saturateU64(cpu, d, true);
      return;
    }
  }
  shl64(v32, d, a, s);
}
