/** System V message queues: msgget, msgsnd, msgrcv, msgctl (being written). */
import type { SyscallSpec } from './syscall-types.js';

export const SYSV_MSG_SYSCALLS: readonly SyscallSpec[] = [];
