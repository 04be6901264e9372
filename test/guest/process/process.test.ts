/**
 * Processes: fork/wait/pipes/job control/groups against qemu-aarch64 (proc-fork), and execve, which
 * qemu-aarch64 cannot follow here (an arm64 exec needs binfmt_misc), against Linux's expectations
 * written in proc-exec.c. Each program prints PASS/FAIL lines; see check.h.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GUEST_ENV, type RunResult, repoRoot, requireQemu, runCompat64, runQemu } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'process', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/process\``);
  return path;
}

function summary(r: RunResult): { status: number | null; stdout: string } {
  return { status: r.status, stdout: r.stdout.toString('latin1') };
}

describe('process guest programs', () => {
  test('proc-fork: fork, wait4/waitid, pipes, stop/continue, SIGCHLD, groups, subreaper, vfork, clone3 (= qemu)', (t) => {
    if (!requireQemu(t)) return;
    const qemu = runQemu([bin('proc-fork')], { env: { ...GUEST_ENV, SIG_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
    assert.match(qemu.stdout.toString(), /^ALL PASSED$/m, `qemu-aarch64 itself fails:\n${qemu.stdout}`);
    const compat = runCompat64([bin('proc-fork')], { root: '/', timeoutMs: 120_000 });
    assert.deepStrictEqual(summary(compat), summary(qemu), compat.stderr.toString().slice(0, 2000));
  });

  test('proc-creds: set*id/getres*id/setfs*id rules, groups, /proc status ids, dumpable, personality (= qemu)', (t) => {
    if (!requireQemu(t)) return;
    const qemu = runQemu([bin('proc-creds')], { env: { ...GUEST_ENV, SIG_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
    assert.match(qemu.stdout.toString(), /^ALL PASSED$/m, `qemu-aarch64 itself fails:\n${qemu.stdout}`);
    const compat = runCompat64([bin('proc-creds')], { root: '/', timeoutMs: 120_000 });
    assert.deepStrictEqual(summary(compat), summary(qemu), compat.stderr.toString().slice(0, 2000));
  });

  test('proc-exec: execve/execveat, #! scripts, errors, close-on-exec, signals across exec, de_thread', () => {
    const r = runCompat64([bin('proc-exec')], { root: '/', timeoutMs: 120_000 });
    const out = r.stdout.toString('latin1');
    assert.doesNotMatch(out, /^FAIL /m, out);
    assert.match(out, /^ALL PASSED$/m, `${out}\n${r.stderr.toString().slice(0, 2000)}`);
    assert.equal(r.status, 0);
  });
});
