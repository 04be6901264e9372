/**
 * POSIX timers, timerfd and signalfd against qemu-aarch64: each PASS/FAIL program in
 * test/guest/time2/bin (built from the .c files beside this one) runs under both, must pass under
 * qemu on its own (with SIG_REFERENCE=qemu, which turns the checks of Linux facts qemu renames — timer
 * ids — into plain PASS lines), and compat64 must print the same lines and end the same way. The
 * compat-syscall program runs under compat64 alone: qemu-aarch64 has no compat-syscall ABI, so it
 * asserts the values the specification gives.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { GUEST_ENV, type RunResult, repoRoot, requireQemu, runCompat64, runQemu } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'time2', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/time2\``);
  return path;
}

function summary(r: RunResult): { status: number | null; signal: string | null; stdout: string } {
  return { status: r.status, signal: r.signal, stdout: r.stdout.toString('latin1') };
}

/** A PASS/FAIL program: qemu must pass it, then compat64 must print the same lines. */
function sameAsQemu(t: TestContext, name: string): void {
  if (!requireQemu(t)) return;
  const qemu = runQemu([bin(name)], { env: { ...GUEST_ENV, SIG_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
  const out = qemu.stdout.toString();
  assert.match(out, /^ALL PASSED$/m, `qemu-aarch64 itself fails:\n${out}`);
  const compat = runCompat64([bin(name)], { root: '/', timeoutMs: 120_000 });
  assert.deepStrictEqual(summary(compat), summary(qemu), compat.stderr.toString().slice(0, 2000));
}

describe('timer guest programs: compat64 matches qemu-aarch64', () => {
  test('posix-timers: events, periodic overruns, TIMER_ABSTIME, SIGEV_NONE/THREAD_ID, CPU-clock timers, fork, errors', (t) =>
    sameAsQemu(t, 'posix-timers'));
  test('timerfd: the file, expiration counts, gettime/settime, TFD_TIMER_ABSTIME, EINTR/SA_RESTART, fork, errors', (t) =>
    sameAsQemu(t, 'timerfd'));
  test('fd-ready: poll, select and epoll (level and edge triggered) on timerfd and signalfd', (t) =>
    sameAsQemu(t, 'fd-ready'));
  test('signalfd: records per signal source, several per read, masks, blocking reads, EINTR/SA_RESTART, fork, errors', (t) =>
    sameAsQemu(t, 'signalfd'));
});

/** A PASS/FAIL program run under compat64 alone: no FAIL line, the summary line, exit status 0. */
function passesAlone(name: string, summaryLine: RegExp): void {
  const r = runCompat64([bin(name)], { root: '/', timeoutMs: 120_000 });
  const out = r.stdout.toString('latin1');
  assert.doesNotMatch(out, /^FAIL /m, `${out}\n${r.stderr.toString().slice(0, 2000)}`);
  assert.match(out, summaryLine, `${out}\n${r.stderr.toString().slice(0, 2000)}`);
  assert.equal(r.status, 0);
}

describe('exec (compat64 only: qemu-aarch64 cannot follow an arm64 exec here)', () => {
  test('exec-timers: exec deletes the POSIX timers; queued signals, timerfd and signalfd survive', () =>
    passesAlone('exec-timers', /^ALL PASSED$/m));
});

describe('compat timer calls (compat64 only)', () => {
  test('compat-timers: compat_sigevent, old_itimerspec32, time64 padding, signalfd masks, CPU clocks', () =>
    passesAlone('compat-timers', /^\d+ passed, 0 failed$/m));
});
