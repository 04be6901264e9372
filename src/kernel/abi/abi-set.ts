/**
 * ABI sets: which declaration and which data model a syscall handler uses.
 *
 * A handler is written once and receives `ctx.abi`; `ctx.abi.stat` is arm64's 128-byte
 * `struct stat` for a native call and ARM's 104-byte `struct stat64` for a compat one,
 * `ctx.abi.iovec` is 16 or 8 bytes, and so on. Where the kernel has one declaration written with
 * long/pointer members (iovec, rusage, siginfo…), both sets hold it laid out under their model;
 * where it has two (stat vs stat64, __kernel_timespec vs old_timespec32…), each set names its own.
 * Compat-only calls with no native twin (old stat 106–108, old sigaction 67) take their layout
 * directly: `layoutOf(compat_stat, ILP32_EABI)`, `layoutOf(old_sigaction, ILP32_EABI)`. The
 * compat time64 calls use `abi.__kernel_timespec` / `abi.__kernel_itimerspec` (16 / 32 bytes in
 * both sets), while `abi.timespec` is the time32 view.
 */

import {
  type DataModel,
  ILP32_EABI,
  LP64,
  type LayoutOf,
  layoutOf,
  type StructLayout,
  type StructType,
} from './layout.js';
import * as S from './structs.js';

/** One declaration, laid out under each set's model. Keys are the kernel's names, shortened for the old time types. */
const SHARED = {
  statfs: S.statfs,
  statx: S.statx,
  linux_dirent64: S.linux_dirent64,
  linux_dirent: S.linux_dirent,
  __kernel_timespec: S.__kernel_timespec,
  __kernel_itimerspec: S.__kernel_itimerspec,
  /** __kernel_old_timeval / old_timeval32 */
  timeval: S.__kernel_old_timeval,
  /** __kernel_old_itimerval / old_itimerval32 */
  itimerval: S.__kernel_old_itimerval,
  timezone: S.timezone,
  tms: S.tms,
  utimbuf: S.utimbuf,
  /** timex / old_timex32 */
  timex: S.timex,
  __kernel_timex: S.__kernel_timex,
  rusage: S.rusage,
  rlimit: S.rlimit,
  rlimit64: S.rlimit64,
  sysinfo: S.sysinfo,
  new_utsname: S.new_utsname,
  clone_args: S.clone_args,
  sched_param: S.sched_param,
  robust_list_head: S.robust_list_head,
  futex_waitv: S.futex_waitv,
  seccomp_data: S.seccomp_data,
  ptrace_syscall_info: S.ptrace_syscall_info,
  sigset_t: S.sigset_t,
  sigaction: S.sigaction,
  stack_t: S.stack_t,
  siginfo: S.siginfo,
  sigevent: S.sigevent,
  iovec: S.iovec,
  msghdr: S.msghdr,
  cmsghdr: S.cmsghdr,
  mmsghdr: S.mmsghdr,
  sockaddr: S.sockaddr,
  sockaddr_in: S.sockaddr_in,
  sockaddr_in6: S.sockaddr_in6,
  sockaddr_un: S.sockaddr_un,
  sockaddr_nl: S.sockaddr_nl,
  ucred: S.ucred,
  linger: S.linger,
  sock_filter: S.sock_filter,
  sock_fprog: S.sock_fprog,
  epoll_event: S.epoll_event,
  pollfd: S.pollfd,
  io_event: S.io_event,
  iocb: S.iocb,
  winsize: S.winsize,
  termios: S.termios,
  termios2: S.termios2,
} as const;

type Shared = { readonly [K in keyof typeof SHARED]: LayoutOf<(typeof SHARED)[K]> };

/** Structures the kernel declares twice: [native declaration, compat declaration]. */
const TWICE = {
  /** newfstatat/fstat vs fstatat64/fstat64/stat64/lstat64 */
  stat: [S.stat, S.stat64],
  /** the time32 calls of a compat task (clock_gettime 263, nanosleep 162, …) */
  timespec: [S.__kernel_timespec, S.old_timespec32],
  itimerspec: [S.__kernel_itimerspec, S.old_itimerspec32],
  /** statfs64/fstatfs64: compat's is packed to 84 bytes */
  statfs64: [S.statfs64, S.compat_statfs64],
  ipc64_perm: [S.ipc64_perm, S.compat_ipc64_perm],
  shmid64_ds: [S.shmid64_ds, S.compat_shmid64_ds],
} as const;

/** The members both declarations have (a member's type may differ: st_dev is ulong in one, u64 in the other). */
type Common<A, B> = { readonly [K in keyof A & keyof B]: A[K] | B[K] };
type SpecOf<S> = S extends StructType<infer F> ? F : never;

type Twice = {
  readonly [K in keyof typeof TWICE]: StructLayout<Common<SpecOf<(typeof TWICE)[K][0]>, SpecOf<(typeof TWICE)[K][1]>>>;
};

export type AbiSet = {
  readonly name: 'native' | 'compat';
  readonly model: DataModel;
} & Shared &
  Twice;

/** The names of an AbiSet's layouts. */
export type AbiLayoutName = keyof Shared | keyof Twice;

/**
 * Layouts are computed on first use (getters over layoutOf's per-model cache): laying out all of
 * them for both models at load was ~2 ms of every start, and a short program uses a few.
 */
function lazyLayout(set: object, key: string, get: () => unknown): void {
  Object.defineProperty(set, key, { enumerable: true, get });
}

function makeAbiSet(name: 'native' | 'compat', model: DataModel): AbiSet {
  const set: Record<string, unknown> = { name, model };
  for (const [key, struct] of Object.entries(SHARED) as [string, StructType][]) {
    lazyLayout(set, key, () => layoutOf(struct, model));
  }
  for (const [key, pair] of Object.entries(TWICE) as [string, readonly [StructType, StructType]][]) {
    const struct = name === 'native' ? pair[0] : pair[1];
    lazyLayout(set, key, () => layoutOf(struct, model));
  }
  return Object.freeze(set) as AbiSet;
}

/**
 * base with some layouts replaced by others of the same set (the compat time64 calls see
 * `timespec` as `__kernel_timespec`); still computed on first use.
 */
export function abiSetWith(base: AbiSet, replace: Partial<Record<AbiLayoutName, AbiLayoutName>>): AbiSet {
  const set: Record<string, unknown> = { name: base.name, model: base.model };
  for (const key of [...Object.keys(SHARED), ...Object.keys(TWICE)] as AbiLayoutName[]) {
    const from = replace[key] ?? key;
    lazyLayout(set, key, () => base[from]);
  }
  return Object.freeze(set) as AbiSet;
}

/** arm64 tasks and native syscalls: LP64. */
export const NATIVE_ABI: AbiSet = makeAbiSet('native', LP64);
/** Compat syscalls (AArch32 numbering): ARM EABI. */
export const COMPAT_ABI: AbiSet = makeAbiSet('compat', ILP32_EABI);
