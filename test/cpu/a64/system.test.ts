import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Exit } from '../../../src/cpu/a64/exits.js';
import { ADVERTISED_HWCAP, ADVERTISED_HWCAP2 } from '../../../src/cpu/a64/id-registers.js';
import { CODE_BASE, DATA_BASE, machineWith, runAsm, runToExit, setX, xreg } from '../../support/asm-harness.js';

function words(ws: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(ws).buffer);
}

/** Exit of one raw word followed by BRK. */
function runWord(word: number): Exit {
  return runToExit(machineWith(words([word | 0, 0xd4200000 | 0])));
}

describe('hints and barriers', () => {
  it('NOP, SEV, SEVL, CSDB, the PAC/BTI hints and the barriers change nothing', () => {
    const cpu = runAsm(
      `nop
      sev
      sevl
      hint #20 // csdb
      hint #25 // paciasp
      hint #29 // autiasp
      hint #34 // bti c
      hint #7 // xpaclri
      hint #127
      dmb ish
      dsb sy
      isb
      .inst 0xd503309f // ssbb
      .inst 0xd503349f // pssbb`,
      (c) => {
        setX(c, 30, 0xff00_0000_0040_1234n);
        c.nzcv = 0x6 << 28;
      },
    );
    assert.equal(xreg(cpu, 30), 0xff00_0000_0040_1234n);
    assert.equal(cpu.nzcv >>> 28, 0x6);
    assert.equal(cpu.pc, CODE_BASE + 14 * 4);
  });
  it('YIELD, WFE and WFI stop with Yield after the instruction', () => {
    for (const w of [0xd503203f, 0xd503205f, 0xd503207f]) {
      const cpu = machineWith(words([w | 0, 0xd4200000 | 0]));
      assert.equal(runToExit(cpu), Exit.Yield);
      assert.equal(cpu.pc, CODE_BASE + 4);
    }
  });
  it('CLREX clears the exclusive monitor', () => {
    const cpu = runAsm('clrex', (c) => {
      c.exclAddr = DATA_BASE;
    });
    assert.equal(cpu.exclAddr, -1);
  });
});

describe('system registers', () => {
  it('NZCV, FPCR, FPSR and TPIDR_EL0 read back what was written (FPCR/FPSR masked like qemu’s Cortex-A72)', () => {
    const cpu = runAsm(`mov x0, #-1
      msr fpcr, x0
      mrs x1, fpcr
      msr fpsr, x0
      mrs x2, fpsr
      movz x0, #0x1234
      movk x0, #0xabcd, lsl #48
      msr tpidr_el0, x0
      mrs x3, tpidr_el0
      mov x0, #-1
      msr nzcv, x0
      mrs x4, nzcv
      mrs x5, tpidrro_el0
      mov x0, #0x40000000
      msr nzcv, x0`);
    assert.equal(xreg(cpu, 1), 0x07f70000n);
    assert.equal(xreg(cpu, 2), 0xf800009fn);
    assert.equal(xreg(cpu, 3), 0xabcd000000001234n);
    assert.equal(cpu.tpidrLo, 0x1234);
    assert.equal(xreg(cpu, 4), 0xf0000000n);
    assert.equal(xreg(cpu, 5), 0n);
    assert.equal(cpu.nzcv >>> 28, 0b0100);
  });
  it('CTR_EL0, DCZID_EL0, CNTFRQ_EL0 and CNTVCT_EL0', () => {
    const cpu = runAsm(
      `mrs x0, ctr_el0
      mrs x1, dczid_el0
      mrs x2, cntfrq_el0
      mrs x3, cntvct_el0`,
      (c) => {
        c.counter = () => 0x1_2345_6789;
      },
    );
    assert.equal(xreg(cpu, 0), 0x8444c004n);
    assert.equal(xreg(cpu, 1), 4n);
    assert.equal(xreg(cpu, 2), BigInt(cpu.cntfrq));
    assert.equal(xreg(cpu, 3), 0x1_2345_6789n);
  });
  it('SB and DC CVAP are undefined: FEAT_SB and FEAT_DPB are not advertised (ARMv8.0)', () => {
    assert.equal(runWord(0xd50330ff), Exit.Undefined, 'sb');
    assert.equal(runWord(0xd50b7c20), Exit.Undefined, 'dc cvap, x0');
  });
  it('ID registers read as Linux emulates them for a Cortex-A72 with FP, ASIMD, crypto, CRC32 and LSE atomics', () => {
    const cpu = runAsm(`mrs x0, midr_el1
      mrs x1, mpidr_el1
      mrs x2, revidr_el1
      mrs x3, id_aa64pfr0_el1
      mrs x4, id_aa64isar0_el1
      mrs x5, id_aa64isar1_el1
      mrs x6, id_aa64mmfr0_el1
      mrs x7, id_aa64dfr0_el1
      mrs x8, S3_0_C0_C4_4 // ID_AA64ZFR0_EL1
      mrs x9, S3_0_C0_C7_7 // unallocated in the ID space: reads as 0`);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((r) => xreg(cpu, r)),
      [0x410fd083n, 0x80000000n, 0n, 0x11n, 0x211120n, 0n, 0xff000000n, 6n, 0n, 0n],
    );
  });
  it('AT_HWCAP advertises FP, ASIMD, AES, PMULL, SHA1, SHA2, CRC32, ATOMICS and CPUID, AT_HWCAP2 nothing', () => {
    assert.equal(ADVERTISED_HWCAP, 0x9fb);
    assert.equal(ADVERTISED_HWCAP2, 0);
  });
  it('AT_HWCAP and ID_AA64ISAR0_EL1 agree: each advertised extension has its ID field', () => {
    const reg = xreg(runAsm('mrs x0, id_aa64isar0_el1'), 0);
    const isar0 = Number(reg & 0xffffffffn);
    const field = (lsb: number) => (isar0 >>> lsb) & 15;
    const hw = (bit: number) => (ADVERTISED_HWCAP & (1 << bit)) !== 0;
    // Linux's hwcaps: AES = ISAR0.AES >= 1, PMULL = ISAR0.AES >= 2, SHA1, SHA2, CRC32, ATOMICS = Atomic >= 2.
    assert.equal(hw(3), field(4) >= 1, 'AES');
    assert.equal(hw(4), field(4) >= 2, 'PMULL');
    assert.equal(hw(5), field(8) >= 1, 'SHA1');
    assert.equal(hw(6), field(12) >= 1, 'SHA2');
    assert.equal(hw(7), field(16) >= 1, 'CRC32');
    assert.equal(hw(8), field(20) >= 2, 'ATOMICS');
    assert.equal(field(24), 0, 'no TME');
    assert.equal(field(28), 0, 'no RDM');
    assert.equal(reg >> 32n, 0n, 'nothing above bit 31 (SHA3, SM3, SM4, DP, FHM, TS, TLB, RNDR)');
  });
  it('other system registers are undefined at EL0', () => {
    const undefinedWords: [number, string][] = [
      [0xd5381000, 'mrs x0, sctlr_el1'],
      [0xd53b4220, 'mrs x0, daif'],
      [0xd53be020, 'mrs x0, cntpct_el0'],
      [0xd5380020, 'mrs x0, S3_0_C0_C0_1 (CRm=0 other than MIDR/MPIDR/REVIDR)'],
      [0xd5380100, 'mrs x0, id_pfr0_el1 (CRm=1)'],
      [0xd51bd060, 'msr tpidrro_el0, x0'],
      [0xd51b0020, 'msr ctr_el0, x0'],
      [0xd50342df, 'msr daifset, #2'],
      [0xd5087620, 'dc ivac, x0'],
      [0xd508751f, 'ic iallu'],
      [0xd52b7420, 'sysl x0, #3, c7, c4, #1'],
    ];
    for (const [w, what] of undefinedWords) assert.equal(runWord(w), Exit.Undefined, what);
  });
});

describe('cache maintenance', () => {
  it('DC ZVA zeroes the aligned 64-byte block holding the address', () => {
    const cpu = runAsm(
      `dc zva, x0
      dc cvau, x0
      dc civac, x0
      dc cvac, x0
      ic ivau, x0`,
      (c) => {
        c.mem.fill(DATA_BASE, 0xaa, 256);
        setX(c, 0, BigInt(DATA_BASE + 64 + 13));
      },
    );
    const bytes = [...Array(256).keys()].map((i) => cpu.mem.read8(DATA_BASE + i));
    assert.deepEqual(bytes.slice(0, 64), Array(64).fill(0xaa));
    assert.deepEqual(bytes.slice(64, 128), Array(64).fill(0));
    assert.deepEqual(bytes.slice(128), Array(128).fill(0xaa));
  });
  it('DC ZVA of an unmapped address faults and writes nothing', () => {
    const cpu = machineWith(words([0xd50b7420 | 0, 0xd4200000 | 0])); // dc zva, x0
    setX(cpu, 0, 0x1000n);
    assert.equal(runToExit(cpu), Exit.Fault);
    assert.equal(cpu.pc, CODE_BASE);
  });
});
