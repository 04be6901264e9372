import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeName } from '../../../src/cpu/a64/decoder.js';
import { Exit } from '../../../src/cpu/a64/exits.js';
import { assemble, hasAssembler, machineWith, runToExit } from '../../support/asm-harness.js';

const skip = !hasAssembler();

// One instruction per AdvSIMD integer/permute/structure row family, and the row it must decode to.
const ROWS: [string, string][] = [
  ['ld1 {v0.16b}, [x0]', 'LD1_mult1'],
  ['st4 {v0.4s-v3.4s}, [x1], #64', 'ST4_mult_post'],
  ['ld3 {v0.h, v1.h, v2.h}[3], [x0], x2', 'LD3_single_post'],
  ['ld1r {v0.8b}, [x0]', 'LD1R'],
  ['dup v0.16b, w1', 'DUP_gen'],
  ['mov v0.s[1], v1.s[0]', 'INS_elem'],
  ['umov w0, v1.b[3]', 'UMOV'],
  ['mov x0, v1.d[1]', 'UMOV'],
  ['mov d0, v1.d[1]', 'DUP_elem_scalar'],
  ['movi v0.2d, #0', 'MOVI_8_64'],
  ['movi v0.4s, #1, msl #8', 'MOVI_msl'],
  ['bic v0.4h, #1', 'ORR_BIC_imm16'],
  ['zip2 v0.8h, v1.8h, v2.8h', 'ZIP2'],
  ['tbx v0.16b, {v1.16b, v2.16b}, v3.16b', 'TBX'],
  ['ext v0.16b, v1.16b, v2.16b, #15', 'EXT'],
  ['rev16 v0.16b, v1.16b', 'REV16_vec'],
  ['cmeq v0.16b, v1.16b, #0', 'CMEQ_zero'],
  ['cmhs d0, d1, d2', 'CMHS_reg_scalar'],
  ['bif v0.16b, v1.16b, v2.16b', 'BIF'],
  ['mvn v0.16b, v1.16b', 'NOT_vec'],
  ['add d0, d1, d2', 'ADD_SUB_scalar'],
  ['uqadd b0, b1, b2', 'QADD_scalar'],
  ['sqrdmulh v0.4s, v1.4s, v2.4s', 'QDMULH_vec'],
  ['addp v0.2d, v1.2d, v2.2d', 'ADDP_vec'],
  ['urshl v0.2d, v1.2d, v2.2d', 'RSHL_reg'],
  ['umull2 v0.2d, v1.4s, v2.4s', 'MULL'],
  ['raddhn v0.8b, v1.8h, v2.8h', 'ADDHN'],
  ['sqdmlal s0, h1, h2', 'SQDMLAL_scalar'],
  ['cnt v0.8b, v1.8b', 'CNT'],
  ['sqxtun2 v0.16b, v1.8h', 'SQXTUN'],
  ['uaddlv h0, v1.16b', 'ADDLV'],
  ['addp d0, v1.2d', 'ADDP_scalar'],
  ['ushr d0, d1, #64', 'SHR_imm_scalar'],
  ['uxtl v0.8h, v1.8b', 'SHLL_imm'],
  ['sqrshrun h0, s1, #3', 'SQRSHRUN_scalar'],
  ['sli v0.2d, v1.2d, #63', 'SLI'],
  ['mla v0.8h, v1.8h, v15.h[7]', 'MLA_elem'],
  ['sqdmulh s0, s1, v31.s[3]', 'SQDMULH_elem_scalar'],
  ['umlsl2 v0.4s, v1.8h, v2.h[0]', 'MLSL_elem'],
];

test('AdvSIMD integer, permute and structure instructions decode to their rows', { skip }, () => {
  const code = assemble(ROWS.map(([src]) => src).join('\n'));
  const dv = new DataView(code.buffer, code.byteOffset, code.byteLength);
  ROWS.forEach(([src, name], i) => {
    assert.equal(decodeName(dv.getInt32(4 * i, true)), name, src);
  });
});

// Reserved encodings inside the rows (objdump prints them as undefined): each must raise SIGILL.
const RESERVED: [number, string][] = [
  [0x0ee28420, 'ADD .1d (vector, Q=0, size=3)'],
  [0x4ee29c20, 'MUL .2d'],
  [0x5e228420, 'ADD (scalar) with a B register'],
  [0x4e000420, 'DUP (element) with imm5 = 0'],
  [0x0f400420, 'SSHR .1d (vector, Q=0)'],
  [0x0f408420, 'SHRN from 128-bit elements'],
  [0x0e083c20, 'UMOV W from a D element'],
  [0x0ee12820, 'XTN from 128-bit elements'],
  [0x0eb1b820, 'ADDV .2s'],
  [0x2e024020, 'EXT .8b with index 8'],
  [0x0e62e020, 'PMULL .4s (size 1)'],
  [0x0e22d020, 'SQDMULL from bytes'],
  [0x0f028020, 'MUL by element with size 0'],
];

for (const [word, what] of RESERVED) {
  test(`reserved AdvSIMD encoding is undefined: ${what}`, () => {
    const code = new Uint8Array(8);
    new DataView(code.buffer).setUint32(0, word, true);
    const cpu = machineWith(code);
    assert.equal(runToExit(cpu), Exit.Undefined);
    assert.equal(cpu.pc, 0x400000);
  });
}
