/**
 * Terminals and stdin against qemu-aarch64. Job control and keyboard signals run on a
 * pseudo-terminal (pty-run.py: a new session whose controlling terminal is the pty, input typed on
 * cue); the stdin test feeds a pipe on cue. Programs in test/guest/tty/bin, built from the .c files
 * beside this one.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import {
  compat64Command,
  debianRoot,
  GUEST_ENV,
  inCI,
  qemuCommand,
  repoRoot,
  requireQemu,
  runCompat64,
  runQemu,
} from '../../support/guest-run.js';

const here = join(repoRoot, 'test', 'guest', 'tty');

function bin(name: string): string {
  const path = join(here, 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/tty\``);
  return path;
}

/** Python 3 runs the pty driver; a missing one skips locally and fails under CI. */
function requirePython(t: TestContext): boolean {
  if (spawnSync('python3', ['--version']).status === 0) return true;
  if (inCI) assert.fail('python3 is needed for the terminal tests');
  t.skip('python3 not installed');
  return false;
}

interface PtyResult {
  status: number | null;
  out: string;
}

/** Runs a command on a new pty; sends: [marker, hex bytes] typed once the marker has been printed. */
function onPty(
  command: { file: string; args: string[] },
  sends: [string, string][],
  env: NodeJS.ProcessEnv,
): PtyResult {
  const args = [join(here, 'pty-run.py'), '--timeout', '60'];
  for (const [marker, hex] of sends) args.push('--send', marker, hex);
  args.push('--', command.file, ...command.args);
  const r = spawnSync('python3', args, { env, timeout: 90_000, killSignal: 'SIGKILL' });
  return { status: r.status, out: r.stdout.toString() };
}

function bothOnPty(t: TestContext, name: string, sends: [string, string][]): void {
  if (!requireQemu(t) || !requirePython(t)) return;
  const qemu = onPty(qemuCommand([bin(name)]), sends, { ...GUEST_ENV, TTY_REFERENCE: 'qemu' });
  assert.doesNotMatch(qemu.out, /^FAIL /m, `a check fails under qemu-aarch64 itself:\n${qemu.out}`);
  assert.match(qemu.out, /^ALL PASSED$/m, qemu.out);
  assert.equal(qemu.status, 0);
  const compat = onPty(compat64Command([bin(name)], { root: '/' }), sends, { ...GUEST_ENV });
  assert.deepStrictEqual(compat, qemu);
}

describe('job control on the controlling terminal (a pty), compat64 vs qemu-aarch64', () => {
  test('tty-jobctl: TIOCGPGRP/TIOCSPGRP/TIOCGSID, SIGTTOU/SIGTTIN/EIO, TOSTOP, TIOCNOTTY, TIOCSCTTY, setsid', (t) =>
    bothOnPty(t, 'tty-jobctl', []));
  test('tty-isig: ^C, ^\\ and ^Z in canonical and raw modes, SA_RESTART, ISIG off', (t) =>
    bothOnPty(t, 'tty-isig', [
      ['READY-INT-COOKED', '03'],
      ['READY-INT-RAW', '03'],
      ['READY-INT-RESTART', '036b'],
      ['READY-QUIT', '1c'],
      ['READY-NOISIG', '03'],
      ['READY-TSTP-COOKED', '1a'],
      ['READY-TSTP-RAW', '1a'],
    ]));
});

/** Typed text as the hex pty-run.py takes. */
function keys(text: string): string {
  return Buffer.from(text, 'latin1').toString('hex');
}

describe('bash -i job control on a pty (debian/root), compat64 vs qemu-aarch64', () => {
  test('sleep &, jobs, kill %1, ^Z of a foreground job, bg, fg, ^C', (t) => {
    if (!requireQemu(t) || !requirePython(t)) return;
    if (!existsSync(join(debianRoot, 'bin', 'bash'))) {
      if (inCI) assert.fail('debian/root missing: npm run fetch-debian');
      t.skip('debian/root missing (npm run fetch-debian)');
      return;
    }
    const prompt = 'P> ';
    const sends: [string, string][] = [
      [prompt, keys('sleep 5 &\n')],
      [prompt, keys('jobs\n')],
      // The pause lets the killed job be reaped before the prompt under both (bash reports it then).
      [prompt, keys('kill %1; sleep 1\n')],
      [prompt, keys('sleep 10\n')],
      ['sleep 10', '1a'],
      [prompt, keys('bg\n')],
      [prompt, keys('jobs; fg\n')],
      ['sleep 10', '03'],
      [prompt, keys('echo done $?; exit\n')],
    ];
    const env = { PATH: '/usr/bin:/bin', HOME: '/', TERM: 'dumb', LC_ALL: 'C', PS1: prompt };
    const args = ['--norc', '--noprofile', '-i'];
    const qemu = onPty(qemuCommand([join(debianRoot, 'bin', 'bash'), ...args], { root: debianRoot }), sends, env);
    const compat = onPty(compat64Command(['/bin/bash', ...args], { root: debianRoot }), sends, env);
    // Process ids differ (compat64's start at 1).
    const norm = (r: PtyResult): PtyResult => ({ status: r.status, out: r.out.replace(/^(\[\d+\]) \d+$/gm, '$1 PID') });
    assert.match(qemu.out, /Stopped +sleep 10/, qemu.out);
    assert.match(qemu.out, /^done 130$/m, qemu.out);
    assert.deepStrictEqual(norm(compat), norm(qemu));
  });
});

describe('compat64 as a job of an interactive host shell (host bash -i on a pty)', () => {
  test('^Z stops the emulator when the guest cannot stop (orphaned group), fg continues it; ^C ends the guest', (t) => {
    if (!requirePython(t)) return;
    if (!existsSync(join(debianRoot, 'bin', 'bash')) || !existsSync('/bin/bash')) {
      if (inCI) assert.fail('debian/root or the host bash missing');
      t.skip('debian/root or the host bash missing');
      return;
    }
    const prompt = 'H> ';
    const run = compat64Command(['/bin/bash', '-c', 'echo $((6*7)); exec sleep 2'], { root: debianRoot });
    const line = [run.file, ...run.args].map((a) => `'${a}'`).join(' ');
    const sends: [string, string][] = [
      [prompt, keys(`${line}\n`)],
      ['\n42', '1a'],
      [prompt, keys('fg\n')],
      [prompt, keys('echo "fg status $?"\n')],
      [prompt, keys(`${line}\n`)],
      ['\n42', '03'],
      [prompt, keys('echo "int status $?"; exit\n')],
    ];
    const env = { PATH: '/usr/bin:/bin', HOME: '/', TERM: 'dumb', LC_ALL: 'C', PS1: prompt };
    const r = onPty({ file: '/bin/bash', args: ['--norc', '--noprofile', '-i'] }, sends, env);
    assert.match(r.out, /^\[1\]\+ +Stopped/m, r.out);
    assert.match(r.out, /^fg status 0$/m, r.out);
    assert.match(r.out, /^int status 130$/m, r.out);
  });
});

/** Runs a command with a stdin pipe fed on cue: after "WAIT<n>" it writes inputs[n-1] (null closes it). */
function withCues(command: { file: string; args: string[] }, inputs: (string | null)[]): Promise<PtyResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, command.args, { env: { ...GUEST_ENV }, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let cued = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (;;) {
        const m = out.match(new RegExp(`^WAIT${cued + 1}$`, 'm'));
        if (m === null) break;
        const input = inputs[cued++];
        // Later than the reader: it must be waiting (and not stall the emulator) when the data comes.
        setTimeout(() => (input === null || input === undefined ? child.stdin.end() : child.stdin.write(input)), 500);
      }
    });
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}

describe('reading stdin parks the task, not the emulator', () => {
  test('stdin-nonblock: a thread runs while read waits; poll waits for input; EINTR; EOF', async (t) => {
    if (!requireQemu(t)) return;
    const inputs = ['one\n', 'two\n', null];
    const qemu = await withCues(qemuCommand([bin('stdin-nonblock')]), inputs);
    assert.match(qemu.out, /^ALL PASSED$/m, qemu.out);
    const compat = await withCues(compat64Command([bin('stdin-nonblock')], { root: '/' }), inputs);
    assert.deepStrictEqual(compat, qemu);
  });

  test('cat from debian/root copies a piped stdin (a short line and 4 MiB)', (t) => {
    if (!existsSync(join(debianRoot, 'bin', 'cat'))) {
      if (inCI) assert.fail('debian/root missing: npm run fetch-debian');
      t.skip('debian/root missing (npm run fetch-debian)');
      return;
    }
    const short = runCompat64(['/bin/cat'], { root: debianRoot, stdin: 'hi\n', timeoutMs: 60_000 });
    assert.equal(short.stdout.toString(), 'hi\n');
    assert.equal(short.status, 0);
    const big = Buffer.alloc(4 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 12)) & 0xff;
    const r = runCompat64(['/bin/cat'], { root: debianRoot, stdin: big, timeoutMs: 60_000 });
    assert.equal(r.status, 0);
    assert.ok(r.stdout.equals(big), 'the output is the input');
  });
});

describe('/proc/PID/fdinfo of timerfd, signalfd, eventfd and epoll, compat64 vs qemu-aarch64', () => {
  test('fdinfo: the lines each file adds, host-dependent numbers masked', (t) => {
    if (!requireQemu(t)) return;
    const qemu = runQemu([bin('fdinfo')], { env: { ...GUEST_ENV, TTY_REFERENCE: 'qemu' } });
    assert.match(qemu.stdout.toString(), /^ALL PASSED$/m, qemu.stdout.toString());
    const compat = runCompat64([bin('fdinfo')], { root: '/', timeoutMs: 60_000 });
    assert.deepStrictEqual(
      { status: compat.status, out: compat.stdout.toString() },
      { status: qemu.status, out: qemu.stdout.toString() },
    );
  });
});

describe('EPOLLEXCLUSIVE, compat64 vs qemu-aarch64', () => {
  test('epoll-exclusive: one of four instances wakes; the EINVAL rules', (t) => {
    if (!requireQemu(t)) return;
    const qemu = runQemu([bin('epoll-exclusive')], { env: { ...GUEST_ENV, TTY_REFERENCE: 'qemu' } });
    assert.match(qemu.stdout.toString(), /^ALL PASSED$/m, qemu.stdout.toString());
    const compat = runCompat64([bin('epoll-exclusive')], { root: '/', timeoutMs: 60_000 });
    assert.deepStrictEqual(
      { status: compat.status, out: compat.stdout.toString() },
      { status: qemu.status, out: qemu.stdout.toString() },
    );
  });
});
