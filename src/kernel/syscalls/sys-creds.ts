/**
 * Credentials (kernel/sys.c, kernel/groups.c): setuid/setgid, setreuid/setregid, setresuid/setresgid,
 * getresuid/getresgid, setfsuid/setfsgid, getgroups/setgroups. compat64 grants capabilities to euid 0
 * only (as /proc/PID/status CapEff shows), so CAP_SETUID/CAP_SETGID means "euid is 0". As in Linux's
 * commit_creds, a change of the effective or filesystem ids makes the process non-dumpable
 * (suid_dumpable 0) and clears its parent-death signal. The ids are per thread in Linux; glibc's
 * set*id wrappers apply them to every thread themselves (SIGSETXID), so per-task state is right.
 */
import { setDumpable } from '../security/ptrace/ptrace-access.js';
import type { Creds, Task } from '../task/task.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut, writeU32 } from './uaccess.js';

const EPERM = -1;
const EFAULT = -14;
const EINVAL = -22;
/** (uid_t)-1: "leave unchanged" in set*id, and never a valid id. */
const NO_ID = 0xffffffff;
const NGROUPS_MAX = 65536;
const SUID_DUMP_DISABLE = 0;

type Id = 'uid' | 'gid';

/** The three ids and fs id of one kind, by field name. */
const FIELDS = {
  uid: { r: 'uid', e: 'euid', s: 'suid', fs: 'fsuid' },
  gid: { r: 'gid', e: 'egid', s: 'sgid', fs: 'fsgid' },
} as const;

function capable(task: Task): boolean {
  return task.creds.euid === 0;
}

/** commit_creds: install new credentials; side effects when the effective or fs ids change. */
function commit(task: Task, next: Creds): number {
  const old = task.creds;
  if (next.euid !== old.euid || next.egid !== old.egid || next.fsuid !== old.fsuid || next.fsgid !== old.fsgid) {
    setDumpable(task.mm, SUID_DUMP_DISABLE);
    task.pdeathsig = 0;
  }
  task.creds = next;
  return 0;
}

function setId(task: Task, kind: Id, id: number): number {
  if (id === NO_ID) return EINVAL;
  const f = FIELDS[kind];
  const c = task.creds;
  const next = { ...c };
  if (capable(task)) {
    next[f.r] = next[f.e] = next[f.s] = id;
  } else if (id === c[f.r] || id === c[f.s]) {
    next[f.e] = id;
  } else return EPERM;
  next[f.fs] = next[f.e];
  return commit(task, next);
}

function setReId(task: Task, kind: Id, r: number, e: number): number {
  const f = FIELDS[kind];
  const c = task.creds;
  const cap = capable(task);
  const next = { ...c };
  if (r !== NO_ID) {
    if (!cap && r !== c[f.r] && r !== c[f.e]) return EPERM;
    next[f.r] = r;
  }
  if (e !== NO_ID) {
    if (!cap && e !== c[f.r] && e !== c[f.e] && e !== c[f.s]) return EPERM;
    next[f.e] = e;
  }
  // The saved id follows the effective one when the real id is set or the effective id moves away from the real.
  if (r !== NO_ID || (e !== NO_ID && e !== c[f.r])) next[f.s] = next[f.e];
  next[f.fs] = next[f.e];
  return commit(task, next);
}

function setResId(task: Task, kind: Id, r: number, e: number, s: number): number {
  const f = FIELDS[kind];
  const c = task.creds;
  if (!capable(task)) {
    const allowed = (v: number) => v === NO_ID || v === c[f.r] || v === c[f.e] || v === c[f.s];
    if (!allowed(r) || !allowed(e) || !allowed(s)) return EPERM;
  }
  const next = { ...c };
  if (r !== NO_ID) next[f.r] = r;
  if (e !== NO_ID) next[f.e] = e;
  if (s !== NO_ID) next[f.s] = s;
  next[f.fs] = next[f.e];
  return commit(task, next);
}

function getResId(ctx: SyscallContext, kind: Id, a: readonly number[]): number {
  const f = FIELDS[kind];
  const c = ctx.task.creds;
  const ok = writeU32(ctx.mem, a[0]!, c[f.r]) && writeU32(ctx.mem, a[1]!, c[f.e]) && writeU32(ctx.mem, a[2]!, c[f.s]);
  return ok ? 0 : EFAULT;
}

/** setfsuid/setfsgid return the old value whether or not they changed it (no error path). */
function setFsId(task: Task, kind: Id, id: number): number {
  const f = FIELDS[kind];
  const c = task.creds;
  const old = c[f.fs];
  if (id === NO_ID) return old;
  if (id === c[f.r] || id === c[f.e] || id === c[f.s] || id === c[f.fs] || capable(task)) {
    if (id !== old) commit(task, { ...c, [f.fs]: id });
  }
  return old;
}

function sysGetgroups(ctx: SyscallContext, a: readonly number[]): number {
  const size = a[0]! | 0;
  const groups = ctx.task.creds.groups;
  if (size < 0) return EINVAL;
  if (size === 0) return groups.length;
  if (size < groups.length) return EINVAL;
  const b = new Uint8Array(4 * groups.length);
  const v = new DataView(b.buffer);
  for (let i = 0; i < groups.length; i++) v.setUint32(4 * i, groups[i]!, true);
  return copyOut(ctx.mem, a[1]!, b) ? groups.length : EFAULT;
}

/** set_current_groups after may_setgroups: the caller must be privileged; the list is kept sorted. */
export function setGroups(task: Task, groups: readonly number[]): number {
  if (!capable(task)) return EPERM;
  return commit(task, { ...task.creds, groups: [...groups].sort((x, y) => x - y) });
}

function sysSetgroups(ctx: SyscallContext, a: readonly number[]): number {
  const size = a[0]! | 0;
  if (!capable(ctx.task)) return EPERM;
  if (size < 0 || size > NGROUPS_MAX) return EINVAL;
  const b = size === 0 ? new Uint8Array(0) : copyIn(ctx.mem, a[1]!, 4 * size);
  if (b === null) return EFAULT;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const groups = Array.from({ length: size }, (_, i) => v.getUint32(4 * i, true)).sort((x, y) => x - y);
  return commit(ctx.task, { ...ctx.task.creds, groups });
}

export const CREDS_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'setuid', args: ['uint'], handler: (c, a) => setId(c.task, 'uid', a[0]! >>> 0) },
  { name: 'setgid', args: ['uint'], handler: (c, a) => setId(c.task, 'gid', a[0]! >>> 0) },
  { name: 'setreuid', args: ['uint', 'uint'], handler: (c, a) => setReId(c.task, 'uid', a[0]! >>> 0, a[1]! >>> 0) },
  { name: 'setregid', args: ['uint', 'uint'], handler: (c, a) => setReId(c.task, 'gid', a[0]! >>> 0, a[1]! >>> 0) },
  {
    name: 'setresuid',
    args: ['uint', 'uint', 'uint'],
    handler: (c, a) => setResId(c.task, 'uid', a[0]! >>> 0, a[1]! >>> 0, a[2]! >>> 0),
  },
  {
    name: 'setresgid',
    args: ['uint', 'uint', 'uint'],
    handler: (c, a) => setResId(c.task, 'gid', a[0]! >>> 0, a[1]! >>> 0, a[2]! >>> 0),
  },
  { name: 'getresuid', args: ['ptr', 'ptr', 'ptr'], handler: (c, a) => getResId(c, 'uid', a) },
  { name: 'getresgid', args: ['ptr', 'ptr', 'ptr'], handler: (c, a) => getResId(c, 'gid', a) },
  { name: 'setfsuid', args: ['uint'], handler: (c, a) => setFsId(c.task, 'uid', a[0]! >>> 0) },
  { name: 'setfsgid', args: ['uint'], handler: (c, a) => setFsId(c.task, 'gid', a[0]! >>> 0) },
  { name: 'getgroups', args: ['int', 'ptr'], handler: sysGetgroups },
  { name: 'setgroups', args: ['int', 'ptr'], handler: sysSetgroups },
];
