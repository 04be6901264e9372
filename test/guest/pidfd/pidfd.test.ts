/**
 * pidfd guest programs (test/guest/pidfd/*.c, built into bin/). pidfd is compared with qemu-aarch64,
 * which passes the calls to the host kernel (Linux 6.1 facts that newer hosts changed are checked
 * under compat64 only, see check.h). pidfd-wait (waitid P_PIDFD, CLONE_PIDFD) checks Linux's rules
 * under compat64 only: qemu 7.2 refuses CLONE_PIDFD. It is a todo until the integrator wires
 * pidOfPidfd into waitid and installPidfd into clone (src/kernel/syscalls/sys-pidfd.ts).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GUEST_ENV, type RunResult, repoRoot, requireQemu, runCompat64, runQemu } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'pidfd', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/pidfd\``);
  return path;
}

function summary(r: RunResult): { status: number | null; stdout: string } {
  return { status: r.status, stdout: r.stdout.toString('latin1') };
}

function assertAllPassed(r: RunResult): void {
  const out = r.stdout.toString('latin1');
  assert.doesNotMatch(out, /^FAIL /m, out);
  assert.match(out, /^ALL PASSED$/m, `${out}\n${r.stderr.toString().slice(0, 2000)}`);
  assert.equal(r.status, 0);
}

describe('pidfd guest programs', () => {
  test('pidfd: pidfd_open, [pidfd] file, poll at exit, pidfd_send_signal, pidfd_getfd (= qemu)', (t) => {
    if (!requireQemu(t)) return;
    const qemu = runQemu([bin('pidfd')], { env: { ...GUEST_ENV, SIG_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
    assert.match(qemu.stdout.toString(), /^ALL PASSED$/m, `qemu-aarch64 itself fails:\n${qemu.stdout}`);
    const compat = runCompat64([bin('pidfd')], { timeoutMs: 120_000 });
    assert.deepStrictEqual(summary(compat), summary(qemu), compat.stderr.toString().slice(0, 2000));
  });

  test('pidfd-wait: waitid(P_PIDFD), CLONE_PIDFD in clone and clone3', () => {
    assertAllPassed(runCompat64([bin('pidfd-wait')], { timeoutMs: 120_000 }));
  });
});
