/**
 * /proc/<pid>/stat, /proc/<pid>/statm and /proc/<pid>/status as Linux 6.1 prints them
 * (fs/proc/array.c: do_task_stat, proc_pid_statm, proc_pid_status). Each file is a plain record
 * (StatFields, StatusFields) gathered from the task, and a formatter that prints it; the memory
 * lines of status are mm's (formatVmStatus), its page counts mm's (rssPages).
 *
 * What compat64 does not track reads as 0: page faults, context switches, delay accounting, guest
 * time. An exited task has no memory (exit_mm ran): its memory fields are 0 and status has no Vm
 * lines, as for a Linux zombie.
 */

import { formatVmStatus, rssPages } from '../mm/proc-maps.js';
import { inPtraceStop, tracerPidOf } from '../security/ptrace/ptrace-state.js';
import type { SeccompFilter } from '../security/seccomp/seccomp-state.js';
import { procPriority, schedOf } from '../task/sched-policy.js';
import { RLIMIT_SIGPENDING, type Task } from '../task/task.js';
import { unicodeToByteString } from './byte-string.js';
import { execLayoutOf } from './proc-exec-layout.js';
import {
  controllingTty,
  exitCodeOf,
  exitSignalOf,
  groupCpuNs,
  hasExited,
  nrThreads,
  nsToTicks,
  STATE_NAMES,
  type StateLetter,
  startTimeNs,
  taskCpuNs,
  taskFlags,
  taskState,
} from './proc-task.js';
import type { FsEnv } from './vnode.js';

/** The scheduler's letter, or 't' for a task held in a ptrace stop (TASK_TRACED). */
type ProcState = StateLetter | 't';

function stateOf(env: FsEnv, t: Task): ProcState {
  return inPtraceStop(t) ? 't' : taskState(env, t);
}

const PAGE = 4096;
const U64_MAX = '18446744073709551615';
const RLIMIT_RSS = 5;
/** CAP_LAST_CAP is 40 (CAP_CHECKPOINT_RESTORE): the full set is 41 bits. */
const CAP_FULL = '000001ffffffffff';
const CAP_NONE = '0000000000000000';

/** The 52 fields of /proc/<pid>/stat, in order. Numbers are printed in decimal; Infinity as 2^64-1. */
export interface StatFields {
  pid: number;
  /** comm as a byte string (not escaped: stat prints it raw between parentheses). */
  comm: string;
  state: ProcState;
  ppid: number;
  pgrp: number;
  session: number;
  ttyNr: number;
  tpgid: number;
  flags: number;
  minFlt: number;
  cminFlt: number;
  majFlt: number;
  cmajFlt: number;
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
  priority: number;
  nice: number;
  numThreads: number;
  startTime: number;
  vsize: number;
  rss: number;
  rsslim: number;
  startCode: number;
  endCode: number;
  startStack: number;
  kstkEsp: number;
  kstkEip: number;
  signal: number;
  blocked: number;
  sigignore: number;
  sigcatch: number;
  wchan: number;
  exitSignal: number;
  processor: number;
  rtPriority: number;
  policy: number;
  delayacctBlkioTicks: number;
  guestTime: number;
  cguestTime: number;
  startData: number;
  endData: number;
  startBrk: number;
  argStart: number;
  argEnd: number;
  envStart: number;
  envEnd: number;
  exitCode: number;
}

function u64(n: number): string {
  return Number.isFinite(n) ? String(n) : U64_MAX;
}

export function formatStat(f: StatFields): string {
  const rest = [
    f.ppid,
    f.pgrp,
    f.session,
    f.ttyNr,
    f.tpgid,
    f.flags,
    f.minFlt,
    f.cminFlt,
    f.majFlt,
    f.cmajFlt,
    f.utime,
    f.stime,
    f.cutime,
    f.cstime,
    f.priority,
    f.nice,
    f.numThreads,
    0, // itrealvalue, always 0 since 2.6.17
    f.startTime,
    f.vsize,
    f.rss,
    f.rsslim,
    f.startCode,
    f.endCode,
    f.startStack,
    f.kstkEsp,
    f.kstkEip,
    f.signal,
    f.blocked,
    f.sigignore,
    f.sigcatch,
    f.wchan,
    0, // nswap
    0, // cnswap
    f.exitSignal,
    f.processor,
    f.rtPriority,
    f.policy,
    f.delayacctBlkioTicks,
    f.guestTime,
    f.cguestTime,
    f.startData,
    f.endData,
    f.startBrk,
    f.argStart,
    f.argEnd,
    f.envStart,
    f.envEnd,
    f.exitCode,
  ];
  return `${f.pid} (${f.comm}) ${f.state} ${rest.map(u64).join(' ')}\n`;
}

/** SIG_IGN and caught signals of the task's dispositions, as 64-bit masks split in words (bit n-1 = signal n). */
function dispositionMasks(t: Task): { ign: [number, number]; cgt: [number, number] } {
  const ign: [number, number] = [0, 0];
  const cgt: [number, number] = [0, 0];
  t.signals.actions.forEach((a, sig) => {
    if (sig === 0 || sig > 64 || a.handler === 0) return;
    const set = a.handler === 1 ? ign : cgt;
    const bit = (1 << ((sig - 1) % 32)) >>> 0;
    if (sig <= 32) set[0] = (set[0] | bit) >>> 0;
    else set[1] = (set[1] | bit) >>> 0;
  });
  return { ign, cgt };
}

/** The comm of a task as /proc shows it: the UTF-8 bytes of the name exec or PR_SET_NAME gave it. */
export function commBytes(t: Task): string {
  return unicodeToByteString(t.comm);
}

/**
 * do_task_stat: whole is true for /proc/<pid>/stat (CPU times of the whole process, wchan only for
 * a single-threaded one), false for /proc/<pid>/task/<tid>/stat.
 */
export function statFieldsOf(env: FsEnv, t: Task, pid: number, whole: boolean): StatFields {
  const k = env.kernel;
  const g = t.group;
  const live = !hasExited(t);
  const threads = nrThreads(k, g);
  const tty = controllingTty(k, g);
  const times = whole ? groupCpuNs(g) : taskCpuNs(t);
  const { ign, cgt } = dispositionMasks(t);
  const state = stateOf(env, t);
  const layout = live ? execLayoutOf(t) : undefined;
  let vsize = 0;
  let rss = 0;
  if (live) {
    const r = rssPages(t.mm);
    vsize = t.mm.totalVm * PAGE;
    rss = r.anon + r.file + r.shmem;
  }
  const sleeping = state !== 'R' && state !== 'Z';
  return {
    pid,
    comm: commBytes(t),
    state,
    ppid: g.ppid,
    pgrp: g.pgid,
    session: g.sid,
    ttyNr: tty.nr,
    tpgid: tty.pgrp,
    flags: taskFlags(t),
    minFlt: 0,
    cminFlt: 0,
    majFlt: 0,
    cmajFlt: 0,
    utime: nsToTicks(times.userNs),
    stime: nsToTicks(times.sysNs),
    cutime: nsToTicks(g.reapedChildren.userNs),
    cstime: nsToTicks(g.reapedChildren.sysNs),
    priority: procPriority(t),
    nice: t.nice,
    numThreads: threads,
    startTime: nsToTicks(startTimeNs(k, t)),
    vsize,
    rss,
    rsslim: t.rlimits[RLIMIT_RSS]?.[0] ?? Number.POSITIVE_INFINITY,
    startCode: layout?.startCode ?? 0,
    endCode: layout?.endCode ?? 0,
    startStack: layout?.startStack ?? 0,
    kstkEsp: 0,
    kstkEip: 0,
    signal: t.signals.pending.set.lo & 0x7fffffff,
    blocked: t.signals.blocked.lo & 0x7fffffff,
    sigignore: ign[0] & 0x7fffffff,
    sigcatch: cgt[0] & 0x7fffffff,
    wchan: sleeping && (!whole || threads < 2) ? 1 : 0,
    exitSignal: exitSignalOf(t),
    processor: 0,
    rtPriority: schedOf(t).rtPriority,
    policy: schedOf(t).policy,
    delayacctBlkioTicks: 0,
    guestTime: 0,
    cguestTime: 0,
    startData: layout?.startData ?? 0,
    endData: layout?.endData ?? 0,
    startBrk: live ? t.mm.brkStart : 0,
    argStart: live ? t.argStart : 0,
    argEnd: live ? t.argEnd : 0,
    envStart: live ? t.envStart : 0,
    envEnd: live ? t.envEnd : 0,
    exitCode: exitCodeOf(t, whole),
  };
}

/** proc_pid_statm: size resident shared text lib data dt, in pages (lib and dt are always 0). */
export function statmText(t: Task): string {
  if (hasExited(t)) return '0 0 0 0 0 0 0\n';
  const mm = t.mm;
  const r = rssPages(mm);
  const { startCode, endCode } = execLayoutOf(t);
  const text = endCode > startCode ? Math.ceil(endCode / PAGE) - Math.floor(startCode / PAGE) : 0;
  const shared = r.file + r.shmem;
  return `${mm.totalVm} ${shared + r.anon} ${shared} ${text} 0 ${mm.dataVm + mm.stackVm} 0\n`;
}

/** The fields of /proc/<pid>/status, in the order printed. */
export interface StatusFields {
  /** comm as a byte string. */
  name: string;
  /** Absent once the task has let go of its fs context. */
  umask: number | undefined;
  state: ProcState;
  tgid: number;
  ngid: number;
  pid: number;
  ppid: number;
  tracerPid: number;
  uids: [number, number, number, number];
  gids: [number, number, number, number];
  fdSize: number;
  groups: number[];
  nsTgid: number;
  nsPid: number;
  nsPgid: number;
  nsSid: number;
  /** mm's Vm* … HugetlbPages lines; absent without memory (a zombie). */
  vm: string | undefined;
  coreDumping: number;
  thpEnabled: number;
  threads: number;
  sigQ: [number, number];
  /** Signal sets as [bits 0-31, bits 32-63]. */
  sigPnd: [number, number];
  shdPnd: [number, number];
  sigBlk: [number, number];
  sigIgn: [number, number];
  sigCgt: [number, number];
  /** Capability sets as 16 hex digits. */
  capInh: string;
  capPrm: string;
  capEff: string;
  capBnd: string;
  capAmb: string;
  noNewPrivs: number;
  seccomp: number;
  seccompFilters: number;
  speculationStoreBypass: string;
  speculationIndirectBranch: string;
  cpusAllowed: string;
  cpusAllowedList: string;
  memsAllowed: string;
  memsAllowedList: string;
  voluntaryCtxtSwitches: number;
  nonvoluntaryCtxtSwitches: number;
}

/** render_sigset_t: 64 bits as 16 hex digits, signal 64 first. */
function sigsetHex([lo, hi]: [number, number]): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** proc_task_name with escaping: only '\n' and '\\' are escaped in status. */
function escapeName(name: string): string {
  return name.replace(/[\n\\]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

export function formatStatus(s: StatusFields): string {
  const lines = [
    `Name:\t${escapeName(s.name)}`,
    ...(s.umask === undefined ? [] : [`Umask:\t${s.umask.toString(8).padStart(4, '0')}`]),
    `State:\t${s.state === 't' ? 't (tracing stop)' : STATE_NAMES[s.state]}`,
    `Tgid:\t${s.tgid}`,
    `Ngid:\t${s.ngid}`,
    `Pid:\t${s.pid}`,
    `PPid:\t${s.ppid}`,
    `TracerPid:\t${s.tracerPid}`,
    `Uid:\t${s.uids.join('\t')}`,
    `Gid:\t${s.gids.join('\t')}`,
    `FDSize:\t${s.fdSize}`,
    // The trailing space "shouldn't have been added in the first place" (array.c) but is there.
    `Groups:\t${s.groups.join(' ')} `,
    `NStgid:\t${s.nsTgid}`,
    `NSpid:\t${s.nsPid}`,
    `NSpgid:\t${s.nsPgid}`,
    `NSsid:\t${s.nsSid}`,
  ];
  const mem = s.vm === undefined ? '' : `${s.vm}CoreDumping:\t${s.coreDumping}\nTHP_enabled:\t${s.thpEnabled}\n`;
  const after = [
    `Threads:\t${s.threads}`,
    `SigQ:\t${s.sigQ[0]}/${u64(s.sigQ[1])}`,
    `SigPnd:\t${sigsetHex(s.sigPnd)}`,
    `ShdPnd:\t${sigsetHex(s.shdPnd)}`,
    `SigBlk:\t${sigsetHex(s.sigBlk)}`,
    `SigIgn:\t${sigsetHex(s.sigIgn)}`,
    `SigCgt:\t${sigsetHex(s.sigCgt)}`,
    `CapInh:\t${s.capInh}`,
    `CapPrm:\t${s.capPrm}`,
    `CapEff:\t${s.capEff}`,
    `CapBnd:\t${s.capBnd}`,
    `CapAmb:\t${s.capAmb}`,
    `NoNewPrivs:\t${s.noNewPrivs}`,
    `Seccomp:\t${s.seccomp}`,
    `Seccomp_filters:\t${s.seccompFilters}`,
    `Speculation_Store_Bypass:\t${s.speculationStoreBypass}`,
    `SpeculationIndirectBranch:\t${s.speculationIndirectBranch}`,
    `Cpus_allowed:\t${s.cpusAllowed}`,
    `Cpus_allowed_list:\t${s.cpusAllowedList}`,
    `Mems_allowed:\t${s.memsAllowed}`,
    `Mems_allowed_list:\t${s.memsAllowedList}`,
    `voluntary_ctxt_switches:\t${s.voluntaryCtxtSwitches}`,
    `nonvoluntary_ctxt_switches:\t${s.nonvoluntaryCtxtSwitches}`,
  ];
  return `${lines.join('\n')}\n${mem}${after.join('\n')}\n`;
}

/**
 * The fd table's size (max_fds): NR_OPEN_DEFAULT (64) until an fd beyond it is used, then
 * expand_fdtable's sizes (multiples of 128 file pointers per KiB, rounded up to a power of two).
 */
function fdTableSize(t: Task): number {
  const highest = t.files.fds().at(-1) ?? 0;
  if (highest < 64) return 64;
  const perKb = 1024 / 8;
  return 2 ** Math.ceil(Math.log2(Math.floor(highest / perKb) + 1)) * perKb;
}

/** Signals queued by the task's user across the system (the user's sigpending count, SigQ's first number). */
function queuedByUser(env: FsEnv, uid: number): number {
  let n = 0;
  const groups = new Set<object>();
  for (const t of env.kernel.tasks.values()) {
    if (t.creds.uid !== uid) continue;
    n += t.signals.pending.queue.length;
    const shared = t.signals.group.shared;
    if (!groups.has(shared)) {
      groups.add(shared);
      n += shared.queue.length;
    }
  }
  return n;
}

/** proc_pid_status for the task, reached as pid (its tid in a task/ directory, or the /proc/<n> it was looked up by). */
export function statusFieldsOf(env: FsEnv, t: Task): StatusFields {
  const k = env.kernel;
  const g = t.group;
  const c = t.creds;
  const live = !hasExited(t);
  const { ign, cgt } = dispositionMasks(t);
  const caps = c.euid === 0 ? CAP_FULL : CAP_NONE;
  let vm: string | undefined;
  if (live) {
    const { startCode, endCode } = execLayoutOf(t);
    const text = endCode > startCode ? Math.ceil(endCode / PAGE) * PAGE - Math.floor(startCode / PAGE) * PAGE : 0;
    vm = formatVmStatus(t.mm, text);
  }
  const p = t.signals.pending.set;
  const sh = t.signals.group.shared.set;
  return {
    name: commBytes(t),
    umask: live ? t.fs.umask : undefined,
    state: stateOf(env, t),
    tgid: t.tgid,
    ngid: 0,
    pid: t.tid,
    ppid: g.ppid,
    tracerPid: tracerPidOf(t),
    uids: [c.uid, c.euid, c.suid, c.fsuid],
    gids: [c.gid, c.egid, c.sgid, c.fsgid],
    fdSize: live ? fdTableSize(t) : 0,
    groups: [...c.groups],
    nsTgid: t.tgid,
    nsPid: t.tid,
    nsPgid: g.pgid,
    nsSid: g.sid,
    vm,
    coreDumping: 0,
    thpEnabled: 1,
    threads: nrThreads(k, g),
    sigQ: [queuedByUser(env, c.uid), t.rlimits[RLIMIT_SIGPENDING]?.[0] ?? 0],
    sigPnd: [p.lo, p.hi],
    shdPnd: [sh.lo, sh.hi],
    sigBlk: [t.signals.blocked.lo, t.signals.blocked.hi],
    sigIgn: ign,
    sigCgt: cgt,
    capInh: CAP_NONE,
    capPrm: caps,
    capEff: caps,
    capBnd: CAP_FULL,
    capAmb: CAP_NONE,
    noNewPrivs: t.noNewPrivs ? 1 : 0,
    seccomp: t.seccomp.mode,
    seccompFilters: seccompFilterCount(t.seccomp.filter),
    // Cortex-A72 is affected by Spectre-v4 and mitigated per thread through firmware (ssbd_prctl_get).
    speculationStoreBypass: 'thread vulnerable',
    // arm64 has no PR_SPEC_INDIRECT_BRANCH control (-ENODEV).
    speculationIndirectBranch: 'unknown',
    // One CPU (nr_cpu_ids 1); MAX_NUMNODES 16 (Debian's arm64 NODES_SHIFT=4).
    cpusAllowed: '1',
    cpusAllowedList: '0',
    memsAllowed: '0001',
    memsAllowedList: '0',
    voluntaryCtxtSwitches: 0,
    nonvoluntaryCtxtSwitches: 0,
  };
}

export function statText(env: FsEnv, t: Task, pid: number, whole: boolean): string {
  return formatStat(statFieldsOf(env, t, pid, whole));
}

export function statusText(env: FsEnv, t: Task): string {
  return formatStatus(statusFieldsOf(env, t));
}

/** Seccomp_filters: the filters attached to the task's chain. */
function seccompFilterCount(f: SeccompFilter | undefined): number {
  let n = 0;
  for (let p = f; p !== undefined; p = p.prev) n++;
  return n;
}
