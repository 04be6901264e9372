import type { Cpu } from './cpu.js';
import { type Encoding, type Handler, patternBits } from './encoding.js';
import { ENCODINGS } from './encodings.js';

/**
 * The decoder, generated from the encodings table when this module loads: words are bucketed by
 * bits 31:21, and each bucket lists (lazily, on first use) the rows that can match it, most specific
 * first. Decoding happens once per instruction address (the CPU caches handler ids per code page),
 * so the scan's cost is off the hot path. Building a bucket looks its candidates up by the rows'
 * fixed top bits (a few dozen distinct masks) rather than testing all rows: a short program's
 * start-up fills a few hundred buckets.
 */

/** Id 0 means "not decoded yet" in decode caches; id 1 is the undefined-instruction row. */
export const UNDECODED_ID = 0;
export const UNDEFINED_ID = 1;

const undecoded: Handler = () => {
  throw new Error('handler id 0 executed');
};
const undefinedInsn: Handler = (cpu: Cpu) => cpu.undefined();

interface Row {
  readonly id: number;
  readonly mask: number;
  readonly value: number;
  readonly specificity: number;
  readonly enc: Encoding;
}

/**
 * The rows' mask and value pairs, in ENCODINGS order, as tools/bundle.ts computes them with
 * patternBits when it builds the command's bundle (parsing 717 patterns was ~2 ms of every start);
 * absent when these modules run unbundled (tests, the library), which compute them here.
 */
declare const COMPAT64_DECODER_BITS: readonly number[] | undefined;

/** [mask, value] per row: the bundle's precomputed pairs when they match this table's size. */
function rowBits(): (i: number) => { mask: number; value: number } {
  const pre = typeof COMPAT64_DECODER_BITS === 'object' ? COMPAT64_DECODER_BITS : undefined;
  if (pre !== undefined && pre.length === ENCODINGS.length * 2)
    return (i) => ({ mask: pre[2 * i]!, value: pre[2 * i + 1]! });
  return (i) => patternBits(ENCODINGS[i]!.pattern);
}

const bitsOf = rowBits();
const rows: Row[] = ENCODINGS.map((e, i) => {
  const { mask, value } = bitsOf(i);
  return { id: i + 2, mask, value, specificity: popcount(mask), enc: e };
});

/** Handler per id: HANDLERS[id](cpu, insn). */
export const HANDLERS: Handler[] = [undecoded, undefinedInsn, ...ENCODINGS.map((e) => e.handler)];
/** Row name per id, for tracing and tests. */
export const HANDLER_NAMES: string[] = ['(undecoded)', 'UNDEFINED', ...ENCODINGS.map((e) => e.name)];

if (HANDLERS.length > 65535) throw new Error('too many encodings for 16-bit decode caches');

const BUCKET_SHIFT = 21;
const BUCKET_COUNT = 1 << (32 - BUCKET_SHIFT);
const buckets: (Row[] | undefined)[] = new Array(BUCKET_COUNT);

/**
 * Rows grouped by the fixed bits among bits 31:21 (the bucket number): a row can match bucket b
 * exactly when b & topMask equals its top value.
 */
interface TopGroup {
  readonly topMask: number;
  readonly byTopValue: Map<number, Row[]>;
}

let topGroups: TopGroup[] | undefined;

function groupRows(): TopGroup[] {
  const byMask = new Map<number, Map<number, Row[]>>();
  for (const r of rows) {
    const topMask = r.mask >>> BUCKET_SHIFT;
    let byValue = byMask.get(topMask);
    if (byValue === undefined) {
      byValue = new Map();
      byMask.set(topMask, byValue);
    }
    const topValue = r.value >>> BUCKET_SHIFT;
    const list = byValue.get(topValue);
    if (list === undefined) byValue.set(topValue, [r]);
    else list.push(r);
  }
  return [...byMask].map(([topMask, byTopValue]) => ({ topMask, byTopValue }));
}

function bucketRows(b: number): Row[] {
  let list = buckets[b];
  if (list !== undefined) return list;
  topGroups ??= groupRows();
  list = [];
  for (const g of topGroups) {
    const candidates = g.byTopValue.get(b & g.topMask);
    if (candidates !== undefined) for (const r of candidates) list.push(r);
  }
  list.sort((a, c) => c.specificity - a.specificity || a.id - c.id);
  buckets[b] = list;
  return list;
}

/** The handler id for an instruction word (UNDEFINED_ID when no row matches). */
export function decode(insn: number): number {
  const w = insn >>> 0;
  const list = bucketRows(w >>> BUCKET_SHIFT);
  for (let i = 0; i < list.length; i++) {
    const r = list[i]!;
    if ((w & r.mask) >>> 0 === r.value) return r.id;
  }
  return UNDEFINED_ID;
}

/** Every row's [mask, value] from its pattern, in table order (tools/bundle.ts precomputes them with this). */
export function decoderBits(table: readonly Encoding[] = ENCODINGS): number[] {
  return table.flatMap((e) => {
    const { mask, value } = patternBits(e.pattern);
    return [mask, value];
  });
}

/** The row name an instruction word decodes to, for traces and tests. */
export function decodeName(insn: number): string {
  return HANDLER_NAMES[decode(insn)]!;
}

/**
 * Checks the table: patterns of 32 characters of 0, 1, - or letters; no two rows of equal
 * specificity that can match the same word (the decoder could not choose between them).
 */
export function checkEncodings(table: readonly Encoding[] = ENCODINGS): string[] {
  const problems: string[] = [];
  const bits = table.map((e) => patternBits(e.pattern));
  table.forEach((e, i) => {
    if (e.pattern.length !== 32) problems.push(`${e.name}: pattern has ${e.pattern.length} characters`);
    if (!/^[01a-zA-Z-]+$/.test(e.pattern)) problems.push(`${e.name}: bad characters in pattern`);
    const seen = new Set<string>();
    let prev = '';
    for (const ch of e.pattern) {
      if (/[a-zA-Z]/.test(ch) && ch !== prev && seen.has(ch)) problems.push(`${e.name}: field ${ch} is split`);
      seen.add(ch);
      prev = ch;
    }
    const a = bits[i]!;
    for (let j = 0; j < i; j++) {
      const b = bits[j]!;
      if (popcount(a.mask) !== popcount(b.mask)) continue;
      const common = (a.mask & b.mask) >>> 0;
      if (((a.value ^ b.value) & common) === 0)
        problems.push(`${e.name} overlaps ${table[j]!.name} at equal specificity`);
    }
  });
  return problems;
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
