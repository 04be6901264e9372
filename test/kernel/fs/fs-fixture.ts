/**
 * A machine for VFS tests: a kernel on the Node host whose guest root is a fresh temporary
 * directory, and its first task (cwd "/"). Handlers are called directly with a SyscallContext.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeHost } from '../../../src/host/node/node-host.js';
import { NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import type { FsEnv } from '../../../src/kernel/fs/vnode.js';
import { DEFAULT_OPTIONS, Kernel } from '../../../src/kernel/kernel.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';
import { createInitTask } from '../../../src/kernel/task/exec.js';
import type { Task } from '../../../src/kernel/task/task.js';

export interface Machine {
  root: string;
  kernel: Kernel;
  task: Task;
  env: FsEnv;
  ctx(name?: string): SyscallContext;
  dispose(): void;
}

export function makeMachine(): Machine {
  const root = mkdtempSync(join(tmpdir(), 'c64-vfs-'));
  const host = new NodeHost();
  const kernel = new Kernel(host, { ...DEFAULT_OPTIONS, memoryCap: 64 * 1024 * 1024, seed: 1, root });
  const task = createInitTask(
    kernel,
    {
      uid: host.uid,
      euid: host.uid,
      suid: host.uid,
      fsuid: host.uid,
      gid: host.gid,
      egid: host.gid,
      sgid: host.gid,
      fsgid: host.gid,
      groups: [],
    },
    { cwd: '/', umask: 0o022 },
  );
  kernel.tasks.set(task.tid, task);
  return {
    root,
    kernel,
    task,
    env: { kernel, task },
    ctx: (name = 'test') => ({ kernel, task, compat: false, abi: NATIVE_ABI, mem: task.mm.as, mm: task.mm, name }),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
