/**
 * Decoding of the logical-immediate bitmask (the manual's DecodeBitMasks with immediate = TRUE):
 * N:immr:imms (13 bits, instruction bits 22:10) describe a run of ones rotated inside an element
 * of 2, 4, …, 64 bits, replicated to 64 bits. Each of the 8192 encodings is decoded on its first
 * use (decoding all of them at load cost ~3 ms of every start), so the AND/ORR/EOR/ANDS
 * (immediate) handlers index three typed arrays and call decodeBitMask only the first time.
 */

/** Low and high halves of the 64-bit mask for index (insn >>> 10) & 0x1fff, once decoded. */
export const BITMASK_LO = new Int32Array(8192);
export const BITMASK_HI = new Int32Array(8192);
/**
 * 1 where the encoding is decoded and valid; 2 for the reserved ones (all-ones element, or N=0
 * with imms=11111x); 0 while not decoded yet.
 */
export const BITMASK_VALID = new Uint8Array(8192);

/** Decodes index k into the tables (if not done yet); true when it is a valid encoding. */
export function decodeBitMask(k: number): boolean {
  if (BITMASK_VALID[k] === 0) BITMASK_VALID[k] = decode(k) ? 1 : 2;
  return BITMASK_VALID[k] === 1;
}

/** Fills BITMASK_LO/HI for k; false for a reserved encoding. */
function decode(k: number): boolean {
  const n = (k >>> 12) & 1;
  const immr = (k >>> 6) & 63;
  const imms = k & 63;
  // len = HighestSetBit(N:NOT(imms)); the element is 2^len bits.
  const combined = (n << 6) | (~imms & 63);
  if (combined === 0) return false;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return false;
  const levels = (1 << len) - 1;
  const s = imms & levels;
  const r = immr & levels;
  if (s === levels) return false; // a run of all ones is reserved
  const esize = 1 << len;
  let lo: number;
  let hi: number;
  if (esize === 64) {
    // S+1 ones (1..63) rotated right by R within 64 bits.
    const ones = s + 1;
    let wlo = ones >= 32 ? -1 : (1 << ones) - 1;
    let whi = ones > 32 ? ((1 << (ones - 32)) - 1) | 0 : 0;
    let rot = r;
    if (rot >= 32) {
      const t = wlo;
      wlo = whi;
      whi = t;
      rot -= 32;
    }
    if (rot === 0) {
      lo = wlo;
      hi = whi;
    } else {
      lo = (wlo >>> rot) | (whi << (32 - rot));
      hi = (whi >>> rot) | (wlo << (32 - rot));
    }
  } else {
    const emask = esize === 32 ? -1 : (1 << esize) - 1;
    const welem = ((1 << (s + 1)) - 1) | 0;
    let v = ((welem >>> r) | (welem << (esize - r))) & emask;
    for (let w = esize; w < 32; w *= 2) v |= v << w;
    lo = v;
    hi = v;
  }
  BITMASK_LO[k] = lo;
  BITMASK_HI[k] = hi;
  return true;
}
