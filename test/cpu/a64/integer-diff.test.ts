import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeName } from '../../../src/cpu/a64/decoder.js';
import { DP_IMM_ENCODINGS } from '../../../src/cpu/a64/dp-imm.js';
import { DP_REG_ENCODINGS } from '../../../src/cpu/a64/dp-reg.js';
import type { Encoding } from '../../../src/cpu/a64/encoding.js';
import { type DiffCase, hasQemu, randomCase, randomWord, rng, runOnCpu, runOnQemu } from './qemu-diff.js';

/** Rows whose result depends on the pc (ADR/ADRP): checked by hand in dp-imm.test.ts. */
const PC_RELATIVE = new Set(['ADR', 'ADRP']);
const PER_ROW = 40;

function casesFor(table: readonly Encoding[], seed: number): { cases: DiffCase[]; rows: string[] } {
  const next = rng(seed);
  const cases: DiffCase[] = [];
  const rows: string[] = [];
  for (const e of table) {
    if (PC_RELATIVE.has(e.name)) continue;
    for (let i = 0; i < PER_ROW; i++) {
      cases.push(randomCase(randomWord(e.pattern, next), next));
      rows.push(e.name);
    }
  }
  return { cases, rows };
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

function compare(table: readonly Encoding[], seed: number): void {
  const { cases, rows } = casesFor(table, seed);
  const want = runOnQemu(cases);
  const got = runOnCpu(cases);
  let mismatches = 0;
  const report: string[] = [];
  cases.forEach((c, k) => {
    const w = want[k]!;
    const g = got[k]!;
    const where = `${rows[k]} (decodes as ${decodeName(c.insn)}) insn=0x${(c.insn >>> 0).toString(16)} case ${k}`;
    const diffs: string[] = [];
    if (w.undefined !== g.undefined) diffs.push(`undefined: qemu ${w.undefined}, ours ${g.undefined}`);
    else {
      for (let r = 0; r < 31; r++)
        if (w.regs[r] !== g.regs[r]) diffs.push(`x${r}: qemu ${hex(w.regs[r]!)}, ours ${hex(g.regs[r]!)}`);
      if (w.sp !== g.sp) diffs.push(`sp: qemu ${hex(w.sp)}, ours ${hex(g.sp)}`);
      if (w.nzcv !== g.nzcv) diffs.push(`nzcv: qemu ${w.nzcv.toString(2)}, ours ${g.nzcv.toString(2)}`);
    }
    if (diffs.length > 0) {
      mismatches++;
      if (report.length < 20) report.push(`${where}: ${diffs.join('; ')}`);
    }
  });
  assert.equal(mismatches, 0, `${mismatches} of ${cases.length} cases differ:\n${report.join('\n')}`);
}

describe('integer instructions agree with qemu-aarch64 on random operands', {
  skip: !hasQemu() && 'qemu-aarch64 not found',
}, () => {
  it(`data processing — immediate: ${PER_ROW} random words per row`, () => compare(DP_IMM_ENCODINGS, 1));
  it(`data processing — register: ${PER_ROW} random words per row`, () => compare(DP_REG_ENCODINGS, 2));
});
