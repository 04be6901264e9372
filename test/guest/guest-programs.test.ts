/**
 * Differential tests: each guest program in test/guest/bin (built from test/guest/*.c) runs under
 * qemu-aarch64 and under compat64, and the two must agree byte for byte on stdout and on how the
 * process ended. The qemu run is also checked on its own (expected lines, all PASS), so a broken
 * program or harness shows up as a qemu failure rather than as a compat64 one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import {
  howEnded,
  type RunOptions,
  type RunResult,
  requireGuestBin,
  requireQemu,
  runCompat64,
  runQemu,
  signalNumber,
} from '../support/guest-run.js';

/** A fresh, empty scratch directory (canonical path, since files.c compares it with getcwd). */
function scratch(t: TestContext, label: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `c64-${label}-`)));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** How the CLI reports a run: its exit status, or the signal that killed compat64 itself (a bug). */
function cliEnding(r: RunResult): string {
  return r.signal || r.timedOut ? `compat64 itself ended: ${howEnded(r)}` : `exit ${r.status}`;
}

/** How qemu's run would look through the CLI: death by signal N becomes exit status 128 + N. */
function qemuEndingAsCli(r: RunResult): string {
  assert.ok(!r.timedOut, 'qemu-aarch64 timed out');
  return r.signal ? `exit ${128 + signalNumber(r.signal)}` : `exit ${r.status}`;
}

/** Asserts compat64 reproduced qemu's stdout and ending; compat64's stderr is attached on failure. */
function assertSameAsQemu(compat: RunResult, qemu: RunResult): void {
  const expected = { ending: qemuEndingAsCli(qemu), stdout: qemu.stdout.toString('latin1') };
  const actual = { ending: cliEnding(compat), stdout: compat.stdout.toString('latin1') };
  try {
    assert.deepStrictEqual(actual, expected);
  } catch (e) {
    if (e instanceof Error)
      e.message += `\n--- compat64 stderr (first 2000 bytes) ---\n${compat.stderr.toString().slice(0, 2000)}`;
    throw e;
  }
}

/** Runs PROG ARGS under both and compares; returns qemu's result for extra checks. */
function differential(args: string[], opts: RunOptions = {}): RunResult {
  const qemu = runQemu(args, opts);
  const compat = runCompat64(args, { root: '/', ...opts });
  assertSameAsQemu(compat, qemu);
  return qemu;
}

/** A program that prints PASS/FAIL lines must have printed some and no FAIL under qemu. */
function assertAllPass(qemu: RunResult): void {
  const out = qemu.stdout.toString();
  assert.match(out, /^PASS /m, 'no PASS lines under qemu-aarch64');
  assert.doesNotMatch(out, /^FAIL /m, 'a check fails under qemu-aarch64 itself');
  assert.equal(qemu.status, 0);
}

describe('guest programs: compat64 matches qemu-aarch64', () => {
  test('hello: printf reaches stdout and exit status 3 is reported', (t) => {
    if (!requireQemu(t)) return;
    const prog = requireGuestBin('hello');
    const qemu = runQemu([prog]);
    assert.equal(qemu.stdout.toString(), 'hello, world\n');
    assert.equal(qemu.status, 3);
    assertSameAsQemu(runCompat64([prog], { root: '/' }), qemu);
  });

  test('args: argv, environment and auxiliary vector are as execve builds them', (t) => {
    if (!requireQemu(t)) return;
    const prog = requireGuestBin('args');
    const env = { A: '1', B: 'two words', EMPTY: '', UNICODE: 'h\u00e9llo' };
    const qemu = differential([prog, 'x', 'y z', '', '-v', '--', 'last'], { env });
    const out = qemu.stdout.toString();
    assert.match(out, /^argc 7$/m);
    assert.match(out, /^argv\[2\] "y z"$/m);
    assert.match(out, /^envc 4$/m);
    assert.match(out, /^AT_PAGESZ 4096$/m);
    assert.ok(out.includes(`\nAT_EXECFN "${prog}"\n`), 'AT_EXECFN is the path given to execve');
    assertAllPass(qemu);
  });

  test('files: file, directory and descriptor system calls in a scratch directory', (t) => {
    if (!requireQemu(t)) return;
    const prog = requireGuestBin('files');
    // Each runner gets its own empty directory: the program expects to start from nothing.
    const qemu = runQemu([prog, scratch(t, 'files-q')]);
    assertAllPass(qemu);
    assertSameAsQemu(runCompat64([prog, scratch(t, 'files-c')], { root: '/' }), qemu);
  });

  test('mem: malloc, mmap (anonymous, file private/shared), mprotect, mremap, munmap, brk', (t) => {
    if (!requireQemu(t)) return;
    const prog = requireGuestBin('mem');
    const qemu = runQemu([prog, scratch(t, 'mem-q')]);
    assertAllPass(qemu);
    assertSameAsQemu(runCompat64([prog, scratch(t, 'mem-c')], { root: '/' }), qemu);
  });

  test('cpu: integer, bit, floating-point, libc and SIMD results are bit-exact', (t) => {
    if (!requireQemu(t)) return;
    const prog = requireGuestBin('cpu');
    const qemu = differential([prog], { timeoutMs: 300_000 });
    const out = qemu.stdout.toString();
    assert.equal(qemu.status, 0);
    assert.match(out, /^-9223372036854775808\/-1=-9223372036854775808 /m, 'sdiv INT64_MIN / -1 wraps');
    assert.match(out, /^mismatches 0 /m, 'memcpy/strlen self-check');
    assert.match(out, /^longjmp value 50 counter 2 fp 6 depth 50$/m);
    assert.match(out, /\ndone\n$/);
  });

  test('signals: a NULL write kills the guest with SIGSEGV (CLI exit status 139)', (t) => {
    if (!requireQemu(t)) return;
    const prog = requireGuestBin('signals');
    const cwd = scratch(t, 'signals'); // where a core file would go, should anything write one
    const qemu = runQemu([prog], { cwd });
    assert.equal(qemu.signal, 'SIGSEGV', `qemu-aarch64 ${howEnded(qemu)}`);
    assert.equal(qemu.stdout.toString(), 'before the fault\n');
    const compat = runCompat64([prog], { root: '/', cwd });
    assertSameAsQemu(compat, qemu);
    assert.equal(compat.status, 139);
  });

  test('time: clocks advance, nanosleep sleeps, uname says aarch64', (t) => {
    if (!requireQemu(t)) return;
    const prog = requireGuestBin('time');
    const qemu = differential([prog]);
    assertAllPass(qemu);
    assert.match(qemu.stdout.toString(), /^machine aarch64$/m);
  });
});
