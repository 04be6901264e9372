/**
 * GCC's C torture execute tests under compat64 against qemu-aarch64: the CI-sized part. Each level
 * runs a different deterministic sample (select.ts), so every run covers all three levels and a
 * different third of the tests at each, about 1/CI_SAMPLE_DIVISOR of the suite in all; the full run is
 * `npm run torture` (test/torture/run-torture.ts).
 *
 * Inputs: the tests fetched by tools/fetch-gcc-torture.sh (run here when gcc-12-source is installed,
 * as CI installs it), aarch64-linux-gnu-gcc and qemu-aarch64. Missing inputs skip the test locally
 * and fail it under CI=true.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { inCI, repoRoot, requireQemu } from '../support/guest-run.js';
import { compilerVersion } from './compile.js';
import { selectTests } from './select.js';
import { DEFAULT_LEVELS, loadSuite, suiteAvailable, TORTURE_DIR } from './suite.js';
import { ERROR_OUTCOMES, type Result, runTorture, tally } from './torture-run.js';

/** Each level runs sample k/CI_SAMPLE_DIVISOR with its own k (O0: 0, O2: 1, O3: 2). */
export const CI_SAMPLE_DIVISOR = 12;

function missing(t: TestContext, why: string): void {
  if (inCI) assert.fail(`${why} (CI installs it, so this is an error there)`);
  t.skip(why);
}

function gccSourceInstalled(): boolean {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own field syntax, not a template
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', 'gcc-12-source'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.startsWith('install ok installed');
}

/** The fetched suite, extracting it first when the package is installed; false (after skip/fail) if absent. */
function requireSuite(t: TestContext): boolean {
  if (!suiteAvailable() && gccSourceInstalled()) {
    const r = spawnSync('bash', [join(repoRoot, 'tools', 'fetch-gcc-torture.sh')], { encoding: 'utf8' });
    assert.equal(r.status, 0, `tools/fetch-gcc-torture.sh failed:\n${r.stdout}${r.stderr}`);
  }
  if (suiteAvailable()) return true;
  const marker = join(TORTURE_DIR, 'UNAVAILABLE');
  const why = existsSync(marker) ? ` (${readFileSync(marker, 'utf8').trim()})` : '';
  missing(t, `debian/gcc-torture/execute missing: run \`npm run fetch-gcc-torture\`${why}`);
  return false;
}

test('gcc torture execute tests: a sample at -O0, -O2, -O3 agrees with qemu-aarch64', async (t) => {
  if (!requireQemu(t)) return;
  if (!compilerVersion()) {
    missing(t, 'aarch64-linux-gnu-gcc not found (Debian: apt-get install gcc-aarch64-linux-gnu)');
    return;
  }
  if (!requireSuite(t)) return;
  const all = loadSuite();
  const results: Result[] = [];
  for (const [k, level] of DEFAULT_LEVELS.entries()) {
    const tests = selectTests(all, { sample: { k, n: CI_SAMPLE_DIVISOR } });
    results.push(...(await runTorture({ tests, levels: [level] })));
  }
  for (const [level, counts] of tally(results)) {
    t.diagnostic(`${level}: ${[...counts].map(([o, n]) => `${o} ${n}`).join(', ')}`);
  }
  const errors = results.filter((r) => ERROR_OUTCOMES.has(r.outcome));
  assert.deepEqual(
    errors.map((r) => `${r.outcome} ${r.id}@${r.level}: ${r.detail}`),
    [],
    'torture tests that differ from qemu-aarch64 (reproduce: node dist/test/torture/run-torture.js --filter ID --levels L)',
  );
  assert.ok(results.filter((r) => r.outcome === 'pass').length > results.length / 2, 'most sampled tests pass');
});
