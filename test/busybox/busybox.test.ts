/**
 * Differential tests with Debian's unmodified busybox-static (fetched by tools/fetch-debian.sh): each
 * case runs the same busybox commands under qemu-aarch64 and under compat64 (with `--root /`), each in
 * its own fresh copy of a deterministic fixture directory used as the working directory, and the two
 * must agree on stdout, stderr, exit status and, where a command writes files, on the files left behind.
 * The qemu run is first checked against the host's own answer where there is one (checksums from
 * node:crypto, base64 from Buffer, a gzip round trip), so the harness itself is known to be right.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  howEnded,
  type RunOptions,
  type RunResult,
  requireBusybox,
  requireQemu,
  runCompat64,
  runQemu,
} from '../support/guest-run.js';
import { FIXED_MTIME, fixtureFiles, makeFixtureDir, sha256 } from './fixture.js';

type Input = string | Buffer | ((previous: readonly RunResult[]) => Buffer);

interface Step {
  /** Arguments after `busybox`, starting with the applet name. */
  args: string[];
  stdin?: Input;
}

interface Case {
  name: string;
  steps: Step[];
  /** Describes files the steps leave behind; compared between runners like the output. */
  after?: (dir: string) => string;
  /** Checks the qemu run against what the host knows the answer to be. */
  expect?: (results: readonly RunResult[], dir: string) => void;
}

type Runner = (args: readonly string[], opts: RunOptions) => RunResult;

const step = (args: string[], stdin?: Input): Step => (stdin === undefined ? { args } : { args, stdin });
const file = (name: string): string =>
  fixtureFiles()
    .find((f) => f.path === name)!
    .data.toString('latin1');
const fileBytes = (name: string): Buffer => Buffer.from(fixtureFiles().find((f) => f.path === name)!.data);
const out = (r: RunResult | undefined): string => (r ? r.stdout.toString('latin1') : '');

/** Output as text when it is text, else its length and hash (binary diffs are unreadable anyway). */
function describeBytes(buf: Buffer): string {
  const text = buf.toString('utf8');
  if (!buf.includes(0) && Buffer.from(text, 'utf8').equals(buf)) return text;
  return `<${buf.length} bytes, sha256 ${sha256(buf)}>`;
}

/** Lists a directory tree: type, mode, size, mtime (when not the fixture's) and content hash per entry. */
function describeTree(root: string, rel = ''): string {
  let text = '';
  for (const name of readdirSync(join(root, rel)).sort()) {
    const path = join(rel, name);
    const full = join(root, path);
    const st = lstatSync(full);
    const mode = (st.mode & 0o7777).toString(8);
    const time = st.mtimeMs === FIXED_MTIME.getTime() ? 'fixed-mtime' : 'other-mtime';
    if (st.isSymbolicLink()) text += `${path} -> ${readlinkSync(full)}\n`;
    else if (st.isDirectory()) text += `${path}/ ${mode} ${time}\n${describeTree(root, path)}`;
    else text += `${path} ${mode} ${st.size} ${time} ${sha256(readFileSync(full))}\n`;
  }
  return text;
}

const hashOf = (algorithm: string, data: Buffer): string => createHash(algorithm).update(data).digest('hex');

function checksumCase(applet: string, algorithm: string): Case {
  return {
    name: `${applet}: digests of files and stdin, and -c verification`,
    steps: [
      step([applet, 'data.bin', 'text.txt']),
      step([applet], 'abc'),
      ...(applet === 'sha256sum' ? [step([applet, '-c', 'sums.txt'])] : []),
    ],
    expect: (r) => {
      const expected = ['data.bin', 'text.txt'].map((f) => `${hashOf(algorithm, fileBytes(f))}  ${f}\n`).join('');
      assert.equal(out(r[0]), expected);
      assert.equal(out(r[1]), `${hashOf(algorithm, Buffer.from('abc'))}  -\n`);
      if (r[2]) assert.equal(out(r[2]), 'data.bin: OK\ntext.txt: OK\n');
    },
  };
}

const CASES: Case[] = [
  {
    name: 'echo: arguments joined by single spaces, -n, -e escapes',
    steps: [
      step(['echo', 'hello', '  world']),
      step(['echo', '-n', 'no newline']),
      step(['echo', '-e', 'tab\\there\\nnext \\0101']),
    ],
    expect: (r) => {
      assert.equal(out(r[0]), 'hello   world\n');
      assert.equal(out(r[1]), 'no newline');
      assert.equal(out(r[2]), 'tab\there\nnext A\n');
    },
  },
  {
    name: 'cat: files and stdin (-) concatenated in order; a missing file is an error',
    steps: [
      step(['cat', 'a.txt', '-', 'lines.txt'], 'from stdin\n'),
      step(['cat', '-n', 'csv.txt']),
      step(['cat', 'missing.txt']),
    ],
    expect: (r) => {
      assert.equal(out(r[0]), `${file('a.txt')}from stdin\n${file('lines.txt')}`);
      assert.equal(r[2]!.status, 1);
    },
  },
  {
    name: 'wc: lines, words and bytes of files and of stdin',
    steps: [
      step(['wc', 'lines.txt', 'text.txt', 'data.bin']),
      step(['wc', '-l'], file('text.txt')),
      step(['wc', '-c', '-w'], 'one two\nthree'),
    ],
    expect: (r) => assert.equal(out(r[1]).trim(), String(file('text.txt').split('\n').length - 1)),
  },
  {
    name: 'sort: byte order, numeric, reverse, keyed and unique',
    steps: [
      step(['sort', 'lines.txt']),
      step(['sort', '-n', 'nums.txt']),
      step(['sort', '-rn', 'nums.txt']),
      step(['sort', '-t', ',', '-k2,2n', 'csv.txt']),
      step(['sort', '-u', '-f', 'sorted.txt']),
      step(['sort', '-k2n', '-k1,1', 'lines.txt']),
    ],
    expect: (r) => {
      const sorted = file('lines.txt').split('\n').filter(Boolean).sort();
      assert.equal(out(r[0]), `${sorted.join('\n')}\n`);
    },
  },
  {
    name: 'uniq: collapse, count, only repeated, only unique',
    steps: [
      step(['uniq', 'sorted.txt']),
      step(['uniq', '-c', 'sorted.txt']),
      step(['uniq', '-d', 'sorted.txt']),
      step(['uniq', '-u', 'sorted.txt']),
    ],
  },
  {
    name: 'head: first lines or bytes of files and stdin',
    steps: [
      step(['head', '-n', '5', 'lines.txt']),
      step(['head', '-c', '100', 'data.bin']),
      step(['head', '-n', '2'], file('csv.txt')),
    ],
    expect: (r) => assert.ok(r[1]!.stdout.equals(fileBytes('data.bin').subarray(0, 100))),
  },
  {
    name: 'tail: last lines or bytes, and from a line on',
    steps: [
      step(['tail', '-n', '3', 'lines.txt']),
      step(['tail', '-c', '50', 'text.txt']),
      step(['tail', '-n', '+38', 'lines.txt']),
    ],
    expect: (r) => assert.equal(out(r[1]), file('text.txt').slice(-50)),
  },
  {
    name: 'cut: fields by delimiter, character ranges, -s',
    steps: [
      step(['cut', '-d', ',', '-f', '1,3', 'csv.txt']),
      step(['cut', '-c', '2-5,8-', 'lines.txt']),
      step(['cut', '-d', ' ', '-f', '2', '-s', 'lines.txt']),
    ],
  },
  {
    name: 'tr: translate ranges, delete, squeeze, complement',
    steps: [
      step(['tr', 'a-z', 'A-Z'], file('lines.txt')),
      step(['tr', '-d', 'aeiou'], file('lines.txt')),
      step(['tr', '-s', ' '], file('lines.txt')),
      step(['tr', '-c', '-d', 'a-z\\n'], file('csv.txt')),
    ],
    expect: (r) => assert.equal(out(r[0]), file('lines.txt').toUpperCase()),
  },
  {
    name: 'sed: substitution with groups, ranges, delete, in-place edit',
    steps: [
      step(['sed', '-e', 's/\\([a-zA-Z]*\\) *\\([0-9]*\\)/\\2=\\1/', 'lines.txt']),
      step(['sed', '-n', '2,4p;$p', 'lines.txt']),
      step(['sed', '/^[a-d]/d;s/o/0/g', 'lines.txt']),
      step(['sed', '-i', 's/line/LINE/;/: [d-f]/d', 'a.txt']),
    ],
    after: (dir) => readFileSync(join(dir, 'a.txt'), 'latin1'),
  },
  {
    // Debian's busybox-static awk is built without libm ("Math support is not compiled in"): no sin/exp/^.
    name: 'awk: fields, floating-point arithmetic and printf, OFMT/CONVFMT, arrays, string functions',
    steps: [
      step([
        'awk',
        '-F',
        ',',
        '{ s += $2 * 1.5; printf "%-10s %9.3f %12.4e %g\\n", $1, $3 / 7, $2 * 1e10, $3 * $3 } END { printf "total %.6f avg %.17g\\n", s, s / NR }',
        'csv.txt',
      ]),
      step([
        'awk',
        'BEGIN { x = 1; for (i = 1; i <= 30; i++) { x = x * 1.7 + 1 / i; printf "%d %.17g %.4f %e %d %s %g\\n", i, 1 / i, x, x / 3, int(-i / 3), x * 1e20, -x / 7 } }',
      ]),
      step([
        'awk',
        'BEGIN { print 7 % 3, -7 % 3, 1e300 * 1e10, 0.1 + 0.2, 1 / 3, int(-3.9), 100000 * 100000, 9007199254740993, 1e-5; OFMT = "%.3f"; print 1 / 3; CONVFMT = "%.2g"; y = 3.14159 ""; print y }',
      ]),
      step(['awk', '{ n[$1]++ } END { for (w in n) c++; print c, NR, length(n) }', 'lines.txt']),
      step(['awk', '{ print length($0), toupper($1), substr($1, 2, 3), $2 % 7, $2 / 3, index($1, "a") }', 'lines.txt']),
    ],
    expect: (r) => {
      for (const x of r) assert.equal(x.status, 0, x.stderr.toString());
      assert.equal(out(r[2]), '1 -1 inf 0.3 0.333333 -3 10000000000 9007199254740992 1e-05\n0.333\n3.1\n');
    },
  },
  checksumCase('md5sum', 'md5'),
  checksumCase('sha1sum', 'sha1'),
  checksumCase('sha256sum', 'sha256'),
  checksumCase('sha512sum', 'sha512'),
  {
    name: 'gzip/gunzip: -9 round trip, in-place compression, and a stream made by zlib',
    steps: [
      step(['gzip', '-9', '-c', 'text.txt']),
      step(['gunzip', '-c'], (r) => r[0]!.stdout),
      step(['gzip', '-1', 'data.bin']),
      step(['gunzip', '-t', 'data.bin.gz']),
      step(['gunzip', '-c'], gzipSync(file('lines.txt'))),
    ],
    after: (dir) => describeTree(dir),
    expect: (r) => {
      assert.ok(r[0]!.stdout.length < file('text.txt').length / 2, 'text compresses');
      assert.equal(out(r[1]), file('text.txt'));
      assert.equal(out(r[4]), file('lines.txt'));
    },
  },
  {
    name: 'bzip2: round trip through bzip2 -c and bunzip2',
    steps: [
      step(['bzip2', '-c', 'text.txt']),
      step(['bunzip2', '-c'], (r) => r[0]!.stdout),
      step(['bzip2', '-k', 'lines.txt']),
    ],
    after: (dir) => describeTree(dir),
    expect: (r) => {
      assert.equal(r[0]!.stdout.subarray(0, 3).toString(), 'BZh');
      assert.equal(out(r[1]), file('text.txt'));
    },
  },
  {
    name: 'tar: create to stdout and to a file, list, extract elsewhere with modes, times and links',
    steps: [
      step(['tar', '-cf', '-', 'tree']),
      step(['tar', '-cvf', 't.tar', 'tree']),
      step(['tar', '-tvf', 't.tar']),
      step(['mkdir', 'out']),
      step(['tar', '-xvf', 't.tar', '-C', 'out']),
    ],
    after: (dir) => describeTree(join(dir, 'out')),
    expect: (r, dir) => {
      assert.equal(r[4]!.status, 0);
      // busybox tar sets a directory's time when it creates it, before filling it, so only files keep theirs.
      const filesOnly = (tree: string) => tree.replace(/^.*\/ 755 \S+\n/gm, '');
      assert.equal(filesOnly(describeTree(join(dir, 'out', 'tree'))), filesOnly(describeTree(join(dir, 'tree'))));
    },
  },
  {
    name: 'ls: long listings with modes, sizes, dates; recursive; classify',
    steps: [
      step(['ls', '-l', 'tree']),
      step(['ls', '-lan', 'tree/sub']),
      step(['ls', '-lR', 'tree']),
      step(['ls', '-1F', 'tree']),
      step(['ls', '-l', 'missing']),
    ],
    expect: (r) => assert.match(out(r[0]), /-rw-r--r-- +1 \S+ +\S+ +11 Feb {2}3 {2}2021 a\.txt\n/),
  },
  {
    name: 'find: whole tree, by type, name, size, permissions and depth',
    steps: [
      step(['find', 'tree']),
      step(['find', 'tree', '-type', 'f', '-name', '*.txt']),
      step(['find', 'tree', '-type', 'd', '-empty']),
      step(['find', 'tree', '-type', 'f', '-perm', '-u+x']),
      step(['find', 'tree', '-size', '+1k']),
      step(['find', 'tree', '-maxdepth', '1', '-type', 'l']),
      step(['find', 'tree', '-mtime', '+30', '-name', 'd*']),
    ],
    expect: (r) => assert.equal(out(r[5]), 'tree/link\n'),
  },
  {
    name: 'stat: size, mode, type, links, mtime and owner of files, directories and links',
    steps: [
      step([
        'stat',
        '-c',
        '%s %a %A %F %h %Y %U %n',
        'tree/a.txt',
        'tree/b.bin',
        'tree/run.sh',
        'tree/sub',
        'tree/link',
      ]),
      step(['stat', '-L', '-c', '%s %F %n', 'tree/link']),
      step(['stat', '-c', '%N', 'tree/link']),
      step(['stat', 'missing']),
    ],
    expect: (r) => {
      const seconds = FIXED_MTIME.getTime() / 1000;
      assert.match(out(r[0]), new RegExp(`^11 644 -rw-r--r-- regular file 1 ${seconds} \\S+ tree/a\\.txt$`, 'm'));
      assert.match(out(r[0]), /^5 777 lrwxrwxrwx symbolic link 1 \d+ \S+ tree\/link$/m);
    },
  },
  {
    name: 'seq: counts, steps, separators, padding, fractions',
    steps: [
      step(['seq', '5']),
      step(['seq', '-s', ',', '1', '3', '20']),
      step(['seq', '-w', '8', '12']),
      step(['seq', '0.5', '0.25', '2']),
      step(['seq', '10', '-3', '1']),
    ],
    expect: (r) => assert.equal(out(r[1]), '1,4,7,10,13,16,19\n'),
  },
  {
    name: 'expr: arithmetic, strings, regex match, comparisons and their exit statuses',
    steps: [
      step(['expr', '12', '*', '34', '+', '5']),
      step(['expr', 'length', 'hello']),
      step(['expr', 'substr', 'abcdef', '2', '3']),
      step(['expr', 'index', 'abcdef', 'dc']),
      step(['expr', 'abc123', ':', '[a-z]*\\([0-9]*\\)']),
      step(['expr', '5', '<', '3']),
      step(['expr', '10', '/', '0']),
      step(['expr', '-9223372036854775807', '-', '1']),
    ],
    expect: (r) => {
      assert.equal(out(r[0]), '413\n');
      assert.equal(r[5]!.status, 1);
      assert.equal(r[6]!.status, 2);
    },
  },
  {
    name: 'od: hex bytes, characters, decimal words, doubles, octal from stdin',
    steps: [
      step(['od', '-A', 'x', '-t', 'x1', '-N', '64', 'data.bin']),
      step(['od', '-c', '-N', '48', 'lines.txt']),
      step(['od', '-t', 'd4', '-j', '16', '-N', '32', 'data.bin']),
      step(['od', '-t', 'f8', '-N', '64', 'data.bin']),
      step(['od', '-b'], 'octal\n'),
    ],
  },
  {
    name: 'hexdump: canonical -C, offsets, default format',
    steps: [
      step(['hexdump', '-C', '-n', '128', 'data.bin']),
      step(['hexdump', '-C', '-s', '100', '-n', '40', 'lines.txt']),
      step(['hexdump', '-n', '32', 'data.bin']),
    ],
    expect: (r) =>
      assert.ok(
        out(r[0]).startsWith(
          `00000000  ${[...fileBytes('data.bin').subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`,
        ),
      ),
  },
  {
    name: 'base64: encode with 76-column lines, decode',
    steps: [
      step(['base64', 'data.bin']),
      step(['base64', '-d'], Buffer.from(file('text.txt'), 'latin1').toString('base64')),
    ],
    expect: (r) => {
      const lines = fileBytes('data.bin')
        .toString('base64')
        .match(/.{1,76}/g)!;
      assert.equal(out(r[0]), `${lines.join('\n')}\n`);
      assert.equal(out(r[1]), file('text.txt'));
    },
  },
  {
    name: 'dd: block copy with skip/count to a file, seek with notrunc, swab, record counts',
    steps: [
      step(['dd', 'if=data.bin', 'of=out.bin', 'bs=1000', 'count=5', 'skip=2', 'status=none']),
      step(['dd', 'if=lines.txt', 'bs=7', 'count=3', 'status=none']),
      step(['dd', 'if=a.txt', 'conv=swab', 'status=none']),
      step(['dd', 'if=data.bin', 'of=patched.bin', 'bs=512', 'seek=3', 'count=2', 'conv=notrunc', 'status=none']),
      step(['dd', 'if=lines.txt', 'of=/dev/null', 'bs=100', 'status=noxfer']),
    ],
    after: (dir) => describeTree(dir),
    expect: (_r, dir) => {
      assert.ok(readFileSync(join(dir, 'out.bin')).equals(fileBytes('data.bin').subarray(2000, 7000)));
      assert.equal(lstatSync(join(dir, 'patched.bin')).size, 2560);
    },
  },
  {
    name: 'printf: conversions, widths, escapes, format reuse, invalid numbers',
    steps: [
      step([
        'printf',
        '%s|%5d|%-5s|%x|%o|%.3f|%e|%c|%%\\n',
        'str',
        '42',
        'ab',
        '255',
        '8',
        '3.14159',
        '12345.678',
        'Z',
      ]),
      step(['printf', '%b', 'a\\tb\\n']),
      step(['printf', '%d %d\\n', '1', '2', '3']),
      step(['printf', '%d\\n', 'abc']),
    ],
    expect: (r) => {
      assert.equal(out(r[0]), 'str|   42|ab   |ff|10|3.142|1.234568e+04|Z|%\n');
      assert.equal(out(r[2]), '1 2\n3 0\n');
    },
  },
  {
    name: 'cmp: first difference, -l listing, silent equal, missing file',
    steps: [
      step(['cmp', 'a.txt', 'b.txt']),
      step(['cmp', '-l', 'a.txt', 'b.txt']),
      step(['cmp', '-s', 'a.txt', 'a.txt']),
      step(['cmp', 'a.txt', 'missing']),
    ],
    expect: (r) => {
      assert.equal(r[0]!.status, 1);
      assert.equal(r[2]!.status, 0);
    },
  },
  {
    name: 'diff: normal and unified output, equal files, stdin',
    steps: [
      step(['diff', 'a.txt', 'b.txt']),
      step(['diff', '-u', 'a.txt', 'b.txt']),
      step(['diff', 'a.txt', 'a.txt']),
      step(['diff', '-u', 'lines.txt', '-'], file('sorted.txt')),
    ],
    expect: (r) => {
      assert.equal(r[0]!.status, 1);
      assert.match(out(r[1]), /^--- a\.txt\n\+\+\+ b\.txt\n@@ -2,7 \+2,7 @@\n/);
      assert.equal(r[2]!.status, 0);
    },
  },
];

interface Observation {
  steps: { command: string; ending: string; stdout: string; stderr: string }[];
  after?: string;
}

/** Runs a case's steps in a fresh fixture directory; returns what was seen and the raw results. */
function observe(run: Runner, busybox: string, c: Case, label: string, t: TestContext) {
  const dir = makeFixtureDir(label);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const results: RunResult[] = [];
  for (const s of c.steps) {
    const stdin = typeof s.stdin === 'function' ? s.stdin(results) : s.stdin;
    results.push(run([busybox, ...s.args], { cwd: dir, ...(stdin === undefined ? {} : { stdin }) }));
  }
  const observation: Observation = {
    steps: results.map((r, i) => ({
      command: c.steps[i]!.args.join(' '),
      ending: howEnded(r),
      stdout: describeBytes(r.stdout),
      stderr: describeBytes(r.stderr),
    })),
  };
  if (c.after) observation.after = c.after(dir);
  return { observation, results, dir };
}

const compat64: Runner = (args, opts) => runCompat64(args, { ...opts, root: '/' });

describe('busybox applets: compat64 matches qemu-aarch64', () => {
  for (const c of CASES) {
    test(c.name, (t) => {
      if (!requireQemu(t)) return;
      const busybox = requireBusybox(t);
      if (!busybox) return;
      const qemu = observe(runQemu, busybox, c, 'q', t);
      for (const s of qemu.observation.steps) assert.notEqual(s.ending, 'timed out', `qemu: ${s.command}`);
      c.expect?.(qemu.results, qemu.dir);
      const ours = observe(compat64, busybox, c, 'c', t);
      assert.deepStrictEqual(ours.observation, qemu.observation);
    });
  }
});
