/**
 * Interesting floating-point operands for differential FP tests: signed zeros, subnormals, the normal
 * limits, infinities, quiet and signalling NaNs with payloads, rounding boundaries (ties, integer
 * limits), and random values; plus a seeded random generator so failures reproduce.
 */

/** xorshift128+ on 32-bit words: deterministic across runs. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = seed | 0 || 1;
    this.b = 0x9e3779b9;
    this.c = 0x243f6a88;
    this.d = 0xb7e15162;
    for (let i = 0; i < 16; i++) this.u32();
  }
  u32(): number {
    let t = this.d;
    const s = this.a;
    this.d = this.c;
    this.c = this.b;
    this.b = s;
    t ^= t << 11;
    t ^= t >>> 8;
    this.a = (t ^ s ^ (s >>> 19)) | 0;
    return this.a >>> 0;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }
}

const f64 = new Float64Array(1);
const u32of64 = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1);
const u32of32 = new Uint32Array(f32.buffer);

/** [lo, hi] words of a double. */
export function bits64(v: number): [number, number] {
  f64[0] = v;
  return [u32of64[0]!, u32of64[1]!];
}

export function bits32(v: number): number {
  f32[0] = v;
  return u32of32[0]!;
}

export function fromBits64(lo: number, hi: number): number {
  u32of64[0] = lo >>> 0;
  u32of64[1] = hi >>> 0;
  return f64[0]!;
}

export function fromBits32(b: number): number {
  u32of32[0] = b >>> 0;
  return f32[0]!;
}

const SPECIAL64: readonly number[] = [
  0,
  1,
  1.5,
  2,
  0.5,
  3,
  2.5,
  -2.5,
  0.1,
  1 / 3,
  2 ** -1022,
  2 ** -1022 - 2 ** -1074,
  2 ** -1074,
  3 * 2 ** -1074,
  2 ** -1023,
  Number.MAX_VALUE,
  2 ** 1023,
  Number.POSITIVE_INFINITY,
  2 ** 52,
  2 ** 52 + 0.5,
  2 ** 53 + 2,
  2 ** 31,
  2 ** 31 - 0.5,
  2 ** 31 + 0.5,
  2 ** 32,
  2 ** 32 - 1,
  2 ** 32 - 0.5,
  2 ** 63,
  2 ** 63 - 1024,
  2 ** 64,
  2 ** 64 - 2048,
  1 + 2 ** -52,
  1 - 2 ** -53,
  1 + 2 ** -24,
  1 + 3 * 2 ** -25,
  2 ** -126,
  2 ** -127,
  2 ** -149,
  2 ** -150,
  3 * 2 ** -151,
  2 ** -126 - 2 ** -150,
  3.4028234663852886e38,
  3.4028235677973366e38,
  3.4028235e38 * 2,
  65504,
  65520,
  65519.99,
  2 ** -14,
  2 ** -24,
  2 ** -25,
  3 * 2 ** -26,
  1e300,
  1e-300,
  12345.678,
];

/** Special double bit patterns not expressible as numbers (NaNs). */
const NAN64: readonly [number, number][] = [
  [0, 0x7ff80000],
  [1, 0x7ff80000],
  [0x12345678, 0xfff9abcd],
  [1, 0x7ff00000],
  [0, 0x7ff40000],
  [0xdeadbeef, 0xfff00001],
  [0xe0000000, 0x7ff00000],
];

const NAN32: readonly number[] = [0x7fc00000, 0x7fc00001, 0xffd23456, 0x7f800001, 0x7fa00000, 0xff812345];

const NAN16: readonly number[] = [0x7e00, 0x7e01, 0xfe55, 0x7c01, 0x7d00, 0xfc3f];

/** A double operand (as [lo, hi] words). */
export function randomDouble(rng: Rng): [number, number] {
  const r = rng.int(10);
  if (r < 4) {
    const v = rng.pick(SPECIAL64);
    return bits64(rng.chance(0.5) ? -v : v);
  }
  if (r === 4) return [...rng.pick(NAN64)] as [number, number];
  if (r === 5) return [rng.u32(), rng.u32()];
  if (r === 6) {
    // Random integers and halves: rounding-to-integer boundaries.
    const v = (rng.int(2 ** 20) - 2 ** 19) / rng.pick([1, 2, 4, 8]);
    return bits64(v);
  }
  // Random values near 1 (full mantissa), with a modest exponent.
  const hi = ((rng.u32() & 0x800fffff) | ((1023 + rng.int(130) - 65) << 20)) >>> 0;
  return [rng.u32(), hi];
}

/** A single-precision operand (bits). */
export function randomSingle(rng: Rng): number {
  const r = rng.int(10);
  if (r < 4) {
    const v = Math.fround(rng.pick(SPECIAL64));
    return bits32(rng.chance(0.5) ? -v : v);
  }
  if (r === 4) return rng.pick(NAN32);
  if (r === 5) return rng.u32();
  if (r === 6) return bits32((rng.int(2 ** 20) - 2 ** 19) / rng.pick([1, 2, 4, 8]));
  return ((rng.u32() & 0x807fffff) | ((127 + rng.int(60) - 30) << 23)) >>> 0;
}

/** A half-precision operand (bits). */
export function randomHalf(rng: Rng): number {
  const r = rng.int(6);
  if (r === 0) return rng.pick(NAN16);
  if (r === 1) return rng.pick([0, 0x8000, 0x7c00, 0xfc00, 0x0001, 0x03ff, 0x0400, 0x7bff, 0x3c00, 0xbc00]);
  return rng.u32() & 0xffff;
}

/** Fills a 16-byte register image with a random mix of double, single and half lanes. */
export function randomVector(rng: Rng, out: Uint8Array, at: number, prefer: 'd' | 's' | 'h' | 'any'): void {
  const dv = new DataView(out.buffer, out.byteOffset + at, 16);
  for (let c = 0; c < 2; c++) {
    const kind = prefer === 'any' ? rng.pick(['d', 's', 'h'] as const) : rng.chance(0.85) ? prefer : 'any';
    if (kind === 'd') {
      const [lo, hi] = randomDouble(rng);
      dv.setUint32(8 * c, lo, true);
      dv.setUint32(8 * c + 4, hi, true);
    } else if (kind === 's') {
      dv.setUint32(8 * c, randomSingle(rng), true);
      dv.setUint32(8 * c + 4, randomSingle(rng), true);
    } else if (kind === 'h') {
      for (let k = 0; k < 4; k++) dv.setUint16(8 * c + 2 * k, randomHalf(rng), true);
    } else {
      dv.setUint32(8 * c, rng.u32(), true);
      dv.setUint32(8 * c + 4, rng.u32(), true);
    }
  }
}

/** A 64-bit integer operand as [lo, hi] words: small values, limits, powers of two and random bits. */
export function randomInt64(rng: Rng): [number, number] {
  const r = rng.int(8);
  if (r === 0) return [rng.int(100), 0];
  if (r === 1) return [-rng.int(100) >>> 0, 0xffffffff];
  if (r === 2) {
    const p = rng.int(64);
    const v = p < 32 ? [2 ** p, 0] : [0, 2 ** (p - 32)];
    return [v[0]! >>> 0, v[1]! >>> 0];
  }
  if (r === 3)
    return rng.pick([
      [0xffffffff, 0xffffffff],
      [0, 0x80000000],
      [0xffffffff, 0x7fffffff],
      [0x80000000, 0],
      [0x7fffffff, 0],
      [0xffffffff, 0],
      [1, 0x00200000],
      [3, 0x00200000],
      [0x401, 0x80000000],
      [0xc00, 0x7fffffff],
    ] as [number, number][]);
  if (r === 4) return [rng.u32(), rng.u32() & 0x3fffff];
  return [rng.u32(), rng.u32()];
}
