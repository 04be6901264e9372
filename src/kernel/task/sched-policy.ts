/**
 * Per-thread scheduling policy (kernel/sched/core.c, Linux 6.1): the policy, the real-time priority,
 * SCHED_RESET_ON_FORK and the SCHED_DEADLINE parameters, with __sched_setscheduler's rules. The nice
 * value is not here: it is task.nice (sys-priority.ts), which fair policies read and write.
 *
 * compat64 runs every task on one emulated CPU in round-robin slices whatever its policy: the values
 * are kept, checked, inherited and reported as Linux does, but do not change who runs when. Kept in a
 * WeakMap (Task is another module's); task/clone.ts calls schedForkCheck/schedFork.
 */
import type { Kernel } from '../kernel.js';
import { RLIMIT_NICE, type Task } from './task.js';

export const SCHED_NORMAL = 0;
export const SCHED_FIFO = 1;
export const SCHED_RR = 2;
export const SCHED_BATCH = 3;
export const SCHED_IDLE = 5;
export const SCHED_DEADLINE = 6;
export const SCHED_RESET_ON_FORK = 0x40000000;
/** sched_setparam's "keep the policy" (SETPARAM_POLICY). */
export const SETPARAM_POLICY = -1;

export const SCHED_FLAG_RESET_ON_FORK = 0x01;
export const SCHED_FLAG_RECLAIM = 0x02;
export const SCHED_FLAG_DL_OVERRUN = 0x04;
export const SCHED_FLAG_KEEP_POLICY = 0x08;
export const SCHED_FLAG_KEEP_PARAMS = 0x10;
export const SCHED_FLAG_UTIL_CLAMP = 0x20 | 0x40;
export const SCHED_FLAG_ALL = 0x7f;
export const SCHED_FLAG_SUGOV = 0x10000000;
const SCHED_DL_FLAGS = SCHED_FLAG_RECLAIM | SCHED_FLAG_DL_OVERRUN | SCHED_FLAG_SUGOV;

export const MAX_RT_PRIO = 100;
export const RLIMIT_RTPRIO = 14;

const EPERM = -1;
const EAGAIN = -11;
const EBUSY = -16;
const EINVAL = -22;
const EOPNOTSUPP = -95;

/** The policy-related part of task_struct. */
export interface SchedState {
  policy: number;
  rtPriority: number;
  resetOnFork: boolean;
  /** SCHED_DEADLINE: runtime, deadline, period (ns) and the dl flags (SCHED_DL_FLAGS bits). */
  dlRuntime: bigint;
  dlDeadline: bigint;
  dlPeriod: bigint;
  dlFlags: number;
}

/** A struct sched_attr as the kernel sees it (after sched_copy_attr). */
export interface SchedAttr {
  policy: number;
  flags: bigint;
  nice: number;
  priority: number;
  runtime: bigint;
  deadline: bigint;
  period: bigint;
  utilMin: number;
  utilMax: number;
}

const states = new WeakMap<Task, SchedState>();

function fresh(): SchedState {
  return {
    policy: SCHED_NORMAL,
    rtPriority: 0,
    resetOnFork: false,
    dlRuntime: 0n,
    dlDeadline: 0n,
    dlPeriod: 0n,
    dlFlags: 0,
  };
}

/** The thread's scheduling state (a SCHED_NORMAL default until something changes it). */
export function schedOf(task: Task): Readonly<SchedState> {
  return states.get(task) ?? fresh();
}

function mutable(task: Task): SchedState {
  let s = states.get(task);
  if (s === undefined) {
    s = fresh();
    states.set(task, s);
  }
  return s;
}

export const rtPolicy = (p: number): boolean => p === SCHED_FIFO || p === SCHED_RR;
export const fairPolicy = (p: number): boolean => p === SCHED_NORMAL || p === SCHED_BATCH;
export const validPolicy = (p: number): boolean =>
  fairPolicy(p) || rtPolicy(p) || p === SCHED_IDLE || p === SCHED_DEADLINE;

/** CAP_SYS_NICE: compat64 grants capabilities to euid 0. */
function capable(task: Task): boolean {
  return task.creds.euid === 0;
}

/** can_nice: the target's RLIMIT_NICE allows `nice` (or the caller is privileged). */
function canNice(caller: Task, p: Task, nice: number): boolean {
  return 20 - nice <= p.rlimits[RLIMIT_NICE]![0] || capable(caller);
}

/** check_same_owner: the caller's euid is the target's euid or uid. */
export function sameOwner(caller: Task, p: Task): boolean {
  return caller.creds.euid === p.creds.euid || caller.creds.euid === p.creds.uid;
}

const DL_SCALE = 10n;
/** sysctl_sched_dl_period_min/max (µs): 100 and 1 << 22. */
const DL_PERIOD_MIN = 100n * 1000n;
const DL_PERIOD_MAX = (1n << 22n) * 1000n;
const BIT63 = 1n << 63n;

/** __checkparam_dl */
function checkparamDl(a: SchedAttr): boolean {
  if (a.flags & BigInt(SCHED_FLAG_SUGOV)) return true;
  if (a.deadline === 0n) return false;
  if (a.runtime < 1n << DL_SCALE) return false;
  if (a.deadline & BIT63 || a.period & BIT63) return false;
  const period = a.period === 0n ? a.deadline : a.period;
  if (period < a.deadline || a.deadline < a.runtime) return false;
  return period >= DL_PERIOD_MIN && period <= DL_PERIOD_MAX;
}

const BW_SHIFT = 20n;
/** The root domain's deadline bandwidth with one CPU: to_ratio(1 s, 0.95 s) (sched_rt_runtime_us). */
const DL_BW_LIMIT = (950000n << BW_SHIFT) / 1000000n;

function toRatio(period: bigint, runtime: bigint): bigint {
  return period === 0n ? 0n : (runtime << BW_SHIFT) / period;
}

function dlBw(s: SchedState): bigint {
  return toRatio(s.dlPeriod === 0n ? s.dlDeadline : s.dlPeriod, s.dlRuntime);
}

/** sched_dl_overflow: whether the change would overcommit the CPU's deadline bandwidth. */
function dlOverflow(kernel: Kernel, p: Task, policy: number, a: SchedAttr): boolean {
  if (a.flags & BigInt(SCHED_FLAG_SUGOV)) return false;
  const cur = schedOf(p);
  const newBw = policy === SCHED_DEADLINE ? toRatio(a.period === 0n ? a.deadline : a.period, a.runtime) : 0n;
  const isDl = cur.policy === SCHED_DEADLINE;
  if (isDl && newBw === dlBw(cur)) return false;
  if (policy !== SCHED_DEADLINE) return !isDl;
  let total = 0n;
  for (const t of kernel.tasks.values()) {
    const s = states.get(t);
    if (t.exitStatus === undefined && s?.policy === SCHED_DEADLINE) total += dlBw(s);
  }
  const oldBw = isDl ? dlBw(cur) : 0n;
  return DL_BW_LIMIT < total - oldBw + newBw;
}

function dlParamChanged(s: SchedState, a: SchedAttr): boolean {
  return (
    s.dlRuntime !== a.runtime ||
    s.dlDeadline !== a.deadline ||
    s.dlPeriod !== a.period ||
    s.dlFlags !== Number(a.flags & BigInt(SCHED_DL_FLAGS))
  );
}

/**
 * __sched_setscheduler(p, attr, user = true, pi): the checks in Linux's order, then the change.
 * `a.policy` may be SETPARAM_POLICY (keep the policy and the reset-on-fork flag).
 */
export function setScheduler(kernel: Kernel, caller: Task, p: Task, a: SchedAttr): number {
  const cur = schedOf(p);
  let policy = a.policy;
  let resetOnFork: boolean;
  if (policy < 0) {
    resetOnFork = cur.resetOnFork;
    policy = cur.policy;
  } else {
    resetOnFork = (a.flags & BigInt(SCHED_FLAG_RESET_ON_FORK)) !== 0n;
    if (!validPolicy(policy)) return EINVAL;
  }
  if (a.flags & ~BigInt(SCHED_FLAG_ALL | SCHED_FLAG_SUGOV)) return EINVAL;
  if (a.priority > MAX_RT_PRIO - 1) return EINVAL;
  if ((policy === SCHED_DEADLINE && !checkparamDl(a)) || rtPolicy(policy) !== (a.priority !== 0)) return EINVAL;
  if (!capable(caller)) {
    if (fairPolicy(policy) && a.nice < p.nice && !canNice(caller, p, a.nice)) return EPERM;
    if (rtPolicy(policy)) {
      const rlim = p.rlimits[RLIMIT_RTPRIO]![0];
      if (policy !== cur.policy && rlim === 0) return EPERM;
      if (a.priority > cur.rtPriority && a.priority > rlim) return EPERM;
    }
    if (policy === SCHED_DEADLINE) return EPERM;
    if (cur.policy === SCHED_IDLE && policy !== SCHED_IDLE && !canNice(caller, p, p.nice)) return EPERM;
    if (!sameOwner(caller, p)) return EPERM;
    if (cur.resetOnFork && !resetOnFork) return EPERM;
  }
  if (a.flags & BigInt(SCHED_FLAG_SUGOV)) return EINVAL;
  // compat64 is a kernel without CONFIG_UCLAMP_TASK: uclamp_validate says EOPNOTSUPP.
  if (a.flags & BigInt(SCHED_FLAG_UTIL_CLAMP)) return EOPNOTSUPP;
  if (policy === cur.policy) {
    const change =
      (fairPolicy(policy) && a.nice !== p.nice) ||
      (rtPolicy(policy) && a.priority !== cur.rtPriority) ||
      (policy === SCHED_DEADLINE && dlParamChanged(cur, a));
    if (!change) {
      if (cur.resetOnFork !== resetOnFork) mutable(p).resetOnFork = resetOnFork;
      return 0;
    }
  }
  if ((policy === SCHED_DEADLINE || cur.policy === SCHED_DEADLINE) && dlOverflow(kernel, p, policy, a)) return EBUSY;
  const s = mutable(p);
  s.resetOnFork = resetOnFork;
  // SCHED_FLAG_KEEP_PARAMS leaves policy and parameters as they are (__setscheduler_params is skipped).
  if (a.flags & BigInt(SCHED_FLAG_KEEP_PARAMS)) return 0;
  s.policy = policy;
  if (policy === SCHED_DEADLINE) {
    s.dlRuntime = a.runtime;
    s.dlDeadline = a.deadline;
    s.dlPeriod = a.period;
    s.dlFlags = Number(a.flags & BigInt(SCHED_DL_FLAGS));
  } else if (fairPolicy(policy)) {
    p.nice = a.nice;
  }
  s.rtPriority = a.priority;
  return 0;
}

/** get_params (and __getparam_dl): the current parameters into a sched_attr. */
export function getParams(p: Task, a: SchedAttr): void {
  const s = schedOf(p);
  if (s.policy === SCHED_DEADLINE) {
    a.priority = s.rtPriority;
    a.runtime = s.dlRuntime;
    a.deadline = s.dlDeadline;
    a.period = s.dlPeriod;
    a.flags = (a.flags & ~BigInt(SCHED_DL_FLAGS)) | BigInt(s.dlFlags);
  } else if (rtPolicy(s.policy)) {
    a.priority = s.rtPriority;
  } else {
    a.nice = p.nice;
  }
}

/**
 * sched_fork's refusal: a SCHED_DEADLINE thread cannot fork unless SCHED_RESET_ON_FORK is set
 * (-EAGAIN). task/clone.ts calls this with copy_process' other checks, before creating the child.
 */
export function schedForkCheck(parent: Task): number {
  const s = states.get(parent);
  return s !== undefined && s.policy === SCHED_DEADLINE && !s.resetOnFork ? EAGAIN : 0;
}

/**
 * sched_fork: the child gets its creator's policy and priority (every clone, threads too); with
 * SCHED_RESET_ON_FORK an RT/deadline child becomes SCHED_NORMAL at nice 0, a negative nice becomes
 * 0, and the flag is not passed on. task/clone.ts calls this after `child.nice = parent.nice`.
 */
export function schedFork(parent: Task, child: Task): void {
  const s = states.get(parent);
  if (s === undefined) return;
  const c: SchedState = { ...s };
  if (c.resetOnFork) {
    if (rtPolicy(c.policy) || c.policy === SCHED_DEADLINE) {
      c.policy = SCHED_NORMAL;
      c.rtPriority = 0;
      c.dlRuntime = c.dlDeadline = c.dlPeriod = 0n;
      c.dlFlags = 0;
      child.nice = 0;
    } else if (child.nice < 0) child.nice = 0;
    c.resetOnFork = false;
  }
  states.set(child, c);
}

/**
 * /proc/PID/stat's priority (field 18): -1 - rt_priority for real-time and deadline threads
 * (deadline: -101), 20 + nice otherwise; fields 40–41 are schedOf(task).policy / rtPriority.
 */
export function procPriority(task: Task): number {
  const s = schedOf(task);
  if (s.policy === SCHED_DEADLINE) return -MAX_RT_PRIO - 1;
  if (rtPolicy(s.policy)) return -1 - s.rtPriority;
  return 20 + task.nice;
}
