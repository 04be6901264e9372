import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CLASSES } from './cases.js';
import { CompatMachine } from './compat-runner.js';
import { type DiffSummary, formatStats, runDiff } from './diff-engine.js';
import { missingTools } from './qemu-runner.js';

// A short fixed-seed run of the differential tester (test/diff/README.md): every class's random
// sequences must give the state qemu-aarch64 gives, with the compiled-block tier off and on.
// Without qemu-aarch64 or the aarch64 cross tools the suite is skipped, except under CI=true, where
// that is a failure. Longer runs: node dist/test/diff/run-diff.js --seed N --count N.
const SEED = 20240601;
const WORDS_PER_CLASS = 15_000;

const missing = missingTools();
const inCi = process.env.CI === 'true';
const skip = missing !== undefined && !inCi ? `${missing} not found (with CI=true this fails)` : false;

/** The figures and the first reports of one kind (interpreter or compiled), for an assertion message. */
function failures(s: DiffSummary, jit: boolean): string {
  const texts = s.reports.filter((r) => r.jit === jit).map((r) => r.text);
  return `${formatStats(s.stats)}\n\n${texts.slice(0, 3).join('\n\n')}`;
}

describe(`differential testing against qemu-aarch64 (seed ${SEED}, ${WORDS_PER_CLASS} words per class)`, {
  skip,
}, () => {
  it('qemu-aarch64 and the aarch64 cross tools are installed', () => {
    assert.equal(missing, undefined, `${missing} is needed by the differential tester`);
  });

  for (const cls of CLASSES) {
    describe(`${cls.name}: ${cls.summary}`, () => {
      let summary: DiffSummary;
      before(async () => {
        summary = await runDiff({
          seed: SEED,
          count: cls.name === 'undefined' ? WORDS_PER_CLASS / 5 : WORDS_PER_CLASS,
          classes: [cls.name],
          maxLen: 24,
          batch: 1000,
          undefinedRate: 0.03,
          keepGoing: true,
          maxReports: 5,
          maxExplained: 20,
        });
      });
      it('the interpreter ends every sequence in the state qemu-aarch64 ends it in', () => {
        assert.equal(summary.stats[0]!.mismatches, 0, failures(summary, false));
      });
      // Undefined words are never compiled (a block cannot start with one) and are the whole case there.
      if (cls.name === 'undefined') return;
      it('compiled blocks end every sequence in the state qemu-aarch64 ends it in', () => {
        const st = summary.stats[0]!;
        assert.ok(st.jitCases > st.cases / 2, `compiled blocks ran in only ${st.jitCases} of ${st.cases} cases`);
        assert.equal(st.jitMismatches, 0, failures(summary, true));
      });
      it('encodings compat64 leaves undefined near these rows raise SIGILL under qemu-aarch64 too', () => {
        const st = summary.stats[0]!;
        assert.ok(st.probes > 0, 'no undefined-encoding probe was reached');
        assert.equal(st.probesAgreed, st.probes);
      });
    });
  }

  it('an exit inside a compiled block reports the pc of the instruction that exited', () => {
    assert.equal(new CompatMachine().jitExitPcBroken(), false);
  });
});
