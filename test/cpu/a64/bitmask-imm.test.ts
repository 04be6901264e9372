import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BITMASK_HI, BITMASK_LO, BITMASK_VALID, decodeBitMask } from '../../../src/cpu/a64/bitmask-imm.js';

/** The manual's DecodeBitMasks(N, imms, immr, immediate=TRUE, M=64) with BigInt, as a reference. */
function reference(k: number): bigint | undefined {
  const n = (k >>> 12) & 1;
  const immr = (k >>> 6) & 63;
  const imms = k & 63;
  const bits = (n << 6) | (~imms & 63);
  if (bits === 0) return undefined;
  const len = 31 - Math.clz32(bits);
  if (len < 1) return undefined;
  const levels = (1 << len) - 1;
  const s = imms & levels;
  const r = immr & levels;
  if (s === levels) return undefined;
  const esize = BigInt(1 << len);
  const emask = (1n << esize) - 1n;
  const welem = (1n << BigInt(s + 1)) - 1n;
  const rot = BigInt(r);
  const elem = ((welem >> rot) | (welem << (esize - rot))) & emask;
  let v = 0n;
  for (let i = 0n; i < 64n; i += esize) v |= elem << i;
  return v;
}

describe('bitmask-imm', () => {
  it('decodes nothing until an encoding is used', () => {
    // Index 0x1fff (N=1, imms=111111) is reserved; nothing in this test file used it before.
    assert.equal(BITMASK_VALID[0x1fff], 0);
    assert.equal(decodeBitMask(0x1fff), false);
    assert.equal(BITMASK_VALID[0x1fff], 2);
  });

  it('decodes every encoding as DecodeBitMasks does, and the same the second time', () => {
    for (let k = 0; k < 8192; k++) {
      const want = reference(k);
      for (let pass = 0; pass < 2; pass++) {
        assert.equal(decodeBitMask(k), want !== undefined, `validity of ${k.toString(16)}`);
        if (want === undefined) continue;
        const got = (BigInt(BITMASK_HI[k]! >>> 0) << 32n) | BigInt(BITMASK_LO[k]! >>> 0);
        assert.equal(got, want, `mask of ${k.toString(16)}`);
      }
    }
  });
});
