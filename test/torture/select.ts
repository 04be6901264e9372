/**
 * Deterministic subsets of the torture suite: a test belongs to sample k of n when a hash of its id
 * is k modulo n, so the samples partition the suite and stay the same as tests are added elsewhere.
 */
import { createHash } from 'node:crypto';
import type { TortureTest } from './suite.js';

export function inSample(id: string, k: number, n: number): boolean {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % n === k;
}

/** Parses "k/n" (0 <= k < n). */
export function parseSample(text: string): { k: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const k = m ? Number(m[1]) : Number.NaN;
  const n = m ? Number(m[2]) : Number.NaN;
  if (!(n >= 1 && k >= 0 && k < n)) throw new Error(`bad sample ${text}: expected k/n with 0 <= k < n`);
  return { k, n };
}

export function selectTests(
  tests: readonly TortureTest[],
  opts: { sample?: { k: number; n: number }; filter?: RegExp },
): TortureTest[] {
  return tests.filter(
    (t) => (!opts.sample || inSample(t.id, opts.sample.k, opts.sample.n)) && (!opts.filter || opts.filter.test(t.id)),
  );
}
