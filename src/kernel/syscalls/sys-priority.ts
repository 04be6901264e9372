/**
 * getpriority/setpriority (kernel/sys.c): the nice value of threads chosen by PRIO_PROCESS (a thread
 * id, 0 = the caller), PRIO_PGRP (every thread of a process group, 0 = the caller's) or PRIO_USER
 * (every thread of a real uid, 0 = the caller's). compat64's scheduler does not weigh nice values
 * (round-robin slices); they are kept, inherited and shown in /proc as Linux would.
 */
import { RLIMIT_NICE, type Task } from '../task/task.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';

const EPERM = -1;
const ESRCH = -3;
const EACCES = -13;
const EINVAL = -22;
const PRIO_PROCESS = 0;
const PRIO_PGRP = 1;
const PRIO_USER = 2;
const MIN_NICE = -20;
const MAX_NICE = 19;

/** The live threads `which`/`who` name, or undefined for a bad `which`. */
function targets(ctx: SyscallContext, which: number, who: number): Task[] | undefined {
  const me = ctx.task;
  const live = [...ctx.kernel.tasks.values()].filter((t) => t.exitStatus === undefined);
  switch (which) {
    case PRIO_PROCESS: {
      const t = who === 0 ? me : ctx.kernel.tasks.get(who);
      return t === undefined || t.exitStatus !== undefined ? [] : [t];
    }
    case PRIO_PGRP: {
      const pgid = who === 0 ? me.group.pgid : who;
      return live.filter((t) => t.group.pgid === pgid);
    }
    case PRIO_USER: {
      const uid = who === 0 ? me.creds.uid : who;
      return live.filter((t) => t.creds.uid === uid);
    }
    default:
      return undefined;
  }
}

/** Returns 20 - nice of the highest-priority thread (1…40; glibc turns it back into a nice value). */
function sysGetpriority(ctx: SyscallContext, a: readonly number[]): number {
  const ts = targets(ctx, a[0]! | 0, a[1]! | 0);
  if (ts === undefined) return EINVAL;
  if (ts.length === 0) return ESRCH;
  return Math.max(...ts.map((t) => 20 - t.nice));
}

/** set_one_prio: the caller must own the thread (by euid) or be privileged; only privilege or RLIMIT_NICE lowers nice. */
function setOnePrio(me: Task, t: Task, nice: number): number {
  const root = me.creds.euid === 0;
  if (t.creds.uid !== me.creds.euid && t.creds.euid !== me.creds.euid && !root) return EPERM;
  if (nice < t.nice && !root && 20 - nice > me.rlimits[RLIMIT_NICE]![0]) return EACCES;
  t.nice = nice;
  return 0;
}

/**
 * sys_nice (the AArch32 table's nice, 34): adds increment (clamped to ±40) to the caller's nice,
 * clamped to [-20, 19]; lowering it needs privilege or RLIMIT_NICE (can_nice), else EPERM.
 */
export function niceBy(task: Task, increment: number): number {
  const inc = Math.min(40, Math.max(-40, increment | 0));
  const nice = Math.min(MAX_NICE, Math.max(MIN_NICE, task.nice + inc));
  if (inc < 0 && task.creds.euid !== 0 && 20 - nice > task.rlimits[RLIMIT_NICE]![0]) return EPERM;
  task.nice = nice;
  return 0;
}

function sysSetpriority(ctx: SyscallContext, a: readonly number[]): number {
  const ts = targets(ctx, a[0]! | 0, a[1]! | 0);
  if (ts === undefined) return EINVAL;
  const nice = Math.min(MAX_NICE, Math.max(MIN_NICE, a[2]! | 0));
  let r = ESRCH;
  for (const t of ts) r = setOnePrio(ctx.task, t, nice);
  return r;
}

export const PRIORITY_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'getpriority', args: ['int', 'int'], handler: sysGetpriority, compatAware: true },
  { name: 'setpriority', args: ['int', 'int', 'int'], handler: sysSetpriority, compatAware: true },
];
