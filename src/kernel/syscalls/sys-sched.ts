/**
 * Scheduling policy and CPU calls (kernel/sched/core.c, kernel/sched/membarrier.c, kernel/rseq.c,
 * Linux 6.1): sched_setscheduler/getscheduler, sched_setparam/getparam, sched_setattr/getattr,
 * sched_get_priority_max/min, sched_rr_get_interval, sched_setaffinity, getcpu, membarrier, rseq.
 *
 * compat64 emulates one CPU (cpu 0, node 0). Policies are per thread (task/sched-policy.ts) and are
 * checked, inherited and reported as Linux does, but the scheduler runs every task in round-robin
 * slices whatever its policy. `pid` names a thread (0: the caller), any thread of any process.
 */
import { writeStruct } from '../abi/marshal.js';
import type { MemoryMap } from '../mm/memory-map.js';
import { rseqSyscall } from '../task/rseq.js';
import {
  fairPolicy,
  getParams,
  MAX_RT_PRIO,
  rtPolicy,
  SCHED_FLAG_ALL,
  SCHED_FLAG_KEEP_PARAMS,
  SCHED_FLAG_KEEP_POLICY,
  SCHED_FLAG_RESET_ON_FORK,
  SCHED_FLAG_UTIL_CLAMP,
  SCHED_IDLE,
  SCHED_RESET_ON_FORK,
  SCHED_RR,
  type SchedAttr,
  SETPARAM_POLICY,
  sameOwner,
  schedOf,
  setScheduler,
  validPolicy,
} from '../task/sched-policy.js';
import type { Task } from '../task/task.js';
import type { SyscallArgs, SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut, readU32, writeU32 } from './uaccess.js';

const EPERM = -1;
const ESRCH = -3;
const EFAULT = -14;
const EINVAL = -22;
const E2BIG = -7;

/** sizeof(struct sched_attr): SCHED_ATTR_SIZE_VER0 (without util_min/max) and VER1 (6.1's). */
export const SCHED_ATTR_SIZE_VER0 = 48;
export const SCHED_ATTR_SIZE_VER1 = 56;
const PAGE_SIZE = 4096;
/** cpumask_size(): nr_cpu_ids bits in unsigned longs (one CPU: one long). */
const CPUMASK_SIZE = 8;
const MIN_NICE = -20;
const MAX_NICE = 19;

/** find_process_by_pid: 0 is the caller; any thread the kernel still knows (zombies included). */
function findTask(ctx: SyscallContext, pid: number): Task | undefined {
  return pid === 0 ? ctx.task : ctx.kernel.tasks.get(pid);
}

function sysSchedGetscheduler(ctx: SyscallContext, a: SyscallArgs): number {
  const pid = a[0]! | 0;
  if (pid < 0) return EINVAL;
  const p = findTask(ctx, pid);
  if (p === undefined) return ESRCH;
  const s = schedOf(p);
  return s.policy | (s.resetOnFork ? SCHED_RESET_ON_FORK : 0);
}

function sysSchedGetparam(ctx: SyscallContext, a: SyscallArgs): number {
  const [pid, param] = [a[0]! | 0, a[1]!];
  if (param === 0 || pid < 0) return EINVAL;
  const p = findTask(ctx, pid);
  if (p === undefined) return ESRCH;
  const s = schedOf(p);
  return writeU32(ctx.mem, param, rtPolicy(s.policy) ? s.rtPriority : 0) ? 0 : EFAULT;
}

/** do_sched_setscheduler: struct sched_param (one int), then _sched_setscheduler. */
function doSetscheduler(ctx: SyscallContext, pid: number, policy: number, param: number): number {
  if (param === 0 || pid < 0) return EINVAL;
  const prio = readU32(ctx.mem, param);
  if (prio === null) return EFAULT;
  const p = findTask(ctx, pid);
  if (p === undefined) return ESRCH;
  const attr: SchedAttr = {
    policy,
    flags: 0n,
    nice: p.nice,
    priority: prio >>> 0,
    runtime: 0n,
    deadline: 0n,
    period: 0n,
    utilMin: 0,
    utilMax: 0,
  };
  // The legacy SCHED_RESET_ON_FORK bit in the policy becomes the sched_attr flag.
  if (policy !== SETPARAM_POLICY && policy & SCHED_RESET_ON_FORK) {
    attr.flags = BigInt(SCHED_FLAG_RESET_ON_FORK);
    attr.policy = policy & ~SCHED_RESET_ON_FORK;
  }
  return setScheduler(ctx.kernel, ctx.task, p, attr);
}

function sysSchedSetscheduler(ctx: SyscallContext, a: SyscallArgs): number {
  const policy = a[1]! | 0;
  if (policy < 0) return EINVAL;
  return doSetscheduler(ctx, a[0]! | 0, policy, a[2]!);
}

function sysSchedSetparam(ctx: SyscallContext, a: SyscallArgs): number {
  return doSetscheduler(ctx, a[0]! | 0, SETPARAM_POLICY, a[1]!);
}

function u64(v: DataView, at: number): bigint {
  return v.getBigUint64(at, true);
}

/** sched_copy_attr: size rules (0 = VER0; < VER0 or > PAGE_SIZE, or non-zero bytes past ours: E2BIG with our size written back). */
export function copySchedAttr(ctx: SyscallContext, uattr: number): SchedAttr | number {
  const size0 = readU32(ctx.mem, uattr);
  if (size0 === null) return EFAULT;
  const size = size0 === 0 ? SCHED_ATTR_SIZE_VER0 : size0;
  const tooBig = (): number => {
    writeU32(ctx.mem, uattr, SCHED_ATTR_SIZE_VER1);
    return E2BIG;
  };
  if (size < SCHED_ATTR_SIZE_VER0 || size > PAGE_SIZE) return tooBig();
  if (size > SCHED_ATTR_SIZE_VER1) {
    const tail = copyIn(ctx.mem, uattr + SCHED_ATTR_SIZE_VER1, size - SCHED_ATTR_SIZE_VER1);
    if (tail === null) return EFAULT;
    if (tail.some((b) => b !== 0)) return tooBig();
  }
  const n = Math.min(size, SCHED_ATTR_SIZE_VER1);
  const got = copyIn(ctx.mem, uattr, n);
  if (got === null) return EFAULT;
  const b = new Uint8Array(SCHED_ATTR_SIZE_VER1);
  b.set(got);
  const v = new DataView(b.buffer);
  const attr: SchedAttr = {
    policy: v.getUint32(4, true),
    flags: u64(v, 8),
    nice: Math.min(MAX_NICE, Math.max(MIN_NICE, v.getInt32(16, true))),
    priority: v.getUint32(20, true),
    runtime: u64(v, 24),
    deadline: u64(v, 32),
    period: u64(v, 40),
    utilMin: v.getUint32(48, true),
    utilMax: v.getUint32(52, true),
  };
  if (attr.flags & BigInt(SCHED_FLAG_UTIL_CLAMP) && size < SCHED_ATTR_SIZE_VER1) return EINVAL;
  return attr;
}

function sysSchedSetattr(ctx: SyscallContext, a: SyscallArgs): number {
  const [pid, uattr, flags] = [a[0]! | 0, a[1]!, a[2]! >>> 0];
  if (uattr === 0 || pid < 0 || flags !== 0) return EINVAL;
  const attr = copySchedAttr(ctx, uattr);
  if (typeof attr === 'number') return attr;
  if ((attr.policy | 0) < 0) return EINVAL;
  if (attr.flags & BigInt(SCHED_FLAG_KEEP_POLICY)) attr.policy = SETPARAM_POLICY;
  const p = findTask(ctx, pid);
  if (p === undefined) return ESRCH;
  if (attr.flags & BigInt(SCHED_FLAG_KEEP_PARAMS)) getParams(p, attr);
  return setScheduler(ctx.kernel, ctx.task, p, attr);
}

function sysSchedGetattr(ctx: SyscallContext, a: SyscallArgs): number {
  const [pid, uattr, usize, flags] = [a[0]! | 0, a[1]!, a[2]! >>> 0, a[3]! >>> 0];
  if (uattr === 0 || pid < 0 || usize > PAGE_SIZE || usize < SCHED_ATTR_SIZE_VER0 || flags !== 0) return EINVAL;
  const p = findTask(ctx, pid);
  if (p === undefined) return ESRCH;
  const s = schedOf(p);
  const k: SchedAttr = {
    policy: s.policy,
    flags: s.resetOnFork ? BigInt(SCHED_FLAG_RESET_ON_FORK) : 0n,
    nice: 0,
    priority: 0,
    runtime: 0n,
    deadline: 0n,
    period: 0n,
    utilMin: 0,
    utilMax: 0,
  };
  getParams(p, k);
  k.flags &= BigInt(SCHED_FLAG_ALL);
  // sched_attr_copy_to_user: size says how much the kernel wrote (no uclamp: util_min/max are 0).
  const size = Math.min(usize, SCHED_ATTR_SIZE_VER1);
  const b = new Uint8Array(SCHED_ATTR_SIZE_VER1);
  const v = new DataView(b.buffer);
  v.setUint32(0, size, true);
  v.setUint32(4, k.policy, true);
  v.setBigUint64(8, k.flags, true);
  v.setInt32(16, k.nice, true);
  v.setUint32(20, k.priority, true);
  v.setBigUint64(24, k.runtime, true);
  v.setBigUint64(32, k.deadline, true);
  v.setBigUint64(40, k.period, true);
  return copyOut(ctx.mem, uattr, b, 0, size) ? 0 : EFAULT;
}

function sysSchedGetPriorityMax(_ctx: SyscallContext, a: SyscallArgs): number {
  const policy = a[0]! | 0;
  if (!validPolicy(policy)) return EINVAL;
  return rtPolicy(policy) ? MAX_RT_PRIO - 1 : 0;
}

function sysSchedGetPriorityMin(_ctx: SyscallContext, a: SyscallArgs): number {
  const policy = a[0]! | 0;
  if (!validPolicy(policy)) return EINVAL;
  return rtPolicy(policy) ? 1 : 0;
}

/** sched_prio_to_weight: the load weight of nice -20…19. */
const NICE_WEIGHT = [
  88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991,
  1586, 1277, 1024, 820, 655, 526, 423, 335, 272, 215, 172, 137, 110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
];
/** SCHED_IDLE's weight (WEIGHT_IDLEPRIO). */
const IDLE_WEIGHT = 3;
/** CFS tunables for one CPU (factor 1 + ilog2(1)): sched_latency 6 ms, min_granularity 0.75 ms. */
const SCHED_LATENCY_NS = 6_000_000;
const SCHED_MIN_GRANULARITY_NS = 750_000;
const SCHED_NR_LATENCY = 8;
/** CONFIG_HZ = 250: a jiffy is 4 ms. */
const JIFFY_NS = 4_000_000;
/** RR_TIMESLICE: 100 ms (25 jiffies). */
const RR_TIMESLICE_NS = 100_000_000;

function cfsWeight(t: Task): number {
  return schedOf(t).policy === SCHED_IDLE ? IDLE_WEIGHT : NICE_WEIGHT[t.nice + 20]!;
}

/**
 * get_rr_interval_fair: NS_TO_JIFFIES(sched_slice()) on the one CPU, the run queue taken as the
 * caller (running) and the target: the period (6 ms up to 8 tasks) shared by weight, at least the
 * minimum granularity, truncated to whole jiffies.
 */
export function cfsTimesliceNs(caller: Task, p: Task): number {
  const queued = caller === p || !fairOrIdle(caller) ? [p] : [caller, p];
  const n = queued.length;
  const period = n > SCHED_NR_LATENCY ? n * SCHED_MIN_GRANULARITY_NS : SCHED_LATENCY_NS;
  const total = queued.reduce((sum, t) => sum + cfsWeight(t), 0);
  const slice = Math.max(SCHED_MIN_GRANULARITY_NS, Math.floor((period * cfsWeight(p)) / total));
  return Math.floor(slice / JIFFY_NS) * JIFFY_NS;
}

function fairOrIdle(t: Task): boolean {
  const policy = schedOf(t).policy;
  return fairPolicy(policy) || policy === SCHED_IDLE;
}

/** sched_rr_get_interval: the timeslice as a timespec of the calling ABI (old_timespec32 in compat). */
function sysSchedRrGetInterval(ctx: SyscallContext, a: SyscallArgs): number {
  const [pid, tp] = [a[0]! | 0, a[1]!];
  if (pid < 0) return EINVAL;
  const p = findTask(ctx, pid);
  if (p === undefined) return ESRCH;
  const policy = schedOf(p).policy;
  let ns = 0;
  if (policy === SCHED_RR) ns = RR_TIMESLICE_NS;
  else if (fairOrIdle(p)) ns = cfsTimesliceNs(ctx.task, p);
  // SCHED_FIFO and SCHED_DEADLINE have no timeslice: 0.
  const layout = ctx.abi.timespec;
  const b = new Uint8Array(layout.size);
  writeStruct(layout, new DataView(b.buffer), 0, { tv_sec: Math.floor(ns / 1e9), tv_nsec: ns % 1e9 });
  return copyOut(ctx.mem, tp, b) ? 0 : EFAULT;
}

/**
 * sched_setaffinity: the mask (len bytes, cut to cpumask_size(), zero-filled when shorter) must
 * include CPU 0, the only CPU; the thread's mask is then {0}, which sched_getaffinity reports
 * (Linux's cpus_mask & cpu_active_mask, always {0} on one CPU).
 */
function sysSchedSetaffinity(ctx: SyscallContext, a: SyscallArgs): number {
  const [pid, len0, ptr] = [a[0]! | 0, a[1]! >>> 0, a[2]!];
  const len = Math.min(len0, CPUMASK_SIZE);
  // compat_get_bitmap reads whole compat_ulong_t words (4 bytes); the bits past len * 8 are dropped.
  const mask = copyIn(ctx.mem, ptr, ctx.compat ? Math.ceil(len / 4) * 4 : len);
  if (mask === null) return EFAULT;
  const p = findTask(ctx, pid);
  if (p === undefined) return ESRCH;
  if (!sameOwner(ctx.task, p) && ctx.task.creds.euid !== 0) return EPERM;
  return len > 0 && (mask[0]! & 1) !== 0 ? 0 : EINVAL;
}

/**
 * sched_getaffinity (native): len must hold nr_cpu_ids bits and be a multiple of sizeof(long); the
 * mask ({0}) is min(len, cpumask_size()) bytes, the size returned. Any thread may be asked about.
 * (sys-process.ts registers its own copy; this one finds other threads too.)
 */
export function sysSchedGetaffinity(ctx: SyscallContext, a: SyscallArgs): number {
  const [pid, len, ptr] = [a[0]! | 0, a[1]! >>> 0, a[2]!];
  if (len * 8 < 1 || len % 8 !== 0) return EINVAL;
  if (findTask(ctx, pid) === undefined) return ESRCH;
  const m = new Uint8Array(CPUMASK_SIZE);
  m[0] = 1;
  return copyOut(ctx.mem, ptr, m) ? CPUMASK_SIZE : EFAULT;
}

/** getcpu: cpu 0 and node 0 wherever a pointer is given (the third argument is unused since 2.6.24). */
function sysGetcpu(ctx: SyscallContext, a: SyscallArgs): number {
  const [cpu, node] = [a[0]!, a[1]!];
  if (cpu !== 0 && !writeU32(ctx.mem, cpu, 0)) return EFAULT;
  if (node !== 0 && !writeU32(ctx.mem, node, 0)) return EFAULT;
  return 0;
}

const MEMBARRIER_CMD_QUERY = 0;
const MEMBARRIER_CMD_GLOBAL = 1;
const MEMBARRIER_CMD_GLOBAL_EXPEDITED = 2;
const MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 4;
const MEMBARRIER_CMD_PRIVATE_EXPEDITED = 8;
const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 16;
const MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE = 32;
const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 64;
const MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ = 128;
const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ = 256;
/** Every command of 6.1 (arm64 has SYNC_CORE; CONFIG_RSEQ; no nohz_full). */
export const MEMBARRIER_CMD_BITMASK = 0x1ff;
const MEMBARRIER_CMD_FLAG_CPU = 1;

/** mm->membarrier_state's READY bits, per address space (a new one at fork and exec starts empty). */
const READY_PRIVATE = 1;
const READY_GLOBAL = 4;
const READY_SYNC_CORE = 16;
const READY_RSEQ = 64;
const membarrierState = new WeakMap<MemoryMap, number>();

function membarrierReady(mm: MemoryMap): number {
  return membarrierState.get(mm) ?? 0;
}

/** membarrier_fork: a forked process's copy of the memory keeps the registrations (dup_mm copies the state). */
export function membarrierFork(parentMm: MemoryMap, childMm: MemoryMap): void {
  const s = membarrierState.get(parentMm);
  if (s !== undefined && parentMm !== childMm) membarrierState.set(childMm, s);
}

/**
 * membarrier: with one CPU every barrier is already satisfied when the call is made (the caller is
 * the only thread running; Linux returns at once when num_online_cpus() == 1), so the commands only
 * keep the registration rules: the private expedited commands need their registration (EPERM).
 */
function sysMembarrier(ctx: SyscallContext, a: SyscallArgs): number {
  const [cmd, flags] = [a[0]! | 0, a[1]! >>> 0];
  if (cmd === MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ) {
    if (flags !== 0 && flags !== MEMBARRIER_CMD_FLAG_CPU) return EINVAL;
  } else if (flags !== 0) return EINVAL;
  const mm = ctx.task.mm;
  const ready = membarrierReady(mm);
  const register = (bit: number): number => {
    membarrierState.set(mm, ready | bit);
    return 0;
  };
  switch (cmd) {
    case MEMBARRIER_CMD_QUERY:
      return MEMBARRIER_CMD_BITMASK;
    case MEMBARRIER_CMD_GLOBAL:
    case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
      return 0;
    case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
      return register(READY_GLOBAL);
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
      return ready & READY_PRIVATE ? 0 : EPERM;
    case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
      return register(READY_PRIVATE);
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
      // Guest code is re-translated when it changes, so the core is always in sync.
      return ready & READY_SYNC_CORE ? 0 : EPERM;
    case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
      return register(READY_SYNC_CORE);
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ:
      // No other thread of the process is running on another CPU: no critical section to abort.
      return ready & READY_RSEQ ? 0 : EPERM;
    case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ:
      return register(READY_RSEQ);
    default:
      return EINVAL;
  }
}

const ROUND_ROBIN =
  'the policy is checked, kept, inherited and reported as Linux does; the scheduler stays round-robin';

export const SCHED_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'sched_setparam', args: ['pid', 'ptr'], handler: sysSchedSetparam, level: 'partial', note: ROUND_ROBIN },
  {
    name: 'sched_setscheduler',
    args: ['pid', 'int', 'ptr'],
    handler: sysSchedSetscheduler,
    level: 'partial',
    note: ROUND_ROBIN,
  },
  { name: 'sched_getscheduler', args: ['pid'], handler: sysSchedGetscheduler },
  { name: 'sched_getparam', args: ['pid', 'ptr'], handler: sysSchedGetparam },
  { name: 'sched_setaffinity', args: ['pid', 'size', 'ptr'], handler: sysSchedSetaffinity, compatAware: true },
  { name: 'sched_get_priority_max', args: ['int'], handler: sysSchedGetPriorityMax },
  { name: 'sched_get_priority_min', args: ['int'], handler: sysSchedGetPriorityMin },
  { name: 'sched_rr_get_interval', args: ['pid', 'ptr'], handler: sysSchedRrGetInterval, compatAware: true },
  { name: 'getcpu', args: ['ptr', 'ptr', 'ptr'], handler: sysGetcpu },
  {
    name: 'sched_setattr',
    args: ['pid', 'ptr', 'uint'],
    handler: sysSchedSetattr,
    level: 'partial',
    note: `${ROUND_ROBIN}; no uclamp (SCHED_FLAG_UTIL_CLAMP: EOPNOTSUPP)`,
  },
  { name: 'sched_getattr', args: ['pid', 'ptr', 'uint', 'uint'], handler: sysSchedGetattr },
  { name: 'membarrier', args: ['int', 'uint', 'int'], handler: sysMembarrier },
  {
    name: 'rseq',
    args: ['ptr', 'uint', 'hex', 'uint'],
    handler: (ctx, a) => rseqSyscall(ctx.kernel, ctx.task, a[0]!, a[1]! >>> 0, a[2]! | 0, a[3]! >>> 0),
  },
];
