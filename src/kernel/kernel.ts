import { Exit } from '../cpu/a64/exits.js';
import { AddressSpace } from '../memory/address-space.js';
import { PhysicalMemory } from '../memory/physical-memory.js';
import { SIGSEGV } from './abi/signal.js';
import { syscallEntry } from './entry/syscall-entry.js';
import type { Host } from './host.js';
import { type Random, SeededRandom } from './random.js';
import { raiseCpuException, raisePcAlignment } from './task/cpu-fault.js';
import { cancelItimers } from './task/itimer.js';
import { faultInfo } from './task/siginfo.js';
import { exitToUserMode } from './task/signal-deliver.js';
import { forceSignalInfo } from './task/signal-send.js';
import { RLIMIT_CORE, type Task } from './task/task.js';
import type { Tracer } from './trace/tracer.js';

export interface KernelOptions {
  /** --seed: deterministic randomisation and getrandom. */
  seed: number | undefined;
  /** Host directory that is the guest's "/". */
  root: string;
  /** Emulate the compat-syscall series (bit 31 of x8); false = a kernel without it. */
  compatSyscalls: boolean;
  /** Emulator memory cap in bytes. */
  memoryCap: number;
  /** Instructions per time slice. */
  quantum: number;
}

export const DEFAULT_OPTIONS: Omit<KernelOptions, 'root'> = {
  seed: undefined,
  compatSyscalls: true,
  memoryCap: 4 * 1024 * 1024 * 1024,
  quantum: 200_000,
};

/** Raised to unwind a task that exited (exit, exit_group, fatal signal) out of nested kernel code. */
export class TaskExit {
  constructor(readonly status: number) {}
}

/** The emulated Linux kernel: tasks, their memory and files, and the loop that runs them. */
export class Kernel {
  readonly phys: PhysicalMemory;
  readonly random: Random;
  trace: Tracer | undefined;
  private nextPid = 1;
  readonly tasks = new Map<number, Task>();
  /** Monotonic time at boot, for uptime and CLOCK_BOOTTIME. */
  readonly bootNs: number;

  constructor(
    readonly host: Host,
    readonly options: KernelOptions,
  ) {
    this.phys = new PhysicalMemory(options.memoryCap);
    this.random = options.seed !== undefined ? new SeededRandom(options.seed) : hostRandom(host);
    this.bootNs = host.monotonicNs();
  }

  newAddressSpace(): AddressSpace {
    return new AddressSpace(this.phys);
  }

  allocPid(): number {
    return this.nextPid++;
  }

  /**
   * Runs a task until it exits; resolves to its wait status (exit code << 8, or the signal number).
   * Each round runs guest code, handles what stopped it (a syscall, or an exception that becomes a
   * signal), then returns to user mode: due interval timers fire, pending signals are delivered and
   * interrupted syscalls restarted (task/signal-deliver.ts).
   */
  async run(task: Task): Promise<number> {
    this.tasks.set(task.tid, task);
    const cpu = task.cpu;
    const x = cpu.x;
    try {
      for (;;) {
        // A pc set by the kernel (handler entry, sigreturn) may be misaligned: the fetch would fault.
        if (cpu.pc % 4 !== 0) raisePcAlignment(this, task);
        else {
          const e = cpu.run(this.options.quantum);
          if (e === Exit.Svc) {
            task.origX0Lo = x[0]!;
            task.origX0Hi = x[1]!;
            task.inSyscall = true;
            const r = syscallEntry(this, task);
            if (r !== undefined) await r;
            const restored = task.signals.sigreturnX0;
            if (restored !== undefined) {
              // rt_sigreturn's exact 64-bit x0 (the result path carries a number).
              x[0] = restored[0];
              x[1] = restored[1];
              task.signals.sigreturnX0 = undefined;
            }
          } else if (e !== Exit.Quantum && e !== Exit.Yield) {
            raiseCpuException(this, task, e);
          }
        }
        if (task.exitStatus !== undefined) return task.exitStatus;
        const w = exitToUserMode(this, task);
        if (w !== undefined) await w;
        if (task.exitStatus !== undefined) return task.exitStatus;
      }
    } catch (e) {
      if (e instanceof TaskExit) return e.status;
      throw e;
    } finally {
      this.tasks.delete(task.tid);
    }
  }

  /**
   * Linux's force_signal_inject for kernel code outside the CPU exceptions (a bad compat sigreturn,
   * seccomp…): the signal is forced on the task (unblocked, an ignored action reset) and delivered
   * on its return to user mode; the thread's fault address and code become 0 and esr.
   */
  forceSignal(task: Task, sig: number, code: number, addr: number, esr = 0): void {
    task.signals.faultAddress = 0;
    task.signals.faultCode = esr;
    forceSignalInfo(this, task, faultInfo(sig, code, addr));
  }

  /**
   * Ends the task with a signal. A core-dumping signal sets the wait status's core flag only when a
   * core could be written (RLIMIT_CORE above 0), as on Linux; compat64 writes no core file.
   */
  killTask(task: Task, sig: number, coreAction: boolean): void {
    const core = coreAction && task.rlimits[RLIMIT_CORE]![0] > 0;
    this.trace?.exit(task, { signal: sig, core });
    this.exitTask(task, sig | (core ? 0x80 : 0));
  }

  /** Ends the task with an exit code (exit_group). */
  exitCode(task: Task, code: number): void {
    this.trace?.exit(task, { code: code & 0xff });
    this.exitTask(task, (code & 0xff) << 8);
  }

  private exitTask(task: Task, status: number): void {
    if (task.exitStatus !== undefined) return;
    task.exitStatus = status;
    // Threads come with the processes work; until then a task is its whole process.
    cancelItimers(task);
    task.signals.wake?.();
    task.mm.clear();
    task.files.closeAll();
  }
}

function hostRandom(host: Host): Random {
  const buf = new Uint8Array(4);
  return {
    u32() {
      host.randomBytes(buf);
      return (buf[0]! | (buf[1]! << 8) | (buf[2]! << 16) | (buf[3]! << 24)) >>> 0;
    },
    fill(dst) {
      host.randomBytes(dst);
    },
  };
}

export { SIGSEGV };
