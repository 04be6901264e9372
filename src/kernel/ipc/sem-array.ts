/**
 * System V semaphore sets (ipc/sem.c, Linux 6.1): the namespace's sets, the all-or-nothing semop
 * algorithm, the queue of sleeping semops retried after every change, and SEM_UNDO adjustments.
 * The syscalls are in syscalls/sys-sysv-sem.ts.
 *
 * A semop applies its operations in order to the live values and rolls back on a block or an error
 * (perform_atomic_semop_slow): for arrays without a repeated semaphore this is what Linux's fast
 * path computes too. Sleepers are retried in arrival order after each change until none can proceed
 * (update_queue's restart rule); Linux's separate per-semaphore and wait-for-zero lists only change
 * the order in which simultaneously runnable sleepers complete.
 *
 * Undo lists: Linux shares one between the threads a CLONE_SYSVSEM clone creates (pthreads) and
 * gives a fork()ed child none. compat64 keeps one per process (ThreadGroup), which is the same for
 * every thread library and fork; a clone that shares the address space without CLONE_SYSVSEM (rare)
 * shares the list here where Linux would not. The adjustments are applied when the process's last
 * thread exits (exit_sem).
 */
import { ERRNO } from '../abi/errno.js';
import type { ThreadGroup } from '../task/thread-group.js';
import { type IpcCaller, IpcIds, IpcPerm, IPC_NOWAIT } from './ipc-ids.js';

/** Linux's defaults (include/uapi/linux/sem.h). */
export const SEMMNI = 32000;
export const SEMMSL = 32000;
export const SEMMNS = SEMMNI * SEMMSL;
export const SEMOPM = 500;
export const SEMVMX = 32767;
export const SEMAEM = SEMVMX;
export const SEMUME = SEMOPM;
export const SEMMNU = SEMMNS;
export const SEMMAP = SEMMNS;
export const SEMUSZ = 20;
export const SEM_UNDO = 0x1000;

const EINVAL = -ERRNO.EINVAL;
const ENOSPC = -ERRNO.ENOSPC;
const EAGAIN = -ERRNO.EAGAIN;
const ERANGE = -ERRNO.ERANGE;
const EIDRM = -ERRNO.EIDRM;

/** struct sembuf. */
export interface Sembuf {
  readonly num: number;
  readonly op: number;
  readonly flg: number;
}

/** struct sem: one semaphore. */
export interface Sem {
  val: number;
  pid: number;
  otime: number;
}

/** struct sem_undo: one process's adjustments for one set; semid -1 once the set is gone. */
export interface SemUndo {
  semid: number;
  readonly adj: Int32Array;
  readonly list: Set<SemUndo>;
}

/** struct sem_queue: a sleeping semop. */
export interface SemQueue {
  readonly sops: readonly Sembuf[];
  readonly undo: SemUndo | undefined;
  readonly pid: number;
  readonly alter: boolean;
  /** The operation that blocked last (count_semcnt reads it). */
  blocking: Sembuf;
  /** Set when the semop completes (0) or fails (-errno) on another task's change. */
  status: number | undefined;
  wake: () => void;
}

/** struct sem_array. */
export class SemArray {
  readonly perm: IpcPerm;
  readonly sems: Sem[];
  ctime: number;
  readonly pending: SemQueue[] = [];
  /** list_id: the undo structures of every process for this set. */
  readonly undos = new Set<SemUndo>();

  constructor(key: number, nsems: number, flags: number, who: IpcCaller, now: number) {
    this.perm = new IpcPerm(key, flags, who);
    this.sems = Array.from({ length: nsems }, () => ({ val: 0, pid: 0, otime: 0 }));
    this.ctime = now;
  }

  get nsems(): number {
    return this.sems.length;
  }

  /** get_semotime: the latest semop time of any semaphore. */
  otime(): number {
    let t = 0;
    for (const s of this.sems) if (s.otime > t) t = s.otime;
    return t;
  }

  /**
   * perform_atomic_semop: 0 when every operation applied, 1 when the caller must sleep, -EAGAIN
   * (IPC_NOWAIT on the blocking operation) or -ERANGE (a value above SEMVMX, an adjustment outside
   * [-SEMAEM-1, SEMAEM]); nothing changes unless it returns 0.
   */
  perform(q: Pick<SemQueue, 'sops' | 'undo' | 'pid' | 'blocking'>): number {
    const done: Sembuf[] = [];
    let result = 0;
    for (const sop of q.sops) {
      const s = this.sems[sop.num]!;
      const v = s.val + sop.op;
      if ((sop.op === 0 && s.val !== 0) || v < 0) {
        q.blocking = sop;
        result = sop.flg & IPC_NOWAIT ? EAGAIN : 1;
        break;
      }
      if (v > SEMVMX) {
        result = ERANGE;
        break;
      }
      if (sop.flg & SEM_UNDO) {
        const adj = q.undo!.adj[sop.num]! - sop.op;
        if (adj < -SEMAEM - 1 || adj > SEMAEM) {
          result = ERANGE;
          break;
        }
        q.undo!.adj[sop.num] = adj;
      }
      s.val = v;
      done.push(sop);
    }
    if (result !== 0) {
      for (const sop of done.reverse()) {
        this.sems[sop.num]!.val -= sop.op;
        if (sop.flg & SEM_UNDO) q.undo!.adj[sop.num]! += sop.op;
      }
      return result;
    }
    for (const sop of q.sops) this.sems[sop.num]!.pid = q.pid;
    return 0;
  }

  /**
   * update_queue: retries the sleepers in order; each completion or failure wakes its task, and a
   * completed altering semop restarts the scan. True when some semop completed (sem_otime is due).
   */
  retrySleepers(): boolean {
    let completed = false;
    let again = true;
    while (again) {
      again = false;
      for (const q of [...this.pending]) {
        const r = this.perform(q);
        if (r === 1) continue;
        this.unlink(q);
        q.status = r;
        q.wake();
        if (r === 0) {
          completed = true;
          if (q.alter) {
            again = true;
            break;
          }
        }
      }
    }
    return completed;
  }

  /** do_smart_update after a change not made by a semop (SETVAL, SETALL, exit_sem): sems[0]'s otime. */
  changed(now: number, otime = false): void {
    if (this.retrySleepers() || otime) this.sems[0]!.otime = now;
  }

  unlink(q: SemQueue): void {
    const i = this.pending.indexOf(q);
    if (i >= 0) this.pending.splice(i, 1);
  }

  /** count_semcnt: sleepers whose blocking operation waits on semnum for zero (zero) or to decrease. */
  count(semnum: number, zero: boolean): number {
    let n = 0;
    for (const q of this.pending) {
      const b = q.blocking;
      if (b.num === semnum && (zero ? b.op === 0 : b.op < 0)) n++;
    }
    return n;
  }

  /** SETVAL / SETALL forget the adjustments of the semaphores they set. */
  clearAdjustments(semnum?: number): void {
    for (const un of this.undos) {
      if (semnum === undefined) un.adj.fill(0);
      else un.adj[semnum] = 0;
    }
  }
}

/** The semaphore part of an IPC namespace (sem_ids and the kernel.sem sysctl). */
export class SemNamespace {
  readonly ids = new IpcIds<SemArray>();
  semmsl = SEMMSL;
  semmns = SEMMNS;
  semopm = SEMOPM;
  semmni = SEMMNI;
  usedSems = 0;
  /** The undo list of each process (sysvsem.undo_list). */
  private readonly undoLists = new WeakMap<ThreadGroup, Set<SemUndo>>();

  /** semget (nsems already checked against semmsl). */
  get(key: number, nsems: number, flags: number, who: IpcCaller, now: number): number {
    return this.ids.get(
      key,
      flags,
      who,
      () => {
        if (nsems === 0) return EINVAL;
        if (this.usedSems + nsems > this.semmns) return ENOSPC;
        const sma = new SemArray(key, nsems, flags, who, now);
        const id = this.ids.add(sma, this.semmni);
        if (id < 0) return id;
        this.usedSems += nsems;
        return sma;
      },
      (sma) => (nsems > sma.nsems ? EINVAL : 0),
    );
  }

  /** freeary: sleepers fail with -EIDRM, undo structures are orphaned, the set disappears. */
  remove(sma: SemArray): void {
    for (const un of sma.undos) {
      un.semid = -1;
      un.list.delete(un);
    }
    sma.undos.clear();
    for (const q of sma.pending.splice(0)) {
      q.status = EIDRM;
      q.wake();
    }
    this.ids.remove(sma);
    this.usedSems -= sma.nsems;
  }

  /** find_alloc_undo: the process's adjustments for semid, made on first use; -EINVAL without the set. */
  undoFor(group: ThreadGroup, semid: number): SemUndo | number {
    let list = this.undoLists.get(group);
    if (list === undefined) {
      list = new Set();
      this.undoLists.set(group, list);
    }
    for (const un of list) if (un.semid === semid) return un;
    const sma = this.ids.byId(semid);
    if (sma === undefined) return EINVAL;
    const un: SemUndo = { semid, adj: new Int32Array(sma.nsems), list };
    list.add(un);
    sma.undos.add(un);
    return un;
  }

  /** exit_sem: the process's adjustments are added (clamped to [0, SEMVMX]) and sleepers retried. */
  exit(group: ThreadGroup, now: number): void {
    const list = this.undoLists.get(group);
    if (list === undefined) return;
    this.undoLists.delete(group);
    for (const un of list) {
      const sma = this.ids.byId(un.semid);
      if (sma === undefined) continue;
      sma.undos.delete(un);
      for (let i = 0; i < sma.nsems; i++) {
        const adj = un.adj[i]!;
        if (adj === 0) continue;
        const s = sma.sems[i]!;
        s.val = Math.min(Math.max(s.val + adj, 0), SEMVMX);
        s.pid = group.tgid;
      }
      sma.changed(now, true);
    }
    list.clear();
  }
}

const namespaces = new WeakMap<object, SemNamespace>();

/** The kernel's semaphore namespace (made on first use). */
export function semNamespaceOf(kernel: object): SemNamespace {
  let ns = namespaces.get(kernel);
  if (ns === undefined) {
    ns = new SemNamespace();
    namespaces.set(kernel, ns);
  }
  return ns;
}
