/**
 * Time structures (linux/time_types.h, linux/time.h, linux/times.h, linux/utime.h, linux/timex.h).
 * The `long`-based declarations are the kernel's native ones; under ILP32 they are exactly the
 * kernel's compat/old32 twins (old_timeval32, old_itimerval32, compat_tms, old_utimbuf32,
 * old_timex32), so each is written once. `__kernel_timespec` and `old_timespec32` are two
 * declarations in the kernel too (the *_time64 calls of a compat task use the former).
 */

import { defineStruct, i32, i64, long, pad, u32 } from './layout.js';

/** y2038-safe timespec: every native call and the compat *_time64 calls. 16 bytes in both models. */
export const __kernel_timespec = defineStruct('__kernel_timespec', {
  tv_sec: i64,
  /** `long long`; a compat task's upper half is ignored by time64 calls (only the low 32 bits count). */
  tv_nsec: i64,
});

/** `struct old_timespec32`: the compat *_time32 calls. 8 bytes. */
export const old_timespec32 = defineStruct('old_timespec32', {
  tv_sec: i32,
  tv_nsec: i32,
});

export const __kernel_itimerspec = defineStruct('__kernel_itimerspec', {
  it_interval: __kernel_timespec,
  it_value: __kernel_timespec,
});

export const old_itimerspec32 = defineStruct('old_itimerspec32', {
  it_interval: old_timespec32,
  it_value: old_timespec32,
});

/** `struct __kernel_old_timeval` (= compat old_timeval32 under ILP32): 16 / 8 bytes. */
export const __kernel_old_timeval = defineStruct('__kernel_old_timeval', {
  tv_sec: long,
  tv_usec: long,
});

/** `struct __kernel_old_itimerval` (getitimer/setitimer; old_itimerval32 under ILP32): 32 / 16. */
export const __kernel_old_itimerval = defineStruct('__kernel_old_itimerval', {
  it_interval: __kernel_old_timeval,
  it_value: __kernel_old_timeval,
});

export const timezone = defineStruct('timezone', {
  tz_minuteswest: i32,
  tz_dsttime: i32,
});

/** `struct tms` (times): `__kernel_clock_t` is long. 32 / 16. */
export const tms = defineStruct('tms', {
  tms_utime: long,
  tms_stime: long,
  tms_cutime: long,
  tms_cstime: long,
});

/** `struct utimbuf` (utime): 16 / 8. */
export const utimbuf = defineStruct('utimbuf', {
  actime: long,
  modtime: long,
});

/** `struct timex` (adjtimex, clock_adjtime; old_timex32 under ILP32): 208 / 128. */
export const timex = defineStruct('timex', {
  modes: u32,
  offset: long,
  freq: long,
  maxerror: long,
  esterror: long,
  status: i32,
  constant: long,
  precision: long,
  tolerance: long,
  time: __kernel_old_timeval,
  tick: long,
  ppsfreq: long,
  jitter: long,
  shift: i32,
  stabil: long,
  jitcnt: long,
  calcnt: long,
  errcnt: long,
  stbcnt: long,
  tai: i32,
  /** `int :32` × 11 */
  __reserved: pad(44),
});

export const __kernel_timex_timeval = defineStruct('__kernel_timex_timeval', {
  tv_sec: i64,
  tv_usec: i64,
});

/** `struct __kernel_timex` (compat clock_adjtime64): 208 bytes in both models. */
export const __kernel_timex = defineStruct('__kernel_timex', {
  modes: u32,
  __pad0: pad(4),
  offset: i64,
  freq: i64,
  maxerror: i64,
  esterror: i64,
  status: i32,
  __pad1: pad(4),
  constant: i64,
  precision: i64,
  tolerance: i64,
  time: __kernel_timex_timeval,
  tick: i64,
  ppsfreq: i64,
  jitter: i64,
  shift: i32,
  __pad2: pad(4),
  stabil: i64,
  jitcnt: i64,
  calcnt: i64,
  errcnt: i64,
  stbcnt: i64,
  tai: i32,
  __reserved: pad(44),
});
