/**
 * FEAT_LSE atomics: LD<op>, ST<op>, SWP, CAS, CASP. Expected values were taken from the same
 * operations run under qemu-aarch64 -cpu max (a C program with inline assembly).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Exit } from '../../../src/cpu/a64/exits.js';
import { assemble, DATA_BASE, machineWith, runAsm, runToExit, setX, xreg } from '../../support/asm-harness.js';
import { peek64, poke64 } from './ldst-support.js';

const D = DATA_BASE;

/** [instruction (Rs = x1/w1, Rt = x2/w2, [x3]), initial memory, Rs, memory after, Rt after]. */
const LD_OPS: [string, bigint, bigint, bigint, bigint][] = [
  ['ldadd x1, x2, [x3]', 0xffffffffn, 1n, 0x100000000n, 0xffffffffn],
  ['ldsmax x1, x2, [x3]', -5n, -3n, 0xfffffffffffffffdn, 0xfffffffffffffffbn],
  ['ldsmin x1, x2, [x3]', -5n, 3n, 0xfffffffffffffffbn, 0xfffffffffffffffbn],
  ['ldumax x1, x2, [x3]', 0x8000000000000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0x8000000000000000n],
  ['ldumin x1, x2, [x3]', 0x8000000000000000n, 0x7fffffffffffffffn, 0x7fffffffffffffffn, 0x8000000000000000n],
  ['ldclr x1, x2, [x3]', 0xff00ff00ff00ff00n, 0x0ff00ff00ff00ff0n, 0xf000f000f000f000n, 0xff00ff00ff00ff00n],
  ['ldeor x1, x2, [x3]', 0xff00ff00ff00ff00n, 0x0ff00ff00ff00ff0n, 0xf0f0f0f0f0f0f0f0n, 0xff00ff00ff00ff00n],
  ['ldset x1, x2, [x3]', 0xff00ff00ff00ff00n, 0x0ff00ff00ff00ff0n, 0xfff0fff0fff0fff0n, 0xff00ff00ff00ff00n],
  ['swp x1, x2, [x3]', 0x1234n, 0x5678n, 0x5678n, 0x1234n],
  ['ldsmax w1, w2, [x3]', 0xfffffffen, 1n, 1n, 0xfffffffen],
  ['ldumax w1, w2, [x3]', 0xfffffffen, 1n, 0xfffffffen, 0xfffffffen],
  ['ldsminb w1, w2, [x3]', 0x7fn, 0x80n, 0x80n, 0x7fn],
  ['lduminh w1, w2, [x3]', 0x8000n, 0x17fffn, 0x7fffn, 0x8000n],
  ['ldaddh w1, w2, [x3]', 0xffffn, 2n, 1n, 0xffffn],
  ['ldsmaxh w1, w2, [x3]', 0x8000n, 0x1ffffn, 0xffffn, 0x8000n],
  ['ldumaxb w1, w2, [x3]', 0x80n, 0x17fn, 0x80n, 0x80n],
  ['ldclrb w1, w2, [x3]', 0xffn, 0x10fn, 0xf0n, 0xffn],
  ['swpb w1, w2, [x3]', 0xabn, 0x1cdn, 0xcdn, 0xabn],
  ['ldadd w1, w2, [x3]', 0xffffffffn, 3n, 2n, 0xffffffffn],
  ['ldaddal x1, x2, [x3]', 0x7fffffffffffffffn, 1n, 0x8000000000000000n, 0x7fffffffffffffffn],
  ['ldeorlb w1, w2, [x3]', 0x0fn, 0xffn, 0xf0n, 0x0fn],
  ['ldsetah w1, w2, [x3]', 0x0101n, 0x1010n, 0x1111n, 0x0101n],
  ['ldsmina w1, w2, [x3]', 0x80000000n, 0x7fffffffn, 0x80000000n, 0x80000000n],
  ['lduminl w1, w2, [x3]', 0x80000000n, 0x7fffffffn, 0x7fffffffn, 0x80000000n],
  ['swpal w1, w2, [x3]', 0x11111111n, 0x1_2222_2222n, 0x22222222n, 0x11111111n],
  ['swplh w1, w2, [x3]', 0x1111n, 0x2222n, 0x2222n, 0x1111n],
];

test('LD<op>/SWP at every size: memory gets old op Rs, Rt gets the zero-extended old value', () => {
  for (const [src, mem, s, memAfter, old] of LD_OPS) {
    const cpu = runAsm(src, (c) => {
      poke64(c, D, mem & 0xffffffffffffffffn);
      poke64(c, D + 8, -1n);
      setX(c, 1, s);
      setX(c, 2, -1n);
      setX(c, 3, BigInt(D));
    });
    assert.equal(peek64(cpu, D), BigInt.asUintN(64, memAfter), `${src}: memory`);
    assert.equal(peek64(cpu, D + 8), 0xffffffffffffffffn, `${src}: next bytes untouched`);
    assert.equal(xreg(cpu, 2), old, `${src}: Rt`);
    assert.equal(xreg(cpu, 1), BigInt.asUintN(64, s), `${src}: Rs unchanged`);
  }
});

test('ST<op> aliases (Rt = XZR) update memory only; Rs == Rt gets the old value', () => {
  const cpu = runAsm(
    `stadd x1, [x3]
     stsmaxb w1, [x4]
     ldadd x5, x5, [x6]`,
    (c) => {
      poke64(c, D, 40n);
      poke64(c, D + 8, 0x05n);
      poke64(c, D + 16, 100n);
      setX(c, 1, 2n);
      setX(c, 3, BigInt(D));
      setX(c, 4, BigInt(D + 8));
      setX(c, 5, 7n);
      setX(c, 6, BigInt(D + 16));
    },
  );
  assert.equal(peek64(cpu, D), 42n);
  assert.equal(peek64(cpu, D + 8), 0x05n);
  assert.equal(peek64(cpu, D + 16), 107n);
  assert.equal(xreg(cpu, 5), 100n);
});

test('CAS stores Rt only when memory equals Rs, and always returns the old value in Rs', () => {
  const cpu = runAsm(
    `cas x1, x2, [x3]
     casa x4, x2, [x5]
     casb w6, w7, [x8]
     caslh w9, w7, [x10]
     casal w11, w7, [x12]
     cas w13, w7, [x14]`,
    (c) => {
      poke64(c, D, 0x1111n);
      poke64(c, D + 8, 0x2222n);
      poke64(c, D + 16, 0xfff0n);
      poke64(c, D + 24, 0xbbaan);
      poke64(c, D + 32, 0xffffffff80000000n);
      poke64(c, D + 40, 0x12345678n);
      setX(c, 1, 0x1111n);
      setX(c, 2, 0x9999999999999999n);
      setX(c, 3, BigInt(D));
      setX(c, 4, 0x2223n);
      setX(c, 5, BigInt(D + 8));
      setX(c, 6, 0xffffff00f0n); // low byte 0xf0 matches
      setX(c, 7, 0x0102030405060708n);
      setX(c, 8, BigInt(D + 16));
      setX(c, 9, 0xbbabn); // does not match
      setX(c, 10, BigInt(D + 24));
      setX(c, 11, 0x5_80000000n); // low word matches
      setX(c, 12, BigInt(D + 32));
      setX(c, 13, 0n);
      setX(c, 14, BigInt(D + 40));
    },
  );
  assert.equal(peek64(cpu, D), 0x9999999999999999n);
  assert.equal(xreg(cpu, 1), 0x1111n);
  assert.equal(peek64(cpu, D + 8), 0x2222n);
  assert.equal(xreg(cpu, 4), 0x2222n);
  assert.equal(peek64(cpu, D + 16), 0xff08n);
  assert.equal(xreg(cpu, 6), 0xf0n);
  assert.equal(peek64(cpu, D + 24), 0xbbaan);
  assert.equal(xreg(cpu, 9), 0xbbaan);
  assert.equal(peek64(cpu, D + 32), 0xffffffff05060708n);
  assert.equal(xreg(cpu, 11), 0x80000000n);
  assert.equal(peek64(cpu, D + 40), 0x12345678n);
  assert.equal(xreg(cpu, 13), 0x12345678n);
});

test('CASP compares and swaps register pairs (first register at the lower address)', () => {
  const cpu = runAsm(
    `casp x4, x5, x6, x7, [x1]
     caspal x8, x9, x6, x7, [x2]
     caspa w10, w11, w12, w13, [x3]
     caspl w14, w15, w12, w13, [x16]`,
    (c) => {
      poke64(c, D, 0x1111n);
      poke64(c, D + 8, 0x2222n);
      poke64(c, D + 16, 0x3333n);
      poke64(c, D + 24, 0x4444n);
      poke64(c, D + 32, 0xbbbbbbbbaaaaaaaan);
      poke64(c, D + 40, 0xddddddddccccccccn);
      setX(c, 1, BigInt(D));
      setX(c, 2, BigInt(D + 16));
      setX(c, 3, BigInt(D + 32));
      setX(c, 16, BigInt(D + 40));
      setX(c, 4, 0x1111n);
      setX(c, 5, 0x2222n);
      setX(c, 6, 0x6666n);
      setX(c, 7, 0x7777n);
      setX(c, 8, 0x3333n);
      setX(c, 9, 0x4445n);
      setX(c, 10, 0xffffffffaaaaaaaan);
      setX(c, 11, 0xbbbbbbbbn);
      setX(c, 12, 0x12121212n);
      setX(c, 13, 0x13131313n);
      setX(c, 14, 0xccccccccn);
      setX(c, 15, 0xdddddddcn);
    },
  );
  assert.equal(peek64(cpu, D), 0x6666n);
  assert.equal(peek64(cpu, D + 8), 0x7777n);
  assert.equal(xreg(cpu, 4), 0x1111n);
  assert.equal(xreg(cpu, 5), 0x2222n);
  assert.equal(peek64(cpu, D + 16), 0x3333n, 'second doubleword differs: no store');
  assert.equal(peek64(cpu, D + 24), 0x4444n);
  assert.equal(xreg(cpu, 8), 0x3333n);
  assert.equal(xreg(cpu, 9), 0x4444n);
  assert.equal(peek64(cpu, D + 32), 0x1313131312121212n);
  assert.equal(xreg(cpu, 10), 0xaaaaaaaan);
  assert.equal(xreg(cpu, 11), 0xbbbbbbbbn);
  assert.equal(peek64(cpu, D + 40), 0xddddddddccccccccn);
  assert.equal(xreg(cpu, 14), 0xccccccccn);
  assert.equal(xreg(cpu, 15), 0xddddddddn);
});

test('misaligned atomics raise DataAlign; CASP with an odd register is undefined', () => {
  for (const [src, off] of [
    ['ldadd x1, x2, [x3]', 4],
    ['swph w1, w2, [x3]', 1],
    ['cas w1, w2, [x3]', 2],
    ['casp x4, x5, x6, x7, [x3]', 8],
  ] as const) {
    const cpu = machineWith(assemble(`${src}\nbrk #0`));
    setX(cpu, 2, 0x22n);
    setX(cpu, 3, BigInt(D + off));
    assert.equal(runToExit(cpu), Exit.DataAlign, src);
    assert.equal(cpu.exitInfo, D + off, src);
    assert.equal(xreg(cpu, 2), 0x22n, src);
  }
  // casp x4, x5, x6, x7, [x3] with Rs = 5 (odd): binutils refuses it, so patch the register field.
  const code = assemble('casp x4, x5, x6, x7, [x3]\nbrk #0').slice();
  code[2] = (code[2]! & ~0x1f) | 5;
  const cpu = machineWith(code);
  setX(cpu, 3, BigInt(D));
  assert.equal(runToExit(cpu), Exit.Undefined);
});

test('an atomic on a read-only page faults on the write and changes no register', () => {
  const cpu = machineWith(assemble('ldadd x1, x2, [x3]\nbrk #0'));
  setX(cpu, 1, 1n);
  setX(cpu, 2, 0x22n);
  setX(cpu, 3, 0x400000n); // the code page: readable, not writable
  assert.equal(runToExit(cpu), Exit.Fault);
  assert.equal(xreg(cpu, 2), 0x22n);
  assert.equal(cpu.mem.faultAddr, 0x400000);
});
