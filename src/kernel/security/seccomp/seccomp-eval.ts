/**
 * Running the filter chain on one syscall (Linux's populate_seccomp_data + seccomp_run_filters).
 *
 * seccomp_data comes from the registers as they are at the check, not from the logical arguments:
 * a native call sees x0–x5 as 64-bit values, a compat-from-64 call sees them zero-extended from 32
 * bits, with nr the compat number and arch AUDIT_ARCH_ARM (compat-abi.md §5); instruction_pointer is
 * the pc after the SVC. Every filter runs and the lowest action (signed, KILL_PROCESS first) wins;
 * on a tie the newest filter's value stands.
 *
 * A chain whose programs reach ALLOW for an (arch, nr) without loading instruction_pointer or an
 * argument gives ALLOW for every call with that number: the newest filter remembers it, so such
 * calls cost one byte read.
 */
import { SECCOMP_DATA_TOUCHED, SECCOMP_DATA_WORDS } from '../../../bpf/seccomp-run.js';
import type { Task } from '../../task/task.js';
import {
  AUDIT_ARCH_AARCH64,
  AUDIT_ARCH_ARM,
  actionOnly,
  SECCOMP_CACHE_NRS,
  SECCOMP_RET_ALLOW,
  type SeccompFilter,
} from './seccomp-state.js';

/**
 * The seccomp_data of the call being checked. One buffer serves every check: a check runs
 * synchronously from fill to result, and its words are copied out (a user notification) before any
 * other task can run.
 */
const data = new Uint32Array(SECCOMP_DATA_WORDS);

/** The filter whose value won the last runFilters (seccomp_run_filters' *match). */
let lastMatch: SeccompFilter | undefined;

/** seccomp_run_filters' *match for the last run: undefined when every filter allowed the call. */
export function matchedFilter(): SeccompFilter | undefined {
  return lastMatch;
}

/** populate_seccomp_data for the task's current call. */
export function fillSeccompData(task: Task, compat: boolean, nr: number): Uint32Array {
  const x = task.cpu.x;
  data[0] = nr;
  data[1] = compat ? AUDIT_ARCH_ARM : AUDIT_ARCH_AARCH64;
  const pc = task.cpu.pc;
  data[2] = pc >>> 0;
  data[3] = Math.floor(pc / 4294967296) >>> 0;
  for (let i = 0; i < 6; i++) {
    data[4 + 2 * i] = x[2 * i]!;
    data[5 + 2 * i] = compat ? 0 : x[2 * i + 1]!;
  }
  data[SECCOMP_DATA_TOUCHED] = 0;
  return data;
}

/** seccomp_run_filters on the data fillSeccompData left: the winning 32-bit value (unsigned). */
export function runFilters(chain: SeccompFilter, compat: boolean, nr: number): number {
  lastMatch = undefined;
  const slot = nr >= 0 && nr < SECCOMP_CACHE_NRS ? (compat ? SECCOMP_CACHE_NRS : 0) + nr : -1;
  if (slot >= 0 && chain.allowCache[slot] === 1) return SECCOMP_RET_ALLOW;
  data[SECCOMP_DATA_TOUCHED] = 0;
  let ret = SECCOMP_RET_ALLOW;
  for (let f: SeccompFilter | undefined = chain; f !== undefined; f = f.prev) {
    const cur = f.run(data) >>> 0;
    if (actionOnly(cur) < actionOnly(ret)) {
      ret = cur;
      lastMatch = f;
    }
  }
  if (slot >= 0 && ret === SECCOMP_RET_ALLOW && data[SECCOMP_DATA_TOUCHED] === 0) chain.allowCache[slot] = 1;
  return ret;
}

/** A copy of the current seccomp_data's 16 words (a user notification keeps it). */
export function copySeccompData(): Uint32Array {
  return data.slice(0, 16);
}
