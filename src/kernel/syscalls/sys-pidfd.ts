/**
 * pidfds (kernel/pid.c, kernel/signal.c): pidfd_open, pidfd_send_signal, pidfd_getfd, and the
 * helpers other calls need to name a process by pidfd (waitid's P_PIDFD, clone's CLONE_PIDFD).
 * The file itself is fs/pidfd-file.ts.
 *
 * pidfd_send_signal reads a siginfo_t through the calling ABI (copy_siginfo_from_user_any: the
 * compat layout inside a compat call), so the spec is compatAware and the compat row shares it.
 */
import type { OpenFile } from '../fs/open-file.js';
import { installPidfd, PIDFD_NONBLOCK, pidfdGroupOf, pidfdTarget } from '../fs/pidfd-file.js';
import { O_NONBLOCK } from '../abi/fcntl.js';
import type { Kernel } from '../kernel.js';
import { PTRACE_MODE_ATTACH_REALCREDS, ptraceMayAccess } from '../security/ptrace/ptrace-access.js';
import {
  KERNEL_SIGINFO_SIZE,
  killInfo,
  knownSiginfoLayout,
  SI_USER,
  SIGINFO_SIZE,
  type SigInfo,
  siCode,
  siSigno,
} from '../task/siginfo.js';
import { siginfoFromCompat } from '../task/siginfo-compat.js';
import type { Task } from '../task/task.js';
import type { ThreadGroup } from '../task/thread-group.js';
import { doRtSigqueueinfo, killSomething } from './sys-signal.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, writeU32 } from './uaccess.js';

const ESRCH = -3;
const EBADF = -9;
const E2BIG = -7;
const EFAULT = -14;
const EINVAL = -22;

/** pidfd_open(pid, flags): a pidfd for the process whose leader is pid. */
function sysPidfdOpen(ctx: SyscallContext, a: readonly number[]): number {
  const pid = a[0]! | 0;
  const flags = a[1]! >>> 0;
  if (flags & ~PIDFD_NONBLOCK) return EINVAL;
  if (pid <= 0) return EINVAL;
  // find_get_pid: any task still holding the pid, thread or process (until it is released).
  const t = ctx.kernel.tasks.get(pid);
  const g = ctx.kernel.groups.get(pid);
  if (t === undefined && g === undefined) return ESRCH;
  // pidfd_create: the pid must name a thread-group leader (6.1 has no PIDFD_THREAD).
  if (g === undefined || g.state === 'reaped') return EINVAL;
  return installPidfd(ctx.kernel, ctx.task, g, (flags & PIDFD_NONBLOCK) !== 0);
}

/**
 * copy_siginfo_from_user_any: the caller's siginfo, si_signo as written (pidfd_send_signal compares
 * it with sig itself). Native: the kernel's 48 bytes, the rest must be zero unless the layout is
 * known (E2BIG); compat: the whole compat_siginfo widened by its own si_signo and si_code.
 */
function readSiginfoAny(ctx: SyscallContext, addr: number): SigInfo | number {
  if (ctx.compat) {
    const c = copyIn(ctx.mem, addr, SIGINFO_SIZE);
    if (c === null) return EFAULT;
    const signo = new DataView(c.buffer, c.byteOffset, 4).getInt32(0, true);
    return siginfoFromCompat(signo, c);
  }
  const b = copyIn(ctx.mem, addr, KERNEL_SIGINFO_SIZE);
  if (b === null) return EFAULT;
  const info = new Uint8Array(SIGINFO_SIZE);
  info.set(b);
  if (!knownSiginfoLayout(siSigno(info), siCode(info))) {
    const rest = copyIn(ctx.mem, addr + KERNEL_SIGINFO_SIZE, SIGINFO_SIZE - KERNEL_SIGINFO_SIZE);
    if (rest === null) return EFAULT;
    if (rest.some((x) => x !== 0)) return E2BIG;
  }
  return info;
}

/**
 * tgid_pidfd_to_pid: an open /proc/<tgid> directory names that process too (-EBADF for any other
 * file). The process is looked up now; once it is reaped (kernel.groups forgets it) there is none.
 */
function procTgidDirGroup(ctx: SyscallContext, f: OpenFile): ThreadGroup | number {
  const loc = f.loc;
  const proc = loc?.parent;
  const isTgidDir =
    loc !== undefined &&
    loc.node.kind === 'synth' &&
    loc.node.s.type === 'dir' &&
    /^[1-9][0-9]*$/.test(loc.name) &&
    proc !== undefined &&
    proc.name === 'proc' &&
    proc.node.kind === 'synth' &&
    proc.parent !== undefined &&
    proc.parent.parent === undefined;
  if (!isTgidDir) return EBADF;
  return ctx.kernel.groups.get(Number(loc.name)) ?? ESRCH;
}

/** pidfd_send_signal(pidfd, sig, info, flags). */
function sysPidfdSendSignal(ctx: SyscallContext, a: readonly number[]): number {
  const fd = a[0]! | 0;
  const sig = a[1]! | 0;
  const uinfo = a[2]!;
  const flags = a[3]! >>> 0;
  if (flags !== 0) return EINVAL;
  const f = ctx.task.files.get(fd);
  if (f === undefined) return EBADF;
  // pidfd_to_pid: a pidfd, or an open /proc/<tgid> directory (tgid_pidfd_to_pid).
  const g = pidfdTarget(f) ?? procTgidDirGroup(ctx, f);
  if (typeof g === 'number') return g;
  let info: SigInfo;
  if (uinfo !== 0) {
    const r = readSiginfoAny(ctx, uinfo);
    if (typeof r === 'number') return r;
    if (siSigno(r) !== sig) return EINVAL;
    info = r;
  } else {
    info = killInfo(sig, SI_USER, ctx.task.tgid, ctx.task.creds.uid);
  }
  // kill_pid_info: a reaped process has no task left.
  if (g.state === 'reaped') return ESRCH;
  // Only the caller itself may be sent a siginfo that pretends to come from kill or the kernel:
  // task_pid(current) != pid, which doRtSigqueueinfo tests as current's tid against the pid.
  if (uinfo !== 0) return doRtSigqueueinfo(ctx.kernel, ctx.task, g.tgid, sig, info);
  return killSomething(ctx.kernel, ctx.task, g.tgid, sig, info);
}

/** The task holding pid's struct (pid_task(pid, PIDTYPE_PID)): the leader until the process is reaped. */
function leaderOf(g: ThreadGroup): Task | undefined {
  return g.state === 'reaped' ? undefined : g.leader;
}

/** pidfd_getfd(pidfd, targetfd, flags): a copy of another process's fd, close-on-exec. */
function sysPidfdGetfd(ctx: SyscallContext, a: readonly number[]): number {
  const pidfd = a[0]! | 0;
  const targetFd = a[1]! | 0;
  const flags = a[2]! >>> 0;
  if (flags !== 0) return EINVAL;
  const g = pidfdGroupOf(ctx.task, pidfd);
  if (typeof g === 'number') return g;
  const t = leaderOf(g);
  if (t === undefined) return ESRCH;
  if (!ptraceMayAccess(ctx.kernel, ctx.task, t, PTRACE_MODE_ATTACH_REALCREDS)) return -1; // EPERM
  // fget_task: an exited leader has no files any more.
  if (t.exitStatus !== undefined) return EBADF;
  const file = t.files.get(targetFd);
  if (file === undefined) return EBADF;
  return ctx.task.files.install(file, true);
}

/**
 * waitid(P_PIDFD, fd): the pid to wait for and whether the pidfd is O_NONBLOCK (then waitid adds
 * WNOHANG, as kernel_waitid does since 5.15), or -EBADF when fd is not a pidfd. An id < 0 is
 * -EINVAL before the fd is looked at (kernel_waitid's order).
 */
export function pidOfPidfd(task: Task, fd: number): { pid: number; nonblock: boolean } | number {
  if (fd < 0) return EINVAL;
  const f = task.files.get(fd);
  const g = pidfdGroupOf(task, fd);
  if (typeof g === 'number') return g;
  return { pid: g.tgid, nonblock: f !== undefined && (f.flags & O_NONBLOCK) !== 0 };
}

/** CLONE_PIDFD, CLONE_DETACHED, CLONE_THREAD and CLONE_PARENT_SETTID (task/clone.ts has them too). */
const CLONE_PIDFD = 0x1000;
const CLONE_THREAD = 0x10000;
const CLONE_PARENT_SETTID = 0x100000;
const CLONE_DETACHED = 0x400000;

/**
 * copy_process's and kernel_clone's CLONE_PIDFD rules, for doClone before anything is made: 6.1
 * refuses it with CLONE_THREAD or CLONE_DETACHED, and when the pidfd would be written where
 * CLONE_PARENT_SETTID writes the tid (legacy clone passes one address for both). Returns 0 or -EINVAL.
 */
export function clonePidfdCheck(flags: number, pidfdAddr: number, parentTidAddr: number): number {
  if (!(flags & CLONE_PIDFD)) return 0;
  if (flags & (CLONE_THREAD | CLONE_DETACHED)) return EINVAL;
  if (flags & CLONE_PARENT_SETTID && pidfdAddr === parentTidAddr) return EINVAL;
  return 0;
}

/**
 * CLONE_PIDFD's pidfd for the new process, in the parent's table (O_CLOEXEC, as pidfd_open), its
 * number written as an int at pidfdAddr (legacy clone: the parent_tid argument; clone3:
 * clone_args.pidfd). Returns the fd, or -EMFILE / -EFAULT with nothing left installed; Linux fails
 * the whole clone then.
 */
export function clonePidfd(kernel: Kernel, parent: Task, child: ThreadGroup, pidfdAddr: number): number {
  const fd = installPidfd(kernel, parent, child, false);
  if (fd < 0) return fd;
  if (!writeU32(parent.mm.as, pidfdAddr, fd)) {
    parent.files.close(fd);
    return EFAULT;
  }
  return fd;
}

export const PIDFD_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'pidfd_open', args: ['pid', 'hex'], handler: sysPidfdOpen },
  { name: 'pidfd_send_signal', args: ['fd', 'signal', 'ptr', 'hex'], handler: sysPidfdSendSignal, compatAware: true },
  { name: 'pidfd_getfd', args: ['fd', 'fd', 'hex'], handler: sysPidfdGetfd },
];
