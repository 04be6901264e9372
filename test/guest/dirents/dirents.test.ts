/**
 * Native directory positions (compat-abi.md §7): dirents-native lists a directory of 500 files
 * through glibc's readdir, and the order must be qemu-aarch64's (the host's: compat64 keeps it);
 * then, under compat64 only, it checks that positions are ext4 dir_index hash cookies (d_off above
 * 2^32, the end 0x7fffffffffffffff) and that telldir/seekdir/rewinddir round trips work. The host
 * file system's own cookies differ, so the cookie checks are not run under qemu.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { GUEST_ENV, repoRoot, requireQemu, runCompat64, runQemu } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'dirents', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/dirents\``);
  return path;
}

/** A scratch directory with f000 … f499. */
function fiveHundred(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'c64-dirents-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (let i = 0; i < 500; i++) writeFileSync(join(dir, `f${String(i).padStart(3, '0')}`), '');
  return dir;
}

describe('directory positions (native)', () => {
  test('readdir order of 500 files is the host order, as under qemu-aarch64', (t) => {
    if (!requireQemu(t)) return;
    const dir = fiveHundred(t);
    const qemu = runQemu([bin('dirents-native'), 'list', dir], { env: { ...GUEST_ENV }, timeoutMs: 60_000 });
    const ours = runCompat64([bin('dirents-native'), 'list', dir], { root: '/', timeoutMs: 120_000 });
    const names = (out: Buffer) => out.toString('latin1').split('\n');
    assert.match(qemu.stdout.toString(), /^ALL LISTED$/m);
    assert.equal(names(qemu.stdout).length, 504, 'qemu lists ".", "..", 500 names and the end line');
    assert.deepStrictEqual(names(ours.stdout), names(qemu.stdout), ours.stderr.toString().slice(0, 2000));
  });

  test('ext4-like cookies; telldir/seekdir/rewinddir round trips over 500 entries', (t) => {
    const dir = fiveHundred(t);
    const r = runCompat64([bin('dirents-native'), 'check', dir], { root: '/', timeoutMs: 120_000 });
    const out = r.stdout.toString('latin1');
    assert.doesNotMatch(out, /^FAIL /m, out);
    assert.match(out, /^PASS getdents64\.last_d_off_eof$/m, out);
    assert.match(out, /^PASS seekdir\.round_trip_every_entry$/m, out);
    assert.match(out, /^ALL PASSED$/m, `${out}\n${r.stderr.toString().slice(0, 2000)}`);
    assert.equal(r.status, 0);
  });
});
