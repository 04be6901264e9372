/**
 * Scheduling policies, capabilities and rseq (test/guest/sched/*.c, built into bin/). sched-policy
 * and sched-caps print the same lines under qemu-aarch64 (the host kernel: facts that depend on its
 * CPU count or configuration are checked under compat64 only, see the programs); sched-rseq is
 * checked against Linux's rules only, because qemu-aarch64 answers rseq with ENOSYS (glibc then runs
 * without it) — the reference run just shows that.
 *
 * Fork inheritance, the exec reset and the critical-section abort need hooks in integrator-owned
 * files (task/clone.ts, task/execve.ts, task/signal-deliver.ts, kernel.ts); until clone.ts calls
 * schedFork these tests are marked todo.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GUEST_ENV, type RunResult, repoRoot, requireQemu, runCompat64, runQemu } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'sched', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/sched\``);
  return path;
}

const hooked = readFileSync(join(repoRoot, 'src', 'kernel', 'task', 'clone.ts'), 'utf8').includes('schedFork(');
const todo = hooked ? false : 'needs the fork/exec/signal/resume hooks (see sched-policy.ts, rseq.ts)';

/** The output without the compat64-only checks' PASS lines (a failed one stays and shows in the diff). */
function summary(r: RunResult): { status: number | null; stdout: string } {
  const out = r.stdout.toString('latin1');
  return { status: r.status, stdout: out.replace(/^PASS compat64: .*\n/gm, '') };
}

function assertAllPassed(r: RunResult, who: string): void {
  const out = r.stdout.toString('latin1');
  assert.doesNotMatch(out, /^FAIL /m, `${who}:\n${out}\n${r.stderr.toString().slice(0, 2000)}`);
  assert.match(out, /^ALL PASSED$/m, `${who}:\n${out}\n${r.stderr.toString().slice(0, 2000)}`);
  assert.equal(r.status, 0);
}

function sameAsQemu(name: string): void {
  const qemu = runQemu([bin(name)], { env: { ...GUEST_ENV, SIG_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
  assert.match(qemu.stdout.toString(), /^ALL PASSED$/m, `qemu-aarch64 itself fails:\n${qemu.stdout}`);
  const compat = runCompat64([bin(name)], { root: '/', timeoutMs: 120_000 });
  assert.match(compat.stdout.toString(), /^PASS compat64: /m, 'the compat64-only checks ran');
  assert.deepStrictEqual(summary(compat), summary(qemu), compat.stderr.toString().slice(0, 2000));
}

describe('sched guest programs', () => {
  test('sched-policy: policies, sched_attr, reset-on-fork, RLIMIT_RTPRIO, affinity, getcpu, membarrier (= qemu)', {
    todo,
  }, (t) => {
    if (!requireQemu(t)) return;
    sameAsQemu('sched-policy');
  });

  test('sched-caps: capget/capset versions, pids, subset rules, inheritable set (= qemu)', { todo }, (t) => {
    if (!requireQemu(t)) return;
    sameAsQemu('sched-caps');
  });

  test('sched-rseq: registration rules, cpu ids, abort on signal and preemption, bad signature, fork/exec', {
    todo,
  }, () => {
    assertAllPassed(runCompat64([bin('sched-rseq')], { root: '/', timeoutMs: 120_000 }), 'sched-rseq');
  });

  test('sched-rseq under qemu-aarch64: rseq is ENOSYS there, glibc runs without it', (t) => {
    if (!requireQemu(t)) return;
    const qemu = runQemu([bin('sched-rseq')], { env: { ...GUEST_ENV, SIG_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
    assert.match(qemu.stdout.toString(), /^qemu: __rseq_size 0, rseq\(\) = -38$/m);
  });

  test('glibc start-up registers rseq under compat64 (no hook needed)', () => {
    const r = runCompat64([bin('sched-rseq')], { root: '/', timeoutMs: 120_000 });
    assert.match(r.stdout.toString(), /^PASS glibc registered rseq at start-up \(size 32\)$/m);
    assert.match(r.stdout.toString(), /^PASS cpu ids written before the return$/m);
  });
});
