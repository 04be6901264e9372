/** Single general-register loads and stores: every size, sign extension, addressing form and writeback. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cpu } from '../../../src/cpu/a64/cpu.js';
import { Exit } from '../../../src/cpu/a64/exits.js';
import { PTE_R, PTE_W } from '../../../src/memory/address-space.js';
import {
  assemble,
  DATA_BASE,
  DATA_PAGES,
  machineWith,
  runAsm,
  runToExit,
  STACK_TOP,
  setX,
  xreg,
} from '../../support/asm-harness.js';
import { pattern, peek, peek64, poke64 } from './ldst-support.js';

const D = DATA_BASE;
const DATA_END = DATA_BASE + DATA_PAGES * 4096;

/** The little-endian value of len bytes of pattern() at offset off (byte i = i * 0x11 & 0xff). */
function pat(off: number, len: number): bigint {
  let v = 0n;
  for (let i = len - 1; i >= 0; i--) v = (v << 8n) | BigInt(((off + i) * 0x11) & 0xff);
  return v;
}

function sext(v: bigint, bits: number): bigint {
  return BigInt.asUintN(64, BigInt.asIntN(bits, v));
}

test('LDR/LDRB/LDRH/LDRSB/LDRSH/LDRSW (unsigned offset) zero- or sign-extend to 32 or 64 bits', () => {
  const cpu = runAsm(
    `ldr x1, [x2, #8]
     ldr w3, [x2, #4]
     ldrh w4, [x2, #14]
     ldrb w5, [x2, #15]
     ldrsb x6, [x2, #15]
     ldrsb w7, [x2, #15]
     ldrsh x8, [x2, #14]
     ldrsh w9, [x2, #14]
     ldrsw x10, [x2, #12]
     ldrsw x11, [x2]
     ldrsb x12, [x2, #1]
     ldr x13, [sp, #8]
     ldr x14, [x2, #32760]
     ldrh w15, [x2, #8190]
     ldr w16, [x2, #16380]`,
    (c) => {
      setX(c, 2, BigInt(D));
      poke64(c, D, 0x8877665544332211n);
      poke64(c, D + 8, 0xf0debc9a78563412n);
      poke64(c, D + 32760, 0x0102030405060708n);
      poke64(c, D + 8184, 0xa1a2a3a4a5a6a7a8n);
      poke64(c, D + 16376, 0xb1b2b3b4b5b6b7b8n);
      c.x[62] = STACK_TOP - 16;
      poke64(c, STACK_TOP - 8, 0x5555aaaa5555aaaan);
      for (const r of [3, 4, 5, 7, 9, 15, 16]) setX(c, r, -1n);
    },
  );
  assert.equal(xreg(cpu, 1), 0xf0debc9a78563412n);
  assert.equal(xreg(cpu, 3), 0x88776655n);
  assert.equal(xreg(cpu, 4), 0xf0den);
  assert.equal(xreg(cpu, 5), 0xf0n);
  assert.equal(xreg(cpu, 6), 0xfffffffffffffff0n);
  assert.equal(xreg(cpu, 7), 0xfffffff0n);
  assert.equal(xreg(cpu, 8), 0xfffffffffffff0den);
  assert.equal(xreg(cpu, 9), 0xfffff0den);
  assert.equal(xreg(cpu, 10), 0xfffffffff0debc9an);
  assert.equal(xreg(cpu, 11), 0x44332211n);
  assert.equal(xreg(cpu, 12), 0x22n);
  assert.equal(xreg(cpu, 13), 0x5555aaaa5555aaaan);
  assert.equal(xreg(cpu, 14), 0x0102030405060708n);
  assert.equal(xreg(cpu, 15), 0xa1a2n);
  assert.equal(xreg(cpu, 16), 0xb1b2b3b4n);
  assert.equal(xreg(cpu, 2), BigInt(D), 'no writeback');
});

test('STR/STRB/STRH (unsigned offset) store exactly their size', () => {
  const cpu = runAsm(
    `str x1, [x2, #16]
     str w1, [x2, #32]
     strh w1, [x2, #40]
     strb w1, [x2, #48]
     str x1, [sp]`,
    (c) => {
      setX(c, 1, 0x1122334455667788n);
      setX(c, 2, BigInt(D));
      c.x[62] = STACK_TOP - 16;
    },
  );
  assert.deepEqual(peek(cpu, D + 16, 9), [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0]);
  assert.deepEqual(peek(cpu, D + 32, 5), [0x88, 0x77, 0x66, 0x55, 0]);
  assert.deepEqual(peek(cpu, D + 40, 3), [0x88, 0x77, 0]);
  assert.deepEqual(peek(cpu, D + 48, 2), [0x88, 0]);
  assert.equal(peek64(cpu, STACK_TOP - 16), 0x1122334455667788n);
});

test('pre-index and post-index forms write the updated base back (SP included)', () => {
  const cpu = runAsm(
    `ldr x1, [x2, #16]!
     ldr x3, [x4], #-8
     str w5, [x6, #-4]!
     strb w7, [x8], #1
     ldrsh x9, [x10, #-2]!
     ldrb w11, [x12], #255
     ldrsw x17, [x18, #4]!
     ldrsb w19, [x20], #-256
     strh w21, [x22, #2]!
     str x13, [sp, #-16]!
     ldr x14, [sp], #16`,
    (c) => {
      pattern(c, D, 512);
      setX(c, 2, BigInt(D));
      setX(c, 4, BigInt(D + 32));
      setX(c, 5, 0xcafef00dn);
      setX(c, 6, BigInt(D + 300));
      setX(c, 7, 0x1234n);
      setX(c, 8, BigInt(D + 400));
      setX(c, 10, BigInt(D + 18));
      setX(c, 12, BigInt(D));
      setX(c, 13, 0x0123456789abcdefn);
      setX(c, 18, BigInt(D + 8));
      setX(c, 20, BigInt(D + 256 + 15));
      setX(c, 21, 0xbeefn);
      setX(c, 22, BigInt(D + 450));
    },
  );
  assert.equal(xreg(cpu, 1), pat(16, 8));
  assert.equal(xreg(cpu, 2), BigInt(D + 16));
  assert.equal(xreg(cpu, 3), pat(32, 8));
  assert.equal(xreg(cpu, 4), BigInt(D + 24));
  assert.deepEqual(peek(cpu, D + 296, 4), [0x0d, 0xf0, 0xfe, 0xca]);
  assert.equal(xreg(cpu, 6), BigInt(D + 296));
  assert.equal(peek(cpu, D + 400, 1)[0], 0x34);
  assert.equal(xreg(cpu, 8), BigInt(D + 401));
  assert.equal(xreg(cpu, 9), sext(pat(16, 2), 16));
  assert.equal(xreg(cpu, 10), BigInt(D + 16));
  assert.equal(xreg(cpu, 11), pat(0, 1));
  assert.equal(xreg(cpu, 12), BigInt(D + 255));
  assert.equal(xreg(cpu, 17), sext(pat(12, 4), 32));
  assert.equal(xreg(cpu, 18), BigInt(D + 12));
  assert.equal(xreg(cpu, 19), BigInt.asUintN(32, BigInt.asIntN(8, pat(256 + 15, 1))));
  assert.equal(xreg(cpu, 20), BigInt(D + 15));
  assert.deepEqual(peek(cpu, D + 452, 2), [0xef, 0xbe]);
  assert.equal(xreg(cpu, 22), BigInt(D + 452));
  assert.equal(peek64(cpu, STACK_TOP - 16), 0x0123456789abcdefn);
  assert.equal(xreg(cpu, 14), 0x0123456789abcdefn);
  assert.equal(cpu.x[62], STACK_TOP);
  assert.equal(cpu.x[63], 0);
});

test('writeback keeps the tag byte and carries across bit 32', () => {
  const cpu = machineWith(
    assemble(
      `ldr x1, [x2, #8]!
       ldr x3, [x4], #16
       ldr x5, [x6, #-16]!
       ldr x7, [x8, x9]
       ldr x10, [x11, x12]
       brk #0`,
    ),
  );
  const phys = cpu.mem.phys;
  cpu.mem.setPte(0xfffff, phys.alloc(), PTE_R | PTE_W);
  cpu.mem.setPte(0x100000, phys.alloc(), PTE_R | PTE_W);
  poke64(cpu, D + 8, 0x1111n);
  poke64(cpu, 0xfffffff8, 0x2222n);
  poke64(cpu, 0x100000008, 0x3333n);
  setX(cpu, 2, 0x5a00000000000000n | BigInt(D));
  setX(cpu, 4, 0xfffffff8n);
  setX(cpu, 6, 0x100000008n);
  setX(cpu, 8, 0xfffffff0n);
  setX(cpu, 9, 0x18n);
  setX(cpu, 11, 0x100000010n);
  setX(cpu, 12, -0x18n);
  assert.equal(runToExit(cpu), Exit.Breakpoint);
  assert.equal(xreg(cpu, 1), 0x1111n, 'top byte ignored');
  assert.equal(xreg(cpu, 2), 0x5a00000000000000n | BigInt(D + 8), 'tag kept');
  assert.equal(xreg(cpu, 3), 0x2222n);
  assert.equal(xreg(cpu, 4), 0x100000008n);
  assert.equal(xreg(cpu, 5), 0x2222n);
  assert.equal(xreg(cpu, 6), 0xfffffff8n);
  assert.equal(xreg(cpu, 7), 0x3333n);
  assert.equal(xreg(cpu, 10), 0x2222n);
});

test('register offsets: LSL, UXTW, SXTW, SXTX with and without the shift, and XZR as index', () => {
  const cpu = runAsm(
    `ldr x1, [x2, x3, lsl #3]
     ldr x4, [x2, x3]
     ldr w5, [x2, w6, sxtw #2]
     ldr w7, [x2, w8, uxtw #2]
     ldrb w9, [x2, w8, uxtw]
     ldrh w10, [x2, x11, lsl #1]
     ldrsw x12, [x2, x11, sxtx #2]
     ldrsh x13, [x2, w6, sxtw]
     ldr x15, [sp, x3, lsl #3]
     ldr x16, [x2, xzr]
     ldrsb w17, [x2, x11]
     ldrsh w18, [x2, w8, uxtw #1]
     strb w19, [x2, x20]
     strh w19, [x2, x20, lsl #1]
     str w19, [x2, w21, sxtw #2]
     str x19, [x2, w21, sxtw #3]`,
    (c) => {
      pattern(c, D, 256);
      pattern(c, STACK_TOP - 64, 64);
      c.x[62] = STACK_TOP - 64;
      setX(c, 2, BigInt(D + 64));
      setX(c, 3, 2n);
      setX(c, 6, 0x12345678fffffffen);
      setX(c, 8, 0xdeadbeef00000003n);
      setX(c, 11, -3n);
      setX(c, 19, 0x8899aabbccddeeffn);
      setX(c, 20, 100n);
      setX(c, 21, 0x00001234fffffffcn);
    },
  );
  assert.equal(xreg(cpu, 1), pat(80, 8));
  assert.equal(xreg(cpu, 4), pat(66, 8));
  assert.equal(xreg(cpu, 5), pat(56, 4));
  assert.equal(xreg(cpu, 7), pat(76, 4));
  assert.equal(xreg(cpu, 9), pat(67, 1));
  assert.equal(xreg(cpu, 10), pat(58, 2));
  assert.equal(xreg(cpu, 12), sext(pat(52, 4), 32));
  assert.equal(xreg(cpu, 13), sext(pat(62, 2), 16));
  assert.equal(xreg(cpu, 15), pat(16, 8), 'pattern on the stack page starts at SP');
  assert.equal(xreg(cpu, 16), pat(64, 8));
  assert.equal(xreg(cpu, 17), BigInt.asUintN(32, BigInt.asIntN(8, pat(61, 1))));
  assert.equal(xreg(cpu, 18), BigInt.asUintN(32, BigInt.asIntN(16, pat(70, 2))));
  assert.deepEqual(peek(cpu, D + 164, 2), [0xff, Number(pat(165, 1))]);
  assert.deepEqual(peek(cpu, D + 264, 3), [0xff, 0xee, 0]);
  assert.deepEqual(peek(cpu, D + 48, 5), [0xff, 0xee, 0xdd, 0xcc, Number(pat(52, 1))]);
  assert.equal(peek64(cpu, D + 32), 0x8899aabbccddeeffn);
});

test('LDUR/STUR and the unprivileged LDTR/STTR family use unscaled, possibly unaligned offsets', () => {
  const cpu = runAsm(
    `ldur x1, [x2, #-3]
     ldurh w3, [x2, #1]
     ldursb x4, [x2, #-1]
     ldursh w5, [x2, #-9]
     ldursw x6, [x2, #255]
     ldtr x7, [x2, #7]
     ldtrsw x8, [x2, #-5]
     ldtrb w9, [x2, #-256]
     stur x10, [x2, #101]
     sttrh w10, [x2, #-7]
     sttr w10, [x2, #201]`,
    (c) => {
      pattern(c, D, 512);
      setX(c, 2, BigInt(D + 256));
      setX(c, 10, 0x0102030405060708n);
    },
  );
  assert.equal(xreg(cpu, 1), pat(253, 8));
  assert.equal(xreg(cpu, 3), pat(257, 2));
  assert.equal(xreg(cpu, 4), sext(pat(255, 1), 8));
  assert.equal(xreg(cpu, 5), BigInt.asUintN(32, BigInt.asIntN(16, pat(247, 2))));
  assert.equal(xreg(cpu, 6), 0xefn, 'byte 511 of the pattern, then zeros');
  assert.equal(xreg(cpu, 7), pat(263, 8));
  assert.equal(xreg(cpu, 8), sext(pat(251, 4), 32));
  assert.equal(xreg(cpu, 9), pat(0, 1));
  assert.equal(peek64(cpu, D + 357), 0x0102030405060708n);
  assert.deepEqual(peek(cpu, D + 249, 3), [0x08, 0x07, Number(pat(251, 1))]);
  assert.deepEqual(peek(cpu, D + 457, 4), [0x08, 0x07, 0x06, 0x05]);
});

test('literal loads: LDR (32/64), LDRSW and PRFM (literal)', () => {
  const cpu = runAsm(
    `ldr x1, lit64
     ldr w2, lit64
     ldrsw x3, lit32
     ldr x4, lit32
     prfm pldl1keep, lit64
     brk #0
     .p2align 3
     lit64: .quad 0x8877665544332211
     lit32: .word 0x90000001
     .word 7`,
    (c) => setX(c, 2, -1n),
  );
  assert.equal(xreg(cpu, 1), 0x8877665544332211n);
  assert.equal(xreg(cpu, 2), 0x44332211n);
  assert.equal(xreg(cpu, 3), 0xffffffff90000001n);
  assert.equal(xreg(cpu, 4), 0x0000000790000001n);
});

test('Rt = 31 is XZR (loads discard, stores store zero); PRFM never faults', () => {
  const cpu = runAsm(
    `ldr xzr, [x2]
     ldrb wzr, [x2], #1
     str xzr, [x2, #7]
     strb wzr, [x2, #23]
     prfm pldl1keep, [x3]
     prfm pstl1strm, [x3, x4, lsl #3]
     prfum pldl3keep, [x3, #-1]`,
    (c) => {
      setX(c, 2, BigInt(D));
      poke64(c, D + 8, -1n);
      poke64(c, D + 16, -1n);
      poke64(c, D + 24, -1n);
      setX(c, 3, 0x1000n);
      setX(c, 4, 0x12345n);
      c.x[62] = STACK_TOP - 32;
    },
  );
  assert.equal(cpu.x[62], STACK_TOP - 32, 'SP untouched by a load to XZR');
  assert.equal(xreg(cpu, 2), BigInt(D + 1));
  assert.equal(peek64(cpu, D + 8), 0n);
  assert.equal(peek64(cpu, D + 16), 0xffffffffffffffffn);
  assert.equal(peek64(cpu, D + 24), 0xffffffffffffff00n, 'strb at x2 + 23 after the post-increment');
});

test('a load with writeback into its own base keeps the loaded value; a store stores the old base', () => {
  const cpu = runAsm(
    `ldr x2, [x2], #8
     ldr w3, [x3, #4]!
     str x4, [x4, #8]!`,
    (c) => {
      poke64(c, D, 0x1122334455667788n);
      setX(c, 2, BigInt(D));
      setX(c, 3, BigInt(D));
      setX(c, 4, BigInt(D + 16));
    },
  );
  assert.equal(xreg(cpu, 2), 0x1122334455667788n);
  assert.equal(xreg(cpu, 3), 0x11223344n);
  assert.equal(peek64(cpu, D + 24), BigInt(D + 16));
  assert.equal(xreg(cpu, 4), BigInt(D + 24));
});

/** Runs a one-instruction snippet that must fault; returns the CPU. */
function faulting(src: string, setup: (c: Cpu) => void): Cpu {
  const cpu = machineWith(assemble(`${src}\nbrk #0`));
  setup(cpu);
  assert.equal(runToExit(cpu), Exit.Fault);
  assert.equal(cpu.pc, 0x400000, 'pc names the faulting instruction');
  return cpu;
}

test('a load from an unmapped address stops with Exit.Fault, registers unchanged, faultAddr set', () => {
  let cpu = faulting('ldr x1, [x2]', (c) => {
    setX(c, 1, 0x1111n);
    setX(c, 2, 0x5000n);
  });
  assert.equal(xreg(cpu, 1), 0x1111n);
  assert.equal(cpu.mem.faultAddr, 0x5000);

  // Crossing from the last data page into the unmapped one: nothing written, not even the base.
  cpu = faulting('ldr x3, [x4, #8]!', (c) => {
    setX(c, 3, 0x3333n);
    setX(c, 4, BigInt(DATA_END - 12));
  });
  assert.equal(xreg(cpu, 3), 0x3333n);
  assert.equal(xreg(cpu, 4), BigInt(DATA_END - 12));
  assert.equal(cpu.mem.faultAddr, DATA_END);

  cpu = faulting('ldrsw x5, [x6, x7, lsl #2]', (c) => {
    setX(c, 5, 0x5555n);
    setX(c, 6, BigInt(DATA_END));
    setX(c, 7, 1n);
  });
  assert.equal(xreg(cpu, 5), 0x5555n);
  assert.equal(cpu.mem.faultAddr, DATA_END + 4);

  cpu = faulting('str x8, [x9], #8', (c) => {
    setX(c, 8, 0x8888n);
    setX(c, 9, BigInt(DATA_END - 4));
  });
  assert.equal(xreg(cpu, 9), BigInt(DATA_END - 4), 'no writeback');
  assert.deepEqual(peek(cpu, DATA_END - 4, 4), [0, 0, 0, 0], 'no partial store');
});
