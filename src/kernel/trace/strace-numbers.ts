/**
 * Numbers as strace prints them (C's %d, %lu, %#lx, %#03o). Arguments arrive as JS numbers shaped by kind:
 * exact below 2^53, rounded above, so a 64-bit all-ones register arrives as 2^64; these helpers clamp to the
 * 64-bit range instead of printing a 65-bit value, and never throw on odd input (NaN prints as 0).
 */
const TWO64 = 1n << 64n;

function toBigInt(v: number): bigint {
  return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
}

/** The value as an unsigned 64-bit integer: negatives wrap (two's complement), values past 2^64 - 1 clamp to it. */
export function u64(v: number): bigint {
  const b = toBigInt(v);
  return b >= TWO64 ? TWO64 - 1n : BigInt.asUintN(64, b);
}

/** The value as a signed 64-bit integer. */
export function s64(v: number): bigint {
  return BigInt.asIntN(64, u64(v));
}

/** %lu */
export function formatUnsigned(v: number): string {
  return Number.isSafeInteger(v) && v >= 0 ? String(v) : u64(v).toString();
}

/** %ld */
export function formatSigned(v: number): string {
  return Number.isSafeInteger(v) ? String(v) : s64(v).toString();
}

/** %#lx: 0x-prefixed hex, plain 0 for zero. */
export function formatHex(v: number): string {
  const u = u64(v);
  return u === 0n ? '0' : `0x${u.toString(16)}`;
}

/** A pointer: NULL or its address in hex. */
export function formatPointer(v: number): string {
  return u64(v) === 0n ? 'NULL' : formatHex(v);
}

/** %#03o of a mode_t: 000, 0644, 04755. */
export function formatMode(v: number): string {
  const u = v >>> 0;
  return (u === 0 ? '0' : `0${u.toString(8)}`).padStart(3, '0');
}
