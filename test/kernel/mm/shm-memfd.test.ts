import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAP_SHARED, PROT_READ, PROT_WRITE } from '../../../src/kernel/abi/mman.js';
import { memfdAddSeals, memfdGetSeals } from '../../../src/kernel/mm/memfd.js';
import { F_SEAL_GROW, F_SEAL_SEAL, F_SEAL_SHRINK, F_SEAL_WRITE } from '../../../src/kernel/mm/shmem.js';
import type { ShmemFile } from '../../../src/kernel/mm/shmem-file.js';
import { Access, FaultResult } from '../../../src/memory/guest-fault.js';
import { fresh, native, PAGE, RW } from './mm-helpers.js';
import { ctxFor, sys, testKernel, testTask } from './sys-ctx.js';

const EPERM = -1;
const ENOENT = -2;
const EACCES = -13;
const EBUSY = -16;
const EEXIST = -17;
const EINVAL = -22;
const IPC_CREAT = 0o1000;
const IPC_EXCL = 0o2000;
const IPC_RMID = 0;
const IPC_STAT = 2;
const SHM_RDONLY = 0o10000;
const SHM_RND = 0o20000;
const MiB = 1024 * 1024;

function setup(compat = false, uid = 1000) {
  const mm = fresh();
  const kernel = testKernel(mm);
  const task = testTask(uid);
  return { mm, kernel, task, ctx: ctxFor(kernel, task, mm, compat) };
}

test('shmget: IPC_PRIVATE always creates; a key is found again, IPC_EXCL gives EEXIST, a missing key without IPC_CREAT ENOENT', () => {
  const { ctx } = setup();
  const a = sys(ctx, 'shmget', 0, 10000, IPC_CREAT | 0o600);
  const b = sys(ctx, 'shmget', 0, 10000, IPC_CREAT | 0o600);
  assert.ok(a >= 0 && b >= 0 && a !== b);
  const k = sys(ctx, 'shmget', 0x1234, 8192, IPC_CREAT | 0o600);
  assert.equal(sys(ctx, 'shmget', 0x1234, 4096, 0), k);
  assert.equal(sys(ctx, 'shmget', 0x1234, 4096, IPC_CREAT | IPC_EXCL), EEXIST);
  assert.equal(sys(ctx, 'shmget', 0x1234, 8193, 0), EINVAL);
  assert.equal(sys(ctx, 'shmget', 0x9999, 4096, 0), ENOENT);
  assert.equal(sys(ctx, 'shmget', 0, 0, IPC_CREAT), EINVAL);
});

test('segment ids are index + sequence << 15, handed out cyclically', () => {
  const { ctx } = setup();
  const a = sys(ctx, 'shmget', 0, 4096, 0o600);
  const b = sys(ctx, 'shmget', 0, 4096, 0o600);
  assert.equal(b, a + 1);
  assert.equal(sys(ctx, 'shmctl', a, IPC_RMID, 0), 0);
  const c = sys(ctx, 'shmget', 0, 4096, 0o600);
  assert.equal(c, b + 1);
});

test('shmat maps the segment shared; another attach sees the same bytes; shmdt detaches', () => {
  const { ctx, mm } = setup();
  const id = sys(ctx, 'shmget', 0, 3 * PAGE, 0o600);
  const a = sys(ctx, 'shmat', id, 0, 0);
  const b = sys(ctx, 'shmat', id, 0, 0);
  assert.ok(a > 0 && b > 0 && a !== b);
  mm.as.write32(a + 100, 0x1234);
  assert.equal(mm.as.read32(b + 100), 0x1234);
  assert.equal(sys(ctx, 'shmdt', a + PAGE), EINVAL);
  assert.equal(sys(ctx, 'shmdt', a), 0);
  assert.equal(mm.find(a / PAGE), undefined);
  assert.equal(sys(ctx, 'shmdt', a), EINVAL);
});

test('shmat at an address: SHM_RND rounds down to SHMLBA (16 KiB for compat calls), an unaligned one is EINVAL, a taken one EINVAL', () => {
  const { ctx, mm } = setup();
  const id = sys(ctx, 'shmget', 0, PAGE, 0o600);
  assert.equal(sys(ctx, 'shmat', id, 0x40000123, 0), EINVAL);
  assert.equal(sys(ctx, 'shmat', id, 0x40000123, SHM_RND), 0x40000000);
  assert.equal(sys(ctx, 'shmat', id, 0x40000000, 0), EINVAL);
  const c = setup(true);
  const cid = sys(c.ctx, 'shmget', 0, PAGE, 0o600);
  assert.equal(sys(c.ctx, 'shmat', cid, 0x40003000, SHM_RND), 0x40000000);
  assert.equal(sys(c.ctx, 'shmat', cid, 0x40005000, 0), 0x40005000);
  const auto = sys(c.ctx, 'shmat', cid, 0, 0);
  assert.ok(auto > 0 && auto < 0xf7ff0000);
  void mm;
});

test('SHM_RDONLY attaches read-only: writes fault and mprotect cannot add write', () => {
  const { ctx, mm } = setup();
  const id = sys(ctx, 'shmget', 0, PAGE, 0o600);
  const a = sys(ctx, 'shmat', id, 0, SHM_RDONLY);
  assert.equal(mm.resolveFault(a / PAGE, Access.Write), FaultResult.AccErr);
  assert.equal(mm.mprotect(a / PAGE, a / PAGE + 1, RW, native(mm)), EACCES);
});

test('IPC_STAT reports size, attach count and creator; IPC_RMID of an attached segment defers destruction', () => {
  const { ctx, mm } = setup();
  const id = sys(ctx, 'shmget', 0x77, 5000, IPC_CREAT | 0o640);
  const a = sys(ctx, 'shmat', id, 0, 0);
  const buf = mm.as.phys ? sys(ctx, 'mmap', 0, PAGE, PROT_READ | PROT_WRITE, 0x22, -1, 0) : 0;
  assert.equal(sys(ctx, 'shmctl', id, IPC_STAT, buf), 0);
  const dv = (o: number) => mm.as.read32(buf + o) >>> 0;
  assert.equal(dv(0), 0x77); // key
  assert.equal(dv(20) & 0o777, 0o640); // mode
  assert.equal(dv(48), 5000); // shm_segsz
  assert.equal(dv(80), 100); // shm_cpid
  assert.equal(dv(88), 1); // shm_nattch
  assert.equal(sys(ctx, 'shmctl', id, IPC_RMID, 0), 0);
  // Still attached, still reachable by id, key now private and SHM_DEST set.
  assert.equal(sys(ctx, 'shmctl', id, IPC_STAT, buf), 0);
  assert.equal(dv(0), 0);
  assert.equal(dv(20) & 0o1000, 0o1000);
  assert.equal(sys(ctx, 'shmget', 0x77, 4096, 0), ENOENT);
  assert.equal(sys(ctx, 'shmdt', a), 0);
  assert.equal(sys(ctx, 'shmctl', id, IPC_STAT, buf), EINVAL);
});

test('shm permissions: another user without access gets EACCES; only the owner may IPC_RMID', () => {
  const owner = setup(false, 1000);
  const id = sys(owner.ctx, 'shmget', 0x55, PAGE, IPC_CREAT | 0o600);
  const other = ctxFor(owner.kernel, testTask(2000, 200), fresh());
  assert.equal(sys(other, 'shmget', 0x55, PAGE, 0o600), EACCES);
  assert.equal(sys(other, 'shmat', id, 0, 0), EACCES);
  assert.equal(sys(other, 'shmctl', id, IPC_RMID, 0), EPERM);
});

test('SHM_HUGETLB segments come from the hugetlb pool and attach 2 MiB aligned', () => {
  const { ctx } = setup();
  const id = sys(ctx, 'shmget', 0, 3 * MiB, 0o600 | 0o4000);
  assert.ok(id >= 0);
  const a = sys(ctx, 'shmat', id, 0, 0);
  assert.equal(a % (2 * MiB), 0);
  assert.equal(sys(ctx, 'shmdt', a), 0);
  assert.equal(sys(ctx, 'shmctl', id, IPC_RMID, 0), 0);
});

test('memfd_create: a file that read/write and a MAP_SHARED mapping see alike', () => {
  const { ctx, mm, task } = setup();
  const name = sys(ctx, 'mmap', 0, PAGE, RW, 0x22, -1, 0);
  mm.as.writeBytes(name, Uint8Array.of(0x78, 0), 0, 2);
  const fd = sys(ctx, 'memfd_create', name, 2 /* MFD_ALLOW_SEALING */);
  assert.ok(fd >= 0);
  const f = task.files.get(fd) as ShmemFile;
  assert.equal(f.path, '/memfd:x (deleted)');
  assert.equal(f.truncate(2 * PAGE), 0);
  const m = sys(ctx, 'mmap', 0, 2 * PAGE, RW, MAP_SHARED, fd, 0);
  mm.as.write32(m + PAGE, 0xabcd);
  const b = new Uint8Array(4);
  assert.equal(f.read(ctx, b, PAGE), 4);
  assert.deepEqual([...b], [0xcd, 0xab, 0, 0]);
  assert.equal(f.write(ctx, Uint8Array.of(9), 8), 1);
  assert.equal(mm.as.read8(m + 8), 9);
  // Sealing: F_SEAL_WRITE while a shared writable mapping exists is EBUSY.
  assert.equal(memfdAddSeals(f, F_SEAL_WRITE), EBUSY);
  assert.equal(sys(ctx, 'munmap', m, 2 * PAGE), 0);
  assert.equal(memfdAddSeals(f, F_SEAL_WRITE | F_SEAL_SHRINK), 0);
  assert.equal(memfdGetSeals(f), F_SEAL_WRITE | F_SEAL_SHRINK);
  assert.equal(f.write(ctx, Uint8Array.of(1), 0), EPERM);
  assert.equal(sys(ctx, 'mmap', 0, PAGE, RW, MAP_SHARED, fd, 0), EPERM);
  assert.equal(f.truncate(PAGE), EPERM);
  assert.equal(f.truncate(3 * PAGE), 0);
  const ro = sys(ctx, 'mmap', 0, PAGE, PROT_READ, MAP_SHARED, fd, 0);
  assert.equal(mm.mprotect(ro / PAGE, ro / PAGE + 1, RW, native(mm)), EACCES);
  assert.equal(memfdAddSeals(f, F_SEAL_SEAL), 0);
  assert.equal(memfdAddSeals(f, F_SEAL_GROW), EPERM);
});

test('memfd_create without MFD_ALLOW_SEALING starts sealed with F_SEAL_SEAL; bad flags are EINVAL; long names EINVAL', () => {
  const { ctx, mm, task } = setup();
  const name = sys(ctx, 'mmap', 0, PAGE, RW, 0x22, -1, 0);
  mm.as.writeBytes(name, Uint8Array.of(0x79, 0), 0, 2);
  const fd = sys(ctx, 'memfd_create', name, 1);
  assert.equal(memfdGetSeals(task.files.get(fd)!), F_SEAL_SEAL);
  assert.equal(task.files.cloexec(fd), true);
  assert.equal(sys(ctx, 'memfd_create', name, 0x100), EINVAL);
  assert.equal(sys(ctx, 'memfd_create', name, 0x18), EINVAL);
  mm.as.fill(name, 0x61, 250);
  mm.as.write8(name + 250, 0);
  assert.equal(sys(ctx, 'memfd_create', name, 0), EINVAL);
  mm.as.write8(name + 249, 0);
  assert.ok(sys(ctx, 'memfd_create', name, 0) >= 0);
  assert.equal(sys(ctx, 'memfd_create', 0x10, 0), -14);
});

test('memfd_create(MFD_HUGETLB): sizes are whole huge pages and mappings are huge-page aligned', () => {
  const { ctx, mm, task } = setup();
  const name = sys(ctx, 'mmap', 0, PAGE, RW, 0x22, -1, 0);
  mm.as.writeBytes(name, Uint8Array.of(0x68, 0), 0, 2);
  const fd = sys(ctx, 'memfd_create', name, 4);
  const f = task.files.get(fd) as ShmemFile;
  assert.equal(f.truncate(PAGE), EINVAL);
  assert.equal(f.truncate(2 * MiB), 0);
  assert.equal(f.write(ctx, Uint8Array.of(1), 0), EINVAL);
  const m = sys(ctx, 'mmap', 0, 2 * MiB, RW, MAP_SHARED, fd, 0);
  assert.equal(m % (2 * MiB), 0);
  assert.equal(sys(ctx, 'mmap', 0, 2 * MiB, RW, MAP_SHARED, fd, PAGE), EINVAL);
  mm.as.write8(m + 5, 3);
  const b = new Uint8Array(1);
  f.read(ctx, b, 5);
  assert.equal(b[0], 3);
});
