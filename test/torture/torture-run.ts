/**
 * Runs a selection of torture tests at a set of levels: compile (cached), run under qemu-aarch64 and
 * compat64, compare, and classify against the known lists. Several tests run at once.
 */
import { availableParallelism } from 'node:os';
import { compile } from './compile.js';
import { difference, runUnderCompat64, runUnderQemu } from './execute.js';
import { KNOWN_FAILURES, KNOWN_SKIPS, listed, STATUS_ONLY } from './known.js';
import { type Level, planFor, type TortureTest } from './suite.js';

/**
 * pass: exit 0 under both with the same output. agree: the same non-zero result under both (the
 * reference fails as well). unsupported: the test's directives leave it out on this target.
 * skipped: a listed compile failure. known-failure: a listed mismatch. The rest are errors:
 * mismatch, compile-error (unlisted), stale-skip / stale-failure (a listed test that now compiles or
 * matches: take it off the list).
 */
export type Outcome =
  | 'pass'
  | 'agree'
  | 'unsupported'
  | 'skipped'
  | 'known-failure'
  | 'mismatch'
  | 'compile-error'
  | 'stale-skip'
  | 'stale-failure';

export const ERROR_OUTCOMES: ReadonlySet<Outcome> = new Set([
  'mismatch',
  'compile-error',
  'stale-skip',
  'stale-failure',
]);

export interface Result {
  id: string;
  level: Level;
  outcome: Outcome;
  /** The difference, diagnostics or reason. */
  detail?: string;
  qemuMs?: number;
  compat64Ms?: number;
  binary?: string;
}

export interface RunSelection {
  tests: readonly TortureTest[];
  levels: readonly Level[];
  jobs?: number;
  /** Called after each result (progress). */
  onResult?: (r: Result, done: number, total: number) => void;
}

export async function runTorture(sel: RunSelection): Promise<Result[]> {
  const work: { test: TortureTest; level: Level }[] = [];
  for (const level of sel.levels) for (const test of sel.tests) work.push({ test, level });
  const results: Result[] = new Array(work.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < work.length) {
      const i = next++;
      const { test, level } = work[i]!;
      results[i] = await runOne(test, level);
      done++;
      sel.onResult?.(results[i]!, done, work.length);
    }
  };
  const jobs = Math.max(1, sel.jobs ?? availableParallelism());
  await Promise.all(Array.from({ length: Math.min(jobs, work.length) }, worker));
  return results;
}

export async function runOne(test: TortureTest, level: Level): Promise<Result> {
  const base = { id: test.id, level };
  const plan = planFor(test, level);
  if (plan.unsupported) return { ...base, outcome: 'unsupported', detail: plan.unsupported };
  const skip = listed(KNOWN_SKIPS, test.id, level);
  const built = await compile(test, level, plan);
  if (!built.ok) {
    if (skip) return { ...base, outcome: 'skipped', detail: skip };
    return { ...base, outcome: 'compile-error', detail: firstLines(built.diagnostics, 6) };
  }
  if (skip) return { ...base, outcome: 'stale-skip', detail: `compiles now, but listed: ${skip}` };
  const qemu = await runUnderQemu(built.binary);
  const c64 = await runUnderCompat64(built.binary);
  const times = { qemuMs: qemu.ms, compat64Ms: c64.ms, binary: built.binary };
  const diff = difference(qemu, c64, listed(STATUS_ONLY, test.id, level) !== undefined);
  const known = listed(KNOWN_FAILURES, test.id, level);
  if (diff !== undefined) {
    if (known) return { ...base, ...times, outcome: 'known-failure', detail: known };
    return { ...base, ...times, outcome: 'mismatch', detail: diff };
  }
  if (known) return { ...base, ...times, outcome: 'stale-failure', detail: `matches qemu now, but listed: ${known}` };
  return { ...base, ...times, outcome: qemu.status === 0 ? 'pass' : 'agree', detail: `status ${qemu.status}` };
}

function firstLines(text: string, n: number): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.slice(0, n).join('\n') + (lines.length > n ? '\n…' : '');
}

/** Counts per level and outcome. */
export function tally(results: readonly Result[]): Map<Level, Map<Outcome, number>> {
  const t = new Map<Level, Map<Outcome, number>>();
  for (const r of results) {
    let m = t.get(r.level);
    if (!m) t.set(r.level, (m = new Map()));
    m.set(r.outcome, (m.get(r.outcome) ?? 0) + 1);
  }
  return t;
}
