/**
 * seccomp_log: Linux writes an audit record (or a kernel log line) for RET_LOG, for kills, and for
 * the other non-ALLOW actions of filters attached with SECCOMP_FILTER_FLAG_LOG. compat64 writes
 * nothing the guest could see; it keeps the most recent records per kernel, in the audit record's
 * words, for tests and for the embedder.
 */
import type { Kernel } from '../../kernel.js';
import type { Task } from '../../task/task.js';
import {
  AUDIT_ARCH_AARCH64,
  AUDIT_ARCH_ARM,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_KILL_PROCESS,
  SECCOMP_RET_KILL_THREAD,
  SECCOMP_RET_LOG,
} from './seccomp-state.js';

/** How many records a kernel keeps. */
const KEEP = 64;

export interface SeccompLog {
  /** Records ever written. */
  count: number;
  /** The newest KEEP records, oldest first. */
  readonly records: string[];
}

const logs = new WeakMap<Kernel, SeccompLog>();

export function seccompLogOf(kernel: Kernel): SeccompLog {
  let l = logs.get(kernel);
  if (l === undefined) {
    l = { count: 0, records: [] };
    logs.set(kernel, l);
  }
  return l;
}

/**
 * seccomp_log(syscall, signr, action, requested): kills and RET_LOG are always logged, ALLOW never,
 * the others only when the matching filter asked for it (`requested`).
 */
export function seccompLog(
  kernel: Kernel,
  task: Task,
  compat: boolean,
  nr: number,
  signr: number,
  action: number,
  requested: boolean,
): void {
  const always =
    action === SECCOMP_RET_KILL_PROCESS || action === SECCOMP_RET_KILL_THREAD || action === SECCOMP_RET_LOG;
  if (action === SECCOMP_RET_ALLOW || !(always || requested)) return;
  const l = seccompLogOf(kernel);
  l.count++;
  const arch = compat ? AUDIT_ARCH_ARM : AUDIT_ARCH_AARCH64;
  l.records.push(
    `type=SECCOMP pid=${task.tid} comm="${task.comm}" exe="${task.exePath}" sig=${signr} ` +
      `arch=${arch.toString(16)} syscall=${nr} compat=${compat ? 1 : 0} ip=0x${task.cpu.pc.toString(16)} ` +
      `code=0x${(action >>> 0).toString(16)}`,
  );
  if (l.records.length > KEEP) l.records.shift();
}
