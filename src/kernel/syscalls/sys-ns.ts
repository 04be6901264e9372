/** unshare, setns, kcmp, chroot, openat2 (being written). */
import type { SyscallSpec } from './syscall-types.js';

export const NS_SYSCALLS: readonly SyscallSpec[] = [];
