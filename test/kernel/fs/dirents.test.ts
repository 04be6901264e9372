// syscall-entry first: it is the module graph's root (the sys-* handler modules reach it through kernel.js).
import '../../../src/kernel/entry/syscall-entry.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPAT_ABI, NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import {
  COMPAT_DIR_EOF,
  DirCursor,
  type DirRead,
  dirLlseek,
  hashToPos,
  NATIVE_DIR_EOF,
  nameHash,
  withCompatRecords,
} from '../../../src/kernel/fs/dirents.js';
import type { DirEntry } from '../../../src/kernel/fs/vnode.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';

const SEED = 0x5eed1234;
const EINVAL = -22;
const ENXIO = -6;
const EOVERFLOW = -75;
const kernel = { random: { u32: () => SEED } };
const native = { compat: false, abi: NATIVE_ABI, kernel } as unknown as SyscallContext;
/** A fresh context per call, as syscall entry makes one (withCompatRecords keys on it). */
const compat = () => ({ compat: true, abi: COMPAT_ABI, kernel }) as unknown as SyscallContext;

function entries(names: readonly string[]): DirEntry[] {
  return [
    { name: '.', ino: 10, type: 4 },
    { name: '..', ino: 2, type: 4 },
    ...names.map((name, i) => ({ name, ino: 100 + i, type: 8 })),
  ];
}

/** A directory description: the position lives outside the cursor, as in OpenFile.pos. */
function dir(list: DirEntry[] | (() => DirEntry[])) {
  const cursor = new DirCursor(typeof list === 'function' ? list : () => list);
  const d = {
    pos: 0,
    cursor,
    read(ctx: SyscallContext, count = 4096): DirRead | number {
      const r = cursor.read(ctx, d.pos, count);
      if (typeof r !== 'number') d.pos = r.next;
      return r;
    },
    seek(offset: number, whence: number, ctx?: SyscallContext): number {
      const r = cursor.seek(d.pos, offset, whence, ctx);
      if (r >= 0) d.pos = r;
      return r;
    },
  };
  return d;
}

interface Rec {
  name: string;
  off: number;
  ino: number;
}

/** linux_dirent64 records; d_off as a number (2^63 for the native end value, checked exactly). */
function records64(r: DirRead | number): Rec[] {
  assert.ok(typeof r !== 'number', `errno ${r}`);
  const v = new DataView(r.bytes.buffer, r.bytes.byteOffset, r.bytes.length);
  const out: Rec[] = [];
  for (let at = 0; at < r.bytes.length; ) {
    const lo = v.getUint32(at + 8, true);
    const hi = v.getUint32(at + 12, true);
    const off = hi === 0x7fffffff && lo === 0xffffffff ? NATIVE_DIR_EOF : hi * 2 ** 32 + lo;
    const reclen = v.getUint16(at + 16, true);
    const end = r.bytes.indexOf(0, at + 19);
    out.push({ name: String.fromCharCode(...r.bytes.subarray(at + 19, end)), off, ino: v.getUint32(at, true) });
    at += reclen;
  }
  return out;
}

/** compat_linux_dirent records. */
function recordsCompat(r: DirRead | number): Rec[] {
  assert.ok(typeof r !== 'number', `errno ${r}`);
  const v = new DataView(r.bytes.buffer, r.bytes.byteOffset, r.bytes.length);
  const out: Rec[] = [];
  for (let at = 0; at < r.bytes.length; ) {
    const reclen = v.getUint16(at + 8, true);
    const end = r.bytes.indexOf(0, at + 10);
    out.push({
      name: String.fromCharCode(...r.bytes.subarray(at + 10, end)),
      off: v.getUint32(at + 4, true),
      ino: v.getUint32(at, true),
    });
    at += reclen;
  }
  return out;
}

function readCompat(d: ReturnType<typeof dir>, count = 4096): DirRead | number {
  const ctx = compat();
  const { result, honoured } = withCompatRecords(ctx, () => d.read(ctx, count));
  assert.ok(honoured);
  return result;
}

test('name hashes follow ext4: even major, never 0xfffffffe nor below 4; cookies by ABI', () => {
  for (let i = 0; i < 2000; i++) {
    const h = nameHash(`name-${i}`, SEED);
    assert.equal(h.major % 2, 0);
    assert.ok(h.major >= 4 && h.major <= 0xfffffffc);
    assert.equal(h.minor % 1024, 0, 'the minor hash keeps 22 bits so native cookies are exact numbers');
    const n = hashToPos(h, false);
    assert.ok(Number.isSafeInteger(n) || n % 1024 === 0);
    assert.equal(Math.floor(n / 2 ** 32), h.major >>> 1);
    assert.equal(n % 2 ** 32, h.minor);
    assert.equal(hashToPos(h, true), h.major >>> 1);
  }
  assert.deepEqual(nameHash('abc', SEED), nameHash('abc', SEED), 'deterministic');
  assert.notDeepEqual(nameHash('abc', SEED), nameHash('abc', SEED + 1), 'seeded');
});

test('native getdents64: "." then ".." (cookie 1 << 32), d_off is the next entry cookie, last the end value', () => {
  const names = ['b', 'a', 'c'];
  const d = dir(entries(names));
  const recs = records64(d.read(native));
  assert.deepEqual(
    recs.map((r) => r.name),
    ['.', '..', 'b', 'a', 'c'],
    'host order is kept',
  );
  assert.equal(recs[0]!.off, 2 ** 32);
  for (let i = 1; i < 4; i++) assert.equal(recs[i]!.off, hashToPos(nameHash(names[i - 1]!, SEED), false));
  assert.equal(recs[4]!.off, NATIVE_DIR_EOF);
  assert.equal(d.pos, NATIVE_DIR_EOF);
  assert.equal(records64(d.read(native)).length, 0);
});

test('compat records: 31-bit cookies, end 0x7fffffff; getdents64 in a compat call uses them too', () => {
  const names = ['x', 'y'];
  const d = dir(entries(names));
  const recs = recordsCompat(readCompat(d));
  assert.deepEqual(
    recs.map((r) => r.off),
    [1, hashToPos(nameHash('x', SEED), true), hashToPos(nameHash('y', SEED), true), COMPAT_DIR_EOF],
  );
  assert.equal(d.pos, COMPAT_DIR_EOF);
  const d2 = dir(entries(names));
  assert.deepEqual(
    records64(d2.read(compat())).map((r) => r.off),
    recs.map((r) => r.off),
  );
});

test('a seek to a cookie resumes at its entry; to 0 rewinds and retakes the snapshot', () => {
  const list = entries(['p', 'q', 'r', 's']);
  let calls = 0;
  const d = dir(() => {
    calls++;
    return list;
  });
  const all = records64(d.read(native));
  for (let i = 0; i < all.length - 1; i++) {
    assert.equal(d.seek(all[i]!.off, 0), all[i]!.off);
    assert.equal(records64(d.read(native))[0]!.name, all[i + 1]!.name);
  }
  assert.equal(calls, 1);
  d.seek(0, 0);
  assert.equal(records64(d.read(native))[0]!.name, '.');
  assert.equal(calls, 2);
});

test('small reads leave the next entry cookie as the position and lose no entry', () => {
  const d = dir(entries(['one', 'two', 'three']));
  const names: string[] = [];
  for (;;) {
    const r = d.read(native, 32);
    const recs = records64(r);
    if (recs.length === 0) break;
    assert.equal(recs.length, 1);
    assert.equal(d.pos, recs[0]!.off);
    names.push(recs[0]!.name);
  }
  assert.deepEqual(names, ['.', '..', 'one', 'two', 'three']);
  assert.equal(d.pos, NATIVE_DIR_EOF);
});

test('a buffer too small for the first record is EINVAL and keeps the position', () => {
  const d = dir(entries(['a-long-name']));
  records64(d.read(native, 48));
  const pos = d.pos;
  assert.equal(d.read(native, 24), EINVAL);
  assert.equal(d.pos, pos);
  assert.equal(records64(d.read(native, 48))[0]!.name, 'a-long-name');
});

test('compat records: EOVERFLOW for an inode number above 32 bits after the records before it', () => {
  const list = entries(['big', 'z']);
  list[2]!.ino = 2 ** 32;
  const d = dir(list);
  assert.equal(recordsCompat(readCompat(d)).length, 2);
  assert.equal(d.pos, hashToPos(nameHash('big', SEED), true));
  assert.equal(readCompat(d), EOVERFLOW);
  d.seek(hashToPos(nameHash('z', SEED), true), 0, compat());
  assert.deepEqual(
    recordsCompat(readCompat(d)).map((r) => r.name),
    ['z'],
  );
});

test('a cookie no entry has reads as the end of the directory', () => {
  const d = dir(entries(['a', 'b']));
  records64(d.read(native));
  let bogus = 12345 * 2 ** 32;
  while (['a', 'b'].some((n) => hashToPos(nameHash(n, SEED), false) === bogus)) bogus += 2 ** 32;
  assert.equal(d.seek(bogus, 0, native), bogus);
  assert.equal(records64(d.read(native)).length, 0);
  assert.equal(d.pos, NATIVE_DIR_EOF);
});

test('31-bit collisions: reading on continues after the first name; a seek to the cookie returns the first again', () => {
  // Two names with the same major hash (found by search; the seed is fixed).
  const seen = new Map<number, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; pair === undefined; i++) {
    const n = `c${i}`;
    const c = hashToPos(nameHash(n, SEED), true);
    const other = seen.get(c);
    if (other !== undefined) pair = [other, n];
    else seen.set(c, n);
  }
  const [first, second] = pair;
  const cookie = hashToPos(nameHash(first, SEED), true);
  const d = dir(entries([first, 'mid', second, 'last']));
  // One record a call: the position after `first` is mid's cookie; after `mid`, second's (= first's).
  const got: string[] = [];
  for (;;) {
    const recs = recordsCompat(readCompat(d, 12 + 12));
    if (recs.length === 0) break;
    got.push(recs[0]!.name);
  }
  assert.deepEqual(got, ['.', '..', first, 'mid', second, 'last'], 'the continuation is exact');
  d.seek(cookie, 0, compat());
  assert.equal(recordsCompat(readCompat(d))[0]!.name, first, 'first match, as ext4 restarts at the hash');
});

test('lseek: ext4_dir_llseek with the end value of the ABI as maximum', () => {
  assert.equal(dirLlseek(5, 0, 2, true), COMPAT_DIR_EOF);
  assert.equal(dirLlseek(5, -1, 2, true), COMPAT_DIR_EOF - 1);
  assert.equal(dirLlseek(5, 1, 2, true), EINVAL);
  assert.equal(dirLlseek(5, 0, 2, false), NATIVE_DIR_EOF);
  assert.equal(dirLlseek(5, 0x80000000, 0, true), EINVAL);
  assert.equal(dirLlseek(5, 0x80000000, 0, false), 0x80000000);
  assert.equal(dirLlseek(5, -1, 0, false), EINVAL);
  assert.equal(dirLlseek(5, 2 ** 63, 0, false), NATIVE_DIR_EOF, "the guest's 0x7fffffffffffffff");
  assert.equal(dirLlseek(7, 0, 1, true), 7);
  assert.equal(dirLlseek(2 ** 40, 0, 1, true), 2 ** 40, 'SEEK_CUR 0 reports the position unchecked');
  assert.equal(dirLlseek(2 ** 40, 1, 1, true), EINVAL);
  assert.equal(dirLlseek(7, 3, 1, false), 10);
  assert.equal(dirLlseek(7, 9, 3, true), 9);
  assert.equal(dirLlseek(7, COMPAT_DIR_EOF, 3, true), ENXIO);
  assert.equal(dirLlseek(7, -1, 3, true), ENXIO);
  assert.equal(dirLlseek(7, 9, 4, true), COMPAT_DIR_EOF);
  assert.equal(dirLlseek(7, 9, 4, false), NATIVE_DIR_EOF);
  assert.equal(dirLlseek(7, 0, 5, false), EINVAL);
});

test('lseek without a context follows the ABI of the last getdents', () => {
  const d = dir(entries(['a']));
  recordsCompat(readCompat(d));
  assert.equal(d.seek(0x80000000, 0), EINVAL);
  records64(d.read(native));
  assert.equal(d.seek(0x80000000, 0), 0x80000000);
});

test('the position left by one ABI continues in the other (ext4 keeps its place while f_pos is unchanged)', () => {
  const d = dir(entries(['a', 'b', 'c']));
  const first = recordsCompat(readCompat(d, 16 * 3));
  assert.deepEqual(
    first.map((r) => r.name),
    ['.', '..', 'a'],
  );
  assert.deepEqual(
    records64(d.read(native)).map((r) => r.name),
    ['b', 'c'],
  );
});
