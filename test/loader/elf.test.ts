import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ElfError, parseElf } from '../../src/loader/elf.js';

function parse(bytes: Uint8Array) {
  return parseElf(bytes.subarray(0, 4096), bytes.length, (p, n) => bytes.subarray(p, p + n));
}

const hello = new Uint8Array(readFileSync(new URL('../../../examples/hello-arm64', import.meta.url)));

test('a static arm64 executable parses with its entry and PT_LOAD segments', () => {
  const img = parse(hello);
  assert.equal(img.type, 2);
  assert.ok(img.entry > 0);
  assert.ok(img.phdrs.some((p) => p.type === 1));
  assert.equal(img.interp, undefined);
});

test('a file that is not ELF is rejected with ENOEXEC', () => {
  assert.throws(
    () => parse(new TextEncoder().encode('#!/bin/sh\necho hi\n')),
    (e: unknown) => e instanceof ElfError && e.errno === 'ENOEXEC',
  );
});

test('a 32-bit ELF is rejected with a clear reason', () => {
  const b = hello.slice(0, 4096);
  b[4] = 1;
  assert.throws(() => parse(b), /32-bit/);
});

test('an x86-64 ELF is rejected as the wrong machine', () => {
  const b = hello.slice();
  b[18] = 62;
  b[19] = 0;
  assert.throws(() => parse(b), /not AArch64/);
});

test('a truncated ELF is rejected', () => {
  assert.throws(() => parse(hello.slice(0, 2000)), ElfError);
  assert.throws(() => parse(hello.slice(0, 40)), /truncated/);
});
