import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_EXEC, PROT_READ } from '../../../../src/kernel/abi/mman.js';
import type { OpenFile } from '../../../../src/kernel/fs/open-file.js';
import type { FsEnv } from '../../../../src/kernel/fs/vnode.js';
import { procMemFile } from '../../../../src/kernel/security/ptrace/proc-mem.js';
import type { SyscallContext } from '../../../../src/kernel/syscalls/syscall-types.js';
import { bytes, DATA, mapData, pair, put } from './fixture.js';

const EIO = -5;
const EACCES = -13;
const O_RDWR = 2;
const ctx = {} as SyscallContext;

function open(p: ReturnType<typeof pair>): OpenFile | number {
  const node = procMemFile(1, () => p.tracee);
  const env: FsEnv = { kernel: p.kernel, task: p.tracer };
  return node.open(env, O_RDWR, '/proc/2/mem');
}

test('/proc/PID/mem reads and writes at the address given by the offset, read-only text included', () => {
  const p = pair();
  put(p.tracee, DATA + 0x10, [1, 2, 3, 4]);
  const f = open(p);
  assert.ok(typeof f !== 'number');
  const buf = new Uint8Array(4);
  assert.equal(f.read?.(ctx, buf, DATA + 0x10), 4);
  assert.deepEqual([...buf], [1, 2, 3, 4]);
  assert.equal(f.lseek?.(DATA + 0x11, 0), DATA + 0x11);
  assert.equal(f.read?.(ctx, buf.subarray(0, 2), undefined), 2);
  assert.deepEqual([...buf.subarray(0, 2)], [2, 3]);
  assert.equal(f.pos, DATA + 0x13);
  mapData(p.tracee, 0x40_0000, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS);
  assert.equal(f.write?.(ctx, Uint8Array.of(0, 0, 0x20, 0xd4), 0x40_0008), 4);
  assert.deepEqual(bytes(p.tracee, 0x40_0008, 4), [0, 0, 0x20, 0xd4]);
});

test('/proc/PID/mem: a read that runs off the mapping is short; one that starts outside is -EIO', () => {
  const p = pair();
  const f = open(p);
  assert.ok(typeof f !== 'number');
  const buf = new Uint8Array(64);
  assert.equal(f.read?.(ctx, buf, DATA + 4 * 4096 - 16), 16);
  assert.equal(f.read?.(ctx, buf, 0x10), EIO);
  assert.equal(f.lseek?.(0, 2), -22);
});

test('/proc/PID/mem needs PTRACE_MODE_ATTACH: another user gets -EACCES', () => {
  const p = pair(1001);
  assert.equal(open(p), EACCES);
});
