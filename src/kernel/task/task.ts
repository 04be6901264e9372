import { Cpu } from '../../cpu/a64/cpu.js';
import type { FdTable } from '../fs/fd-table.js';
import type { MemoryMap } from '../mm/memory-map.js';
import type { PtraceLink } from '../security/ptrace/ptrace-state.js';
import type { SeccompState } from '../security/seccomp/seccomp-state.js';
import type { SignalState } from './signal-state.js';
import type { ThreadGroup } from './thread-group.js';

/** Credentials of a task (compat64 runs guests as the invoking user's ids by default). */
export interface Creds {
  uid: number;
  euid: number;
  suid: number;
  gid: number;
  egid: number;
  sgid: number;
  /** The ids permission checks on files use (setfsuid/setfsgid); they follow euid/egid otherwise. */
  fsuid: number;
  fsgid: number;
  /** Supplementary groups, sorted (setgroups). */
  groups: readonly number[];
}

/** Where path lookups start: the guest root (a host directory) and the current directory (guest path). */
export interface FsContext {
  cwd: string;
  umask: number;
  /** The process root set by chroot (a canonical guest path); absent means "/" (fs/fs-root.ts). */
  root?: string;
}

/** Resource limits as [soft, hard] pairs; Infinity is RLIM_INFINITY. */
export type Rlimits = [number, number][];

/** One guest thread (Linux's task_struct): its CPU, and what it shares with its thread group. */
export class Task {
  readonly cpu: Cpu;
  /** The process (thread group) this thread belongs to; set by whoever creates the task. */
  group!: ThreadGroup;
  /** PR_SET_PDEATHSIG: the signal this task gets when its parent dies (0: none). */
  pdeathsig = 0;
  /** CLONE_VFORK: lets the parent go on when this child execs or exits (mm_release's vfork_done). */
  vforkDone: (() => void) | undefined;
  /** CLONE_CHILD_SETTID: where the child writes its tid before it first runs (schedule_tail). */
  setChildTid = 0;
  /** CPU time spent running guest code (user) and in syscalls (system), in nanoseconds. */
  userNs = 0;
  sysNs = 0;
  /** set_tid_address / CLONE_CHILD_CLEARTID */
  clearChildTid = 0;
  robustListHead = 0;
  robustListLen = 0;
  /** The compat robust-list head (compat set_robust_list, 12-byte compat_robust_list_head): a second, independent list. */
  compatRobustListHead = 0;
  /**
   * "In compat syscall" (the kernel's in_compat_syscall()): set by syscall entry for a compat-from-64
   * call, kept through signal delivery and restart processing, cleared on return to user mode
   * (entry/compat-state.ts). A new task starts native.
   */
  inCompatSyscall = false;
  /** 'running' until exit; then the wait status. */
  exitStatus: number | undefined;
  comm: string;
  personality = 0;
  /** argv/env bounds and auxv, for /proc/self/cmdline, environ, auxv. */
  argStart = 0;
  argEnd = 0;
  envStart = 0;
  envEnd = 0;
  auxv: [number, number][] = [];
  exePath = '';
  /**
   * pt_regs' syscall state: the task is in a syscall (syscallno != NO_SYSCALL; rt_sigreturn and the
   * first round of signal delivery forget it) and x0 as it was at entry (orig_x0, restored when the
   * call is restarted).
   */
  inSyscall = false;
  /**
   * pt_regs' syscallno: the number of the call in progress in its table (native or compat), as
   * decoded at entry; a tracer may change it at the entry stop (NT_ARM_SYSTEM_CALL), -1 skips the call.
   */
  syscallNo = -1;
  /** Linux's SYSCALL_WORK_* bits (entry/syscall-work.ts): 0 keeps syscalls on the fast path. */
  syscallWork = 0;
  /** Set while the task is traced (security/ptrace/ptrace-state.ts). */
  ptrace: PtraceLink | undefined;
  /** The nice value (-20…19, setpriority); inherited by children. */
  nice = 0;
  /** PR_SET_NO_NEW_PRIVS: inherited by children, kept across exec, never cleared. */
  noNewPrivs = false;
  /** seccomp mode and filters (security/seccomp/seccomp-state.ts); inherited by children. */
  seccomp: SeccompState = { mode: 0, filter: undefined };
  origX0Lo = 0;
  origX0Hi = 0;

  constructor(
    public tid: number,
    public tgid: number,
    public mm: MemoryMap,
    public files: FdTable,
    public fs: FsContext,
    public creds: Creds,
    public signals: SignalState,
    public rlimits: Rlimits,
    comm: string,
  ) {
    this.cpu = new Cpu(mm.as);
    this.comm = comm.slice(0, 15);
  }
}

export const RLIMIT_CPU = 0;
export const RLIMIT_FSIZE = 1;
export const RLIMIT_DATA = 2;
export const RLIMIT_STACK = 3;
export const RLIMIT_CORE = 4;
export const RLIMIT_RSS = 5;
export const RLIMIT_NPROC = 6;
export const RLIMIT_NOFILE = 7;
export const RLIMIT_MEMLOCK = 8;
export const RLIMIT_AS = 9;
export const RLIMIT_SIGPENDING = 11;
export const RLIMIT_NICE = 13;
export const RLIM_NLIMITS = 16;

/** Linux's defaults for a login process on a typical Debian system. */
export function defaultRlimits(): Rlimits {
  const inf = Number.POSITIVE_INFINITY;
  const r: Rlimits = Array.from({ length: RLIM_NLIMITS }, () => [inf, inf] as [number, number]);
  r[RLIMIT_CORE] = [0, inf];
  r[RLIMIT_STACK] = [8 * 1024 * 1024, inf];
  r[RLIMIT_NOFILE] = [1024, 1048576];
  r[RLIMIT_NPROC] = [63703, 63703];
  r[RLIMIT_MEMLOCK] = [8 * 1024 * 1024, 8 * 1024 * 1024];
  r[RLIMIT_SIGPENDING] = [63703, 63703];
  r[12] = [819200, 819200]; // RLIMIT_MSGQUEUE
  r[RLIMIT_NICE] = [0, 0];
  r[14] = [0, 0]; // RLIMIT_RTPRIO
  return r;
}
