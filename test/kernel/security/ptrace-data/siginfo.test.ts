import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PTRACE_GETSIGINFO,
  PTRACE_PEEKSIGINFO,
  PTRACE_SETSIGINFO,
} from '../../../../src/kernel/security/ptrace/ptrace-abi.js';
import { faultInfo, killInfo, siCode, siSigno } from '../../../../src/kernel/task/siginfo.js';
import { bytes, DATA, get32, get64, type Pair, pair, put, put64 } from './fixture.js';
import { attach, PtraceStop, request } from './request-fixture.js';

const EINVAL = -22;
const EFAULT = -14;
const E2BIG = -7;
const BUF = DATA + 0x1000;
const ARGS = DATA + 0x100;
const SIGSEGV = 11;
const SIGUSR1 = 10;
const SIGUSR2 = 12;

function stoppedWith(info: Uint8Array | undefined): Pair {
  const p = pair();
  attach(p, info === undefined ? PtraceStop.Group : PtraceStop.Signal, info);
  return p;
}

test('GETSIGINFO copies the stop siginfo (128 bytes, tail zero); a group-stop has none: -EINVAL', () => {
  const p = stoppedWith(faultInfo(SIGSEGV, 1, 0xdead_beef_0000));
  put(p.tracer, BUF, new Array(128).fill(0xee));
  assert.equal(request(p, PTRACE_GETSIGINFO, 0, BUF), 0);
  assert.equal(get32(p.tracer, BUF), SIGSEGV);
  assert.equal(get32(p.tracer, BUF + 8), 1);
  assert.equal(get64(p.tracer, BUF + 16), 0xdead_beef_0000);
  assert.ok(bytes(p.tracer, BUF + 48, 80).every((b) => b === 0));
  assert.equal(request(p, PTRACE_GETSIGINFO, 0, 0x5000_0000), EFAULT);
  assert.equal(request(stoppedWith(undefined), PTRACE_GETSIGINFO, 0, BUF), EINVAL);
});

test('GETSIGINFO through the compat ptrace gives compat_siginfo (union at 12, 32-bit si_addr)', () => {
  const p = stoppedWith(faultInfo(SIGSEGV, 2, 0x1234_5678));
  put(p.tracer, BUF, new Array(128).fill(0xee));
  assert.equal(request(p, PTRACE_GETSIGINFO, 0, BUF, true), 0);
  assert.equal(get32(p.tracer, BUF), SIGSEGV);
  assert.equal(get32(p.tracer, BUF + 8), 2);
  assert.equal(get32(p.tracer, BUF + 12), 0x1234_5678);
});

test('SETSIGINFO replaces the stop siginfo in place; -EFAULT before -EINVAL; unknown layouts need a zero tail', () => {
  const info = killInfo(SIGUSR1, 0, 1, 1000);
  const p = stoppedWith(info);
  put(p.tracer, BUF, new Array(128).fill(0));
  put(p.tracer, BUF, [SIGUSR2, 0, 0, 0, 0, 0, 0, 0, 0xfa, 0xff, 0xff, 0xff]); // SI_TKILL
  assert.equal(request(p, PTRACE_SETSIGINFO, 0, BUF), 0);
  assert.equal(siSigno(info), SIGUSR2);
  assert.equal(siCode(info), -6);
  assert.equal(request(p, PTRACE_SETSIGINFO, 0, 0x5000_0000), EFAULT);
  assert.equal(request(stoppedWith(undefined), PTRACE_SETSIGINFO, 0, BUF), EINVAL);
  // si_code 0x7777 has no layout the kernel knows: a non-zero byte past 48 is -E2BIG.
  put(p.tracer, BUF + 8, [0x77, 0x77, 0, 0]);
  put(p.tracer, BUF + 100, [1]);
  assert.equal(request(p, PTRACE_SETSIGINFO, 0, BUF), E2BIG);
});

test('PEEKSIGINFO copies queued siginfos without dequeuing: offset, count, SHARED, errors', () => {
  const p = stoppedWith(undefined);
  const t = p.tracee;
  t.signals.pending.queue.push({ sig: SIGUSR1, info: killInfo(SIGUSR1, 0, 11, 1000) });
  t.signals.pending.queue.push({ sig: SIGUSR2, info: killInfo(SIGUSR2, 0, 12, 1000) });
  t.signals.group.shared.queue.push({ sig: SIGSEGV, info: killInfo(SIGSEGV, 0, 13, 1000) });
  const peek = (off: number, flags: number, nr: number, compat = false) => {
    put64(p.tracer, ARGS, off);
    put(p.tracer, ARGS + 8, [flags, 0, 0, 0, nr & 0xff, (nr >> 8) & 0xff, (nr >> 16) & 0xff, (nr >> 24) & 0xff]);
    return request(p, PTRACE_PEEKSIGINFO, ARGS, BUF, compat);
  };
  assert.equal(peek(0, 0, 8), 2);
  assert.equal(get32(p.tracer, BUF + 16), 11);
  assert.equal(get32(p.tracer, BUF + 128 + 16), 12);
  assert.equal(peek(1, 0, 8), 1);
  assert.equal(get32(p.tracer, BUF), SIGUSR2);
  assert.equal(peek(2, 0, 8), 0);
  assert.equal(peek(0, 1, 8), 1);
  assert.equal(get32(p.tracer, BUF), SIGSEGV);
  assert.equal(peek(0, 0, 0), 0);
  assert.equal(peek(0, 2, 1), EINVAL);
  assert.equal(peek(0, 0, -1), EINVAL);
  assert.equal(t.signals.pending.queue.length, 2);
  // compat: compat_siginfo, si_pid at 12
  assert.equal(peek(0, 0, 1, true), 1);
  assert.equal(get32(p.tracer, BUF + 12), 11);
  assert.equal(request(p, PTRACE_PEEKSIGINFO, 0x5000_0000, BUF), EFAULT);
});
