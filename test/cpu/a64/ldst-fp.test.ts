/** Single SIMD&FP register loads and stores (B, H, S, D, Q) in every addressing form. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Exit } from '../../../src/cpu/a64/exits.js';
import {
  assemble,
  DATA_BASE,
  DATA_PAGES,
  machineWith,
  runAsm,
  runToExit,
  setX,
  vreg,
  xreg,
} from '../../support/asm-harness.js';
import { pattern, peek, setV } from './ldst-support.js';

const D = DATA_BASE;
const DATA_END = DATA_BASE + DATA_PAGES * 4096;
const ONES = new Array<number>(16).fill(0xff);
/** Bytes of pattern() at offset off: byte i = i * 0x11 & 0xff. */
const pat = (off: number, n: number): number[] => Array.from({ length: n }, (_, i) => ((off + i) * 0x11) & 0xff);
/** n bytes followed by zeros up to 16. */
const low = (bytes: number[]): number[] => [...bytes, ...new Array<number>(16 - bytes.length).fill(0)];

test('LDR B/H/S/D/Q (unsigned offset) load the low bits and zero the rest of the register', () => {
  const cpu = runAsm(
    `ldr b0, [x2, #1]
     ldr h1, [x2, #2]
     ldr s2, [x2, #4]
     ldr d3, [x2, #8]
     ldr q4, [x2, #16]
     ldr q5, [x2, #65520]
     ldr d6, [x2, #32760]`,
    (c) => {
      pattern(c, D, 64);
      pattern(c, D + 65520, 16);
      pattern(c, D + 32760, 8);
      for (let v = 0; v < 7; v++) setV(c, v, ONES);
      setX(c, 2, BigInt(D));
    },
  );
  assert.deepEqual([...vreg(cpu, 0)], low(pat(1, 1)));
  assert.deepEqual([...vreg(cpu, 1)], low(pat(2, 2)));
  assert.deepEqual([...vreg(cpu, 2)], low(pat(4, 4)));
  assert.deepEqual([...vreg(cpu, 3)], low(pat(8, 8)));
  assert.deepEqual([...vreg(cpu, 4)], pat(16, 16));
  assert.deepEqual([...vreg(cpu, 5)], pat(0, 16));
  assert.deepEqual([...vreg(cpu, 6)], low(pat(0, 8)));
});

test('SIMD&FP pre/post-index, register offset, unscaled and literal loads', () => {
  const cpu = runAsm(
    `ldr q0, [x3, #16]!
     ldr d1, [x4], #-8
     ldr s2, [x5, #-4]!
     ldr h3, [x6], #2
     ldr b4, [x7, #-1]!
     ldr q5, [x2, x8, lsl #4]
     ldr q6, [x2, x8]
     ldr s7, [x2, w9, sxtw #2]
     ldr d8, [x2, w10, uxtw #3]
     ldr h9, [x2, x8, lsl #1]
     ldr b10, [x2, w9, sxtw]
     ldur q11, [x2, #-3]
     ldur s12, [x2, #255]
     ldr s13, lits
     ldr d14, litd
     ldr q15, litq
     brk #0
     .p2align 4
     litq: .quad 0x0706050403020100, 0x0f0e0d0c0b0a0908
     litd: .quad 0x8877665544332211
     lits: .word 0xdeadbeef`,
    (c) => {
      pattern(c, D, 1024);
      for (let v = 0; v < 16; v++) setV(c, v, ONES);
      setX(c, 2, BigInt(D + 256));
      setX(c, 3, BigInt(D));
      setX(c, 4, BigInt(D + 40));
      setX(c, 5, BigInt(D + 60));
      setX(c, 6, BigInt(D + 70));
      setX(c, 7, BigInt(D + 81));
      setX(c, 8, 3n);
      setX(c, 9, 0xffff_ffff_ffff_fffen);
      setX(c, 10, 0x1_0000_0002n);
    },
  );
  assert.deepEqual([...vreg(cpu, 0)], pat(16, 16));
  assert.equal(xreg(cpu, 3), BigInt(D + 16));
  assert.deepEqual([...vreg(cpu, 1)], low(pat(40, 8)));
  assert.equal(xreg(cpu, 4), BigInt(D + 32));
  assert.deepEqual([...vreg(cpu, 2)], low(pat(56, 4)));
  assert.equal(xreg(cpu, 5), BigInt(D + 56));
  assert.deepEqual([...vreg(cpu, 3)], low(pat(70, 2)));
  assert.equal(xreg(cpu, 6), BigInt(D + 72));
  assert.deepEqual([...vreg(cpu, 4)], low(pat(80, 1)));
  assert.equal(xreg(cpu, 7), BigInt(D + 80));
  assert.deepEqual([...vreg(cpu, 5)], pat(256 + 48, 16));
  assert.deepEqual([...vreg(cpu, 6)], pat(256 + 3, 16));
  assert.deepEqual([...vreg(cpu, 7)], low(pat(256 - 8, 4)));
  assert.deepEqual([...vreg(cpu, 8)], low(pat(256 + 16, 8)));
  assert.deepEqual([...vreg(cpu, 9)], low(pat(256 + 6, 2)));
  assert.deepEqual([...vreg(cpu, 10)], low(pat(256 - 2, 1)));
  assert.deepEqual([...vreg(cpu, 11)], pat(253, 16));
  assert.deepEqual([...vreg(cpu, 12)], low(pat(511, 4)));
  assert.deepEqual([...vreg(cpu, 13)], low([0xef, 0xbe, 0xad, 0xde]));
  assert.deepEqual([...vreg(cpu, 14)], low([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]));
  assert.deepEqual(
    [...vreg(cpu, 15)],
    Array.from({ length: 16 }, (_, i) => i),
  );
});

test('STR B/H/S/D/Q store exactly the low bytes of the register, in every form', () => {
  const src = Array.from({ length: 16 }, (_, i) => 0xa0 + i);
  const cpu = runAsm(
    `str b0, [x2, #1]
     str h0, [x2, #4]
     str s0, [x2, #8]
     str d0, [x2, #16]
     str q0, [x2, #32]
     stur q0, [x2, #63]
     str q0, [x3, #-16]!
     str d0, [x4], #8
     str s0, [x5, x6, lsl #2]
     str h0, [x5, w7, sxtw #1]
     str b0, [x5, w8, uxtw]
     stur d0, [x5, #-32]
     str q0, [x5, x6, lsl #4]`,
    (c) => {
      setV(c, 0, src);
      setX(c, 2, BigInt(D));
      setX(c, 3, BigInt(D + 256));
      setX(c, 4, BigInt(D + 300));
      setX(c, 5, BigInt(D + 512));
      setX(c, 6, 4n);
      setX(c, 7, 0xfffffffen);
      setX(c, 8, 0xffffffff00000007n);
    },
  );
  assert.deepEqual(peek(cpu, D, 96), [
    0,
    0xa0,
    0,
    0,
    ...src.slice(0, 2),
    0,
    0,
    ...src.slice(0, 4),
    0,
    0,
    0,
    0,
    ...src.slice(0, 8),
    ...new Array(8).fill(0),
    ...src,
    ...new Array(15).fill(0),
    ...src,
    ...new Array(17).fill(0),
  ]);
  assert.deepEqual(peek(cpu, D + 240, 17), [...src, 0]);
  assert.equal(xreg(cpu, 3), BigInt(D + 240));
  assert.deepEqual(peek(cpu, D + 300, 9), [...src.slice(0, 8), 0]);
  assert.equal(xreg(cpu, 4), BigInt(D + 308));
  assert.deepEqual(peek(cpu, D + 528, 5), [...src.slice(0, 4), 0]);
  assert.deepEqual(peek(cpu, D + 576, 17), [...src, 0]);
  // h0 at 512 + (-2 << 1) (sxtw #1), b0 at 512 + 7 (uxtw drops the high word), d0 at 512 - 32.
  assert.deepEqual(peek(cpu, D + 500, 21), [...new Array(8).fill(0), 0xa0, 0xa1, ...new Array(9).fill(0), 0xa0, 0]);
  assert.deepEqual(peek(cpu, D + 480, 9), [...src.slice(0, 8), 0]);
});

test('a Q load or store that faults half-way changes neither the register nor memory', () => {
  let cpu = machineWith(assemble('ldr q0, [x2], #16\nbrk #0'));
  setV(cpu, 0, ONES);
  setX(cpu, 2, BigInt(DATA_END - 8));
  assert.equal(runToExit(cpu), Exit.Fault);
  assert.deepEqual([...vreg(cpu, 0)], ONES);
  assert.equal(xreg(cpu, 2), BigInt(DATA_END - 8));
  assert.equal(cpu.mem.faultAddr, DATA_END);

  cpu = machineWith(assemble('str q0, [x2]\nbrk #0'));
  setV(cpu, 0, ONES);
  setX(cpu, 2, BigInt(DATA_END - 8));
  assert.equal(runToExit(cpu), Exit.Fault);
  assert.deepEqual(peek(cpu, DATA_END - 8, 8), new Array(8).fill(0));
});
