/**
 * System V message queues and semaphores (test/guest/sysv-ipc/*.c) against qemu-aarch64, which
 * runs them on the host kernel: both runs must print the same PASS lines. The few facts qemu does
 * not reproduce (msg_lrpid, MSG_STAT_ANY, a message lost to EFAULT) are checked under compat64 only
 * (check_linux in ../process/check.h).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GUEST_ENV, type RunResult, repoRoot, requireQemu, runCompat64, runQemu } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'sysv-ipc', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/sysv-ipc\``);
  return path;
}

function summary(r: RunResult): { status: number | null; stdout: string } {
  return { status: r.status, stdout: r.stdout.toString('latin1') };
}

function compare(name: string, t: Parameters<typeof requireQemu>[0]): void {
  const compat = runCompat64([bin(name)], { root: '/', timeoutMs: 120_000 });
  const out = compat.stdout.toString('latin1');
  assert.doesNotMatch(out, /^FAIL /m, `${out}\n${compat.stderr.toString().slice(0, 2000)}`);
  assert.match(out, /^ALL PASSED$/m, `${out}\n${compat.stderr.toString().slice(0, 2000)}`);
  if (!requireQemu(t)) return;
  const qemu = runQemu([bin(name)], { env: { ...GUEST_ENV, SIG_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
  assert.match(qemu.stdout.toString(), /^ALL PASSED$/m, `qemu-aarch64 itself fails:\n${qemu.stdout}`);
  assert.deepStrictEqual(summary(compat), summary(qemu));
}

describe('System V IPC guest programs', () => {
  test('sysv-msg: msgget/msgsnd/msgrcv/msgctl, blocking, EIDRM, EINTR, permissions (= qemu)', (t) => {
    compare('sysv-msg', t);
  });

  test('sysv-sem: semget/semop/semtimedop/semctl, blocking, SEM_UNDO, EIDRM, EINTR (= qemu)', (t) => {
    compare('sysv-sem', t);
  });
});
