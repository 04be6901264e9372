import type { AddressSpace } from '../../memory/address-space.js';
import { isGuestFault } from '../../memory/guest-fault.js';

/**
 * Copying between guest memory and the kernel. A bad pointer never throws into a handler: every
 * function reports failure (null/false) and the handler returns -EFAULT, as Linux's copy_from_user.
 */
export const EFAULT = -14;

function guard<T>(f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    if (isGuestFault(e)) return null;
    throw e;
  }
}

export function copyIn(mem: AddressSpace, addr: number, len: number): Uint8Array | null {
  if (len === 0) return new Uint8Array(0);
  return guard(() => {
    const b = new Uint8Array(len);
    mem.readBytes(addr, b, 0, len);
    return b;
  });
}

export function copyOut(mem: AddressSpace, addr: number, src: Uint8Array, at = 0, len = src.length - at): boolean {
  if (len === 0) return true;
  return (
    guard(() => {
      mem.writeBytes(addr, src, at, len);
      return true;
    }) === true
  );
}

/** A NUL-terminated string of at most max bytes (PATH_MAX 4096 by default); null on fault or no NUL (ENAMETOOLONG is the caller's choice). */
export function readCString(mem: AddressSpace, addr: number, max = 4096): Uint8Array | null {
  return guard(() => {
    const out: number[] = [];
    for (let i = 0; i < max; i++) {
      const c = mem.read8(addr + i);
      if (c === 0) return Uint8Array.from(out);
      out.push(c);
    }
    return null;
  });
}

const dec = new TextDecoder();
export function readString(mem: AddressSpace, addr: number, max = 4096): string | null {
  const b = readCString(mem, addr, max);
  return b === null ? null : dec.decode(b);
}

export function readU32(mem: AddressSpace, addr: number): number | null {
  return guard(() => mem.read32(addr) >>> 0);
}

export function writeU32(mem: AddressSpace, addr: number, v: number): boolean {
  return (
    guard(() => {
      mem.write32(addr, v | 0);
      return true;
    }) === true
  );
}

/** Reads a 64-bit value as a number (exact below 2^53). */
export function readU64(mem: AddressSpace, addr: number): number | null {
  return guard(() => {
    const lo = mem.read32(addr) >>> 0;
    const hi = mem.read32(addr + 4) >>> 0;
    return hi * 4294967296 + lo;
  });
}

/** Writes a number (integer, |v| < 2^53; negative as two's complement) as 64 bits. */
export function writeU64(mem: AddressSpace, addr: number, v: number): boolean {
  const lo = Number(BigInt.asIntN(32, BigInt(v)));
  const hi = Number(BigInt.asIntN(32, BigInt(v) >> 32n));
  return (
    guard(() => {
      mem.write64(addr, lo, hi);
      return true;
    }) === true
  );
}
