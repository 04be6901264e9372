/**
 * Layout of the general register file: an Int32Array of 32-bit halves, so 64-bit registers never
 * become BigInt. Register n occupies [2n] (low half) and [2n + 1] (high half). Slot 31 (indices 62, 63)
 * is SP. Indices 64/65 always read zero (XZR) and 66/67 swallow writes to XZR.
 */
export const GPR_SLOTS = 68;
export const SP_INDEX = 62;
export const ZR_READ = 64;
export const ZR_WRITE = 66;

/** Index of register r in a context where 31 means XZR, for reading. */
export function rz(r: number): number {
  return r === 31 ? ZR_READ : r << 1;
}

/** Index of register r in a context where 31 means XZR, for writing. */
export function wz(r: number): number {
  return r === 31 ? ZR_WRITE : r << 1;
}

/** Index of register r in a context where 31 means SP. */
export function rsp(r: number): number {
  return r << 1;
}

/**
 * The data address held by the 64-bit register at index i: Linux enables top-byte-ignore for user
 * data accesses, so bits 63:56 are dropped. Addresses at or above 2^48 fault in the memory layer.
 */
export function dataAddr(x: Int32Array, i: number): number {
  return (x[i + 1]! & 0xffffff) * 4294967296 + (x[i]! >>> 0);
}

/** The full unsigned 64-bit value at index i as a number (exact below 2^53): branch targets. */
export function u64At(x: Int32Array, i: number): number {
  return (x[i + 1]! >>> 0) * 4294967296 + (x[i]! >>> 0);
}

/** Writes a non-negative integer below 2^53 (an address) as a 64-bit register value at index i. */
export function setAddr(x: Int32Array, i: number, a: number): void {
  x[i] = a | 0;
  x[i + 1] = Math.floor(a / 4294967296);
}
