/**
 * Who may look into or take over another task (Linux's __ptrace_may_access, kernel/ptrace.c, and
 * Yama's ptrace_access_check): the rule behind PTRACE_ATTACH/SEIZE, process_vm_readv/writev,
 * /proc/PID/mem and the like.
 *
 * - A task may always access the tasks of its own thread group.
 * - Otherwise the caller's ids (the fs ids with PTRACE_MODE_FSCREDS, the real ids with
 *   PTRACE_MODE_REALCREDS) must equal the target's real, effective and saved uid, and likewise for
 *   the gids — or the caller has CAP_SYS_PTRACE (root: compat64 models capabilities as euid 0).
 * - And the target's memory must be dumpable (PR_SET_DUMPABLE; SUID_DUMP_USER), unless the caller
 *   has CAP_SYS_PTRACE.
 * - Yama comes last, for PTRACE_MODE_ATTACH only. Debian's kernel builds Yama in but leaves
 *   kernel.yama.ptrace_scope at 0 (classic ptrace permissions), which is what compat64 emulates.
 *
 * compat64 keeps no separate fsuid/fsgid (setfsuid is not emulated), so the fs ids are the effective ids.
 */

import type { Kernel } from '../../kernel.js';
import type { MemoryMap } from '../../mm/memory-map.js';
import type { Task } from '../../task/task.js';

/** PTRACE_MODE_* (include/linux/ptrace.h). */
export const PTRACE_MODE_READ = 0x01;
export const PTRACE_MODE_ATTACH = 0x02;
export const PTRACE_MODE_NOAUDIT = 0x04;
export const PTRACE_MODE_FSCREDS = 0x08;
export const PTRACE_MODE_REALCREDS = 0x10;
export const PTRACE_MODE_READ_FSCREDS = PTRACE_MODE_READ | PTRACE_MODE_FSCREDS;
export const PTRACE_MODE_READ_REALCREDS = PTRACE_MODE_READ | PTRACE_MODE_REALCREDS;
export const PTRACE_MODE_ATTACH_FSCREDS = PTRACE_MODE_ATTACH | PTRACE_MODE_FSCREDS;
export const PTRACE_MODE_ATTACH_REALCREDS = PTRACE_MODE_ATTACH | PTRACE_MODE_REALCREDS;

/** SUID_DUMP_* (include/linux/sched/coredump.h): the values of PR_GET_DUMPABLE. */
export const SUID_DUMP_DISABLE = 0;
export const SUID_DUMP_USER = 1;
export const SUID_DUMP_ROOT = 2;

/**
 * kernel.yama.ptrace_scope as Debian ships it (0: classic permissions). /proc/sys/kernel/yama/ptrace_scope
 * should show this value.
 */
export const YAMA_PTRACE_SCOPE = 0;

/**
 * The dumpable flag of an address space (Linux keeps it in mm->flags): set by PR_SET_DUMPABLE, reset
 * to SUID_DUMP_USER by exec of a program that gains no privileges. Kept here, keyed by the memory
 * map, because no other module stores it; absent means SUID_DUMP_USER.
 */
const dumpable = new WeakMap<MemoryMap, number>();

export function getDumpable(mm: MemoryMap): number {
  return dumpable.get(mm) ?? SUID_DUMP_USER;
}

/** PR_SET_DUMPABLE (0 or 1) and the kernel's own changes (exec sets SUID_DUMP_USER again). */
export function setDumpable(mm: MemoryMap, value: number): void {
  if (value === SUID_DUMP_USER) dumpable.delete(mm);
  else dumpable.set(mm, value);
}

/** CAP_SYS_PTRACE in the initial user namespace: compat64 grants capabilities to euid 0 only. */
function hasCapSysPtrace(task: Task): boolean {
  return task.creds.euid === 0;
}

/**
 * __ptrace_may_access: may caller read (PTRACE_MODE_READ) or control (PTRACE_MODE_ATTACH) target?
 * mode must name FSCREDS or REALCREDS, as Linux insists (it warns and refuses otherwise).
 */
export function ptraceMayAccess(_kernel: Kernel, caller: Task, target: Task, mode: number): boolean {
  if (caller.tgid === target.tgid) return true;
  if ((mode & (PTRACE_MODE_FSCREDS | PTRACE_MODE_REALCREDS)) === 0) return false;
  const c = caller.creds;
  const t = target.creds;
  const uid = mode & PTRACE_MODE_FSCREDS ? c.fsuid : c.uid;
  const gid = mode & PTRACE_MODE_FSCREDS ? c.fsgid : c.gid;
  const sameIds =
    uid === t.uid && uid === t.euid && uid === t.suid && gid === t.gid && gid === t.egid && gid === t.sgid;
  const cap = hasCapSysPtrace(caller);
  if (!sameIds && !cap) return false;
  // A task that has exited keeps no mm in Linux and skips the dumpable test; here the map stays
  // reachable, and a dead task's flag is the one it had.
  if (getDumpable(target.mm) !== SUID_DUMP_USER && !cap) return false;
  return yamaAllows(caller, target, mode);
}

/** Yama's ptrace_access_check at scope 0 (YAMA_SCOPE_DISABLED): every attach the DAC rules allow. */
function yamaAllows(_caller: Task, _target: Task, _mode: number): boolean {
  return YAMA_PTRACE_SCOPE === 0;
}
