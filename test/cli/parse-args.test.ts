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

test('--help and --version', () => {
  assert.deepEqual(parseArgs(['--help'], {}), { kind: 'help' });
  assert.deepEqual(parseArgs(['--version'], {}), { kind: 'version' });
});
