import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PTRACE_GET_SYSCALL_INFO } from '../../../../src/kernel/security/ptrace/ptrace-abi.js';
import { AUDIT_ARCH_AARCH64, AUDIT_ARCH_ARM } from '../../../../src/kernel/security/ptrace/ptrace-syscall-info.js';
import { killInfo } from '../../../../src/kernel/task/siginfo.js';
import { bytes, DATA, get32, get64, type Pair, pair, put, setX } from './fixture.js';
import { attach, PtraceStop, request } from './request-fixture.js';

const BUF = DATA + 0x1000;
const SIGTRAP = 5;

/** A stop as ptrace_notify makes it: SIGTRAP siginfo with si_code = the status, and the message. */
function stop(p: Pair, kind: PtraceStop, code: number, msg: number): void {
  attach(p, kind, killInfo(SIGTRAP, code, p.tracer.tid, 1000), msg);
}

function setup(): Pair {
  const p = pair();
  const t = p.tracee;
  t.cpu.pc = 0x40_1004;
  setX(t, 31, 0x7fff_ff00);
  t.syscallNo = 64;
  t.origX0Lo = 1;
  t.origX0Hi = 0;
  setX(t, 0, 99);
  for (let i = 1; i < 6; i++) setX(t, i, 0x1_0000_0000 + i);
  return p;
}

function info(p: Pair, size = 256, compat = false): number {
  put(p.tracer, BUF, new Array(128).fill(0xee));
  return request(p, PTRACE_GET_SYSCALL_INFO, size, BUF, compat);
}

test('entry stop: op 1, AArch64, pc, sp, nr and orig_x0 + x1-x5; 80 bytes', () => {
  const p = setup();
  stop(p, PtraceStop.SyscallEntry, SIGTRAP | 0x80, 1);
  assert.equal(info(p), 80);
  assert.deepEqual(bytes(p.tracer, BUF, 4), [1, 0, 0, 0]);
  assert.equal(get32(p.tracer, BUF + 4), AUDIT_ARCH_AARCH64);
  assert.equal(get64(p.tracer, BUF + 8), 0x40_1004);
  assert.equal(get64(p.tracer, BUF + 16), 0x7fff_ff00);
  assert.equal(get64(p.tracer, BUF + 24), 64);
  assert.equal(get64(p.tracer, BUF + 32), 1); // orig_x0, not x0
  assert.equal(get64(p.tracer, BUF + 40), 0x1_0000_0001);
  assert.equal(get64(p.tracer, BUF + 72), 0x1_0000_0005);
  assert.equal(bytes(p.tracer, BUF + 80, 1)[0], 0xee);
});

test('exit stop: rval and is_error (33 bytes); the user size truncates the copy, not the result', () => {
  const p = setup();
  stop(p, PtraceStop.SyscallExit, SIGTRAP | 0x80, 2);
  setX(p.tracee, 0, -2);
  assert.equal(info(p), 33);
  assert.deepEqual(bytes(p.tracer, BUF, 1), [2]);
  assert.deepEqual(bytes(p.tracer, BUF + 24, 10), [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 0xee]);
  setX(p.tracee, 0, 5);
  assert.equal(info(p, 8), 33);
  assert.deepEqual(bytes(p.tracer, BUF, 9), [2, 0, 0, 0, 0xb7, 0, 0, 0xc0, 0xee]);
  assert.equal(info(p), 33);
  assert.equal(get64(p.tracer, BUF + 24), 5);
  assert.equal(bytes(p.tracer, BUF + 32, 1)[0], 0);
});

test('compat call: AUDIT_ARCH_ARM, args zero-extended, exit value sign-extended from 32 bits', () => {
  const p = setup();
  p.tracee.inCompatSyscall = true;
  p.tracee.syscallNo = 4; // compat write
  stop(p, PtraceStop.SyscallEntry, SIGTRAP | 0x80, 1);
  assert.equal(info(p), 80);
  assert.equal(get32(p.tracer, BUF + 4), AUDIT_ARCH_ARM);
  assert.equal(get64(p.tracer, BUF + 24), 4);
  assert.equal(get64(p.tracer, BUF + 40), 1);
  stop(p, PtraceStop.SyscallExit, SIGTRAP | 0x80, 2);
  p.tracee.cpu.x[0] = -9; // compat -EBADF: x0 = 0x00000000fffffff7
  p.tracee.cpu.x[1] = 0;
  assert.equal(info(p), 33);
  assert.deepEqual(bytes(p.tracer, BUF + 24, 9), [0xf7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1]);
});

test('seccomp stop: op 3, entry fields and ret_data (84 bytes)', () => {
  const p = setup();
  stop(p, PtraceStop.Seccomp, SIGTRAP | (7 << 8), 0x1234);
  assert.equal(info(p), 84);
  assert.deepEqual(bytes(p.tracer, BUF, 1), [3]);
  assert.equal(get64(p.tracer, BUF + 24), 64);
  assert.equal(get32(p.tracer, BUF + 80), 0x1234);
});

test('other stops, and syscall stops without TRACESYSGOOD (si_code SIGTRAP): op NONE, 24 bytes', () => {
  const p = setup();
  stop(p, PtraceStop.SyscallEntry, SIGTRAP, 1);
  assert.equal(info(p), 24);
  assert.deepEqual(bytes(p.tracer, BUF, 1), [0]);
  attach(p, PtraceStop.Group, undefined);
  assert.equal(info(p), 24);
  assert.equal(get64(p.tracer, BUF + 8), 0x40_1004);
  assert.equal(bytes(p.tracer, BUF + 24, 1)[0], 0xee);
});
