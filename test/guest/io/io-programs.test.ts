/**
 * I/O multiplexing against qemu-aarch64: each PASS/FAIL program in test/guest/io/bin (built from the
 * .c files beside this one) runs under both, and stdout and the exit status must be identical. The
 * qemu run gets IO_REFERENCE=qemu, which turns the few checks where qemu's own emulation differs
 * from Linux into plain PASS lines (check.h), and must pass on its own first.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { GUEST_ENV, howEnded, repoRoot, requireQemu, runCompat64, runQemu } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'io', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/io\``);
  return path;
}

function passFail(t: TestContext, name: string): void {
  if (!requireQemu(t)) return;
  const qemu = runQemu([bin(name)], { env: { ...GUEST_ENV, IO_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
  const out = qemu.stdout.toString();
  assert.match(out, /^PASS /m, 'no PASS lines under qemu-aarch64');
  assert.doesNotMatch(out, /^FAIL /m, `a check fails under qemu-aarch64 itself:\n${out}`);
  assert.equal(qemu.status, 0, `qemu-aarch64 ${howEnded(qemu)}`);
  const compat = runCompat64([bin(name)], { root: '/', timeoutMs: 120_000 });
  try {
    assert.deepStrictEqual(
      { ended: howEnded(compat), stdout: compat.stdout.toString() },
      { ended: howEnded(qemu), stdout: out },
    );
  } catch (e) {
    if (e instanceof Error) e.message += `\n--- compat64 stderr ---\n${compat.stderr.toString().slice(0, 2000)}`;
    throw e;
  }
}

describe('I/O multiplexing guest programs: compat64 matches qemu-aarch64', () => {
  test('io-pipe: pages and merging, PIPE_BUF, packets, F_SETPIPE_SZ, EPIPE and SIGPIPE', (t) => passFail(t, 'io-pipe'));
  test('io-eventfd: counter, semaphore, limits, poll bits, reads interrupted and restarted', (t) =>
    passFail(t, 'io-eventfd'));
  test('io-epoll: LT, ET, ONESHOT, ctl errors, EXCLUSIVE, nesting, lifetime, round-robin, timeouts, masks', (t) =>
    passFail(t, 'io-epoll'));
  test('io-poll: revents, timeouts and write-back, EINTR from interval timers, ppoll/pselect masks', (t) =>
    passFail(t, 'io-poll'));
  test('io-procs: pipes, poll, select and epoll between processes and threads', (t) => passFail(t, 'io-procs'));
});

describe('compat calls from a 64-bit task (qemu-aarch64 has none: compat64 alone, against Linux rules)', () => {
  test('io-compat: poll, _newselect, ppoll/pselect6 (time32 and time64), epoll and eventfd rows', () => {
    const r = runCompat64([bin('io-compat')], { root: '/', timeoutMs: 60_000 });
    const out = r.stdout.toString();
    assert.doesNotMatch(out, /^FAIL /m, out);
    assert.match(out, /^ALL PASSED$/m);
    assert.equal(howEnded(r), 'exit 0');
  });
});

describe('a lone task blocking on a pipe', () => {
  test('waits like Linux (no error, no exit) and says why on stderr', () => {
    const r = runCompat64([bin('io-lone')], { root: '/', timeoutMs: 3000 });
    assert.equal(r.timedOut, true, `it should still be waiting; it ${howEnded(r)}`);
    assert.equal(r.stdout.toString(), 'blocking\n');
    assert.match(r.stderr.toString(), /read blocks on a pipe that no other task can write to/);
  });
});
