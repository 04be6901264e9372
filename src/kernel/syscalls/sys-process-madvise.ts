/**
 * process_madvise and process_mrelease (mm/madvise.c, mm/oom_kill.c; Linux 6.1), both naming their
 * process by a pidfd (fs/pidfd-file.ts).
 *
 * process_madvise(pidfd, iovec, vlen, advice, flags), in Linux's order: flags must be 0 (-EINVAL);
 * the iovecs are read in the calling ABI's layout (8-byte compat_iovec in a compat call; more than
 * UIO_MAXIOV, a fault or a negative length as in readv); the fd must be a pidfd (-EBADF) of a process
 * that still exists (-ESRCH); the advice must be MADV_COLD, MADV_PAGEOUT, MADV_WILLNEED or
 * MADV_COLLAPSE (-EINVAL); a process without memory (a zombie) is -ESRCH; another process's memory
 * needs PTRACE_MODE_READ_FSCREDS (-EACCES from mm_access); and 6.1 wants CAP_SYS_NICE even for the
 * caller's own process (-EPERM; the check for other processes only came later). Each range is then
 * advised like madvise on the target's memory; the result is the bytes advised, or the first
 * range's error when none was.
 *
 * process_mrelease(pidfd, flags): reaps the memory of a process that is being killed. A live process
 * that is not dying is -EINVAL, one without memory left -ESRCH; compat64 frees a dying process's
 * memory as its threads exit, so a dying one just succeeds.
 */
import * as M from '../abi/mman.js';
import { pidfdGroupOf } from '../fs/pidfd-file.js';
import { MADV_COLLAPSE, madvise } from '../mm/madvise.js';
import type { MemoryMap } from '../mm/memory-map.js';
import { PTRACE_MODE_READ_FSCREDS, ptraceMayAccess } from '../security/ptrace/ptrace-access.js';
import type { Task } from '../task/task.js';
import type { ThreadGroup } from '../task/thread-group.js';
import { readIovecs } from './rw-segs.js';
import { EACCES, EINVAL, EPERM, ESRCH } from './sys-fs-common.js';
import type { SyscallArgs, SyscallContext, SyscallSpec } from './syscall-types.js';

/** process_madvise_behavior_valid (6.1): only non-destructive hints. */
function validAdvice(advice: number): boolean {
  return advice === M.MADV_COLD || advice === M.MADV_PAGEOUT || advice === M.MADV_WILLNEED || advice === MADV_COLLAPSE;
}

/** pidfd_get_task (PIDTYPE_TGID): the process, -EBADF for an fd that is not a pidfd, -ESRCH once reaped. */
function pidfdProcess(ctx: SyscallContext, fd: number): ThreadGroup | number {
  const g = pidfdGroupOf(ctx.task, fd);
  if (typeof g === 'number') return g;
  return g.state === 'reaped' ? ESRCH : g;
}

/** find_lock_task_mm: a thread of the process that still has its memory. */
function taskWithMm(g: ThreadGroup): Task | undefined {
  if (g.state !== 'live') return undefined;
  for (const t of g.threads) if (t.exitStatus === undefined) return t;
  return undefined;
}

function sysProcessMadvise(ctx: SyscallContext, a: SyscallArgs): number {
  const [pidfd, vec, vlen, advice, flags] = a as [number, number, number, number, number];
  if (flags !== 0) return EINVAL;
  const v = readIovecs(ctx, vec, vlen > 0x7fffffff ? -1 : vlen);
  if (typeof v === 'number') return v;
  const g = pidfdProcess(ctx, pidfd);
  if (typeof g === 'number') return g;
  if (!validAdvice(advice)) return EINVAL;
  const target = taskWithMm(g);
  if (target === undefined) return ESRCH;
  const mm: MemoryMap = target.mm;
  if (mm !== ctx.mm && !ptraceMayAccess(ctx.kernel, ctx.task, target, PTRACE_MODE_READ_FSCREDS)) return EACCES;
  // capable(CAP_SYS_NICE): compat64 gives every capability to euid 0 and none otherwise.
  if (ctx.task.creds.euid !== 0) return EPERM;
  let done = 0;
  let err = 0;
  for (const s of v.segs) {
    if (s.len === 0) continue;
    const r = madvise(mm, s.addr, s.len, advice, true);
    if (r < 0) {
      err = r;
      break;
    }
    done += s.len;
  }
  return done > 0 ? done : err;
}

function sysProcessMrelease(ctx: SyscallContext, a: SyscallArgs): number {
  const [pidfd, flags] = a as [number, number];
  if (flags !== 0) return EINVAL;
  const g = pidfdProcess(ctx, pidfd);
  if (typeof g === 'number') return g;
  const t = taskWithMm(g);
  if (t === undefined) return ESRCH;
  // task_will_free_mem: only a process that is being killed (a group exit is under way) is reaped,
  // and only when no other live process shares its memory (a vfork child, CLONE_VM without threads).
  if (t.signals.group.groupExitSignal === undefined) return EINVAL;
  return sharedWithOthers(ctx, g, t.mm) ? EINVAL : 0;
}

function sharedWithOthers(ctx: SyscallContext, g: ThreadGroup, mm: MemoryMap): boolean {
  for (const other of ctx.kernel.groups.values()) {
    if (other === g || other.state !== 'live') continue;
    for (const t of other.threads) if (t.mm === mm && t.exitStatus === undefined) return true;
  }
  return false;
}

export const PROCESS_MADVISE_SYSCALLS: readonly SyscallSpec[] = [
  {
    name: 'process_madvise',
    args: ['fd', 'ptr', 'size', 'int', 'hex'],
    handler: sysProcessMadvise,
    compatAware: true,
  },
  {
    name: 'process_mrelease',
    args: ['fd', 'hex'],
    handler: sysProcessMrelease,
    level: 'partial',
    note: "a dying process's memory is freed as its threads exit; the call only reports success",
  },
];
