/**
 * splice, tee, vmsplice, the extended-attribute calls, FS_IOC_GETFLAGS/SETFLAGS and
 * process_madvise/process_mrelease. splice-pipes is compared with qemu-aarch64, which hands the
 * calls to the host kernel; splice-fs checks what compat64's own file systems answer (no xattr
 * support, tmpfs-like inode flags) and the pidfd calls, which the host's ext4 and qemu answer
 * differently, against Linux's rules written in the program. Each program prints PASS/FAIL lines.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GUEST_ENV, type RunResult, repoRoot, requireQemu, runCompat64, runQemu } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'splice', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/splice\``);
  return path;
}

function summary(r: RunResult): { status: number | null; stdout: string } {
  return { status: r.status, stdout: r.stdout.toString('latin1') };
}

describe('splice guest programs', () => {
  test('splice-pipes: splice/tee/vmsplice, blocking and errors, xattr answers of pipes and /proc (= qemu)', (t) => {
    if (!requireQemu(t)) return;
    const qemu = runQemu([bin('splice-pipes')], { env: { ...GUEST_ENV, SIG_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
    assert.match(qemu.stdout.toString(), /^ALL PASSED$/m, `qemu-aarch64 itself fails:\n${qemu.stdout}`);
    const compat = runCompat64([bin('splice-pipes')], { root: '/', timeoutMs: 120_000 });
    assert.deepStrictEqual(summary(compat), summary(qemu), compat.stderr.toString().slice(0, 2000));
  });

  test('splice-fs: no xattr support, tmpfs inode flags, process_madvise/process_mrelease by pidfd', () => {
    const r = runCompat64([bin('splice-fs')], { root: '/', timeoutMs: 120_000 });
    const out = r.stdout.toString('latin1');
    assert.doesNotMatch(out, /^FAIL /m, out);
    assert.match(out, /^ALL PASSED$/m, `${out}\n${r.stderr.toString().slice(0, 2000)}`);
    assert.equal(r.status, 0);
  });
});
