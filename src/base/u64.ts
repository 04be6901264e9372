/**
 * 64-bit values as two 32-bit halves, for cold paths (syscall arguments, formatting) and tests.
 * The hot path inlines its own half arithmetic; nothing here allocates except the BigInt helpers.
 */
export const TWO_32 = 4294967296;

/** The unsigned value of (hi:lo) as a number; exact below 2^53. */
export function u64ToNumber(lo: number, hi: number): number {
  return (hi >>> 0) * TWO_32 + (lo >>> 0);
}

/** The signed value of (hi:lo) as a number; exact when |value| < 2^53. */
export function s64ToNumber(lo: number, hi: number): number {
  return (hi | 0) * TWO_32 + (lo >>> 0);
}

/** Low 32 bits (as int32) of a number holding an integer of magnitude below 2^53 (negative = two's complement). */
export function lo32(n: number): number {
  return Number(BigInt.asIntN(32, BigInt(Math.trunc(n))));
}

/** High 32 bits (as int32) of such a number. */
export function hi32(n: number): number {
  return Number(BigInt.asIntN(32, BigInt(Math.trunc(n)) >> 32n));
}

export function u64ToBigInt(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export function s64ToBigInt(lo: number, hi: number): bigint {
  return BigInt.asIntN(64, u64ToBigInt(lo, hi));
}

export function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}
