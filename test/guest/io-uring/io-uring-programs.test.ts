/**
 * The io_uring guest programs (test/guest/io-uring/*.c, built into bin/). qemu-aarch64 has no
 * io_uring (io_uring_setup answers ENOSYS), so there is no reference run: the programs assert Linux
 * 6.1's values themselves and print PASS/FAIL lines and ALL PASSED.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { exitStatus, howEnded, type RunResult, repoRoot, runCompat64 } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'io-uring', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/io-uring\``);
  return path;
}

function assertAllPassed(r: RunResult, who: string): void {
  const out = r.stdout.toString();
  const failed = out.split('\n').filter((l) => l.startsWith('FAIL'));
  assert.deepEqual(failed, [], `${who}: failed checks\n${r.stderr.toString().slice(0, 2000)}`);
  assert.match(
    out,
    /^ALL PASSED$/m,
    `${who}: ${howEnded(r)}\n${out.slice(-2000)}\n${r.stderr.toString().slice(0, 2000)}`,
  );
  assert.equal(exitStatus(r), 0);
}

describe('io_uring guest programs', () => {
  test('uring-basic: setup, mmap, every opcode group, waits, links, drain, cancel, registration, probe, overflow', () => {
    const r = runCompat64([bin('uring-basic')], { timeoutMs: 120_000 });
    assertAllPassed(r, 'uring-basic');
    // Enough checks ran that a silently skipped section would show.
    const passes = r.stdout
      .toString()
      .split('\n')
      .filter((l) => l.startsWith('PASS')).length;
    assert.ok(passes >= 180, `only ${passes} checks passed`);
  });

  test('uring-threads: completions from other threads, a waiter thread, epoll on the ring, a ring shared with a child, exit with requests pending, prep errors and links', () => {
    assertAllPassed(runCompat64([bin('uring-threads')], { timeoutMs: 120_000 }), 'uring-threads');
  });

  test('uring-liburing: Debian liburing 2.3 (static) — init, probe, vectored and fixed I/O, poll, links, link timeout, cancel, messages, wait timeout', () => {
    assertAllPassed(runCompat64([bin('uring-liburing')], { timeoutMs: 120_000 }), 'uring-liburing');
  });
});
