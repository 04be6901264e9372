/**
 * Process, resource, futex and tracing structures (linux/resource.h, linux/sysinfo.h,
 * linux/utsname.h, linux/sched.h, linux/futex.h, linux/ptrace.h, linux/seccomp.h).
 */

import { anon, array, defineStruct, defineUnion, i32, i64, long, ptr, u8, u16, u32, u64, ulong } from './layout.js';
import { __kernel_old_timeval } from './structs-time.js';

/** `struct rusage` (getrusage, wait4; compat_rusage under ILP32): 144 / 72. */
export const rusage = defineStruct('rusage', {
  ru_utime: __kernel_old_timeval,
  ru_stime: __kernel_old_timeval,
  ru_maxrss: long,
  ru_ixrss: long,
  ru_idrss: long,
  ru_isrss: long,
  ru_minflt: long,
  ru_majflt: long,
  ru_nswap: long,
  ru_inblock: long,
  ru_oublock: long,
  ru_msgsnd: long,
  ru_msgrcv: long,
  ru_nsignals: long,
  ru_nvcsw: long,
  ru_nivcsw: long,
});

/** `struct rlimit` (getrlimit/setrlimit; compat_rlimit under ILP32): 16 / 8. RLIM_INFINITY is ~0UL of the model. */
export const rlimit = defineStruct('rlimit', {
  rlim_cur: ulong,
  rlim_max: ulong,
});

/** `struct rlimit64` (prlimit64): 16 bytes in both models. */
export const rlimit64 = defineStruct('rlimit64', {
  rlim_cur: u64,
  rlim_max: u64,
});

/** `struct sysinfo`: 112 / 64 (the libc5 tail `_f` is 0 bytes on LP64, 8 under ILP32). */
export const sysinfo = defineStruct('sysinfo', {
  uptime: long,
  loads: array(ulong, 3),
  totalram: ulong,
  freeram: ulong,
  sharedram: ulong,
  bufferram: ulong,
  totalswap: ulong,
  freeswap: ulong,
  procs: u16,
  pad: u16,
  totalhigh: ulong,
  freehigh: ulong,
  mem_unit: u32,
  _f: array(u8, (m) => 20 - 2 * m.longSize - 4),
});

/** __NEW_UTS_LEN + 1 */
const UTS_FIELD = 65;

/** `struct new_utsname` (uname): six char[65], 390 bytes. */
export const new_utsname = defineStruct('new_utsname', {
  sysname: array(u8, UTS_FIELD),
  nodename: array(u8, UTS_FIELD),
  release: array(u8, UTS_FIELD),
  version: array(u8, UTS_FIELD),
  machine: array(u8, UTS_FIELD),
  domainname: array(u8, UTS_FIELD),
});

/** `struct clone_args` (clone3), CLONE_ARGS_SIZE_VER2: 88 bytes; pointers in __aligned_u64. */
export const clone_args = defineStruct('clone_args', {
  flags: u64,
  pidfd: u64,
  child_tid: u64,
  parent_tid: u64,
  exit_signal: u64,
  stack: u64,
  stack_size: u64,
  tls: u64,
  set_tid: u64,
  set_tid_size: u64,
  cgroup: u64,
});

export const sched_param = defineStruct('sched_param', { sched_priority: i32 });

export const robust_list = defineStruct('robust_list', { next: ptr });

/** `struct robust_list_head` (set_robust_list len): 24 / 12. */
export const robust_list_head = defineStruct('robust_list_head', {
  list: robust_list,
  futex_offset: long,
  list_op_pending: ptr,
});

/** `struct futex_waitv` (futex_waitv): 24 bytes in both models. */
export const futex_waitv = defineStruct('futex_waitv', {
  val: u64,
  uaddr: u64,
  flags: u32,
  __reserved: u32,
});

/** `struct seccomp_data`: what a seccomp filter sees. 64 bytes. */
export const seccomp_data = defineStruct('seccomp_data', {
  nr: i32,
  arch: u32,
  instruction_pointer: u64,
  args: array(u64, 6),
});

/** `struct ptrace_syscall_info` (PTRACE_GET_SYSCALL_INFO): 88 bytes. */
export const ptrace_syscall_info = defineStruct('ptrace_syscall_info', {
  op: u8,
  pad: array(u8, 3),
  arch: u32,
  instruction_pointer: u64,
  stack_pointer: u64,
  _u: anon(
    defineUnion('ptrace_syscall_info.__u', {
      entry: defineStruct('ptrace_syscall_info.entry', { nr: u64, args: array(u64, 6) }),
      exit: defineStruct('ptrace_syscall_info.exit', { rval: i64, is_error: u8 }),
      seccomp: defineStruct('ptrace_syscall_info.seccomp', { nr: u64, args: array(u64, 6), ret_data: u32 }),
    }),
  ),
});
