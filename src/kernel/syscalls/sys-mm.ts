/**
 * The memory-management syscalls: mmap, munmap, mprotect, brk, mremap, madvise, msync, mincore,
 * the mlock family and memfd_create (process_vm_readv/writev: security/ptrace/process-vm.ts).
 * Handlers shape arguments and pick the calling ABI's address limits (ctx.compat: below 4 GiB under mmap_compat_base); the work is in
 * kernel/mm/.
 */
import { ERRNO } from '../abi/errno.js';
import { O_ACCMODE, O_PATH, O_RDONLY, O_RDWR, O_WRONLY } from '../abi/fcntl.js';
import * as M from '../abi/mman.js';
import { doBrk } from '../mm/brk.js';
import { doMmap, type MmapFile } from '../mm/do-mmap.js';
import { hugetlbPoolsOf } from '../mm/hugetlb.js';
import { madvise } from '../mm/madvise.js';
import { createMemfd, MFD_CLOEXEC, MFD_NAME_MAX_LEN } from '../mm/memfd.js';
import type { MmCaller } from '../mm/memory-map.js';
import { doMlock, mlock2, mlockall, munlock, munlockall } from '../mm/mlock.js';
import { mremap } from '../mm/mremap.js';
import { pageCacheOf } from '../mm/page-cache.js';
import { PAGE, VM_LOCKED } from '../mm/vma.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut, readCString } from './uaccess.js';

const EINVAL = -ERRNO.EINVAL;
const ENOMEM = -ERRNO.ENOMEM;
const EBADF = -ERRNO.EBADF;
const EFAULT = -ERRNO.EFAULT;
const EBUSY = -ERRNO.EBUSY;
const TASK_SIZE_64 = 2 ** 48;
const TWO64 = 2 ** 64;

const pageUp = (n: number) => Math.ceil(n / PAGE) * PAGE;

/** The calling ABI's limits, the process's rlimits and privilege, for every mm operation. */
export function mmCaller(ctx: SyscallContext): MmCaller {
  // Stack growth happens outside syscalls: keep the process's limits where the fault path finds them.
  ctx.mm.rlimits = ctx.task.rlimits;
  return {
    limits: ctx.compat ? ctx.mm.layout.compat : ctx.mm.layout.native,
    rlimits: ctx.task.rlimits,
    privileged: ctx.task.creds.euid === 0,
  };
}

function sysMmap(ctx: SyscallContext, a: readonly number[]): number {
  const [addr, len, prot, flags, fd, off] = a as [number, number, number, number, number, number];
  let file: MmapFile | undefined;
  if (!(flags & M.MAP_ANONYMOUS)) {
    const f = ctx.task.files.get(fd);
    if (f === undefined || f.flags & O_PATH) return EBADF;
    const acc = f.flags & O_ACCMODE;
    // io_uring's ring fd validates the region offset and its size (io_uring_validate_mmap_request).
    const bad = f.mmapCheck?.(off, len) ?? 0;
    if (bad < 0) return bad;
    file = {
      backing: f.mapping?.(),
      readable: acc === O_RDONLY || acc === O_RDWR,
      writable: acc === O_WRONLY || acc === O_RDWR,
    };
  }
  return doMmap(ctx.mm, {
    addr,
    len,
    prot,
    flags,
    off,
    file,
    caller: mmCaller(ctx),
    compat: ctx.compat,
    personality: ctx.task.personality,
    pools: hugetlbPoolsOf(ctx.kernel),
  });
}

function sysMunmap(ctx: SyscallContext, a: readonly number[]): number {
  const [start, len0] = a as [number, number];
  if (start % PAGE !== 0 || start > TASK_SIZE_64 || len0 > TASK_SIZE_64 - start) return EINVAL;
  const len = pageUp(len0);
  if (len === 0) return EINVAL;
  mmCaller(ctx);
  return ctx.mm.munmap(start / PAGE, (start + len) / PAGE);
}

/** arm64's arch_validate_prot: PROT_SEM is accepted; PROT_BTI and PROT_MTE need BTI and MTE, which the CPU lacks. */
const PROT_SEM = 0x8;

function sysMprotect(ctx: SyscallContext, a: readonly number[]): number {
  const [start0, len0, prot0] = a as [number, number, number];
  const grows = prot0 & (M.PROT_GROWSDOWN | M.PROT_GROWSUP);
  let prot = prot0 & ~(M.PROT_GROWSDOWN | M.PROT_GROWSUP);
  if (grows === (M.PROT_GROWSDOWN | M.PROT_GROWSUP)) return EINVAL;
  if (start0 % PAGE !== 0) return EINVAL;
  if (len0 === 0) return 0;
  const len = pageUp(len0);
  let start = start0;
  const end = start + len;
  if (end >= TWO64 || len === 0) return ENOMEM;
  if (prot & ~(M.PROT_READ | M.PROT_WRITE | M.PROT_EXEC | PROT_SEM)) return EINVAL;
  prot &= M.PROT_READ | M.PROT_WRITE | M.PROT_EXEC;
  const mm = ctx.mm;
  const caller = mmCaller(ctx);
  const v = mm.findAfter(start / PAGE);
  if (v === undefined || v.start * PAGE >= end) return ENOMEM;
  if (grows & M.PROT_GROWSDOWN) {
    if (!(v.flags & M.MAP_GROWSDOWN)) return EINVAL;
    start = v.start * PAGE;
  } else {
    if (v.start * PAGE > start) return ENOMEM;
    if (grows & M.PROT_GROWSUP) return EINVAL;
  }
  if (ctx.task.personality & 0x0400000 && prot & M.PROT_READ) prot |= M.PROT_EXEC;
  return mm.mprotect(start / PAGE, end / PAGE, prot, caller);
}

function sysBrk(ctx: SyscallContext, a: readonly number[]): number {
  return doBrk(ctx.mm, mmCaller(ctx), a[0]!);
}

function sysMremap(ctx: SyscallContext, a: readonly number[]): number {
  const [addr, oldLen, newLen, flags, newAddr] = a as [number, number, number, number, number];
  return mremap(ctx.mm, mmCaller(ctx), addr, oldLen, newLen, flags, newAddr);
}

function sysMadvise(ctx: SyscallContext, a: readonly number[]): number {
  const [start, len, advice] = a as [number, number, number];
  mmCaller(ctx);
  return madvise(ctx.mm, start, len, advice, ctx.task.creds.euid === 0);
}

/**
 * msync: holes give -ENOMEM (at once for plain MS_ASYNC, after the rest otherwise), MS_INVALIDATE
 * on locked memory -EBUSY. Shared file pages are written back to the host for MS_SYNC and
 * MS_ASYNC alike (Linux schedules the MS_ASYNC writeback; compat64 does it now).
 */
function sysMsync(ctx: SyscallContext, a: readonly number[]): number {
  const [start0, len0, flags] = a as [number, number, number];
  if (flags & ~(M.MS_ASYNC | M.MS_INVALIDATE | M.MS_SYNC)) return EINVAL;
  if (start0 % PAGE !== 0) return EINVAL;
  if (flags & M.MS_ASYNC && flags & M.MS_SYNC) return EINVAL;
  const len = pageUp(len0);
  const end = (start0 + len) / PAGE;
  if (start0 + len >= TWO64) return ENOMEM;
  if (len === 0) return 0;
  const mm = ctx.mm;
  let p = start0 / PAGE;
  let unmapped = 0;
  let v = mm.findAfter(p);
  for (;;) {
    if (v === undefined) return ENOMEM;
    if (p < v.start) {
      if (flags === M.MS_ASYNC) return ENOMEM;
      p = v.start;
      if (p >= end) return ENOMEM;
      unmapped = ENOMEM;
    }
    if (flags & M.MS_INVALIDATE && v.vmFlags & VM_LOCKED) return EBUSY;
    const to = Math.min(end, v.end);
    if (v.file !== undefined) mm.writeBack(v, p, to);
    p = v.end;
    if (p >= end) return unmapped;
    v = mm.findAfter(p);
  }
}

/**
 * mincore: one byte per page, 1 when resident — a present page-table entry, or for file and
 * shared mappings a page in the object's cache. The range must be mapped throughout (-ENOMEM).
 */
function sysMincore(ctx: SyscallContext, a: readonly number[]): number {
  const [start, len, vec] = a as [number, number, number];
  if (start % PAGE !== 0) return EINVAL;
  if (start + len > TASK_SIZE_64) return ENOMEM;
  const pages = Math.ceil(len / PAGE);
  if (vec + pages > TASK_SIZE_64) return EFAULT;
  const mm = ctx.mm;
  const out = new Uint8Array(Math.min(pages, PAGE));
  for (let done = 0; done < pages; ) {
    const chunk = Math.min(pages - done, PAGE);
    const first = start / PAGE + done;
    for (let i = 0; i < chunk; ) {
      const v = mm.find(first + i);
      if (v === undefined) return ENOMEM;
      const to = Math.min(chunk, v.end - first);
      const cache = v.file === undefined ? undefined : pageCacheOf(v.file, mm.as.phys);
      for (; i < to; i++) {
        const p = first + i;
        const e = mm.as.pte(p);
        let resident = e >= 0;
        if (!resident && cache !== undefined) resident = cache.resident(v.offset / PAGE + (p - v.start));
        out[i] = resident ? 1 : 0;
      }
    }
    if (!copyOut(ctx.mem, vec + done, out, 0, chunk)) return EFAULT;
    done += chunk;
  }
  return 0;
}

function sysMlock(ctx: SyscallContext, a: readonly number[]): number {
  return doMlock(ctx.mm, mmCaller(ctx), a[0]!, a[1]!, VM_LOCKED);
}

function sysMlock2(ctx: SyscallContext, a: readonly number[]): number {
  return mlock2(ctx.mm, mmCaller(ctx), a[0]!, a[1]!, a[2]!);
}

function sysMunlock(ctx: SyscallContext, a: readonly number[]): number {
  mmCaller(ctx);
  return munlock(ctx.mm, a[0]!, a[1]!);
}

function sysMlockall(ctx: SyscallContext, a: readonly number[]): number {
  return mlockall(ctx.mm, mmCaller(ctx), a[0]!);
}

function sysMunlockall(ctx: SyscallContext): number {
  return munlockall(ctx.mm);
}

function sysMemfdCreate(ctx: SyscallContext, a: readonly number[]): number {
  const [uname, flags] = a as [number, number];
  const raw = readCString(ctx.mem, uname, MFD_NAME_MAX_LEN + 1);
  if (raw === null) return copyIn(ctx.mem, uname, 1) === null ? EFAULT : EINVAL;
  const name = String.fromCharCode(...raw);
  const f = createMemfd(
    ctx.kernel.phys,
    hugetlbPoolsOf(ctx.kernel),
    name,
    flags,
    ctx.task.creds.euid,
    ctx.task.creds.egid,
    ctx.kernel.host.realtime(),
  );
  if (typeof f === 'number') return f;
  const fd = ctx.task.files.install(f, (flags & MFD_CLOEXEC) !== 0);
  if (fd < 0) f.release();
  return fd;
}

export const MM_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'mmap', args: ['ptr', 'size', 'prot', 'mapflags', 'fd', 'off'], handler: sysMmap },
  { name: 'munmap', args: ['ptr', 'size'], handler: sysMunmap },
  { name: 'mprotect', args: ['ptr', 'size', 'prot'], handler: sysMprotect },
  { name: 'brk', args: ['ptr'], handler: sysBrk },
  { name: 'mremap', args: ['ptr', 'size', 'size', 'hex', 'ptr'], handler: sysMremap },
  { name: 'madvise', args: ['ptr', 'size', 'int'], handler: sysMadvise },
  { name: 'msync', args: ['ptr', 'size', 'hex'], handler: sysMsync },
  { name: 'mincore', args: ['ptr', 'size', 'ptr'], handler: sysMincore },
  { name: 'mlock', args: ['ptr', 'size'], handler: sysMlock },
  { name: 'mlock2', args: ['ptr', 'size', 'hex'], handler: sysMlock2 },
  { name: 'munlock', args: ['ptr', 'size'], handler: sysMunlock },
  { name: 'mlockall', args: ['hex'], handler: sysMlockall },
  { name: 'munlockall', args: [], handler: sysMunlockall },
  { name: 'memfd_create', args: ['str', 'uint'], handler: sysMemfdCreate },
];
