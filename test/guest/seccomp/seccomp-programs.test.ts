/**
 * The seccomp guest programs (test/guest/seccomp/*.c, built into test/guest/seccomp/bin). Each prints
 * PASS/FAIL lines and ALL PASSED; every check must pass under compat64. qemu-aarch64 has no seccomp
 * (it answers EINVAL), so there is no reference run: the programs check Linux's documented rules.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { exitStatus, howEnded, type RunResult, repoRoot, runCompat64 } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'seccomp', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/seccomp\``);
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

const PROGRAMS = [
  'seccomp-actions',
  'seccomp-compat',
  'seccomp-notify',
  'seccomp-tsync',
  'seccomp-trace',
  'seccomp-libseccomp',
];

describe('seccomp guest programs', () => {
  for (const name of PROGRAMS) {
    test(name, () => {
      assertAllPassed(runCompat64([bin(name)], { timeoutMs: 120_000 }), name);
    });
  }
});
