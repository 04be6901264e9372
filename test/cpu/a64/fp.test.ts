/**
 * Scalar floating point: fixed cases with exact expected bits (recorded from qemu-aarch64, see
 * fp-cases.generated.ts and test/diff/fp-oracle/fp-specs.ts), plus a few programs through the run loop.
 * The random differential tests are in fp-diff.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCases } from '../../support/fp-case.js';
import { runInterp } from '../../support/insn-oracle.js';
import { hasAssembler, runAsm, xreg } from '../../support/asm-harness.js';
import { CASES } from './fp-cases.generated.js';

describe('scalar FP (recorded cases)', () => runCases(CASES));

describe('scalar FP: features of later architecture versions are undefined', () => {
  // compat64 models an ARMv8.0 Cortex-A72 (id-registers.ts): no FEAT_JSCVT, no FEAT_FP16.
  for (const [name, insn] of [
    ['FJCVTZS w0, d1 (ARMv8.3 JSCVT)', 0x1e7e0020],
    ['FMOV h0, w1 (ARMv8.2 FP16)', 0x1ee70020],
    ['FMOV w0, h1 (ARMv8.2 FP16)', 0x1ee60020],
  ] as const) {
    it(`${name} raises SIGILL`, () => {
      const r = runInterp({ insn, fpcr: 0, nzcv: 0, fpsr: 0, x: new Int32Array(8), q: new Uint8Array(64) });
      assert.equal(r.undefined, true);
    });
  }
});

describe('scalar FP through the run loop', { skip: !hasAssembler() }, () => {
  it('Newton iterations for sqrt(2) give the IEEE double results (one ulp below FSQRT)', () => {
    const cpu = runAsm(`fmov d1, #2.0
      fmov d0, #1.0
      fmov d3, #0.5
      mov x2, #6
    1: fdiv d4, d1, d0
      fadd d4, d4, d0
      fmul d0, d4, d3
      subs x2, x2, #1
      b.ne 1b
      fsqrt d5, d1
      fsub d6, d0, d5
      fmov x0, d0
      fmov x1, d6`);
    // x = (2/x + x) / 2 six times from 1.0 in IEEE double (the same steps in JS give these bits).
    assert.equal(xreg(cpu, 0), 0x3ff6a09e667f3bccn);
    assert.equal(xreg(cpu, 1), 0xbcb0000000000000n); // -2^-52: FSQRT is correctly rounded, 0x3ff6a09e667f3bcd
  });
  it('a fused residual recovers the rounding error of a product exactly', () => {
    const cpu = runAsm(`ldr d1, =0x3fb999999999999a
      fmov d2, #10.0
      fmul d3, d1, d2
      fnmsub d4, d1, d2, d3
      fmov x0, d3
      fmov x1, d4`);
    // 0.1 * 10 rounds to 1.0; the exact product is 1 + 2^-54, so n*m - p = 2^-54.
    assert.equal(xreg(cpu, 0), 0x3ff0000000000000n);
    assert.equal(xreg(cpu, 1), 0x3c90000000000000n);
  });
  it('MSR FPCR selects the rounding mode; MRS FPSR reads the cumulative flags', () => {
    const cpu = runAsm(`mov x0, #(3 << 22)
      msr fpcr, x0
      fmov d1, #1.0
      fmov d2, #3.0
      fdiv d0, d1, d2
      fmov x3, d0
      msr fpcr, xzr
      fdiv d0, d1, d2
      fmov x4, d0
      mrs x5, fpsr`);
    assert.equal(xreg(cpu, 3), 0x3fd5555555555555n);
    assert.equal(xreg(cpu, 4), 0x3fd5555555555555n);
    assert.equal(xreg(cpu, 5), 0x10n);
  });
});
