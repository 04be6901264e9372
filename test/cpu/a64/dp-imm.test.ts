import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Exit } from '../../../src/cpu/a64/exits.js';
import { runAsm, xreg } from '../../support/asm-harness.js';

function nzcv(cpu: { nzcv: number }): number {
  return cpu.nzcv >>> 28;
}

describe('move wide', () => {
  it('MOVZ/MOVK build a 64-bit constant halfword by halfword', () => {
    const cpu = runAsm(`movz x0, #0x1234, lsl #48
      movk x0, #0x5678, lsl #32
      movk x0, #0x9abc, lsl #16
      movk x0, #0xdef0`);
    assert.equal(xreg(cpu, 0), 0x123456789abcdef0n);
  });
  it('MOVN inverts the shifted immediate; the 32-bit form zeroes bits 63:32', () => {
    const cpu = runAsm(`movn x1, #0x12, lsl #16
      movn w2, #0
      mov x3, #-1
      movk w3, #0xbeef, lsl #16
      movn x4, #0xffff, lsl #48`);
    assert.equal(xreg(cpu, 1), 0xffffffffffedffffn);
    assert.equal(xreg(cpu, 2), 0xffffffffn);
    assert.equal(xreg(cpu, 3), 0xbeefffffn);
    assert.equal(xreg(cpu, 4), 0x0000ffffffffffffn);
  });
});

describe('add/subtract (immediate)', () => {
  it('ADD/SUB carry across the 32-bit halves and use SP for register 31', () => {
    const cpu = runAsm(`mov x0, #0xffff
      movk x0, #0xffff, lsl #16
      add x1, x0, #1
      sub x2, x1, #2
      mov x3, sp
      sub sp, sp, #16
      mov x4, sp
      add sp, sp, #0x10
      add w5, w0, #1
      add x7, x0, #1, lsl #12`);
    assert.equal(xreg(cpu, 1), 0x100000000n);
    assert.equal(xreg(cpu, 2), 0xfffffffen);
    assert.equal(xreg(cpu, 4), xreg(cpu, 3) - 16n);
    assert.equal(xreg(cpu, 5), 0n);
    assert.equal(xreg(cpu, 7), 0x100000fffn);
  });
  it('SUBS/ADDS set NZCV like the hardware', () => {
    // Expected flags from qemu-aarch64.
    const cases: [string, number][] = [
      ['mov x0, #0\n cmp x0, #1', 0b1000],
      ['mov x0, #1\n cmp x0, #1', 0b0110],
      ['mov x0, #0x8000000000000000\n cmp x0, #1', 0b0011],
      ['mov x0, #0x7fffffffffffffff\n cmn x0, #1', 0b1001],
      ['mov x0, #-1\n cmn x0, #1', 0b0110],
      ['mov w0, #0x80000000\n cmp w0, #1', 0b0011],
      ['mov w0, #0x7fffffff\n adds w1, w0, #1', 0b1001],
      ['mov w0, #0xffffffff\n adds w1, w0, #1', 0b0110],
    ];
    for (const [src, flags] of cases) assert.equal(nzcv(runAsm(src)), flags, src);
  });
});

describe('exception generation', () => {
  it('BRK stops with Breakpoint and its immediate', () => {
    const cpu = runAsm('brk #0x1234');
    assert.equal(cpu.exit, Exit.Breakpoint);
    assert.equal(cpu.exitInfo, 0x1234);
  });
});
