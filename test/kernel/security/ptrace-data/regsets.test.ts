import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PTRACE_GETREGSET, PTRACE_SETREGSET } from '../../../../src/kernel/security/ptrace/ptrace-abi.js';
import {
  NT_ARM_HW_BREAK,
  NT_ARM_HW_WATCH,
  NT_ARM_SYSTEM_CALL,
  NT_ARM_TLS,
  NT_PRFPREG,
  NT_PRSTATUS,
} from '../../../../src/kernel/security/ptrace/ptrace-regsets.js';
import { bytes, DATA, get32, get64, type Pair, pair, put, put64, setX } from './fixture.js';
import { attach, PtraceStop, request } from './request-fixture.js';

const EINVAL = -22;
const EFAULT = -14;
const ENOSPC = -28;
const IOV = DATA + 0x100;
const BUF = DATA + 0x1000;

function stopped(): Pair {
  const p = pair();
  attach(p, PtraceStop.SyscallEntry);
  return p;
}

/** GETREGSET/SETREGSET with a native iovec {BUF, len} at IOV; returns [result, iov_len after]. */
function regset(p: Pair, req: number, type: number, len: number): [number, number] {
  put64(p.tracer, IOV, BUF);
  put64(p.tracer, IOV + 8, len);
  const r = request(p, req, type, IOV);
  return [r, get64(p.tracer, IOV + 8)];
}

test('NT_PRSTATUS is user_pt_regs: x0-x30, sp, pc, pstate (272 bytes)', () => {
  const p = stopped();
  const cpu = p.tracee.cpu;
  for (let i = 0; i < 31; i++) setX(p.tracee, i, 0x1000 + i);
  setX(p.tracee, 31, 0x7fff_fff0);
  cpu.pc = 0x40_1234;
  cpu.nzcv = 0x6000_0000;
  assert.deepEqual(regset(p, PTRACE_GETREGSET, NT_PRSTATUS, 272), [0, 272]);
  assert.equal(get64(p.tracer, BUF), 0x1000);
  assert.equal(get64(p.tracer, BUF + 30 * 8), 0x1000 + 30);
  assert.equal(get64(p.tracer, BUF + 31 * 8), 0x7fff_fff0);
  assert.equal(get64(p.tracer, BUF + 32 * 8), 0x40_1234);
  assert.equal(get64(p.tracer, BUF + 33 * 8), 0x6000_0000);
});

test('a longer iov_len is cut to the set and written back; a shorter one truncates; a partial unit is -EINVAL', () => {
  const p = stopped();
  setX(p.tracee, 0, 7);
  setX(p.tracee, 1, 8);
  setX(p.tracee, 2, 9);
  assert.deepEqual(regset(p, PTRACE_GETREGSET, NT_PRSTATUS, 4096), [0, 272]);
  put64(p.tracer, BUF + 16, 0xdead);
  assert.deepEqual(regset(p, PTRACE_GETREGSET, NT_PRSTATUS, 16), [0, 16]);
  assert.equal(get64(p.tracer, BUF + 8), 8);
  assert.equal(get64(p.tracer, BUF + 16), 0xdead);
  assert.deepEqual(regset(p, PTRACE_GETREGSET, NT_PRSTATUS, 12), [EINVAL, 12]);
  assert.deepEqual(regset(p, PTRACE_GETREGSET, 0x405 /* NT_ARM_SVE */, 16), [EINVAL, 16]);
  assert.equal(request(p, PTRACE_GETREGSET, NT_PRSTATUS, 0x5000_0000), EFAULT);
  put64(p.tracer, IOV, 0x5000_0000);
  put64(p.tracer, IOV + 8, 272);
  assert.equal(request(p, PTRACE_GETREGSET, NT_PRSTATUS, IOV), EFAULT);
});

test('SETREGSET NT_PRSTATUS changes the leading registers only; pc and NZCV; an EL1 pstate is -EINVAL', () => {
  const p = stopped();
  setX(p.tracee, 2, 0x55);
  put64(p.tracer, BUF, 0x11);
  put64(p.tracer, BUF + 8, 0x22);
  assert.deepEqual(regset(p, PTRACE_SETREGSET, NT_PRSTATUS, 16), [0, 16]);
  assert.equal(p.tracee.cpu.x[0], 0x11);
  assert.equal(p.tracee.cpu.x[2], 0x22);
  assert.equal(p.tracee.cpu.x[4], 0x55);
  assert.deepEqual(regset(p, PTRACE_GETREGSET, NT_PRSTATUS, 272), [0, 272]);
  put64(p.tracer, BUF + 32 * 8, 0x40_2000);
  put64(p.tracer, BUF + 33 * 8, 0x8000_0000);
  assert.deepEqual(regset(p, PTRACE_SETREGSET, NT_PRSTATUS, 272), [0, 272]);
  assert.equal(p.tracee.cpu.pc, 0x40_2000);
  assert.equal(p.tracee.cpu.nf, 1);
  put64(p.tracer, BUF + 33 * 8, 0x3c5); // EL1h with DAIF masked
  assert.deepEqual(regset(p, PTRACE_SETREGSET, NT_PRSTATUS, 272), [EINVAL, 272]);
  assert.equal(p.tracee.cpu.pc, 0x40_2000);
});

test('NT_PRFPREG is user_fpsimd_state: v0-v31, fpsr, fpcr, reserved (528 bytes)', () => {
  const p = stopped();
  const cpu = p.tracee.cpu;
  cpu.v8[0] = 0xaa;
  cpu.v8[31 * 16 + 15] = 0xbb;
  cpu.fpsr = 0x8000010;
  cpu.fpcr = 0x3000000;
  assert.deepEqual(regset(p, PTRACE_GETREGSET, NT_PRFPREG, 1024), [0, 528]);
  assert.deepEqual(bytes(p.tracer, BUF, 1), [0xaa]);
  assert.deepEqual(bytes(p.tracer, BUF + 511, 1), [0xbb]);
  assert.equal(get32(p.tracer, BUF + 512), 0x8000010);
  assert.equal(get32(p.tracer, BUF + 516), 0x3000000);
  put(p.tracer, BUF + 16, [0xcc]);
  put(p.tracer, BUF + 512, [0x1f, 0, 0, 0, 0, 0, 0, 0x04]);
  assert.deepEqual(regset(p, PTRACE_SETREGSET, NT_PRFPREG, 528), [0, 528]);
  assert.equal(cpu.v8[16], 0xcc);
  assert.equal(cpu.fpsr, 0x1f);
  assert.equal(cpu.fpcr, 0x0400_0000);
});

test('NT_ARM_TLS is tpidr_el0 alone (no SME: 8 bytes)', () => {
  const p = stopped();
  p.tracee.cpu.tpidrLo = 0x1234_5678;
  p.tracee.cpu.tpidrHi = 0xffff;
  assert.deepEqual(regset(p, PTRACE_GETREGSET, NT_ARM_TLS, 16), [0, 8]);
  assert.equal(get64(p.tracer, BUF), 0xffff_1234_5678);
  put64(p.tracer, BUF, 0x42);
  assert.deepEqual(regset(p, PTRACE_SETREGSET, NT_ARM_TLS, 8), [0, 8]);
  assert.equal(p.tracee.cpu.tpidrLo, 0x42);
  assert.equal(p.tracee.cpu.tpidrHi, 0);
});

test('NT_ARM_SYSTEM_CALL reads and writes pt_regs syscallno (-1 skips the call)', () => {
  const p = stopped();
  p.tracee.syscallNo = 172;
  assert.deepEqual(regset(p, PTRACE_GETREGSET, NT_ARM_SYSTEM_CALL, 8), [0, 4]);
  assert.equal(get32(p.tracer, BUF), 172);
  put(p.tracer, BUF, [0xff, 0xff, 0xff, 0xff]);
  assert.deepEqual(regset(p, PTRACE_SETREGSET, NT_ARM_SYSTEM_CALL, 4), [0, 4]);
  assert.equal(p.tracee.syscallNo, -1);
});

test('NT_ARM_HW_BREAK/WATCH: ARMv8 debug architecture with 0 slots; a slot cannot be set', () => {
  const p = stopped();
  for (const nt of [NT_ARM_HW_BREAK, NT_ARM_HW_WATCH]) {
    put(p.tracer, BUF, new Array(264).fill(0xee));
    assert.deepEqual(regset(p, PTRACE_GETREGSET, nt, 264), [0, 264]);
    assert.equal(get32(p.tracer, BUF), 0x600);
    assert.ok(bytes(p.tracer, BUF + 4, 260).every((b) => b === 0));
    assert.deepEqual(regset(p, PTRACE_SETREGSET, nt, 8), [0, 8]);
    assert.deepEqual(regset(p, PTRACE_SETREGSET, nt, 24), [ENOSPC, 24]);
  }
});

test('through the compat ptrace the iovec is a compat_iovec, and the view stays AArch64', () => {
  const p = stopped();
  setX(p.tracee, 0, 0x1_0000_0005);
  put(p.tracer, IOV, [0x00, 0x10, 0x00, 0x10, 0x10, 0x01, 0, 0]); // {0x10001000, 272}
  assert.equal(request(p, PTRACE_GETREGSET, NT_PRSTATUS, IOV, true), 0);
  assert.equal(get64(p.tracer, BUF), 0x1_0000_0005);
  assert.equal(get32(p.tracer, IOV + 4), 272);
});
