/**
 * Attaching a filter (kernel/seccomp.c: seccomp_prepare_user_filter, seccomp_set_mode_filter,
 * seccomp_attach_filter, seccomp_can_sync_threads, seccomp_sync_threads) and strict mode.
 *
 * The program is read through the calling ABI's `struct sock_fprog` — 16 bytes natively, 8 bytes
 * (compat_sock_fprog: u16 len, pad, u32 pointer) inside a compat-from-64 call (compat-abi.md §5) —
 * validated as Linux validates it and compiled once. Installing needs no_new_privs or CAP_SYS_ADMIN
 * (compat64 models capabilities as euid 0, like /proc's CapEff).
 */
import { bpfCheckClassic } from '../../../bpf/bpf-check.js';
import { BPF_MAXINSNS, decodeProgram, SOCK_FILTER_SIZE } from '../../../bpf/bpf-insn.js';
import { seccompCheckFilter } from '../../../bpf/seccomp-check.js';
import { compileSeccomp, type SeccompProgram } from '../../../bpf/seccomp-run.js';
import { SYSCALL_WORK_SECCOMP } from '../../entry/syscall-work.js';
import type { SyscallContext } from '../../syscalls/syscall-types.js';
import { copyIn } from '../../syscalls/uaccess.js';
import type { Task } from '../../task/task.js';
import { chainHasListener, newListener, SeccompNotifyFile } from './seccomp-notify.js';
import {
  SECCOMP_CACHE_NRS,
  SECCOMP_MODE_DISABLED,
  SECCOMP_MODE_FILTER,
  SECCOMP_MODE_STRICT,
  type SeccompFilter,
} from './seccomp-state.js';

const ESRCH = -3;
const EFAULT = -14;
const EACCES = -13;
const ENOMEM = -12;
const EBUSY = -16;
const EINVAL = -22;

/** SECCOMP_FILTER_FLAG_* (linux/seccomp.h). */
export const SECCOMP_FILTER_FLAG_TSYNC = 1;
export const SECCOMP_FILTER_FLAG_LOG = 2;
export const SECCOMP_FILTER_FLAG_SPEC_ALLOW = 4;
export const SECCOMP_FILTER_FLAG_NEW_LISTENER = 8;
export const SECCOMP_FILTER_FLAG_TSYNC_ESRCH = 16;
export const SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV = 32;
const SECCOMP_FILTER_FLAG_MASK = 63;

/** MAX_INSNS_PER_PATH: instructions over the whole chain, each older filter costing 4 more. */
const MAX_INSNS_PER_PATH = (1 << 18) / SOCK_FILTER_SIZE;

interface Prepared {
  insns: Uint8Array;
  len: number;
  run: SeccompProgram;
}

/** CAP_SYS_ADMIN in the task's namespace: compat64 gives every capability to euid 0 and none otherwise. */
function capSysAdmin(task: Task): boolean {
  return task.creds.euid === 0;
}

/** seccomp_prepare_user_filter: the validated, compiled program, or a negative errno. */
export function prepareUserFilter(ctx: SyscallContext, uargs: number): Prepared | number {
  const fprogSize = ctx.compat ? 8 : 16;
  const fprog = copyIn(ctx.mem, uargs, fprogSize);
  if (fprog === null) return EFAULT;
  const dv = new DataView(fprog.buffer, fprog.byteOffset, fprog.byteLength);
  const len = dv.getUint16(0, true);
  const ptr = ctx.compat ? dv.getUint32(4, true) : dv.getUint32(12, true) * 4294967296 + dv.getUint32(8, true);
  if (len === 0 || len > BPF_MAXINSNS) return EINVAL;
  if (!ctx.task.noNewPrivs && !capSysAdmin(ctx.task)) return EACCES;
  const insns = copyIn(ctx.mem, ptr, len * SOCK_FILTER_SIZE);
  if (insns === null) return EFAULT;
  const prog = decodeProgram(insns, len);
  const err = bpfCheckClassic(prog) || seccompCheckFilter(prog);
  if (err !== 0) return err;
  return { insns: insns.slice(), len, run: compileSeccomp(prog) };
}

/** seccomp_may_assign_mode: a task may move from disabled to a mode, or stay in its mode. */
function mayAssignMode(task: Task, mode: number): boolean {
  return task.seccomp.mode === SECCOMP_MODE_DISABLED || task.seccomp.mode === mode;
}

/** seccomp_assign_mode: the mode, and the syscall-work bit that sends every call through seccomp. */
function assignMode(task: Task, mode: number): void {
  task.seccomp.mode = mode;
  task.syscallWork |= SYSCALL_WORK_SECCOMP;
}

/** is_ancestor: `parent` is `child` or one of the filters below it (undefined is everyone's ancestor). */
function isAncestor(parent: SeccompFilter | undefined, child: SeccompFilter | undefined): boolean {
  if (parent === undefined) return true;
  for (let c = child; c !== undefined; c = c.prev) if (c === parent) return true;
  return false;
}

/** seccomp_can_sync_threads: 0, or the tid of a thread whose filters are not an ancestor of ours. */
function canSyncThreads(task: Task): number {
  for (const t of task.group.threads) {
    if (t === task || t.exitStatus !== undefined) continue;
    const m = t.seccomp.mode;
    if (m === SECCOMP_MODE_DISABLED || (m === SECCOMP_MODE_FILTER && isAncestor(t.seccomp.filter, task.seccomp.filter)))
      continue;
    return t.tid > 0 ? t.tid : ESRCH;
  }
  return 0;
}

/** seccomp_sync_threads: every other thread takes the caller's chain (and its no_new_privs). */
function syncThreads(task: Task): void {
  for (const t of task.group.threads) {
    if (t === task || t.exitStatus !== undefined) continue;
    t.seccomp.filter = task.seccomp.filter;
    if (task.noNewPrivs) t.noNewPrivs = true;
    if (t.seccomp.mode === SECCOMP_MODE_DISABLED) assignMode(t, SECCOMP_MODE_FILTER);
  }
}

/** seccomp_set_mode_filter: 0, the listener fd (NEW_LISTENER), a thread id (TSYNC failure) or a negative errno. */
export function setModeFilter(ctx: SyscallContext, flags: number, uargs: number): number {
  const task = ctx.task;
  if (flags & ~SECCOMP_FILTER_FLAG_MASK) return EINVAL;
  // A TSYNC failure returns a tid, a NEW_LISTENER success an fd: together they need TSYNC_ESRCH.
  if (
    flags & SECCOMP_FILTER_FLAG_TSYNC &&
    flags & SECCOMP_FILTER_FLAG_NEW_LISTENER &&
    !(flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH)
  )
    return EINVAL;
  if (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV && !(flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)) return EINVAL;
  const prepared = prepareUserFilter(ctx, uargs);
  if (typeof prepared === 'number') return prepared;
  const wantListener = (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) !== 0;
  if (!mayAssignMode(task, SECCOMP_MODE_FILTER)) return EINVAL;
  if (wantListener && chainHasListener(task.seccomp.filter)) return EBUSY;
  let total = prepared.len;
  for (let f = task.seccomp.filter; f !== undefined; f = f.prev) total += f.len + 4;
  if (total > MAX_INSNS_PER_PATH) return ENOMEM;
  if (flags & SECCOMP_FILTER_FLAG_TSYNC) {
    const failed = canSyncThreads(task);
    if (failed !== 0) return flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH ? ESRCH : failed;
  }
  const filter: SeccompFilter = {
    prev: task.seccomp.filter,
    insns: prepared.insns,
    len: prepared.len,
    run: prepared.run,
    log: (flags & SECCOMP_FILTER_FLAG_LOG) !== 0,
    waitKillableRecv: (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) !== 0,
    notif: undefined,
    allowCache: new Uint8Array(2 * SECCOMP_CACHE_NRS),
  };
  let fd = 0;
  if (wantListener) {
    // The listener fd is reserved before the filter goes in (get_unused_fd_flags(O_CLOEXEC)).
    const listener = newListener(ctx.kernel);
    fd = task.files.install(new SeccompNotifyFile(ctx.kernel, filter, listener), true);
    if (fd < 0) return fd;
    filter.notif = listener;
  }
  task.seccomp.filter = filter;
  if (flags & SECCOMP_FILTER_FLAG_TSYNC) syncThreads(task);
  assignMode(task, SECCOMP_MODE_FILTER);
  return fd;
}

/** seccomp_set_mode_strict. */
export function setModeStrict(task: Task): number {
  if (!mayAssignMode(task, SECCOMP_MODE_STRICT)) return EINVAL;
  assignMode(task, SECCOMP_MODE_STRICT);
  return 0;
}
