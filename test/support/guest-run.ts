/**
 * Runs aarch64 guest programs under compat64 (the CLI in dist/) and under qemu-aarch64 (the reference),
 * for tests and benchmarks that compare the two. Also finds the inputs those tests need (qemu, the
 * Debian busybox, the committed guest binaries) and decides whether a missing one skips or fails:
 * locally a test skips with a message; under CI (CI=true), where they are installed, it fails.
 *
 * Harness self-check: with COMPAT64_HARNESS_RUNNER=qemu, runCompat64 runs qemu-aarch64 instead and
 * reports the result the way the CLI does (death by signal N becomes exit status 128 + N). Comparison
 * tests then pass trivially, which validates the harness itself before the emulator runs programs.
 * Refused under CI, where it would hide real failures.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, existsSync, constants as fsConstants, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

export interface RunOptions {
  /** Bytes written to the guest's standard input (closed afterwards); empty input when absent. */
  stdin?: string | Buffer;
  /** compat64: `--root DIR`; qemu: `-L DIR` (omitted for `/`, which needs no prefix). */
  root?: string;
  /** The guest's entire environment (the runners pass their own environment on to the guest). */
  env?: NodeJS.ProcessEnv;
  /** Working directory of the run (defaults to the test process's). */
  cwd?: string;
  /** Kill the run (SIGKILL) after this long; the result then has timedOut set. */
  timeoutMs?: number;
  /** compat64 only: `--seed N`. */
  seed?: number;
  /** compat64 only: `--strace` (the trace goes to stderr). */
  strace?: boolean;
}

export interface RunResult {
  /** Exit status, or null when the process was killed by a signal. */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
}

/** A command line ready for spawn: the benchmark uses these to time runs without the test helpers. */
export interface Command {
  file: string;
  args: string[];
}

export const inCI = process.env.CI === 'true';

/** The repository root: this file runs as dist/test/support/guest-run.js. */
export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
/** The shipped command: the bundle `npm run build` writes (bin compat64 in package.json). */
export const compat64Cli = join(repoRoot, 'dist', 'compat64.cjs');
export const debianRoot = join(repoRoot, 'debian', 'root');

/**
 * A small fixed environment for guests, so their output does not depend on who runs the tests.
 * TZ and LC_ALL pin time and number formatting.
 */
export const GUEST_ENV: Readonly<NodeJS.ProcessEnv> = Object.freeze({
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/',
  LC_ALL: 'C',
  TZ: 'UTC',
});

const DEFAULT_COMPAT64_TIMEOUT_MS = 120_000;
const DEFAULT_QEMU_TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

/** Finds an executable on PATH, like `command -v`. */
function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

let qemuPath: string | null | undefined;

/** Absolute path of qemu-aarch64, or undefined if it is not installed. */
export function qemuBinary(): string | undefined {
  if (qemuPath === undefined) qemuPath = findOnPath('qemu-aarch64') ?? null;
  return qemuPath ?? undefined;
}

export function hasQemu(): boolean {
  return qemuBinary() !== undefined;
}

/** debian/root/bin/busybox (fetched by tools/fetch-debian.sh), or undefined if it is not there. */
export function busyboxPath(): string | undefined {
  const path = join(debianRoot, 'bin', 'busybox');
  return existsSync(path) ? path : undefined;
}

/** A committed guest test program: test/guest/bin/NAME. */
export function guestBin(name: string): string {
  return join(repoRoot, 'test', 'guest', 'bin', name);
}

export function compat64Command(args: readonly string[], opts: RunOptions = {}): Command {
  const cli = [compat64Cli, 'run'];
  if (opts.root !== undefined) cli.push('--root', opts.root);
  if (opts.seed !== undefined) cli.push('--seed', String(opts.seed));
  if (opts.strace) cli.push('--strace');
  // `--` so that a guest argument starting with '-' is never taken as a compat64 option.
  return { file: process.execPath, args: [...cli, '--', ...args] };
}

export function qemuCommand(args: readonly string[], opts: RunOptions = {}): Command {
  const qemu = qemuBinary();
  if (!qemu) throw new Error('qemu-aarch64 is not installed');
  // -L matters only to dynamic programs (where the ELF interpreter is looked up); `/` is the default.
  const prefix = opts.root !== undefined && resolve(opts.root) !== '/' ? ['-L', opts.root] : [];
  return { file: qemu, args: [...prefix, ...args] };
}

function spawn(command: Command, opts: RunOptions, defaultTimeoutMs: number): RunResult {
  const r = spawnSync(command.file, command.args, {
    input: opts.stdin ?? '',
    env: { ...(opts.env ?? GUEST_ENV) },
    cwd: opts.cwd,
    timeout: opts.timeoutMs ?? defaultTimeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (r.error && !timedOut) throw r.error;
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout ?? Buffer.alloc(0),
    stderr: r.stderr ?? Buffer.alloc(0),
    timedOut,
  };
}

/**
 * Runs a guest under qemu-aarch64. A guest killed by a signal makes qemu kill itself with that signal,
 * so the result has `signal` set. qemu would also write a guest core file into the working directory
 * when core dumps are allowed, so a shell sets `ulimit -c 0` first, then execs (keeping the pid, hence
 * the signal) `env -i` with the guest environment: the shell itself adds PWD to what it passes on.
 */
export function runQemu(args: readonly string[], opts: RunOptions = {}): RunResult {
  const q = qemuCommand(args, opts);
  const env = Object.entries(opts.env ?? GUEST_ENV)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${value}`);
  const script = 'ulimit -c 0 && exec "$0" -i "$@"';
  const wrapped: Command = { file: '/bin/sh', args: ['-c', script, envBinary(), ...env, q.file, ...q.args] };
  return spawn(wrapped, opts, DEFAULT_QEMU_TIMEOUT_MS);
}

function envBinary(): string {
  const path = findOnPath('env');
  if (!path) throw new Error('env(1) not found on PATH');
  return path;
}

/** Runs a guest with `node dist/compat64.cjs run [--root DIR] [--seed N] [--strace] -- ARGS…`. */
export function runCompat64(args: readonly string[], opts: RunOptions = {}): RunResult {
  if (process.env.COMPAT64_HARNESS_RUNNER === 'qemu') {
    if (inCI) throw new Error('COMPAT64_HARNESS_RUNNER=qemu is a local harness check and is refused under CI');
    const r = runQemu(args, opts);
    // Report as the CLI does: a guest killed by signal N gives exit status 128 + N.
    return r.signal ? { ...r, status: 128 + signalNumber(r.signal), signal: null } : r;
  }
  return spawn(compat64Command(args, opts), opts, DEFAULT_COMPAT64_TIMEOUT_MS);
}

export function signalNumber(signal: NodeJS.Signals): number {
  return osConstants.signals[signal];
}

/** The status a shell would report: the exit status, or 128 + N for death by signal N. */
export function exitStatus(r: RunResult): number {
  if (r.status !== null) return r.status;
  if (r.signal) return 128 + signalNumber(r.signal);
  throw new Error('process has neither an exit status nor a signal');
}

/** How a run ended, as text for assertions: "exit 3", "signal SIGSEGV", "timed out". */
export function howEnded(r: RunResult): string {
  if (r.timedOut) return 'timed out';
  return r.signal ? `signal ${r.signal}` : `exit ${r.status}`;
}

/** Skips the test, or fails it under CI, where every input is installed on purpose. */
function missing(t: TestContext, why: string): void {
  if (inCI) assert.fail(`${why} (CI installs it, so this is an error there)`);
  t.skip(why);
}

/** True if qemu-aarch64 is available; otherwise skips the test (fails it under CI). */
export function requireQemu(t: TestContext): boolean {
  if (hasQemu()) return true;
  missing(t, 'qemu-aarch64 not found on PATH (Debian: apt-get install qemu-user)');
  return false;
}

/** The busybox path if fetched; otherwise skips the test (fails it under CI) and gives undefined. */
export function requireBusybox(t: TestContext): string | undefined {
  const path = busyboxPath();
  if (path) return path;
  const marker = join(repoRoot, 'debian', 'UNAVAILABLE');
  const why = existsSync(marker) ? `: fetch-debian could not run here (${readFileSync(marker, 'utf8').trim()})` : '';
  missing(t, `debian/root/bin/busybox missing, run \`npm run fetch-debian\`${why}`);
  return undefined;
}

/** Guards against an unbuilt test/guest/bin: those binaries are committed, so a missing one is an error. */
export function requireGuestBin(name: string): string {
  const path = guestBin(name);
  assert.ok(isAbsolute(path) && existsSync(path), `${path} missing: run \`make -C test/guest\``);
  return path;
}
