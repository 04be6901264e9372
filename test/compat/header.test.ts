import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARM_EABI_SYSCALL_NUMBERS } from '../../src/kernel/syscalls/numbers.generated.js';
import { HEADER_PATH, renderCompatHeader } from '../../tools/gen-compat-header.js';
import { repoRoot } from '../support/guest-run.js';

test('include/compat64/compat_syscall.h is what tools/gen-compat-header.ts writes', () => {
  const committed = readFileSync(join(repoRoot, HEADER_PATH), 'utf8');
  assert.equal(committed, renderCompatHeader(), 'regenerate: node dist/tools/gen-compat-header.js');
});

test('the header defines the bit, every AArch32 number and the table size', () => {
  const text = renderCompatHeader();
  assert.match(text, /^#define __ARM64_COMPAT_SYSCALL_BIT 0x80000000UL$/m);
  for (const [name, nr] of Object.entries(ARM_EABI_SYSCALL_NUMBERS)) {
    assert.ok(text.includes(`\n#define __NR_compat_${name} ${nr}\n`), name);
  }
  assert.match(text, /^#define __NR_compat_getpid 20$/m);
  assert.match(text, /^#define __NR_compat_mmap2 192$/m);
  assert.match(text, /^#define __NR_compat_syscalls 451$/m);
  assert.match(text, /^#define __ARM_NR_compat_set_tls 0x0f0005$/m);
  assert.match(text, /svc #0/);
});
