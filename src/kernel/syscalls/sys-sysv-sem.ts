/** System V semaphores: semget, semop, semtimedop, semctl (being written). */
import type { SyscallSpec } from './syscall-types.js';

export const SYSV_SEM_SYSCALLS: readonly SyscallSpec[] = [];
