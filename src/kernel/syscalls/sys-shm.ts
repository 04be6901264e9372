/**
 * System V shared memory: shmget, shmat, shmdt, shmctl (ipc/shm.c, Linux 6.12). The segments live
 * in kernel/mm/shm.ts; attaching is an mmap of the segment (MAP_SHARED), at an address chosen with
 * the calling ABI's limits, or given — rounded down to SHMLBA with SHM_RND (4 KiB for native calls,
 * COMPAT_SHMLBA = 16 KiB for compat calls).
 */

import { ERRNO } from '../abi/errno.js';
import { array, defineStruct, ILP32_EABI, i32, layoutOf, ulong } from '../abi/layout.js';
import { readStruct, structBytes } from '../abi/marshal.js';
import * as M from '../abi/mman.js';
import { type IpcCaller, ipcCaller } from '../ipc/ipc-ids.js';
import { compat_shmid_ds, lowUid } from '../ipc/ipc-layouts.js';
import { doMmap } from '../mm/do-mmap.js';
import { type HugetlbPool, hugetlbPoolsOf } from '../mm/hugetlb.js';
import {
  SHM_HUGE_MASK,
  SHM_HUGE_SHIFT,
  SHM_HUGETLB,
  SHM_LOCKED,
  SHMMIN,
  SHMMNI,
  type ShmNamespace,
  type ShmSegment,
  shmNamespaceOf,
} from '../mm/shm.js';
import { PAGE } from '../mm/vma.js';
import { mmCaller } from './sys-mm.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EINVAL = -ERRNO.EINVAL;
const EACCES = -ERRNO.EACCES;
const EPERM = -ERRNO.EPERM;
const EFAULT = -ERRNO.EFAULT;

export const SHM_RDONLY = 0o10000;
export const SHM_RND = 0o20000;
export const SHM_REMAP = 0o40000;
export const SHM_EXEC = 0o100000;
const SHMLBA = PAGE;
const COMPAT_SHMLBA = 4 * PAGE;

const IPC_RMID = 0;
const IPC_SET = 1;
const IPC_STAT = 2;
const IPC_INFO = 3;
const SHM_LOCK = 11;
const SHM_UNLOCK = 12;
const SHM_STAT = 13;
const SHM_INFO = 14;
const SHM_STAT_ANY = 15;
/** The compat ABI's "new layout" flag in cmd (ARM's glibc always sets it). */
const IPC_64 = 0x100;
const RLIMIT_MEMLOCK = 8;
/** SHMMAX and SHMALL (ULONG_MAX - 2^24) exactly, for IPC_INFO. */
const SHMMAX_EXACT = 2n ** 64n - 2n ** 24n;
const SHMALL_EXACT = SHMMAX_EXACT;

/**
 * struct shminfo64 and struct shm_info (uapi linux/shm.h), for IPC_INFO and SHM_INFO.
 * TODO(integrator): these belong in abi/structs-ipc.ts beside shmid64_ds.
 */
const shminfo64 = defineStruct('shminfo64', {
  shmmax: ulong,
  shmmin: ulong,
  shmmni: ulong,
  shmseg: ulong,
  shmall: ulong,
  __unused: array(ulong, 4),
});
const shm_info = defineStruct('shm_info', {
  used_ids: i32,
  shm_tot: ulong,
  shm_rss: ulong,
  shm_swp: ulong,
  swap_attempts: ulong,
  swap_successes: ulong,
});

function ns(ctx: SyscallContext): ShmNamespace {
  const n = shmNamespaceOf(ctx.kernel, ctx.kernel.phys);
  n.clock = () => ctx.kernel.host.realtime().sec;
  n.currentPid = ctx.task.tgid;
  return n;
}

function cred(ctx: SyscallContext): IpcCaller {
  return ipcCaller(ctx.task);
}

function sysShmget(ctx: SyscallContext, a: readonly number[]): number {
  const [key, size, flags] = a as [number, number, number];
  let pool: HugetlbPool | undefined;
  if (flags & SHM_HUGETLB) {
    pool = hugetlbPoolsOf(ctx.kernel).bySizeLog((flags >>> SHM_HUGE_SHIFT) & SHM_HUGE_MASK);
    if (pool === undefined) return EINVAL;
  }
  return ns(ctx).get(key, size, flags, cred(ctx), pool);
}

/** do_shmat. */
function sysShmat(ctx: SyscallContext, a: readonly number[]): number {
  const [shmid, addr0, shmflg] = a as [number, number, number];
  const shmlba = ctx.compat ? COMPAT_SHMLBA : SHMLBA;
  if (shmid < 0) return EINVAL;
  let addr = addr0;
  let flags = M.MAP_SHARED;
  if (addr !== 0) {
    if (addr % shmlba !== 0) {
      if (shmflg & SHM_RND) {
        addr -= addr % shmlba;
        if (addr === 0 && shmflg & SHM_REMAP) return EINVAL;
      } else if (addr % PAGE !== 0) return EINVAL;
    }
    flags |= M.MAP_FIXED;
  } else if (shmflg & SHM_REMAP) return EINVAL;
  let prot = M.PROT_READ | M.PROT_WRITE;
  let acc = 0o666;
  if (shmflg & SHM_RDONLY) {
    prot = M.PROT_READ;
    acc = 0o444;
  }
  if (shmflg & SHM_EXEC) {
    prot |= M.PROT_EXEC;
    acc |= 0o111;
  }
  const seg = ns(ctx).byId(shmid);
  if (seg === undefined) return EINVAL;
  if (!seg.permits(cred(ctx), acc)) return EACCES;
  const size = seg.size();
  const mm = ctx.mm;
  if (addr !== 0 && !(shmflg & SHM_REMAP)) {
    if (!mm.isFree(addr / PAGE, Math.ceil((addr + size) / PAGE))) return EINVAL;
  }
  return doMmap(mm, {
    addr,
    len: size,
    prot,
    flags,
    off: 0,
    file: { backing: seg, readable: true, writable: !(shmflg & SHM_RDONLY) },
    caller: mmCaller(ctx),
    compat: ctx.compat,
    personality: ctx.task.personality,
    pools: hugetlbPoolsOf(ctx.kernel),
  });
}

/** ksys_shmdt: detaches the attach at addr, including pieces mprotect or munmap split off it. */
function sysShmdt(ctx: SyscallContext, a: readonly number[]): number {
  const addr = a[0]!;
  if (addr % PAGE !== 0) return EINVAL;
  const mm = ctx.mm;
  mmCaller(ctx);
  ns(ctx);
  const base = addr / PAGE;
  const atBase = (v: { start: number; offset: number; file?: { sysvShm?: boolean } }) =>
    v.file?.sysvShm === true && v.start - base === v.offset / PAGE;
  let v = mm.findAfter(base);
  let seg: unknown;
  let size = 0;
  let result = EINVAL;
  while (v !== undefined) {
    const next = mm.next(v);
    if (atBase(v)) {
      seg = v.file;
      size = v.file!.size();
      mm.munmap(v.start, v.end);
      result = 0;
      v = next;
      break;
    }
    v = next;
  }
  size = Math.ceil(size / PAGE) * PAGE;
  while (v !== undefined && v.end * PAGE - addr <= size) {
    const next = mm.next(v);
    if (atBase(v) && v.file === seg) mm.munmap(v.start, v.end);
    v = next;
  }
  return result;
}

/**
 * The shmid_ds a caller gets: shmid64_ds natively; in a compat call compat_shmid64_ds with IPC_64
 * in cmd, else the old compat_shmid_ds (16-bit ids and pids), as copy_compat_shmid_to_user does.
 */
function fillShmid(ctx: SyscallContext, seg: ShmSegment, version: number): Uint8Array {
  if (ctx.compat && version !== IPC_64) {
    return structBytes(layoutOf(compat_shmid_ds, ILP32_EABI), {
      shm_perm: {
        key: seg.key | 0,
        uid: lowUid(seg.uid),
        gid: lowUid(seg.gid),
        cuid: lowUid(seg.cuid),
        cgid: lowUid(seg.cgid),
        mode: seg.permMode & 0xffff,
        seq: seg.seq & 0xffff,
      },
      shm_segsz: seg.segsz | 0,
      shm_atime: seg.atime | 0,
      shm_dtime: seg.dtime | 0,
      shm_ctime: seg.ctime | 0,
      shm_cpid: seg.cpid & 0xffff,
      shm_lpid: seg.lpid & 0xffff,
      shm_nattch: seg.nattch & 0xffff,
    });
  }
  return structBytes(ctx.abi.shmid64_ds, {
    shm_perm: {
      key: seg.key | 0,
      uid: seg.uid,
      gid: seg.gid,
      cuid: seg.cuid,
      cgid: seg.cgid,
      mode: seg.permMode,
      seq: seg.seq & 0xffff,
    },
    shm_segsz: seg.segsz,
    shm_atime: seg.atime,
    shm_dtime: seg.dtime,
    shm_ctime: seg.ctime,
    shm_cpid: seg.cpid,
    shm_lpid: seg.lpid,
    shm_nattch: seg.nattch,
  });
}

function sysShmctl(ctx: SyscallContext, a: readonly number[]): number {
  const [shmid, cmd0, buf] = a as [number, number, number];
  let cmd = cmd0;
  // compat_ipc_parse_version: arm64's compat shmctl is the old one, IPC_64 in cmd picks the layout.
  const version = ctx.compat ? cmd & IPC_64 : IPC_64;
  if (ctx.compat) cmd &= ~IPC_64;
  if (cmd < 0 || shmid < 0) return EINVAL;
  const n = ns(ctx);
  const who = cred(ctx);
  switch (cmd) {
    case IPC_INFO: {
      const b = structBytes(layoutOf(shminfo64, ctx.abi.model), {
        // copy_compat_shminfo_to_user caps shmmax at INT_MAX; shmall is truncated to 32 bits.
        shmmax: ctx.compat ? 0x7fffffff : SHMMAX_EXACT,
        shmmin: SHMMIN,
        shmmni: n.ctlmni,
        shmseg: SHMMNI,
        shmall: SHMALL_EXACT,
      });
      return copyOut(ctx.mem, buf, b) ? n.maxIdx() : EFAULT;
    }
    case SHM_INFO: {
      let rss = 0;
      for (const s of n.segments()) rss += s.residentPages;
      const b = structBytes(layoutOf(shm_info, ctx.abi.model), {
        used_ids: n.count,
        shm_tot: n.totPages,
        shm_rss: rss,
      });
      return copyOut(ctx.mem, buf, b) ? n.maxIdx() : EFAULT;
    }
    case SHM_STAT:
    case SHM_STAT_ANY: {
      const seg = n.byIndex(shmid);
      if (seg === undefined) return EINVAL;
      if (cmd === SHM_STAT && !seg.permits(who, 0o444)) return EACCES;
      return copyOut(ctx.mem, buf, fillShmid(ctx, seg, version)) ? seg.id : EFAULT;
    }
    case IPC_STAT: {
      const seg = n.byId(shmid);
      if (seg === undefined) return EINVAL;
      if (!seg.permits(who, 0o444)) return EACCES;
      return copyOut(ctx.mem, buf, fillShmid(ctx, seg, version)) ? 0 : EFAULT;
    }
    case IPC_SET: {
      const old = ctx.compat && version !== IPC_64;
      const layout = old ? layoutOf(compat_shmid_ds, ILP32_EABI) : ctx.abi.shmid64_ds;
      const raw = copyIn(ctx.mem, buf, layout.size);
      if (raw === null) return EFAULT;
      const seg = n.byId(shmid);
      if (seg === undefined) return EINVAL;
      if (!seg.ownedBy(who)) return EPERM;
      const dv = new DataView(raw.buffer);
      const perm = old
        ? readStruct(layoutOf(compat_shmid_ds, ILP32_EABI), dv, 0).shm_perm
        : readStruct(ctx.abi.shmid64_ds, dv, 0).shm_perm;
      seg.uid = Number(perm.uid);
      seg.gid = Number(perm.gid);
      seg.permMode = (seg.permMode & ~0o777) | (Number(perm.mode) & 0o777);
      seg.ctime = ctx.kernel.host.realtime().sec;
      return 0;
    }
    case IPC_RMID: {
      const seg = n.byId(shmid);
      if (seg === undefined) return EINVAL;
      if (!seg.ownedBy(who)) return EPERM;
      n.remove(seg);
      return 0;
    }
    case SHM_LOCK:
    case SHM_UNLOCK: {
      const seg = n.byId(shmid);
      if (seg === undefined) return EINVAL;
      if (!who.privileged) {
        if (who.euid !== seg.uid && who.euid !== seg.cuid) return EPERM;
        if (cmd === SHM_LOCK && (ctx.task.rlimits[RLIMIT_MEMLOCK]?.[0] ?? 0) === 0) return EPERM;
      }
      if (cmd === SHM_LOCK) seg.permMode |= SHM_LOCKED;
      else seg.permMode &= ~SHM_LOCKED;
      return 0;
    }
    default:
      return EINVAL;
  }
}

export const SHM_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'shmget', args: ['int', 'size', 'int'], handler: sysShmget },
  { name: 'shmat', args: ['int', 'ptr', 'int'], handler: sysShmat },
  { name: 'shmdt', args: ['ptr'], handler: sysShmdt },
  { name: 'shmctl', args: ['int', 'int', 'ptr'], handler: sysShmctl },
];
