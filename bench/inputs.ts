/**
 * Benchmark input files, generated the same way on every run so timings compare across machines and
 * commits: pseudo-random bytes (for hashing) and word text that compresses like prose (for gzip).
 */
import { writeFileSync } from 'node:fs';

/** xorshift32: reproducible, and fast enough to make megabytes in a few milliseconds. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

export function writeRandomBytes(path: string, size: number, seed = 1): void {
  const next = random(seed);
  const buf = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) buf.writeUInt32LE(next(), i);
  writeFileSync(path, buf);
}

const WORDS =
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an they you were her she there one all we their can has been if more when will would who so no'.split(
    ' ',
  );

/** Lines of words drawn with a skewed distribution (frequent words are frequent), plus numbers. */
export function writeText(path: string, size: number, seed = 2): void {
  const next = random(seed);
  const buf = Buffer.alloc(size);
  let at = 0;
  while (at < size) {
    const words = 4 + (next() % 14);
    let line = '';
    for (let w = 0; w < words; w++) {
      const r = next() % WORDS.length;
      line += `${WORDS[(r * r) % WORDS.length]} `;
    }
    line += `${next() % 10000}.\n`;
    at += buf.write(line, at, 'latin1');
  }
  writeFileSync(path, buf);
}
