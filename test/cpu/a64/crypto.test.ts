import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeName } from '../../../src/cpu/a64/decoder.js';
import { Exit } from '../../../src/cpu/a64/exits.js';
import type { Cpu } from '../../../src/cpu/a64/cpu.js';
import { DATA_BASE, hasAssembler, machineWith, runAsm, runToExit, vreg } from '../../support/asm-harness.js';

// Known-answer tests of the Cryptographic Extension (FIPS-197, FIPS-180 and GCM's GHASH field);
// random words of every row are compared with qemu-aarch64 by the differential tester (test/diff).

function setWords(cpu: Cpu, reg: number, words: readonly number[]): void {
  for (let i = 0; i < 4; i++) cpu.v32[reg * 4 + i] = words[i]! | 0;
}

function words(cpu: Cpu, reg: number): number[] {
  return [0, 1, 2, 3].map((i) => cpu.v32[reg * 4 + i]! >>> 0);
}

function setBytes(cpu: Cpu, reg: number, hex: string): void {
  for (let i = 0; i < 16; i++) cpu.v8[reg * 16 + i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

const skip = !hasAssembler() && 'binutils for aarch64 not found';

describe('AES', { skip }, () => {
  it('AESE + AESMC + EOR is the first round of FIPS-197 appendix B', () => {
    const cpu = runAsm(
      `aese v0.16b, v1.16b
      aesmc v0.16b, v0.16b
      eor v0.16b, v0.16b, v2.16b`,
      (c) => {
        setBytes(c, 0, '3243f6a8885a308d313198a2e0370734'); // input
        setBytes(c, 1, '2b7e151628aed2a6abf7158809cf4f3c'); // round key 0
        setBytes(c, 2, 'a0fafe1788542cb123a339392a6c7605'); // round key 1
      },
    );
    assert.equal(hex(vreg(cpu, 0)), 'a49c7ff2689f352b6b5bea43026a5049'); // start of round 2
  });
  it('AESD undoes AESE and AESIMC undoes AESMC', () => {
    const cpu = runAsm(
      `aese v3.16b, v1.16b
      movi v4.2d, #0
      aesd v3.16b, v4.16b
      eor v3.16b, v3.16b, v1.16b
      aesmc v5.16b, v0.16b
      aesimc v5.16b, v5.16b`,
      (c) => {
        setBytes(c, 0, '00112233445566778899aabbccddeeff');
        setBytes(c, 1, '000102030405060708090a0b0c0d0e0f');
        setBytes(c, 3, '00112233445566778899aabbccddeeff');
      },
    );
    assert.equal(hex(vreg(cpu, 3)), '00112233445566778899aabbccddeeff');
    assert.equal(hex(vreg(cpu, 5)), '00112233445566778899aabbccddeeff');
  });
});

/** The padded one-block message "abc" as big-endian 32-bit words. */
const ABC = [0x61626380, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x18];

describe('SHA-1', { skip }, () => {
  it('SHA1C/P/M, SHA1H, SHA1SU0/SU1 compute SHA-1("abc")', () => {
    const K = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];
    const lines: string[] = [];
    for (let i = 0; i < 20; i++) {
      const w = (k: number) => `v${16 + ((i + k) % 4)}`;
      const e = i % 2 === 0 ? ['s1', 's6'] : ['s6', 's1'];
      const op = i < 5 ? 'c' : i < 10 ? 'p' : i < 15 ? 'm' : 'p';
      lines.push(`add v5.4s, ${w(0)}.4s, v${24 + Math.floor(i / 5)}.4s`);
      lines.push(`sha1h ${e[1]}, s0`);
      lines.push(`sha1${op} q0, ${e[0]}, v5.4s`);
      if (i < 16) lines.push(`sha1su0 ${w(0)}.4s, ${w(1)}.4s, ${w(2)}.4s`, `sha1su1 ${w(0)}.4s, ${w(3)}.4s`);
    }
    lines.push('add v0.4s, v0.4s, v20.4s', 'add v1.4s, v1.4s, v21.4s');
    const H = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
    const cpu = runAsm(lines.join('\n'), (c) => {
      setWords(c, 0, H.slice(0, 4));
      setWords(c, 1, [H[4]!, 0, 0, 0]);
      setWords(c, 20, H.slice(0, 4));
      setWords(c, 21, [H[4]!, 0, 0, 0]);
      for (let g = 0; g < 4; g++) setWords(c, 16 + g, ABC.slice(4 * g, 4 * g + 4));
      K.forEach((k, j) => {
        setWords(c, 24 + j, [k, k, k, k]);
      });
    });
    const digest = [...words(cpu, 0), words(cpu, 1)[0]!].map((w) => w.toString(16).padStart(8, '0')).join('');
    assert.equal(digest, 'a9993e364706816aba3e25717850c26c9cd0d89d');
  });
});

/** SHA-256 round constants. */
const K256 = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];

describe('SHA-256', { skip }, () => {
  it('SHA256H/H2, SHA256SU0/SU1 compute SHA-256("abc")', () => {
    const lines: string[] = ['mov v20.16b, v0.16b', 'mov v21.16b, v1.16b'];
    for (let i = 0; i < 16; i++) {
      const w = (k: number) => `v${16 + ((i + k) % 4)}`;
      lines.push('ld1 {v4.4s}, [x0], #16', `add v5.4s, ${w(0)}.4s, v4.4s`);
      if (i < 12) lines.push(`sha256su0 ${w(0)}.4s, ${w(1)}.4s`);
      lines.push('mov v6.16b, v0.16b', 'sha256h q0, q1, v5.4s', 'sha256h2 q1, q6, v5.4s');
      if (i < 12) lines.push(`sha256su1 ${w(0)}.4s, ${w(2)}.4s, ${w(3)}.4s`);
    }
    lines.push('add v0.4s, v0.4s, v20.4s', 'add v1.4s, v1.4s, v21.4s');
    const H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    const cpu = runAsm(lines.join('\n'), (c) => {
      setWords(c, 0, H.slice(0, 4));
      setWords(c, 1, H.slice(4));
      for (let g = 0; g < 4; g++) setWords(c, 16 + g, ABC.slice(4 * g, 4 * g + 4));
      K256.forEach((k, j) => {
        c.mem.write32(DATA_BASE + 4 * j, k | 0);
      });
      c.x[0] = DATA_BASE;
    });
    const digest = [...words(cpu, 0), ...words(cpu, 1)].map((w) => w.toString(16).padStart(8, '0')).join('');
    assert.equal(digest, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('PMULL (64-bit lanes)', { skip }, () => {
  it('PMULL and PMULL2 .1q give the 128-bit carry-less product of one doubleword of each', () => {
    const cpu = runAsm(
      `pmull v2.1q, v0.1d, v1.1d
      pmull2 v3.1q, v0.2d, v1.2d`,
      (c) => {
        // Low lanes: (x^63 + x + 1) * (x^64 - 1 ... all ones) ; high lanes: x^63 * x^63 = x^126.
        setWords(c, 0, [0x00000003, 0x80000000, 0x00000000, 0x80000000]);
        setWords(c, 1, [0xffffffff, 0xffffffff, 0x00000000, 0x80000000]);
      },
    );
    // (x^63 + x + 1)(2^64 - 1 as a polynomial): computed bit by bit below.
    let lo = 0n;
    let hi = 0n;
    const a = 0x8000000000000003n;
    const b = 0xffffffffffffffffn;
    for (let i = 0n; i < 64n; i++) {
      if ((b >> i) & 1n) {
        const p = a << i;
        lo ^= p & 0xffffffffffffffffn;
        hi ^= p >> 64n;
      }
    }
    assert.deepEqual(words(cpu, 2), [
      Number(lo & 0xffffffffn),
      Number(lo >> 32n),
      Number(hi & 0xffffffffn),
      Number(hi >> 32n),
    ]);
    assert.deepEqual(words(cpu, 3), [0, 0, 0, 0x40000000]);
  });
});

describe('encodings', () => {
  it('other size and opcode values of the crypto groups are undefined', () => {
    for (const w of [0x4e684800, 0x4e288800, 0x5e403000, 0x5e007000, 0x5e283800, 0x4e28a800, 0x5e681800]) {
      assert.equal(decodeName(w), 'UNDEFINED', `0x${w.toString(16)}`);
    }
    const cpu = machineWith(new Uint8Array(new Int32Array([0x4e684800, 0xd4200000 | 0]).buffer));
    assert.equal(runToExit(cpu), Exit.Undefined);
  });
  it('the crypto rows decode to their handlers', () => {
    assert.equal(decodeName(0x4e284820), 'AESE');
    assert.equal(decodeName(0x4e285820), 'AESD');
    assert.equal(decodeName(0x4e286820), 'AESMC');
    assert.equal(decodeName(0x4e287820), 'AESIMC');
    assert.equal(decodeName(0x5e020020), 'SHA1C');
    assert.equal(decodeName(0x5e280820), 'SHA1H');
    assert.equal(decodeName(0x5e024020), 'SHA256H');
    assert.equal(decodeName(0x0ee1e020), 'PMULL_1q');
    assert.equal(decodeName(0x0e21e020), 'PMULL');
  });
});
