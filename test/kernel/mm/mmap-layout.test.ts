import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeLayout, ELF_ET_DYN_BASE } from '../../../src/kernel/mm/mmap-layout.js';
import { SeededRandom } from '../../../src/kernel/random.js';

test('without randomisation the compat mmap base is 0xf7ff0000 (compat-abi.md §6)', () => {
  const l = computeLayout(new SeededRandom(1), { randomize: false, stackRlimit: 8 << 20, legacy: false });
  assert.equal(l.compat.mmapBase, 0xf7ff0000);
  assert.equal(l.compat.taskSize, 0xfffff000);
  assert.equal(l.stackTop, 2 ** 48);
});

test('native mmap_base leaves the stack rlimit, the guard gap and the stack randomisation span below the stack', () => {
  const l = computeLayout(new SeededRandom(1), { randomize: false, stackRlimit: 8 << 20, legacy: false });
  // gap = 8 MiB + 1 MiB guard; no randomisation span without PF_RANDOMIZE; clamped up to 128 MiB
  assert.equal(l.native.mmapBase, 2 ** 48 - 128 * 1024 * 1024);
});

test('randomised compat bases stay in 0xf77f1000…0xf7ff0000 and are page aligned', () => {
  const r = new SeededRandom(7);
  for (let i = 0; i < 200; i++) {
    const l = computeLayout(r, { randomize: true, stackRlimit: 8 << 20, legacy: false });
    assert.ok(l.compat.mmapBase >= 0xf77f1000 && l.compat.mmapBase <= 0xf7ff0000, l.compat.mmapBase.toString(16));
    assert.equal(l.compat.mmapBase % 4096, 0);
    const gap = 8 * 2 ** 20 + 2 ** 20 + 0x3ffff * 4096;
    assert.ok(l.native.mmapBase <= 2 ** 48 - gap && l.native.mmapBase >= 2 ** 48 - gap - 2 ** 30);
  }
});

test('an unlimited stack rlimit selects the legacy bottom-up layout', () => {
  const l = computeLayout(new SeededRandom(1), {
    randomize: false,
    stackRlimit: Number.POSITIVE_INFINITY,
    legacy: false,
  });
  assert.equal(l.native.topDown, false);
  assert.equal(l.compat.legacyBase, 0x40000000);
});

test('ELF_ET_DYN_BASE is two thirds of the 48-bit window', () => {
  assert.equal(ELF_ET_DYN_BASE, 0xaaaaaaaaa000);
});
