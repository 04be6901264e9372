/** Load/store exclusive (the local monitor), LDAR/STLR, and the alignment they require. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Exit } from '../../../src/cpu/a64/exits.js';
import { assemble, DATA_BASE, machineWith, runAsm, runToExit, setX, xreg } from '../../support/asm-harness.js';
import { peek, peek64, poke64 } from './ldst-support.js';

const D = DATA_BASE;

test('LDXR then STXR to the same address succeeds (status 0) and stores; a second STXR fails', () => {
  const cpu = runAsm(
    `ldxr x1, [x2]
     stxr w3, x4, [x2]
     stxr w5, x6, [x2]`,
    (c) => {
      poke64(c, D, 0x1111222233334444n);
      setX(c, 2, BigInt(D));
      setX(c, 3, -1n);
      setX(c, 4, 0xaaaabbbbccccddddn);
      setX(c, 6, 0x6666n);
    },
  );
  assert.equal(xreg(cpu, 1), 0x1111222233334444n);
  assert.equal(xreg(cpu, 3), 0n, 'status written as a W register');
  assert.equal(xreg(cpu, 5), 1n, 'the monitor was cleared by the first STXR');
  assert.equal(peek64(cpu, D), 0xaaaabbbbccccddddn);
  assert.equal(cpu.exclAddr, -1);
});

test('STXR fails without LDXR, at another address, with another size, or when memory changed', () => {
  const cpu = runAsm(
    `stxr w1, x9, [x2]
     ldxr x10, [x2]
     stxr w3, x9, [x4]
     ldxr w10, [x2]
     stxr w5, x9, [x2]
     ldaxr x10, [x2]
     str x11, [x2]
     stlxr w6, x9, [x2]
     ldxrh w10, [x2]
     stxrb w7, w9, [x2]`,
    (c) => {
      poke64(c, D, 0x0123456789abcdefn);
      setX(c, 2, BigInt(D));
      setX(c, 4, BigInt(D + 8));
      setX(c, 9, -1n);
      setX(c, 11, 0x5555n);
    },
  );
  for (const r of [1, 3, 5, 6, 7]) assert.equal(xreg(cpu, r), 1n, `w${r}`);
  assert.equal(peek64(cpu, D), 0x5555n, 'only the plain STR stored');
  assert.equal(peek64(cpu, D + 8), 0n);
});

test('byte and halfword exclusives store only their size; LDAXR/STLXR behave the same', () => {
  const cpu = runAsm(
    `ldxrb w1, [x2, #0]
     stxrb w3, w9, [x2]
     ldaxrh w4, [x5]
     stlxrh w6, w9, [x5]
     ldaxr w7, [x8]
     stlxr w10, w9, [x8]`,
    (c) => {
      poke64(c, D, 0x8877665544332211n);
      setX(c, 1, -1n);
      setX(c, 2, BigInt(D));
      setX(c, 5, BigInt(D + 2));
      setX(c, 8, BigInt(D + 4));
      setX(c, 9, 0xfedcba98n);
    },
  );
  assert.equal(xreg(cpu, 1), 0x11n);
  assert.equal(xreg(cpu, 4), 0x4433n);
  assert.equal(xreg(cpu, 7), 0x88776655n);
  assert.equal(xreg(cpu, 3), 0n);
  assert.equal(xreg(cpu, 6), 0n);
  assert.equal(xreg(cpu, 10), 0n);
  assert.deepEqual(peek(cpu, D, 9), [0x98, 0x22, 0x98, 0xba, 0x98, 0xba, 0xdc, 0xfe, 0]);
});

test('LDXP/STXP of doublewords and words; a changed second half makes STXP fail', () => {
  const cpu = runAsm(
    `ldxp x1, x2, [x3]
     stxp w4, x5, x6, [x3]
     ldaxp w7, w8, [x9]
     stlxp w10, w6, w5, [x9]
     ldxp x11, x12, [x3]
     str x13, [x3, #8]
     stxp w14, x5, x6, [x3]`,
    (c) => {
      poke64(c, D, 0x1111111111111111n);
      poke64(c, D + 8, 0x2222222222222222n);
      poke64(c, D + 16, 0x4444444433333333n);
      setX(c, 3, BigInt(D));
      setX(c, 5, 0x5555555555555555n);
      setX(c, 6, 0x6666666666666666n);
      setX(c, 9, BigInt(D + 16));
      setX(c, 13, 0x1313n);
    },
  );
  assert.equal(xreg(cpu, 1), 0x1111111111111111n);
  assert.equal(xreg(cpu, 2), 0x2222222222222222n);
  assert.equal(xreg(cpu, 4), 0n);
  assert.equal(xreg(cpu, 7), 0x33333333n);
  assert.equal(xreg(cpu, 8), 0x44444444n);
  assert.equal(xreg(cpu, 10), 0n);
  assert.equal(peek64(cpu, D + 16), 0x5555555566666666n, 'W pair: Rt at the lower address');
  assert.equal(xreg(cpu, 11), 0x5555555555555555n);
  assert.equal(xreg(cpu, 12), 0x6666666666666666n);
  assert.equal(xreg(cpu, 14), 1n);
  assert.equal(peek64(cpu, D), 0x5555555555555555n, 'the failed STXP stored nothing');
  assert.equal(peek64(cpu, D + 8), 0x1313n);
});

test('LDAR/STLR load and store every size', () => {
  const cpu = runAsm(
    `ldar x1, [x2]
     ldarb w3, [x2]
     ldarh w4, [x5]
     ldar w6, [x7]
     stlr x8, [x9]
     stlrb w8, [x10]
     stlrh w8, [x11]
     stlr w8, [x12]`,
    (c) => {
      poke64(c, D, 0xf1f2f3f4f5f6f7f8n);
      setX(c, 2, BigInt(D));
      setX(c, 3, -1n);
      setX(c, 5, BigInt(D + 6));
      setX(c, 7, BigInt(D + 4));
      setX(c, 8, 0x0102030405060708n);
      setX(c, 9, BigInt(D + 16));
      setX(c, 10, BigInt(D + 32));
      setX(c, 11, BigInt(D + 40));
      setX(c, 12, BigInt(D + 48));
    },
  );
  assert.equal(xreg(cpu, 1), 0xf1f2f3f4f5f6f7f8n);
  assert.equal(xreg(cpu, 3), 0xf8n);
  assert.equal(xreg(cpu, 4), 0xf1f2n);
  assert.equal(xreg(cpu, 6), 0xf1f2f3f4n);
  assert.equal(peek64(cpu, D + 16), 0x0102030405060708n);
  assert.equal(peek64(cpu, D + 32), 0x08n);
  assert.equal(peek64(cpu, D + 40), 0x0708n);
  assert.equal(peek64(cpu, D + 48), 0x05060708n);
});

test('misaligned exclusive and acquire/release accesses raise DataAlign with the address', () => {
  const cases: [string, number][] = [
    ['ldxr x1, [x2]', 4],
    ['ldxrh w1, [x2]', 1],
    ['stxr w3, w1, [x2]', 2],
    ['ldxp x1, x4, [x2]', 8],
    ['stxp w3, w1, w4, [x2]', 4],
    ['ldar x1, [x2]', 1],
    ['stlrh w1, [x2]', 3],
  ];
  for (const [src, off] of cases) {
    const cpu = machineWith(assemble(`${src}\nbrk #0`));
    setX(cpu, 1, 0x77n);
    setX(cpu, 2, BigInt(D + off));
    setX(cpu, 3, 0x99n);
    assert.equal(runToExit(cpu), Exit.DataAlign, src);
    assert.equal(cpu.exitInfo, D + off, src);
    assert.equal(cpu.pc, 0x400000, src);
    assert.equal(xreg(cpu, 1), 0x77n, src);
    assert.equal(xreg(cpu, 3), 0x99n, src);
    assert.equal(cpu.exclAddr, -1, src);
  }
});

test('a 128-bit STXP fails when another CPU ran LDXP since this one did', () => {
  const code = assemble('ldxp x1, x2, [x3]\nstxp w4, x1, x2, [x3]\nbrk #0');
  const a = machineWith(code);
  const b = machineWith(code);
  for (const c of [a, b]) {
    setX(c, 3, BigInt(D));
    setX(c, 4, 0x44n);
  }
  assert.equal(a.step(), Exit.Quantum);
  assert.equal(b.step(), Exit.Quantum);
  assert.equal(runToExit(a), Exit.Breakpoint);
  assert.equal(xreg(a, 4), 1n);
  assert.equal(runToExit(b), Exit.Breakpoint);
  assert.equal(xreg(b, 4), 0n);
});
