/**
 * A task's seccomp state (Linux's task->seccomp): the mode and the filter chain, newest first. A
 * child created by clone/fork shares its parent's chain (filters are immutable once attached, so
 * sharing is copying); exec keeps it.
 */

/** SECCOMP_MODE_* (prctl(PR_GET_SECCOMP) and /proc/PID/status `Seccomp:`). */
export const SECCOMP_MODE_DISABLED = 0;
export const SECCOMP_MODE_STRICT = 1;
export const SECCOMP_MODE_FILTER = 2;

/** One attached filter; `prev` is the filter attached before it (the chain ends in undefined). */
export interface SeccompFilter {
  readonly prev: SeccompFilter | undefined;
}

export interface SeccompState {
  mode: number;
  filter: SeccompFilter | undefined;
}
