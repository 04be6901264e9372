/**
 * Comparing and describing results of the differential tester: which parts of two end states
 * differ (how the sequence ended, each register, flags, FPCR/FPSR, the sandbox), and the text of a
 * mismatch report with disassembly (binutils' objdump) and both states.
 */
import { disassemble } from '../support/insn-oracle.js';
import {
  CODE_ADDR,
  type CaseResult,
  type DiffCase,
  SIGBUS,
  SIGNAL_NAMES,
  SIGSEGV,
  ST_FPCR,
  ST_FPSR,
  ST_NZCV,
  ST_SP,
  ST_TPIDR,
  ST_V,
  ST_X,
  u64le,
} from './layout.js';

function hex64(v: bigint): string {
  return `0x${v.toString(16).padStart(16, '0')}`;
}

function vhex(st: Uint8Array, r: number): string {
  // Most significant byte first, as a 128-bit number reads.
  const b = st.subarray(ST_V + 16 * r, ST_V + 16 * r + 16);
  let s = '';
  for (let i = 15; i >= 0; i--) s += b[i]!.toString(16).padStart(2, '0');
  return `0x${s.slice(0, 16)}_${s.slice(16)}`;
}

function signalName(signo: number): string {
  return SIGNAL_NAMES[signo] ?? (signo === 0 ? 'no signal (did not finish)' : `signal ${signo}`);
}

function ending(r: CaseResult): string {
  const idx = (r.pc - CODE_ADDR) / 4;
  const at = Number.isInteger(idx) && idx >= 0 && idx < 1024 ? `[${idx}]` : `0x${r.pc.toString(16)}`;
  const addr = r.signo === SIGSEGV || r.signo === SIGBUS ? ` addr 0x${r.addr.toString(16)}` : '';
  return `${signalName(r.signo)} at ${at}${addr}`;
}

/** Named 64-bit fields of a state. */
const SCALARS: readonly [string, number][] = [
  ...Array.from({ length: 31 }, (_, r) => [`x${r}`, ST_X + 8 * r] as [string, number]),
  ['sp', ST_SP],
  ['nzcv', ST_NZCV],
  ['fpcr', ST_FPCR],
  ['fpsr', ST_FPSR],
  ['tpidr_el0', ST_TPIDR],
];

/** The differences between a reference result and compat64's, as `name: qemu X, compat64 Y` lines. */
export function differences(ref: CaseResult, got: CaseResult): string[] {
  const out: string[] = [];
  const refEnd = ending(ref);
  const gotEnd = ending(got);
  if (refEnd !== gotEnd) out.push(`end: qemu ${refEnd}, compat64 ${gotEnd}`);
  for (const [name, off] of SCALARS) {
    const a = u64le(ref.state, off);
    const b = u64le(got.state, off);
    if (a !== b) out.push(`${name}: qemu ${hex64(a)}, compat64 ${hex64(b)}`);
  }
  for (let r = 0; r < 32; r++) {
    const a = vhex(ref.state, r);
    const b = vhex(got.state, r);
    if (a !== b) out.push(`v${r}: qemu ${a}, compat64 ${b}`);
  }
  const n = Math.min(ref.sandbox.length, got.sandbox.length);
  let diffBytes = 0;
  let first = -1;
  for (let i = 0; i < n; i++) {
    if (ref.sandbox[i] !== got.sandbox[i]) {
      diffBytes++;
      if (first < 0) first = i;
    }
  }
  if (diffBytes > 0) {
    const from = first - (first % 16);
    const show = (b: Uint8Array) => Buffer.from(b.subarray(from, from + 32)).toString('hex');
    out.push(
      `sandbox: ${diffBytes} bytes differ, first at +0x${first.toString(16)}; ` +
        `+0x${from.toString(16)}: qemu ${show(ref.sandbox)}, compat64 ${show(got.sandbox)}`,
    );
  }
  return out;
}

/**
 * The registers of a state that differ from a base state, one line; without a base, the general
 * registers and flags, plus the vector registers when withVectors is set.
 */
export function describeState(st: Uint8Array, base?: Uint8Array, withVectors = true): string {
  const parts: string[] = [];
  for (const [name, off] of SCALARS) {
    const v = u64le(st, off);
    if (base === undefined || v !== u64le(base, off)) parts.push(`${name}=${hex64(v)}`);
  }
  for (let r = 0; r < 32 && (base !== undefined || withVectors); r++) {
    const v = vhex(st, r);
    if (base === undefined || v !== vhex(base, r)) parts.push(`v${r}=${v}`);
  }
  return parts.join(' ');
}

/** Classes whose instructions read vector registers (their reports show V0-V31 before the culprit). */
const VECTOR_CLASSES = new Set(['ldst', 'fp', 'simd-int', 'simd-fp', 'crypto']);

/** The sequence as lines: index, address, word, disassembly, row; `>` marks the given index. */
export function listing(c: DiffCase, mark: number): string[] {
  const dis = disassemble([...c.code]);
  return [...c.code].map((w, i) => {
    const addr = (CODE_ADDR + 4 * i).toString(16);
    const word = (w >>> 0).toString(16).padStart(8, '0');
    return `${i === mark ? '>' : ' '}${String(i).padStart(4)}  ${addr}: ${word}  ${(dis[i] ?? '').padEnd(44)} ${c.rows[i]}`;
  });
}

export interface MismatchReport {
  readonly cls: string;
  readonly index: number;
  readonly jit: boolean;
  /** Index of the first instruction whose prefix disagrees, or -1 when not narrowed down. */
  readonly culprit: number;
  readonly culpritWord: number;
  readonly culpritRow: string;
  readonly diffs: readonly string[];
  readonly text: string;
}

/** The text of a mismatch: the culprit with its disassembly, the differences, states and listing. */
export function formatMismatch(
  c: DiffCase,
  index: number,
  seed: number,
  jit: boolean,
  culprit: number,
  before: Uint8Array,
  ref: CaseResult,
  got: CaseResult,
): MismatchReport {
  const diffs = differences(ref, got);
  const word = culprit >= 0 ? c.code[culprit]! : 0;
  const row = culprit >= 0 ? c.rows[culprit]! : '?';
  const dis = culprit >= 0 ? (disassemble([word])[0] ?? '') : '';
  const lines = [
    `MISMATCH class ${c.cls}, case ${index} (reproduce: --seed ${seed} --class ${c.cls} --case ${index}), qemu -cpu ${c.model}, compat64 jit ${jit ? 'on' : 'off'}`,
    culprit >= 0
      ? `first differing instruction: [${culprit}] 0x${(word >>> 0).toString(16).padStart(8, '0')}  ${dis}  (row ${row})`
      : 'first differing instruction: not found (the full sequence differs, no prefix does)',
    ...diffs.map((d) => `  ${d}`),
    `state before it (both agree): ${describeState(before, undefined, VECTOR_CLASSES.has(c.cls) || diffs.some((d) => d.startsWith('v')))}`,
    `qemu after:     ${describeState(ref.state, before)}  [${ending(ref)}]`,
    `compat64 after: ${describeState(got.state, before)}  [${ending(got)}]`,
    'sequence (run up to and including the marked instruction, then BRK #0):',
    ...listing(c, culprit),
  ];
  return { cls: c.cls, index, jit, culprit, culpritWord: word, culpritRow: row, diffs, text: lines.join('\n') };
}
