/**
 * The information queued with a signal (Linux's kernel_siginfo), kept as the bytes of arm64's 128-byte
 * siginfo_t: writing it to a signal frame or to rt_sigtimedwait's buffer is a copy, as in Linux's
 * copy_siginfo_to_user. Only the first 48 bytes (sizeof(struct kernel_siginfo) on LP64) can be
 * non-zero; rt_sigqueueinfo enforces that for layouts the kernel does not know. Offsets come from the
 * layout engine's declaration of siginfo_t.
 */
import { LP64, layoutOf, offsetOf } from '../abi/layout.js';
import * as S from '../abi/signal.js';
import { siginfo } from '../abi/structs-signal.js';

export type SigInfo = Uint8Array;

export const SIGINFO_SIZE = 128;
/** sizeof(struct kernel_siginfo) on LP64: what the kernel keeps; the rest of siginfo_t is zero. */
export const KERNEL_SIGINFO_SIZE = 48;

// Member offsets, from the layout on first use (laying siginfo out was ~1 ms of every start).
let laidOut = false;
let SIGNO = 0;
let ERRNO = 0;
let CODE = 0;
let PID = 0;
let UID = 0;
let VALUE = 0;
let ADDR = 0;
let TIMER_TID = 0;
let TIMER_OVERRUN = 0;
let TIMER_VALUE = 0;
let CHLD_STATUS = 0;
let CHLD_UTIME = 0;
let CHLD_STIME = 0;
let SYS_CALL_ADDR = 0;
let SYS_SYSCALL = 0;
let SYS_ARCH = 0;

function layOut(): void {
  const L = layoutOf(siginfo, LP64);
  const at = (path: string): number => offsetOf(L, path).offset;
  SIGNO = at('si_signo');
  ERRNO = at('si_errno');
  CODE = at('si_code');
  PID = at('_sifields._kill._pid');
  UID = at('_sifields._kill._uid');
  VALUE = at('_sifields._rt._sigval');
  ADDR = at('_sifields._sigfault._addr');
  TIMER_TID = at('_sifields._timer._tid');
  TIMER_OVERRUN = at('_sifields._timer._overrun');
  TIMER_VALUE = at('_sifields._timer._sigval');
  CHLD_STATUS = at('_sifields._sigchld._status');
  CHLD_UTIME = at('_sifields._sigchld._utime');
  CHLD_STIME = at('_sifields._sigchld._stime');
  SYS_CALL_ADDR = at('_sifields._sigsys._call_addr');
  SYS_SYSCALL = at('_sifields._sigsys._syscall');
  SYS_ARCH = at('_sifields._sigsys._arch');
  laidOut = true;
}

/** si_code values (asm-generic/siginfo.h). */
export const SI_USER = 0;
export const SI_KERNEL = 0x80;
export const SI_QUEUE = -1;
export const SI_TIMER = -2;
export const SI_MESGQ = -3;
export const SI_ASYNCIO = -4;
export const SI_SIGIO = -5;
export const SI_TKILL = -6;
export const SI_DETHREAD = -7;
export const SI_ASYNCNL = -60;

function view(info: SigInfo): DataView {
  if (!laidOut) layOut();
  return new DataView(info.buffer, info.byteOffset, info.byteLength);
}

function put64(dv: DataView, off: number, v: number): void {
  dv.setUint32(off, v >>> 0, true);
  dv.setUint32(off + 4, Math.floor(v / 4294967296) >>> 0, true);
}

function base(sig: number, code: number): { info: SigInfo; dv: DataView } {
  const info = new Uint8Array(SIGINFO_SIZE);
  const dv = view(info);
  dv.setInt32(SIGNO, sig, true);
  dv.setInt32(ERRNO, 0, true);
  dv.setInt32(CODE, code, true);
  return { info, dv };
}

/** kill/tgkill/tkill and SEND_SIG_NOINFO: si_pid and si_uid of the sender. */
export function killInfo(sig: number, code: number, pid: number, uid: number): SigInfo {
  const { info, dv } = base(sig, code);
  dv.setInt32(PID, pid, true);
  dv.setUint32(UID, uid >>> 0, true);
  return info;
}

/** SEND_SIG_PRIV: a signal the kernel itself raises (SIGALRM of ITIMER_REAL, SIGPIPE…): SI_KERNEL, pid 0. */
export function kernelInfo(sig: number): SigInfo {
  return base(sig, SI_KERNEL).info;
}

/** A fault (force_sig_fault): si_code and si_addr. */
export function faultInfo(sig: number, code: number, addr: number): SigInfo {
  const { info, dv } = base(sig, code);
  put64(dv, ADDR, addr);
  return info;
}

/** A POSIX timer's signal (SI_TIMER): timer id, overrun count and sigev_value. */
export function timerInfo(sig: number, tid: number, overrun: number, valueLo: number, valueHi: number): SigInfo {
  const { info, dv } = base(sig, SI_TIMER);
  dv.setInt32(TIMER_TID, tid, true);
  dv.setInt32(TIMER_OVERRUN, overrun, true);
  dv.setInt32(TIMER_VALUE, valueLo, true);
  dv.setInt32(TIMER_VALUE + 4, valueHi, true);
  return info;
}

/** SIGCHLD (for the processes work): pid, uid, status and the child's times in clock ticks. */
export function chldInfo(
  code: number,
  pid: number,
  uid: number,
  status: number,
  utime: number,
  stime: number,
): SigInfo {
  const { info, dv } = base(S.SIGCHLD, code);
  dv.setInt32(PID, pid, true);
  dv.setUint32(UID, uid >>> 0, true);
  dv.setInt32(CHLD_STATUS, status, true);
  put64(dv, CHLD_UTIME, utime);
  put64(dv, CHLD_STIME, stime);
  return info;
}

/** si_code of SIGSYS for a seccomp RET_TRAP or RET_KILL (asm-generic/siginfo.h). */
export const SYS_SECCOMP = 1;

/**
 * seccomp's SIGSYS (seccomp_init_siginfo): the pc after the SVC, the syscall number and AUDIT_ARCH_*
 * the filter saw, and the filter's RET_DATA in si_errno.
 */
export function seccompSysInfo(callAddr: number, syscall: number, arch: number, reason: number): SigInfo {
  const { info, dv } = base(S.SIGSYS, SYS_SECCOMP);
  dv.setInt32(ERRNO, reason, true);
  put64(dv, SYS_CALL_ADDR, callAddr);
  dv.setInt32(SYS_SYSCALL, syscall, true);
  dv.setUint32(SYS_ARCH, arch >>> 0, true);
  return info;
}

/** The siginfo collect_signal makes up for a pending signal that lost its queue entry: SI_USER, pid 0. */
export function lostInfo(sig: number): SigInfo {
  return killInfo(sig, SI_USER, 0, 0);
}

export function siSigno(info: SigInfo): number {
  return view(info).getInt32(SIGNO, true);
}

export function setSiSigno(info: SigInfo, sig: number): void {
  view(info).setInt32(SIGNO, sig, true);
}

export function siCode(info: SigInfo): number {
  return view(info).getInt32(CODE, true);
}

export function siPid(info: SigInfo): number {
  return view(info).getInt32(PID, true);
}

export function siUid(info: SigInfo): number {
  return view(info).getUint32(UID, true);
}

/** si_addr as a number (exact below 2^53, which every user address is). */
export function siAddr(info: SigInfo): number {
  const dv = view(info);
  return dv.getUint32(ADDR + 4, true) * 4294967296 + dv.getUint32(ADDR, true);
}

/** si_value's two words (sival_int is the low one). */
export function siValue(info: SigInfo): [number, number] {
  const dv = view(info);
  return [dv.getInt32(VALUE, true), dv.getInt32(VALUE + 4, true)];
}

/** SI_FROMKERNEL: si_code > 0. */
export function fromKernel(info: SigInfo): boolean {
  return siCode(info) > 0;
}

/** Linux's siginfo_layout: which union member a (signal, si_code) pair uses. */
export type SiginfoLayout = 'kill' | 'timer' | 'poll' | 'fault' | 'chld' | 'rt' | 'sys';

/** Highest si_code defined per signal (NSIGILL, NSIGFPE, NSIGSEGV, NSIGBUS, NSIGTRAP, NSIGCHLD, NSIGPOLL, NSIGSYS). */
const SIG_SICODES: ReadonlyMap<number, { limit: number; layout: SiginfoLayout }> = new Map([
  [S.SIGILL, { limit: 11, layout: 'fault' }],
  [S.SIGFPE, { limit: 15, layout: 'fault' }],
  [S.SIGSEGV, { limit: 10, layout: 'fault' }],
  [S.SIGBUS, { limit: 5, layout: 'fault' }],
  [S.SIGTRAP, { limit: 6, layout: 'fault' }],
  [S.SIGCHLD, { limit: 6, layout: 'chld' }],
  [S.SIGIO, { limit: 6, layout: 'poll' }],
  [S.SIGSYS, { limit: 2, layout: 'sys' }],
]);
const NSIGPOLL = 6;

export function siginfoLayout(sig: number, code: number): SiginfoLayout {
  if (code > SI_USER && code < SI_KERNEL) {
    const s = SIG_SICODES.get(sig);
    if (s !== undefined && code <= s.limit) return s.layout;
    if (code <= NSIGPOLL) return 'poll';
    return 'kill';
  }
  if (code === SI_TIMER) return 'timer';
  if (code === SI_SIGIO) return 'poll';
  if (code < 0) return 'rt';
  return 'kill';
}

/** Linux's known_siginfo_layout: an unknown one may carry data past kernel_siginfo, which must then be zero. */
export function knownSiginfoLayout(sig: number, code: number): boolean {
  if (code === SI_KERNEL) return true;
  if (code > SI_USER) {
    const s = SIG_SICODES.get(sig);
    return s !== undefined ? code <= s.limit : code <= NSIGPOLL;
  }
  return code >= SI_DETHREAD || code === SI_ASYNCNL;
}
