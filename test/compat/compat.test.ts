/**
 * Runs the compat-ABI conformance suite (test/compat/bin, built from test/compat/*.c) under compat64.
 * qemu-aarch64 does not implement the series, so values are compared with what the specification
 * says (each program asserts them and prints PASS/FAIL/SKIP lines), not with qemu; qemu serves only
 * as a real "kernel without the series" for the feature-detection program.
 *
 * Every program must end with its summary line, print no FAIL line except the known deviations
 * below (each must still fail, so a fix is noticed), and skip only what the allowed skips name.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { compat64Cli, GUEST_ENV, repoRoot, requireQemu, runQemu } from '../support/guest-run.js';

/** Checks that fail today because shared arm64 code deviates from Linux; the reason names the place. */
const KNOWN_DEVIATIONS: Readonly<Record<string, string>> = {
  'pairs.preadv2_flags_in_r5':
    'arm64 preadv2 answers unknown RWF_* flags with EINVAL; Linux says EOPNOTSUPP (sys-fs-io.ts rwfPos)',
};

/** Checks a program may skip, and why (what compat64 lacks so far). */
const ALLOWED_SKIPS: Readonly<Record<string, string>> = {
  'shmat.below_4g': 'SysV shm is not in the arm64 table yet',
  'restart.sa_restart_reissued': 'no setitimer yet to interrupt a blocking call',
  'restart.read_eintr_zero_extended': 'no setitimer yet to interrupt a blocking call',
  'restart.reissued_as_compat': 'no setitimer yet to interrupt a blocking call',
  'adjtimex.set_needs_cap_sys_time': 'runs as root: the check would change the clock on a real kernel',
  'tty.tcgets': 'the suite runs with stdin from a pipe, not a terminal',
};

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'compat', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/compat\``);
  return path;
}

/** `node dist/compat64.cjs run FLAGS -- PROG ARGS` in a scratch directory. */
function compat64(t: TestContext, flags: readonly string[], prog: string, args: readonly string[] = []): Run {
  const cwd = mkdtempSync(join(tmpdir(), 'c64-compat-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const r = spawnSync(process.execPath, [compat64Cli, 'run', ...flags, '--', bin(prog), ...args], {
    cwd,
    env: { ...GUEST_ENV },
    input: '',
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

interface Report {
  passed: string[];
  failed: Map<string, string>;
  skipped: string[];
  info: string[];
}

function parse(out: string): Report {
  const report: Report = { passed: [], failed: new Map(), skipped: [], info: [] };
  for (const line of out.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^PASS (\S+)$/.exec(line))) report.passed.push(m[1]!);
    else if ((m = /^FAIL (\S+): (.*)$/.exec(line))) report.failed.set(m[1]!, m[2]!);
    else if ((m = /^SKIP (\S+): /.exec(line))) report.skipped.push(m[1]!);
    else if (line.startsWith('INFO ')) report.info.push(line.slice(5));
  }
  return report;
}

/** Asserts the suite's rules for one run and returns its report. */
function assertConforms(r: Run): Report {
  const detail = `\n--- stdout ---\n${r.stdout}\n--- stderr (first 2000 bytes) ---\n${r.stderr.slice(0, 2000)}`;
  const report = parse(r.stdout);
  const summary = /^(\d+) passed, (\d+) failed$/m.exec(r.stdout);
  assert.ok(summary, `no summary line: the program did not finish${detail}`);
  assert.equal(Number(summary[1]), report.passed.length, `summary disagrees with the PASS lines${detail}`);
  for (const [name, why] of report.failed) {
    assert.ok(name in KNOWN_DEVIATIONS, `FAIL ${name}: ${why}${detail}`);
  }
  for (const name of report.skipped) assert.ok(name in ALLOWED_SKIPS, `unexpected SKIP ${name}${detail}`);
  const expectedStatus = report.failed.size > 0 ? 1 : 0;
  assert.equal(r.status, expectedStatus, `exit status${detail}`);
  assert.ok(report.passed.length > 0, `no PASS lines${detail}`);
  return report;
}

/** A known deviation must not pass (it fails, or is skipped where its prerequisite is missing): remove it once fixed. */
function assertDeviationsStillFail(report: Report, prefix: string): void {
  for (const name of Object.keys(KNOWN_DEVIATIONS)) {
    if (!name.startsWith(`${prefix}.`)) continue;
    assert.ok(!report.passed.includes(name), `${name} passes now: remove it from KNOWN_DEVIATIONS`);
  }
}

describe('compat-ABI conformance suite under compat64', () => {
  // Every program in bin/ without arguments, except those run with arguments or checked below.
  const special = new Set(['feature', 'mmap2']);
  for (const prog of readdirSync(join(repoRoot, 'test', 'compat', 'bin')).sort()) {
    if (special.has(prog)) continue;
    test(prog, (t) => {
      const report = assertConforms(compat64(t, [], prog));
      assertDeviationsStillFail(report, prog);
    });
  }

  test('feature detection: compat getpid answers with the series, 64-bit -ENOSYS without it', (t) => {
    const present = compat64(t, [], 'feature', ['present']);
    assertConforms(present);
    assert.match(present.stdout, /^compat syscalls: present$/m);
    const absent = compat64(t, ['--no-compat-syscalls'], 'feature', ['absent']);
    assertConforms(absent);
    assert.match(absent.stdout, /^compat syscalls: absent$/m);
  });

  test('feature detection on qemu-aarch64, a real kernel ABI without the series', (t) => {
    if (!requireQemu(t)) return;
    const r = runQemu([bin('feature'), 'absent']);
    assert.equal(r.status, 0, r.stdout.toString());
    assert.match(r.stdout.toString(), /^compat syscalls: absent$/m);
    assert.doesNotMatch(r.stdout.toString(), /^FAIL /m);
  });

  test('mmap2: placement below 4 GiB, in the compat base range, randomised per exec by the seed', (t) => {
    const base = (seed: number): number => {
      const report = assertConforms(compat64(t, ['--seed', String(seed)], 'mmap2'));
      const line = report.info.find((l) => l.startsWith('compat_base '));
      assert.ok(line, 'no compat_base line');
      return Number(line.split(' ')[1]);
    };
    const a = base(1);
    const b = base(2);
    for (const v of [a, b]) assert.ok(v >= 0xf7ff0000 - 0x7ff * 4096 && v <= 0xf7ff0000, `base 0x${v.toString(16)}`);
    assert.notEqual(a, b, 'two seeds gave the same mmap_compat_base');
    assert.equal(base(1), a, 'the same seed gave another mmap_compat_base');
  });

  test('--strace names compat calls from the AArch32 table, pairs joined, with personality notices', (t) => {
    const r = compat64(t, ['--strace'], 'pairs');
    assertConforms(r);
    const lines = r.stderr.split('\n');
    const at = lines.findIndex((l) => l.startsWith('ftruncate64('));
    assert.ok(at > 0, r.stderr.slice(0, 3000));
    assert.match(lines[at]!, /^ftruncate64\(3, 4886716416\) += {1,2}0$/);
    assert.ok(lines.slice(0, at).includes('[ Process PID=1 runs in 32 bit mode. ]'));
    assert.ok(lines.some((l) => /^_llseek\(3, 4294967312, 0x[0-9a-f]+, SEEK_SET\) += 0$/.test(l)));
    assert.ok(lines.some((l) => /^arm_fadvise64_64\(3, 3, 4294967312, 4096\) += 0$/.test(l)));
    assert.ok(lines.includes('[ Process PID=1 runs in 64 bit mode. ]'));
  });

  test('examples/compat-mix runs with the series and falls back without it', (t) => {
    const run = (flags: string[]) => {
      const r = spawnSync(
        process.execPath,
        [compat64Cli, 'run', ...flags, '--', join(repoRoot, 'examples', 'compat-mix')],
        {
          cwd: repoRoot,
          env: { ...GUEST_ENV },
          input: '',
          timeout: 120_000,
        },
      );
      assert.equal(r.status, 0, r.stderr.toString());
      return r.stdout.toString();
    };
    const out = run([]);
    assert.match(out, /^native getpid\(\) = 1, compat getpid \(AArch32 nr 20\) = 1$/m);
    assert.match(out, /^compat write\(1, \.\.\.\): hello from the AArch32 table$/m);
    const low = /^compat mmap2 -> 0x([0-9a-f]{8}) /m.exec(out);
    assert.ok(low && Number.parseInt(low[1]!, 16) < 0xfffff000, out);
    assert.match(out, /^compat close\(-1\): x0 = 0x00000000fffffff7 \(compat_syscall\(\) gives -9\)$/m);
    const stat = /^compat stat64 = 0: st_size (\d+), st_ino (\d+) \(native stat: (\d+), (\d+)\)$/m.exec(out);
    assert.ok(stat && stat[1] === stat[3] && stat[2] === stat[4], out);
    t.diagnostic(out);
    assert.match(run(['--no-compat-syscalls']), /^no compat syscalls here: .*0xffffffffffffffda/m);
  });

  for (const nr of [119, 173]) {
    for (const mode of ['fatal', 'blocked']) {
      test(`compat ${nr === 119 ? 'sigreturn' : 'rt_sigreturn'} (${nr}) without a handler, SIGSEGV ${mode === 'blocked' ? 'blocked' : 'default'}: death by SIGSEGV`, (t) => {
        const r = compat64(t, [], 'signals', [mode, String(nr)]);
        assert.match(r.stdout, new RegExp(`^INFO calling compat ${nr}$`, 'm'));
        assert.doesNotMatch(r.stdout, /^FAIL /m);
        // The CLI reports death by signal N as exit status 128 + N.
        assert.equal(r.status, 128 + 11, r.stderr);
      });
    }
  }
});
