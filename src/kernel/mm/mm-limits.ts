/**
 * A memory map follows its process's resource limits. exec makes a fresh MemoryMap before the ELF
 * is loaded and fork makes the child's; both must bind it to the task's limits so that checks made
 * outside syscalls — the loader's mappings at exec (RLIMIT_AS, RLIMIT_DATA), stack growth on a fault
 * (RLIMIT_STACK, RLIMIT_AS, RLIMIT_MEMLOCK) — see the process's current values, as Linux's
 * rlimit() reads current->signal->rlim. The task's own array is shared, not copied, so setrlimit
 * and prlimit apply at once. (Every mm syscall also rebinds it: mmCaller in sys-mm.ts.)
 */
import type { Rlimits } from '../task/task.js';
import type { MemoryMap } from './memory-map.js';

const RLIMIT_STACK = 3;

/** Binds mm to the process's limits (the Task's rlimits array, shared by its threads). */
export function bindRlimits(mm: MemoryMap, rlimits: Rlimits): void {
  mm.rlimits = rlimits;
  const stack = rlimits[RLIMIT_STACK]?.[0] ?? Number.POSITIVE_INFINITY;
  // The value the layout was computed with; growth reads rlimits itself from now on.
  if (Number.isFinite(stack)) mm.stackLimit = stack;
}
