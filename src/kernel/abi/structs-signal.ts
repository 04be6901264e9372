/**
 * Signal structures (asm-generic/signal.h, asm-generic/siginfo.h, ARM's asm/signal.h).
 * Written with long/pointer members, each is also the kernel's compat_* twin under ILP32
 * (compat_sigset_t, compat_sigaction, compat_stack_t, compat_siginfo, compat_sigevent).
 */

import {
  anon,
  array,
  type DataModel,
  defineStruct,
  defineUnion,
  i16,
  i32,
  long,
  ptr,
  size_t,
  u8,
  u32,
  ulong,
} from './layout.js';

/** Kernel `sigset_t`: _NSIG = 64 bits in unsigned longs (1 on LP64, 2 under ILP32). 8 bytes. */
export const sigset_t = defineStruct('sigset_t', {
  sig: array(ulong, (m) => 64 / (8 * m.longSize)),
});

/**
 * `struct sigaction` as rt_sigaction reads it (arm64 uapi, SA_RESTORER defined; compat_sigaction
 * under ILP32): handler, flags, restorer, mask. 32 / 20 bytes.
 */
export const sigaction = defineStruct('sigaction', {
  sa_handler: ptr,
  sa_flags: ulong,
  sa_restorer: ptr,
  sa_mask: sigset_t,
});

/** `struct compat_old_sigaction` (ARM's uapi `struct sigaction`): the compat sigaction call (67). Mask before flags, one word of mask. 16 bytes. */
export const old_sigaction = defineStruct('old_sigaction', {
  sa_handler: ptr,
  sa_mask: ulong,
  sa_flags: ulong,
  sa_restorer: ptr,
});

/** `stack_t` (sigaltstack): 24 / 12. */
export const stack_t = defineStruct('stack_t', {
  ss_sp: ptr,
  ss_flags: i32,
  ss_size: size_t,
});

export const sigval = defineUnion('sigval', {
  sival_int: i32,
  sival_ptr: ptr,
});

const sifieldsKill = defineStruct('__sifields._kill', { _pid: i32, _uid: u32 });
const sifieldsTimer = defineStruct('__sifields._timer', {
  _tid: i32,
  _overrun: i32,
  _sigval: sigval,
  _sys_private: i32,
});
const sifieldsRt = defineStruct('__sifields._rt', { _pid: i32, _uid: u32, _sigval: sigval });
const sifieldsSigchld = defineStruct('__sifields._sigchld', {
  _pid: i32,
  _uid: u32,
  _status: i32,
  _utime: long,
  _stime: long,
});

/** __ADDR_BND_PKEY_PAD: alignof(void *), so _lower/_pkey follow _addr_lsb's slot naturally. */
const addrBndPkeyPad = (m: DataModel): number => m.ptrSize;
const sigfaultExtra = defineUnion('__sifields._sigfault.__extra', {
  _trapno: i32,
  _addr_lsb: i16,
  _addr_bnd: defineStruct('__sifields._sigfault._addr_bnd', {
    _dummy_bnd: array(u8, addrBndPkeyPad),
    _lower: ptr,
    _upper: ptr,
  }),
  _addr_pkey: defineStruct('__sifields._sigfault._addr_pkey', {
    _dummy_pkey: array(u8, addrBndPkeyPad),
    _pkey: u32,
  }),
  _perf: defineStruct('__sifields._sigfault._perf', { _data: ulong, _type: u32, _flags: u32 }),
});
const sifieldsSigfault = defineStruct('__sifields._sigfault', { _addr: ptr, _extra: anon(sigfaultExtra) });
const sifieldsSigpoll = defineStruct('__sifields._sigpoll', { _band: long, _fd: i32 });
const sifieldsSigsys = defineStruct('__sifields._sigsys', { _call_addr: ptr, _syscall: i32, _arch: u32 });

export const __sifields = defineUnion('__sifields', {
  _kill: sifieldsKill,
  _timer: sifieldsTimer,
  _rt: sifieldsRt,
  _sigchld: sifieldsSigchld,
  _sigfault: sifieldsSigfault,
  _sigpoll: sifieldsSigpoll,
  _sigsys: sifieldsSigsys,
});

/**
 * `siginfo_t`: 128 bytes in both models. The union of fields is pointer-aligned, so it starts at
 * 16 on LP64 (one int of padding after si_code) and at 12 under ILP32.
 */
export const siginfo = defineUnion('siginfo', {
  _info: anon(
    defineStruct('siginfo.__SIGINFO', {
      si_signo: i32,
      si_errno: i32,
      si_code: i32,
      _sifields: __sifields,
    }),
  ),
  _si_pad: array(i32, 128 / 4),
});

/** `struct sigevent` (timer_create, mq_notify): 64 bytes; the pad fills what sigval leaves. */
export const sigevent = defineStruct('sigevent', {
  sigev_value: sigval,
  sigev_signo: i32,
  sigev_notify: i32,
  _sigev_un: defineUnion('sigevent._sigev_un', {
    _pad: array(i32, (m) => (64 - (2 * 4 + m.ptrSize)) / 4),
    _tid: i32,
    _sigev_thread: defineStruct('sigevent._sigev_un._sigev_thread', { _function: ptr, _attribute: ptr }),
  }),
});
