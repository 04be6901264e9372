import { TaskExit } from '../kernel.js';
import { PR_SET_VMA, prctlSetVma } from '../mm/prctl-vma.js';
import {
  getDumpable,
  PTRACE_MODE_READ_REALCREDS,
  ptraceMayAccess,
  setDumpable,
} from '../security/ptrace/ptrace-access.js';
import { prctlGetSeccomp, prctlSetSeccomp } from '../security/seccomp/sys-seccomp.js';
import { groupExit } from '../task/exit.js';
import { PROCESS_LIFE_SYSCALLS } from './sys-process-life.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyOut, readString, writeU32 } from './uaccess.js';

const EFAULT = -14;
const EINVAL = -22;
const EPERM = -1;
const ESRCH = -3;

function sysExitGroup(ctx: SyscallContext, a: readonly number[]): number {
  const status = (a[0]! & 0xff) << 8;
  groupExit(ctx.kernel, ctx.task, status);
  ctx.kernel.exitCode(ctx.task, a[0]!);
  throw new TaskExit(status);
}

/** exit: this thread only; the process ends with its last thread. */
function sysExit(ctx: SyscallContext, a: readonly number[]): number {
  ctx.kernel.exitCode(ctx.task, a[0]!);
  throw new TaskExit(ctx.task.exitStatus!);
}

function sysSetTidAddress(ctx: SyscallContext, a: readonly number[]): number {
  ctx.task.clearChildTid = a[0]!;
  return ctx.task.tid;
}

function sysSetRobustList(ctx: SyscallContext, a: readonly number[]): number {
  if (a[1] !== 24) return EINVAL;
  ctx.task.robustListHead = a[0]!;
  ctx.task.robustListLen = a[1]!;
  return 0;
}

/**
 * get_robust_list: the caller's list head, or another thread's (any tid) when ptrace_may_access with
 * PTRACE_MODE_READ_REALCREDS allows it (-EPERM otherwise). A thread that has exited has no list any
 * more (exit_robust_list cleared it); a leader that is a zombie still answers, with 0.
 */
function sysGetRobustList(ctx: SyscallContext, a: readonly number[]): number {
  const [pid, headPtr, lenPtr] = a as [number, number, number];
  let p = ctx.task;
  if (pid !== 0) {
    const t = ctx.kernel.tasks.get(pid);
    if (t === undefined || (t.exitStatus !== undefined && t !== t.group.leader)) return ESRCH;
    p = t;
  }
  if (!ptraceMayAccess(ctx.kernel, ctx.task, p, PTRACE_MODE_READ_REALCREDS)) return EPERM;
  const head = p.exitStatus === undefined ? p.robustListHead : 0;
  const b = new DataView(new ArrayBuffer(8));
  b.setBigUint64(0, 24n, true);
  if (!copyOut(ctx.mem, lenPtr, new Uint8Array(b.buffer))) return EFAULT;
  b.setBigUint64(0, BigInt(head), true);
  return copyOut(ctx.mem, headPtr, new Uint8Array(b.buffer)) ? 0 : EFAULT;
}

const PR_SET_PDEATHSIG = 1;
const PR_GET_PDEATHSIG = 2;
const PR_GET_DUMPABLE = 3;
const PR_SET_DUMPABLE = 4;
const PR_SET_NAME = 15;
const PR_GET_SECCOMP = 21;
const PR_SET_SECCOMP = 22;
const PR_GET_NAME = 16;
const PR_SET_CHILD_SUBREAPER = 36;
const PR_GET_CHILD_SUBREAPER = 37;
const PR_SET_NO_NEW_PRIVS = 38;
const PR_GET_NO_NEW_PRIVS = 39;

function sysPrctl(ctx: SyscallContext, a: readonly number[]): number {
  const t = ctx.task;
  switch (a[0]! | 0) {
    case PR_SET_NAME: {
      const s = readString(ctx.mem, a[1]!, 16);
      if (s === null) return EFAULT;
      t.comm = s.slice(0, 15);
      return 0;
    }
    case PR_GET_NAME: {
      const b = new Uint8Array(16);
      b.set(new TextEncoder().encode(t.comm).subarray(0, 15));
      return copyOut(ctx.mem, a[1]!, b) ? 0 : EFAULT;
    }
    case PR_GET_DUMPABLE:
      return getDumpable(t.mm);
    case PR_SET_DUMPABLE:
      if (a[1] !== 0 && a[1] !== 1) return EINVAL;
      setDumpable(t.mm, a[1]!);
      return 0;
    case PR_SET_PDEATHSIG:
      if (a[1]! > 64) return EINVAL;
      t.pdeathsig = a[1]!;
      return 0;
    case PR_GET_PDEATHSIG:
      return writeU32(ctx.mem, a[1]!, t.pdeathsig) ? 0 : EFAULT;
    case PR_SET_CHILD_SUBREAPER:
      t.group.childSubreaper = a[1] !== 0;
      return 0;
    case PR_GET_CHILD_SUBREAPER:
      return writeU32(ctx.mem, a[1]!, t.group.childSubreaper ? 1 : 0) ? 0 : EFAULT;
    case PR_SET_NO_NEW_PRIVS:
      if (a[1] !== 1 || a[2] !== 0 || a[3] !== 0 || a[4] !== 0) return EINVAL;
      t.noNewPrivs = true;
      return 0;
    case PR_GET_NO_NEW_PRIVS:
      if (a[1] !== 0 || a[2] !== 0 || a[3] !== 0 || a[4] !== 0) return EINVAL;
      return t.noNewPrivs ? 1 : 0;
    case PR_SET_VMA:
      return prctlSetVma(ctx, a);
    case PR_GET_SECCOMP:
      return prctlGetSeccomp(ctx);
    case PR_SET_SECCOMP:
      return prctlSetSeccomp(ctx, a[1]!, a[2]!);
    default:
      return EINVAL;
  }
}

function sysSchedGetaffinity(ctx: SyscallContext, a: readonly number[]): number {
  const [pid, len, ptr] = a as [number, number, number];
  if (pid !== 0 && pid !== ctx.task.tid) return ESRCH;
  // One CPU is emulated; the kernel's cpumask is nr_cpu_ids bits rounded up to longs (8 bytes).
  if (len < 8 || len % 8 !== 0) return EINVAL;
  const m = new Uint8Array(8);
  m[0] = 1;
  return copyOut(ctx.mem, ptr, m) ? 8 : EFAULT;
}

const id = (f: (ctx: SyscallContext) => number) => (ctx: SyscallContext) => f(ctx);

const PER_MASK = 0xff;
const PER_LINUX32 = 0x0008;

/**
 * personality (arm64_personality): 0xffffffff only asks; PER_LINUX32 is EINVAL because compat64 runs
 * no AArch32 tasks (system_supports_32bit_el0() is false). Returns the old value. ADDR_NO_RANDOMIZE
 * takes effect at the next exec (task/exec.ts), READ_IMPLIES_EXEC at the next mmap/mprotect.
 */
function sysPersonality(ctx: SyscallContext, a: readonly number[]): number {
  const p = a[0]! >>> 0;
  const old = ctx.task.personality;
  if (p === 0xffffffff) return old;
  if ((p & PER_MASK) === PER_LINUX32) return EINVAL;
  ctx.task.personality = p;
  return old;
}

export const PROCESS_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'personality', args: ['hex'], handler: sysPersonality },
  { name: 'exit', args: ['int'], handler: sysExit },
  { name: 'exit_group', args: ['int'], handler: sysExitGroup },
  { name: 'set_tid_address', args: ['ptr'], handler: sysSetTidAddress },
  { name: 'set_robust_list', args: ['ptr', 'size'], handler: sysSetRobustList },
  { name: 'get_robust_list', args: ['pid', 'ptr', 'ptr'], handler: sysGetRobustList },
  { name: 'getpid', args: [], handler: id((c) => c.task.tgid) },
  { name: 'gettid', args: [], handler: id((c) => c.task.tid) },
  { name: 'getuid', args: [], handler: id((c) => c.task.creds.uid) },
  { name: 'geteuid', args: [], handler: id((c) => c.task.creds.euid) },
  { name: 'getgid', args: [], handler: id((c) => c.task.creds.gid) },
  { name: 'getegid', args: [], handler: id((c) => c.task.creds.egid) },
  { name: 'prctl', args: ['int', 'ulong', 'ulong', 'ulong', 'ulong'], handler: sysPrctl, level: 'partial' },
  { name: 'sched_getaffinity', args: ['pid', 'size', 'ptr'], handler: sysSchedGetaffinity },
  // Going through a promise sends the task to the back of the run queue.
  { name: 'sched_yield', args: [], handler: () => Promise.resolve(0) },
  ...PROCESS_LIFE_SYSCALLS,
];
