/**
 * Debian's unmodified arm64 strace (6.1) traces guests inside compat64 (issue #6, acceptance): a shell
 * pipeline and a threaded program with -f, and a program that mixes native and compat-from-64 calls,
 * which strace decodes with its 32-bit ARM personality (it switches on PTRACE_GET_SYSCALL_INFO's
 * arch field, compat-abi.md §5). qemu-aarch64 cannot run strace (no ptrace), so the expected lines
 * are what strace prints on Linux/arm64 for the same programs, modulo pids, addresses and the
 * environment's size. Each process's calls go to their own file (-ff), so no interleaving is
 * compared; a filter (-e trace=) keeps to the calls the programs themselves make.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { debianRoot, GUEST_ENV, inCI, repoRoot, runCompat64 } from '../support/guest-run.js';

const ENV = { ...GUEST_ENV, PATH: '/usr/bin:/bin', LC_ALL: 'C' };
const PROGS = join(repoRoot, 'test', 'debian', 'tracer-progs', 'bin');

function needStrace(t: TestContext): boolean {
  if (existsSync(join(debianRoot, 'usr', 'bin', 'strace')) && existsSync(join(debianRoot, 'bin', 'bash'))) return true;
  if (inCI) assert.fail('debian/root lacks strace or bash: run npm run fetch-debian');
  t.skip('debian/root lacks strace (npm run fetch-debian)');
  return false;
}

/** A scratch directory inside the guest root: [guest path, host path]. */
function scratch(name: string): [string, string] {
  const guest = `/tmp/st${process.pid}${name}`;
  const host = join(debianRoot, guest);
  rmSync(host, { recursive: true, force: true });
  mkdirSync(host, { recursive: true });
  return [guest, host];
}

/** Runs a command in the guest root; returns stderr (strace's notices) after checking the exit status. */
function run(args: string[]): { stdout: string; stderr: string } {
  const r = runCompat64(args, { root: debianRoot, env: ENV, timeoutMs: 180_000 });
  assert.equal(r.timedOut, false, `timed out: ${args.join(' ')}`);
  const stderr = r.stderr.toString('latin1');
  assert.equal(r.status, 0, `${args.join(' ')} → ${r.status}\n${stderr.slice(0, 3000)}`);
  return { stdout: r.stdout.toString('latin1'), stderr };
}

/**
 * One strace line as compared: the padding before " = " collapsed, addresses, pids/tids and the
 * environment size replaced by placeholders.
 */
function normalize(line: string): string {
  return line
    .replace(/\s+= /, ' = ')
    .replace(/0x[0-9a-f]+/g, 'ADDR')
    .replace(/\/\* \d+ vars \*\//, '/* N vars */')
    .replace(/parent_tid=\[\d+\]/, 'parent_tid=[TID]')
    .replace(/^((?:clone|clone3|wait4)\(.*\)) = \d+$/, '$1 = PID');
}

/** strace -ff's files (prefix.PID), each as its normalized lines, keyed by pid in creation order. */
function traces(host: string, prefix: string): Map<number, string[]> {
  const files = readdirSync(host)
    .filter((f) => f.startsWith(`${prefix}.`))
    .map((f) => Number(f.slice(prefix.length + 1)))
    .sort((a, b) => a - b);
  const out = new Map<number, string[]>();
  for (const pid of files) {
    const text = readFileSync(join(host, `${prefix}.${pid}`), 'latin1');
    out.set(
      pid,
      text
        .split('\n')
        .filter((l) => l !== '')
        .map(normalize),
    );
  }
  return out;
}

const FORK_CLONE =
  'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=ADDR) = PID';
const EXITED = ['exit_group(0) = ?', '+++ exited with 0 +++'];

describe('Debian strace inside compat64', () => {
  test('strace -f bash -c "echo a | cat": the pipe, both forks, dup3s, the exec of cat, the writes', (t) => {
    if (!needStrace(t)) return;
    const [guest, host] = scratch('pipe');
    const { stdout } = run([
      '/usr/bin/strace',
      '-s',
      '256',
      '-f',
      '-ff',
      '-o',
      `${guest}/st`,
      '-e',
      'trace=execve,clone,clone3,pipe2,dup3,write,wait4,exit_group',
      '-e',
      'signal=none',
      '/bin/bash',
      '-c',
      'echo a | cat',
    ]);
    assert.equal(stdout, 'a\n');
    const tr = [...traces(host, 'st').entries()];
    assert.equal(tr.length, 3, JSON.stringify(tr, null, 1));
    const [[, shell], [echoPid, echo], [catPid, cat]] = tr as [number, string[]][];
    // bash's waits depend on when SIGCHLD lands (as on Linux): compared apart from the other calls.
    assert.deepEqual(
      shell.filter((l) => !l.startsWith('wait4(')),
      [
        'execve("/bin/bash", ["/bin/bash", "-c", "echo a | cat"], ADDR /* N vars */) = 0',
        'pipe2([3, 4], 0) = 0',
        FORK_CLONE,
        FORK_CLONE,
        ...EXITED,
      ],
    );
    const text = readFileSync(join(host, `st.${tr[0]![0]}`), 'latin1');
    const reaped = [
      ...text.matchAll(/wait4\(-1, \[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 0\}\], 0, NULL\)\s+= (\d+)/g),
    ];
    assert.deepEqual(
      reaped.map((m) => Number(m[1])).sort((a, b) => a - b),
      [echoPid, catPid],
    );
    assert.deepEqual(echo, ['dup3(4, 1, 0) = 1', 'write(1, "a\\n", 2) = 2', ...EXITED]);
    assert.deepEqual(cat, [
      'dup3(3, 0, 0) = 0',
      'execve("/bin/cat", ["cat"], ADDR /* N vars */) = 0',
      'write(1, "a\\n", 2) = 2',
      ...EXITED,
    ]);
    rmSync(host, { recursive: true, force: true });
  });

  test('strace -f on a threaded program: each thread created by clone, its write and exit', (t) => {
    if (!needStrace(t)) return;
    const [guest, host] = scratch('threads');
    copyFileSync(join(PROGS, 'threads-write'), join(host, 'threads-write'));
    const { stdout } = run([
      '/usr/bin/strace',
      '-s',
      '256',
      '-f',
      '-ff',
      '-o',
      `${guest}/st`,
      '-e',
      'trace=execve,clone,clone3,write,exit,exit_group',
      `${guest}/threads-write`,
    ]);
    assert.equal(stdout, 'thread 1\nthread 2\ndone\n');
    const tr = [...traces(host, 'st').values()];
    assert.equal(tr.length, 3, JSON.stringify(tr, null, 1));
    const clone =
      'clone(child_stack=ADDR, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|' +
      'CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, parent_tid=[TID], tls=ADDR, child_tidptr=ADDR) = PID';
    assert.deepEqual(tr[0], [
      `execve("${guest}/threads-write", ["${guest}/threads-write"], ADDR /* N vars */) = 0`,
      clone,
      clone,
      'write(1, "done\\n", 5) = 5',
      ...EXITED,
    ]);
    assert.deepEqual(tr[1], ['write(1, "thread 1\\n", 9) = 9', 'exit(0) = ?', '+++ exited with 0 +++']);
    assert.deepEqual(tr[2], ['write(1, "thread 2\\n", 9) = 9', 'exit(0) = ?', '+++ exited with 0 +++']);
    rmSync(host, { recursive: true, force: true });
  });

  test('native and compat calls in one program: strace switches to its 32-bit ARM personality and back', (t) => {
    if (!needStrace(t)) return;
    const [guest, host] = scratch('mixed');
    copyFileSync(join(PROGS, 'mixed-abi'), join(host, 'mixed-abi'));
    // strace's default quiet set hides the personality notices when the trace goes to a file
    // (-o), so the trace goes to stderr here, as a user at a terminal would see it.
    const { stdout, stderr } = run([
      '/usr/bin/strace',
      '-s',
      '256',
      '-e',
      'trace=write,getppid,close,exit_group',
      `${guest}/mixed-abi`,
    ]);
    assert.equal(stdout, 'native\ncompat\n');
    // Compat write (4), getppid (64) and close (6) are decoded from the AArch32 table (in the arm64
    // table those numbers are io_getevents, write and io_cancel); each switch of table is announced.
    // Debian builds strace without mpers, which it mentions once when it first meets the 32-bit
    // personality.
    const lines = stderr
      .split('\n')
      .filter((l) => l !== '' && !l.includes('WARNING: Proper structure decoding'))
      .map((l) =>
        normalize(l)
          .replace(/^getppid\(\) = \d+$/, 'getppid() = PPID')
          .replace(/PID=\d+/, 'PID=N'),
      );
    assert.equal(stderr.match(/WARNING: Proper structure decoding for this personality is not supported/g)?.length, 1);
    const to32 = '[ Process PID=N runs in 32 bit mode. ]';
    const to64 = '[ Process PID=N runs in 64 bit mode. ]';
    assert.deepEqual(lines, [
      'write(1, "native\\n", 7) = 7',
      to32,
      'write(1, "compat\\n", 7) = 7',
      'getppid() = PPID',
      to64,
      'getppid() = PPID',
      to32,
      'close(-1) = -1 EBADF (Bad file descriptor)',
      to64,
      ...EXITED,
    ]);
    rmSync(host, { recursive: true, force: true });
  });
});
