/** Scheduling policy and CPU calls: sched_*, getcpu, membarrier, rseq (being written). */
import type { SyscallSpec } from './syscall-types.js';

export const SCHED_SYSCALLS: readonly SyscallSpec[] = [];
