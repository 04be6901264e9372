import { Exit } from '../cpu/a64/exits.js';
import { AddressSpace } from '../memory/address-space.js';
import { PhysicalMemory } from '../memory/physical-memory.js';
import { SIGSEGV } from './abi/signal.js';
import { syscallEntry } from './entry/syscall-entry.js';
import type { Host } from './host.js';
import { oomKillIfOutOfMemory } from './mm/oom.js';
import { type Random, SeededRandom } from './random.js';
import { ptraceExitEvent } from './security/ptrace/ptrace-exit.js';
import { isSingleStepping, singleStepDone } from './security/ptrace/ptrace-step.js';
import { raiseCpuException, raisePcAlignment } from './task/cpu-fault.js';
import { exitThread, firstRun, groupExit } from './task/exit.js';
import { rseqHandleResume } from './task/rseq.js';
import { Scheduler } from './task/scheduler.js';
import { faultInfo } from './task/siginfo.js';
import { exitToUserMode } from './task/signal-deliver.js';
import { forceSignalInfo } from './task/signal-send.js';
import { RLIMIT_CORE, type Task } from './task/task.js';
import type { ThreadGroup } from './task/thread-group.js';
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

/** /proc/sys/kernel/pid_max's default on a 64-bit kernel with few CPUs. */
export const PID_MAX = 32768;

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
  /** Every task by tid, from creation until it is reaped (a zombie leader stays). */
  readonly tasks = new Map<number, Task>();
  /** Every process by tgid, until reaped. */
  readonly groups = new Map<number, ThreadGroup>();
  readonly sched: Scheduler;
  /** Monotonic time at boot, for uptime and CLOCK_BOOTTIME. */
  readonly bootNs: number;

  constructor(
    readonly host: Host,
    readonly options: KernelOptions,
  ) {
    this.phys = new PhysicalMemory(options.memoryCap);
    this.random = options.seed !== undefined ? new SeededRandom(options.seed) : hostRandom(host);
    this.bootNs = host.monotonicNs();
    this.sched = new Scheduler(
      () => host.monotonicNs() / 1e6,
      () => host.yieldToHost(),
    );
  }

  newAddressSpace(): AddressSpace {
    return new AddressSpace(this.phys);
  }

  /** The next free pid (alloc_pid): pids in use by a task, process or group are skipped. */
  allocPid(): number {
    for (;;) {
      const pid = this.nextPid;
      this.nextPid = pid >= PID_MAX ? 300 : pid + 1;
      if (!this.tasks.has(pid) && !this.groups.has(pid) && !this.pidInUseAsGroup(pid)) return pid;
    }
  }

  private pidInUseAsGroup(pid: number): boolean {
    for (const g of this.groups.values()) if (g.pgid === pid || g.sid === pid) return true;
    return false;
  }

  /**
   * Runs the first process of the machine and resolves to its wait status (exit code << 8, or the
   * signal number | 0x80 with a core dump) once it has ended. The emulator ends with it, as
   * qemu-aarch64 does when the program it was given exits; tasks still running are then halted.
   */
  runInit(task: Task): Promise<number> {
    const done = new Promise<number>((resolve) => {
      this.onInitExit = resolve;
    });
    this.start(task);
    return done.then((status) => {
      this.halted = true;
      return status;
    });
  }

  /** Called with the wait status when the first process has ended. */
  onInitExit: ((status: number) => void) | undefined;
  /** Set once the machine is shutting down: every task loop stops at its next turn. */
  halted = false;
  /** An error escaping a task loop (an emulator bug): ends the run with it. */
  onLoopError: ((e: unknown) => void) | undefined;

  /** Starts a task's run loop (the task is runnable from now on). */
  start(task: Task): void {
    this.tasks.set(task.tid, task);
    this.loop(task).catch((e: unknown) => {
      if (this.onLoopError) this.onLoopError(e);
      else throw e;
    });
  }

  /**
   * A task's life: each round runs guest code until something stops it (a syscall, an exception that
   * becomes a signal, the end of its time slice), handles that, then returns to user mode: due
   * interval timers fire, pending signals are delivered and interrupted syscalls restarted
   * (task/signal-deliver.ts). The CPU token is held only while guest code runs or kernel code runs
   * synchronously; every await gives it up.
   */
  private async loop(task: Task): Promise<void> {
    const cpu = task.cpu;
    const x = cpu.x;
    const sched = this.sched;
    const host = this.host;
    const w = sched.acquire(task);
    if (w !== undefined) await w;
    try {
      firstRun(this, task);
      // A child its parent's tracer follows stops (SIGSTOP, or a STOP trap) before its first instruction.
      if (task.ptrace !== undefined) {
        const d = exitToUserMode(this, task);
        if (d !== undefined) await this.parked(task, d);
      }
      while (!this.halted && task.exitStatus === undefined) {
        // A pc set by the kernel (handler entry, sigreturn) may be misaligned: the fetch would fault.
        if (cpu.pc % 4 !== 0) raisePcAlignment(this, task);
        else {
          const t0 = host.monotonicNs();
          // PTRACE_SINGLESTEP: one instruction, then the step trap (checked per slice, not per instruction).
          const stepping = task.ptrace !== undefined && isSingleStepping(task);
          const e = stepping ? cpu.step() : cpu.run(this.options.quantum);
          const t1 = host.monotonicNs();
          task.userNs += t1 - t0;
          // Every exception return clears the exclusive monitor, so a store-exclusive never succeeds
          // across a switch to another task.
          cpu.exclAddr = -1;
          if (e === Exit.Svc) {
            task.origX0Lo = x[0]!;
            task.origX0Hi = x[1]!;
            task.inSyscall = true;
            const r = syscallEntry(this, task);
            task.sysNs += host.monotonicNs() - t1;
            if (r !== undefined) {
              await this.parked(task, r);
              rseqHandleResume(this, task);
            }
            // Also after a call that parked: a task that only ever parks on settled promises
            // (sched_yield in a loop) must still let the host's event loop run.
            if (sched.shouldYield()) {
              await sched.yieldSlice(task);
              rseqHandleResume(this, task);
            }
            if (stepping) singleStepDone(this, task, e);
            // A syscall that touched guest memory past the emulator's memory cap.
            if (task.mm.outOfMemory) oomKillIfOutOfMemory(this, task);
            const restored = task.signals.sigreturnX0;
            if (restored !== undefined) {
              // rt_sigreturn's exact 64-bit x0 (the result path carries a number).
              x[0] = restored[0];
              x[1] = restored[1];
              task.signals.sigreturnX0 = undefined;
            }
          } else if (e === Exit.Quantum || e === Exit.Yield) {
            if (stepping) singleStepDone(this, task, e);
            if (sched.shouldYield()) {
              await sched.yieldSlice(task);
              // Another task may have run: an rseq critical section this one was in is aborted.
              rseqHandleResume(this, task);
            }
          } else if (!(task.mm.outOfMemory && oomKillIfOutOfMemory(this, task))) {
            raiseCpuException(this, task, e);
          }
        }
        if (task.exitStatus !== undefined) break;
        const d = exitToUserMode(this, task);
        if (d !== undefined) await this.parked(task, d);
        if (task.exitStatus !== undefined) break;
      }
    } catch (e) {
      if (!(e instanceof TaskExit)) throw e;
    } finally {
      sched.release(task);
    }
    // PTRACE_EVENT_EXIT: the tracer sees the task before it lets go of anything.
    if (!this.halted && task.ptrace !== undefined) await ptraceExitEvent(this, task);
    if (!this.halted) exitThread(this, task);
  }

  /** Waits for `p` without the CPU token (other tasks run meanwhile), then takes the token back. */
  private async parked(task: Task, p: Promise<unknown>): Promise<void> {
    this.sched.release(task);
    await p;
    const w = this.sched.acquire(task);
    if (w !== undefined) await w;
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
   * core could be written (RLIMIT_CORE above 0), as on Linux; compat64 writes no core file. The task
   * leaves at its next return to the run loop (or by TaskExit thrown from a syscall).
   */
  killTask(task: Task, sig: number, coreAction: boolean): void {
    const core = coreAction && task.rlimits[RLIMIT_CORE]![0] > 0;
    if (task.exitStatus !== undefined) return;
    this.trace?.exit(task, { signal: sig, core });
    this.exitTask(task, sig | (core ? 0x80 : 0));
  }

  /** do_group_exit for a fatal signal: the whole process dies of sig (the other threads follow). */
  killProcess(task: Task, sig: number, coreAction: boolean): void {
    const core = coreAction && task.rlimits[RLIMIT_CORE]![0] > 0;
    groupExit(this, task, sig | (core ? 0x80 : 0));
    this.killTask(task, sig, coreAction);
  }

  /** A thread leaving because its process exits: no trace line of its own. */
  exitQuietly(task: Task, status: number): void {
    if (task.exitStatus === undefined) this.exitTask(task, status);
  }

  /** Ends the task with an exit code (exit, and each thread of an exit_group). */
  exitCode(task: Task, code: number): void {
    if (task.exitStatus !== undefined) return;
    this.trace?.exit(task, { code: code & 0xff });
    this.exitTask(task, (code & 0xff) << 8);
  }

  private exitTask(task: Task, status: number): void {
    task.exitStatus = status;
    task.signals.wake?.();
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
