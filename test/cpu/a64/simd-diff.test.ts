import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Encoding } from '../../../src/cpu/a64/encoding.js';
import { SIMD_INT_ENCODINGS } from '../../../src/cpu/a64/simd-int.js';
import { SIMD_PERM_ENCODINGS } from '../../../src/cpu/a64/simd-perm.js';
import { hasAssembler } from '../../support/asm-harness.js';
import { hasQemu, randomValue, randomWord, rng } from './qemu-diff.js';
import { randomVregs, runSimdOnCpu, runSimdOnQemu, type SimdDiffCase } from './simd-qemu-diff.js';

// Random words of every AdvSIMD integer and permute row, on random and extreme register values,
// compared with qemu-aarch64 (Cortex-A72, ARMv8.0): V0-V31, X0-X30, FPSR and undefined-ness.
// SIMD_DIFF_PER_ROW raises the number of words per row for a longer exploratory run.
const PER_ROW = Number(process.env.SIMD_DIFF_PER_ROW ?? 30);
const SEED = Number(process.env.SIMD_DIFF_SEED ?? 0x51d);

/** Words that are valid only with extensions qemu's Cortex-A72 has and compat64 leaves out. */
function extensionOnly(name: string, insn: number): boolean {
  // PMULL/PMULL2 .1q (size 3) belongs to the crypto extension.
  return name === 'PMULL' && ((insn >>> 22) & 3) === 3;
}

function runRows(rows: readonly Encoding[], seed: number): string[] {
  const next = rng(seed);
  const cases: SimdDiffCase[] = [];
  const names: string[] = [];
  for (const row of rows) {
    for (let i = 0; i < PER_ROW; i++) {
      const x: bigint[] = [];
      for (let r = 0; r < 31; r++) x.push(randomValue(next));
      cases.push({ insn: randomWord(row.pattern, next), x, v: randomVregs(next) });
      names.push(row.name);
    }
  }
  const want = runSimdOnQemu(cases);
  const got = runSimdOnCpu(cases);
  const problems: string[] = [];
  cases.forEach((c, k) => {
    const w = want[k]!;
    const g = got[k]!;
    const word = `${names[k]} 0x${(c.insn >>> 0).toString(16).padStart(8, '0')}`;
    if (g.undefined || w.undefined) {
      if (g.undefined !== w.undefined && !(g.undefined && extensionOnly(names[k]!, c.insn)))
        problems.push(`${word}: undefined ${g.undefined}, qemu ${w.undefined}`);
      return;
    }
    for (let r = 0; r < 32; r++) {
      const a = Buffer.from(g.v.subarray(r * 16, r * 16 + 16)).toString('hex');
      const b = Buffer.from(w.v.subarray(r * 16, r * 16 + 16)).toString('hex');
      if (a !== b) problems.push(`${word}: v${r} ${a}, qemu ${b}`);
    }
    for (let r = 0; r < 31; r++) {
      if (g.x[r] !== w.x[r]) problems.push(`${word}: x${r} ${g.x[r]!.toString(16)}, qemu ${w.x[r]!.toString(16)}`);
    }
    if (g.fpsr !== w.fpsr) problems.push(`${word}: fpsr ${g.fpsr.toString(16)}, qemu ${w.fpsr.toString(16)}`);
  });
  return problems;
}

const skip = !hasAssembler() || !hasQemu();

test('AdvSIMD integer rows match qemu-aarch64 on random words and values', { skip }, () => {
  const problems = runRows(SIMD_INT_ENCODINGS, SEED);
  assert.deepEqual(problems.slice(0, 20), []);
});

test('AdvSIMD permute/copy/immediate rows match qemu-aarch64 on random words and values', { skip }, () => {
  const problems = runRows(SIMD_PERM_ENCODINGS, SEED + 1);
  assert.deepEqual(problems.slice(0, 20), []);
});
