/**
 * restart_syscall after SIGSTOP/SIGCONT (against qemu-aarch64, whose sleeps are the host kernel's),
 * and get_robust_list on another task (qemu-aarch64 has no get_robust_list: compat64 alone, against
 * Linux's rules). Programs in test/guest/restart/bin, built from the .c files beside this one.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GUEST_ENV, howEnded, repoRoot, requireQemu, runCompat64, runQemu } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'restart', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/restart\``);
  return path;
}

describe('restart_syscall after a stop and a continue', () => {
  test('nanosleep, clock_nanosleep and a futex wait keep their deadline; a SIGCONT handler makes EINTR', (t) => {
    if (!requireQemu(t)) return;
    const qemu = runQemu([bin('restart-stop')], { env: { ...GUEST_ENV, TTY_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
    const out = qemu.stdout.toString();
    assert.doesNotMatch(out, /^FAIL /m, `a check fails under qemu-aarch64 itself:\n${out}`);
    assert.equal(qemu.status, 0, `qemu-aarch64 ${howEnded(qemu)}`);
    const compat = runCompat64([bin('restart-stop')], { root: '/', timeoutMs: 60_000 });
    assert.deepStrictEqual(
      { ended: howEnded(compat), stdout: compat.stdout.toString() },
      { ended: howEnded(qemu), stdout: out },
      compat.stderr.toString().slice(0, 2000),
    );
  });
});

describe('get_robust_list of another task (compat64 alone)', () => {
  test('a sibling thread, a child, ESRCH, EFAULT, EPERM across users', () => {
    const r = runCompat64([bin('robust-other')], { root: '/', timeoutMs: 60_000 });
    const out = r.stdout.toString();
    assert.doesNotMatch(out, /^FAIL /m, out);
    assert.match(out, /^PASS a sibling thread: its own head$/m);
    assert.match(out, /^ALL PASSED$/m);
    assert.equal(howEnded(r), 'exit 0');
  });
});
