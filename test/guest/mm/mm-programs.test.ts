/**
 * The memory-manager guest programs (test/guest/mm/*.c, built into test/guest/mm/bin). Each prints
 * PASS/FAIL/SKIP lines; under compat64 every check must pass. Each also runs under qemu-aarch64 with
 * MM_REFERENCE=qemu, which skips the checks qemu does not emulate as Linux does: the rest must pass
 * there too, which keeps the programs honest about Linux's behaviour. The fault programs must die
 * of the right signal under both.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import {
  exitStatus,
  GUEST_ENV,
  howEnded,
  repoRoot,
  requireQemu,
  type RunResult,
  runCompat64,
  runQemu,
  signalNumber,
} from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'mm', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/mm\``);
  return path;
}

function scratch(t: TestContext): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'c64-mm-')));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
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

const CHECK_PROGRAMS = [
  'mm-layout',
  'mm-layout-pie',
  'mm-calls',
  'mm-limits',
  'mm-shm',
  'mm-memfd',
  'mm-file',
  'mm-maps',
  'mm-stack',
  'mm-churn',
];

describe('memory-manager guest programs', () => {
  for (const name of CHECK_PROGRAMS) {
    test(`${name}: every check passes under compat64`, (t) => {
      assertAllPassed(runCompat64([bin(name), scratch(t)], { timeoutMs: 600_000 }), 'compat64');
    });
    test(`${name}: the checks qemu emulates pass under qemu-aarch64 (the reference)`, (t) => {
      if (!requireQemu(t)) return;
      const r = runQemu([bin(name), scratch(t)], { env: { ...GUEST_ENV, MM_REFERENCE: 'qemu' }, timeoutMs: 300_000 });
      assertAllPassed(r, 'qemu-aarch64');
    });
  }

  const faults: [string, NodeJS.Signals, RegExp][] = [
    ['fault-maperr', 'SIGSEGV', /si_code=SEGV_MAPERR, si_addr=0x12345678/],
    ['fault-accerr', 'SIGSEGV', /si_code=SEGV_ACCERR/],
    ['fault-sigbus', 'SIGBUS', /si_code=BUS_ADRERR/],
    ['fault-stack', 'SIGSEGV', /si_code=SEGV_MAPERR/],
  ];
  for (const [name, signal, code] of faults) {
    test(`${name}: the process dies of ${signal} with the right si_code, as under qemu-aarch64`, (t) => {
      const dir = scratch(t);
      const c = runCompat64([bin(name), dir], { strace: true });
      assert.equal(exitStatus(c), 128 + signalNumber(signal), howEnded(c));
      assert.match(c.stderr.toString(), code);
      if (!requireQemu(t)) return;
      const q = runQemu([bin(name), dir]);
      assert.equal(q.signal, signal, howEnded(q));
      assert.equal(c.stdout.toString(), q.stdout.toString());
    });
  }
});
