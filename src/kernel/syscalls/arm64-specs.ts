/** Every subsystem's syscall specs, gathered for the arm64 table (entry/syscall-entry.ts builds it). */
import { PTRACE_SYSCALLS } from '../security/ptrace/sys-ptrace.js';
import { SECCOMP_SYSCALLS } from '../security/seccomp/sys-seccomp.js';
import { CAPS_SYSCALLS } from './sys-caps.js';
import { CREDS_SYSCALLS } from './sys-creds.js';
import { FS_SYSCALLS } from './sys-fs.js';
import { FUTEX_SYSCALLS } from './sys-futex.js';
import { INFO_SYSCALLS } from './sys-info.js';
import { IO_URING_SYSCALLS } from './sys-io-uring.js';
import { MM_SYSCALLS } from './sys-mm.js';
import { MQUEUE_SYSCALLS } from './sys-mqueue.js';
import { NS_SYSCALLS } from './sys-ns.js';
import { PIDFD_SYSCALLS } from './sys-pidfd.js';
import { POLL_SYSCALLS } from './sys-poll.js';
import { PRIORITY_SYSCALLS } from './sys-priority.js';
import { PROCESS_SYSCALLS } from './sys-process.js';
import { PROCESS_MADVISE_SYSCALLS } from './sys-process-madvise.js';
import { SCHED_SYSCALLS } from './sys-sched.js';
import { SHM_SYSCALLS } from './sys-shm.js';
import { SIGNAL_SYSCALLS } from './sys-signal.js';
import { SOCKET_SYSCALLS } from './sys-socket.js';
import { SPLICE_SYSCALLS } from './sys-splice.js';
import { SYSV_MSG_SYSCALLS } from './sys-sysv-msg.js';
import { SYSV_SEM_SYSCALLS } from './sys-sysv-sem.js';
import { TIME_SYSCALLS } from './sys-time.js';
import { TIMER_SYSCALLS } from './sys-timer.js';
import { UTS_SYSCALLS } from './sys-uts.js';
import { XATTR_SYSCALLS } from './sys-xattr.js';
import type { SyscallSpec } from './syscall-types.js';

export const ARM64_SPECS: readonly SyscallSpec[] = [
  ...FS_SYSCALLS,
  ...MM_SYSCALLS,
  ...SHM_SYSCALLS,
  ...PROCESS_SYSCALLS,
  ...CREDS_SYSCALLS,
  ...PRIORITY_SYSCALLS,
  ...SIGNAL_SYSCALLS,
  ...TIME_SYSCALLS,
  ...INFO_SYSCALLS,
  ...FUTEX_SYSCALLS,
  ...POLL_SYSCALLS,
  ...SOCKET_SYSCALLS,
  ...TIMER_SYSCALLS,
  ...SECCOMP_SYSCALLS,
  ...PTRACE_SYSCALLS,
  ...IO_URING_SYSCALLS,
  ...MQUEUE_SYSCALLS,
  ...SYSV_MSG_SYSCALLS,
  ...SYSV_SEM_SYSCALLS,
  ...SPLICE_SYSCALLS,
  ...XATTR_SYSCALLS,
  ...PROCESS_MADVISE_SYSCALLS,
  ...SCHED_SYSCALLS,
  ...CAPS_SYSCALLS,
  ...PIDFD_SYSCALLS,
  ...UTS_SYSCALLS,
  ...NS_SYSCALLS,
];
