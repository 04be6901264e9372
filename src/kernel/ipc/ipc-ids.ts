/**
 * The identifier and permission logic System V message queues and semaphore sets share
 * (ipc/util.c, Linux 6.1): an `IpcIds` table per object kind hands out indexes cyclically
 * (idr_alloc_cyclic below max(in_use * 3/2, 64)), builds ids as index + sequence << 15 with the
 * sequence bumped each time allocation wraps, finds objects by key, and each object carries a
 * `kern_ipc_perm` (IpcPerm) with ipcperms, the owner test of ipcctl_obtain_check and
 * ipc_update_perm. SysV shm keeps its own copy in mm/shm.ts.
 */
import { ERRNO } from '../abi/errno.js';
import type { Task } from '../task/task.js';

export const IPC_PRIVATE = 0;
export const IPC_CREAT = 0o1000;
export const IPC_EXCL = 0o2000;
export const IPC_NOWAIT = 0o4000;

/** The ctl commands both msgctl and semctl know. */
export const IPC_RMID = 0;
export const IPC_SET = 1;
export const IPC_STAT = 2;
export const IPC_INFO = 3;
/** The compat ABI's "new layout" flag in cmd (compat_ipc_parse_version). */
export const IPC_64 = 0x100;

const IPCMNI_SHIFT = 15;
/** IPCMNI: the largest number of objects of one kind (ipc_mni without ipcmni_extend). */
export const IPCMNI = 1 << IPCMNI_SHIFT;
/** ipcid_seq_max(). */
const SEQ_MAX = 0x7fffffff >>> IPCMNI_SHIFT;
/** ipc_min_cycle: RADIX_TREE_MAP_SIZE. */
const MIN_CYCLE = 64;
const S_IRWXUGO = 0o777;

const ENOENT = -ERRNO.ENOENT;
const EEXIST = -ERRNO.EEXIST;
const EACCES = -ERRNO.EACCES;
const ENOSPC = -ERRNO.ENOSPC;
const EINVAL = -ERRNO.EINVAL;

/** The caller's identity for IPC permission checks. */
export interface IpcCaller {
  readonly euid: number;
  readonly egid: number;
  /** in_group_p compares with fsgid and the supplementary groups. */
  readonly fsgid: number;
  readonly groups: readonly number[];
  /** CAP_IPC_OWNER / CAP_SYS_ADMIN: effective uid 0 in compat64 (as sys-shm.ts decides). */
  readonly privileged: boolean;
  /** task_tgid(current): the pid recorded as lspid, lrpid, sempid. */
  readonly pid: number;
}

export function ipcCaller(task: Task): IpcCaller {
  const c = task.creds;
  return { euid: c.euid, egid: c.egid, fsgid: c.fsgid, groups: c.groups, privileged: c.euid === 0, pid: task.tgid };
}

/** struct kern_ipc_perm. */
export class IpcPerm {
  id = -1;
  seq = 0;
  uid: number;
  gid: number;
  readonly cuid: number;
  readonly cgid: number;
  /** S_IRWXUGO bits. */
  mode: number;
  /** False once removed (ipc_valid_object). */
  valid = true;

  constructor(
    public key: number,
    flags: number,
    who: IpcCaller,
  ) {
    this.mode = flags & S_IRWXUGO;
    this.uid = this.cuid = who.euid;
    this.gid = this.cgid = who.egid;
  }

  /** ipcperms: 0 when allowed; flag is a short in Linux, its low 9 bits ask rwx of someone. */
  permits(who: IpcCaller, flag: number): boolean {
    return ipcPermits(who, this, this.mode, flag);
  }

  /** The owner test of ipcctl_obtain_check (IPC_SET, IPC_RMID). */
  ownedBy(who: IpcCaller): boolean {
    return ipcOwnedBy(who, this);
  }

  /** ipc_update_perm: uid, gid and the permission bits of an IPC_SET; -EINVAL for an unmappable id. */
  update(uid: number, gid: number, mode: number): number {
    if (uid === 0xffffffff || gid === 0xffffffff) return EINVAL;
    this.uid = uid;
    this.gid = gid;
    this.mode = (this.mode & ~S_IRWXUGO) | (mode & S_IRWXUGO);
    return 0;
  }
}

/** The owners of a SysV IPC object (kern_ipc_perm), for the checks below. */
export interface IpcOwnership {
  readonly uid: number;
  readonly gid: number;
  readonly cuid: number;
  readonly cgid: number;
}

/**
 * ipcperms: whether who may have the rwx bits flag asks (in any of its three triplets) of an object
 * with these owners and mode (only its rwx bits count).
 */
export function ipcPermits(who: IpcCaller, o: IpcOwnership, mode: number, flag: number): boolean {
  const f = flag & 0xffff;
  const requested = (f >> 6) | (f >> 3) | f;
  let granted = mode & 0o777;
  if (who.euid === o.cuid || who.euid === o.uid) granted >>= 6;
  else if (inGroup(who, o.cgid) || inGroup(who, o.gid)) granted >>= 3;
  return (requested & ~granted & 7) === 0 || who.privileged;
}

/** The owner test of ipcctl_obtain_check (IPC_SET, IPC_RMID). */
export function ipcOwnedBy(who: IpcCaller, o: IpcOwnership): boolean {
  return who.privileged || who.euid === o.cuid || who.euid === o.uid;
}

function inGroup(who: IpcCaller, gid: number): boolean {
  return who.fsgid === gid || who.groups.includes(gid);
}

export interface IpcObject {
  readonly perm: IpcPerm;
}

/** struct ipc_ids: one object kind's table in the IPC namespace. */
export class IpcIds<T extends IpcObject> {
  private readonly byIdx = new Map<number, T>();
  private lastIdx = -1;
  private seq = 0;
  private maxIdx = -1;

  get inUse(): number {
    return this.byIdx.size;
  }

  /** ipc_obtain_object_check: the object with this id, or undefined (-EINVAL). */
  byId(id: number): T | undefined {
    if (id < 0) return undefined;
    const o = this.byIdx.get(id & (IPCMNI - 1));
    return o !== undefined && o.perm.seq === Math.floor(id / IPCMNI) ? o : undefined;
  }

  /** ipc_obtain_object_idr: by index (the *_STAT commands). */
  byIndex(idx: number): T | undefined {
    return this.byIdx.get(idx);
  }

  /** ipc_get_maxidx: -1 when empty. */
  maxIndex(): number {
    if (this.byIdx.size === 0) return -1;
    if (this.byIdx.size === IPCMNI) return IPCMNI - 1;
    return this.maxIdx;
  }

  /** In index order (the /proc/sysvipc files). */
  all(): T[] {
    return [...this.byIdx.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  }

  findKey(key: number): T | undefined {
    if (key === IPC_PRIVATE) return undefined;
    for (const o of this.byIdx.values()) if (o.perm.key === key) return o;
    return undefined;
  }

  /**
   * ipcget: a new object for IPC_PRIVATE or an absent key with IPC_CREAT; otherwise the existing
   * one after IPC_EXCL, the kind's own check (more: a negative errno or 0), then ipcperms.
   */
  get(key: number, flags: number, who: IpcCaller, create: () => T | number, more: (o: T) => number = () => 0): number {
    if (key !== IPC_PRIVATE) {
      const o = this.findKey(key);
      if (o !== undefined) {
        if (flags & IPC_CREAT && flags & IPC_EXCL) return EEXIST;
        const err = more(o);
        if (err < 0) return err;
        return o.perm.permits(who, flags) ? o.perm.id : EACCES;
      }
      if (!(flags & IPC_CREAT)) return ENOENT;
    }
    const o = create();
    return typeof o === 'number' ? o : o.perm.id;
  }

  /** ipc_addid: a slot for a new object (its perm gets id and seq), or -ENOSPC. */
  add(o: T, limit: number): number {
    if (this.byIdx.size >= Math.min(limit, IPCMNI)) return ENOSPC;
    const end = Math.min(Math.max(Math.floor((this.byIdx.size * 3) / 2), MIN_CYCLE), IPCMNI);
    let idx = -1;
    for (let i = this.lastIdx + 1; i < end && idx < 0; i++) if (!this.byIdx.has(i)) idx = i;
    for (let i = 0; i < end && idx < 0; i++) if (!this.byIdx.has(i)) idx = i;
    if (idx < 0) return ENOSPC;
    if (idx <= this.lastIdx) {
      this.seq++;
      if (this.seq >= SEQ_MAX) this.seq = 0;
    }
    this.lastIdx = idx;
    o.perm.seq = this.seq;
    o.perm.id = this.seq * IPCMNI + idx;
    this.byIdx.set(idx, o);
    if (idx > this.maxIdx) this.maxIdx = idx;
    return o.perm.id;
  }

  /** ipc_rmid: the object leaves the table and becomes invalid (waiters see EIDRM). */
  remove(o: T): void {
    const idx = o.perm.id & (IPCMNI - 1);
    if (this.byIdx.get(idx) !== o) return;
    this.byIdx.delete(idx);
    o.perm.valid = false;
    if (idx === this.maxIdx) {
      let m = -1;
      for (const i of this.byIdx.keys()) if (i > m) m = i;
      this.maxIdx = m;
    }
  }
}
