/**
 * process_vm_readv / process_vm_writev (mm/process_vm_access.c): copy between the caller's memory
 * and any process it may attach to (PTRACE_MODE_ATTACH_REALCREDS), the pid naming any of its threads.
 *
 * Linux's order of checks, which decides the error a caller sees:
 * 1. flags must be 0 (-EINVAL);
 * 2. the local iovec array (-EINVAL above UIO_MAXIOV entries or for a negative length, -EFAULT when
 *    unreadable); a local total of 0 bytes returns 0 before anything else is looked at;
 * 3. the remote iovec array, likewise; no remote byte to move returns 0;
 * 4. the pid (-ESRCH; also for a task that has no memory left), then the access check (-EPERM);
 * 5. the copy, in iovec order on both sides, until either side ends or a page of either side faults.
 *    The bytes moved are the result; a fault before the first byte is -EFAULT.
 * Remote pages are touched as the target would touch them (no FOLL_FORCE): a write to a read-only
 * remote page faults. Compat calls read 8-byte compat_iovecs (ctx.abi).
 */

import type { AddressSpace } from '../../../memory/address-space.js';
import { ERRNO } from '../../abi/errno.js';
import { readField } from '../../abi/marshal.js';
import type { SyscallContext, SyscallSpec } from '../../syscalls/syscall-types.js';
import { copyIn, copyOut } from '../../syscalls/uaccess.js';
import { PTRACE_MODE_ATTACH_REALCREDS, ptraceMayAccess } from './ptrace-access.js';

const EINVAL = -ERRNO.EINVAL;
const EFAULT = -ERRNO.EFAULT;
const ESRCH = -ERRNO.ESRCH;
const EPERM = -ERRNO.EPERM;

const UIO_MAXIOV = 1024;
/** MAX_RW_COUNT: INT_MAX rounded down to a page; longer local vectors are cut there. */
const MAX_RW_COUNT = 0x7ffff000;
const PAGE = 4096;

type Segment = [base: number, len: number];

/** iovec_from_user: count entries of the caller's ABI; -EINVAL for too many or a negative (ssize_t) length. */
function readIovecs(ctx: SyscallContext, addr: number, count: number): Segment[] | number {
  if (count > UIO_MAXIOV) return EINVAL;
  if (count === 0) return [];
  const layout = ctx.abi.iovec;
  const raw = copyIn(ctx.mem, addr, count * layout.size);
  if (raw === null) return EFAULT;
  const view = new DataView(raw.buffer);
  const out: Segment[] = [];
  for (let i = 0; i < count; i++) {
    const base = Number(readField(layout, view, i * layout.size, 'iov_base'));
    const len = readField(layout, view, i * layout.size, 'iov_len');
    // Linux compares the length as ssize_t; lengths from 2^53 up cannot be moved anyway.
    if (typeof len === 'bigint' || len < 0 || len > Number.MAX_SAFE_INTEGER) return EINVAL;
    out.push([base, len]);
  }
  return out;
}

/** import_iovec's cap: the total of the local segments stops at MAX_RW_COUNT. */
function capTotal(segs: Segment[]): number {
  let total = 0;
  for (const s of segs) {
    if (s[1] > MAX_RW_COUNT - total) s[1] = MAX_RW_COUNT - total;
    total += s[1];
  }
  return total;
}

/** Bytes from addr to the end of its page. */
function toPageEnd(addr: number): number {
  return PAGE - (addr % PAGE);
}

/**
 * Moves bytes between local and remote segments, in chunks that stay inside one page on both sides,
 * so a fault ends the transfer exactly after the last whole chunk. Returns the bytes moved, or
 * -EFAULT when none could be.
 */
function transfer(
  local: readonly Segment[],
  localAs: AddressSpace,
  remote: readonly Segment[],
  remoteAs: AddressSpace,
  write: boolean,
): number {
  let li = 0;
  let loff = 0;
  let total = 0;
  for (const [rbase, rlen] of remote) {
    let roff = 0;
    while (roff < rlen) {
      while (li < local.length && loff >= local[li]![1]) {
        li++;
        loff = 0;
      }
      if (li >= local.length) return total;
      const [lbase, llen] = local[li]!;
      const la = lbase + loff;
      const ra = rbase + roff;
      const n = Math.min(rlen - roff, llen - loff, toPageEnd(la), toPageEnd(ra));
      const ok = write ? move(localAs, la, remoteAs, ra, n) : move(remoteAs, ra, localAs, la, n);
      if (!ok) return total > 0 ? total : EFAULT;
      roff += n;
      loff += n;
      total += n;
    }
  }
  return total;
}

function move(from: AddressSpace, src: number, to: AddressSpace, dst: number, n: number): boolean {
  const buf = copyIn(from, src, n);
  return buf !== null && copyOut(to, dst, buf);
}

function processVm(ctx: SyscallContext, a: readonly number[], write: boolean): number {
  const [pid, lvec, liovcnt, rvec, riovcnt, flags] = a as [number, number, number, number, number, number];
  if (flags !== 0) return EINVAL;
  const local = readIovecs(ctx, lvec, liovcnt);
  if (typeof local === 'number') return local;
  if (capTotal(local) === 0) return 0;
  const remote = readIovecs(ctx, rvec, riovcnt);
  if (typeof remote === 'number') return remote;
  if (!remote.some((s) => s[1] > 0)) return 0;
  const target = pid > 0 ? ctx.kernel.tasks.get(pid) : undefined;
  // mm_access: a task that has exited (or whose memory is gone) is no longer found.
  if (target === undefined || target.exitStatus !== undefined || target.mm.as.disposed) return ESRCH;
  if (!ptraceMayAccess(ctx.kernel, ctx.task, target, PTRACE_MODE_ATTACH_REALCREDS)) return EPERM;
  return transfer(local, ctx.mem, remote, target.mm.as, write);
}

export const PROCESS_VM_SYSCALLS: readonly SyscallSpec[] = [
  {
    name: 'process_vm_readv',
    args: ['pid', 'ptr', 'ulong', 'ptr', 'ulong', 'ulong'],
    handler: (ctx, a) => processVm(ctx, a, false),
    compatAware: true,
  },
  {
    name: 'process_vm_writev',
    args: ['pid', 'ptr', 'ulong', 'ptr', 'ulong', 'ulong'],
    handler: (ctx, a) => processVm(ctx, a, true),
    compatAware: true,
  },
];
