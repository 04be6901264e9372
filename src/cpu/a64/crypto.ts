/**
 * The ARMv8.0 Cryptographic Extension: AES (AESE, AESD, AESMC, AESIMC), SHA-1 (SHA1C/P/M/H/SU0/SU1),
 * SHA-256 (SHA256H/H2/SU0/SU1) and PMULL/PMULL2 with 64-bit lanes (the rest of PMULL is in
 * simd-int-long.ts; the 64-bit form has a more specific row here). Semantics follow the Arm ARM's
 * pseudocode (AESSubBytes, SHA256hash, PolynomialMult…): the AES state is the 16 bytes of the
 * register in order (byte i = column i/4, row i%4), SHA lanes are the 32-bit elements.
 * Other size/opcode values of these groups have no row, so they are undefined.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';

// ---- AES tables (built once at load: GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1) ----

function xtime(b: number): number {
  return ((b << 1) ^ (b & 0x80 ? 0x1b : 0)) & 0xff;
}

/**
 * Powers and logarithms of the generator 3 (x + 1): products and inverses become table lookups.
 * Searching each inverse by trial multiplication took ~30k gmul calls at every start.
 */
const EXP3 = new Uint8Array(255);
const LOG3 = new Uint8Array(256);

function gmul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP3[(LOG3[a]! + LOG3[b]!) % 255]!;
}

const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
const MUL2 = new Uint8Array(256);
const MUL3 = new Uint8Array(256);
const MUL9 = new Uint8Array(256);
const MUL11 = new Uint8Array(256);
const MUL13 = new Uint8Array(256);
const MUL14 = new Uint8Array(256);
/** ShiftRows as a byte gather: out[4c + r] = in[4((c + r) mod 4) + r]; InvShiftRows uses c - r. */
const SHIFT_ROWS = new Uint8Array(16);
const INV_SHIFT_ROWS = new Uint8Array(16);

/** Whether the AES tables are filled: by the first AES instruction, not at every start (~0.8 ms). */
let aesReady = false;

function fillAesTables(): void {
  for (let i = 0, p = 1; i < 255; i++) {
    EXP3[i] = p;
    LOG3[p] = i;
    p ^= xtime(p); // p * 3
  }
  for (let x = 0; x < 256; x++) {
    // Multiplicative inverse (0 maps to 0), then the affine transform.
    const inv = x === 0 ? 0 : EXP3[(255 - LOG3[x]!) % 255]!;
    let s = inv;
    for (let k = 1; k <= 4; k++) s ^= ((inv << k) | (inv >>> (8 - k))) & 0xff;
    s ^= 0x63;
    SBOX[x] = s;
    INV_SBOX[s] = x;
    MUL2[x] = gmul(x, 2);
    MUL3[x] = gmul(x, 3);
    MUL9[x] = gmul(x, 9);
    MUL11[x] = gmul(x, 11);
    MUL13[x] = gmul(x, 13);
    MUL14[x] = gmul(x, 14);
  }
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      SHIFT_ROWS[4 * c + r] = 4 * ((c + r) & 3) + r;
      INV_SHIFT_ROWS[4 * c + r] = 4 * ((c - r) & 3) + r;
    }
  }
  aesReady = true;
}

/** Byte offset of the handlers' scratch area in vbuf (after the 32 registers). */
const SCRATCH = 512;

/** AESE Vd.16B, Vn.16B: AddRoundKey, ShiftRows, SubBytes. AESD with the inverse steps. */
function AESE_AESD(cpu: Cpu, insn: number): void {
  if (!aesReady) fillAesTables();
  const v = cpu.v8;
  const d = (insn & 31) << 4;
  const n = ((insn >>> 5) & 31) << 4;
  for (let i = 0; i < 16; i++) v[SCRATCH + i] = v[d + i]! ^ v[n + i]!;
  if ((insn & 0x1000) === 0) {
    for (let i = 0; i < 16; i++) v[d + i] = SBOX[v[SCRATCH + SHIFT_ROWS[i]!]!]!;
  } else {
    for (let i = 0; i < 16; i++) v[d + i] = INV_SBOX[v[SCRATCH + INV_SHIFT_ROWS[i]!]!]!;
  }
}

/** AESMC Vd.16B, Vn.16B: MixColumns. */
function AESMC(cpu: Cpu, insn: number): void {
  if (!aesReady) fillAesTables();
  const v = cpu.v8;
  const d = (insn & 31) << 4;
  const n = ((insn >>> 5) & 31) << 4;
  for (let c = 0; c < 16; c += 4) {
    const a0 = v[n + c]!;
    const a1 = v[n + c + 1]!;
    const a2 = v[n + c + 2]!;
    const a3 = v[n + c + 3]!;
    v[d + c] = MUL2[a0]! ^ MUL3[a1]! ^ a2 ^ a3;
    v[d + c + 1] = a0 ^ MUL2[a1]! ^ MUL3[a2]! ^ a3;
    v[d + c + 2] = a0 ^ a1 ^ MUL2[a2]! ^ MUL3[a3]!;
    v[d + c + 3] = MUL3[a0]! ^ a1 ^ a2 ^ MUL2[a3]!;
  }
}

/** AESIMC Vd.16B, Vn.16B: InvMixColumns. */
function AESIMC(cpu: Cpu, insn: number): void {
  if (!aesReady) fillAesTables();
  const v = cpu.v8;
  const d = (insn & 31) << 4;
  const n = ((insn >>> 5) & 31) << 4;
  for (let c = 0; c < 16; c += 4) {
    const a0 = v[n + c]!;
    const a1 = v[n + c + 1]!;
    const a2 = v[n + c + 2]!;
    const a3 = v[n + c + 3]!;
    v[d + c] = MUL14[a0]! ^ MUL11[a1]! ^ MUL13[a2]! ^ MUL9[a3]!;
    v[d + c + 1] = MUL9[a0]! ^ MUL14[a1]! ^ MUL11[a2]! ^ MUL13[a3]!;
    v[d + c + 2] = MUL13[a0]! ^ MUL9[a1]! ^ MUL14[a2]! ^ MUL11[a3]!;
    v[d + c + 3] = MUL11[a0]! ^ MUL13[a1]! ^ MUL9[a2]! ^ MUL14[a3]!;
  }
}

// ---- SHA-1 ----

function rol(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function ror(x: number, k: number): number {
  return (x >>> k) | (x << (32 - k));
}

/**
 * SHA1C/SHA1P/SHA1M Qd, Sn, Vm.4S: four rounds with the choose, parity or majority function
 * (bits 13:12 = 0, 1, 2). X = Qd (a, b, c, d in elements 0..3), Y = Sn (e), W = Vm.
 */
function SHA1_hash(cpu: Cpu, insn: number): void {
  const v = cpu.v32;
  const d = (insn & 31) << 2;
  const n = ((insn >>> 5) & 31) << 2;
  const m = ((insn >>> 16) & 31) << 2;
  const op = (insn >>> 12) & 3;
  let x0 = v[d]!;
  let x1 = v[d + 1]!;
  let x2 = v[d + 2]!;
  let x3 = v[d + 3]!;
  let y = v[n]!;
  for (let e = 0; e < 4; e++) {
    let t: number;
    if (op === 0) t = ((x2 ^ x3) & x1) ^ x3;
    else if (op === 1) t = x1 ^ x2 ^ x3;
    else t = (x1 & x2) | ((x1 | x2) & x3);
    y = (y + rol(x0, 5) + t + v[m + e]!) | 0;
    x1 = rol(x1, 30);
    // <Y, X> = ROL(Y:X, 32)
    const top = x3;
    x3 = x2;
    x2 = x1;
    x1 = x0;
    x0 = y;
    y = top;
  }
  v[d] = x0;
  v[d + 1] = x1;
  v[d + 2] = x2;
  v[d + 3] = x3;
}

/** SHA1SU0 Vd.4S, Vn.4S, Vm.4S: (Vn<63:0> : Vd<127:64>) ^ Vd ^ Vm. */
function SHA1SU0(cpu: Cpu, insn: number): void {
  const v = cpu.v32;
  const d = (insn & 31) << 2;
  const n = ((insn >>> 5) & 31) << 2;
  const m = ((insn >>> 16) & 31) << 2;
  const r0 = v[d + 2]! ^ v[d]! ^ v[m]!;
  const r1 = v[d + 3]! ^ v[d + 1]! ^ v[m + 1]!;
  const r2 = v[n]! ^ v[d + 2]! ^ v[m + 2]!;
  const r3 = v[n + 1]! ^ v[d + 3]! ^ v[m + 3]!;
  v[d] = r0;
  v[d + 1] = r1;
  v[d + 2] = r2;
  v[d + 3] = r3;
}

/** SHA1H Sd, Sn: ROL(Sn, 30), upper bits zeroed. */
function SHA1H(cpu: Cpu, insn: number): void {
  const v = cpu.v32;
  const d = (insn & 31) << 2;
  const r = rol(v[((insn >>> 5) & 31) << 2]!, 30);
  v[d] = r;
  v[d + 1] = 0;
  v[d + 2] = 0;
  v[d + 3] = 0;
}

/** SHA1SU1 Vd.4S, Vn.4S: T = Vd ^ (Vn >> 32); each element ROL 1, the top one also ^ ROL(T0, 2). */
function SHA1SU1(cpu: Cpu, insn: number): void {
  const v = cpu.v32;
  const d = (insn & 31) << 2;
  const n = ((insn >>> 5) & 31) << 2;
  const t0 = v[d]! ^ v[n + 1]!;
  const t1 = v[d + 1]! ^ v[n + 2]!;
  const t2 = v[d + 2]! ^ v[n + 3]!;
  const t3 = v[d + 3]!;
  v[d] = rol(t0, 1);
  v[d + 1] = rol(t1, 1);
  v[d + 2] = rol(t2, 1);
  v[d + 3] = rol(t3, 1) ^ rol(t0, 2);
}

// ---- SHA-256 ----

/**
 * SHA256H Qd, Qn, Vm.4S (bit 12 = 0: X = Qd, Y = Qn, result X) and SHA256H2 Qd, Qn, Vm.4S
 * (bit 12 = 1: X = Qn, Y = Qd, result Y): four rounds of the pseudocode's SHA256hash.
 */
function SHA256H_H2(cpu: Cpu, insn: number): void {
  const v = cpu.v32;
  const d = (insn & 31) << 2;
  const n = ((insn >>> 5) & 31) << 2;
  const m = ((insn >>> 16) & 31) << 2;
  const part1 = (insn & 0x1000) === 0;
  const xi = part1 ? d : n;
  const yi = part1 ? n : d;
  let x0 = v[xi]!;
  let x1 = v[xi + 1]!;
  let x2 = v[xi + 2]!;
  let x3 = v[xi + 3]!;
  let y0 = v[yi]!;
  let y1 = v[yi + 1]!;
  let y2 = v[yi + 2]!;
  let y3 = v[yi + 3]!;
  const w0 = v[m]!;
  const w1 = v[m + 1]!;
  const w2 = v[m + 2]!;
  const w3 = v[m + 3]!;
  for (let e = 0; e < 4; e++) {
    const w = e === 0 ? w0 : e === 1 ? w1 : e === 2 ? w2 : w3;
    const chs = ((y1 ^ y2) & y0) ^ y2;
    const maj = (x0 & x1) | ((x0 | x1) & x2);
    const sigma1 = ror(y0, 6) ^ ror(y0, 11) ^ ror(y0, 25);
    const sigma0 = ror(x0, 2) ^ ror(x0, 13) ^ ror(x0, 22);
    const t1 = (y3 + sigma1 + chs + w) | 0;
    x3 = (t1 + x3) | 0;
    y3 = (t1 + sigma0 + maj) | 0;
    // <Y, X> = ROL(Y:X, 32)
    const topX = x3;
    x3 = x2;
    x2 = x1;
    x1 = x0;
    x0 = y3;
    y3 = y2;
    y2 = y1;
    y1 = y0;
    y0 = topX;
  }
  if (part1) {
    v[d] = x0;
    v[d + 1] = x1;
    v[d + 2] = x2;
    v[d + 3] = x3;
  } else {
    v[d] = y0;
    v[d + 1] = y1;
    v[d + 2] = y2;
    v[d + 3] = y3;
  }
}

/** SHA256SU0 Vd.4S, Vn.4S: Vd + sigma0 of (Vn<31:0> : Vd<127:32>). */
function SHA256SU0(cpu: Cpu, insn: number): void {
  const v = cpu.v32;
  const d = (insn & 31) << 2;
  const n = ((insn >>> 5) & 31) << 2;
  const t0 = v[d + 1]!;
  const t1 = v[d + 2]!;
  const t2 = v[d + 3]!;
  const t3 = v[n]!;
  v[d] = (v[d]! + (ror(t0, 7) ^ ror(t0, 18) ^ (t0 >>> 3))) | 0;
  v[d + 1] = (v[d + 1]! + (ror(t1, 7) ^ ror(t1, 18) ^ (t1 >>> 3))) | 0;
  v[d + 2] = (v[d + 2]! + (ror(t2, 7) ^ ror(t2, 18) ^ (t2 >>> 3))) | 0;
  v[d + 3] = (v[d + 3]! + (ror(t3, 7) ^ ror(t3, 18) ^ (t3 >>> 3))) | 0;
}

function sigma1su(x: number): number {
  return ror(x, 17) ^ ror(x, 19) ^ (x >>> 10);
}

/** SHA256SU1 Vd.4S, Vn.4S, Vm.4S: the second half of the message schedule update. */
function SHA256SU1(cpu: Cpu, insn: number): void {
  const v = cpu.v32;
  const d = (insn & 31) << 2;
  const n = ((insn >>> 5) & 31) << 2;
  const m = ((insn >>> 16) & 31) << 2;
  // T0 = Vm<31:0> : Vn<127:32>
  const t0 = v[n + 1]!;
  const t1 = v[n + 2]!;
  const t2 = v[n + 3]!;
  const t3 = v[m]!;
  const r0 = (sigma1su(v[m + 2]!) + v[d]! + t0) | 0;
  const r1 = (sigma1su(v[m + 3]!) + v[d + 1]! + t1) | 0;
  const r2 = (sigma1su(r0) + v[d + 2]! + t2) | 0;
  const r3 = (sigma1su(r1) + v[d + 3]! + t3) | 0;
  v[d] = r0;
  v[d + 1] = r1;
  v[d + 2] = r2;
  v[d + 3] = r3;
}

// ---- PMULL/PMULL2 (64-bit lanes) ----

/** Low word of the carry-less product of two 32-bit words (the high word is clmulHi). */
function clmulLo(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 32; i++) if ((b >>> i) & 1) r ^= a << i;
  return r;
}

function clmulHi(a: number, b: number): number {
  let r = 0;
  for (let i = 1; i < 32; i++) if ((b >>> i) & 1) r ^= a >>> (32 - i);
  return r;
}

/** PMULL{2} Vd.1Q, Vn.{1,2}D, Vm.{1,2}D: the 128-bit carry-less product of one 64-bit lane of each. */
function PMULL_1q(cpu: Cpu, insn: number): void {
  const v = cpu.v32;
  const half = (insn >>> 29) & 2; // Q selects the upper doublewords
  const d = (insn & 31) << 2;
  const n = (((insn >>> 5) & 31) << 2) + half;
  const m = (((insn >>> 16) & 31) << 2) + half;
  const a0 = v[n]!;
  const a1 = v[n + 1]!;
  const b0 = v[m]!;
  const b1 = v[m + 1]!;
  // (a1:a0)(b1:b0) = a1b1 << 64 ^ (a1b0 ^ a0b1) << 32 ^ a0b0, each partial product 64 bits.
  const midLo = clmulLo(a1, b0) ^ clmulLo(a0, b1);
  const midHi = clmulHi(a1, b0) ^ clmulHi(a0, b1);
  const r0 = clmulLo(a0, b0);
  const r1 = clmulHi(a0, b0) ^ midLo;
  const r2 = clmulLo(a1, b1) ^ midHi;
  const r3 = clmulHi(a1, b1);
  v[d] = r0;
  v[d + 1] = r1;
  v[d + 2] = r2;
  v[d + 3] = r3;
}

export const CRYPTO_ENCODINGS: readonly Encoding[] = [
  enc('AESE', 'AESE', '01001110 00 10100 00100 10 nnnnn ddddd', AESE_AESD),
  enc('AESD', 'AESD', '01001110 00 10100 00101 10 nnnnn ddddd', AESE_AESD),
  enc('AESMC', 'AESMC', '01001110 00 10100 00110 10 nnnnn ddddd', AESMC),
  enc('AESIMC', 'AESIMC', '01001110 00 10100 00111 10 nnnnn ddddd', AESIMC),
  enc('SHA1C', 'SHA1C', '01011110 00 0 mmmmm 0 000 00 nnnnn ddddd', SHA1_hash),
  enc('SHA1P', 'SHA1P', '01011110 00 0 mmmmm 0 001 00 nnnnn ddddd', SHA1_hash),
  enc('SHA1M', 'SHA1M', '01011110 00 0 mmmmm 0 010 00 nnnnn ddddd', SHA1_hash),
  enc('SHA1SU0', 'SHA1SU0', '01011110 00 0 mmmmm 0 011 00 nnnnn ddddd', SHA1SU0),
  enc('SHA256H', 'SHA256H', '01011110 00 0 mmmmm 0 100 00 nnnnn ddddd', SHA256H_H2),
  enc('SHA256H2', 'SHA256H2', '01011110 00 0 mmmmm 0 101 00 nnnnn ddddd', SHA256H_H2),
  enc('SHA256SU1', 'SHA256SU1', '01011110 00 0 mmmmm 0 110 00 nnnnn ddddd', SHA256SU1),
  enc('SHA1H', 'SHA1H', '01011110 00 10100 00000 10 nnnnn ddddd', SHA1H),
  enc('SHA1SU1', 'SHA1SU1', '01011110 00 10100 00001 10 nnnnn ddddd', SHA1SU1),
  enc('SHA256SU0', 'SHA256SU0', '01011110 00 10100 00010 10 nnnnn ddddd', SHA256SU0),
  enc('PMULL_1q', 'PMULL, PMULL2 (64-bit lanes)', '0q0 01110 11 1 mmmmm 1110 00 nnnnn ddddd', PMULL_1q),
];
