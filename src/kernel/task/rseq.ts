/**
 * Restartable sequences (kernel/rseq.c, Linux 6.1): a thread registers a 32-byte `struct rseq`
 * (cpu_id_start u32, cpu_id u32, rseq_cs u64, flags u32, padding to 32; 6.1 has no node_id/mm_cid
 * and accepts only rseq_len == 32) and a signature. Whenever the thread is preempted or gets a
 * signal, the kernel, before it returns to user mode, reads rseq_cs: if the pc is inside the
 * critical section [start_ip, start_ip + post_commit_offset) it moves the pc to abort_ip (after
 * checking that the u32 before abort_ip is the signature), and it rewrites cpu_id_start/cpu_id.
 * Any failure there is a SIGSEGV (force_sigsegv).
 *
 * compat64 has one CPU (cpu 0, node 0). The state is per thread, kept here (not on Task) and
 * carried by rseqFork/rseqExec, which task/clone.ts and task/execve.ts call.
 */
import * as S from '../abi/signal.js';
import type { Kernel } from '../kernel.js';
import { readU32, readU64, writeU32, writeU64 } from '../syscalls/uaccess.js';
import { kernelInfo } from './siginfo.js';
import { forceSignalInfo } from './signal-send.js';
import type { Task } from './task.js';

const EPERM = -1;
const EFAULT = -14;
const EBUSY = -16;
const EINVAL = -22;

/** sizeof(struct rseq) and its alignment (aligned(4 * sizeof(u64))). */
export const RSEQ_SIZE = 32;
export const RSEQ_FLAG_UNREGISTER = 1;
/** cpu_id after unregistration (RSEQ_CPU_ID_UNINITIALIZED). */
const RSEQ_CPU_ID_UNINITIALIZED = 0xffffffff;
const TASK_SIZE = 2 ** 48;
/** Offsets in struct rseq and struct rseq_cs (version u32, flags u32, start_ip, post_commit_offset, abort_ip). */
const CPU_ID_START = 0;
const CPU_ID = 4;
const RSEQ_CS = 8;
const FLAGS = 16;
const CS_SIZE = 32;

/** rseq_event_mask bits: why the thread must look at its critical section. */
export const RSEQ_EVENT_PREEMPT = 1;
export const RSEQ_EVENT_SIGNAL = 2;

interface RseqState {
  addr: number;
  len: number;
  sig: number;
  /** rseq_event_mask: events since the last critical-section check. */
  events: number;
  /** TIF_NOTIFY_RESUME for rseq: cpu_id must be (re)written before the thread runs again. */
  notify: boolean;
}

const states = new WeakMap<Task, RseqState>();

/** The thread's registration, if any (for /proc and tests). */
export function rseqOf(task: Task): { readonly addr: number; readonly len: number; readonly sig: number } | undefined {
  return states.get(task);
}

/** rseq(2). Returns 0 or a negative errno. */
export function rseqSyscall(kernel: Kernel, task: Task, addr: number, len: number, flags: number, sig: number): number {
  const cur = states.get(task);
  if (flags & RSEQ_FLAG_UNREGISTER) {
    if ((flags & ~RSEQ_FLAG_UNREGISTER) !== 0) return EINVAL;
    if (cur === undefined || cur.addr !== addr) return EINVAL;
    if (len !== cur.len) return EINVAL;
    if (cur.sig !== sig) return EPERM;
    // rseq_reset_rseq_cpu_id: the fields say "not registered" before the area is let go.
    const mem = task.mm.as;
    if (!writeU32(mem, addr + CPU_ID_START, 0) || !writeU32(mem, addr + CPU_ID, RSEQ_CPU_ID_UNINITIALIZED)) {
      return EFAULT;
    }
    states.delete(task);
    return 0;
  }
  if (flags !== 0) return EINVAL;
  if (cur !== undefined) {
    if (cur.addr !== addr || len !== cur.len) return EINVAL;
    if (cur.sig !== sig) return EPERM;
    return EBUSY;
  }
  if (addr % RSEQ_SIZE !== 0 || len !== RSEQ_SIZE) return EINVAL;
  // access_ok: only the range is checked; a fault on the area shows at the first update (SIGSEGV).
  if (addr + len > TASK_SIZE) return EFAULT;
  // rseq_set_notify_resume: the notify-resume work (cpu ids, rseq_cs cleared) happens on the way
  // back to user mode, which is now: a fault there is a SIGSEGV, the call still returns 0.
  const st: RseqState = { addr, len, sig, events: 0, notify: false };
  states.set(task, st);
  notifyResume(kernel, task, st, 0);
  return 0;
}

/**
 * rseq_fork: a thread (CLONE_VM) starts unregistered — its struct rseq would be its creator's; a
 * forked process keeps the registration (the same address in its copy of the memory).
 */
export function rseqFork(parent: Task, child: Task, cloneFlags: number): void {
  const cur = states.get(parent);
  if (cur === undefined || (cloneFlags & 0x100) !== 0) return;
  states.set(child, { ...cur });
}

/** rseq_execve: the new program starts unregistered. */
export function rseqExec(task: Task): void {
  states.delete(task);
}

/** Whether rseqHandleResume has anything to do for the task (cheap; for the run loop's fast path). */
export function rseqPending(task: Task): boolean {
  return states.get(task)?.notify === true;
}

/**
 * rseq_preempt: the thread lost the CPU (another task may have run). Its critical section, if it is
 * in one, is aborted when it resumes (rseqHandleResume).
 */
export function rseqPreempt(task: Task): void {
  const st = states.get(task);
  if (st === undefined) return;
  st.events |= RSEQ_EVENT_PREEMPT;
  st.notify = true;
}

/**
 * __rseq_handle_notify_resume on the way back to user mode after a preemption: the critical-section
 * fix-up, then cpu_id_start/cpu_id. `preempted` (default true) records the preemption first, so one
 * call after the task got the CPU back is enough. A failure forces SIGSEGV.
 */
export function rseqHandleResume(kernel: Kernel, task: Task, preempted = true): void {
  const st = states.get(task);
  if (st === undefined) return;
  if (preempted) st.events |= RSEQ_EVENT_PREEMPT;
  else if (!st.notify) return;
  notifyResume(kernel, task, st, 0);
}

/**
 * rseq_signal_deliver: called by signal delivery just before the handler's frame is built, so the
 * frame saves abort_ip rather than a pc inside the aborted critical section. On failure SIGSEGV is
 * forced (the frame for `sig` is still built, as on Linux).
 */
export function rseqSignalDeliver(kernel: Kernel, task: Task, sig: number): void {
  const st = states.get(task);
  if (st === undefined) return;
  st.events |= RSEQ_EVENT_SIGNAL;
  notifyResume(kernel, task, st, sig);
}

function notifyResume(kernel: Kernel, task: Task, st: RseqState, sig: number): void {
  st.notify = false;
  if (task.exitStatus !== undefined) return;
  const mem = task.mm.as;
  const ok = ipFixup(task, st) === 0 && writeU32(mem, st.addr + CPU_ID_START, 0) && writeU32(mem, st.addr + CPU_ID, 0);
  if (!ok) forceSignalInfo(kernel, task, kernelInfo(S.SIGSEGV), sig === S.SIGSEGV ? 'default' : 'current');
}

/** A decoded struct rseq_cs, or an errno (rseq_get_rseq_cs); null when rseq_cs is NULL. */
interface RseqCs {
  flags: number;
  start: number;
  postCommit: number;
  abort: number;
}

function readRseqCs(task: Task, st: RseqState): RseqCs | null | number {
  const mem = task.mm.as;
  const ptr = readU64(mem, st.addr + RSEQ_CS);
  if (ptr === null) return EFAULT;
  if (ptr === 0) return null;
  if (ptr >= TASK_SIZE) return EINVAL;
  const version = readU32(mem, ptr);
  const flags = readU32(mem, ptr + 4);
  const start = readU64(mem, ptr + 8);
  const postCommit = readU64(mem, ptr + 16);
  const abort = readU64(mem, ptr + CS_SIZE - 8);
  if (version === null || flags === null || start === null || postCommit === null || abort === null) return EFAULT;
  // Addresses past TASK_SIZE (and so the u64 wrap-around Linux checks) are refused.
  if (start >= TASK_SIZE || start + postCommit >= TASK_SIZE || abort >= TASK_SIZE || version > 0) return EINVAL;
  // abort_ip must lie outside the critical section (unsigned distance from start_ip).
  if (abort >= start && abort - start < postCommit) return EINVAL;
  const sig = readU32(mem, abort - 4);
  if (sig === null) return EFAULT;
  if (sig !== st.sig >>> 0) return EINVAL;
  return { flags, start, postCommit, abort };
}

/** rseq_ip_fixup: 0, or a negative errno (the caller forces SIGSEGV). */
function ipFixup(task: Task, st: RseqState): number {
  const cs = readRseqCs(task, st);
  if (typeof cs === 'number') return cs;
  const mem = task.mm.as;
  const pc = task.cpu.pc;
  // Not in a critical section (or rseq_cs NULL): rseq_cs is cleared (written) all the same, as Linux does.
  if (cs === null || pc < cs.start || pc - cs.start >= cs.postCommit) {
    return writeU64(mem, st.addr + RSEQ_CS, 0) ? 0 : EFAULT;
  }
  // rseq_need_restart: any flag in rseq_cs or rseq (the deprecated NO_RESTART ones included) is refused.
  if (cs.flags !== 0) return EINVAL;
  const flags = readU32(mem, st.addr + FLAGS);
  if (flags === null) return EFAULT;
  if (flags !== 0) return EINVAL;
  const events = st.events;
  st.events = 0;
  if (events === 0) return 0;
  if (!writeU64(mem, st.addr + RSEQ_CS, 0)) return EFAULT;
  task.cpu.pc = cs.abort;
  return 0;
}
