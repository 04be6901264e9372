/**
 * Compat-only process calls: the 16-bit id calls (uid16.c: getuid, getresuid, … 24–50, 164–171),
 * sysinfo (116, compat_sys_sysinfo), getrlimit/setrlimit (191/75, compat_rlimit), times (43, compat_tms), sched_getaffinity (242, compat_ulong bitmap) and the
 * compat robust-list head (338/339, compat_robust_list_head). Layouts are ctx.abi's ILP32 views.
 */
import { writeStruct } from '../abi/marshal.js';
import { RLIMIT_STACK } from '../task/task.js';
import { lowId } from './compat-fs-stat.js';
import { callNative } from './compat-native.js';
import { setGroups } from './sys-creds.js';
import { niceBy } from './sys-priority.js';
import { sigsuspendWith, sysPause } from './sys-signal.js';
import type { SyscallArgs, SyscallContext, SyscallHandler } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EPERM = -1;
const ESRCH = -3;
const EFAULT = -14;
const EINVAL = -22;
const PAGE_SIZE = 4096;
const TWO32 = 4294967296;
/** COMPAT_RLIM_INFINITY on arm64. */
const COMPAT_RLIM_INFINITY = 0xffffffff;

/** A native id getter (getuid, …) as its 16-bit compat twin: an id above 65535 reads as 65534. */
export function id16(native: string): SyscallHandler {
  return (ctx, a) => {
    const r = callNative(native, ctx, a);
    return typeof r === 'number' ? (r < 0 ? r : lowId(r)) : r.then((v) => (v < 0 ? v : lowId(v)));
  };
}

/** low2highuid: a 16-bit id argument, (u16)-1 meaning "unchanged" (-1). */
export function highId(id16: number): number {
  const v = id16 & 0xffff;
  return v === 0xffff ? -1 : v;
}

/** getresuid16/getresgid16: three u16 ids, each through high2lowuid. */
function getres16(ctx: SyscallContext, a: SyscallArgs, ids: readonly number[]): number {
  for (let i = 0; i < 3; i++) {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, lowId(ids[i]!), true);
    if (!copyOut(ctx.mem, a[i]!, b)) return EFAULT;
  }
  return 0;
}

export function compatGetresuid16(ctx: SyscallContext, a: SyscallArgs): number {
  const c = ctx.task.creds;
  return getres16(ctx, a, [c.uid, c.euid, c.suid]);
}

export function compatGetresgid16(ctx: SyscallContext, a: SyscallArgs): number {
  const c = ctx.task.creds;
  return getres16(ctx, a, [c.gid, c.egid, c.sgid]);
}

/**
 * sysinfo (116): the values arm64's sysinfo reports, in compat_sysinfo. When a memory size needs
 * more than 32 bits, mem_unit grows to the page size and every memory field is scaled down by it
 * (kernel/sys.c compat_sys_sysinfo).
 */
export function compatSysinfo(ctx: SyscallContext, a: SyscallArgs): number {
  const k = ctx.kernel;
  const total = k.phys.maxFrames * PAGE_SIZE;
  const free = Math.max(0, total - k.phys.framesInUse * PAGE_SIZE);
  const wide = total >= TWO32;
  const unit = wide ? PAGE_SIZE : 1;
  const layout = ctx.abi.sysinfo;
  const b = new Uint8Array(layout.size);
  writeStruct(layout, new DataView(b.buffer), 0, {
    uptime: Math.floor((k.host.monotonicNs() - k.bootNs) / 1e9),
    totalram: Math.floor(total / unit),
    freeram: Math.floor(free / unit),
    procs: k.tasks.size,
    mem_unit: unit,
  });
  return copyOut(ctx.mem, a[0]!, b) ? 0 : EFAULT;
}

/** getrlimit/ugetrlimit (191): compat_rlimit; a limit above 32 bits (RLIM_INFINITY too) reads as COMPAT_RLIM_INFINITY. */
export function compatGetrlimit(ctx: SyscallContext, a: SyscallArgs): number {
  const [resource, addr] = a as [number, number];
  const lim = ctx.task.rlimits[resource];
  if (lim === undefined) return EINVAL;
  const clamp = (v: number) => (Number.isFinite(v) && v < COMPAT_RLIM_INFINITY ? v : COMPAT_RLIM_INFINITY);
  const layout = ctx.abi.rlimit;
  const b = new Uint8Array(layout.size);
  writeStruct(layout, new DataView(b.buffer), 0, { rlim_cur: clamp(lim[0]), rlim_max: clamp(lim[1]) });
  return copyOut(ctx.mem, addr, b) ? 0 : EFAULT;
}

/**
 * setrlimit (75): compat_rlimit, COMPAT_RLIM_INFINITY meaning RLIM_INFINITY, then the checks
 * arm64's prlimit makes (soft above hard: EINVAL; raising the hard limit needs root: EPERM).
 */
export function compatSetrlimit(ctx: SyscallContext, a: SyscallArgs): number {
  const [resource, addr] = a as [number, number];
  const lim = ctx.task.rlimits[resource];
  if (lim === undefined) return EINVAL;
  const b = copyIn(ctx.mem, addr, 8);
  if (b === null) return EFAULT;
  const v = new DataView(b.buffer);
  const wide = (x: number) => (x === COMPAT_RLIM_INFINITY ? Number.POSITIVE_INFINITY : x);
  const next: [number, number] = [wide(v.getUint32(0, true)), wide(v.getUint32(4, true))];
  if (next[0] > next[1]) return EINVAL;
  if (next[1] > lim[1] && ctx.task.creds.euid !== 0) return EPERM;
  ctx.task.rlimits[resource] = next;
  if (resource === RLIMIT_STACK) ctx.mm.stackLimit = next[0];
  return 0;
}

/** clock_t ticks (USER_HZ = 100) in ns nanoseconds, as arm64's times counts them. */
const ticks = (ns: number) => Math.floor(ns / 1e7);

/** times (43): compat_tms (four compat_clock_t); the result is the clock_t arm64's times returns, truncated to 32 bits. */
export function compatTimes(ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  if (a[0] !== 0) {
    const layout = ctx.abi.tms;
    const b = new Uint8Array(layout.size);
    writeStruct(layout, new DataView(b.buffer), 0, { tms_utime: ticks(ctx.kernel.host.cpuTimeNs()) | 0 });
    if (!copyOut(ctx.mem, a[0]!, b)) return EFAULT;
  }
  return callNative('times', ctx, [0]);
}

/**
 * sched_getaffinity (242): compat_ulong_t words. len must hold the CPUs and be a multiple of 4;
 * the mask (one CPU) is min(len, cpumask size) bytes, the size returned.
 */
export function compatSchedGetaffinity(ctx: SyscallContext, a: SyscallArgs): number {
  const [pid, len, ptr] = a as [number, number, number];
  if (len < 4 || len % 4 !== 0) return EINVAL;
  if (pid !== 0 && pid !== ctx.task.tid) return ESRCH;
  const n = Math.min(len, 8);
  const m = new Uint8Array(n);
  m[0] = 1;
  return copyOut(ctx.mem, ptr, m) ? n : EFAULT;
}

/** sizeof(struct compat_robust_list_head) */
const COMPAT_ROBUST_LIST_HEAD_SIZE = 12;

/** set_robust_list (338): the compat head, independent of the native one; len must be 12. */
export function compatSetRobustList(ctx: SyscallContext, a: SyscallArgs): number {
  if (a[1] !== COMPAT_ROBUST_LIST_HEAD_SIZE) return EINVAL;
  ctx.task.compatRobustListHead = a[0]!;
  return 0;
}

/** get_robust_list (339): the compat head and its size, as two u32s. */
export function compatGetRobustList(ctx: SyscallContext, a: SyscallArgs): number {
  const [pid, headPtr, lenPtr] = a as [number, number, number];
  if (pid !== 0 && pid !== ctx.task.tid) return ESRCH;
  const b = new Uint8Array(4);
  const v = new DataView(b.buffer);
  v.setUint32(0, ctx.task.compatRobustListHead >>> 0, true);
  if (!copyOut(ctx.mem, headPtr, b)) return EFAULT;
  v.setUint32(0, COMPAT_ROBUST_LIST_HEAD_SIZE, true);
  return copyOut(ctx.mem, lenPtr, b) ? 0 : EFAULT;
}

/** NGROUPS_MAX: the most supplementary groups a list may have. */
const NGROUPS_MAX = 65536;

/** getgroups16: the groups as 16-bit ids (high2lowgid), or their count when size is 0. */
export function compatGetgroups16(ctx: SyscallContext, a: SyscallArgs): number {
  const size = a[0]! | 0;
  const groups = ctx.task.creds.groups;
  if (size < 0) return EINVAL;
  if (size === 0) return groups.length;
  if (size < groups.length) return EINVAL;
  const b = new Uint8Array(2 * groups.length);
  const v = new DataView(b.buffer);
  for (let i = 0; i < groups.length; i++) v.setUint16(2 * i, lowId(groups[i]!), true);
  return copyOut(ctx.mem, a[1]!, b) ? groups.length : EFAULT;
}

/** setgroups16: 16-bit ids (low2highgid: 0xffff is (gid_t)-1); the permission check comes first. */
export function compatSetgroups16(ctx: SyscallContext, a: SyscallArgs): number {
  const size = a[0]! >>> 0;
  if (ctx.task.creds.euid !== 0) return EPERM;
  if (size > NGROUPS_MAX) return EINVAL;
  const b = size === 0 ? new Uint8Array(0) : copyIn(ctx.mem, a[1]!, 2 * size);
  if (b === null) return EFAULT;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const groups = Array.from({ length: size }, (_, i) => {
    const g = v.getUint16(2 * i, true);
    return g === 0xffff ? 0xffffffff : g;
  });
  return setGroups(ctx.task, groups);
}

/** nice (34): the AArch32 table's sys_nice. */
export function compatNice(ctx: SyscallContext, a: SyscallArgs): number {
  return niceBy(ctx.task, a[0]! | 0);
}

/** pause (29): sys_pause. */
export function compatPause(ctx: SyscallContext): Promise<number> {
  return sysPause(ctx.task);
}

/**
 * sigsuspend (72): ARM's three-argument form; the mask is an old_sigset_t (the first 32 signals),
 * the others are unblocked while it waits (siginitset).
 */
export function compatSigsuspend(ctx: SyscallContext, a: SyscallArgs): Promise<number> {
  return sigsuspendWith(ctx.task, a[2]! | 0, 0);
}

/** sigpending (73): the first 32 bits of the pending-and-blocked set (compat_old_sigset_t). */
export function compatSigpending(ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  return callNative('rt_sigpending', ctx, [a[0]!, 4]);
}
