/**
 * System V semaphores: semget, semop, semtimedop, semctl (ipc/sem.c, Linux 6.1). The sets live in
 * kernel/ipc/sem-array.ts. The handlers follow the calling ABI: semtimedop reads its timeout through
 * ctx.abi.timespec (old_timespec32 for compat semtimedop 312, __kernel_timespec natively and for
 * semtimedop_time64 420); compat semctl is arm64's compat_sys_old_semctl — the semun argument is a
 * 32-bit value (SETVAL's int or a pointer), IPC_64 in cmd picks compat_semid64_ds and its absence the
 * old compat_semid_ds.
 */
import { ERRNO } from '../abi/errno.js';
import { type FieldSpecs, ILP32_EABI, LP64, layoutOf, type StructLayout } from '../abi/layout.js';
import { readStruct, structBytes } from '../abi/marshal.js';
import { IPC_64, IPC_INFO, IPC_RMID, IPC_SET, IPC_STAT, type IpcCaller, ipcCaller } from '../ipc/ipc-ids.js';
import { compat_semid_ds, compat_semid64_ds, lowUid, SEMBUF_SIZE, semid64_ds, seminfo } from '../ipc/ipc-layouts.js';
import {
  SEM_UNDO,
  SEMAEM,
  SEMMAP,
  SEMMNU,
  type SemArray,
  type Sembuf,
  type SemNamespace,
  type SemQueue,
  type SemUndo,
  SEMUME,
  SEMUSZ,
  SEMVMX,
  semNamespaceOf,
} from '../ipc/sem-array.js';
import type { Kernel } from '../kernel.js';
import { exitHooksOf } from '../task/exit.js';
import { INTERRUPTED, waitInterruptible } from '../task/signal-wait.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EINVAL = -ERRNO.EINVAL;
const EFAULT = -ERRNO.EFAULT;
const EACCES = -ERRNO.EACCES;
const EIDRM = -ERRNO.EIDRM;
const EAGAIN = -ERRNO.EAGAIN;
const EINTR = -ERRNO.EINTR;
const E2BIG = -ERRNO.E2BIG;
const EFBIG = -ERRNO.EFBIG;
const ERANGE = -ERRNO.ERANGE;
const EPERM = -ERRNO.EPERM;

const GETPID = 11;
const GETVAL = 12;
const GETALL = 13;
const GETNCNT = 14;
const GETZCNT = 15;
const SETVAL = 16;
const SETALL = 17;
const SEM_STAT = 18;
const SEM_INFO = 19;
const SEM_STAT_ANY = 20;
const S_IRUGO = 0o444;
const S_IWUGO = 0o222;
const NS = 1e9;
const TWO32 = 2 ** 32;
/** setTimeout's longest delay. */
const MAX_HOST_DELAY_MS = 0x7fffffff;

function now(ctx: SyscallContext): number {
  return ctx.kernel.host.realtime().sec;
}

const exitHooked = new WeakSet<Kernel>();

/** exit_sem runs when a process that used SEM_UNDO has lost its last thread. */
function hookExit(kernel: Kernel): void {
  if (exitHooked.has(kernel)) return;
  exitHooked.add(kernel);
  exitHooksOf(kernel).processDead.push((k, g) => semNamespaceOf(k).exit(g, k.host.realtime().sec));
}

function sysSemget(ctx: SyscallContext, a: readonly number[]): number {
  const [key, nsems, flags] = a as [number, number, number];
  const ns = semNamespaceOf(ctx.kernel);
  if (nsems < 0 || nsems > ns.semmsl) return EINVAL;
  return ns.get(key, nsems, flags, ipcCaller(ctx.task), now(ctx));
}

function sysSemop(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [semid, tsops, nsops] = a as [number, number, number];
  return doSemtimedop(ctx, semid, tsops, nsops, undefined);
}

/** semtimedop (ksys_semtimedop / compat_ksys_semtimedop): the timeout is read before anything else. */
function sysSemtimedop(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [semid, tsops, nsops, timeout] = a as [number, number, number, number];
  let ts: { sec: number; nsec: number } | undefined;
  if (timeout !== 0) {
    const t = readTimespec(ctx, timeout);
    if (t === null) return EFAULT;
    ts = t;
  }
  return doSemtimedop(ctx, semid, tsops, nsops, ts);
}

/** get_timespec64 / get_old_timespec32 (a compat time64 call ignores tv_nsec's upper half). */
function readTimespec(ctx: SyscallContext, addr: number): { sec: number; nsec: number } | null {
  const L = ctx.abi.timespec as StructLayout<{ tv_sec: unknown; tv_nsec: unknown }>;
  const b = copyIn(ctx.mem, addr, L.size);
  if (b === null) return null;
  const d = new DataView(b.buffer);
  const s = L.fields.tv_sec;
  const n = L.fields.tv_nsec;
  const sec =
    s.size === 8 ? d.getInt32(s.offset + 4, true) * TWO32 + d.getUint32(s.offset, true) : d.getInt32(s.offset, true);
  let nsec: number;
  if (n.size === 4) nsec = d.getInt32(n.offset, true);
  else if (ctx.compat) nsec = d.getInt32(n.offset, true);
  else nsec = d.getInt32(n.offset + 4, true) * TWO32 + d.getUint32(n.offset, true);
  return { sec, nsec };
}

function doSemtimedop(
  ctx: SyscallContext,
  semid: number,
  tsops: number,
  nsops0: number,
  ts: { sec: number; nsec: number } | undefined,
): number | Promise<number> {
  const ns = semNamespaceOf(ctx.kernel);
  const nsops = nsops0 % TWO32;
  if (nsops < 1 || semid < 0) return EINVAL;
  if (nsops > ns.semopm) return E2BIG;
  const raw = copyIn(ctx.mem, tsops, nsops * SEMBUF_SIZE);
  if (raw === null) return EFAULT;
  if (ts !== undefined && (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= NS)) return EINVAL;
  const d = new DataView(raw.buffer);
  const sops: Sembuf[] = [];
  let max = 0;
  let undos = false;
  let alter = false;
  for (let i = 0; i < nsops; i++) {
    const sop = { num: d.getUint16(i * 6, true), op: d.getInt16(i * 6 + 2, true), flg: d.getInt16(i * 6 + 4, true) };
    sops.push(sop);
    if (sop.num > max) max = sop.num;
    if (sop.flg & SEM_UNDO) undos = true;
    if (sop.op !== 0) alter = true;
  }
  let un: SemUndo | undefined;
  if (undos) {
    const u = ns.undoFor(ctx.task.group, semid);
    if (typeof u === 'number') return u;
    un = u;
    hookExit(ctx.kernel);
  }
  const sma = ns.ids.byId(semid);
  if (sma === undefined) return EINVAL;
  if (max >= sma.nsems) return EFBIG;
  const who = ipcCaller(ctx.task);
  if (!sma.perm.permits(who, alter ? S_IWUGO : S_IRUGO)) return EACCES;
  // The undo structure belonged to an earlier set with the same id.
  if (un !== undefined && un.semid === -1) return EIDRM;
  const q: SemQueue = {
    sops,
    undo: un,
    pid: who.pid,
    alter,
    blocking: sops[0]!,
    status: undefined,
    wake: () => {},
  };
  const r = sma.perform(q);
  if (r === 0) {
    if (alter) sma.retrySleepers();
    sma.sems[sops[0]!.num]!.otime = now(ctx);
    return 0;
  }
  if (r < 0) return r;
  const deadline = ts === undefined ? undefined : ctx.kernel.host.monotonicNs() + ts.sec * NS + ts.nsec;
  return sleep(ctx, sma, q, deadline);
}

/** The sleeping part of do_semtimedop: -EINTR on a signal (never restarted), -EAGAIN at the timeout. */
async function sleep(ctx: SyscallContext, sma: SemArray, q: SemQueue, deadline: number | undefined): Promise<number> {
  const host = ctx.kernel.host;
  sma.pending.push(q);
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const woken = new Promise<void>((resolve) => {
      q.wake = resolve;
      if (deadline === undefined) return;
      const arm = (): void => {
        const left = deadline - host.monotonicNs();
        if (left <= 0) resolve();
        else timer = setTimeout(arm, Math.min(MAX_HOST_DELAY_MS, Math.ceil(left / 1e6)));
      };
      arm();
    });
    const w = await waitInterruptible(ctx.task, woken);
    if (timer !== undefined) clearTimeout(timer);
    if (q.status !== undefined) return q.status;
    let error = 0;
    if (deadline !== undefined && host.monotonicNs() >= deadline) error = EAGAIN;
    else if (w === INTERRUPTED) error = EINTR;
    if (error !== 0) {
      sma.unlink(q);
      return error;
    }
  }
}

/** semctl: ksys_semctl natively (always IPC_64), compat_ksys_old_semctl in a compat call. */
function sysSemctl(ctx: SyscallContext, a: readonly number[]): number {
  const [semid, semnum, cmd0, arg] = a as [number, number, number, number];
  let cmd = cmd0;
  let version = IPC_64;
  if (ctx.compat) {
    version = cmd & IPC_64;
    cmd &= ~IPC_64;
  }
  if (semid < 0) return EINVAL;
  const ns = semNamespaceOf(ctx.kernel);
  const who = ipcCaller(ctx.task);
  // semun: its int (SETVAL) is the low 32 bits of the register; a pointer is the whole register.
  const p = arg;
  switch (cmd) {
    case IPC_INFO:
    case SEM_INFO: {
      const full = cmd === SEM_INFO;
      const b = structBytes(layoutOf(seminfo, LP64), {
        semmap: SEMMAP,
        semmni: ns.semmni,
        semmns: ns.semmns,
        semmnu: SEMMNU,
        semmsl: ns.semmsl,
        semopm: ns.semopm,
        semume: SEMUME,
        semusz: full ? ns.ids.inUse : SEMUSZ,
        semvmx: SEMVMX,
        semaem: full ? ns.usedSems : SEMAEM,
      });
      if (!copyOut(ctx.mem, p, b)) return EFAULT;
      return Math.max(ns.ids.maxIndex(), 0);
    }
    case IPC_STAT:
    case SEM_STAT:
    case SEM_STAT_ANY: {
      const sma = cmd === IPC_STAT ? ns.ids.byId(semid) : ns.ids.byIndex(semid);
      if (sma === undefined) return EINVAL;
      if (cmd !== SEM_STAT_ANY && !sma.perm.permits(who, S_IRUGO)) return EACCES;
      if (!copyOut(ctx.mem, p, statBytes(ctx, sma, version))) return EFAULT;
      return cmd === IPC_STAT ? 0 : sma.perm.id;
    }
    case GETVAL:
    case GETPID:
    case GETNCNT:
    case GETZCNT:
    case GETALL:
    case SETALL:
      return semctlMain(ctx, ns, who, semid, semnum, cmd, p);
    case SETVAL:
      return setval(ctx, ns, who, semid, semnum, arg | 0);
    case IPC_SET:
    case IPC_RMID: {
      let set: { uid: number; gid: number; mode: number } | undefined;
      if (cmd === IPC_SET) {
        const s = readSet(ctx, p, version);
        if (s === null) return EFAULT;
        set = s;
      }
      const sma = ns.ids.byId(semid);
      if (sma === undefined) return EINVAL;
      if (!sma.perm.ownedBy(who)) return EPERM;
      if (set === undefined) {
        ns.remove(sma);
        return 0;
      }
      const err = sma.perm.update(set.uid, set.gid, set.mode);
      if (err < 0) return err;
      sma.ctime = now(ctx);
      return 0;
    }
    default:
      return EINVAL;
  }
}

/** semctl_main: GETALL/SETALL on the whole set, GETVAL/GETPID/GETNCNT/GETZCNT on one semaphore. */
function semctlMain(
  ctx: SyscallContext,
  ns: SemNamespace,
  who: IpcCaller,
  semid: number,
  semnum: number,
  cmd: number,
  p: number,
): number {
  const sma = ns.ids.byId(semid);
  if (sma === undefined) return EINVAL;
  if (!sma.perm.permits(who, cmd === SETALL ? S_IWUGO : S_IRUGO)) return EACCES;
  const n = sma.nsems;
  if (cmd === GETALL) {
    const b = new Uint8Array(n * 2);
    const d = new DataView(b.buffer);
    for (let i = 0; i < n; i++) d.setUint16(i * 2, sma.sems[i]!.val, true);
    return copyOut(ctx.mem, p, b) ? 0 : EFAULT;
  }
  if (cmd === SETALL) {
    const b = copyIn(ctx.mem, p, n * 2);
    if (b === null) return EFAULT;
    const d = new DataView(b.buffer);
    const vals = Array.from({ length: n }, (_, i) => d.getUint16(i * 2, true));
    if (vals.some((v) => v > SEMVMX)) return ERANGE;
    if (!sma.perm.valid) return EIDRM;
    vals.forEach((v, i) => {
      const s = sma.sems[i]!;
      s.val = v;
      s.pid = who.pid;
    });
    sma.clearAdjustments();
    sma.ctime = now(ctx);
    sma.changed(now(ctx));
    return 0;
  }
  if (semnum < 0 || semnum >= n) return EINVAL;
  const s = sma.sems[semnum]!;
  switch (cmd) {
    case GETVAL:
      return s.val;
    case GETPID:
      return s.pid;
    case GETNCNT:
      return sma.count(semnum, false);
    default:
      return sma.count(semnum, true);
  }
}

/** semctl_setval. */
function setval(
  ctx: SyscallContext,
  ns: SemNamespace,
  who: IpcCaller,
  semid: number,
  semnum: number,
  val: number,
): number {
  if (val > SEMVMX || val < 0) return ERANGE;
  const sma = ns.ids.byId(semid);
  if (sma === undefined) return EINVAL;
  if (semnum < 0 || semnum >= sma.nsems) return EINVAL;
  if (!sma.perm.permits(who, S_IWUGO)) return EACCES;
  sma.clearAdjustments(semnum);
  const s = sma.sems[semnum]!;
  s.val = val;
  s.pid = who.pid;
  sma.ctime = now(ctx);
  sma.changed(now(ctx));
  return 0;
}

/** semctl_stat then copy_semid_to_user / copy_compat_semid_to_user. */
function statBytes(ctx: SyscallContext, sma: SemArray, version: number): Uint8Array {
  const p = sma.perm;
  const perm = {
    key: p.key | 0,
    uid: p.uid,
    gid: p.gid,
    cuid: p.cuid,
    cgid: p.cgid,
    mode: p.mode,
    seq: p.seq & 0xffff,
  };
  const otime = sma.otime();
  if (!ctx.compat) {
    return structBytes(layoutOf(semid64_ds, LP64), {
      sem_perm: perm,
      sem_otime: otime,
      sem_ctime: sma.ctime,
      sem_nsems: sma.nsems,
    });
  }
  if (version === IPC_64) {
    return structBytes(layoutOf(compat_semid64_ds, ILP32_EABI), {
      sem_perm: perm,
      sem_otime: otime % TWO32,
      sem_otime_high: Math.floor(otime / TWO32),
      sem_ctime: sma.ctime % TWO32,
      sem_ctime_high: Math.floor(sma.ctime / TWO32),
      sem_nsems: sma.nsems,
    });
  }
  return structBytes(layoutOf(compat_semid_ds, ILP32_EABI), {
    sem_perm: { ...perm, uid: lowUid(p.uid), gid: lowUid(p.gid), cuid: lowUid(p.cuid), cgid: lowUid(p.cgid) },
    sem_otime: otime | 0,
    sem_ctime: sma.ctime | 0,
    sem_nsems: sma.nsems & 0xffff,
  });
}

/** copy_semid_from_user / copy_compat_semid_from_user: the ipc perm part IPC_SET uses (null on a fault). */
function readSet(ctx: SyscallContext, buf: number, version: number): { uid: number; gid: number; mode: number } | null {
  const layout = !ctx.compat
    ? layoutOf(semid64_ds, LP64)
    : version === IPC_64
      ? layoutOf(compat_semid64_ds, ILP32_EABI)
      : layoutOf(compat_semid_ds, ILP32_EABI);
  // The compat copies read only the ipc perm; the native one reads the whole semid64_ds.
  const size = ctx.compat ? layout.fields.sem_perm.size : layout.size;
  const raw = copyIn(ctx.mem, buf, size);
  if (raw === null) return null;
  const full = new Uint8Array(layout.size);
  full.set(raw);
  const v = readStruct(layout as StructLayout<FieldSpecs>, new DataView(full.buffer), 0) as Record<string, unknown>;
  const perm = v.sem_perm as Record<string, number | bigint>;
  return { uid: Number(perm.uid), gid: Number(perm.gid), mode: Number(perm.mode) };
}

export const SYSV_SEM_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'semget', args: ['int', 'int', 'int'], handler: sysSemget, compatAware: true },
  { name: 'semop', args: ['int', 'ptr', 'size'], handler: sysSemop, compatAware: true },
  { name: 'semtimedop', args: ['int', 'ptr', 'size', 'ptr'], handler: sysSemtimedop, compatAware: true },
  { name: 'semctl', args: ['int', 'int', 'int', 'ulong'], handler: sysSemctl, compatAware: true },
];
