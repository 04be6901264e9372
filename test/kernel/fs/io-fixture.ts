/**
 * A machine for the I/O multiplexing tests: the VFS test machine (a kernel on the Node host, a
 * temporary guest root), a scratch page of guest memory, handlers called by name (synchronously or
 * awaited), and a second task that can act on files the first one waits for.
 */
import assert from 'node:assert/strict';
import { COMPAT_ABI, NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import type { OpenFile } from '../../../src/kernel/fs/open-file.js';
import { FS_SYSCALLS } from '../../../src/kernel/syscalls/sys-fs.js';
import { MM_SYSCALLS } from '../../../src/kernel/syscalls/sys-mm.js';
import { POLL_SYSCALLS } from '../../../src/kernel/syscalls/sys-poll.js';
import type { SyscallContext, SyscallSpec } from '../../../src/kernel/syscalls/syscall-types.js';
import { createInitTask } from '../../../src/kernel/task/exec.js';
import { killInfo, SI_USER } from '../../../src/kernel/task/siginfo.js';
import { sendSignal } from '../../../src/kernel/task/signal-send.js';
import type { Task } from '../../../src/kernel/task/task.js';
import { type Machine, makeMachine } from './fs-fixture.js';

const specs = new Map<string, SyscallSpec>([...FS_SYSCALLS, ...MM_SYSCALLS, ...POLL_SYSCALLS].map((s) => [s.name, s]));

export interface IoMachine {
  m: Machine;
  /** Scratch guest memory: 256 KiB at this address. */
  mem: number;
  ctx(name: string, task?: Task, compat?: boolean): SyscallContext;
  /** A handler that must complete at once. */
  sys(name: string, ...args: number[]): number;
  /** A handler that may block, run as task. */
  call(task: Task, name: string, ...args: number[]): number | Promise<number>;
  put(addr: number, bytes: Uint8Array | string): number;
  get(addr: number, len: number): Uint8Array;
  /** pipe2 into the first task: [read fd, write fd]. */
  pipe(flags?: number): [number, number];
  /** A second live task (so waits are not alone), sharing nothing until files are given to it. */
  other(): Task;
  /** Puts the first task's description at fd into another task's table. */
  share(fd: number, to: Task, at?: number): OpenFile;
  /** Makes sig caught (a handler address) and sends it to the task, as kill would. */
  signal(task: Task, sig: number): void;
  dispose(): void;
}

const SIGNAL_HANDLER = 0x40_2000;

export function ioMachine(): IoMachine {
  const m = makeMachine();
  const ctx = (name: string, task = m.task, compat = false): SyscallContext => ({
    kernel: m.kernel,
    task,
    compat,
    abi: compat ? COMPAT_ABI : NATIVE_ABI,
    mem: task.mm.as,
    mm: task.mm,
    name,
  });
  const call = (task: Task, name: string, ...args: number[]): number | Promise<number> => {
    const h = specs.get(name)?.handler;
    assert.ok(h, `no handler for ${name}`);
    return h(ctx(name, task), args);
  };
  const sys = (name: string, ...args: number[]): number => {
    const r = call(m.task, name, ...args);
    assert.equal(typeof r, 'number', `${name} did not complete synchronously`);
    return r as number;
  };
  const mem = sys('mmap', 0, 0x40000, 3, 0x22, -1, 0);
  assert.ok(mem > 0);
  const put = (addr: number, bytes: Uint8Array | string): number => {
    const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    m.task.mm.as.writeBytes(addr, b, 0, b.length);
    return addr;
  };
  const get = (addr: number, len: number): Uint8Array => {
    const b = new Uint8Array(len);
    m.task.mm.as.readBytes(addr, b, 0, len);
    return b;
  };
  let second: Task | undefined;
  return {
    m,
    mem,
    ctx,
    sys,
    call,
    put,
    get,
    pipe(flags = 0) {
      const at = mem + 0xff00;
      assert.equal(sys('pipe2', at, flags), 0);
      const v = new DataView(get(at, 8).buffer);
      return [v.getInt32(0, true), v.getInt32(4, true)];
    },
    other() {
      if (second === undefined) {
        second = createInitTask(m.kernel, m.task.creds, { cwd: '/', umask: 0o22 });
        // It shares the first task's memory, as a thread would, so both read the same scratch buffers.
        second.mm = m.task.mm;
        m.kernel.tasks.set(second.tid, second);
      }
      return second;
    },
    share(fd, to, at = fd) {
      const f = m.task.files.get(fd);
      assert.ok(f, `fd ${fd} is not open`);
      to.files.put(at, f, false);
      return f;
    },
    signal(task, sig) {
      task.signals.actions[sig]!.handler = SIGNAL_HANDLER;
      sendSignal(m.kernel, task, sig, killInfo(sig, SI_USER, 1, 0), 'thread');
    },
    dispose() {
      if (second !== undefined) {
        second.files.closeAll();
        m.kernel.tasks.delete(second.tid);
      }
      m.task.files.closeAll();
      m.dispose();
    },
  };
}

/** Whether a promise has settled after the pending microtasks and one macrotask turn. */
export async function settled<T>(p: Promise<T>): Promise<{ done: true; value: T } | { done: false }> {
  let out: { done: true; value: T } | { done: false } = { done: false };
  p.then((value) => {
    out = { done: true, value };
  });
  await new Promise((r) => setImmediate(r));
  return out;
}
