/**
 * POSIX message queue guest programs (test/guest/mqueue/*.c, built into bin/). mq-basic uses only
 * what qemu-aarch64 passes to the host kernel and must print exactly what qemu prints; mq-linux
 * checks what qemu cannot show (mq_notify is ENOSYS there, raw names are mangled) against Linux's
 * rules, which the program itself states (it passes when built natively on a Linux host too).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GUEST_ENV, type RunResult, repoRoot, requireQemu, runCompat64, runQemu } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'mqueue', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/mqueue\``);
  return path;
}

function summary(r: RunResult): { status: number | null; stdout: string } {
  return { status: r.status, stdout: r.stdout.toString('latin1') };
}

describe('mqueue guest programs', () => {
  test('mq-basic: priorities, attributes, errors, the fd, poll/epoll, blocking, timeouts, signals (= qemu)', (t) => {
    if (!requireQemu(t)) return;
    const qemu = runQemu([bin('mq-basic')], { env: GUEST_ENV, timeoutMs: 60_000 });
    assert.match(qemu.stdout.toString(), /^ALL PASSED$/m, `qemu-aarch64 itself fails:\n${qemu.stdout}`);
    const compat = runCompat64([bin('mq-basic')], { root: '/', timeoutMs: 120_000 });
    assert.deepStrictEqual(summary(compat), summary(qemu), compat.stderr.toString().slice(0, 2000));
  });

  test('mq-linux: raw names, access mode 3, queues_max, mq_notify (SIGEV_SIGNAL/NONE/THREAD errors)', () => {
    const r = runCompat64([bin('mq-linux')], { root: '/', timeoutMs: 120_000 });
    const out = r.stdout.toString('latin1');
    assert.doesNotMatch(out, /^FAIL /m, out);
    assert.match(out, /^ALL PASSED$/m, `${out}\n${r.stderr.toString().slice(0, 2000)}`);
    assert.equal(r.status, 0);
  });
});
