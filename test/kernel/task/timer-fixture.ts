/**
 * POSIX timer, timerfd and signalfd tests: the signal fixture's kernel and task (fake clocks the test
 * moves), a second thread of the same process, and the handlers of sys-timer.ts called through a
 * SyscallContext in either ABI, with a scratch buffer in the task's stack mapping.
 */
import type { TestContext } from 'node:test';
import { type AbiSet, COMPAT_ABI, NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import { TIMER_SYSCALLS } from '../../../src/kernel/syscalls/sys-timer.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';
import { deleteProcessTimers } from '../../../src/kernel/task/posix-timers.js';
import { Task } from '../../../src/kernel/task/task.js';
import { type FakeClock, STACK_TOP, signalFixture } from './signal-fixture.js';

export type Abi = 'native' | 'compat' | 'compat-time64';

/**
 * The compat *_time64 calls' view (compat-table.ts's COMPAT_TIME64_ABI, rebuilt here: importing the
 * compat table before kernel.ts would start the module cycle through the syscall tables).
 */
const TIME64_ABI: AbiSet = Object.freeze({
  ...COMPAT_ABI,
  timespec: COMPAT_ABI.__kernel_timespec,
  itimerspec: COMPAT_ABI.__kernel_itimerspec,
}) as AbiSet;

export interface TimerFixture {
  kernel: Kernel;
  /** The first thread (the process's leader). */
  task: Task;
  /** A second thread of the same process. */
  other: Task;
  clock: FakeClock;
  /** Scratch guest memory (4 KiB) for the calls' structures. */
  buf: number;
  /** Blocks the signals in both threads (a signal one thread leaves unblocked would go to it). */
  block(...sigs: number[]): void;
}

/** The fixture; the test's end deletes its timers and closes its files, so no host timer outlives the test. */
export function timerFixture(t: TestContext): TimerFixture {
  const { kernel, task, clock } = signalFixture();
  const other = new Task(
    kernel.allocPid(),
    task.tgid,
    task.mm,
    task.files,
    task.fs,
    { ...task.creds },
    task.signals.forClone({ sighand: true, thread: true, vmWithoutVfork: true }),
    task.rlimits,
    'other',
  );
  other.group = task.group;
  task.group.threads.add(other);
  kernel.tasks.set(other.tid, other);
  t.after(() => {
    deleteProcessTimers(task);
    task.files.closeAll();
  });
  const block = (...sigs: number[]): void => {
    for (const s of sigs) {
      task.signals.blocked.add(s);
      other.signals.blocked.add(s);
    }
  };
  return { kernel, task, other, clock, buf: STACK_TOP - 0x4000, block };
}

export function ctxOf(kernel: Kernel, task: Task, abi: Abi = 'native'): SyscallContext {
  return {
    kernel,
    task,
    compat: abi !== 'native',
    abi: abi === 'native' ? NATIVE_ABI : abi === 'compat' ? COMPAT_ABI : TIME64_ABI,
    mem: task.mm.as,
    mm: task.mm,
    name: 'timer',
  };
}

/** Calls a handler of sys-timer.ts. */
export function sys(ctx: SyscallContext, name: string, ...args: number[]): number | Promise<number> {
  const h = TIMER_SYSCALLS.find((s) => s.name === name)?.handler;
  if (h === undefined) throw new Error(`no ${name}`);
  return h({ ...ctx, name }, args);
}

/** A call that must not block. */
export function sysNow(ctx: SyscallContext, name: string, ...args: number[]): number {
  const r = sys(ctx, name, ...args);
  if (typeof r !== 'number') throw new Error(`${name} blocked`);
  return r;
}

export function writeBytes(task: Task, addr: number, b: Uint8Array): void {
  task.mm.as.writeBytes(addr, b, 0, b.length);
}

export function readBytes(task: Task, addr: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  task.mm.as.readBytes(addr, b, 0, n);
  return b;
}

/** A native __kernel_itimerspec {interval, value} from ns. */
export function itimerspec64(intervalNs: number, valueNs: number): Uint8Array {
  const b = new Uint8Array(32);
  const dv = new DataView(b.buffer);
  dv.setBigInt64(0, BigInt(Math.floor(intervalNs / 1e9)), true);
  dv.setBigInt64(8, BigInt(intervalNs % 1e9), true);
  dv.setBigInt64(16, BigInt(Math.floor(valueNs / 1e9)), true);
  dv.setBigInt64(24, BigInt(valueNs % 1e9), true);
  return b;
}

/** A native __kernel_itimerspec for an absolute time given exactly (realtime ns exceed a double's integers). */
export function itimerspecAt(sec: number, nsec: number): Uint8Array {
  const b = new Uint8Array(32);
  const dv = new DataView(b.buffer);
  dv.setBigInt64(16, BigInt(sec), true);
  dv.setBigInt64(24, BigInt(nsec), true);
  return b;
}

/** Reads a native __kernel_itimerspec back as [interval, value] in ns. */
export function readItimerspec64(task: Task, addr: number): [number, number] {
  const dv = new DataView(readBytes(task, addr, 32).buffer);
  const ns = (at: number): number => Number(dv.getBigInt64(at, true)) * 1e9 + Number(dv.getBigInt64(at + 8, true));
  return [ns(0), ns(16)];
}
