/**
 * System V shared memory (ipc/shm.c, Linux 6.12): the IPC namespace's segments, their ids, keys,
 * permissions and statistics. A segment is a shmem object ("/SYSV%08x (deleted)", inode = its id)
 * that lives until IPC_RMID and its last detach. Ids are built as Linux builds them: index plus
 * sequence << 15, indexes handed out cyclically, the sequence bumped each time they wrap.
 */

import type { PhysicalMemory } from '../../memory/physical-memory.js';
import { ERRNO } from '../abi/errno.js';
import { type IpcCaller, ipcOwnedBy, ipcPermits } from '../ipc/ipc-ids.js';
import type { HugetlbPool } from './hugetlb.js';
import { HUGETLBFS_DEV, SHMEM_DEV, ShmemObject } from './shmem.js';
import { PAGE, type Vma } from './vma.js';

export const IPC_PRIVATE = 0;
export const IPC_CREAT = 0o1000;
export const IPC_EXCL = 0o2000;
export const IPC_NOWAIT = 0o4000;
export const SHM_HUGETLB = 0o4000;
export const SHM_NORESERVE = 0o10000;
export const SHM_DEST = 0o1000;
export const SHM_LOCKED = 0o2000;
export const SHM_HUGE_SHIFT = 26;
export const SHM_HUGE_MASK = 0x3f;
/** SHMMNI, SHMMIN, SHMMAX and SHMALL as Linux defines them (64-bit). */
export const SHMMNI = 4096;
export const SHMMIN = 1;
export const SHMMAX = 2 ** 64 - 2 ** 24;
export const SHMALL = 2 ** 64 - 2 ** 24;
const IPCMNI_SHIFT = 15;
const IPCMNI = 1 << IPCMNI_SHIFT;
/** ipcid_seq_max(): INT_MAX >> IPCMNI_SHIFT. */
const SEQ_MAX = 0x7fffffff >>> IPCMNI_SHIFT;

const EINVAL = -ERRNO.EINVAL;
const ENOENT = -ERRNO.ENOENT;
const EEXIST = -ERRNO.EEXIST;
const EACCES = -ERRNO.EACCES;
const ENOSPC = -ERRNO.ENOSPC;
const ENOMEM = -ERRNO.ENOMEM;

/** A segment's object: counts attaches (shm_nattch) through the VMA open/close hooks. */
export class ShmSegment extends ShmemObject {
  key: number;
  id: number;
  seq: number;
  /** shm_segsz: the size asked for (not rounded up). */
  readonly segsz: number;
  uid: number;
  gid: number;
  readonly cuid: number;
  readonly cgid: number;
  /** Low 9 bits: permissions; SHM_DEST, SHM_LOCKED on top. */
  permMode: number;
  nattch = 0;
  atime = 0;
  dtime = 0;
  ctime: number;
  readonly cpid: number;
  lpid = 0;

  constructor(
    phys: PhysicalMemory,
    private readonly ns: ShmNamespace,
    key: number,
    id: number,
    size: number,
    mode: number,
    cred: IpcCaller,
    now: number,
    hugetlb: HugetlbPool | undefined,
  ) {
    const name = `/SYSV${(key >>> 0).toString(16).padStart(8, '0')} (deleted)`;
    const objSize = hugetlb === undefined ? size : Math.ceil(size / hugetlb.pageSize) * hugetlb.pageSize;
    super(phys, name, hugetlb === undefined ? SHMEM_DEV : HUGETLBFS_DEV, id, objSize, {
      hugetlb,
      sysvShm: true,
    });
    this.key = key;
    this.id = id;
    this.seq = id >>> IPCMNI_SHIFT;
    this.segsz = size;
    this.uid = cred.euid;
    this.gid = cred.egid;
    this.cuid = cred.euid;
    this.cgid = cred.egid;
    this.permMode = mode & 0o777;
    this.ctime = now;
    this.cpid = cred.pid;
    // The namespace's own reference: dropped by IPC_RMID.
    this.get();
  }

  override vmOpen(v: Vma): void {
    super.vmOpen(v);
    this.nattch++;
    this.atime = this.ns.clock();
    this.lpid = this.ns.currentPid;
  }

  override vmClose(v: Vma): void {
    this.nattch--;
    this.dtime = this.ns.clock();
    this.lpid = this.ns.currentPid;
    super.vmClose(v);
  }

  /** ipcperms: the requested rwx bits (of flag's low 9) against the segment's mode for this caller. */
  permits(cred: IpcCaller, flag: number): boolean {
    return ipcPermits(cred, this, this.permMode, flag);
  }

  /** The owner, creator or a privileged caller may IPC_SET / IPC_RMID. */
  ownedBy(cred: IpcCaller): boolean {
    return ipcOwnedBy(cred, this);
  }
}

/** The SysV shm part of an IPC namespace. */
export class ShmNamespace {
  private readonly byIdx = new Map<number, ShmSegment>();
  private lastIdx = -1;
  private seq = 0;
  /** Pages of all segments (shm_tot). */
  totPages = 0;
  ctlmax = SHMMAX;
  ctlall = SHMALL;
  ctlmni = SHMMNI;
  /** Seconds since the epoch, for the segment times. */
  clock: () => number = () => 0;
  /** The pid attaching or detaching now (shm_lpid). */
  currentPid = 0;

  constructor(readonly phys: PhysicalMemory) {}

  get count(): number {
    return this.byIdx.size;
  }

  /** The segment with this id (ipc_obtain_object_check), or undefined (-EINVAL). */
  byId(id: number): ShmSegment | undefined {
    if (id < 0) return undefined;
    const s = this.byIdx.get(id & (IPCMNI - 1));
    return s !== undefined && s.id === id ? s : undefined;
  }

  /** The segment at an index (SHM_STAT). */
  byIndex(idx: number): ShmSegment | undefined {
    return this.byIdx.get(idx);
  }

  /** ipc_get_maxidx: the highest index in use, or 0 (IPC_INFO and SHM_INFO return it). */
  maxIdx(): number {
    let m = -1;
    for (const i of this.byIdx.keys()) m = Math.max(m, i);
    return Math.max(m, 0);
  }

  segments(): IterableIterator<ShmSegment> {
    return this.byIdx.values();
  }

  private findKey(key: number): ShmSegment | undefined {
    for (const s of this.byIdx.values()) if (s.key === key && key !== IPC_PRIVATE) return s;
    return undefined;
  }

  /** shmget: the id of the segment for key (made with IPC_CREAT), or a negative errno. */
  get(key: number, size: number, flags: number, cred: IpcCaller, hugetlb: HugetlbPool | undefined): number {
    if (key === IPC_PRIVATE) return this.create(key, size, flags, cred, hugetlb);
    const s = this.findKey(key);
    if (s === undefined) return flags & IPC_CREAT ? this.create(key, size, flags, cred, hugetlb) : ENOENT;
    if (flags & IPC_CREAT && flags & IPC_EXCL) return EEXIST;
    if (s.segsz < size) return EINVAL;
    if (!s.permits(cred, flags)) return EACCES;
    return s.id;
  }

  /** newseg. */
  private create(key: number, size: number, flags: number, cred: IpcCaller, hugetlb: HugetlbPool | undefined): number {
    if (size < SHMMIN || size > this.ctlmax) return EINVAL;
    const pages = Math.ceil(size / PAGE);
    if (this.totPages + pages > this.ctlall) return ENOSPC;
    if (this.byIdx.size >= this.ctlmni) return ENOSPC;
    // idr_alloc_cyclic from the last index; a wrap bumps the sequence number.
    let idx = -1;
    for (let i = 1; i <= this.ctlmni; i++) {
      const cand = (this.lastIdx + i) % this.ctlmni;
      if (!this.byIdx.has(cand)) {
        idx = cand;
        break;
      }
    }
    if (idx < 0) return ENOSPC;
    if (idx <= this.lastIdx) {
      this.seq++;
      if (this.seq >= SEQ_MAX) this.seq = 0;
    }
    const id = this.seq * IPCMNI + idx;
    const seg = new ShmSegment(this.phys, this, key, id, size, flags, cred, this.clock(), hugetlb);
    if (hugetlb !== undefined && !(flags & SHM_NORESERVE)) {
      const huge = hugetlb.pageSize;
      if (!seg.hugeQuota?.reserve(0, Math.ceil(size / huge))) {
        seg.put();
        return ENOMEM;
      }
    }
    this.lastIdx = idx;
    this.byIdx.set(idx, seg);
    this.totPages += pages;
    seg.onDestroy = () => {
      if (this.byIdx.get(idx) === seg) this.byIdx.delete(idx);
      this.totPages -= pages;
    };
    return id;
  }

  /**
   * IPC_RMID (do_shm_rmid): an attached segment is marked SHM_DEST and its key made private — it can
   * still be attached by id until its last detach; an unattached one goes at once.
   */
  remove(seg: ShmSegment): void {
    if (seg.permMode & SHM_DEST) return;
    seg.permMode |= SHM_DEST;
    seg.key = IPC_PRIVATE;
    seg.put();
  }
}

const namespaces = new WeakMap<object, ShmNamespace>();

/** The IPC namespace's shm state of a kernel (made on first use). */
export function shmNamespaceOf(owner: object, phys: PhysicalMemory): ShmNamespace {
  let ns = namespaces.get(owner);
  if (ns === undefined) {
    ns = new ShmNamespace(phys);
    namespaces.set(owner, ns);
  }
  return ns;
}
