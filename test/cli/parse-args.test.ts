import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs, UsageError } from '../../src/cli/parse-args.js';

test('run parses options, the program and its arguments', () => {
  const c = parseArgs(['run', '--root', '/tmp/r', '--seed', '42', '--strace', '--', 'prog', '-x', 'y'], { A: '1' });
  assert.deepEqual(c, {
    kind: 'run',
    root: '/tmp/r',
    seed: 42,
    strace: true,
    compatSyscalls: true,
    memoryCap: undefined,
    hugePages: undefined,
    program: 'prog',
    args: ['-x', 'y'],
    env: ['A=1'],
  });
});

test('options after the program belong to the program', () => {
  const c = parseArgs(['run', 'prog', '--strace'], {});
  assert.equal(c.kind, 'run');
  if (c.kind === 'run') assert.deepEqual(c.args, ['--strace']);
});

test('-E and -U edit the guest environment', () => {
  const c = parseArgs(['run', '-E', 'X=2', '-U', 'A', 'p'], { A: '1' });
  if (c.kind !== 'run') assert.fail();
  assert.deepEqual(c.env, ['X=2']);
});

test('bad input is a one-line usage error', () => {
  assert.throws(() => parseArgs([], {}), UsageError);
  assert.throws(() => parseArgs(['run'], {}), /missing program/);
  assert.throws(() => parseArgs(['run', '--bogus', 'p'], {}), /unknown option/);
  assert.throws(() => parseArgs(['run', '--seed', 'x', 'p'], {}), /non-negative integer/);
  assert.throws(() => parseArgs(['frob'], {}), /unknown command/);
});

test('--memory-cap takes bytes or K/M/G sizes between 1M and 4G; --hugepages a count', () => {
  const run = (...opts: string[]) => {
    const c = parseArgs(['run', ...opts, 'p'], {});
    if (c.kind !== 'run') assert.fail();
    return c;
  };
  assert.equal(run('--memory-cap', '512M').memoryCap, 512 * 2 ** 20);
  assert.equal(run('--memory-cap=4G').memoryCap, 4 * 2 ** 30);
  assert.equal(run('--memory-cap', '2048k').memoryCap, 2 * 2 ** 20);
  assert.equal(run('--memory-cap', '16777216').memoryCap, 16 * 2 ** 20);
  assert.equal(run().memoryCap, undefined);
  assert.throws(() => run('--memory-cap', '5G'), /at most 4G/);
  assert.throws(() => run('--memory-cap', '512K'), /at least 1M/);
  assert.throws(() => run('--memory-cap', '1.5G'), /size such as 512M/);
  assert.throws(() => parseArgs(['run', '--memory-cap'], {}), /needs a value/);
  assert.equal(run('--hugepages', '128').hugePages, 128);
  assert.equal(run('--hugepages=0').hugePages, 0);
  assert.equal(run().hugePages, undefined);
  assert.throws(() => run('--hugepages', '-1'), /non-negative integer/);
});

test('--help and --version', () => {
  assert.deepEqual(parseArgs(['--help'], {}), { kind: 'help' });
  assert.deepEqual(parseArgs(['--version'], {}), { kind: 'version' });
});
