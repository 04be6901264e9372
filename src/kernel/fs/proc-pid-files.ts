/**
 * The smaller files of /proc/<pid> (fs/proc/base.c): cmdline, environ and auxv read from the
 * process's memory and exec record, limits, personality, comm writes, the OOM knobs, loginuid,
 * sessionid, cgroup and children.
 */
import type { Kernel } from '../kernel.js';
import { copyIn } from '../syscalls/uaccess.js';
import type { Task } from '../task/task.js';
import type { ThreadGroup } from '../task/thread-group.js';
import { parseProcInt } from './proc-nodes.js';
import { hasExited } from './proc-task.js';
import { vfsOf } from './vfs.js';
import type { FsEnv } from './vnode.js';

const PAGE = 4096;
const EINVAL = -22;
const EACCES = -13;
const EPERM = -1;

function remote(t: Task, start: number, len: number): Uint8Array {
  if (len <= 0) return new Uint8Array(0);
  return copyIn(t.mm.as, start, len) ?? new Uint8Array(0);
}

/**
 * get_mm_cmdline: the argument strings [arg_start, arg_end). When the last byte of that range is
 * no longer NUL, the process has rewritten its title (setproctitle) and may have run on into the
 * environment: then the text up to the first NUL (at most a page, at most to env_end) is shown.
 */
export function cmdlineBytes(t: Task): Uint8Array {
  if (hasExited(t) || t.envEnd === 0 || t.argStart >= t.argEnd) return new Uint8Array(0);
  const envEnd = t.envStart !== t.argEnd || t.envEnd < t.envStart ? t.argEnd : t.envEnd;
  const last = remote(t, t.argEnd - 1, 1);
  if (last.length === 1 && last[0] !== 0) {
    const page = remote(t, t.argStart, Math.min(PAGE, envEnd - t.argStart));
    const nul = page.indexOf(0);
    return page.subarray(0, nul < 0 ? page.length : nul + 1);
  }
  return remote(t, t.argStart, t.argEnd - t.argStart);
}

/** environ_read: [env_start, env_end) of the process's memory. */
export function environBytes(t: Task): Uint8Array {
  if (hasExited(t)) return new Uint8Array(0);
  return remote(t, t.envStart, t.envEnd - t.envStart);
}

/** The saved auxv: every (type, value) pair through AT_NULL, as 64-bit words. */
export function auxvBytes(t: Task): Uint8Array {
  if (hasExited(t)) return new Uint8Array(0);
  const pairs =
    t.auxv.length > 0 && t.auxv[t.auxv.length - 1]![0] === 0 ? t.auxv : [...t.auxv, [0, 0] as [number, number]];
  const b = new Uint8Array(pairs.length * 16);
  const v = new DataView(b.buffer);
  pairs.forEach(([k, val], i) => {
    v.setBigUint64(i * 16, BigInt(k), true);
    v.setBigUint64(i * 16 + 8, BigInt(val), true);
  });
  return b;
}

const LIMIT_NAMES: readonly [string, string][] = [
  ['Max cpu time', 'seconds'],
  ['Max file size', 'bytes'],
  ['Max data size', 'bytes'],
  ['Max stack size', 'bytes'],
  ['Max core file size', 'bytes'],
  ['Max resident set', 'bytes'],
  ['Max processes', 'processes'],
  ['Max open files', 'files'],
  ['Max locked memory', 'bytes'],
  ['Max address space', 'bytes'],
  ['Max file locks', 'locks'],
  ['Max pending signals', 'signals'],
  ['Max msgqueue size', 'bytes'],
  ['Max nice priority', ''],
  ['Max realtime priority', ''],
  ['Max realtime timeout', 'us'],
];

/** proc_pid_limits: "%-25s %-20s %-20s %-10s" rows; a limit without a unit ends after its hard value's space. */
export function limitsText(t: Task): string {
  const v = (n: number) => (Number.isFinite(n) ? String(n) : 'unlimited');
  let s = `${'Limit'.padEnd(25)} ${'Soft Limit'.padEnd(20)} ${'Hard Limit'.padEnd(20)} ${'Units'.padEnd(10)}\n`;
  LIMIT_NAMES.forEach(([name, unit], i) => {
    const [soft, hard] = t.rlimits[i] ?? [0, 0];
    s += `${name.padEnd(25)} ${v(soft).padEnd(20)} ${v(hard).padEnd(20)} ${unit === '' ? '' : unit.padEnd(10)}\n`;
  });
  return s;
}

export function personalityText(t: Task): string {
  return `${(t.personality >>> 0).toString(16).padStart(8, '0')}\n`;
}

/**
 * comm_write: at most TASK_COMM_LEN - 1 (15) bytes become the name (a trailing newline included,
 * as on Linux); only a thread of the writer's own process may be renamed (else EINVAL). The whole
 * count is reported written.
 */
export function writeComm(env: FsEnv, t: Task | undefined, data: Uint8Array): number {
  if (t === undefined || hasExited(t)) return -3; // ESRCH
  if (t.tgid !== env.task.tgid) return EINVAL;
  let bytes = data.subarray(0, 15);
  const nul = bytes.indexOf(0);
  if (nul >= 0) bytes = bytes.subarray(0, nul);
  t.comm = new TextDecoder().decode(bytes);
  return data.length;
}

/** A process's OOM-killer settings (signal_struct's oom_score_adj and oom_score_adj_min). */
interface OomSettings {
  adj: number;
  adjMin: number;
}

const oomSettings = new WeakMap<ThreadGroup, OomSettings>();

const OOM_SCORE_ADJ_MIN = -1000;
const OOM_SCORE_ADJ_MAX = 1000;
const OOM_DISABLE = -17;
const OOM_ADJUST_MAX = 15;

/** The settings of g; a process that never set them has its parent's (fork copies them). */
function oomOf(g: ThreadGroup): OomSettings {
  let s = oomSettings.get(g);
  if (s === undefined) {
    const inherited = g.parent === undefined ? undefined : oomOf(g.parent);
    s = inherited === undefined ? { adj: 0, adjMin: 0 } : { ...inherited };
    oomSettings.set(g, s);
  }
  return s;
}

export function oomScoreAdjText(g: ThreadGroup): string {
  return `${oomOf(g).adj}\n`;
}

/** The legacy oom_adj: oom_score_adj scaled to -17..15. */
export function oomAdjText(g: ThreadGroup): string {
  const adj = oomOf(g).adj;
  const legacy = adj === OOM_SCORE_ADJ_MAX ? OOM_ADJUST_MAX : Math.trunc((adj * -OOM_DISABLE) / OOM_SCORE_ADJ_MAX);
  return `${legacy}\n`;
}

/** __set_oom_adj: lowering below oom_score_adj_min needs CAP_SYS_RESOURCE; a privileged write of oom_score_adj moves the minimum. */
function setOomAdj(env: FsEnv, g: ThreadGroup, adj: number, legacy: boolean): number {
  const s = oomOf(g);
  const privileged = env.task.creds.euid === 0;
  if (adj < s.adjMin && !privileged) return EACCES;
  s.adj = adj;
  if (!legacy && privileged) s.adjMin = adj;
  return 0;
}

export function writeOomScoreAdj(env: FsEnv, g: ThreadGroup | undefined, data: Uint8Array): number {
  if (g === undefined) return -3;
  const v = parseProcInt(data);
  if (!Number.isInteger(v) || v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX) return EINVAL;
  const r = setOomAdj(env, g, v, false);
  return r < 0 ? r : data.length;
}

export function writeOomAdj(env: FsEnv, g: ThreadGroup | undefined, data: Uint8Array): number {
  if (g === undefined) return -3;
  const v = parseProcInt(data);
  if (!Number.isInteger(v) || v < OOM_DISABLE || v > OOM_ADJUST_MAX) return EINVAL;
  const adj = v === OOM_ADJUST_MAX ? OOM_SCORE_ADJ_MAX : Math.trunc((v * OOM_SCORE_ADJ_MAX) / -OOM_DISABLE);
  const r = setOomAdj(env, g, adj, true);
  return r < 0 ? r : data.length;
}

/**
 * proc_oom_score: oom_badness (resident pages and page tables plus oom_score_adj per mille of
 * memory) scaled into 0..2000 as (1000 + points * 1000 / totalpages) * 2 / 3; 0 for an unkillable
 * (-1000) process.
 */
export function oomScoreText(k: Kernel, t: Task, rss: number): string {
  const g = t.group;
  const adj = oomOf(g).adj;
  if (adj === OOM_SCORE_ADJ_MIN || hasExited(t)) return '0\n';
  const total = k.phys.maxFrames;
  const points = rss + Math.ceil(t.mm.as.presentCount / 512) + Math.trunc((adj * total) / 1000);
  return `${Math.max(0, Math.trunc(((1000 + Math.trunc((points * 1000) / total)) * 2) / 3))}\n`;
}

interface AuditIds {
  loginuid: string;
  sessionid: string;
}

const auditIds = new WeakMap<Kernel, AuditIds>();
const loginuids = new WeakMap<ThreadGroup, string>();

function readHostProcFile(k: Kernel, path: string): string | undefined {
  const host = vfsOf(k).host;
  const fd = host.open(path, 0, 0);
  if (fd < 0) return undefined;
  const b = new Uint8Array(32);
  const n = host.read(fd, b, 0, b.length, undefined);
  host.close(fd);
  if (n <= 0) return undefined;
  const s = new TextDecoder().decode(b.subarray(0, n)).trim();
  return /^[0-9]+$/.test(s) ? s : undefined;
}

/** The audit ids the emulator's own login session has (4294967295: unset), inherited by every guest process. */
function auditIdsOf(k: Kernel): AuditIds {
  let ids = auditIds.get(k);
  if (ids === undefined) {
    ids = {
      loginuid: readHostProcFile(k, '/proc/self/loginuid') ?? '4294967295',
      sessionid: readHostProcFile(k, '/proc/self/sessionid') ?? '4294967295',
    };
    auditIds.set(k, ids);
  }
  return ids;
}

export function loginuidText(k: Kernel, g: ThreadGroup): string {
  for (let p: ThreadGroup | undefined = g; p !== undefined; p = p.parent) {
    const set = loginuids.get(p);
    if (set !== undefined) return `${set}\n`;
  }
  return `${auditIdsOf(k).loginuid}\n`;
}

export function sessionidText(k: Kernel): string {
  return `${auditIdsOf(k).sessionid}\n`;
}

/** proc_loginuid_write: only for the writer's own process, and only with CAP_AUDIT_CONTROL. */
export function writeLoginuid(env: FsEnv, g: ThreadGroup | undefined, data: Uint8Array): number {
  if (g === undefined) return -3;
  if (g !== env.task.group) return EPERM;
  if (env.task.creds.euid !== 0) return EPERM;
  const v = parseProcInt(data);
  if (!Number.isInteger(v) || v < -1 || v > 0xffffffff) return EINVAL;
  loginuids.set(g, String(v === -1 ? 0xffffffff : v));
  return data.length;
}

/** /proc/<pid>/cgroup on a cgroup2-only system (Debian 12): one unified hierarchy, the root cgroup. */
export function cgroupText(): string {
  return '0::/\n';
}

/** /proc/<pid>/task/<tid>/children: the pids of the processes this thread forked, each followed by a space. */
export function childrenText(t: Task): string {
  const g = t.group;
  // compat64 records the parent process, not the thread: children are listed under the leader.
  if (t !== g.leader) return '';
  return [...g.children]
    .filter((c) => c.state !== 'reaped')
    .map((c) => `${c.tgid} `)
    .join('');
}
