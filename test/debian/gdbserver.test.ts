/**
 * Debian's arm64 gdbserver (13.1) inside compat64, driven by the host's gdb-multiarch over TCP
 * (issue #6, acceptance): a breakpoint, a backtrace, next/step (single steps), registers, a local,
 * finish and the run to exit. gdbserver reads and writes the inferior through /proc/PID/mem and
 * controls it with ptrace (TRACEME-style start, SINGLESTEP, GETREGSET, GET_SYSCALL_INFO…).
 * gdb's output is compared with what gdb prints against a Linux/arm64 target, modulo addresses.
 * The address is 127.0.0.1:PORT: `:PORT` makes gdbserver resolve "localhost", and debian/root has
 * no /etc/hosts (it is a set of unpacked packages, not an installed system).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { compat64Command, debianRoot, GUEST_ENV, inCI, repoRoot, runCompat64 } from '../support/guest-run.js';

const PROG = join(repoRoot, 'test', 'debian', 'tracer-progs', 'bin', 'gdb-target');

function hasGdb(): boolean {
  return spawnSync('gdb-multiarch', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Skips (with the reason) when a piece is missing; under CI the Debian root must be complete. */
function ready(t: TestContext): boolean {
  if (!existsSync(join(debianRoot, 'usr', 'bin', 'gdbserver'))) {
    if (inCI) assert.fail('debian/root lacks gdbserver: run npm run fetch-debian');
    t.skip('debian/root lacks gdbserver (npm run fetch-debian)');
    return false;
  }
  if (!hasGdb()) {
    t.skip('gdb-multiarch is not installed on the host (apt-get install gdb-multiarch)');
    return false;
  }
  const mem = runCompat64(['/bin/bash', '-c', 'test -e /proc/self/mem'], { root: debianRoot, env: GUEST_ENV });
  if (mem.status !== 0) {
    t.skip('/proc/PID/mem is not wired into /proc (security/ptrace/proc-mem.ts): gdbserver 13 needs it');
    return false;
  }
  return true;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a !== null ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts gdbserver under compat64 and resolves once it listens; collects its output. */
function startServer(prog: string, port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const cmd = compat64Command(['/usr/bin/gdbserver', `127.0.0.1:${port}`, prog], { root: debianRoot });
  // gdbserver starts the program through $SHELL (default /bin/sh, which debian/root does not have).
  const env = { ...GUEST_ENV, SHELL: '/bin/bash' };
  const child = spawn(cmd.file, cmd.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gdbserver did not listen:\n${out}`)), 60_000);
    const seen = (b: Buffer) => {
      out += b.toString('latin1');
      if (out.includes(`Listening on port ${port}`)) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.once('exit', (code) => reject(new Error(`gdbserver exited (${code}):\n${out}`)));
  });
}

function gdb(port: number, commands: string[]): string {
  const args = ['-batch', '-nx', '-ex', 'set pagination off', '-ex', `file ${PROG}`];
  args.push('-ex', `target remote 127.0.0.1:${port}`);
  for (const c of commands) args.push('-ex', c);
  const r = spawnSync('gdb-multiarch', args, { timeout: 150_000, killSignal: 'SIGKILL', encoding: 'latin1' });
  return `${r.stdout}${r.stderr}`;
}

test('gdb-multiarch + gdbserver: break, bt, next, step, info registers, print, finish, run to exit', async (t) => {
  if (!ready(t)) return;
  const guestDir = `/tmp/gdb${process.pid}`;
  const hostDir = join(debianRoot, guestDir);
  mkdirSync(hostDir, { recursive: true });
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    copyFileSync(PROG, join(hostDir, 'gdb-target'));
    const port = await freePort();
    server = await startServer(`${guestDir}/gdb-target`, port);
    const child = server.child;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const out = gdb(port, [
      'break leaf',
      'continue',
      'bt',
      'next',
      'step',
      'info registers pc sp',
      'print y',
      'finish',
      'continue',
    ]);
    const expect = [
      /^Breakpoint 1 at 0x[0-9a-f]+: file gdb-target\.c, line 7\.$/m,
      /^Breakpoint 1, leaf \(x=5\) at gdb-target\.c:7$/m,
      /^#0 {2}leaf \(x=5\) at gdb-target\.c:7$/m,
      /^#1 {2}0x[0-9a-f]+ in middle \(x=4\) at gdb-target\.c:13$/m,
      /^#2 {2}0x[0-9a-f]+ in main \(\) at gdb-target\.c:17$/m,
      /^8\t {2}sink = y;$/m,
      /^9\t {2}return y \+ 1;$/m,
      /^pc +0x[0-9a-f]+ +0x[0-9a-f]+ <leaf\+\d+>$/m,
      /^sp +0x[0-9a-f]+ +0x[0-9a-f]+$/m,
      /^\$1 = 15$/m,
      /^middle \(x=4\) at gdb-target\.c:13$/m,
      /^Value returned is \$2 = 16$/m,
      /^\[Inferior 1 \(process \d+\) exited normally\]$/m,
    ];
    for (const re of expect) assert.match(out, re, out);
    assert.equal(await exited, 0, server.output());
    assert.match(server.output(), /^result 32$/m);
    assert.match(server.output(), /^Child exited with status 0$/m);
  } finally {
    server?.child.kill('SIGKILL');
    rmSync(hostDir, { recursive: true, force: true });
  }
});
