/**
 * The /proc guest programs (test/guest/proc/*.c, built into test/guest/proc/bin). Each prints
 * PASS/FAIL/SKIP lines; under compat64 every check must pass. Each also runs under qemu-aarch64
 * with PROC_REFERENCE=qemu: there most of /proc is the host kernel's, so the checks that remain
 * (process states, zombies, fd links, fdinfo, formats) are verified against a real Linux.
 * Then Debian's busybox ps and top, which read /proc/<pid>/stat and status of every process.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import {
  debianRoot,
  exitStatus,
  GUEST_ENV,
  howEnded,
  type RunResult,
  repoRoot,
  requireBusybox,
  requireQemu,
  runCompat64,
  runQemu,
} from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'proc', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/proc\``);
  return path;
}

function scratch(t: TestContext): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'c64-proc-')));
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

const PROGRAMS: [string, (t: TestContext) => string[]][] = [
  ['proc-pid', (t) => [scratch(t)]],
  ['proc-threads', () => []],
  ['proc-self', () => ['first', 'second arg']],
];

describe('/proc guest programs', () => {
  for (const [name, args] of PROGRAMS) {
    test(`${name}: every check passes under compat64`, (t) => {
      assertAllPassed(runCompat64([bin(name), ...args(t)], { env: GUEST_ENV }), 'compat64');
    });
    test(`${name}: the Linux facts hold under qemu-aarch64 (the host kernel's /proc)`, (t) => {
      if (!requireQemu(t)) return;
      const r = runQemu([bin(name), ...args(t)], { env: { ...GUEST_ENV, PROC_REFERENCE: 'qemu' } });
      assertAllPassed(r, 'qemu-aarch64');
    });
  }
});

describe('busybox ps and top read every process', () => {
  test('ps -o: pid, ppid, pgid, sid, state, sizes and arguments of the shell, a background job and ps', (t) => {
    if (requireBusybox(t) === undefined) return;
    const script = 'busybox sleep 5 & busybox ps -o pid,ppid,pgid,sid,stat,nice,vsz,rss,comm,args; kill $!; wait';
    const r = runCompat64(['/bin/busybox', 'sh', '-c', script], { root: debianRoot, env: GUEST_ENV });
    assert.equal(exitStatus(r), 0, howEnded(r));
    const lines = r.stdout.toString().trimEnd().split('\n');
    assert.match(lines[0]!, /^PID\s+PPID\s+PGID\s+SID\s+STAT\s+NI\s+VSZ\s+RSS\s+COMMAND\s+COMMAND$/);
    const rows = lines.slice(1).map((l) => l.trim().split(/\s+/));
    assert.equal(rows.length, 3, lines.join('\n'));
    const [sh, sleep, ps] = rows as [string[], string[], string[]];
    // The shell is the first process; its children inherit its process group and session.
    assert.deepEqual(sh.slice(0, 5), ['1', '0', '1', '1', 'S']);
    assert.deepEqual(sleep.slice(1, 5), ['1', '1', '1', 'S']);
    assert.deepEqual(ps.slice(1, 5), ['1', '1', '1', 'R']);
    assert.deepEqual(sleep.slice(9), ['busybox', 'sleep', '5']);
    assert.deepEqual(ps.slice(9, 11), ['busybox', 'ps']);
    for (const row of rows) {
      assert.equal(row[5], '0', 'nice 0');
      assert.ok(Number(row[6]) > 0 && Number(row[7]) > 0, `VSZ and RSS of ${row.join(' ')}`);
      assert.equal(row[8], 'busybox', 'COMMAND is the comm');
    }
  });

  test('top -b: memory, CPU and load lines, and every process', (t) => {
    if (requireBusybox(t) === undefined) return;
    const r = runCompat64(['/bin/busybox', 'sh', '-c', 'busybox sleep 5 & busybox top -b -n 1; kill $!'], {
      root: debianRoot,
      env: GUEST_ENV,
    });
    const out = r.stdout.toString();
    assert.match(out, /^Mem: \d+K used, \d+K free, \d+K shrd, \d+K buff, \d+K cached$/m, out);
    assert.match(out, /^CPU:\s+\d+% usr\s+\d+% sys /m);
    assert.match(out, /^Load average: \d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+$/m);
    assert.match(out, /^\s+1\s+0 \S+\s+S\s+\d+ .*busybox sh -c/m);
    assert.match(out, /^\s+\d+\s+1 \S+\s+S\s+\d+ .*busybox sleep 5$/m);
    assert.match(out, /^\s+\d+\s+1 \S+\s+R\s+\d+ .*busybox top -b -n 1$/m);
  });
});
