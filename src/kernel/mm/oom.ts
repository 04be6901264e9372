/**
 * The emulator's memory cap reached while a guest touches memory: compat64's OOM killer.
 *
 * Linux's page allocator, out of memory on a fault, runs the OOM killer, which sends SIGKILL to a
 * whole process (SEND_SIG_PRIV, every thread) and logs it. compat64 has one victim to pick — the
 * process whose fault could not get a frame (fault.ts sets MemoryMap.outOfMemory) — and says so on
 * its own stderr in one line, since a guest dying of SIGKILL unprompted would be a mystery otherwise.
 * Calls that can fail cleanly (mmap of more than the cap, MAP_POPULATE, mlock) return -ENOMEM and
 * never get here (populate.ts clears the flag).
 */
import { PAGE_SIZE } from '../../memory/physical-memory.js';
import { SIGKILL } from '../abi/signal.js';
import type { Kernel } from '../kernel.js';
import { kernelInfo } from '../task/siginfo.js';
import { sendSignal } from '../task/signal-send.js';
import type { Task } from '../task/task.js';

const MiB = 1024 * 1024;

/** The cap as the message shows it: whole MiB, or one decimal for caps that are not. */
export function capMiB(capBytes: number): string {
  const m = capBytes / MiB;
  return Number.isInteger(m) ? String(m) : m.toFixed(1);
}

/**
 * If the task's last fault (in guest code, or in a syscall copying to or from its memory) found the
 * memory cap reached, kills its process with SIGKILL and prints
 * "compat64: out of emulated memory (cap N MiB); killing pid P"; returns true then, and the caller
 * must not turn the fault into SIGBUS. The kill takes effect at the task's return to user mode.
 */
export function oomKillIfOutOfMemory(kernel: Kernel, task: Task): boolean {
  const mm = task.mm;
  if (!mm.outOfMemory) return false;
  mm.outOfMemory = false;
  const cap = mm.as.phys.maxFrames * PAGE_SIZE;
  kernel.host.traceWrite(`compat64: out of emulated memory (cap ${capMiB(cap)} MiB); killing pid ${task.tgid}\n`);
  sendSignal(kernel, task, SIGKILL, kernelInfo(SIGKILL), 'group');
  return true;
}
