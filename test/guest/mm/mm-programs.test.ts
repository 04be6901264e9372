/**
 * The memory-manager guest programs (test/guest/mm/*.c, built into test/guest/mm/bin). Each prints
 * PASS/FAIL/SKIP lines; under compat64 every check must pass. Each also runs under qemu-aarch64 with
 * MM_REFERENCE=qemu, which skips the checks qemu does not emulate as Linux does: the rest must pass
 * there too, which keeps the programs honest about Linux's behaviour. The fault programs must die
 * of the right signal under both.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import {
  compat64Cli,
  exitStatus,
  GUEST_ENV,
  howEnded,
  type RunResult,
  repoRoot,
  requireQemu,
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

/** Runs compat64 with extra options (--memory-cap, --hugepages) before the program. */
function runWithOptions(options: string[], args: string[]): RunResult {
  const r = spawnSync(process.execPath, [compat64Cli, 'run', ...options, '--', ...args], {
    env: { ...GUEST_ENV },
    timeout: 300_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, timedOut: false };
}

const CHECK_PROGRAMS = [
  'mm-layout',
  'mm-layout-pie',
  'mm-calls',
  'mm-limits',
  'mm-shm',
  'mm-memfd',
  'mm-seals',
  'mm-anon-name',
  'mm-hugetlbfs',
  'mm-file',
  'mm-maps',
  'mm-stack',
  'mm-exec-stack',
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

  test('mm-memcap: a guest touching more than --memory-cap is SIGKILLed with one line on stderr', (t) => {
    const r = runWithOptions(['--memory-cap', '32M'], [bin('mm-memcap'), '32']);
    const out = r.stdout.toString();
    const err = r.stderr.toString();
    assert.equal(exitStatus(r), 128 + signalNumber('SIGKILL'), `${howEnded(r)}\n${err.slice(0, 2000)}`);
    assert.deepEqual(
      out.split('\n').filter((l) => l.startsWith('FAIL')),
      [],
    );
    assert.match(out, /^touching$/m);
    const pid = /^pid (\d+)$/m.exec(out)?.[1];
    assert.ok(pid !== undefined, out.slice(0, 500));
    assert.equal(err, `compat64: out of emulated memory (cap 32 MiB); killing pid ${pid}\n`);
    const touched = [...out.matchAll(/^touched (\d+) MiB$/gm)].map((m) => Number(m[1]));
    assert.ok(touched.length > 16 && touched.at(-1)! < 32, `touched ${touched.at(-1)} MiB of a 32 MiB cap`);
    assert.doesNotMatch(out, /touched everything/);
    if (!requireQemu(t)) return;
    // The reference: without a cap the program touches everything and passes its checks, except
    // the ones about the emulated machine's size (qemu's host has more memory than twice 32 MiB).
    const q = runQemu([bin('mm-memcap'), '32'], {
      env: { ...GUEST_ENV, MM_REFERENCE: 'qemu' },
      timeoutMs: 300_000,
    });
    assert.match(q.stdout.toString(), /^touched everything$/m, howEnded(q));
    assertAllPassed(q, 'qemu-aarch64');
  });

  test('mm-memcap fork: only the child that touches too much is killed; its memory comes back to the parent', () => {
    const r = runWithOptions(['--memory-cap', '32M'], [bin('mm-memcap'), '32', 'fork']);
    assertAllPassed(r, 'compat64');
    const child = /^child (\d+)$/m.exec(r.stdout.toString())?.[1];
    assert.equal(r.stderr.toString(), `compat64: out of emulated memory (cap 32 MiB); killing pid ${child}\n`);
  });

  test('mm-hugetlbfs with --hugepages 3: the pool has three huge pages', (t) => {
    assertAllPassed(runWithOptions(['--hugepages', '3'], [bin('mm-hugetlbfs'), scratch(t), '3']), 'compat64');
  });

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
