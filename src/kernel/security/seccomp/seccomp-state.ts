/**
 * A task's seccomp state (Linux's task->seccomp): the mode and the filter chain, newest first. A
 * child created by clone/fork shares its parent's chain (filters are immutable once attached, so
 * sharing is copying); exec keeps it.
 */
import type { SeccompProgram } from '../../../bpf/seccomp-run.js';
import type { SeccompListener } from './seccomp-notify.js';

/** SECCOMP_MODE_* (prctl(PR_GET_SECCOMP) and /proc/PID/status `Seccomp:`). */
export const SECCOMP_MODE_DISABLED = 0;
export const SECCOMP_MODE_STRICT = 1;
export const SECCOMP_MODE_FILTER = 2;
/** A task a seccomp kill has hit (it never runs another syscall). */
export const SECCOMP_MODE_DEAD = 3;

/** SECCOMP_RET_* (linux/seccomp.h): the action in the upper 16 bits, data in the lower. */
export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_KILL_THREAD = 0x00000000;
export const SECCOMP_RET_TRAP = 0x00030000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_USER_NOTIF = 0x7fc00000;
export const SECCOMP_RET_TRACE = 0x7ff00000;
export const SECCOMP_RET_LOG = 0x7ffc0000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
export const SECCOMP_RET_ACTION_FULL = 0xffff0000;
export const SECCOMP_RET_DATA = 0x0000ffff;

/** seccomp_data.arch of a native call and of a compat-from-64 call (compat-abi.md §5). */
export const AUDIT_ARCH_AARCH64 = 0xc00000b7;
export const AUDIT_ARCH_ARM = 0x40000028;

/** Syscall numbers below this have an (arch, nr) slot in each filter's allow cache. */
export const SECCOMP_CACHE_NRS = 1024;

/** One attached filter; `prev` is the filter attached before it (the chain ends in undefined). */
export interface SeccompFilter {
  readonly prev: SeccompFilter | undefined;
  /** The program as the task gave it (sock_filter records), for PTRACE_SECCOMP_GET_FILTER. */
  readonly insns: Uint8Array;
  /** Instructions in the program. */
  readonly len: number;
  /** The validated program, compiled once. */
  readonly run: SeccompProgram;
  /** SECCOMP_FILTER_FLAG_LOG: actions other than ALLOW taken by this filter are logged. */
  readonly log: boolean;
  /** SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: once received, a notification waits killably. */
  readonly waitKillableRecv: boolean;
  /** The user-notification listener (NEW_LISTENER), until its file is released. */
  notif: SeccompListener | undefined;
  /**
   * The chain from this filter down returns ALLOW for (arch, nr) whatever the arguments and pc:
   * byte [compat * SECCOMP_CACHE_NRS + nr] is 1 once a run showed it (Linux's seccomp action cache).
   */
  readonly allowCache: Uint8Array;
}

export interface SeccompState {
  mode: number;
  filter: SeccompFilter | undefined;
}

/** ACTION_ONLY(): the action bits as a signed 32-bit number, so that KILL_PROCESS sorts first. */
export function actionOnly(ret: number): number {
  return (ret & SECCOMP_RET_ACTION_FULL) | 0;
}

/** Filters in the chain (filter_count: /proc/PID/status Seccomp_filters). */
export function filterCount(f: SeccompFilter | undefined): number {
  let n = 0;
  for (let c = f; c !== undefined; c = c.prev) n++;
  return n;
}
