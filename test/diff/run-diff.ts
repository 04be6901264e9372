/**
 * The differential tester's command line (see test/diff/README.md):
 *   node dist/test/diff/run-diff.js [--seed N] [--count N] [--class a,b] [--max-len N] [--batch N]
 *                                   [--undefined-rate P] [--keep-going] [--reports N] [--case N]
 *                                   [--exclude ROW,ROW]
 * Exit status 0 when every case matched, 1 on a mismatch, 2 on a usage or setup error.
 */
import { CLASSES } from './cases.js';
import { formatStats, runDiff } from './diff-engine.js';
import { missingTools } from './qemu-runner.js';

const USAGE = `usage: run-diff [--seed N] [--count WORDS_PER_CLASS] [--class ${CLASSES.map((c) => c.name).join(',')}]
                [--max-len N] [--batch CASES] [--undefined-rate P] [--keep-going] [--reports N] [--case N]
                [--exclude ROW,ROW]`;

function parse(argv: readonly string[]) {
  const o = {
    seed: 1,
    count: 100_000,
    classes: CLASSES.map((c) => c.name) as string[],
    maxLen: 24,
    batch: 1000,
    undefinedRate: 0.03,
    keepGoing: false,
    maxReports: 20,
    only: undefined as number | undefined,
    exclude: new Set<string>(),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = Number(val());
      if (!Number.isFinite(v)) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--seed') o.seed = num() | 0;
    else if (a === '--count') o.count = num();
    else if (a === '--class') o.classes = val() === 'all' ? o.classes : argv[i]!.split(',');
    else if (a === '--max-len') o.maxLen = Math.min(1000, Math.max(1, num()));
    else if (a === '--batch') o.batch = Math.max(1, num());
    else if (a === '--undefined-rate') o.undefinedRate = num();
    else if (a === '--keep-going') o.keepGoing = true;
    else if (a === '--reports') o.maxReports = num();
    else if (a === '--case') o.only = num();
    else if (a === '--exclude') for (const r of val().split(',')) o.exclude.add(r);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

async function main(): Promise<number> {
  let opts: ReturnType<typeof parse>;
  try {
    opts = parse(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const missing = missingTools();
  if (missing) {
    process.stderr.write(`run-diff: ${missing} not found (needs qemu-aarch64 and the aarch64-linux-gnu cross tools)\n`);
    return 2;
  }
  const t0 = Date.now();
  const { stats, reports } = await runDiff({ ...opts, log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(`${formatStats(stats)}\n`);
  const total = stats.reduce((n, s) => n + s.mismatches + s.jitMismatches, 0);
  const words = stats.reduce((n, s) => n + s.words, 0);
  process.stdout.write(
    `seed ${opts.seed}: ${words} words in ${stats.reduce((n, s) => n + s.cases, 0)} cases, ${total} mismatching cases, ${reports.length} reported, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  return total === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`run-diff: ${(e as Error).stack ?? e}\n`);
    process.exit(2);
  },
);
