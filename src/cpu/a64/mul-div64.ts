/**
 * Exact 64-bit multiply-high and division on 32-bit halves, without BigInt, for the integer
 * data-processing handlers. Results of 64 bits go to R64 (alu64.ts); nothing allocates.
 *
 * Doubles hold integers exactly below 2^53, so the building blocks are: a 32x16-bit product
 * (below 2^48), and floor(a / b) for integers a, b < 2^53 (correctly rounded division cannot
 * round a non-integer quotient up to the next integer when a < 2^53, so floor gives the exact quotient).
 */
import { R64 } from './alu64.js';

const TWO32 = 4294967296;

/** High 32 bits (as int32) of the unsigned 64-bit product of a and b (each read as uint32). */
export function umul32hi(a: number, b: number): number {
  const au = a >>> 0;
  const lo = au * (b & 0xffff); // < 2^48
  const hi = au * (b >>> 16); // < 2^48; the product is hi * 2^16 + lo
  return Math.floor((hi + Math.floor(lo / 65536)) / 65536) | 0;
}

/** High 32 bits (as int32) of the signed 64-bit product of a and b (each read as int32). */
export function smul32hi(a: number, b: number): number {
  // Signed product = unsigned product - 2^32 * ((a < 0 ? b : 0) + (b < 0 ? a : 0)) (mod 2^64).
  return (umul32hi(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

/** R64 = high 64 bits of the unsigned 128-bit product (ahi:alo) * (bhi:blo). */
export function umulh64(alo: number, ahi: number, blo: number, bhi: number): void {
  // Partial products of 32-bit limbs: a*b = p11*2^64 + (p01 + p10)*2^32 + p00.
  const mid = (umul32hi(alo, blo) >>> 0) + (Math.imul(alo, bhi) >>> 0) + (Math.imul(ahi, blo) >>> 0);
  const t =
    (Math.imul(ahi, bhi) >>> 0) + (umul32hi(alo, bhi) >>> 0) + (umul32hi(ahi, blo) >>> 0) + Math.floor(mid / TWO32); // < 2^35: exact
  R64[0] = t | 0;
  R64[1] = (umul32hi(ahi, bhi) + Math.floor(t / TWO32)) | 0;
}

/** R64 = high 64 bits of the signed 128-bit product (ahi:alo) * (bhi:blo). */
export function smulh64(alo: number, ahi: number, blo: number, bhi: number): void {
  umulh64(alo, ahi, blo, bhi);
  // As for 32 bits: subtract b when a is negative and a when b is negative, in the high half.
  let lo = R64[0]!;
  let hi = R64[1]!;
  if (ahi < 0) {
    const l = (lo >>> 0) - (blo >>> 0);
    hi = (hi - bhi - (l < 0 ? 1 : 0)) | 0;
    lo = l | 0;
  }
  if (bhi < 0) {
    const l = (lo >>> 0) - (alo >>> 0);
    hi = (hi - ahi - (l < 0 ? 1 : 0)) | 0;
    lo = l | 0;
  }
  R64[0] = lo;
  R64[1] = hi;
}

/** R64 = floor(N / D) for unsigned N = nhi:nlo and D = dhi:dlo, D not zero. */
export function udiv64(nlo: number, nhi: number, dlo: number, dhi: number): void {
  const nh = nhi >>> 0;
  const nl = nlo >>> 0;
  const dh = dhi >>> 0;
  const dl = dlo >>> 0;
  if (dh === 0) {
    if (nh === 0) {
      R64[0] = Math.floor(nl / dl) | 0;
      R64[1] = 0;
      return;
    }
    // Schoolbook division by a 32-bit divisor: 32 bits, then two 16-bit digits, so every
    // partial dividend stays below 2^48.
    const qh = Math.floor(nh / dl);
    let r = nh - qh * dl;
    let t = r * 65536 + (nl >>> 16);
    const q1 = Math.floor(t / dl);
    r = t - q1 * dl;
    t = r * 65536 + (nl & 0xffff);
    const q0 = Math.floor(t / dl);
    R64[0] = (q1 * 65536 + q0) | 0;
    R64[1] = qh | 0;
    return;
  }
  R64[1] = 0;
  if (dh >= 0x40000000) {
    // D >= 2^62: the quotient is at most 3; subtract.
    let q = 0;
    let rl = nl;
    let rh = nh;
    while (rh > dh || (rh === dh && rl >= dl)) {
      const l = rl - dl;
      rh = rh - dh - (l < 0 ? 1 : 0);
      rl = l < 0 ? l + TWO32 : l;
      q++;
    }
    R64[0] = q;
    return;
  }
  // 2^32 <= D < 2^62: the quotient is below 2^32 and the double estimate is within 1 of it
  // (three roundings of relative size 2^-53 on a value below 2^32). Correct it with the exact
  // remainder N - q*D, which lies in (-D, 2D) and so is unambiguous as a signed 64-bit value.
  let q = Math.floor((nh * TWO32 + nl) / (dh * TWO32 + dl));
  if (q > 0xffffffff) q = 0xffffffff;
  const plo = Math.imul(q, dlo);
  const phi = (umul32hi(q, dlo) + Math.imul(q, dhi)) | 0;
  const l = nl - (plo >>> 0);
  const rlo = l >>> 0;
  const rhi = (nhi - phi - (l < 0 ? 1 : 0)) | 0;
  if (rhi < 0) q--;
  else if (rhi >>> 0 > dh || (rhi >>> 0 === dh && rlo >= dl)) q++;
  R64[0] = q | 0;
}
