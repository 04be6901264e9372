import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BRANCH_ENCODINGS } from '../../../src/cpu/a64/branch.js';
import { checkEncodings, decoderBits, decodeName } from '../../../src/cpu/a64/decoder.js';
import { DP_IMM_ENCODINGS } from '../../../src/cpu/a64/dp-imm.js';
import { DP_REG_ENCODINGS } from '../../../src/cpu/a64/dp-reg.js';
import { patternBits } from '../../../src/cpu/a64/encoding.js';
import { ENCODINGS } from '../../../src/cpu/a64/encodings.js';
import { SYSTEM_ENCODINGS } from '../../../src/cpu/a64/system.js';
import { randomWord, rng } from './qemu-diff.js';

describe('encodings table', () => {
  it("decoderBits() (what the bundle precomputes) is every row's patternBits, in table order", () => {
    const bits = decoderBits();
    assert.equal(bits.length, 2 * ENCODINGS.length);
    ENCODINGS.forEach((e, i) => {
      const { mask, value } = patternBits(e.pattern);
      assert.equal(bits[2 * i], mask, e.name);
      assert.equal(bits[2 * i + 1], value, e.name);
    });
    assert.equal(bits[2 * ENCODINGS.findIndex((e) => e.name === 'ADD_imm_x')], 0xff800000);
  });
  it('checkEncodings() finds no problem in the whole table', () => {
    assert.deepEqual(checkEncodings(), []);
  });
  it('the integer rows (dp-imm, dp-reg, branch, system) pass checkEncodings() on their own', () => {
    assert.deepEqual(
      checkEncodings([...DP_IMM_ENCODINGS, ...DP_REG_ENCODINGS, ...BRANCH_ENCODINGS, ...SYSTEM_ENCODINGS]),
      [],
    );
  });
  it('random words of each integer row decode to that row or a more specific one', () => {
    const next = rng(3);
    const rows = [...DP_IMM_ENCODINGS, ...DP_REG_ENCODINGS, ...BRANCH_ENCODINGS, ...SYSTEM_ENCODINGS];
    const specificity = new Map(rows.map((e) => [e.name, popcount(patternBits(e.pattern).mask)]));
    for (const e of rows)
      for (let i = 0; i < 50; i++) {
        const w = randomWord(e.pattern, next);
        const name = decodeName(w);
        if (name === e.name) continue;
        const other = specificity.get(name);
        assert.ok(
          other !== undefined && other > specificity.get(e.name)!,
          `0x${(w >>> 0).toString(16)} from ${e.name} decodes as ${name}`,
        );
      }
  });
  it('frequent aliases have rows of their own', () => {
    const cases: [number, string][] = [
      [0xaa0103e0, 'MOV_reg_x'], // mov x0, x1
      [0x2a0103e0, 'MOV_reg_w'], // mov w0, w1
      [0xd340fc20, 'LSR_imm_x'], // lsr x0, x1, #0
      [0x9340fc20, 'ASR_imm_x'], // asr x0, x1, #0
      [0x93407c20, 'SXTW'], // sxtw x0, w1
      [0x53001c20, 'UXTB'], // uxtb w0, w1
      [0xd53bd040, 'MRS_tpidr'], // mrs x0, tpidr_el0
      [0x54000040, 'B_eq'], // b.eq +8
      [0xd503201f, 'HINT'], // nop
      [0xd503233f, 'HINT'], // paciasp
    ];
    for (const [w, name] of cases) assert.equal(decodeName(w | 0), name, `0x${w.toString(16)}`);
  });
});

function popcount(v: number): number {
  let n = 0;
  for (let b = v >>> 0; b !== 0; b >>>= 1) n += b & 1;
  return n;
}
