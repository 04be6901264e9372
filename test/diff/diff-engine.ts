/**
 * The differential tester's loop: for each class, batches of cases are generated, run under
 * qemu-aarch64 (a child process per batch and CPU model, in the background) and meanwhile under
 * compat64 in-process with the compiled-block tier off and on; results are compared. Mismatching
 * cases of a batch are narrowed to their first differing instruction together, by re-running their
 * prefixes (the words after the prefix replaced by BRK #0) on both sides in one more qemu run.
 */
import { type CaseOptions, classByName, makeCase, UNDEFINED_PROBE } from './cases.js';
import { CompatMachine } from './compat-runner.js';
import { differences, formatMismatch, type MismatchReport } from './compare.js';
import { knownDeviation } from './deviations.js';
import { BRK0, CODE_ADDR, type CaseResult, type CpuModel, type DiffCase, SIGILL } from './layout.js';
import { runOnQemu } from './qemu-runner.js';

export interface DiffOptions extends CaseOptions {
  readonly seed: number;
  /** Instruction words to generate per class. */
  readonly count: number;
  readonly classes: readonly string[];
  /** Cases per qemu process. */
  readonly batch: number;
  /** Keep going after a mismatch (counting them) instead of stopping at the first. */
  readonly keepGoing: boolean;
  /** Full reports to keep (one per culprit row and kind of difference). */
  readonly maxReports: number;
  /** Mismatching cases narrowed to their first differing instruction, per class. */
  readonly maxExplained?: number;
  /** Run only this case index (with one class), for reproducing a report. */
  readonly only?: number;
  /** Progress lines (to stderr in the CLI). */
  readonly log?: (line: string) => void;
}

export interface ClassStats {
  readonly cls: string;
  cases: number;
  /** Words generated (sequence lengths, probes included). */
  words: number;
  /** Instructions compat64 executed (interpreter run; the compiled run executes the same). */
  executed: number;
  /** Undefined-encoding probes reached, and those where both sides raised SIGILL there. */
  probes: number;
  probesAgreed: number;
  /** Cases run with at least one compiled block in the jit-on run. */
  jitCases: number;
  /** Cases where the interpreter (jit off) disagrees with qemu. */
  mismatches: number;
  /** Cases where only the compiled-block run (jit on) disagrees with qemu. */
  jitMismatches: number;
  /** Differences explained by a known departure of qemu from the architecture, by rule. */
  readonly deviations: Map<string, number>;
  /** Mismatching cases by culprit row. */
  readonly byRow: Map<string, number>;
  seconds: number;
}

export interface DiffSummary {
  readonly stats: ClassStats[];
  readonly reports: MismatchReport[];
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

/** Runs cases under qemu, grouped by CPU model (one process per model, concurrently). */
async function runReference(cases: readonly DiffCase[]): Promise<CaseResult[]> {
  const models = [...new Set(cases.map((c) => c.model))] as CpuModel[];
  const out: CaseResult[] = new Array(cases.length);
  await Promise.all(
    models.map(async (m) => {
      const idx: number[] = [];
      cases.forEach((c, i) => {
        if (c.model === m) idx.push(i);
      });
      const res = await runOnQemu(
        idx.map((i) => cases[i]!),
        m,
      );
      idx.forEach((i, k) => {
        out[i] = res[k]!;
      });
    }),
  );
  return out;
}

/** The case with only its first m words kept (the rest become BRK #0). */
function prefix(c: DiffCase, m: number): DiffCase {
  const code = c.code.slice();
  for (let i = m; i < code.length; i++) code[i] = BRK0;
  return { ...c, code };
}

interface Pending {
  readonly c: DiffCase;
  readonly index: number;
  readonly jit: boolean;
  readonly ref: CaseResult;
  readonly got: CaseResult;
}

/** Narrows mismatching cases to their first differing instruction (one qemu run for all) and formats reports. */
async function explainAll(
  machine: CompatMachine,
  pending: readonly Pending[],
  seed: number,
): Promise<MismatchReport[]> {
  const all: DiffCase[] = [];
  for (const p of pending) for (let m = 1; m <= p.c.code.length; m++) all.push(prefix(p.c, m));
  const refs = await runReference(all);
  let at = 0;
  return pending.map((p) => {
    const base = at;
    at += p.c.code.length;
    for (let m = 0; m < p.c.code.length; m++) {
      const ref = refs[base + m]!;
      const mine = machine.run(all[base + m]!, p.jit);
      if (differences(ref, mine).length > 0) {
        const before = m === 0 ? p.c.state : refs[base + m - 1]!.state;
        return formatMismatch(p.c, p.index, seed, p.jit, m, before, ref, mine);
      }
    }
    return formatMismatch(p.c, p.index, seed, p.jit, -1, p.c.state, p.ref, p.got);
  });
}

function newStats(cls: string): ClassStats {
  return {
    cls,
    cases: 0,
    words: 0,
    executed: 0,
    probes: 0,
    probesAgreed: 0,
    jitCases: 0,
    mismatches: 0,
    jitMismatches: 0,
    deviations: new Map(),
    byRow: new Map(),
    seconds: 0,
  };
}

/** Runs the tester; resolves with per-class figures and the reports of the mismatches kept. */
export async function runDiff(opts: DiffOptions): Promise<DiffSummary> {
  const machine = new CompatMachine();
  const stats: ClassStats[] = [];
  const reports: MismatchReport[] = [];
  const reportKeys = new Set<string>();
  let stop = false;
  for (const name of opts.classes) {
    if (stop) break;
    const cls = classByName(name);
    const st = newStats(name);
    stats.push(st);
    let explained = 0;
    const t0 = Date.now();
    let next = opts.only ?? 0;
    while (!stop && st.words < opts.count) {
      const batch: DiffCase[] = [];
      const indices: number[] = [];
      let words = 0;
      while (batch.length < opts.batch && st.words + words < opts.count) {
        const c = makeCase(cls, opts.seed, next, opts);
        batch.push(c);
        indices.push(next);
        words += c.code.length;
        next++;
        if (opts.only !== undefined) break;
      }
      const reference = runReference(batch);
      // compat64 runs while qemu works in its own process.
      const jitBefore = machine.jitCases;
      const offResults: CaseResult[] = [];
      const onResults: CaseResult[] = [];
      for (const c of batch) {
        const r0 = machine.cpu.retired;
        offResults.push(machine.run(c, false));
        st.executed += machine.cpu.retired - r0;
        onResults.push(machine.run(c, true));
      }
      st.jitCases += machine.jitCases - jitBefore;
      const refs = await reference;
      const pending: Pending[] = [];
      for (let k = 0; k < batch.length && !stop; k++) {
        const c = batch[k]!;
        const ref = refs[k]!;
        st.cases++;
        st.words += c.code.length;
        if (c.rows[c.rows.length - 1] === UNDEFINED_PROBE && ref.pc === CODE_ADDR + 4 * (c.code.length - 1)) {
          st.probes++;
          if (ref.signo === SIGILL && offResults[k]!.signo === SIGILL) st.probesAgreed++;
        }
        for (const jit of [false, true]) {
          const got = jit ? onResults[k]! : offResults[k]!;
          if (differences(ref, got).length === 0) continue;
          const dev = knownDeviation(c, ref, got);
          if (dev) {
            bump(st.deviations, dev.name);
            break;
          }
          if (jit) st.jitMismatches++;
          else st.mismatches++;
          if (explained < (opts.maxExplained ?? 200)) {
            explained++;
            pending.push({ c, index: indices[k]!, jit, ref, got });
          } else bump(st.byRow, '(not narrowed down)');
          if (!opts.keepGoing) stop = true;
          break; // one mismatch per case: the jit-on run usually repeats the interpreter's
        }
      }
      for (const rep of await explainAll(machine, pending, opts.seed)) {
        const rowKey = rep.jit ? `${rep.culpritRow} (jit)` : rep.culpritRow;
        bump(st.byRow, rowKey);
        const key = `${rowKey}/${rep.diffs.map((d) => d.split(':')[0]).join(',')}`;
        if (reports.length < opts.maxReports && !reportKeys.has(key)) {
          reportKeys.add(key);
          reports.push(rep);
          opts.log?.(`${rep.text}\n`);
        }
      }
      st.seconds = (Date.now() - t0) / 1000;
      if (opts.only !== undefined) break;
      opts.log?.(
        `${name}: ${st.cases} cases, ${st.words} words, ${st.executed} executed, ${st.mismatches} mismatches, ` +
          `${st.jitMismatches} jit-only (${st.seconds.toFixed(1)} s)`,
      );
    }
  }
  return { stats, reports };
}

/** The figures as a table. */
export function formatStats(stats: readonly ClassStats[]): string {
  const head =
    'class        cases     words  executed  probes(SIGILL both)  jit-cases  mismatches  jit-only  deviations  seconds';
  const lines = stats.map((s) => {
    const dev = [...s.deviations.values()].reduce((a, b) => a + b, 0);
    let line =
      `${s.cls.padEnd(10)} ${String(s.cases).padStart(7)} ${String(s.words).padStart(9)} ${String(s.executed).padStart(9)}  ` +
      `${`${s.probes} (${s.probesAgreed})`.padStart(19)}  ${String(s.jitCases).padStart(9)}  ` +
      `${String(s.mismatches).padStart(10)}  ${String(s.jitMismatches).padStart(8)}  ${String(dev).padStart(10)}  ${s.seconds.toFixed(1).padStart(7)}`;
    if (s.byRow.size > 0)
      line += `\n    mismatches by first differing row: ${[...s.byRow].map(([r, n]) => `${r} ${n}`).join(', ')}`;
    if (s.deviations.size > 0)
      line += `\n    qemu deviations: ${[...s.deviations].map(([r, n]) => `${r} ${n}`).join(', ')}`;
    return line;
  });
  return [head, ...lines].join('\n');
}
