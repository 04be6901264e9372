// syscall-entry first: it is the module graph's root (the sys-* handler modules reach it through kernel.js).
import '../../../src/kernel/entry/syscall-entry.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPAT_ABI, NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import type { HostStatfs } from '../../../src/kernel/fs/host-fs.js';
import type { OpenFile } from '../../../src/kernel/fs/open-file.js';
import { callNative } from '../../../src/kernel/syscalls/compat-native.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';

const EOVERFLOW = -75;
const BUF = 0x100;

const SMALL: HostStatfs = {
  type: 0xef53,
  bsize: 4096,
  blocks: 1000,
  bfree: 500,
  bavail: 400,
  files: 100,
  ffree: 50,
  namelen: 255,
  frsize: 4096,
  flags: 0x20,
};

/** fstatfs(3, BUF) on a description whose file system reports `s`, as a compat or native call. */
function fstatfs(s: HostStatfs, compat: boolean): { r: number; view: DataView } {
  const file: OpenFile = { flags: 0, path: '/f', pos: 0, refs: 1, statfs: () => s };
  const guest = new Uint8Array(0x400);
  const mem = {
    writeBytes(addr: number, src: Uint8Array, at: number, len: number) {
      guest.set(src.subarray(at, at + len), addr);
    },
  };
  const ctx = {
    compat,
    abi: compat ? COMPAT_ABI : NATIVE_ABI,
    mem,
    task: { files: { get: (fd: number) => (fd === 3 ? file : undefined) } },
  } as unknown as SyscallContext;
  const r = callNative('fstatfs', ctx, [3, BUF]);
  assert.equal(typeof r, 'number');
  return { r: r as number, view: new DataView(guest.buffer, BUF) };
}

test('compat fstatfs writes the 64-byte compat_statfs with 32-bit counts', () => {
  const { r, view } = fstatfs(SMALL, true);
  assert.equal(r, 0);
  assert.deepEqual(
    [0, 4, 8, 12, 16, 20, 24].map((o) => view.getUint32(o, true)),
    [0xef53, 4096, 1000, 500, 400, 100, 50],
  );
  // f_namelen after the 8-byte f_fsid, then f_frsize and f_flags.
  assert.deepEqual(
    [36, 40, 44].map((o) => view.getUint32(o, true)),
    [255, 4096, 0x20],
  );
});

test('put_compat_statfs: a count above 32 bits is EOVERFLOW for compat, written in full natively', () => {
  for (const key of ['blocks', 'bfree', 'bavail', 'files', 'ffree', 'bsize', 'frsize'] as const) {
    const big = { ...SMALL, [key]: 2 ** 32 };
    assert.equal(fstatfs(big, true).r, EOVERFLOW, key);
    const native = fstatfs(big, false);
    assert.equal(native.r, 0, key);
  }
  const native = fstatfs({ ...SMALL, blocks: 2 ** 32 + 5 }, false);
  assert.equal(native.view.getUint32(16, true), 5);
  assert.equal(native.view.getUint32(20, true), 1);
});

test('put_compat_statfs: f_files and f_ffree of -1 (no inode limit) narrow to 0xffffffff', () => {
  const { r, view } = fstatfs({ ...SMALL, files: 2 ** 64, ffree: -1 }, true);
  assert.equal(r, 0);
  assert.equal(view.getUint32(20, true), 0xffffffff);
  assert.equal(view.getUint32(24, true), 0xffffffff);
});
