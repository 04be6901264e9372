/**
 * The kernel's randomness: address-space layout, AT_RANDOM and getrandom. With a seed it is a
 * deterministic generator (xorshift128+ on 32-bit words), so runs can be reproduced exactly.
 */
export interface Random {
  u32(): number;
  fill(dst: Uint8Array): void;
}

export class SeededRandom implements Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  constructor(seed: number) {
    // splitmix-style spreading of the seed into four non-zero words
    let z = seed >>> 0 || 0x9e3779b9;
    const next = () => {
      z = (z + 0x9e3779b9) | 0;
      let t = z ^ (z >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) | 0 || 1;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }
  u32(): number {
    // xoshiro128** step
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }
  fill(dst: Uint8Array): void {
    for (let i = 0; i < dst.length; i += 4) {
      const v = this.u32();
      for (let k = 0; k < 4 && i + k < dst.length; k++) dst[i + k] = (v >>> (8 * k)) & 0xff;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A random number of pages below 2^bits, as a byte count. */
export function randomPages(r: Random, bits: number): number {
  const hi = bits > 32 ? r.u32() % 2 ** (bits - 32) : 0;
  const lo = bits >= 32 ? r.u32() : r.u32() % 2 ** bits;
  return (hi * 2 ** 32 + lo) * 4096;
}
