import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Exit } from '../../../src/cpu/a64/exits.js';
import { CODE_BASE, machineWith, runAsm, runToExit, xreg } from '../../support/asm-harness.js';

/** Flags as the 4-bit NZCV value. */
function nzcv(cpu: { nzcv: number }): number {
  return cpu.nzcv >>> 28;
}

/** Asserts registers by number; expected values come from qemu-aarch64 running the same snippet. */
function expectRegs(cpu: Parameters<typeof xreg>[0], want: Record<number, bigint>): void {
  for (const [r, v] of Object.entries(want)) assert.equal(xreg(cpu, Number(r)), v, `x${r}`);
}

/** Runs one raw instruction word and returns the exit (for encodings binutils will not assemble). */
function runWord(word: number): Exit {
  const code = new Uint8Array(8);
  const dv = new DataView(code.buffer);
  dv.setUint32(0, word >>> 0, true);
  dv.setUint32(4, 0xd4200000, true);
  return runToExit(machineWith(code));
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
    expectRegs(cpu, { 1: 0xffffffffffedffffn, 2: 0xffffffffn, 3: 0xbeefffffn, 4: 0x0000ffffffffffffn });
  });
  it('32-bit MOVZ with hw >= 2 is undefined', () => {
    assert.equal(runWord(0x52c00000), Exit.Undefined); // movz w0, #0, lsl #32
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
    expectRegs(cpu, { 1: 0x100000000n, 2: 0xfffffffen, 5: 0n, 7: 0x100000fffn });
    assert.equal(xreg(cpu, 4), xreg(cpu, 3) - 16n);
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

/** ADRP Xd, with a signed page offset: built by hand (binutils leaves a relocation for ADRP). */
function adrpWord(rd: number, pages: number): number {
  const imm = pages & 0x1fffff;
  return 0x90000000 | ((imm & 3) << 29) | ((imm >>> 2) << 5) | rd | 0;
}

describe('PC-relative addressing', () => {
  it('ADR adds a signed byte offset to the pc', () => {
    const cpu = runAsm(`nop
      adr x0, .
      adr x1, . - 0xffffc
      adr x4, . + 0xfffff`);
    expectRegs(cpu, {
      0: BigInt(CODE_BASE + 4),
      1: BigInt(CODE_BASE + 8 - 0xffffc),
      4: BigInt(CODE_BASE + 12 + 0xfffff),
    });
  });
  it('ADRP adds a signed 4 KiB page offset to the pc’s page, wrapping below 0', () => {
    const words = [
      0xd503201f,
      adrpWord(2, 5),
      adrpWord(3, -0x400),
      adrpWord(5, -0x401),
      adrpWord(6, 0xfffff),
      0xd4200000,
    ];
    // The first ADRP is at CODE_BASE + 4: ADRP ignores bits 11:0 of the pc.
    const m2 = machineWith(new Uint8Array(new Int32Array(words).buffer));
    assert.equal(runToExit(m2), Exit.Breakpoint);
    expectRegs(m2, {
      2: BigInt(CODE_BASE + 0x5000),
      3: 0n,
      5: 0xfffffffffffff000n,
      6: BigInt(CODE_BASE + 0xfffff000),
    });
  });
});

describe('logical (immediate), bitfield, extract', () => {
  it('bitmask immediates, bitfield aliases and EXTR give the values qemu-aarch64 gives', () => {
    const cpu = runAsm(`mov x10, #0x8000000000000001
      lsl x0, x10, #1
      lsr x1, x10, #63
      asr x2, x10, #4
      mov x11, #0x1234
      movk x11, #0xfedc, lsl #48
      movk x11, #0x89ab, lsl #16
      ubfx x3, x11, #12, #24
      sbfx x4, x11, #48, #16
      mov x5, #-1
      bfi x5, x11, #8, #12
      mov x6, #0
      bfxil x6, x11, #16, #20
      sbfiz x7, x11, #60, #4
      ubfiz w8, w11, #28, #4
      sxtw x9, w11
      extr x12, x11, x10, #12
      ror w13, w11, #31
      extr w14, w11, w10, #1
      ror x15, x11, #40
      sxtb w16, w11
      uxth w17, w11
      mov x18, #-1
      bfxil x18, xzr, #4, #56
      asr w19, w11, #16
      mov x20, #0x5555555555555555
      and x21, x11, #0xff00ff00ff00ff00
      eor w22, w11, #0x3c3c3c3c
      orr x23, xzr, #0x3fff00003fff0000
      tst x10, #0x8000000000000000`);
    expectRegs(cpu, {
      0: 0x2n,
      1: 0x1n,
      2: 0xf800000000000000n,
      3: 0x89ab1n,
      4: 0xfffffffffffffedcn,
      5: 0xfffffffffff234ffn,
      6: 0x89abn,
      7: 0x4000000000000000n,
      8: 0x40000000n,
      9: 0xffffffff89ab1234n,
      12: 0x2348000000000000n,
      13: 0x13562469n,
      14: 0n,
      15: 0x0089ab1234fedc00n,
      16: 0x34n,
      17: 0x1234n,
      18: 0xff00000000000000n,
      19: 0xffff89abn,
      20: 0x5555555555555555n,
      21: 0xfe00000089001200n,
      22: 0xb5972e08n,
      23: 0x3fff00003fff0000n,
    });
    assert.equal(nzcv(cpu), 0b1000);
  });
  it('ANDS (immediate) sets N and Z and clears C and V', () => {
    const cpu = runAsm(`mov x0, #0
      cmp x0, #1
      mov w1, #0xf0
      ands w2, w1, #0xf`);
    assert.equal(nzcv(cpu), 0b0100);
  });
  it('reserved bitmask encodings and 32-bit forms with N=1 are undefined', () => {
    assert.equal(runWord(0x927ffc00), Exit.Undefined); // and x0, x0, N=1 immr=63 imms=63 (all ones)
    assert.equal(runWord(0x1200f800), Exit.Undefined); // and w0, w0, N=0 imms=111110 (element of 1 bit)
    assert.equal(runWord(0x12400000), Exit.Undefined); // and w0, w0, N=1: 64-bit element in a 32-bit form
    assert.equal(runWord(0xb200f000), Exit.Breakpoint); // orr x0, x0, #0x5555555555555555 is valid
  });
  it('32-bit bitfield and EXTR forms with a 6-bit field >= 32 are undefined', () => {
    assert.equal(runWord(0x53207c00), Exit.Undefined); // ubfm w0, w0, immr=32
    assert.equal(runWord(0x13808000), Exit.Undefined); // extr w0, w0, w0, #32
    assert.equal(runWord(0x93c08000), Exit.Breakpoint); // extr x0, x0, x0, #32
  });
});
