import { Exit } from '../cpu/a64/exits.js';
import { AddressSpace } from '../memory/address-space.js';
import { FaultResult } from '../memory/guest-fault.js';
import { PhysicalMemory } from '../memory/physical-memory.js';
import {
  BUS_ADRALN,
  BUS_ADRERR,
  ILL_ILLOPC,
  SEGV_ACCERR,
  SEGV_MAPERR,
  SIGBUS,
  SIGILL,
  SIGSEGV,
  SIGTRAP,
  TRAP_BRKPT,
} from './abi/signal.js';
import { syscallEntry } from './entry/syscall-entry.js';
import type { Host } from './host.js';
import { type Random, SeededRandom } from './random.js';
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

  /** Runs a task until it exits; resolves to its wait status (exit code << 8, or the signal number). */
  async run(task: Task): Promise<number> {
    this.tasks.set(task.tid, task);
    const cpu = task.cpu;
    try {
      for (;;) {
        const e = cpu.run(this.options.quantum);
        switch (e) {
          case Exit.Svc: {
            const r = syscallEntry(this, task);
            if (r !== undefined) await r;
            break;
          }
          case Exit.Quantum:
          case Exit.Yield:
            break;
          case Exit.Fault: {
            const as = task.mm.as;
            const code = as.faultResult === FaultResult.AccErr ? SEGV_ACCERR : SEGV_MAPERR;
            if (as.faultResult === FaultResult.BusErr) this.forceSignal(task, SIGBUS, BUS_ADRERR, as.faultAddr);
            else this.forceSignal(task, SIGSEGV, code, as.faultAddr);
            break;
          }
          case Exit.Undefined:
          case Exit.Halt:
            this.forceSignal(task, SIGILL, ILL_ILLOPC, cpu.pc);
            break;
          case Exit.Breakpoint:
            this.forceSignal(task, SIGTRAP, TRAP_BRKPT, cpu.pc);
            break;
          case Exit.PcAlign:
          case Exit.DataAlign:
            this.forceSignal(task, SIGBUS, BUS_ADRALN, cpu.exitInfo);
            break;
          default:
            break;
        }
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
   * A synchronous fault signal. Until signal delivery exists (processes issue), the task dies with
   * the signal's default action — the same outcome as a task with no handler.
   */
  forceSignal(task: Task, sig: number, code: number, addr: number): void {
    this.trace?.signal(task, sig, code, addr);
    this.killTask(task, sig, true);
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
