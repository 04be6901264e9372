/**
 * Two processes on one real kernel, built directly (no program, no ptrace core), each with a mapped
 * data area; process_vm_* is called as the syscall table would.
 */

import { COMPAT_ABI, NATIVE_ABI } from '../../../../src/kernel/abi/abi-set.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../../../../src/kernel/abi/mman.js';
import type { Kernel } from '../../../../src/kernel/kernel.js';
import { PTRACE_SYSCALLS } from '../../../../src/kernel/security/ptrace/sys-ptrace.js';
import type { SyscallContext } from '../../../../src/kernel/syscalls/syscall-types.js';
import { createInitTask } from '../../../../src/kernel/task/exec.js';
import type { Task } from '../../../../src/kernel/task/task.js';
import { signalFixture } from '../../task/signal-fixture.js';

/** Where each process has a read-write private page range. */
export const DATA = 0x1000_0000;
export const DATA_SIZE = 4 * 4096;

export interface Pair {
  kernel: Kernel;
  tracer: Task;
  tracee: Task;
}

export function mapData(
  task: Task,
  addr = DATA,
  len = DATA_SIZE,
  prot = PROT_READ | PROT_WRITE,
  flags = MAP_PRIVATE | MAP_ANONYMOUS,
): void {
  if (!task.mm.map(addr, len, prot, flags, undefined, 0)) throw new Error('cannot map');
}

export function pair(traceeUid = 1000): Pair {
  const { kernel, task: tracer } = signalFixture();
  const tracee = createInitTask(
    kernel,
    {
      uid: traceeUid,
      euid: traceeUid,
      suid: traceeUid,
      fsuid: traceeUid,
      gid: traceeUid,
      egid: traceeUid,
      sgid: traceeUid,
      fsgid: traceeUid,
      groups: [],
    },
    { cwd: '/', umask: 0o22 },
  );
  kernel.tasks.set(tracee.tid, tracee);
  mapData(tracer);
  mapData(tracee);
  return { kernel, tracer, tracee };
}

/** Sets register n of a task (a number below 2^53, or a negative value as 64-bit). */
export function setX(task: Task, n: number, v: number): void {
  task.cpu.x[2 * n] = v | 0;
  task.cpu.x[2 * n + 1] = Math.floor(v / 4294967296) | 0;
}

/** Calls process_vm_readv/writev as `caller` would. */
export function processVm(caller: Task, kernel: Kernel, name: string, args: number[], compat = false): number {
  const spec = PTRACE_SYSCALLS.find((s) => s.name === name);
  if (spec?.handler === undefined) throw new Error(`no ${name}`);
  const ctx: SyscallContext = {
    kernel,
    task: caller,
    compat,
    abi: compat ? COMPAT_ABI : NATIVE_ABI,
    mem: caller.mm.as,
    mm: caller.mm,
    name,
  };
  const r = spec.handler(ctx, args);
  if (typeof r !== 'number') throw new Error(`${name} blocked`);
  return r;
}

export function bytes(task: Task, addr: number, len: number): number[] {
  const b = new Uint8Array(len);
  task.mm.as.readBytes(addr, b, 0, len);
  return [...b];
}

export function put(task: Task, addr: number, data: ArrayLike<number>): void {
  task.mm.as.writeBytes(addr, Uint8Array.from(data), 0, data.length);
}

export function put64(task: Task, addr: number, v: number): void {
  task.mm.as.write64(addr, v | 0, Math.floor(v / 4294967296) | 0);
}

export function get64(task: Task, addr: number): number {
  const b = new Uint8Array(8);
  task.mm.as.readBytes(addr, b, 0, 8);
  const dv = new DataView(b.buffer);
  return dv.getUint32(4, true) * 4294967296 + dv.getUint32(0, true);
}

export function get32(task: Task, addr: number): number {
  const b = new Uint8Array(4);
  task.mm.as.readBytes(addr, b, 0, 4);
  return new DataView(b.buffer).getUint32(0, true);
}
