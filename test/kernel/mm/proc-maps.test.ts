import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAP_FIXED,
  MAP_GROWSDOWN,
  MAP_PRIVATE,
  MAP_SHARED,
  MAP_STACK,
  PROT_EXEC,
  PROT_READ,
} from '../../../src/kernel/abi/mman.js';
import { setAnonName } from '../../../src/kernel/mm/madvise.js';
import { formatMaps, formatSmaps, formatVmStatus } from '../../../src/kernel/mm/proc-maps.js';
import { anon, fresh, MemFile, mmap, PAGE, RW } from './mm-helpers.js';
import { ctxFor, sys, testKernel, testTask } from './sys-ctx.js';

test('maps lines follow show_map_vma: hex ranges, perms, offset, device, inode, the name at column 74', () => {
  const mm = fresh();
  const file = new MemFile(3 * PAGE, '/usr/bin/prog', 0x803, 1234);
  mmap(mm, 0x400000, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, {
    backing: file,
    readable: true,
    writable: false,
  });
  mmap(mm, 0x401000, PAGE, RW, MAP_PRIVATE | MAP_FIXED, { backing: file, readable: true, writable: false }, 2 * PAGE);
  anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  mm.map(0xfffffffde000, 0x21000, RW, MAP_PRIVATE | MAP_GROWSDOWN, undefined, 0, '[stack]');
  const lines = formatMaps(mm).split('\n');
  assert.equal(lines[0], '00400000-00401000 r-xp 00000000 08:03 1234                               /usr/bin/prog');
  assert.equal(lines[0]!.indexOf('/usr'), 73);
  assert.equal(lines[1], '00401000-00402000 rw-p 00002000 08:03 1234                               /usr/bin/prog');
  assert.equal(lines[2], '40000000-40001000 rw-p 00000000 00:00 0 ');
  assert.equal(lines[3], `${'fffffffde000-fffffffff000 rw-p 00000000 00:00 0 '.padEnd(72)} [stack]`);
  assert.equal(lines[4], '');
});

test('the anonymous area overlapping [start_brk, brk) is [heap]; shared anonymous memory is /dev/zero (deleted)', () => {
  const mm = fresh();
  const ctx = ctxFor(testKernel(mm), testTask(), mm);
  mm.brkStart = 0x500000;
  mm.brk = 0x500000;
  assert.equal(sys(ctx, 'brk', 0x503000), 0x503000);
  const s = anon(mm, PAGE, RW, MAP_SHARED);
  const text = formatMaps(mm);
  assert.match(text, /^00500000-00503000 rw-p 00000000 00:00 0 {34}\[heap\]$/m);
  const ino = mm.find(s / PAGE)!.file!.ino;
  const line = text.split('\n').find((l) => l.startsWith(s.toString(16)))!;
  assert.equal(
    line.slice(0, 49),
    `${s.toString(16)}-${(s + PAGE).toString(16)} rw-s 00000000 00:01 ${ino} `.slice(0, 49),
  );
  assert.ok(line.endsWith(' /dev/zero (deleted)'));
});

test('smaps entries: sizes in kB in Linux columns, Rss and Anonymous for touched pages, VmFlags mnemonics', () => {
  const mm = fresh();
  const a = anon(mm, 4 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  mm.as.write8(a, 1);
  mm.as.write8(a + PAGE, 1);
  mm.as.read8(a + 2 * PAGE);
  const s = formatSmaps(mm).split('\n');
  assert.equal(s[0], '40000000-40004000 rw-p 00000000 00:00 0 ');
  assert.equal(s[1], 'Size:                 16 kB');
  assert.equal(s[2], 'KernelPageSize:        4 kB');
  assert.equal(s[3], 'MMUPageSize:           4 kB');
  assert.equal(s[4], 'Rss:                   8 kB');
  assert.equal(s[5], 'Pss:                   8 kB');
  assert.equal(s[10], 'Private_Dirty:         8 kB');
  assert.equal(s[12], 'Anonymous:             8 kB');
  assert.equal(s[19], 'Private_Hugetlb:       0 kB');
  assert.equal(s[23], 'THPeligible:           0');
  assert.equal(s[24], 'VmFlags: rd wr mr mw me ac ');
});

test('status memory lines count VmSize, VmLck, VmData, VmStk and resident pages', () => {
  const mm = fresh();
  const a = anon(mm, 8 * PAGE);
  mm.as.write8(a, 1);
  const st = formatVmStatus(mm, 0);
  assert.match(st, /^VmSize:\t {6}32 kB$/m);
  assert.match(st, /^VmRSS:\t {7}4 kB$/m);
  assert.match(st, /^RssAnon:\t {7}4 kB$/m);
  assert.match(st, /^VmData:\t {6}32 kB$/m);
});

test('PR_SET_VMA_ANON_NAME names anonymous memory [anon:name] ([anon_shmem:name] when shared), splitting the VMA; files are EBADF', () => {
  const mm = fresh();
  const a = anon(mm, 3 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  assert.equal(setAnonName(mm, a + PAGE, PAGE, 'my buf'), 0);
  assert.equal(mm.count, 3);
  const lines = formatMaps(mm).split('\n');
  assert.equal(lines[1], `${'40001000-40002000 rw-p 00000000 00:00 0 '.padEnd(72)} [anon:my buf]`);
  assert.equal(setAnonName(mm, a + PAGE, PAGE, undefined), 0);
  assert.equal(mm.count, 1);
  assert.equal(setAnonName(mm, a, PAGE, 'bad[name]'), -22);
  assert.equal(setAnonName(mm, a, 4 * PAGE, 'x'), -12);
  const s = anon(mm, PAGE, RW, MAP_SHARED);
  assert.equal(setAnonName(mm, s, PAGE, 'sh'), 0);
  assert.ok(formatMaps(mm).includes(' [anon_shmem:sh]\n'));
  const f = mmap(mm, 0, PAGE, PROT_READ, MAP_PRIVATE, { backing: new MemFile(PAGE), readable: true, writable: true });
  assert.equal(setAnonName(mm, f, PAGE, 'f'), -9);
});

test('MAP_STACK mappings are MADV_NOHUGEPAGE (Linux 6.7+): VmFlags shows nh', () => {
  const mm = fresh();
  const a = anon(mm, PAGE, RW, MAP_PRIVATE | MAP_STACK);
  assert.match(formatSmaps(mm), /VmFlags: rd wr mr mw me ac nh \n/);
  void a;
});
