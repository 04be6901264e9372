/**
 * Threads and futexes against qemu-aarch64: each PASS/FAIL program in test/guest/threads/bin (built
 * from the .c files beside this one) runs under both, and stdout and the way the process ended must
 * be identical. The qemu run gets THR_REFERENCE=qemu, which prints the checks of what qemu 7.2 lacks
 * (futex_waitv, the compat-syscall series) as PASS, and must pass on its own first.
 *
 * thr-robust runs under compat64 alone: qemu-aarch64 refuses set_robust_list (ENOSYS), so glibc's
 * robust mutexes never see EOWNERDEAD there. Its expectations were checked on Linux itself (the
 * same source built for the host).
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
} from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'threads', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/threads\``);
  return path;
}

function describeRun(r: RunResult): string {
  return r.timedOut ? 'timed out' : howEnded(r);
}

function withStderr(e: unknown, r: RunResult): unknown {
  if (e instanceof Error) e.message += `\n--- compat64 stderr ---\n${r.stderr.toString().slice(0, 2000)}`;
  return e;
}

/** A PASS/FAIL program: qemu must pass it, then compat64 must print the same and end the same way. */
function passFail(t: TestContext, name: string): void {
  if (!requireQemu(t)) return;
  const qemu = runQemu([bin(name)], { env: { ...GUEST_ENV, THR_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
  const out = qemu.stdout.toString();
  assert.match(out, /^PASS /m, 'no PASS lines under qemu-aarch64');
  assert.doesNotMatch(out, /^FAIL /m, `a check fails under qemu-aarch64 itself:\n${out}`);
  assert.equal(describeRun(qemu), 'exit 0');
  const compat = runCompat64([bin(name)], { root: '/', timeoutMs: 240_000 });
  try {
    assert.deepStrictEqual(
      { ending: describeRun(compat), stdout: compat.stdout.toString('latin1') },
      { ending: describeRun(qemu), stdout: qemu.stdout.toString('latin1') },
    );
  } catch (e) {
    throw withStderr(e, compat);
  }
}

describe('thread and futex guest programs', () => {
  test('thr-futex: raw futex ops, timeouts, bitsets, requeue, wake_op, signals, fork, futex_waitv', (t) =>
    passFail(t, 'thr-futex'));
  test('thr-sync: pthread mutex/condvar/barrier/rwlock/semaphore stress, timed waits, pshared sem', (t) =>
    passFail(t, 'thr-sync'));
  test('thr-pi: PI mutexes, LOCK_PI/LOCK_PI2 timeouts, hand-over order, raw PI errors, pshared PI', (t) =>
    passFail(t, 'thr-pi'));
  test('thr-robust: EOWNERDEAD after thread exit, process exit and SIGKILL (plain and PI), compat list', () => {
    const r = runCompat64([bin('thr-robust')], { root: '/', timeoutMs: 240_000 });
    const out = r.stdout.toString();
    try {
      assert.doesNotMatch(out, /^FAIL /m);
      assert.match(out, /^ALL PASSED$/m);
      assert.equal(describeRun(r), 'exit 0');
    } catch (e) {
      throw withStderr(e, r);
    }
  });
});
