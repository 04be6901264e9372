/** LDP/STP/LDPSW/LDNP/STNP for general and SIMD&FP registers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Exit } from '../../../src/cpu/a64/exits.js';
import {
  assemble,
  DATA_BASE,
  DATA_PAGES,
  dreg,
  machineWith,
  runAsm,
  runToExit,
  STACK_TOP,
  setX,
  vreg,
  xreg,
} from '../../support/asm-harness.js';
import { peek, peek64, poke64, setV } from './ldst-support.js';

const D = DATA_BASE;
const DATA_END = DATA_BASE + DATA_PAGES * 4096;
const ONES = new Array<number>(16).fill(0xff);
const seq = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => (from + i) & 0xff);

test('STP/LDP of X registers: frame push and pop through SP', () => {
  const cpu = runAsm(
    `stp x29, x30, [sp, #-16]!
     stp x1, x2, [sp, #-32]
     ldp x3, x4, [sp], #16
     ldp x5, x6, [sp, #-48]`,
    (c) => {
      setX(c, 29, 0x2929292929292929n);
      setX(c, 30, 0x3030303030303030n);
      setX(c, 1, 0x0101n);
      setX(c, 2, -2n);
    },
  );
  assert.equal(peek64(cpu, STACK_TOP - 16), 0x2929292929292929n);
  assert.equal(peek64(cpu, STACK_TOP - 8), 0x3030303030303030n);
  assert.equal(peek64(cpu, STACK_TOP - 48), 0x0101n);
  assert.equal(peek64(cpu, STACK_TOP - 40), 0xfffffffffffffffen);
  assert.equal(xreg(cpu, 3), 0x2929292929292929n);
  assert.equal(xreg(cpu, 4), 0x3030303030303030n);
  assert.equal(cpu.x[62], STACK_TOP);
  assert.equal(xreg(cpu, 5), 0x0101n);
  assert.equal(xreg(cpu, 6), 0xfffffffffffffffen);
});

test('LDP/STP of W registers and LDPSW zero- or sign-extend; offsets are scaled; LDNP/STNP', () => {
  const cpu = runAsm(
    `ldp w1, w2, [x7, #-8]
     ldpsw x3, x4, [x7, #8]!
     ldpsw x5, x6, [x8], #-8
     stp w9, w10, [x11, #252]
     stp w9, w10, [x12, #-256]!
     stp w10, w9, [x13], #4
     ldnp x14, x15, [x16, #-512]
     stnp x14, x15, [x16, #504]
     ldnp w17, w18, [x7, #-16]
     stnp w18, w17, [x16]`,
    (c) => {
      poke64(c, D + 8, 0x8000000112345678n);
      poke64(c, D + 24, 0x7fffffff80000000n);
      poke64(c, D + 40, 0x00000002fffffffen);
      setX(c, 1, -1n);
      setX(c, 2, -1n);
      setX(c, 7, BigInt(D + 16));
      setX(c, 8, BigInt(D + 40));
      setX(c, 9, 0xaaaaaaaa11111111n);
      setX(c, 10, 0xbbbbbbbb22222222n);
      setX(c, 11, BigInt(D + 1000));
      setX(c, 12, BigInt(D + 2000));
      setX(c, 13, BigInt(D + 3000));
      setX(c, 16, BigInt(D + 520));
    },
  );
  assert.equal(xreg(cpu, 1), 0x12345678n);
  assert.equal(xreg(cpu, 2), 0x80000001n);
  assert.equal(xreg(cpu, 3), 0xffffffff80000000n);
  assert.equal(xreg(cpu, 4), 0x7fffffffn);
  assert.equal(xreg(cpu, 7), BigInt(D + 24));
  assert.equal(xreg(cpu, 5), 0xfffffffffffffffen);
  assert.equal(xreg(cpu, 6), 2n);
  assert.equal(xreg(cpu, 8), BigInt(D + 32));
  assert.equal(peek64(cpu, D + 1252), 0x2222222211111111n);
  assert.equal(peek64(cpu, D + 1744), 0x2222222211111111n);
  assert.equal(xreg(cpu, 12), BigInt(D + 1744));
  assert.equal(peek64(cpu, D + 3000), 0x1111111122222222n);
  assert.equal(xreg(cpu, 13), BigInt(D + 3004));
  assert.equal(xreg(cpu, 14), 0x8000000112345678n, 'LDNP from D + 8');
  assert.equal(xreg(cpu, 15), 0n);
  assert.equal(peek64(cpu, D + 1024), 0x8000000112345678n);
  assert.equal(peek64(cpu, D + 1032), 0n);
  assert.equal(xreg(cpu, 17), 0x12345678n);
  assert.equal(xreg(cpu, 18), 0x80000001n);
  assert.equal(peek64(cpu, D + 520), 0x1234567880000001n);
});

test('LDP whose destination is also the written-back base keeps the loaded value', () => {
  const cpu = runAsm('ldp x16, x17, [x16], #16\nldp x18, x19, [x19, #16]!', (c) => {
    poke64(c, D, 0x1616n);
    poke64(c, D + 8, 0x1717n);
    poke64(c, D + 16, 0x1818n);
    poke64(c, D + 24, 0x1919n);
    setX(c, 16, BigInt(D));
    setX(c, 19, BigInt(D));
  });
  assert.equal(xreg(cpu, 16), 0x1616n);
  assert.equal(xreg(cpu, 17), 0x1717n);
  assert.equal(xreg(cpu, 18), 0x1818n);
  assert.equal(xreg(cpu, 19), 0x1919n);
});

test('STP/LDP of Q registers move 32 bytes; D and S pairs zero the upper bits', () => {
  const cpu = runAsm(
    `stp q0, q1, [x2, #32]
     ldp q2, q3, [x2, #32]
     stp q1, q0, [x2, #-32]!
     ldp q4, q5, [x2], #64
     ldp d6, d7, [x3]
     ldp s8, s9, [x3, #-8]
     stp d0, d1, [x3, #16]!
     stp s1, s0, [x3], #8
     ldnp q10, q11, [x2, #-64]
     stnp d0, d1, [x2]
     ldnp d12, d13, [x2]`,
    (c) => {
      setV(c, 0, seq(0x00, 16));
      setV(c, 1, seq(0x10, 16));
      for (const v of [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]) setV(c, v, ONES);
      setX(c, 2, BigInt(D + 64));
      setX(c, 3, BigInt(D + 96));
    },
  );
  assert.deepEqual([...vreg(cpu, 2)], seq(0x00, 16));
  assert.deepEqual([...vreg(cpu, 3)], seq(0x10, 16));
  assert.deepEqual(peek(cpu, D + 32, 32), [...seq(0x10, 16), ...seq(0, 16)]);
  assert.deepEqual([...vreg(cpu, 4)], seq(0x10, 16));
  assert.deepEqual([...vreg(cpu, 5)], seq(0x00, 16));
  assert.equal(xreg(cpu, 2), BigInt(D + 96));
  // x3 = D + 96 holds bytes 00..1f: d6 = 00..07, d7 = 08..0f; s8/s9 from D + 88 (zero).
  assert.deepEqual([...vreg(cpu, 6)], [...seq(0, 8), ...new Array(8).fill(0)]);
  assert.deepEqual([...vreg(cpu, 7)], [...seq(8, 8), ...new Array(8).fill(0)]);
  assert.deepEqual([...vreg(cpu, 8)], new Array(16).fill(0));
  assert.deepEqual([...vreg(cpu, 9)], new Array(16).fill(0));
  // Final bytes at D + 96: stnp d0, d1 (96..111), stp s1, s0 over the start of stp d0, d1 (112..127).
  assert.deepEqual(peek(cpu, D + 96, 32), [
    ...seq(0, 8),
    ...seq(0x10, 8),
    ...seq(0x10, 4),
    ...seq(0, 4),
    ...seq(0x10, 8),
  ]);
  assert.equal(xreg(cpu, 3), BigInt(D + 120));
  assert.deepEqual([...vreg(cpu, 10)], seq(0x10, 16));
  assert.deepEqual([...vreg(cpu, 11)], seq(0x00, 16));
  assert.equal(dreg(cpu, 12), 0x0706050403020100n);
  assert.equal(dreg(cpu, 13), 0x1716151413121110n);
  assert.deepEqual([...vreg(cpu, 13)].slice(8), new Array(8).fill(0));
});

test('a faulting LDP changes no register; a faulting STP crossing pages stores nothing', () => {
  let cpu = machineWith(assemble('ldp x5, x6, [x7], #16\nbrk #0'));
  setX(cpu, 5, 0x55n);
  setX(cpu, 6, 0x66n);
  setX(cpu, 7, BigInt(DATA_END - 8));
  assert.equal(runToExit(cpu), Exit.Fault);
  assert.equal(xreg(cpu, 5), 0x55n);
  assert.equal(xreg(cpu, 6), 0x66n);
  assert.equal(xreg(cpu, 7), BigInt(DATA_END - 8));
  assert.equal(cpu.mem.faultAddr, DATA_END);

  cpu = machineWith(assemble('stp x8, x9, [x10, #-8]!\nbrk #0'));
  setX(cpu, 8, -1n);
  setX(cpu, 9, -1n);
  setX(cpu, 10, BigInt(DATA_END));
  assert.equal(runToExit(cpu), Exit.Fault);
  assert.equal(peek64(cpu, DATA_END - 8), 0n);
  assert.equal(xreg(cpu, 10), BigInt(DATA_END));

  cpu = machineWith(assemble('ldp q0, q1, [x2]\nbrk #0'));
  setV(cpu, 0, ONES);
  setX(cpu, 2, BigInt(DATA_END - 16));
  assert.equal(runToExit(cpu), Exit.Fault);
  assert.deepEqual([...vreg(cpu, 0)], ONES);

  cpu = machineWith(assemble('stp q0, q1, [x2]\nbrk #0'));
  setV(cpu, 0, ONES);
  setX(cpu, 2, BigInt(DATA_END - 24));
  assert.equal(runToExit(cpu), Exit.Fault);
  assert.deepEqual(peek(cpu, DATA_END - 24, 24), new Array(24).fill(0));
});
