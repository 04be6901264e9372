/**
 * Random instruction instances from encoding templates, for differential tests against qemu-aarch64
 * (insn-oracle.ts). A template is a 32-character pattern like the encodings table: 0/1 fixed, the
 * register letters d, n, m, a (and the by-element m) take values 0..3, every other letter is random.
 */
import assert from 'node:assert/strict';
import { type InsnState, diffResults, disassemble, formatState, runInterp, runOracle } from './insn-oracle.js';
import { Rng, randomInt64, randomVector } from './fp-values.js';

export interface Template {
  readonly name: string;
  readonly pattern: string;
  /** Preferred lane format of the vector inputs. */
  readonly lanes: 'd' | 's' | 'h' | 'any';
  /** Words to skip (encodings the reference implements but this emulator deliberately does not). */
  readonly skip?: (insn: number) => boolean;
  /** Adjusts the inputs (e.g. an addend that nearly cancels a product). */
  readonly prep?: (st: InsnState, rng: Rng) => void;
  /** Rejects states where the reference is known to be wrong (documented at the template). */
  readonly refBug?: (st: InsnState) => boolean;
}

const REG_LETTERS = 'dnma';

/** A random instruction word of the template (undefined when the skip filter rejects it). */
export function instance(t: Template, rng: Rng): number | undefined {
  const p = t.pattern.replace(/ /g, '');
  if (p.length !== 32) throw new Error(`${t.name}: pattern length ${p.length}`);
  let w = 0;
  // Field values: registers 0..3, other fields random bits.
  const fields = new Map<string, { width: number; pos: number }>();
  for (let i = 0; i < 32; i++) {
    const ch = p[i]!;
    const bit = 31 - i;
    if (ch === '1') w |= 1 << bit;
    else if (ch !== '0' && ch !== '-') {
      const f = fields.get(ch);
      if (f && f.pos - f.width !== bit) throw new Error(`${t.name}: field ${ch} is split`);
      if (f) f.width++;
      else fields.set(ch, { width: 1, pos: bit });
    }
  }
  for (const [ch, f] of fields) {
    const lsb = f.pos - f.width + 1;
    const mask = (1 << f.width) - 1;
    const v = REG_LETTERS.includes(ch) ? rng.int(4) : rng.u32() & mask;
    w |= (v & mask) << lsb;
  }
  w |= 0;
  if (t.skip?.(w)) return undefined;
  return w;
}

const FPCRS = [
  0,
  0,
  0,
  0,
  1 << 22,
  2 << 22,
  3 << 22,
  1 << 24,
  1 << 25,
  (1 << 24) | (1 << 25),
  (2 << 22) | (1 << 24),
  (1 << 22) | (1 << 25),
];

/** A random initial state for an instruction. */
export function randomState(t: Template, insn: number, rng: Rng, fpcrs: readonly number[] = FPCRS): InsnState {
  const q = new Uint8Array(64);
  for (let r = 0; r < 4; r++) randomVector(rng, q, 16 * r, t.lanes);
  const x = new Int32Array(8);
  for (let r = 0; r < 4; r++) {
    const [lo, hi] = randomInt64(rng);
    x[2 * r] = lo;
    x[2 * r + 1] = hi;
  }
  const st: InsnState = {
    insn,
    fpcr: rng.pick(fpcrs),
    nzcv: (rng.u32() & 0xf0000000) >>> 0,
    fpsr: rng.pick([0, 0, 0x10, 0x9f, 0x10]),
    x,
    q,
  };
  t.prep?.(st, rng);
  return st;
}

/**
 * Runs `count` random instances of each template in the interpreter and under qemu and asserts that
 * every register, FPSR and NZCV matches (reporting the first few differences with disassembly).
 */
export function fuzzTemplates(
  templates: readonly Template[],
  count: number,
  seed: number,
  fpcrs?: readonly number[],
): void {
  const rng = new Rng(seed);
  const cases: InsnState[] = [];
  const names: string[] = [];
  for (const t of templates) {
    let made = 0;
    for (let tries = 0; made < count && tries < count * 20; tries++) {
      const w = instance(t, rng);
      if (w === undefined) continue;
      const st = randomState(t, w, rng, fpcrs);
      if (t.refBug?.(st)) continue;
      cases.push(st);
      names.push(t.name);
      made++;
    }
  }
  const ref = runOracle(cases);
  const bad: string[] = [];
  const badWords: number[] = [];
  let failures = 0;
  cases.forEach((c, i) => {
    const got = runInterp(c);
    const why = diffResults(got, ref[i]!);
    if (why === undefined) return;
    failures++;
    if (bad.length >= 8) return;
    badWords.push(c.insn);
    bad.push(
      `${names[i]} ${why}: fpcr=${(c.fpcr >>> 0).toString(16)} fpsr_in=${c.fpsr.toString(16)}\n` +
        `  in:  ${formatState(c)}\n  got: ${formatState(got)}\n  ref: ${formatState(ref[i]!)}`,
    );
  });
  if (failures > 0) {
    const dis = disassemble(badWords);
    const msg = bad.map((b, i) => `${dis[i] ?? ''} :: ${b}`).join('\n');
    assert.fail(`${failures} of ${cases.length} cases differ from qemu-aarch64:\n${msg}`);
  }
}
