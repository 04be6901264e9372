/** A syscall context over a bare memory map, for calling mm handlers directly in tests. */

import { COMPAT_ABI, NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import { FdTable } from '../../../src/kernel/fs/fd-table.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import type { MemoryMap } from '../../../src/kernel/mm/memory-map.js';
import { MM_SYSCALLS } from '../../../src/kernel/syscalls/sys-mm.js';
import { SHM_SYSCALLS } from '../../../src/kernel/syscalls/sys-shm.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';
import type { Creds } from '../../../src/kernel/task/task.js';
import { defaultRlimits, type Task } from '../../../src/kernel/task/task.js';

export interface TestTask {
  tid: number;
  tgid: number;
  creds: Creds;
  rlimits: ReturnType<typeof defaultRlimits>;
  personality: number;
  files: FdTable;
}

/** One kernel-like object per test file: the shm namespace and hugetlb pools hang off it. */
export function testKernel(mm: MemoryMap): Kernel {
  return {
    phys: mm.as.phys,
    host: { realtime: () => ({ sec: 1700000000, nsec: 0 }) },
  } as unknown as Kernel;
}

export function testTask(uid = 1000, pid = 100): TestTask {
  return {
    tid: pid,
    tgid: pid,
    creds: { uid, euid: uid, suid: uid, fsuid: uid, gid: uid, egid: uid, sgid: uid, fsgid: uid, groups: [] },
    rlimits: defaultRlimits(),
    personality: 0,
    files: new FdTable(),
  };
}

export function ctxFor(kernel: Kernel, task: TestTask, mm: MemoryMap, compat = false): SyscallContext {
  return {
    kernel,
    task: task as unknown as Task,
    compat,
    abi: compat ? COMPAT_ABI : NATIVE_ABI,
    mem: mm.as,
    mm,
    name: 'test',
  };
}

/** Calls the named mm or shm syscall handler. */
export function sys(ctx: SyscallContext, name: string, ...args: number[]): number {
  const spec = [...MM_SYSCALLS, ...SHM_SYSCALLS].find((s) => s.name === name);
  if (spec?.handler === undefined) throw new Error(`no handler for ${name}`);
  const r = spec.handler(ctx, args);
  if (typeof r !== 'number') throw new Error(`${name} blocked`);
  return r;
}
