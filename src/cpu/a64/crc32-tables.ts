/**
 * Byte tables for the CRC32 instructions: CRC-32 (polynomial 0x04C11DB7) and CRC-32C (Castagnoli,
 * 0x1EDC6F41), both bit-reflected as the architecture defines them (no pre- or post-inversion:
 * software does that). Built once at load.
 */
function table(reflectedPoly: number): Int32Array {
  const t = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ reflectedPoly : c >>> 1;
    t[i] = c;
  }
  return t;
}

export const CRC32_TABLE = table(0xedb88320);
export const CRC32C_TABLE = table(0x82f63b78);
