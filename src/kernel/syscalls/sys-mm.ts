import { PTE_R } from '../../memory/address-space.js';
import { Access, FaultResult } from '../../memory/guest-fault.js';
import * as M from '../abi/mman.js';
import { O_ACCMODE, O_RDWR, O_WRONLY } from '../abi/fcntl.js';
import { MMAP_MIN_ADDR } from '../mm/memory-map.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyOut } from './uaccess.js';

const PAGE = 4096;
const EPERM = -1;
const EBADF = -9;
const ENOMEM = -12;
const EACCES = -13;
const EFAULT = -14;
const EEXIST = -17;
const ENODEV = -19;
const EINVAL = -22;

const pageUp = (n: number) => Math.ceil(n / PAGE) * PAGE;

function limits(ctx: SyscallContext) {
  return ctx.compat ? ctx.mm.layout.compat : ctx.mm.layout.native;
}

function sysMmap(ctx: SyscallContext, a: readonly number[]): number {
  const [addr, len, prot, flags, fd, off] = a as [number, number, number, number, number, number];
  if (len === 0 || off % PAGE !== 0 || off < 0) return EINVAL;
  const type = flags & M.MAP_TYPE;
  if (type !== M.MAP_SHARED && type !== M.MAP_PRIVATE && type !== M.MAP_SHARED_VALIDATE) return EINVAL;
  const size = pageUp(len);
  if (size > limits(ctx).taskSize) return ENOMEM;
  if (flags & M.MAP_HUGETLB) return EINVAL; // no hugetlb pool yet (memory-manager issue)
  let file;
  if (!(flags & M.MAP_ANONYMOUS)) {
    const f = ctx.task.files.get(fd);
    if (f === undefined) return EBADF;
    const backing = f.mapping?.();
    if (backing === undefined) return ENODEV;
    const acc = f.flags & O_ACCMODE;
    if (acc === O_WRONLY) return EACCES;
    if (type !== M.MAP_PRIVATE && prot & M.PROT_WRITE && acc !== O_RDWR) return EACCES;
    file = backing;
  }
  let where: number;
  if (flags & (M.MAP_FIXED | M.MAP_FIXED_NOREPLACE)) {
    if (addr % PAGE !== 0) return EINVAL;
    if (addr < MMAP_MIN_ADDR) return EPERM;
    if (addr + size > limits(ctx).taskSize) return ENOMEM;
    if (flags & M.MAP_FIXED_NOREPLACE && !(flags & M.MAP_FIXED) && !ctx.mm.isFree(addr / PAGE, (addr + size) / PAGE))
      return EEXIST;
    where = addr;
  } else {
    where = ctx.mm.findFree(size, Math.floor(addr / PAGE) * PAGE, limits(ctx));
    if (where < 0) return ENOMEM;
  }
  const keep = flags & (M.MAP_TYPE | M.MAP_GROWSDOWN | M.MAP_NORESERVE | M.MAP_STACK);
  if (!ctx.mm.map(where, size, prot & 7, keep === M.MAP_SHARED_VALIDATE ? M.MAP_SHARED : keep, file, off))
    return ENOMEM;
  if (flags & M.MAP_POPULATE) populate(ctx, where, size, prot);
  return where;
}

/** Faults in every page of a range now (MAP_POPULATE, MADV_POPULATE_*). */
function populate(ctx: SyscallContext, addr: number, size: number, prot: number): boolean {
  const access = prot & M.PROT_WRITE ? Access.Write : Access.Read;
  for (let p = addr / PAGE; p < (addr + size) / PAGE; p++) {
    if (ctx.mm.as.pte(p) >= 0 && access === Access.Read) continue;
    if (ctx.mm.resolveFault(p, access) !== FaultResult.Resolved) return false;
  }
  return true;
}

function sysMunmap(ctx: SyscallContext, a: readonly number[]): number {
  const [addr, len] = a as [number, number];
  if (addr % PAGE !== 0 || len === 0 || addr + len > 2 ** 48) return EINVAL;
  ctx.mm.unmap(addr / PAGE, pageUp(addr + len) / PAGE);
  return 0;
}

function sysMprotect(ctx: SyscallContext, a: readonly number[]): number {
  const [addr, len, prot] = a as [number, number, number];
  if (addr % PAGE !== 0) return EINVAL;
  if (prot & ~(M.PROT_READ | M.PROT_WRITE | M.PROT_EXEC | M.PROT_GROWSDOWN | M.PROT_GROWSUP)) return EINVAL;
  if (len === 0) return 0;
  return ctx.mm.protect(addr / PAGE, pageUp(addr + len) / PAGE, prot & 7) ? 0 : ENOMEM;
}

function sysBrk(ctx: SyscallContext, a: readonly number[]): number {
  const mm = ctx.mm;
  const want = a[0]!;
  if (want < mm.brkStart) return mm.brk;
  const oldEnd = pageUp(mm.brk);
  const newEnd = pageUp(want);
  if (newEnd > oldEnd) {
    if (!mm.isFree(oldEnd / PAGE, newEnd / PAGE + 256 /* keep the stack guard gap */)) return mm.brk;
    if (!mm.map(oldEnd, newEnd - oldEnd, M.PROT_READ | M.PROT_WRITE, M.MAP_PRIVATE, undefined, 0, '[heap]'))
      return mm.brk;
  } else if (newEnd < oldEnd) {
    mm.unmap(newEnd / PAGE, oldEnd / PAGE);
  }
  mm.brk = want;
  return want;
}

function sysMremap(ctx: SyscallContext, a: readonly number[]): number {
  const [old, oldLen0, newLen0, flags, newAddr] = a as [number, number, number, number, number];
  const mm = ctx.mm;
  if (old % PAGE !== 0) return EINVAL;
  if (flags & ~(M.MREMAP_MAYMOVE | M.MREMAP_FIXED | M.MREMAP_DONTUNMAP)) return EINVAL;
  if (flags & M.MREMAP_FIXED && !(flags & M.MREMAP_MAYMOVE)) return EINVAL;
  const oldLen = pageUp(oldLen0);
  const newLen = pageUp(newLen0);
  if (newLen === 0) return EINVAL;
  const start = old / PAGE;
  const v = mm.find(start);
  if (v === undefined || (oldLen > 0 && v.end < start + oldLen / PAGE)) return EFAULT;
  if (!(flags & M.MREMAP_FIXED)) {
    if (newLen <= oldLen) {
      if (newLen < oldLen) mm.unmap(start + newLen / PAGE, start + oldLen / PAGE);
      return old;
    }
    // Grow in place when the pages after the VMA are free.
    if (v.end === start + oldLen / PAGE && mm.isFree(v.end, start + newLen / PAGE)) {
      const ok = mm.map(
        old + oldLen,
        newLen - oldLen,
        v.prot,
        v.flags,
        v.file,
        v.file ? v.offset + (v.end - v.start) * PAGE : 0,
        v.name,
      );
      return ok ? old : ENOMEM;
    }
    if (!(flags & M.MREMAP_MAYMOVE)) return ENOMEM;
  }
  let dest: number;
  if (flags & M.MREMAP_FIXED) {
    if (newAddr % PAGE !== 0) return EINVAL;
    if (newAddr < old + oldLen && old < newAddr + newLen) return EINVAL;
    dest = newAddr;
  } else {
    dest = mm.findFree(newLen, 0, limits(ctx));
    if (dest < 0) return ENOMEM;
  }
  const moved = Math.min(oldLen, newLen) / PAGE;
  const offset = v.file ? v.offset + (start - v.start) * PAGE : 0;
  if (!mm.map(dest, newLen, v.prot, v.flags, v.file, offset, v.name)) return ENOMEM;
  const as = mm.as;
  for (let i = 0; i < moved; i++) {
    const e = as.pte(start + i);
    if (e < 0) continue;
    const frame = Math.floor(e / 8);
    as.phys.ref(frame);
    as.setPte(dest / PAGE + i, frame, e % 8);
  }
  if (flags & M.MREMAP_DONTUNMAP) {
    for (let i = 0; i < oldLen / PAGE; i++) as.clearPte(start + i);
  } else {
    mm.unmap(start, start + oldLen / PAGE);
  }
  return dest;
}

function sysMadvise(ctx: SyscallContext, a: readonly number[]): number {
  const [addr, len, advice] = a as [number, number, number];
  if (addr % PAGE !== 0) return EINVAL;
  const end = pageUp(addr + len) / PAGE;
  switch (advice) {
    case M.MADV_DONTNEED:
    case M.MADV_FREE:
      // Private pages are dropped: anonymous memory reads back as zeros, file pages from the file.
      for (let p = addr / PAGE; p < end; p++) {
        const v = ctx.mm.find(p);
        if (v === undefined) return ENOMEM;
        if ((v.flags & M.MAP_TYPE) === M.MAP_PRIVATE) ctx.mm.as.clearPte(p);
      }
      return 0;
    case M.MADV_POPULATE_READ:
    case M.MADV_POPULATE_WRITE:
      return populate(
        ctx,
        addr,
        (end - addr / PAGE) * PAGE,
        advice === M.MADV_POPULATE_WRITE ? M.PROT_WRITE : M.PROT_READ,
      )
        ? 0
        : EFAULT;
    case M.MADV_NORMAL:
    case M.MADV_RANDOM:
    case M.MADV_SEQUENTIAL:
    case M.MADV_WILLNEED:
    case M.MADV_DONTFORK:
    case M.MADV_DOFORK:
    case M.MADV_MERGEABLE:
    case M.MADV_UNMERGEABLE:
    case M.MADV_HUGEPAGE:
    case M.MADV_NOHUGEPAGE:
    case M.MADV_DONTDUMP:
    case M.MADV_DODUMP:
    case M.MADV_COLD:
    case M.MADV_PAGEOUT:
    case M.MADV_WIPEONFORK:
    case M.MADV_KEEPONFORK:
      // Hints with no effect on what the guest can observe in a single process.
      for (let p = addr / PAGE; p < end; ) {
        const v = ctx.mm.find(p);
        if (v === undefined) return ENOMEM;
        p = v.end;
      }
      return 0;
    default:
      return EINVAL;
  }
}

function sysMsync(ctx: SyscallContext, a: readonly number[]): number {
  const [addr, len, flags] = a as [number, number, number];
  if (addr % PAGE !== 0 || flags & ~(M.MS_ASYNC | M.MS_SYNC | M.MS_INVALIDATE)) return EINVAL;
  if (flags & M.MS_ASYNC && flags & M.MS_SYNC) return EINVAL;
  const end = pageUp(addr + len) / PAGE;
  for (let p = addr / PAGE; p < end; ) {
    const v = ctx.mm.find(p);
    if (v === undefined) return ENOMEM;
    ctx.mm.writeBackShared(v, p, Math.min(v.end, end));
    p = v.end;
  }
  return 0;
}

function sysMincore(ctx: SyscallContext, a: readonly number[]): number {
  const [addr, len, vec] = a as [number, number, number];
  if (addr % PAGE !== 0) return EINVAL;
  const pages = pageUp(len) / PAGE;
  const out = new Uint8Array(pages);
  for (let i = 0; i < pages; i++) {
    const p = addr / PAGE + i;
    if (ctx.mm.find(p) === undefined) return ENOMEM;
    out[i] = ctx.mm.as.pte(p) >= 0 && ctx.mm.as.pte(p) & PTE_R ? 1 : 0;
  }
  return copyOut(ctx.mem, vec, out) ? 0 : EFAULT;
}

function accountedOnly(): number {
  return 0;
}

export const MM_SYSCALLS: readonly SyscallSpec[] = [
  {
    name: 'mmap',
    args: ['ptr', 'size', 'prot', 'mapflags', 'fd', 'off'],
    handler: sysMmap,
    level: 'partial',
    note: 'no hugetlb',
  },
  { name: 'munmap', args: ['ptr', 'size'], handler: sysMunmap },
  { name: 'mprotect', args: ['ptr', 'size', 'prot'], handler: sysMprotect },
  { name: 'brk', args: ['ptr'], handler: sysBrk },
  { name: 'mremap', args: ['ptr', 'size', 'size', 'hex', 'ptr'], handler: sysMremap },
  { name: 'madvise', args: ['ptr', 'size', 'int'], handler: sysMadvise },
  { name: 'msync', args: ['ptr', 'size', 'hex'], handler: sysMsync },
  { name: 'mincore', args: ['ptr', 'size', 'ptr'], handler: sysMincore },
  { name: 'mlock', args: ['ptr', 'size'], handler: accountedOnly, level: 'partial', note: 'not accounted yet' },
  { name: 'munlock', args: ['ptr', 'size'], handler: accountedOnly, level: 'partial', note: 'not accounted yet' },
  { name: 'mlockall', args: ['hex'], handler: accountedOnly, level: 'partial', note: 'not accounted yet' },
  { name: 'munlockall', args: [], handler: accountedOnly, level: 'partial', note: 'not accounted yet' },
];
