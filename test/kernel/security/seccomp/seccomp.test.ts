/**
 * seccomp in the kernel without a guest program: attaching (NNP-or-root, the chain-length limit,
 * compat_sock_fprog), the entry verdicts and x0 for each kind of action, the ALLOW cache and what
 * defeats it, strict mode.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BPF_ABS,
  BPF_JEQ,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_RET,
  BPF_W,
  encodeProgram,
  type Insn,
  jump,
  stmt,
} from '../../../../src/bpf/bpf-insn.js';
import { COMPAT_ABI, NATIVE_ABI } from '../../../../src/kernel/abi/abi-set.js';
import { EntryVerdict } from '../../../../src/kernel/entry/syscall-work.js';
import { seccompSyscallEnter } from '../../../../src/kernel/security/seccomp/seccomp-entry.js';
import { seccompLogOf } from '../../../../src/kernel/security/seccomp/seccomp-log.js';
import {
  SECCOMP_CACHE_NRS,
  SECCOMP_MODE_DEAD,
  SECCOMP_MODE_FILTER,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_LOG,
} from '../../../../src/kernel/security/seccomp/seccomp-state.js';
import { doSeccomp, prctlSetSeccomp } from '../../../../src/kernel/security/seccomp/sys-seccomp.js';
import type { SyscallContext } from '../../../../src/kernel/syscalls/syscall-types.js';
import type { Task } from '../../../../src/kernel/task/task.js';
import { reg, STACK_TOP, setReg, signalFixture } from '../../task/signal-fixture.js';

const FILTER_AT = STACK_TOP - 0x20000;
const FPROG_AT = STACK_TOP - 0x100;
const EACCES = -13;
const ENOMEM = -12;

function ctxOf(f: ReturnType<typeof signalFixture>, compat = false): SyscallContext {
  return {
    kernel: f.kernel,
    task: f.task,
    compat,
    abi: compat ? COMPAT_ABI : NATIVE_ABI,
    mem: f.task.mm.as,
    mm: f.task.mm,
    name: 'seccomp',
  };
}

/** Writes the program and a native (16-byte) or compat (8-byte) sock_fprog into guest memory. */
function place(task: Task, insns: readonly Insn[], compat = false): number {
  const bytes = encodeProgram(insns);
  task.mm.as.writeBytes(FILTER_AT, bytes, 0, bytes.length);
  const fprog = new Uint8Array(compat ? 8 : 16);
  const dv = new DataView(fprog.buffer);
  dv.setUint16(0, insns.length, true);
  if (compat) dv.setUint32(4, FILTER_AT, true);
  else dv.setUint32(8, FILTER_AT, true);
  task.mm.as.writeBytes(FPROG_AT, fprog, 0, fprog.length);
  return FPROG_AT;
}

const ld = (off: number) => stmt(BPF_LD | BPF_W | BPF_ABS, off);
const ret = (v: number) => stmt(BPF_RET | BPF_K, v);
/** nr == n → action, else ALLOW. */
const forNr = (n: number, action: number): Insn[] => [
  ld(0),
  jump(BPF_JMP | BPF_JEQ | BPF_K, n, 0, 1),
  ret(action),
  ret(SECCOMP_RET_ALLOW),
];

describe('seccomp in the kernel', () => {
  test('installing needs no_new_privs for a task without CAP_SYS_ADMIN', () => {
    const f = signalFixture();
    const ctx = ctxOf(f);
    assert.equal(f.task.creds.euid, 1000);
    assert.equal(doSeccomp(ctx, 1, 0, place(f.task, [ret(SECCOMP_RET_ALLOW)])), EACCES);
    assert.equal(prctlSetSeccomp(ctx, 2, place(f.task, [ret(SECCOMP_RET_ALLOW)])), EACCES);
    f.task.noNewPrivs = true;
    assert.equal(doSeccomp(ctx, 1, 0, place(f.task, [ret(SECCOMP_RET_ALLOW)])), 0);
    assert.equal(f.task.seccomp.mode, SECCOMP_MODE_FILTER);
    assert.notEqual(f.task.syscallWork, 0);
  });

  test('a compat caller’s filter is read as compat_sock_fprog', () => {
    const f = signalFixture();
    f.task.noNewPrivs = true;
    assert.equal(doSeccomp(ctxOf(f, true), 1, 0, place(f.task, forNr(20, SECCOMP_RET_ERRNO | 9), true)), 0);
    assert.equal(f.task.seccomp.filter?.len, 4);
  });

  test('the chain is limited to 32768 instructions, 4 more per older filter', () => {
    const f = signalFixture();
    f.task.noNewPrivs = true;
    const ctx = ctxOf(f);
    const big = [...Array.from({ length: 4095 }, () => ld(0)), ret(SECCOMP_RET_ALLOW)];
    for (let i = 0; i < 7; i++) assert.equal(doSeccomp(ctx, 1, 0, place(f.task, big)), 0, `filter ${i}`);
    // 7 * (4096 + 4) = 28700; another 4096 makes 32796 > 32768.
    assert.equal(doSeccomp(ctx, 1, 0, place(f.task, big)), ENOMEM);
    assert.equal(doSeccomp(ctx, 1, 0, place(f.task, big.slice(-4068))), 0);
  });

  test('RET_ERRNO: Skip with -errno, sign-extended natively and zero-extended for compat', () => {
    const f = signalFixture();
    f.task.noNewPrivs = true;
    assert.equal(doSeccomp(ctxOf(f), 1, 0, place(f.task, forNr(172, SECCOMP_RET_ERRNO | 13))), 0);
    assert.equal(doSeccomp(ctxOf(f), 1, 0, place(f.task, forNr(20, SECCOMP_RET_ERRNO | 14))), 0);
    assert.equal(seccompSyscallEnter(f.kernel, f.task, false, 172, []), EntryVerdict.Skip);
    assert.equal(f.task.cpu.x[0], -13);
    assert.equal(f.task.cpu.x[1], -1);
    assert.equal(seccompSyscallEnter(f.kernel, f.task, true, 20, []), EntryVerdict.Skip);
    assert.equal(reg(f.task, 0), 0xfffffff2);
    assert.equal(seccompSyscallEnter(f.kernel, f.task, false, 20, []), EntryVerdict.Skip, 'nr 20 of either arch');
    assert.equal(seccompSyscallEnter(f.kernel, f.task, true, 172, []), EntryVerdict.Skip, 'nr 172 of either arch');
    assert.equal(seccompSyscallEnter(f.kernel, f.task, false, 63, []), EntryVerdict.Run);
  });

  test('the ALLOW cache: filled only when no filter loaded instruction_pointer or an argument', () => {
    const f = signalFixture();
    f.task.noNewPrivs = true;
    // Filter 1 denies getuid (174) when args[0] == 7; filter 2 allows everything.
    const argFilter = [
      ld(0),
      jump(BPF_JMP | BPF_JEQ | BPF_K, 174, 0, 3),
      ld(16),
      jump(BPF_JMP | BPF_JEQ | BPF_K, 7, 0, 1),
      ret(SECCOMP_RET_ERRNO | 1),
      ret(SECCOMP_RET_ALLOW),
    ];
    assert.equal(doSeccomp(ctxOf(f), 1, 0, place(f.task, argFilter)), 0);
    assert.equal(doSeccomp(ctxOf(f), 1, 0, place(f.task, [ret(SECCOMP_RET_ALLOW)])), 0);
    const cache = f.task.seccomp.filter!.allowCache;
    setReg(f.task, 0, 1);
    assert.equal(seccompSyscallEnter(f.kernel, f.task, false, 174, []), EntryVerdict.Run);
    assert.equal(cache[174], 0, 'an argument was loaded: not cached');
    setReg(f.task, 0, 7);
    assert.equal(seccompSyscallEnter(f.kernel, f.task, false, 174, []), EntryVerdict.Skip);
    assert.equal(seccompSyscallEnter(f.kernel, f.task, false, 172, []), EntryVerdict.Run);
    assert.equal(cache[172], 1, 'getpid is cached');
    assert.equal(seccompSyscallEnter(f.kernel, f.task, true, 172, []), EntryVerdict.Run);
    assert.equal(cache[SECCOMP_CACHE_NRS + 172], 1, 'per arch');
  });

  test('RET_LOG runs the call and writes a record', () => {
    const f = signalFixture();
    f.task.noNewPrivs = true;
    assert.equal(doSeccomp(ctxOf(f), 1, 0, place(f.task, forNr(172, SECCOMP_RET_LOG))), 0);
    const before = seccompLogOf(f.kernel).count;
    assert.equal(seccompSyscallEnter(f.kernel, f.task, true, 172, []), EntryVerdict.Run);
    const log = seccompLogOf(f.kernel);
    assert.equal(log.count, before + 1);
    assert.match(log.records.at(-1)!, /arch=40000028 syscall=172 compat=1 .*code=0x7ffc0000/);
  });

  test('strict mode: native read/write/exit/rt_sigreturn, compat 3/4/1/173; anything else kills', () => {
    const f = signalFixture();
    assert.equal(doSeccomp(ctxOf(f), 0, 0, 0), 0);
    for (const nr of [63, 64, 93, 139])
      assert.equal(seccompSyscallEnter(f.kernel, f.task, false, nr, []), EntryVerdict.Run);
    for (const nr of [3, 4, 1, 173])
      assert.equal(seccompSyscallEnter(f.kernel, f.task, true, nr, []), EntryVerdict.Run);
    assert.equal(seccompSyscallEnter(f.kernel, f.task, true, 63, []), EntryVerdict.Dead);
    assert.equal(f.task.seccomp.mode, SECCOMP_MODE_DEAD);
    assert.equal(f.task.exitStatus, 9);
  });
});
