/**
 * A real kernel and task for signal tests, without a program: a fake host whose clocks the test moves,
 * a stack mapped in the task's memory, registers set by hand. Delivery writes real frames there.
 */

import { setAddr, u64At } from '../../../src/cpu/a64/registers.js';
import { MAP_GROWSDOWN, MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../../../src/kernel/abi/mman.js';
import type { HostFs } from '../../../src/kernel/fs/host-fs.js';
import type { Host } from '../../../src/kernel/host.js';
import { DEFAULT_OPTIONS, Kernel } from '../../../src/kernel/kernel.js';
import { createInitTask } from '../../../src/kernel/task/exec.js';
import type { Task } from '../../../src/kernel/task/task.js';

export interface FakeClock {
  monotonicNs: number;
  cpuNs: number;
}

export interface SignalFixture {
  kernel: Kernel;
  task: Task;
  clock: FakeClock;
  /** Top of the mapped stack (the task's sp starts here). */
  stackTop: number;
}

export const STACK_TOP = 0x7000_0000;
const STACK_SIZE = 256 * 1024;

export function signalFixture(): SignalFixture {
  const clock: FakeClock = { monotonicNs: 1_000_000_000, cpuNs: 0 };
  const host: Host = {
    fs: {} as HostFs,
    realtime: () => ({ sec: 1_700_000_000, nsec: 0 }),
    monotonicNs: () => clock.monotonicNs,
    cpuTimeNs: () => clock.cpuNs,
    randomBytes: (dst) => dst.fill(7),
    nodename: 'test',
    uid: 1000,
    gid: 1000,
    traceWrite: () => {},
    yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
  };
  const kernel = new Kernel(host, { ...DEFAULT_OPTIONS, seed: 1, root: '/', memoryCap: 64 * 1024 * 1024 });
  const task = createInitTask(
    kernel,
    { uid: 1000, euid: 1000, suid: 1000, fsuid: 1000, gid: 1000, egid: 1000, sgid: 1000, fsgid: 1000, groups: [] },
    { cwd: '/', umask: 0o22 },
  );
  kernel.tasks.set(task.tid, task);
  const ok = task.mm.map(
    STACK_TOP - STACK_SIZE,
    STACK_SIZE,
    PROT_READ | PROT_WRITE,
    MAP_PRIVATE | MAP_GROWSDOWN,
    undefined,
    0,
    '[stack]',
  );
  if (!ok) throw new Error('cannot map the test stack');
  setAddr(task.cpu.x, 62, STACK_TOP - 64);
  task.cpu.pc = 0x40_1000;
  return { kernel, task, clock, stackTop: STACK_TOP };
}

/** Register n as an unsigned number (exact below 2^53). */
export function reg(task: Task, n: number): number {
  return u64At(task.cpu.x, 2 * n);
}

/** Sets register n (0-30, or 31 for sp) to a non-negative number or a negative 64-bit value. */
export function setReg(task: Task, n: number, v: number): void {
  const x = task.cpu.x;
  x[2 * n] = v | 0;
  x[2 * n + 1] = Math.floor(v / 4294967296) | 0;
}

export function read64(task: Task, addr: number): number {
  const b = new Uint8Array(8);
  task.mm.as.readBytes(addr, b, 0, 8);
  const dv = new DataView(b.buffer);
  return dv.getUint32(4, true) * 4294967296 + dv.getUint32(0, true);
}

export function read32(task: Task, addr: number): number {
  const b = new Uint8Array(4);
  task.mm.as.readBytes(addr, b, 0, 4);
  return new DataView(b.buffer).getUint32(0, true);
}
