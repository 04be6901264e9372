/**
 * Namespace-related guest programs (test/guest/ns/*.c, built into bin/).
 * - ns-misc core (chroot, unshare of the non-namespace flags, setns errors, kcmp) is compared with
 *   qemu-aarch64, which passes these calls to the host kernel.
 * - ns-openat2 checks Linux's rules under compat64 only: qemu 7.2 has no openat2. (The same source
 *   built for the host passes on a Linux host kernel: `gcc -pthread ns-openat2.c`.)
 * - ns-misc nons and uts are compat64's own answers: a kernel without namespaces (a host kernel has
 *   them) and sethostname/setdomainname (which would rename a real host).
 * - ns-misc view needs the integrator's hooks (uname and /proc/sys from sys-uts.ts, getcwd and
 *   /proc/<pid>/root from fs-root.ts): a todo until they land.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GUEST_ENV, type RunResult, repoRoot, requireQemu, runCompat64, runQemu } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'ns', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/ns\``);
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

describe('namespace-related guest programs', () => {
  test('ns-misc core: chroot, unshare, setns errors, kcmp (= qemu)', (t) => {
    if (!requireQemu(t)) return;
    const args = [bin('ns-misc'), 'core'];
    const qemu = runQemu(args, { env: { ...GUEST_ENV, SIG_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
    assert.match(qemu.stdout.toString(), /^ALL PASSED$/m, `qemu-aarch64 itself fails:\n${qemu.stdout}`);
    const compat = runCompat64(args, { timeoutMs: 120_000 });
    assert.deepStrictEqual(summary(compat), summary(qemu), compat.stderr.toString().slice(0, 2000));
  });

  test('ns-openat2: open_how sizes and flags, RESOLVE_* lookups', () => {
    assertAllPassed(runCompat64([bin('ns-openat2')], { timeoutMs: 120_000 }));
  });

  test('ns-misc nons: unshare/setns as a kernel without namespaces', () => {
    assertAllPassed(runCompat64([bin('ns-misc'), 'nons'], { timeoutMs: 120_000 }));
  });

  test('ns-misc uts: sethostname/setdomainname rules', () => {
    assertAllPassed(runCompat64([bin('ns-misc'), 'uts'], { timeoutMs: 120_000 }));
  });

  test('ns-misc view: uname, /proc/sys, getcwd and /proc/self/root', () => {
    assertAllPassed(runCompat64([bin('ns-misc'), 'view'], { timeoutMs: 120_000 }));
  });
});
