import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bpfCheckClassic } from '../../src/bpf/bpf-check.js';
import {
  BPF_A,
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_DIV,
  BPF_IMM,
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_JSET,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_LSH,
  BPF_MEM,
  BPF_MISC,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_ST,
  BPF_STX,
  BPF_SUB,
  BPF_TAX,
  BPF_TXA,
  BPF_W,
  BPF_X,
  BPF_XOR,
  decodeProgram,
  encodeProgram,
  type Insn,
  jump,
  stmt,
} from '../../src/bpf/bpf-insn.js';
import { seccompCheckFilter } from '../../src/bpf/seccomp-check.js';
import {
  compileSeccomp,
  interpretSeccomp,
  SECCOMP_DATA_TOUCHED,
  SECCOMP_DATA_WORDS,
} from '../../src/bpf/seccomp-run.js';

function prog(insns: readonly Insn[]) {
  const p = decodeProgram(encodeProgram(insns), insns.length);
  assert.equal(bpfCheckClassic(p) || seccompCheckFilter(p), 0, 'program must validate');
  return p;
}

function data(nr: number, arch: number, args: number[] = []): Uint32Array {
  const d = new Uint32Array(SECCOMP_DATA_WORDS);
  d[0] = nr;
  d[1] = arch;
  d[2] = 0x401000;
  args.forEach((v, i) => {
    d[4 + 2 * i] = v >>> 0;
  });
  return d;
}

/** Runs both the interpreter and the compiled function; they must agree. */
function run(insns: readonly Insn[], d: Uint32Array = data(0, 0)): number {
  const p = prog(insns);
  const d1 = d.slice();
  const d2 = d.slice();
  const a = interpretSeccomp(p, d1);
  const b = compileSeccomp(p)(d2);
  assert.equal(b >>> 0, a >>> 0, 'compiled and interpreted results differ');
  assert.equal(d1[SECCOMP_DATA_TOUCHED], d2[SECCOMP_DATA_TOUCHED], 'touched flags differ');
  return a >>> 0;
}

const lda = (k: number) => stmt(BPF_LD | BPF_IMM, k);
const ldx = (k: number) => stmt(BPF_LDX | BPF_IMM, k);
const retA = stmt(BPF_RET | BPF_A, 0);
const alu = (op: number, k: number) => stmt(BPF_ALU | op | BPF_K, k);
const alux = (op: number) => stmt(BPF_ALU | op | BPF_X, 0);

describe('seccomp program execution', () => {
  test('ALU with constants: 32-bit wrap-around', () => {
    assert.equal(run([lda(0xffffffff), alu(BPF_ADD, 2), retA]), 1);
    assert.equal(run([lda(1), alu(BPF_SUB, 2), retA]), 0xffffffff);
    assert.equal(run([lda(0x10001), alu(BPF_MUL, 0x10001), retA]), 0x00020001);
    assert.equal(run([lda(0xffffffff), alu(BPF_DIV, 16), retA]), 0x0fffffff);
    assert.equal(run([lda(0xf0f0), alu(BPF_AND, 0xff00), retA]), 0xf000);
    assert.equal(run([lda(0xf0f0), alu(BPF_OR, 0x0f0f), retA]), 0xffff);
    assert.equal(run([lda(0xffff), alu(BPF_XOR, 0xff00), retA]), 0xff);
    assert.equal(run([lda(0x80000001), alu(BPF_LSH, 1), retA]), 2);
    assert.equal(run([lda(0x80000000), alu(BPF_RSH, 31), retA]), 1);
    assert.equal(run([lda(5), stmt(BPF_ALU | BPF_NEG, 0), retA]), 0xfffffffb);
  });

  test('ALU with X: shifts use X & 31, division by X = 0 returns 0', () => {
    assert.equal(run([lda(7), ldx(3), alux(BPF_ADD), retA]), 10);
    assert.equal(run([lda(7), ldx(9), alux(BPF_SUB), retA]), 0xfffffffe);
    assert.equal(run([lda(7), ldx(6), alux(BPF_MUL), retA]), 42);
    assert.equal(run([lda(7), ldx(2), alux(BPF_DIV), retA]), 3);
    assert.equal(run([lda(7), ldx(0), alux(BPF_DIV), retA]), 0);
    assert.equal(run([lda(1), ldx(33), alux(BPF_LSH), retA]), 2);
    assert.equal(run([lda(4), ldx(34), alux(BPF_RSH), retA]), 1);
    assert.equal(run([lda(6), ldx(3), alux(BPF_AND), retA]), 2);
    assert.equal(run([lda(6), ldx(3), alux(BPF_OR), retA]), 7);
    assert.equal(run([lda(6), ldx(3), alux(BPF_XOR), retA]), 5);
  });

  test('LD/LDX: absolute words of seccomp_data, LEN, immediates, scratch memory', () => {
    const d = data(172, 0xc00000b7, [0x11, 0x22, 0x33, 0x44, 0x55, 0xdeadbeef]);
    assert.equal(run([stmt(BPF_LD | BPF_W | BPF_ABS, 0), retA], d), 172);
    assert.equal(run([stmt(BPF_LD | BPF_W | BPF_ABS, 4), retA], d), 0xc00000b7);
    assert.equal(run([stmt(BPF_LD | BPF_W | BPF_ABS, 8), retA], d), 0x401000);
    assert.equal(run([stmt(BPF_LD | BPF_W | BPF_ABS, 16 + 5 * 8), retA], d), 0xdeadbeef);
    assert.equal(run([stmt(BPF_LD | BPF_W | BPF_LEN, 0), retA], d), 64);
    assert.equal(run([stmt(BPF_LDX | BPF_W | BPF_LEN, 0), stmt(BPF_MISC | BPF_TXA, 0), retA], d), 64);
    assert.equal(
      run([lda(9), stmt(BPF_ST, 4), ldx(8), stmt(BPF_STX, 5), lda(0), stmt(BPF_LD | BPF_MEM, 4), retA], d),
      9,
    );
    assert.equal(run([ldx(8), stmt(BPF_STX, 5), stmt(BPF_LDX | BPF_MEM, 5), stmt(BPF_MISC | BPF_TXA, 0), retA], d), 8);
    assert.equal(run([lda(3), stmt(BPF_MISC | BPF_TAX, 0), lda(0), stmt(BPF_MISC | BPF_TXA, 0), retA]), 3);
  });

  test('only loads of instruction_pointer or args mark the data as touched', () => {
    const p = prog([
      stmt(BPF_LD | BPF_W | BPF_ABS, 0),
      jump(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
      stmt(BPF_LD | BPF_W | BPF_ABS, 16),
      stmt(BPF_RET | BPF_K, 0x7fff0000),
    ]);
    const f = compileSeccomp(p);
    const d = data(2, 0);
    f(d);
    assert.equal(d[SECCOMP_DATA_TOUCHED], 0);
    const d1 = data(1, 0);
    f(d1);
    assert.equal(d1[SECCOMP_DATA_TOUCHED], 1);
  });

  test('JMP: JA, JEQ/JGT/JGE/JSET with K and X, unsigned comparison', () => {
    const cmp = (op: number, a: number, k: number, useX: boolean) =>
      run([
        lda(a),
        ldx(k),
        jump(BPF_JMP | op | (useX ? BPF_X : BPF_K), k, 1, 0),
        stmt(BPF_RET | BPF_K, 0),
        stmt(BPF_RET | BPF_K, 1),
      ]);
    for (const useX of [false, true]) {
      assert.equal(cmp(BPF_JEQ, 5, 5, useX), 1);
      assert.equal(cmp(BPF_JEQ, 5, 6, useX), 0);
      assert.equal(cmp(BPF_JGT, 0x80000000, 1, useX), 1, 'unsigned');
      assert.equal(cmp(BPF_JGT, 1, 1, useX), 0);
      assert.equal(cmp(BPF_JGE, 1, 1, useX), 1);
      assert.equal(cmp(BPF_JGE, 0, 1, useX), 0);
      assert.equal(cmp(BPF_JSET, 6, 2, useX), 1);
      assert.equal(cmp(BPF_JSET, 6, 1, useX), 0);
    }
    assert.equal(run([stmt(BPF_JMP | BPF_JA, 1), stmt(BPF_RET | BPF_K, 1), stmt(BPF_RET | BPF_K, 2)]), 2);
    // Both targets the same, both beyond the next instruction.
    assert.equal(
      run([jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 1), stmt(BPF_RET | BPF_K, 1), stmt(BPF_RET | BPF_K, 2)]),
      2,
    );
  });

  test('compiled and interpreted agree on random valid programs', () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const ops = [BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_AND, BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH];
    const jops = [BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET];
    for (let iter = 0; iter < 300; iter++) {
      const len = 2 + rnd(40);
      const insns: Insn[] = [stmt(BPF_ST, 0)];
      for (let pc = 1; pc < len - 1; pc++) {
        const kind = rnd(6);
        const room = len - pc - 2;
        if (kind === 0) insns.push(stmt(BPF_LD | BPF_W | BPF_ABS, 4 * rnd(16)));
        else if (kind === 1) {
          const op = ops[rnd(ops.length)]!;
          const shift = op === BPF_LSH || op === BPF_RSH;
          insns.push(
            stmt(
              BPF_ALU | op | (rnd(2) ? BPF_X : BPF_K),
              shift ? rnd(32) : op === BPF_DIV ? 1 + rnd(9) : rnd(1 << 30) * 4,
            ),
          );
        } else if (kind === 2)
          insns.push(
            jump(
              BPF_JMP | jops[rnd(4)]! | (rnd(2) ? BPF_X : BPF_K),
              rnd(8),
              rnd(Math.min(room, 255) + 1),
              rnd(Math.min(room, 255) + 1),
            ),
          );
        else if (kind === 3) insns.push(stmt(BPF_MISC | (rnd(2) ? BPF_TAX : BPF_TXA), 0));
        else if (kind === 4) insns.push(stmt(rnd(2) ? BPF_LD | BPF_MEM : BPF_LDX | BPF_MEM, 0));
        else insns.push(rnd(4) === 0 ? stmt(BPF_RET | BPF_K, rnd(100)) : stmt(BPF_ALU | BPF_NEG, 0));
      }
      insns.push(stmt(BPF_RET | BPF_A, 0));
      const p = decodeProgram(encodeProgram(insns), insns.length);
      if (bpfCheckClassic(p) !== 0) continue;
      const f = compileSeccomp(p);
      for (let t = 0; t < 5; t++) {
        const d = data(rnd(500), rnd(2) ? 0xc00000b7 : 0x40000028, [rnd(8), rnd(8), rnd(1 << 30)]);
        const d2 = d.slice();
        assert.equal(f(d) >>> 0, interpretSeccomp(p, d2) >>> 0, `program ${iter}`);
      }
    }
  });

  test('programs with many distinct jump targets run (nested blocks, or the interpreter past the limit)', () => {
    for (const n of [1000, 2000]) {
      const insns: Insn[] = [stmt(BPF_LD | BPF_W | BPF_ABS, 0)];
      // Each test jumps over its RET: one distinct target per compare.
      for (let i = 0; i < n; i++) insns.push(jump(BPF_JMP | BPF_JEQ | BPF_K, i, 0, 1), stmt(BPF_RET | BPF_K, 100 + i));
      insns.push(stmt(BPF_RET | BPF_K, 1));
      assert.equal(run(insns, data(7, 0)), 107);
      assert.equal(run(insns, data(n - 1, 0)), 99 + n);
      assert.equal(run(insns, data(5000, 0)), 1);
    }
  });
});
