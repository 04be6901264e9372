import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Exit } from '../../../src/cpu/a64/exits.js';
import { CODE_BASE, machineWith, runAsm, runToExit, setX, xreg } from '../../support/asm-harness.js';

function words(ws: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(ws).buffer);
}

const BRK = (imm: number) => 0xd4200000 | (imm << 5) | 0;

/** ConditionHolds from the Arm ARM, written independently of the CPU's implementation. */
function conditionHolds(cond: number, nzcv: number): boolean {
  const n = (nzcv >> 3) & 1;
  const z = (nzcv >> 2) & 1;
  const c = (nzcv >> 1) & 1;
  const v = nzcv & 1;
  const base = [z === 1, c === 1, n === 1, v === 1, c === 1 && z === 0, n === v, n === v && z === 0, true][cond >> 1]!;
  return (cond & 1) === 1 && cond !== 15 ? !base : base;
}

describe('conditional branch', () => {
  it('B.cond branches exactly when ConditionHolds, for all 16 conditions and 16 flag values', () => {
    // Block per condition: b.<cond> +8; brk #1 (not taken); brk #2 (taken).
    const code: number[] = [];
    for (let cond = 0; cond < 16; cond++) code.push(0x54000000 | (2 << 5) | cond, BRK(1), BRK(2));
    const cpu = machineWith(words(code));
    for (let cond = 0; cond < 16; cond++)
      for (let f = 0; f < 16; f++) {
        cpu.nzcv = f << 28;
        cpu.pc = CODE_BASE + cond * 12;
        assert.equal(runToExit(cpu), Exit.Breakpoint);
        assert.equal(cpu.exitInfo, conditionHolds(cond, f) ? 2 : 1, `cond ${cond} nzcv ${f.toString(2)}`);
      }
  });
  it('B.cond and B reach backward targets', () => {
    const cpu = runAsm(`mov x0, #3
      mov x1, #0
    1: add x1, x1, #10
      subs x0, x0, #1
      b.ne 1b
      b 2f
      mov x1, #99
    2: nop`);
    assert.equal(xreg(cpu, 1), 30n);
  });
  it('CBZ/CBNZ test 32 or 64 bits; TBZ/TBNZ test one bit of either half', () => {
    const cpu = runAsm(
      `mov x10, #0
      cbz w1, 1f
      orr x10, x10, #1
    1: cbz x1, 2f
      orr x10, x10, #2
    2: cbnz x1, 3f
      orr x10, x10, #4
    3: cbnz w1, 4f
      orr x10, x10, #8
    4: tbnz x2, #63, 5f
      orr x10, x10, #16
    5: tbz x2, #32, 6f
      orr x10, x10, #32
    6: tbnz w2, #0, 7f
      orr x10, x10, #64
    7: tbz xzr, #40, 8f
      orr x10, x10, #128
    8: nop`,
      (c) => {
        setX(c, 1, 0x1_00000000n);
        setX(c, 2, 0x8000000000000001n);
      },
    );
    // Taken: cbz w1, cbnz x1, tbnz x2 #63, tbz x2 #32, tbnz w2 #0, tbz xzr. Not taken: cbz x1, cbnz w1.
    assert.equal(xreg(cpu, 10), 2n | 8n);
  });
});

describe('branch with link and branch to register', () => {
  it('BL and BLR write the return address; RET and BR jump to the register', () => {
    const cpu = runAsm(`bl 1f
    ret_here:
      b 3f
    1: mov x5, x30
      adr x6, 2f
      blr x6
      mov x8, x30
      ret x5
    2: mov x7, x30
      ret
    3: adr x9, ret_here`);
    assert.equal(xreg(cpu, 5), xreg(cpu, 9));
    assert.equal(xreg(cpu, 7), BigInt(CODE_BASE + 20)); // the BLR is at +16
    assert.equal(xreg(cpu, 8), BigInt(CODE_BASE + 20));
  });
  it('BLR X30 jumps to the old X30', () => {
    const cpu = runAsm(`adr x30, 1f
      blr x30
      mov x1, #1
    1: mov x2, #2`);
    assert.equal(xreg(cpu, 1), 0n);
    assert.equal(xreg(cpu, 2), 2n);
    assert.equal(xreg(cpu, 30), BigInt(CODE_BASE + 8));
  });
  it('a tagged branch target runs at its untagged address (top byte ignored, as qemu-aarch64 shows)', () => {
    const cpu = runAsm(`adr x0, 1f
      orr x0, x0, #0x0f00000000000000
      br x0
      nop
    1: adr x1, .`);
    assert.equal(xreg(cpu, 1), BigInt(CODE_BASE + 16));
  });
  it('a misaligned register target stops with PcAlign at the branch, naming the target', () => {
    const cpu = machineWith(words([0xd61f0020, BRK(0)])); // br x1
    setX(cpu, 1, BigInt(CODE_BASE + 0x102));
    assert.equal(runToExit(cpu), Exit.PcAlign);
    assert.equal(cpu.exitInfo, CODE_BASE + 0x102);
    assert.equal(cpu.pc, CODE_BASE);
  });
});

describe('exception generation', () => {
  it('SVC stops with Svc and its immediate, pc after the instruction', () => {
    const cpu = machineWith(words([0xd4000001 | (0x42 << 5), BRK(0)])); // svc #0x42
    assert.equal(runToExit(cpu), Exit.Svc);
    assert.equal(cpu.exitInfo, 0x42);
    assert.equal(cpu.pc, CODE_BASE + 4);
  });
  it('BRK stops with Breakpoint at the instruction; HLT with Halt', () => {
    const cpu = runAsm('brk #0x1234');
    assert.equal(cpu.exit, Exit.Breakpoint);
    assert.equal(cpu.exitInfo, 0x1234);
    assert.equal(cpu.pc, CODE_BASE);
    assert.equal(runToExit(machineWith(words([0xd4400000 | (7 << 5)]))), Exit.Halt);
  });
  it('HVC, SMC, DCPS1, ERET, DRPS and the PAC branches are undefined at EL0', () => {
    for (const w of [
      0xd4000002, // hvc #0
      0xd4000003, // smc #0
      0xd4a00001, // dcps1
      0xd69f03e0, // eret
      0xd6bf03e0, // drps
      0xd71f081f, // braa x0, sp
      0xd65f0bff, // retaa
    ])
      assert.equal(runToExit(machineWith(words([w | 0, BRK(0)]))), Exit.Undefined, w.toString(16));
  });
});
