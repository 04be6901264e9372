/**
 * A kernel with tasks for futex tests, without programs: thread A (the first process), thread B in
 * the same process (sharing A's memory map), and on request a forked process C with a copy of the
 * memory. Clocks are the host's real ones, so timeouts are real (short) waits. Handlers are called
 * directly through a SyscallContext, the way syscall entry calls them.
 */
import { COMPAT_ABI, NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, MAP_SHARED, PROT_READ, PROT_WRITE } from '../../../src/kernel/abi/mman.js';
import type { HostFs } from '../../../src/kernel/fs/host-fs.js';
import type { Host } from '../../../src/kernel/host.js';
import { DEFAULT_OPTIONS, Kernel } from '../../../src/kernel/kernel.js';
import { sharedAnonObject } from '../../../src/kernel/mm/shmem.js';
import { COMPAT_TIME64_ABI } from '../../../src/kernel/syscalls/compat-table.js';
import { FUTEX_SYSCALLS } from '../../../src/kernel/syscalls/sys-futex.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';
import { createInitTask } from '../../../src/kernel/task/exec.js';
import { SignalState } from '../../../src/kernel/task/signal-state.js';
import { Task } from '../../../src/kernel/task/task.js';
import { ThreadGroup } from '../../../src/kernel/task/thread-group.js';

/** Private anonymous memory of A (and B), read-write. */
export const PRIV = 0x1000_0000;
/** A MAP_SHARED anonymous mapping (a shmem object), inherited by a fork. */
export const SHARED = 0x2000_0000;
/** The same shmem object mapped a second time, at another address. */
export const SHARED_ALIAS = 0x3000_0000;
/** Read-only private anonymous memory. */
export const RDONLY = 0x4000_0000;
/** Nothing is mapped here. */
export const UNMAPPED = 0x5000_0000;
const SIZE = 0x10000;

export interface FutexFixture {
  kernel: Kernel;
  a: Task;
  b: Task;
  /** A new process forked from A (copy of the private memory, the shared mapping shared). */
  fork(): Task;
}

function realHost(): Host {
  return {
    fs: {} as HostFs,
    realtime: () => {
      const ms = Date.now();
      return { sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1e6 };
    },
    monotonicNs: () => Number(process.hrtime.bigint()),
    cpuTimeNs: () => Number(process.cpuUsage().user) * 1000,
    randomBytes: (dst) => dst.fill(7),
    nodename: 'test',
    uid: 1000,
    gid: 1000,
    traceWrite: () => {},
    yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
  };
}

export function futexFixture(): FutexFixture {
  const kernel = new Kernel(realHost(), { ...DEFAULT_OPTIONS, seed: 1, root: '/', memoryCap: 64 * 1024 * 1024 });
  const a = createInitTask(
    kernel,
    { uid: 1000, euid: 1000, suid: 1000, fsuid: 1000, gid: 1000, egid: 1000, sgid: 1000, fsgid: 1000, groups: [] },
    { cwd: '/', umask: 0o22 },
  );
  kernel.tasks.set(a.tid, a);
  const mm = a.mm;
  const shm = sharedAnonObject(kernel.phys, SIZE);
  const ok =
    mm.map(PRIV, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, undefined, 0) &&
    mm.map(SHARED, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, shm, 0) &&
    mm.map(SHARED_ALIAS, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, shm, 0) &&
    mm.map(RDONLY, SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, undefined, 0);
  if (!ok) throw new Error('cannot map the test memory');
  const b = new Task(
    kernel.allocPid(),
    a.tgid,
    mm,
    a.files,
    a.fs,
    { ...a.creds },
    a.signals.forClone({ sighand: true, thread: true, vmWithoutVfork: true }),
    a.rlimits,
    'b',
  );
  b.group = a.group;
  a.group.threads.add(b);
  kernel.tasks.set(b.tid, b);
  const fork = (): Task => {
    const pid = kernel.allocPid();
    const c = new Task(
      pid,
      pid,
      mm.fork(kernel.newAddressSpace()),
      a.files,
      { ...a.fs },
      { ...a.creds },
      new SignalState(),
      a.rlimits,
      'c',
    );
    const g = new ThreadGroup(pid, c, {
      parent: a.group,
      pgid: a.group.pgid,
      sid: a.group.sid,
      exitSignal: 17,
      startNs: 0,
    });
    c.group = g;
    g.threads.add(c);
    kernel.groups.set(pid, g);
    kernel.tasks.set(pid, c);
    return c;
  };
  return { kernel, a, b, fork };
}

export type Abi = 'native' | 'compat' | 'compat-time64';

export function ctxOf(kernel: Kernel, task: Task, abi: Abi = 'native'): SyscallContext {
  return {
    kernel,
    task,
    compat: abi !== 'native',
    abi: abi === 'native' ? NATIVE_ABI : abi === 'compat' ? COMPAT_ABI : COMPAT_TIME64_ABI,
    mem: task.mm.as,
    mm: task.mm,
    name: 'futex',
  };
}

function handler(name: string) {
  const h = FUTEX_SYSCALLS.find((s) => s.name === name)?.handler;
  if (h === undefined) throw new Error(`no ${name}`);
  return h;
}

/** futex(uaddr, op, val, timeout-or-val2, uaddr2, val3) as `task` in the given ABI. */
export function futex(
  f: FutexFixture,
  task: Task,
  uaddr: number,
  op: number,
  val: number,
  utime = 0,
  uaddr2 = 0,
  val3 = 0,
  abi: Abi = 'native',
): number | Promise<number> {
  return handler('futex')(ctxOf(f.kernel, task, abi), [uaddr, op, val, utime, uaddr2, val3]);
}

/** A call that must not block. */
export function now(r: number | Promise<number>): number {
  if (typeof r !== 'number') throw new Error('the call blocked');
  return r;
}

export function futexWaitv(
  f: FutexFixture,
  task: Task,
  waiters: number,
  nr: number,
  flags: number,
  timeout: number,
  clockid: number,
  abi: Abi = 'native',
): number | Promise<number> {
  return handler('futex_waitv')(ctxOf(f.kernel, task, abi), [waiters, nr, flags, timeout, clockid]);
}

export function peek(task: Task, addr: number): number {
  return task.mm.as.read32(addr) >>> 0;
}

export function poke(task: Task, addr: number, v: number): void {
  task.mm.as.write32(addr, v | 0);
}

/** Writes a __kernel_timespec (16 bytes) or old_timespec32 (8 bytes) at addr. */
export function putTimespec(task: Task, addr: number, sec: number, nsec: number, size: 8 | 16 = 16): void {
  const b = new Uint8Array(size);
  const d = new DataView(b.buffer);
  if (size === 16) {
    d.setBigInt64(0, BigInt(sec), true);
    d.setBigInt64(8, BigInt(nsec), true);
  } else {
    d.setInt32(0, sec, true);
    d.setInt32(4, nsec, true);
  }
  task.mm.as.writeBytes(addr, b, 0, size);
}

/** Lets queued promise callbacks (wake-ups) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Resolves to the call's result, or 'pending' if it has not finished after the queued callbacks ran. */
export async function state(p: number | Promise<number>): Promise<number | 'pending'> {
  if (typeof p === 'number') return p;
  let done: number | 'pending' = 'pending';
  void p.then((v) => {
    done = v;
  });
  await settle();
  return done;
}
