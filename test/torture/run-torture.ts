/**
 * The torture suite from the command line (`npm run torture` runs everything):
 *   node dist/test/torture/run-torture.js [--levels O0,O2,O3 (also O1,Os,O3-unroll,O2-lse)] [--sample k/n] [--filter REGEX]
 *                                         [--jobs N] [--list] [--slowest N]
 * Prints the counts per level to stdout, every error (mismatch, unlisted compile failure, stale list
 * entry) with its detail to stderr. Exit status 0 when there is no error, 1 otherwise, 2 on a usage
 * or setup error. Needs tools/fetch-gcc-torture.sh to have run (`npm run fetch-gcc-torture`).
 */

import { hasQemu } from '../support/guest-run.js';
import { compilerVersion } from './compile.js';
import { parseSample, selectTests } from './select.js';
import { DEFAULT_LEVELS, LEVEL_NAMES, type Level, loadSuite, planFor, suiteAvailable } from './suite.js';
import { ERROR_OUTCOMES, type Outcome, type Result, runTorture, tally } from './torture-run.js';

const OUTCOMES: readonly Outcome[] = [
  'pass',
  'agree',
  'unsupported',
  'skipped',
  'known-failure',
  'mismatch',
  'compile-error',
  'stale-skip',
  'stale-failure',
];

function usage(msg: string): never {
  process.stderr.write(`run-torture: ${msg}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<number> {
  let levels: Level[] = [...DEFAULT_LEVELS];
  let sample: { k: number; n: number } | undefined;
  let filter: RegExp | undefined;
  let jobs: number | undefined;
  let list = false;
  let slowest = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i] ?? usage(`${a} needs a value`);
    if (a === '--levels') {
      levels = val().split(',') as Level[];
      for (const l of levels) if (!LEVEL_NAMES.includes(l)) usage(`unknown level ${l} (${LEVEL_NAMES.join(', ')})`);
    } else if (a === '--sample') sample = parseSample(val());
    else if (a === '--filter') filter = new RegExp(val());
    else if (a === '--jobs') jobs = Number(val());
    else if (a === '--slowest') slowest = Number(val());
    else if (a === '--list') list = true;
    else usage(`unknown option ${a}`);
  }
  if (!suiteAvailable()) usage('debian/gcc-torture/execute missing: run `npm run fetch-gcc-torture`');
  const tests = selectTests(loadSuite(), { sample, filter });
  if (list) {
    for (const t of tests) {
      for (const l of levels) {
        const p = planFor(t, l);
        process.stdout.write(`${t.id}@${l}: ${p.unsupported ? `unsupported (${p.unsupported})` : p.flags.join(' ')}\n`);
      }
    }
    return 0;
  }
  if (!compilerVersion()) usage('aarch64-linux-gnu-gcc not found');
  if (!hasQemu()) usage('qemu-aarch64 not found');
  const start = performance.now();
  // An interrupted long run (SIGINT, SIGTERM) still reports what it has: the figures of the runs done.
  const partial: Result[] = [];
  const interrupted = (): void => {
    process.stderr.write(`\nrun-torture: interrupted after ${partial.length} runs\n`);
    report(partial, levels, (performance.now() - start) / 1000);
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const results = await runTorture({
    tests,
    levels,
    jobs,
    onResult: (r, done, total) => {
      partial.push(r);
      if (ERROR_OUTCOMES.has(r.outcome)) process.stderr.write(`\n${r.outcome} ${r.id}@${r.level}: ${r.detail}\n`);
      if (done % 50 === 0 || done === total) process.stderr.write(`\r${done}/${total}`);
    },
  });
  process.stderr.write('\n');
  report(results, levels, (performance.now() - start) / 1000);
  if (slowest > 0) {
    const timed = results.filter((r) => r.compat64Ms !== undefined);
    timed.sort((a, b) => b.compat64Ms! - a.compat64Ms!);
    for (const r of timed.slice(0, slowest)) {
      process.stdout.write(
        `slow: ${r.id}@${r.level} compat64 ${Math.round(r.compat64Ms!)} ms, qemu ${Math.round(r.qemuMs!)} ms\n`,
      );
    }
  }
  return results.some((r) => ERROR_OUTCOMES.has(r.outcome)) ? 1 : 0;
}

function report(results: readonly Result[], levels: readonly Level[], seconds: number): void {
  const t = tally(results);
  const used = OUTCOMES.filter((o) => levels.some((l) => (t.get(l)?.get(o) ?? 0) > 0));
  const rows = [['level', ...used, 'total']];
  for (const l of levels) {
    const m = t.get(l) ?? new Map<Outcome, number>();
    const total = [...m.values()].reduce((a, b) => a + b, 0);
    rows.push([l, ...used.map((o) => String(m.get(o) ?? 0)), String(total)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padStart(widths[i]!)).join('  ')}\n`);
  process.stdout.write(`${results.length} runs in ${seconds.toFixed(0)} s\n`);
  for (const r of results) {
    if (ERROR_OUTCOMES.has(r.outcome)) process.stdout.write(`${r.outcome}: ${r.id}@${r.level}: ${r.detail}\n`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`run-torture: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
