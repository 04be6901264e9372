/** POSIX message queues: mq_open, mq_unlink, mq_timedsend, mq_timedreceive, mq_notify, mq_getsetattr (being written). */
import type { SyscallSpec } from './syscall-types.js';

export const MQUEUE_SYSCALLS: readonly SyscallSpec[] = [];
