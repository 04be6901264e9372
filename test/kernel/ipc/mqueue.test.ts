/**
 * POSIX message queues, unit level: the queue's order and hand-over rules (mqueue-queue.ts), name
 * checks and accounting (mqueue-ns.ts), and the handlers' struct layouts in both ABIs
 * (sys-mqueue.ts): 64-byte mq_attr natively, 32-byte compat_mq_attr, nothing written past either.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPAT_ABI, NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../../../src/kernel/abi/mman.js';
import { FdTable } from '../../../src/kernel/fs/fd-table.js';
import { MqFile } from '../../../src/kernel/ipc/mqueue-file.js';
import { checkMqName, mqNamespaceOf } from '../../../src/kernel/ipc/mqueue-ns.js';
import { mqueueSysctlDir } from '../../../src/kernel/ipc/mqueue-sysctl.js';
import { MessageQueue, type MqNotification, SIGEV_SIGNAL } from '../../../src/kernel/ipc/mqueue-queue.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import type { MemoryMap } from '../../../src/kernel/mm/memory-map.js';
import { MM_SYSCALLS } from '../../../src/kernel/syscalls/sys-mm.js';
import { MQUEUE_SYSCALLS } from '../../../src/kernel/syscalls/sys-mqueue.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';
import { defaultRlimits, type Task } from '../../../src/kernel/task/task.js';
import { fresh } from '../mm/mm-helpers.js';

const ENOENT = -2;
const EFAULT = -14;
const EACCES = -13;
const EINVAL = -22;
const EMFILE = -24;
const ENAMETOOLONG = -36;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_NONBLOCK = 0o4000;

function testKernel(mm: MemoryMap): Kernel {
  return {
    phys: mm.as.phys,
    host: { realtime: () => ({ sec: 1700000000, nsec: 0 }), traceWrite: () => {} },
    options: { root: '/' },
    groups: new Map(),
  } as unknown as Kernel;
}

function testTask(uid = 1000): Task {
  return {
    tid: 100,
    tgid: 100,
    nice: 0,
    creds: { uid, euid: uid, suid: uid, gid: uid, egid: uid, sgid: uid, fsuid: uid, fsgid: uid, groups: [] },
    fs: { cwd: '/', umask: 0o022 },
    rlimits: defaultRlimits(),
    personality: 0,
    files: new FdTable(),
  } as unknown as Task;
}

function setup(compat = false, uid = 1000, mm = fresh(), kernel = testKernel(mm)) {
  const task = testTask(uid);
  const ctx: SyscallContext = {
    kernel,
    task,
    compat,
    abi: compat ? COMPAT_ABI : NATIVE_ABI,
    mem: mm.as,
    mm,
    name: 'test',
  };
  const page = call(ctx, 'mmap', 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  assert.ok(page > 0);
  return { ctx, mm, kernel, task, page };
}

function call(ctx: SyscallContext, name: string, ...args: number[]): number {
  const spec = [...MM_SYSCALLS, ...MQUEUE_SYSCALLS].find((s) => s.name === name);
  if (spec?.handler === undefined) throw new Error(`no handler for ${name}`);
  const r = spec.handler(ctx, args);
  if (typeof r !== 'number') throw new Error(`${name} blocked`);
  return r;
}

function putString(mm: MemoryMap, addr: number, s: string): void {
  for (let i = 0; i < s.length; i++) mm.as.write8(addr + i, s.charCodeAt(i));
  mm.as.write8(addr + s.length, 0);
}

function queue(maxmsg = 4): MessageQueue {
  const kernel = testKernel(fresh(1 << 20));
  return new MessageQueue(kernel, 'q', 1, 0o600, 0, 0, maxmsg, 16, { uid: 0, bytes: 0 });
}

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array): string => String.fromCharCode(...b);

test('messages leave highest priority first, FIFO within a priority; qsize counts their bytes', () => {
  const q = queue(8);
  const none = (): void => {};
  for (const [s, p] of [
    ['a', 1],
    ['b', 5],
    ['c', 1],
    ['d', 0],
    ['e', 5],
  ] as const) {
    assert.ok(q.trySend({ prio: p, data: bytes(s) }, 1, 0, none));
  }
  assert.equal(q.qsize, 5);
  const order = [];
  for (let m = q.tryReceive(); m !== undefined; m = q.tryReceive()) order.push(`${text(m.data)}${m.prio}`);
  assert.deepEqual(order, ['b5', 'e5', 'a1', 'c1', 'd0']);
  assert.equal(q.qsize, 0);
});

test('a parked receiver gets the message directly: the queue stays empty and no notification fires', () => {
  const q = queue();
  const fired: MqNotification[] = [];
  q.notification = { owner: 7, notify: SIGEV_SIGNAL, signo: 10, valueLo: 0, valueHi: 0 };
  let woke = 0;
  const w = { prio: 120, msg: undefined, ready: false, wake: () => woke++ };
  q.addWaiter('receive', w);
  assert.ok(q.trySend({ prio: 3, data: bytes('x') }, 1, 0, (n) => fired.push(n)));
  assert.equal(woke, 1);
  assert.ok(w.ready);
  assert.equal(q.curmsgs, 0);
  assert.equal(fired.length, 0);
  assert.notEqual(q.notification, undefined);
  // Without a receiver the first message fires (and drops) the registration, the second does not.
  q.trySend({ prio: 0, data: bytes('y') }, 1, 0, (n) => fired.push(n));
  assert.equal(fired.length, 1);
  assert.equal(q.notification, undefined);
});

test('a full queue refuses; a receive moves the first parked sender (highest task priority) in', () => {
  const q = queue(1);
  const none = (): void => {};
  assert.ok(q.trySend({ prio: 0, data: bytes('1') }, 1, 0, none));
  assert.equal(q.trySend({ prio: 0, data: bytes('2') }, 1, 0, none), false);
  const low = { prio: 130, msg: { prio: 0, data: bytes('low') }, ready: false, wake: () => {} };
  const high = { prio: 110, msg: { prio: 0, data: bytes('high') }, ready: false, wake: () => {} };
  q.addWaiter('send', low);
  q.addWaiter('send', high);
  assert.equal(text(q.tryReceive()!.data), '1');
  assert.ok(high.ready && !low.ready);
  assert.equal(text(q.tryReceive()!.data), 'high');
  assert.ok(low.ready);
});

test('poll mask and the status line follow the queue', () => {
  const q = queue(1);
  assert.equal(q.pollMask(), 0x4 | 0x100);
  q.trySend({ prio: 0, data: bytes('hello') }, 1, 0, () => {});
  assert.equal(q.pollMask(), 0x1 | 0x40);
  q.notification = { owner: 42, notify: SIGEV_SIGNAL, signo: 35, valueLo: 0, valueHi: 0 };
  assert.equal(q.statusLine(), 'QSIZE:5          NOTIFY:0     SIGNO:35    NOTIFY_PID:42    \n');
});

test('names: one component, not . or .., at most NAME_MAX bytes', () => {
  assert.equal(checkMqName(bytes('')), ENOENT);
  assert.equal(checkMqName(bytes('a/b')), EACCES);
  assert.equal(checkMqName(bytes('.')), EACCES);
  assert.equal(checkMqName(bytes('..')), EACCES);
  assert.equal(checkMqName(bytes('...')), 0);
  assert.equal(checkMqName(bytes('x'.repeat(255))), 0);
  assert.equal(checkMqName(bytes('x'.repeat(256))), ENAMETOOLONG);
});

test('native mq_getsetattr writes 64 bytes, compat 32; compat mq_open reads mq_attr only with O_CREAT', () => {
  const n = setup(false);
  const { mm, page } = n;
  putString(mm, page, 'q1');
  const attr = page + 64;
  mm.as.write64(attr + 8, 3, 0);
  mm.as.write64(attr + 16, 24, 0);
  const fd = call(n.ctx, 'mq_open', page, O_CREAT | O_RDWR, 0o600, attr);
  assert.ok(fd >= 0);
  assert.ok(n.task.files.cloexec(fd));
  const out = page + 256;
  for (let i = 0; i < 80; i++) mm.as.write8(out + i, 0xa5);
  assert.equal(call(n.ctx, 'mq_getsetattr', fd, 0, out), 0);
  assert.equal(mm.as.read32(out + 8), 3);
  assert.equal(mm.as.read32(out + 16), 24);
  assert.equal(mm.as.read32(out + 60), 0);
  assert.equal(mm.as.read8(out + 64), 0xa5);
  assert.equal(call(n.ctx, 'mq_open', page, O_RDWR, 0, 8), EFAULT);

  const c = setup(true, 1000, mm, n.kernel);
  assert.ok(call(c.ctx, 'mq_open', page, O_RDWR, 0, 8) >= 0);
  assert.equal(call(c.ctx, 'mq_open', page, O_CREAT | O_RDWR, 0, 8), EFAULT);
  const cfd = call(c.ctx, 'mq_open', page, O_RDWR, 0, 0);
  const cout = c.page + 256;
  for (let i = 0; i < 80; i++) mm.as.write8(cout + i, 0xa5);
  mm.as.write32(c.page + 128, O_NONBLOCK);
  assert.equal(call(c.ctx, 'mq_getsetattr', cfd, c.page + 128, cout), 0);
  assert.deepEqual(
    [0, 4, 8, 12, 16, 28].map((o) => mm.as.read32(cout + o)),
    [0, 3, 24, 0, 0, 0],
  );
  assert.equal(mm.as.read8(cout + 32), 0xa5);
  const f = c.task.files.get(cfd);
  assert.ok(f instanceof MqFile && (f.flags & O_NONBLOCK) !== 0);
  mm.as.write32(c.page + 128, -1);
  assert.equal(call(c.ctx, 'mq_getsetattr', cfd, c.page + 128, 0), EINVAL);
});

test('RLIMIT_MSGQUEUE: the creator is charged until the queue is unlinked and closed', () => {
  const { ctx, mm, page, kernel, task } = setup(false, 1000);
  task.rlimits[12] = [100000, 100000];
  putString(mm, page, 'r1');
  putString(mm, page + 32, 'r2');
  const fd = call(ctx, 'mq_open', page, O_CREAT | O_RDWR, 0o600, 0);
  assert.ok(fd >= 0);
  const ns = mqNamespaceOf(kernel);
  assert.equal(ns.chargedTo(1000), 10 * 8192 + 10 * 48 + 10 * 48);
  assert.equal(call(ctx, 'mq_open', page + 32, O_CREAT | O_RDWR, 0o600, 0), EMFILE);
  assert.equal(call(ctx, 'mq_unlink', page), 0);
  assert.equal(ns.chargedTo(1000), 82880);
  task.files.close(fd);
  assert.equal(ns.chargedTo(1000), 0);
  assert.ok(call(ctx, 'mq_open', page + 32, O_CREAT | O_RDWR, 0o600, 0) >= 0);
});

test("/proc/sys/fs/mqueue: the namespace's values; root writes them within Linux's bounds", () => {
  const { ctx, kernel, task } = setup(false, 0);
  const dir = mqueueSysctlDir();
  const env = { kernel, task };
  const open = (name: string, flags: number) => {
    const v = dir.lookup(env, name);
    assert.ok(v !== undefined && v.kind === 'synth' && v.s.type === 'file');
    const f = v.s.open(env, flags, `/proc/sys/fs/mqueue/${name}`);
    assert.ok(typeof f !== 'number');
    return f;
  };
  const read = (name: string): string => {
    const buf = new Uint8Array(32);
    const n = open(name, 0).read!(ctx, buf, undefined) as number;
    return text(buf.subarray(0, n));
  };
  assert.deepEqual(
    dir
      .entries(env)
      .map((e) => e.name)
      .sort(),
    ['msg_default', 'msg_max', 'msgsize_default', 'msgsize_max', 'queues_max'],
  );
  assert.equal(read('msg_max'), '10\n');
  assert.equal(read('msgsize_max'), '8192\n');
  assert.equal(read('queues_max'), '256\n');
  assert.equal(open('msg_max', 1).write!(ctx, bytes('20\n'), undefined), 3);
  assert.equal(mqNamespaceOf(kernel).sysctls.msgMax, 20);
  assert.equal(open('msgsize_max', 1).write!(ctx, bytes('127\n'), undefined), EINVAL);
  assert.equal(read('msg_max'), '20\n');
});
