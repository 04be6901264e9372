/** prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME): the name copy (strndup_user rules) and the maps names it gives. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROT_NONE } from '../../../src/kernel/abi/mman.js';
import { PR_SET_VMA, PR_SET_VMA_ANON_NAME, prctlSetVma } from '../../../src/kernel/mm/prctl-vma.js';
import { formatMaps } from '../../../src/kernel/mm/proc-maps.js';
import { fresh, PAGE, RW } from './mm-helpers.js';
import { ctxFor, sys, testKernel, testTask } from './sys-ctx.js';

const EFAULT = -14;
const EBADF = -9;
const ENOMEM = -12;
const EINVAL = -22;
const MAP_PRIVATE_ANON = 0x22;
const MAP_SHARED_ANON = 0x21;

function setup() {
  const mm = fresh();
  const ctx = ctxFor(testKernel(mm), testTask(), mm);
  const str = sys(ctx, 'mmap', 0, PAGE, RW, MAP_PRIVATE_ANON, -1, 0);
  const put = (s: string) => {
    mm.as.writeBytes(str, Uint8Array.from([...s].map((c) => c.charCodeAt(0)).concat(0)), 0, s.length + 1);
    return str;
  };
  const name = (addr: number, len: number, uname: number) =>
    prctlSetVma(ctx, [PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len, uname]);
  return { mm, ctx, put, name };
}

test('a name shows as [anon:name] on exactly the named pages (the VMA is split) and NULL clears it', () => {
  const { mm, ctx, put, name } = setup();
  const a = sys(ctx, 'mmap', 0, 4 * PAGE, RW, MAP_PRIVATE_ANON, -1, 0);
  assert.equal(name(a + PAGE, 2 * PAGE, put('my heap')), 0);
  const lines = formatMaps(mm)
    .split('\n')
    .filter((l) => l.includes('[anon:'));
  assert.equal(lines.length, 1);
  assert.ok(lines[0]!.startsWith(`${(a + PAGE).toString(16)}-${(a + 3 * PAGE).toString(16)} rw-p`), lines[0]);
  assert.ok(lines[0]!.endsWith(' [anon:my heap]'));
  assert.equal(name(a, 4 * PAGE, 0), 0);
  assert.ok(!formatMaps(mm).includes('[anon:'));
  // An empty name is a name.
  assert.equal(name(a, PAGE, put('')), 0);
  assert.ok(formatMaps(mm).includes('[anon:]'));
});

test('shared anonymous memory is named [anon_shmem:name]; file mappings are EBADF', () => {
  const { mm, ctx, put, name } = setup();
  const s = sys(ctx, 'mmap', 0, PAGE, RW, MAP_SHARED_ANON, -1, 0);
  assert.equal(name(s, PAGE, put('ring')), 0);
  assert.ok(formatMaps(mm).includes('[anon_shmem:ring]'));
  const fd = sys(ctx, 'memfd_create', put('f'), 0);
  const f = sys(ctx, 'mmap', 0, PAGE, RW, 1 /* MAP_SHARED */, fd, 0);
  assert.equal(name(f, PAGE, put('x')), EBADF);
});

test('the name: 79 characters at most (EINVAL), no [ ] \\ $ ` or control characters, EFAULT when unreadable', () => {
  const { ctx, put, name } = setup();
  const a = sys(ctx, 'mmap', 0, PAGE, RW, MAP_PRIVATE_ANON, -1, 0);
  assert.equal(name(a, PAGE, put('x'.repeat(79))), 0);
  assert.equal(name(a, PAGE, put('x'.repeat(80))), EINVAL);
  for (const bad of ['a[b', 'a]', 'back\\slash', 'dollar$', 'tick`', 'tab\t', '\x7f'])
    assert.equal(name(a, PAGE, put(bad)), EINVAL, JSON.stringify(bad));
  assert.equal(name(a, PAGE, 0x10), EFAULT);
  const none = sys(ctx, 'mmap', 0, PAGE, PROT_NONE, MAP_PRIVATE_ANON, -1, 0);
  assert.equal(name(a, PAGE, none), EFAULT);
});

test('addresses as madvise_set_anon_name: unaligned start EINVAL, len 0 is 0, holes ENOMEM, unknown option EINVAL', () => {
  const { ctx, put, name } = setup();
  const a = sys(ctx, 'mmap', 0, 3 * PAGE, RW, MAP_PRIVATE_ANON, -1, 0);
  const n = put('n');
  assert.equal(name(a + 1, PAGE, n), EINVAL);
  assert.equal(name(a, 0, n), 0);
  assert.equal(sys(ctx, 'munmap', a + PAGE, PAGE), 0);
  assert.equal(name(a, 3 * PAGE, n), ENOMEM);
  assert.equal(prctlSetVma(ctx, [PR_SET_VMA, 1, a, PAGE, n]), EINVAL);
});
