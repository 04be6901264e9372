// syscall-entry first: it is the module graph's root (the sys-* handler modules reach it through kernel.js).
import '../../../src/kernel/entry/syscall-entry.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPAT_ABI } from '../../../src/kernel/abi/abi-set.js';
import { COMPAT_DIR_EOF, DirCursor, hashToPos, nameHash } from '../../../src/kernel/fs/dirents.js';
import type { OpenFile } from '../../../src/kernel/fs/open-file.js';
import type { DirEntry } from '../../../src/kernel/fs/vnode.js';
import { compatGetdents } from '../../../src/kernel/syscalls/compat-fs-stat.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';

const EINVAL = -22;
const EOVERFLOW = -75;
const BUF = 0x1000;
const SEED = 0x1234567;
/** The 31-bit cookie of a name in the fixture's kernel. */
const cookie = (name: string) => hashToPos(nameHash(name, SEED), true);

/** A directory description over fixed entries, positioned by hash cookies as the VFS's directories are. */
function directory(entries: DirEntry[]): OpenFile {
  const cursor = new DirCursor(() => entries);
  return {
    flags: 0,
    path: '/d',
    pos: 0,
    refs: 1,
    getdents(ctx, count) {
      const r = cursor.read(ctx, this.pos, count);
      if (typeof r === 'number') return r;
      this.pos = r.next;
      return r.bytes;
    },
    lseek(offset, whence) {
      const r = cursor.seek(this.pos, offset, whence);
      if (r >= 0) this.pos = r;
      return r;
    },
  };
}

/** A compat call's context around one open directory (fd 3) and a guest buffer at BUF. */
function fixture(entries: DirEntry[]) {
  const dir = directory(entries);
  const guest = new Uint8Array(0x2000);
  const mem = {
    writeBytes(addr: number, src: Uint8Array, at: number, len: number) {
      guest.set(src.subarray(at, at + len), addr);
    },
  };
  const ctx = {
    compat: true,
    abi: COMPAT_ABI,
    kernel: { random: { u32: () => SEED } },
    mem,
    task: { files: { get: (fd: number) => (fd === 3 ? dir : undefined) } },
  } as unknown as SyscallContext;
  const call = (count: number) => compatGetdents(ctx, [3, BUF, count]);
  const view = new DataView(guest.buffer, BUF);
  return { dir, call, view, guest };
}

test('compat getdents re-encodes records: u32 ino and off, reclen ALIGN(10 + len + 2, 4), d_type last', () => {
  const f = fixture([
    { name: '.', ino: 2, type: 4 },
    { name: 'file', ino: 0xfffffffe, type: 8 },
  ]);
  assert.equal(f.call(512), 16 + 16);
  assert.deepEqual(
    [f.view.getUint32(0, true), f.view.getUint32(4, true), f.view.getUint16(8, true)],
    [2, cookie('file'), 16],
  );
  assert.equal(f.view.getUint8(15), 4);
  assert.deepEqual(
    [f.view.getUint32(16, true), f.view.getUint32(20, true), f.view.getUint16(24, true)],
    [0xfffffffe, COMPAT_DIR_EOF, 16],
  );
  assert.equal(new TextDecoder().decode(f.guest.subarray(BUF + 26, BUF + 30)), 'file');
  assert.equal(f.view.getUint8(30), 0);
  assert.equal(f.view.getUint8(31), 8);
  assert.equal(f.call(512), 0);
});

test('an inode number above 32 bits is EOVERFLOW, after the records before it have been returned', () => {
  const f = fixture([
    { name: '.', ino: 2, type: 4 },
    { name: 'big', ino: 2 ** 32, type: 8 },
    { name: 'z', ino: 7, type: 8 },
  ]);
  assert.equal(f.call(512), 16);
  assert.equal(f.dir.pos, cookie('big'), 'the entry that overflowed is not consumed');
  assert.equal(f.call(512), EOVERFLOW);
  assert.equal(f.dir.pos, cookie('big'));
  // Past it (seekdir), the listing goes on.
  assert.equal(f.dir.lseek?.(cookie('z'), 0), cookie('z'));
  assert.equal(f.call(512), 16);
  assert.equal(f.view.getUint32(0, true), 7);
});

test('a buffer too small for the first record is EINVAL; a record that does not fit is left for the next call', () => {
  const f = fixture([
    { name: '.', ino: 2, type: 4 },
    { name: '..', ino: 1, type: 4 },
  ]);
  assert.equal(f.call(15), EINVAL);
  assert.equal(f.dir.pos, 0);
  assert.equal(f.call(16), 16);
  assert.equal(f.dir.pos, 1, '".." has hash (2, 0): cookie 1');
  assert.equal(f.call(16), 16);
  assert.equal(f.view.getUint32(0, true), 1);
});
