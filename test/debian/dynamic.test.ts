/**
 * Unmodified, dynamically linked Debian arm64 programs (fetched into debian/root by
 * `npm run fetch-debian`: tools/debian-packages.txt lists them) run under compat64 with
 * `--root debian/root`, loaded by glibc's ld-linux-aarch64.so.1 from that root. Shell scripts fork
 * and exec other Debian programs, which qemu-aarch64 cannot follow here (an arm64 exec needs
 * binfmt_misc), so expected outputs are written out; programs that run in one process are also
 * compared with qemu-aarch64 -L debian/root.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { debianRoot, GUEST_ENV, requireQemu, runCompat64, runQemu } from '../support/guest-run.js';

const ENV = { ...GUEST_ENV, PATH: '/usr/bin:/bin', LC_ALL: 'C' };

/** The root holds the dynamic programs, or the test skips (locally) / fails (under CI). */
function needRoot(t: TestContext): boolean {
  if (existsSync(join(debianRoot, 'bin', 'bash')) && existsSync(join(debianRoot, 'usr', 'bin', 'python3.11')))
    return true;
  if (process.env.CI === 'true') assert.fail('debian/root lacks the dynamic programs: run npm run fetch-debian');
  t.skip('debian/root lacks the dynamic programs (npm run fetch-debian)');
  return false;
}

function run(args: string[], stdin = '', timeoutMs = 120_000): string {
  const r = runCompat64(args, { root: debianRoot, env: ENV, stdin, timeoutMs });
  assert.equal(r.timedOut, false, `timed out: ${args.join(' ')}`);
  assert.equal(r.status, 0, `${args.join(' ')} → ${r.status}\n${r.stderr.toString().slice(0, 2000)}`);
  return r.stdout.toString('latin1');
}

function bash(script: string, stdin = ''): string {
  return run(['/bin/bash', '-c', script], stdin);
}

/** The program's stdout under qemu-aarch64 (same environment); compat64 must print the same. */
function sameAsQemu(t: TestContext, args: string[], stdin = ''): void {
  if (!requireQemu(t)) return;
  // qemu opens the program by its host path; -L makes it find the interpreter and libraries.
  const q = runQemu([join(debianRoot, args[0]!), ...args.slice(1)], {
    root: debianRoot,
    env: ENV,
    stdin,
    timeoutMs: 120_000,
  });
  assert.equal(q.status, 0, `qemu: ${q.stderr.toString().slice(0, 500)}`);
  assert.equal(run(args, stdin), q.stdout.toString('latin1'));
}

describe('dynamic Debian programs', () => {
  test('bash: pipelines, subshells, command substitution, traps, background jobs and wait', (t) => {
    if (!needRoot(t)) return;
    const out = bash(
      [
        'printf "b\\na\\nb\\nc\\n" | sort | uniq -c | tr -s " "',
        'x=$(seq 1 100 | wc -l); echo "lines $x"',
        '(exit 3); echo "subshell $?"',
        'trap "echo trapped USR1" USR1; kill -USR1 $$',
        'sleep 0.2 & p=$!; wait $p; echo "waited $?"',
        '(sleep 0.1; exit 7) & wait $!; echo "job $?"',
        'f() { local v=$1; echo "f $((v * 6))"; }; f 7',
        'echo abc | sha256sum',
        'date -u -d @0 +%Y-%m-%dT%H:%M:%S',
        'expr 6 \\* 7',
        'trap "echo bye" EXIT',
      ].join('\n'),
    );
    assert.equal(
      out,
      [
        ' 1 a',
        ' 2 b',
        ' 1 c',
        'lines 100',
        'subshell 3',
        'trapped USR1',
        'waited 0',
        'job 7',
        'f 42',
        'edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb  -',
        '1970-01-01T00:00:00',
        '42',
        'bye',
        '',
      ].join('\n'),
    );
  });

  test('grep, sed and gawk on a pipeline', (t) => {
    if (!needRoot(t)) return;
    const out = bash(
      'seq 1 30 | grep -E "^(1|2)[05]$" | sed "s/^/n=/" | gawk -F= \'{ s += $2; print } END { printf "sum %d\\n", s }\'',
    );
    assert.equal(out, 'n=10\nn=15\nn=20\nn=25\nsum 70\n');
  });

  test('python3 -c with json, re, hashlib and threading', (t) => {
    if (!needRoot(t)) return;
    const out = run(
      [
        '/usr/bin/python3.11',
        '-c',
        [
          'import json, re, hashlib, threading',
          'print(json.dumps({"a": [1, 2], "b": None}, sort_keys=True))',
          'print(re.sub(r"(\\d+)", lambda m: str(int(m.group(1)) * 2), "x1 y20 z300"))',
          'print(hashlib.sha256(b"abc").hexdigest())',
          'out = []',
          'ts = [threading.Thread(target=lambda i=i: out.append(i * i)) for i in range(4)]',
          '[t.start() for t in ts]; [t.join() for t in ts]',
          'print(sorted(out))',
        ].join('\n'),
      ],
      '',
      600_000,
    );
    assert.equal(
      out,
      '{"a": [1, 2], "b": null}\nx2 y40 z600\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n[0, 1, 4, 9]\n',
    );
  });

  test('lua5.4 (= qemu)', (t) => {
    if (!needRoot(t)) return;
    sameAsQemu(t, [
      '/usr/bin/lua5.4',
      '-e',
      'local t = {} for i = 1, 10 do t[#t + 1] = i * i end print(table.concat(t, ","), _VERSION, 7 // 2, 2^10)',
    ]);
  });

  test('sqlite3: create, insert and query a database file', (t) => {
    if (!needRoot(t)) return;
    const dir = join(debianRoot, 'tmp');
    mkdirSync(dir, { recursive: true });
    const db = join(dir, `compat64-test-${process.pid}.db`);
    rmSync(db, { force: true });
    try {
      const guestDb = `/tmp/compat64-test-${process.pid}.db`;
      run([
        '/usr/bin/sqlite3',
        guestDb,
        'create table t(a integer, b text); insert into t values (1, "x"), (2, "y"), (3, "z");',
      ]);
      const out = run([
        '/usr/bin/sqlite3',
        guestDb,
        'select count(*), sum(a), group_concat(b, "-") from t where a > 1;',
      ]);
      assert.equal(out, '2|5|y-z\n');
    } finally {
      rmSync(db, { force: true });
    }
  });

  test('xz -T2 and zstd -T2 round trips through pipes (threads compress in parallel)', (t) => {
    if (!needRoot(t)) return;
    const out = bash(
      'want=$(seq 1 30000 | sha256sum); ' +
        '[ "$(seq 1 30000 | xz -T2 -3 -c | xz -d -c | sha256sum)" = "$want" ] && echo xz-ok; ' +
        '[ "$(seq 1 30000 | zstd -q -T2 -c | zstd -q -d -c | sha256sum)" = "$want" ] && echo zstd-ok',
    );
    assert.equal(out, 'xz-ok\nzstd-ok\n');
  });
});
