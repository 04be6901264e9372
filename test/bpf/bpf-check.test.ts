import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bpfCheckClassic } from '../../src/bpf/bpf-check.js';
import {
  BPF_A,
  BPF_ABS,
  BPF_ALU,
  BPF_B,
  BPF_DIV,
  BPF_H,
  BPF_IMM,
  BPF_IND,
  BPF_JA,
  BPF_JEQ,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_LSH,
  BPF_MEM,
  BPF_MISC,
  BPF_MOD,
  BPF_MSH,
  BPF_RET,
  BPF_RSH,
  BPF_ST,
  BPF_STX,
  BPF_TAX,
  BPF_W,
  BPF_X,
  decodeProgram,
  encodeProgram,
  type Insn,
  jump,
  stmt,
} from '../../src/bpf/bpf-insn.js';
import { seccompCheckFilter } from '../../src/bpf/seccomp-check.js';

const EINVAL = -22;
const ALLOW = 0x7fff0000;
const ret = stmt(BPF_RET | BPF_K, ALLOW);

function prog(insns: readonly Insn[]) {
  return decodeProgram(encodeProgram(insns), insns.length);
}
const classic = (insns: readonly Insn[]) => bpfCheckClassic(prog(insns));
/** Both passes, as seccomp runs them. */
const seccomp = (insns: readonly Insn[]) => {
  const p = prog(insns);
  return bpfCheckClassic(p) || seccompCheckFilter(p);
};

describe('bpfCheckClassic (bpf_check_classic)', () => {
  test('accepts a minimal program and a typical allowlist', () => {
    assert.equal(classic([ret]), 0);
    assert.equal(
      classic([
        stmt(BPF_LD | BPF_W | BPF_ABS, 4),
        jump(BPF_JMP | BPF_JEQ | BPF_K, 0xc00000b7, 1, 0),
        stmt(BPF_RET | BPF_K, 0),
        stmt(BPF_LD | BPF_W | BPF_ABS, 0),
        jump(BPF_JMP | BPF_JEQ | BPF_K, 172, 0, 1),
        ret,
        stmt(BPF_RET | BPF_K, 0x50001),
      ]),
      0,
    );
  });

  test('rejects length 0 and more than BPF_MAXINSNS (4096)', () => {
    assert.equal(bpfCheckClassic(prog([])), EINVAL);
    const big = Array.from({ length: 4097 }, () => ret);
    assert.equal(classic(big), EINVAL);
    assert.equal(classic(big.slice(1)), 0);
  });

  test('rejects unknown opcodes', () => {
    assert.equal(classic([stmt(0xff, 0), ret]), EINVAL);
    assert.equal(classic([stmt(BPF_ALU | 0xb0, 0), ret]), EINVAL);
    assert.equal(classic([stmt(BPF_MISC | 0x40, 0), ret]), EINVAL);
    assert.equal(classic([stmt(BPF_LD | BPF_W | BPF_MSH, 0), ret]), EINVAL);
  });

  test('rejects division and modulo by constant 0, constant shifts of 32 or more', () => {
    assert.equal(classic([stmt(BPF_ALU | BPF_DIV | BPF_K, 0), ret]), EINVAL);
    assert.equal(classic([stmt(BPF_ALU | BPF_MOD | BPF_K, 0), ret]), EINVAL);
    assert.equal(classic([stmt(BPF_ALU | BPF_DIV | BPF_X, 0), ret]), 0);
    assert.equal(classic([stmt(BPF_ALU | BPF_LSH | BPF_K, 32), ret]), EINVAL);
    assert.equal(classic([stmt(BPF_ALU | BPF_RSH | BPF_K, 31), ret]), 0);
  });

  test('rejects jumps out of range', () => {
    assert.equal(classic([stmt(BPF_JMP | BPF_JA, 1), ret]), EINVAL);
    assert.equal(classic([stmt(BPF_JMP | BPF_JA, 0), ret]), 0);
    assert.equal(classic([jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), ret]), EINVAL);
    assert.equal(classic([jump(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1), ret]), EINVAL);
    assert.equal(classic([jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), ret, ret]), 0);
  });

  test('rejects a last instruction that is not RET', () => {
    assert.equal(classic([stmt(BPF_LD | BPF_IMM, 1)]), EINVAL);
    assert.equal(classic([stmt(BPF_RET | BPF_A, 0)]), 0);
  });

  test('rejects scratch indexes of 16 or more and reads of unwritten cells', () => {
    assert.equal(classic([stmt(BPF_ST, 16), ret]), EINVAL);
    assert.equal(classic([stmt(BPF_STX, 15), ret]), 0);
    assert.equal(classic([stmt(BPF_LD | BPF_MEM, 3), ret]), EINVAL);
    assert.equal(classic([stmt(BPF_ST, 3), stmt(BPF_LDX | BPF_MEM, 3), ret]), 0);
    // Written on one path only: the read after the join is refused.
    assert.equal(
      classic([jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), stmt(BPF_ST, 2), stmt(BPF_LD | BPF_MEM, 2), ret]),
      EINVAL,
    );
  });

  test('ancillary loads: known offsets pass the classic check, unknown ones do not', () => {
    assert.equal(classic([stmt(BPF_LD | BPF_W | BPF_ABS, 0xfffff000), ret]), 0);
    assert.equal(classic([stmt(BPF_LD | BPF_B | BPF_ABS, 0xfffff040), ret]), EINVAL);
  });
});

describe('seccompCheckFilter (seccomp_check_filter)', () => {
  test('word loads must be 4-aligned and inside seccomp_data', () => {
    assert.equal(seccomp([stmt(BPF_LD | BPF_W | BPF_ABS, 60), ret]), 0);
    assert.equal(seccomp([stmt(BPF_LD | BPF_W | BPF_ABS, 64), ret]), EINVAL);
    assert.equal(seccomp([stmt(BPF_LD | BPF_W | BPF_ABS, 2), ret]), EINVAL);
  });

  test('opcodes outside seccomp’s list are refused though classic BPF has them', () => {
    for (const code of [
      BPF_LD | BPF_H | BPF_ABS,
      BPF_LD | BPF_B | BPF_ABS,
      BPF_LD | BPF_W | BPF_IND,
      BPF_LDX | BPF_B | BPF_MSH,
    ]) {
      assert.equal(classic([stmt(code, 0), ret]), 0, `classic 0x${code.toString(16)}`);
      assert.equal(seccomp([stmt(code, 0), ret]), EINVAL, `seccomp 0x${code.toString(16)}`);
    }
    assert.equal(seccomp([stmt(BPF_ALU | BPF_MOD | BPF_K, 3), ret]), EINVAL);
    assert.equal(seccomp([stmt(BPF_ALU | BPF_MOD | BPF_X, 0), ret]), EINVAL);
  });

  test('LEN loads, immediates, scratch and misc are allowed', () => {
    assert.equal(
      seccomp([
        stmt(BPF_LD | BPF_W | BPF_LEN, 0),
        stmt(BPF_LDX | BPF_W | BPF_LEN, 0),
        stmt(BPF_LD | BPF_IMM, 1),
        stmt(BPF_LDX | BPF_IMM, 2),
        stmt(BPF_ST, 0),
        stmt(BPF_STX, 1),
        stmt(BPF_LD | BPF_MEM, 0),
        stmt(BPF_LDX | BPF_MEM, 1),
        stmt(BPF_MISC | BPF_TAX, 0),
        stmt(BPF_RET | BPF_A, 0),
      ]),
      0,
    );
  });
});
