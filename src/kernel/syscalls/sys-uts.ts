/** sethostname, setdomainname (being written). */
import type { SyscallSpec } from './syscall-types.js';

export const UTS_SYSCALLS: readonly SyscallSpec[] = [];
