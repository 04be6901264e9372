/**
 * rseq (task/rseq.ts): registration rules, the cpu ids, the critical-section fix-up on preemption
 * and signal delivery (abort_ip, rseq_cs cleared, the signature checked), and fork/exec.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signalPending } from '../../../src/kernel/task/signal-send.js';
import {
  rseqExec,
  rseqFork,
  rseqHandleResume,
  rseqOf,
  rseqSignalDeliver,
  rseqSyscall,
} from '../../../src/kernel/task/rseq.js';
import { futexFixture, PRIV } from './futex-fixture.js';

const EPERM = -1;
const EBUSY = -16;
const EINVAL = -22;
const SIG = 0xd428bc00;
const AREA = PRIV;
const CS = PRIV + 0x100;
const START = PRIV + 0x1000;
const ABORT = PRIV + 0x1100;

function setup() {
  const f = futexFixture();
  const mem = f.a.mm.as;
  const w64 = (addr: number, v: number) => mem.write64(addr, v >>> 0, Math.floor(v / 2 ** 32));
  // struct rseq_cs: version 0, flags 0, start_ip, post_commit_offset 0x40, abort_ip; the signature before abort_ip.
  w64(CS + 8, START);
  w64(CS + 16, 0x40);
  w64(CS + 24, ABORT);
  mem.write32(ABORT - 4, SIG | 0);
  return { ...f, mem, w64 };
}

describe('rseq', () => {
  test('registration rules and the cpu ids', () => {
    const { kernel, a, mem } = setup();
    mem.write32(AREA, 7);
    mem.write32(AREA + 4, 7);
    assert.equal(rseqSyscall(kernel, a, AREA + 8, 32, 0, SIG), EINVAL);
    assert.equal(rseqSyscall(kernel, a, AREA, 64, 0, SIG), EINVAL);
    assert.equal(rseqSyscall(kernel, a, AREA, 32, 4, SIG), EINVAL);
    assert.equal(rseqSyscall(kernel, a, AREA, 32, 0, SIG), 0);
    assert.deepEqual([mem.read32(AREA), mem.read32(AREA + 4)], [0, 0]);
    assert.equal(rseqSyscall(kernel, a, AREA, 32, 0, SIG), EBUSY);
    assert.equal(rseqSyscall(kernel, a, AREA, 32, 0, 1), EPERM);
    assert.equal(rseqSyscall(kernel, a, AREA + 32, 32, 0, SIG), EINVAL);
    assert.equal(rseqSyscall(kernel, a, AREA, 32, 1, 1), EPERM);
    assert.equal(rseqSyscall(kernel, a, AREA, 32, 1, SIG), 0);
    assert.equal(mem.read32(AREA + 4), -1);
    assert.equal(rseqOf(a), undefined);
  });

  test('preemption inside the critical section moves the pc to abort_ip and clears rseq_cs', () => {
    const { kernel, a, w64, mem } = setup();
    assert.equal(rseqSyscall(kernel, a, AREA, 32, 0, SIG), 0);
    w64(AREA + 8, CS);
    a.cpu.pc = START + 0x3c;
    rseqHandleResume(kernel, a);
    assert.equal(a.cpu.pc, ABORT);
    assert.deepEqual([mem.read32(AREA + 8), mem.read32(AREA + 12)], [0, 0]);
    // Outside the section: the pc stays, rseq_cs is cleared all the same.
    w64(AREA + 8, CS);
    a.cpu.pc = START + 0x40;
    rseqHandleResume(kernel, a);
    assert.equal(a.cpu.pc, START + 0x40);
    assert.equal(mem.read32(AREA + 8), 0);
    assert.equal(signalPending(a), false);
  });

  test('a bad signature or a flag is a SIGSEGV at signal delivery', () => {
    const { kernel, a, w64, mem } = setup();
    assert.equal(rseqSyscall(kernel, a, AREA, 32, 0, SIG), 0);
    mem.write32(ABORT - 4, 0x12345678);
    w64(AREA + 8, CS);
    a.cpu.pc = START;
    rseqSignalDeliver(kernel, a, 14);
    assert.equal(a.cpu.pc, START);
    assert.equal(signalPending(a), true);
    assert.ok(a.signals.pending.set.has(11), 'SIGSEGV pending on the thread');
  });

  test('fork keeps a registration, a CLONE_VM child and exec do not', () => {
    const { kernel, a, b, fork } = setup();
    assert.equal(rseqSyscall(kernel, a, AREA, 32, 0, SIG), 0);
    const c = fork();
    rseqFork(a, c, 17);
    assert.equal(rseqOf(c)?.addr, AREA);
    rseqFork(a, b, 0x100);
    assert.equal(rseqOf(b), undefined);
    rseqExec(a);
    assert.equal(rseqOf(a), undefined);
  });
});
