/**
 * Signal delivery against qemu-aarch64: each program in test/guest/signals/bin (built from the .c files
 * beside this one) runs under both, and stdout and the way the process ended must be identical. The
 * qemu run gets SIG_REFERENCE=qemu, which turns the few checks of Linux facts qemu does not reproduce
 * into plain PASS lines (see check.h), and must pass on its own first. sig-fatal runs once per way of
 * dying. The --strace case checks the trace's signal lines.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import {
  GUEST_ENV,
  howEnded,
  type RunResult,
  repoRoot,
  requireQemu,
  runCompat64,
  runQemu,
  signalNumber,
} from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'signals', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/signals\``);
  return path;
}

/** How a run ended as the CLI reports it: exit status, death by signal N being 128 + N. */
function ending(r: RunResult): string {
  if (r.timedOut) return 'timed out';
  if (r.signal) return `exit ${128 + signalNumber(r.signal)}`;
  return `exit ${r.status}`;
}

function runBoth(args: string[]): { qemu: RunResult; compat: RunResult } {
  const qemu = runQemu(args, { env: { ...GUEST_ENV, SIG_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
  const compat = runCompat64(args, { root: '/', timeoutMs: 120_000 });
  return { qemu, compat };
}

function assertSame(compat: RunResult, qemu: RunResult, expectedEnding?: string): void {
  const want = { ending: expectedEnding ?? ending(qemu), stdout: qemu.stdout.toString('latin1') };
  const got = {
    ending: compat.signal ? `compat64 itself ${howEnded(compat)}` : ending(compat),
    stdout: compat.stdout.toString('latin1'),
  };
  try {
    assert.deepStrictEqual(got, want);
  } catch (e) {
    if (e instanceof Error) e.message += `\n--- compat64 stderr ---\n${compat.stderr.toString().slice(0, 2000)}`;
    throw e;
  }
}

/** A PASS/FAIL program: qemu must pass it, then compat64 must print the same. */
function passFail(t: TestContext, name: string): void {
  if (!requireQemu(t)) return;
  const { qemu, compat } = runBoth([bin(name)]);
  const out = qemu.stdout.toString();
  assert.match(out, /^PASS /m, 'no PASS lines under qemu-aarch64');
  assert.doesNotMatch(out, /^FAIL /m, `a check fails under qemu-aarch64 itself:\n${out}`);
  assert.equal(ending(qemu), 'exit 0');
  assertSame(compat, qemu);
}

describe('signal guest programs: compat64 matches qemu-aarch64', () => {
  test('sig-segv: SIGSEGV handlers (si_code, si_addr, saved pc, repair and retry, fetch faults)', (t) =>
    passFail(t, 'sig-segv'));
  test('sig-altstack: sigaltstack, SA_ONSTACK, stack overflow, SS_AUTODISARM', (t) => passFail(t, 'sig-altstack'));
  test('sig-flags: SA_RESETHAND, SA_NODEFER, masks, order, queueing, sigsuspend, sigtimedwait', (t) =>
    passFail(t, 'sig-flags'));
  test('sig-regs: rt_sigreturn restores x0-x30, v0-v31, FPCR, FPSR, NZCV; frame edits take effect', (t) =>
    passFail(t, 'sig-regs'));
  test('sig-timers: setitimer/getitimer/alarm, interrupted sleeps with the time left', (t) =>
    passFail(t, 'sig-timers'));
  test('sig-traps: SIGTRAP (BRK), SIGILL, SIGBUS (alignment, past EOF), no SIGFPE for division', (t) =>
    passFail(t, 'sig-traps'));
  test('sig-frame: the rt_sigframe layout, esr_context, frame record, trampoline, SA_RESTORER', (t) =>
    passFail(t, 'sig-frame'));
  test('sig-pipe: SA_RESTART restarts an interrupted pipe read, without it EINTR', (t) => passFail(t, 'sig-pipe'));
});

/** Modes of sig-fatal and, where qemu cannot be the reference, the ending Linux gives. */
const FATAL_MODES: readonly [string, string?][] = [
  ['blocked-segv'],
  ['ignored-segv'],
  ['segv-in-handler'],
  ['abort'],
  ['abort-handler'],
  ['trap'],
  ['ill'],
  ['bus'],
  ['kill-term'],
  ['sigkill'],
  ['resethand'],
  // qemu renumbers real-time signals on the host, so its process dies of another signal: Linux's is SIGRTMIN+2 = 36.
  ['rt-default', 'exit 164'],
  ['exit-in-handler'],
  ['bad-fpsimd'],
  ['alarm-spin'],
  ['alarm-sleep'],
  ['ignored-usr1'],
];

describe('sig-fatal: dying of signals like qemu-aarch64', () => {
  for (const [mode, linuxEnding] of FATAL_MODES) {
    test(mode, (t) => {
      if (!requireQemu(t)) return;
      const { qemu, compat } = runBoth([bin('sig-fatal'), mode]);
      assert.equal(qemu.stdout.toString().split('\n')[0], mode, 'qemu run printed its mode');
      assertSame(compat, qemu, linuxEnding);
    });
  }
});

describe('--strace shows signals as strace does', () => {
  test('a fault that kills: the signal line, then killed by', () => {
    const r = runCompat64([bin('sig-fatal'), 'blocked-segv'], { root: '/', strace: true });
    const trace = r.stderr.toString();
    assert.match(trace, /^--- SIGSEGV \{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10\} ---$/m);
    assert.match(trace, /^\+\+\+ killed by SIGSEGV \+\+\+$/m);
    assert.equal(r.status, 139);
  });
  test('a handled signal: the signal line, then rt_sigreturn', () => {
    const r = runCompat64([bin('sig-fatal'), 'resethand'], { root: '/', strace: true });
    const trace = r.stderr.toString();
    assert.match(trace, /^--- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=\d+, si_uid=\d+\} ---$/m);
    assert.match(trace, /^rt_sigreturn\(.*= 0$/m);
    assert.match(trace, /^\+\+\+ killed by SIGUSR1 \+\+\+$/m);
  });
  test('an ignored signal is still reported, as under ptrace', () => {
    const r = runCompat64([bin('sig-fatal'), 'ignored-usr1'], { root: '/', strace: true });
    assert.match(r.stderr.toString(), /^--- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_TKILL, /m);
    assert.equal(r.status, 0);
  });
});
