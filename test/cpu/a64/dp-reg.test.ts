import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Exit } from '../../../src/cpu/a64/exits.js';
import { machineWith, runAsm, runToExit, setX, xreg } from '../../support/asm-harness.js';

function expectRegs(cpu: Parameters<typeof xreg>[0], want: Record<number, bigint>): void {
  for (const [r, v] of Object.entries(want)) assert.equal(xreg(cpu, Number(r)), v, `x${r}`);
}

function runWord(word: number): Exit {
  const code = new Uint8Array(8);
  const dv = new DataView(code.buffer);
  dv.setUint32(0, word >>> 0, true);
  dv.setUint32(4, 0xd4200000, true);
  return runToExit(machineWith(code));
}

/** Flags value as MRS NZCV returns it, for a 4-bit NZCV. */
function flags(n: number): bigint {
  return BigInt(n) << 28n;
}

// Every expected value below was obtained by running the same snippet under qemu-aarch64.

describe('add/subtract and flags', () => {
  it('ADDS/SUBS/ADCS/SBCS/NGCS/NEGS/CCMP/CCMN produce the hardware’s results and NZCV', () => {
    const cpu = runAsm(`mov x10, #0x7fffffffffffffff
      mov x11, #-1
      mov x12, #0x8000000000000000
      mov x13, #7
      mov w14, #0x7fffffff
      adds x0, x10, x13
      mrs x1, nzcv
      subs x2, x12, x13
      mrs x3, nzcv
      cmp x13, x13
      adcs x4, x11, xzr
      mrs x5, nzcv
      sbcs x6, xzr, x13
      mrs x7, nzcv
      adds w8, w14, w14
      mrs x9, nzcv
      cmp x13, #8
      ngcs x15, x13
      mrs x16, nzcv
      cmn w11, #1
      sbc w17, w14, w11
      adc x18, x11, x11
      mov x19, #0
      ccmp x13, #7, #0b0010, eq
      mrs x20, nzcv
      ccmp x13, x12, #0b0010, ne
      mrs x21, nzcv
      ccmn w14, #1, #0, al
      mrs x22, nzcv
      ccmp x12, x13, #0b1111, hi
      mrs x23, nzcv
      negs x24, x12
      mrs x25, nzcv
      adds x26, x11, x12, lsr #1
      mrs x27, nzcv
      subs w28, w14, w11, lsl #31`);
    expectRegs(cpu, {
      0: 0x8000000000000006n,
      1: flags(0b1001),
      2: 0x7ffffffffffffff9n,
      3: flags(0b0011),
      4: 0n,
      5: flags(0b0110),
      6: 0xfffffffffffffff9n,
      7: flags(0b1000),
      8: 0xfffffffen,
      9: flags(0b1001),
      15: 0xfffffffffffffff8n,
      16: flags(0b1000),
      17: 0x80000000n,
      18: 0xffffffffffffffffn,
      20: flags(0b0110),
      21: flags(0b0010),
      22: flags(0b1001),
      23: flags(0b1111),
      24: 0x8000000000000000n,
      25: flags(0b1001),
      26: 0x3fffffffffffffffn,
      27: flags(0b0010),
      28: 0xffffffffn,
    });
    assert.equal(cpu.nzcv >>> 28, 0b1001);
  });
  it('extended-register forms extend, shift and use SP as Rn and Rd', () => {
    const cpu = runAsm(
      `mov x20, sp
      add x0, sp, w1, uxtw #2
      add x2, x3, w4, sxtb #4
      sub x5, x3, w4, sxth
      add w6, w3, w4, uxtb #1
      sub sp, sp, x7
      mov x8, sp
      mov sp, x20
      adds x9, x3, w4, sxtw #3
      cmp x3, w4, uxtw`,
      (c) => {
        setX(c, 1, 0xffffffff_00000010n);
        setX(c, 3, 0x1000n);
        setX(c, 4, 0x123480f0n);
        setX(c, 7, 0x40n);
      },
    );
    const sp = xreg(cpu, 20);
    expectRegs(cpu, {
      0: sp + 0x40n,
      2: 0x1000n - 0x100n, // sxtb(0xf0) = -16, shifted left by 4
      5: 0x1000n + 0x7f10n,
      6: 0x1000n + 0x1e0n,
      8: sp - 0x40n,
      9: 0x1000n + 0x123480f0n * 8n,
    });
    // cmp x3, w4, uxtw: 0x1000 - 0x123480f0 borrows: N=1, C=0.
    assert.equal(cpu.nzcv >>> 28, 0b1000);
  });
  it('shift type ROR and 32-bit shift amounts >= 32 are undefined for add/subtract', () => {
    assert.equal(runWord(0x8bc00000), Exit.Undefined); // add x0, x0, x0, ror #0
    assert.equal(runWord(0x0b008000), Exit.Undefined); // add w0, w0, w0, lsl #32
    assert.equal(runWord(0x0a008000), Exit.Undefined); // and w0, w0, w0, lsl #32
    assert.equal(runWord(0x8b20f400), Exit.Undefined); // add x0, x0, x0, sxtx #5
    assert.equal(runWord(0x8ac0fc00), Exit.Breakpoint); // and x0, x0, x0, ror #63 is valid
  });
});

describe('multiply and divide', () => {
  it('SDIV/UDIV edge cases, UMULH/SMULH and the long multiplies', () => {
    const cpu = runAsm(`mov x10, #0x7fffffffffffffff
      mov x11, #-1
      mov x12, #0x8000000000000000
      mov x13, #7
      mov x14, #-7
      sdiv x0, x12, x11
      sdiv x1, x14, x13
      sdiv x2, x13, xzr
      udiv x3, x11, x13
      mov w15, #0x80000000
      sdiv w4, w15, w11
      udiv w5, w11, w13
      sdiv w6, w14, w13
      umulh x7, x11, x11
      smulh x8, x11, x11
      smulh x9, x12, x12
      movz x16, #0xcdef
      movk x16, #0x89ab, lsl #16
      movk x16, #0x4567, lsl #32
      movk x16, #0xfedc, lsl #48
      umulh x17, x16, x10
      smulh x18, x16, x14
      smaddl x19, w14, w15, x13
      umsubl x20, w14, w15, x13
      mul x21, x16, x16
      msub x22, x16, x14, x10
      udiv x23, x16, x13
      sdiv x24, x16, x14
      madd w25, w16, w14, w13
      mneg x26, x16, x13
      umull x27, w11, w11
      smull x28, w15, w15`);
    expectRegs(cpu, {
      0: 0x8000000000000000n,
      1: 0xffffffffffffffffn,
      2: 0n,
      3: 0x2492492492492492n,
      4: 0x80000000n,
      5: 0x24924924n,
      6: 0xffffffffn,
      7: 0xfffffffffffffffen,
      8: 0n,
      9: 0x4000000000000000n,
      17: 0x7f6e22b3c4d5e6f6n,
      18: 0n,
      19: 0x380000007n,
      20: 0x8000000380000007n,
      21: 0xe613e20890f2a521n,
      22: 0x7805e5d4c3b2a188n,
      23: 0x24689c335ccf668fn,
      24: 0x0029acf13579be02n,
      25: 0x3c4d5e7en,
      26: 0x07fa1a2b3c4d5e77n,
      27: 0xfffffffe00000001n,
      28: 0x4000000000000000n,
    });
  });
  it('64-bit UDIV is exact for divisors of every size', () => {
    const M = (1n << 64n) - 1n;
    const values = [
      1n,
      3n,
      0xffffffffn,
      0x100000000n,
      0x100000001n,
      0x123456789n,
      (1n << 53n) + 1n,
      (1n << 62n) - 1n,
      1n << 62n,
      (1n << 63n) + 5n,
      M - 1n,
      M,
    ];
    for (const n of values)
      for (const d of values) {
        const cpu = runAsm('udiv x0, x1, x2\n sdiv x3, x1, x2', (c) => {
          setX(c, 1, n);
          setX(c, 2, d);
        });
        assert.equal(xreg(cpu, 0), n / d, `${n} / ${d}`);
        const sn = BigInt.asIntN(64, n);
        const sd = BigInt.asIntN(64, d);
        assert.equal(xreg(cpu, 3), BigInt.asUintN(64, sn / sd), `${sn} / ${sd} (signed)`);
      }
  });
});

describe('bit operations, shifts and CRC32', () => {
  it('RBIT/REV/CLZ/CLS/CRC32/variable shifts give the values qemu-aarch64 gives', () => {
    const cpu = runAsm(`movz x10, #0xcdef
      movk x10, #0x89ab, lsl #16
      movk x10, #0x4567, lsl #32
      movk x10, #0x0123, lsl #48
      mov x11, #-1
      mov x12, #0x8000000000000000
      mov x13, #7
      rbit x0, x10
      rbit w1, w10
      rev x2, x10
      rev w3, w10
      rev16 x4, x10
      rev32 x5, x10
      clz x6, x13
      clz w7, wzr
      cls x8, x11
      cls x9, x13
      cls w14, w12
      mov x15, #0x00000000ffffffff
      cls x15, x15
      clz x16, x12
      mov w17, #0
      crc32b w17, w17, w10
      mov w18, #-1
      crc32x w18, w18, x10
      crc32cx w19, w11, x10
      crc32h w20, w13, w10
      crc32cw w21, w13, w10
      crc32cb w22, w11, w13
      lslv x23, x10, x11
      rorv w24, w10, w13
      asrv x25, x12, x13
      lsr w26, w10, w13
      mov x27, #0x3f
      ror x27, x10, x27
      add x28, x10, w13, sxtb #4`);
    expectRegs(cpu, {
      0: 0xf7b3d591e6a2c480n,
      1: 0xf7b3d591n,
      2: 0xefcdab8967452301n,
      3: 0xefcdab89n,
      4: 0x23016745ab89efcdn,
      5: 0x67452301efcdab89n,
      6: 61n,
      7: 32n,
      8: 63n,
      9: 60n,
      14: 31n, // cls w14, w12: W12 is 0, so 31 bits equal to the sign bit follow it
      15: 31n,
      16: 0n,
      17: 0x30b5ffe9n,
      18: 0xbbc41db8n,
      19: 0x9a4f27dcn,
      20: 0x7372c7e9n,
      21: 0x40148ce0n,
      22: 0x7948c845n,
      23: 0x8000000000000000n,
      24: 0xdf13579bn,
      25: 0xff00000000000000n,
      26: 0x113579bn,
      27: 0x02468acf13579bden,
      28: 0x0123456789abce5fn,
    });
  });
  it('CSEL/CSINC/CSINV/CSNEG select by condition and zero bits 63:32 in the 32-bit forms', () => {
    const cpu = runAsm(
      `cmp x1, x2
      csel x3, x1, x2, lt
      csel w4, w1, w2, ge
      cset x5, lt
      csetm w6, lt
      cinc x7, x1, ge
      cinv x8, x1, lt
      cneg x9, x1, lt
      cneg w10, w2, lt
      csinc x11, x1, x2, ne`,
      (c) => {
        setX(c, 1, 0xffffffff_fffffff0n);
        setX(c, 2, 0x1_00000005n);
      },
    );
    expectRegs(cpu, {
      3: 0xfffffffffffffff0n,
      4: 5n,
      5: 1n,
      6: 0xffffffffn,
      7: 0xfffffffffffffff0n,
      8: 0xfn,
      9: 0x10n,
      10: 0xfffffffbn,
      11: 0xfffffffffffffff0n,
    });
  });
});
