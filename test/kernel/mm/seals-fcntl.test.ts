/** fcntl(F_ADD_SEALS / F_GET_SEALS) through the fcntl handler, and the sealable files' statfs. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F_ADD_SEALS, F_GET_SEALS, O_PATH, O_RDONLY } from '../../../src/kernel/abi/fcntl.js';
import { OpenFileBase } from '../../../src/kernel/fs/open-file.js';
import {
  F_SEAL_EXEC,
  F_SEAL_FUTURE_WRITE,
  F_SEAL_GROW,
  F_SEAL_SEAL,
  F_SEAL_SHRINK,
  F_SEAL_WRITE,
} from '../../../src/kernel/mm/shmem.js';
import type { ShmemFile } from '../../../src/kernel/mm/shmem-file.js';
import { FS_FCNTL_SYSCALLS } from '../../../src/kernel/syscalls/sys-fs-fcntl.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';
import { fresh, PAGE, RW } from './mm-helpers.js';
import { ctxFor, sys, testKernel, testTask } from './sys-ctx.js';

const EPERM = -1;
const EBADF = -9;
const EBUSY = -16;
const EINVAL = -22;
const MAP_SHARED = 1;
const MFD_ALLOW_SEALING = 2;
const MFD_HUGETLB = 4;
const MFD_NOEXEC_SEAL = 8;

function fcntl(ctx: SyscallContext, fd: number, cmd: number, arg = 0): number {
  const spec = FS_FCNTL_SYSCALLS.find((s) => s.name === 'fcntl')!;
  return spec.handler!(ctx, [fd, cmd, arg]) as number;
}

function setup() {
  const mm = fresh();
  const task = testTask();
  const ctx = ctxFor(testKernel(mm), task, mm);
  const name = sys(ctx, 'mmap', 0, PAGE, RW, 0x22, -1, 0);
  mm.as.writeBytes(name, Uint8Array.of(0x73, 0), 0, 2);
  const memfd = (flags: number) => sys(ctx, 'memfd_create', name, flags);
  return { mm, task, ctx, memfd };
}

class PlainFile extends OpenFileBase {}

test('F_GET_SEALS: 0 with MFD_ALLOW_SEALING, F_SEAL_SEAL without, F_SEAL_EXEC with MFD_NOEXEC_SEAL', () => {
  const { ctx, memfd } = setup();
  assert.equal(fcntl(ctx, memfd(MFD_ALLOW_SEALING), F_GET_SEALS), 0);
  assert.equal(fcntl(ctx, memfd(0), F_GET_SEALS), F_SEAL_SEAL);
  assert.equal(fcntl(ctx, memfd(MFD_NOEXEC_SEAL), F_GET_SEALS), F_SEAL_EXEC);
  assert.equal(fcntl(ctx, memfd(MFD_HUGETLB), F_GET_SEALS), F_SEAL_SEAL);
});

test('F_ADD_SEALS accumulates seals and F_SEAL_SEAL ends it; unknown bits are EINVAL', () => {
  const { ctx, memfd } = setup();
  const fd = memfd(MFD_ALLOW_SEALING);
  assert.equal(fcntl(ctx, fd, F_ADD_SEALS, F_SEAL_GROW), 0);
  assert.equal(fcntl(ctx, fd, F_ADD_SEALS, F_SEAL_SHRINK), 0);
  assert.equal(fcntl(ctx, fd, F_GET_SEALS), F_SEAL_GROW | F_SEAL_SHRINK);
  assert.equal(fcntl(ctx, fd, F_ADD_SEALS, 0x40), EINVAL);
  // The seal word is an unsigned int: the upper half of the register is ignored.
  assert.equal(fcntl(ctx, fd, F_ADD_SEALS, 2 ** 32 + F_SEAL_FUTURE_WRITE), 0);
  assert.equal(fcntl(ctx, fd, F_ADD_SEALS, F_SEAL_SEAL), 0);
  assert.equal(fcntl(ctx, fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM);
  assert.equal(fcntl(ctx, fd, F_GET_SEALS), F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_FUTURE_WRITE | F_SEAL_SEAL);
});

test('F_SEAL_WRITE is EBUSY while a shared writable mapping exists, and then refuses one', () => {
  const { ctx, task, memfd } = setup();
  const fd = memfd(MFD_ALLOW_SEALING);
  const f = task.files.get(fd) as ShmemFile;
  assert.equal(f.truncate(PAGE), 0);
  const m = sys(ctx, 'mmap', 0, PAGE, RW, MAP_SHARED, fd, 0);
  assert.equal(fcntl(ctx, fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY);
  assert.equal(sys(ctx, 'munmap', m, PAGE), 0);
  assert.equal(fcntl(ctx, fd, F_ADD_SEALS, F_SEAL_WRITE), 0);
  assert.equal(sys(ctx, 'mmap', 0, PAGE, RW, MAP_SHARED, fd, 0), EPERM);
});

test('F_SEAL_GROW: a write crossing the end stops at the last whole page piece before it (shmem_write_begin)', () => {
  const { ctx, task, memfd } = setup();
  const fd = memfd(MFD_ALLOW_SEALING);
  const f = task.files.get(fd) as ShmemFile;
  assert.equal(f.truncate(2 * PAGE + 100), 0);
  assert.equal(fcntl(ctx, fd, F_ADD_SEALS, F_SEAL_GROW), 0);
  assert.equal(f.write(ctx, new Uint8Array(10), PAGE - 4), 10);
  // Pieces: [2P-1, 2P) fits, [2P, 2P+102) ends past 2P+100.
  assert.equal(f.write(ctx, new Uint8Array(103), 2 * PAGE - 1), 1);
  assert.equal(f.write(ctx, new Uint8Array(3), 2 * PAGE + 99), EPERM);
  assert.equal(f.write(ctx, new Uint8Array(1), 2 * PAGE + 99), 1);
  assert.equal(f.obj.size(), 2 * PAGE + 100);
});

test('F_ADD_SEALS checks write access first (EPERM), then sealability (EINVAL), as memfd_add_seals', () => {
  const { ctx, task, memfd } = setup();
  const fd = memfd(MFD_ALLOW_SEALING);
  task.files.get(fd)!.flags = O_RDONLY;
  assert.equal(fcntl(ctx, fd, F_ADD_SEALS, F_SEAL_GROW), EPERM);
  assert.equal(fcntl(ctx, fd, F_GET_SEALS), 0);
  const plainRo = task.files.install(new PlainFile(O_RDONLY, '/etc/passwd'), false);
  const plainRw = task.files.install(new PlainFile(2, '/tmp/x'), false);
  assert.equal(fcntl(ctx, plainRo, F_ADD_SEALS, F_SEAL_GROW), EPERM);
  assert.equal(fcntl(ctx, plainRw, F_ADD_SEALS, F_SEAL_GROW), EINVAL);
  assert.equal(fcntl(ctx, plainRw, F_GET_SEALS), EINVAL);
  const path = task.files.install(new PlainFile(O_PATH, '/tmp/x'), false);
  assert.equal(fcntl(ctx, path, F_GET_SEALS), EBADF);
});

test('fstatfs of a memfd is the internal tmpfs; of an MFD_HUGETLB memfd hugetlbfs with 2 MiB blocks', () => {
  const { task, memfd } = setup();
  const small = (task.files.get(memfd(0)) as ShmemFile).statfs();
  assert.equal(small.type, 0x01021994);
  assert.equal(small.bsize, PAGE);
  const huge = (task.files.get(memfd(MFD_HUGETLB)) as ShmemFile).statfs();
  assert.equal(huge.type, 0x958458f6);
  assert.equal(huge.bsize, 2 * 1024 * 1024);
  assert.equal(huge.files, -1);
});
