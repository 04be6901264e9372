/**
 * compat64 benchmark: the same aarch64 workloads under qemu-aarch64 and compat64 in one run, timed as
 * the median wall-clock time of N runs each, reported as a Markdown table with the ratio
 * compat64 / qemu (lower is better). See bench/README.md.
 *
 *   npm run bench -- [--runs N] [--only NAME[,NAME…]] [--timeout SECONDS]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  busyboxPath,
  type Command,
  compat64Cli,
  compat64Command,
  GUEST_ENV,
  qemuBinary,
  qemuCommand,
  repoRoot,
} from '../test/support/guest-run.js';
import { writeRandomBytes, writeText } from './inputs.js';

interface Workload {
  name: string;
  description: string;
  /** Why it cannot run here, or undefined if it can. */
  missing: () => string | undefined;
  /** Creates the inputs in `dir` (once, before any run). */
  prepare?: (dir: string) => void;
  /** Guest argv (absolute program path first). */
  argv: () => string[];
  /** The guest argv for the qemu-aarch64 column when it differs (see fork-exec). */
  qemuArgv?: () => string[];
  /**
   * compat64's V8 code cache (src/cli/main.cts): 'warm' (default) runs once untimed first so that
   * the timed runs find it, as every run after a user's first does; 'off' compiles the bundle from
   * source every run, as a first run or an unwritable cache directory does.
   */
  codeCache?: 'warm' | 'off';
}

const MIB = 1024 * 1024;
const mixPath = join(repoRoot, 'bench', 'guest', 'bin', 'mix');
const pingpongPath = join(repoRoot, 'bench', 'guest', 'bin', 'pingpong');
const noBusybox = () => (busyboxPath() ? undefined : 'debian/root/bin/busybox missing (run `npm run fetch-debian`)');

const WORKLOADS: Workload[] = [
  {
    name: 'sha256',
    description: 'busybox sha256sum over 4 MiB of pseudo-random bytes',
    missing: noBusybox,
    prepare: (dir) => writeRandomBytes(join(dir, 'random.bin'), 4 * MIB),
    argv: () => [busyboxPath()!, 'sha256sum', 'random.bin'],
  },
  {
    name: 'gzip',
    description: 'busybox gzip -9 -c over 3 MiB of generated text',
    missing: noBusybox,
    prepare: (dir) => writeText(join(dir, 'text.txt'), 3 * MIB),
    argv: () => [busyboxPath()!, 'gzip', '-9', '-c', 'text.txt'],
  },
  {
    name: 'mix',
    description: 'bench/guest/mix.c: sieve, hash table, Mandelbrot, n-body, interpreter, quicksort',
    missing: () => (existsSync(mixPath) ? undefined : `${mixPath} missing (run \`make -C bench/guest\`)`),
    argv: () => [mixPath],
  },
  {
    name: 'pipe-pingpong',
    description: 'bench/guest/pingpong.c pipe: one byte bounced between two processes 5000 times',
    missing: () => (existsSync(pingpongPath) ? undefined : `${pingpongPath} missing (run \`make -C bench/guest\`)`),
    argv: () => [pingpongPath, 'pipe', '5000'],
  },
  {
    name: 'futex-pingpong',
    description: 'bench/guest/pingpong.c futex: a turn bounced between two threads 5000 times',
    missing: () => (existsSync(pingpongPath) ? undefined : `${pingpongPath} missing (run \`make -C bench/guest\`)`),
    argv: () => [pingpongPath, 'futex', '5000'],
  },
  {
    name: 'fork-exec',
    description: 'bench/guest/pingpong.c spawn: fork, execve of a static program, wait, 200 times',
    missing: () => (existsSync(pingpongPath) ? undefined : `${pingpongPath} missing (run \`make -C bench/guest\`)`),
    argv: () => [pingpongPath, 'spawn', '200'],
    // qemu-aarch64 hands an exec to the host kernel, which runs an arm64 program only through a
    // binfmt_misc registration of qemu-aarch64 (not available in containers): the guest execs
    // through qemu-aarch64 itself, exactly what that registration would make the kernel do.
    qemuArgv: () => [pingpongPath, 'spawn', '200', qemuBinary()!],
  },
  {
    name: 'startup',
    description: 'busybox true: process start-up and exit',
    missing: noBusybox,
    argv: () => [busyboxPath()!, 'true'],
  },
  {
    name: 'startup-nocache',
    description: "busybox true without compat64's code cache (a first run)",
    missing: noBusybox,
    argv: () => [busyboxPath()!, 'true'],
    codeCache: 'off',
  },
];

interface Timing {
  medianSeconds: number;
  /** Hash of stdout with the exit status, identical across runs and runners when all is well. */
  outputDigest: string;
}

type Outcome = { ok: true; timing: Timing } | { ok: false; error: string };

/** The line of stderr most likely to say what went wrong: the first naming an error, else the last. */
function stderrSummary(stderr: Buffer): string {
  const lines = stderr
    .toString()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? '(no stderr)';
}

/**
 * Runs a command `runs` times in `cwd` with GUEST_ENV plus `env`; fails on a non-zero exit or on
 * output that changes between runs.
 */
function time(command: Command, runs: number, cwd: string, timeoutMs: number, env: NodeJS.ProcessEnv = {}): Outcome {
  const seconds: number[] = [];
  let digest: string | undefined;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(command.file, command.args, {
      cwd,
      env: { ...GUEST_ENV, ...env },
      input: '',
      maxBuffer: 1024 * MIB,
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.error) return { ok: false, error: `${r.error.message}` };
    if (r.status !== 0) {
      const how = r.signal ? `killed by ${r.signal}` : `exit status ${r.status}`;
      return { ok: false, error: `${how}: ${stderrSummary(r.stderr)}` };
    }
    const d = createHash('sha256').update(r.stdout).digest('hex');
    if (digest !== undefined && d !== digest) return { ok: false, error: 'output differs between runs' };
    digest = d;
    seconds.push(elapsed);
  }
  seconds.sort((a, b) => a - b);
  const mid = Math.floor(seconds.length / 2);
  const median = seconds.length % 2 ? seconds[mid]! : (seconds[mid - 1]! + seconds[mid]!) / 2;
  return { ok: true, timing: { medianSeconds: median, outputDigest: digest ?? '' } };
}

interface Options {
  runs: number;
  only: string[] | undefined;
  timeoutMs: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '5' },
      only: { type: 'string' },
      timeout: { type: 'string', default: '600' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      `usage: npm run bench -- [--runs N] [--only NAME[,NAME…]] [--timeout SECONDS]\nworkloads:\n${WORKLOADS.map((w) => `  ${w.name.padEnd(8)} ${w.description}\n`).join('')}`,
    );
    process.exit(0);
  }
  const runs = Number(values.runs);
  const timeout = Number(values.timeout);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${values.runs}`);
  if (!(timeout > 0)) throw new Error(`--timeout must be a positive number of seconds, not ${values.timeout}`);
  const only = values.only?.split(',').filter(Boolean);
  for (const name of only ?? []) {
    if (!WORKLOADS.some((w) => w.name === name)) {
      throw new Error(`unknown workload ${name}; known: ${WORKLOADS.map((w) => w.name).join(', ')}`);
    }
  }
  return { runs, only, timeoutMs: timeout * 1000 };
}

const seconds = (o: Outcome | undefined): string => (o?.ok ? o.timing.medianSeconds.toFixed(3) : 'FAIL');

function qemuVersion(): string {
  const qemu = qemuBinary();
  if (!qemu) return 'not installed';
  return spawnSync(qemu, ['--version'])
    .stdout.toString()
    .split('\n')[0]!
    .replace(/^qemu-aarch64 version /, '');
}

/** The package's bin (see compat64() below). */
const compat64Bin = join(repoRoot, 'dist', 'compat64.cjs');

/**
 * compat64's command line; with COMPAT64_HARNESS_RUNNER=qemu (a local check of this script, as in the
 * tests) the compat64 column runs qemu-aarch64 instead.
 */
function compat64(argv: string[]): Command {
  if (process.env.COMPAT64_HARNESS_RUNNER === 'qemu') return qemuCommand(argv);
  const command = compat64Command(argv, { root: '/' });
  // The package's bin, dist/compat64.cjs: dist/compat64.mjs (the tests' entry) forwards to it through
  // Node's ES-module loader, which costs ~8 ms more at start (src/cli/main.cts).
  return { ...command, args: command.args.map((a) => (a === compat64Cli ? compat64Bin : a)) };
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const selected = WORKLOADS.filter((w) => !options.only || options.only.includes(w.name));
  const haveQemu = qemuBinary() !== undefined;
  const haveCompat64 = existsSync(compat64Bin);

  process.stdout.write(
    `compat64 benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
      `node ${process.version}, qemu-aarch64 ${qemuVersion()}, median of ${options.runs} run(s)\n`,
  );
  if (process.env.COMPAT64_HARNESS_RUNNER === 'qemu') {
    process.stdout.write('note: COMPAT64_HARNESS_RUNNER=qemu, the compat64 column is qemu-aarch64 (harness check)\n');
  }
  if (!haveQemu) process.stdout.write('skip qemu column: qemu-aarch64 not found on PATH\n');
  if (!haveCompat64) process.stdout.write(`skip compat64 column: ${compat64Bin} missing (run \`npm run build\`)\n`);

  const rows: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'compat64-bench-'));
  // compat64's code cache lives here for this run only: the user's cache neither helps nor is touched.
  const cacheDir = mkdtempSync(join(tmpdir(), 'compat64-bench-cache-'));
  let cacheWarm = false;
  const load = () => loadavg()[0]!.toFixed(2);
  process.stdout.write(`load average at start: ${load()}\n`);
  try {
    for (const w of selected) {
      const why = w.missing();
      if (why) {
        process.stdout.write(`skip ${w.name}: ${why}\n`);
        continue;
      }
      w.prepare?.(dir);
      const argv = w.argv();
      const env = { COMPAT64_CACHE_DIR: w.codeCache === 'off' ? '' : cacheDir };
      if (haveCompat64 && w.codeCache !== 'off' && !cacheWarm) {
        // One untimed run writes the cache (a successful `run` does); busybox true when there is one.
        const warmArgv = busyboxPath() ? [busyboxPath()!, 'true'] : argv;
        cacheWarm = time(compat64(warmArgv), 1, dir, options.timeoutMs, env).ok;
      }
      const qemuArgv = w.qemuArgv?.() ?? argv;
      const q = haveQemu ? time(qemuCommand(qemuArgv), options.runs, dir, options.timeoutMs) : undefined;
      const c = haveCompat64 ? time(compat64(argv), options.runs, dir, options.timeoutMs, env) : undefined;
      let ratio = '-';
      if (q?.ok && c?.ok) {
        ratio =
          q.timing.outputDigest === c.timing.outputDigest
            ? (c.timing.medianSeconds / q.timing.medianSeconds).toFixed(2)
            : 'wrong output';
      }
      for (const [who, o] of [
        ['qemu-aarch64', q],
        ['compat64', c],
      ] as const) {
        if (o && !o.ok) process.stdout.write(`${w.name}: ${who} failed: ${o.error}\n`);
      }
      rows.push(`| ${w.name} | ${q ? seconds(q) : '-'} | ${c ? seconds(c) : '-'} | ${ratio} |`);
    }
    // Node's own start-up, the floor under compat64's: a reference for the startup rows.
    const node = time({ file: process.execPath, args: ['-e', '0'] }, options.runs, dir, options.timeoutMs);
    if (node.ok) process.stdout.write(`reference: node -e 0, median ${seconds(node)} s\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
  process.stdout.write(`load average at end: ${load()}\n`);
  process.stdout.write(
    `\n| workload | qemu median s | compat64 median s | ratio |\n|---|---:|---:|---:|\n${rows.join('\n')}\n`,
  );
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}
