/**
 * Deterministic input files for the busybox tests: the same bytes, modes and modification times on
 * every run, so that tools whose output shows sizes, modes or dates (ls -l, stat, tar, diff -u) give the
 * same answer under both runners. Each run gets a fresh copy, because some commands modify their inputs.
 */
import { createHash } from 'node:crypto';
import { chmodSync, lutimesSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** 2021-02-03 04:05:06 UTC: old enough that ls -l prints the year. */
export const FIXED_MTIME = new Date(Date.UTC(2021, 1, 3, 4, 5, 6));

/** xorshift32: the same pseudo-random stream in every run. */
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

const WORDS = [
  'alpha',
  'bravo',
  'charlie',
  'delta',
  'echo',
  'foxtrot',
  'golf',
  'hotel',
  'india',
  'juliet',
  'kilo',
  'lima',
  'Mike',
  'november',
  'oscar',
  'papa',
] as const;

function pick(next: () => number): string {
  return WORDS[next() % WORDS.length]!;
}

/** "word number" lines with repeats, mixed case and uneven spacing: food for sort, uniq, sed, tr, cut. */
function lines(): string {
  const next = random(1);
  let out = '';
  for (let i = 0; i < 40; i++) {
    const spaces = ' '.repeat(1 + (next() % 3));
    out += `${pick(next)}${spaces}${next() % 1000}\n`;
  }
  return out;
}

/** name,integer,decimal rows for awk and cut. */
function csv(): string {
  const next = random(2);
  let out = '';
  for (let i = 0; i < 25; i++) {
    const n = (next() % 2001) - 1000;
    const d = ((next() % 100000) / 997).toFixed(4);
    out += `${pick(next)},${n},${d}\n`;
  }
  return out;
}

function numbers(): string {
  const next = random(3);
  let out = '';
  for (let i = 0; i < 30; i++) out += `${(next() % 20001) - 10000}${i % 4 === 0 ? '.5' : ''}\n`;
  return out;
}

/** Compressible text of about `size` bytes: words in lines of varying length. */
export function text(size: number, seed = 4): string {
  const next = random(seed);
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const words = 3 + (next() % 12);
    let line = '';
    for (let w = 0; w < words; w++) line += (w ? ' ' : '') + pick(next);
    line += ` ${next() % 100}.\n`;
    parts.push(line);
    length += line.length;
  }
  return parts.join('').slice(0, size);
}

/** Incompressible bytes. */
export function binary(size: number, seed = 5): Buffer {
  const next = random(seed);
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) buf.writeUInt32LE(next(), i);
  return buf;
}

/** 30 numbered lines, and a copy with two lines changed and one appended: for cmp and diff. */
function pair(): [string, string] {
  const a: string[] = [];
  for (let i = 1; i <= 30; i++) a.push(`line ${i}: ${WORDS[i % WORDS.length]}`);
  const b = [...a];
  b[4] = 'line 5: changed';
  b[16] = 'line 17: also changed';
  b.push('line 31: appended');
  return [`${a.join('\n')}\n`, `${b.join('\n')}\n`];
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export interface FixtureFile {
  path: string;
  data: string | Buffer;
  mode: number;
}

/** Every file of the fixture; directories are implied by the paths (plus `tree/empty`). */
export function fixtureFiles(): FixtureFile[] {
  const [a, b] = pair();
  const data = binary(64 * 1024);
  const big = text(200 * 1024);
  const sortedWords = lines()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[0]!)
    .sort();
  const files: FixtureFile[] = [
    { path: 'lines.txt', data: lines(), mode: 0o644 },
    { path: 'csv.txt', data: csv(), mode: 0o644 },
    { path: 'nums.txt', data: numbers(), mode: 0o644 },
    { path: 'sorted.txt', data: `${sortedWords.join('\n')}\n`, mode: 0o644 },
    { path: 'data.bin', data, mode: 0o644 },
    { path: 'text.txt', data: big, mode: 0o644 },
    { path: 'a.txt', data: a, mode: 0o644 },
    { path: 'b.txt', data: b, mode: 0o644 },
    { path: 'sums.txt', data: `${sha256(data)}  data.bin\n${sha256(big)}  text.txt\n`, mode: 0o644 },
    { path: 'tree/a.txt', data: 'first file\n', mode: 0o644 },
    { path: 'tree/b.bin', data: binary(3000, 6), mode: 0o600 },
    { path: 'tree/run.sh', data: '#!/bin/sh\necho run\n', mode: 0o755 },
    { path: 'tree/sub/c.txt', data: text(1500, 7), mode: 0o640 },
    { path: 'tree/sub/deep/d.txt', data: 'deep\n', mode: 0o444 },
  ];
  return files;
}

/** Directories in creation order (parents first). */
const DIRECTORIES = ['tree', 'tree/sub', 'tree/sub/deep', 'tree/empty'];

/** Writes the fixture into `dir` and pins modes and times (directories last: adding entries touches them). */
export function writeFixture(dir: string): void {
  for (const d of DIRECTORIES) mkdirSync(join(dir, d), { recursive: true });
  for (const f of fixtureFiles()) {
    const path = join(dir, f.path);
    writeFileSync(path, f.data);
    chmodSync(path, f.mode);
    utimesSync(path, FIXED_MTIME, FIXED_MTIME);
  }
  symlinkSync('a.txt', join(dir, 'tree', 'link'));
  lutimesSync(join(dir, 'tree', 'link'), FIXED_MTIME, FIXED_MTIME);
  for (const d of [...DIRECTORIES].reverse()) {
    chmodSync(join(dir, d), 0o755);
    utimesSync(join(dir, d), FIXED_MTIME, FIXED_MTIME);
  }
}

/** A fresh fixture directory under the system temporary directory. */
export function makeFixtureDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `c64-bb-${label}-`));
  writeFixture(dir);
  return dir;
}
