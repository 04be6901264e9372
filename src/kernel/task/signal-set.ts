/**
 * Signal sets: Linux's sigset_t on arm64 (_NSIG = 64, one unsigned long), held as two 32-bit words so
 * no BigInt is needed: signals 1–32 in `lo` (bit sig-1), 33–64 in `hi` (bit sig-33). Words are
 * stored as signed 32-bit integers (what JavaScript's bitwise operators produce); `>>> 0` them when
 * writing to guest memory.
 */
import * as S from '../abi/signal.js';

/** The bit of a signal inside its word. */
export function sigBit(sig: number): number {
  return 1 << ((sig - 1) & 31);
}

export class SigSet {
  constructor(
    public lo = 0,
    public hi = 0,
  ) {}

  has(sig: number): boolean {
    return ((sig <= 32 ? this.lo : this.hi) & sigBit(sig)) !== 0;
  }

  add(sig: number): void {
    if (sig <= 32) this.lo |= sigBit(sig);
    else this.hi |= sigBit(sig);
  }

  del(sig: number): void {
    if (sig <= 32) this.lo &= ~sigBit(sig);
    else this.hi &= ~sigBit(sig);
  }

  isEmpty(): boolean {
    return this.lo === 0 && this.hi === 0;
  }

  set(lo: number, hi: number): void {
    this.lo = lo | 0;
    this.hi = hi | 0;
  }

  copyFrom(o: SigSet): void {
    this.lo = o.lo;
    this.hi = o.hi;
  }

  clone(): SigSet {
    return new SigSet(this.lo, this.hi);
  }

  /** The set as the unsigned 64-bit value Linux shows (/proc status, strace). */
  toBigInt(): bigint {
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }
}

/** SIGKILL and SIGSTOP: never blocked, caught or ignored (sig_kernel_only). */
export const KERNEL_ONLY_LO = sigBit(S.SIGKILL) | sigBit(S.SIGSTOP);
/** Signals dequeued before any other (Linux's SYNCHRONOUS_MASK): the ones faults raise. */
export const SYNCHRONOUS_LO =
  sigBit(S.SIGSEGV) | sigBit(S.SIGBUS) | sigBit(S.SIGILL) | sigBit(S.SIGTRAP) | sigBit(S.SIGFPE) | sigBit(S.SIGSYS);
/** SIG_KERNEL_STOP_MASK. */
export const STOP_LO = sigBit(S.SIGSTOP) | sigBit(S.SIGTSTP) | sigBit(S.SIGTTIN) | sigBit(S.SIGTTOU);
/** SIG_KERNEL_IGNORE_MASK: ignored when their handler is SIG_DFL (SIGCONT's continuing is done at send). */
export const IGNORE_LO = sigBit(S.SIGCONT) | sigBit(S.SIGCHLD) | sigBit(S.SIGWINCH) | sigBit(S.SIGURG);
/** SIG_KERNEL_COREDUMP_MASK. */
export const COREDUMP_LO =
  sigBit(S.SIGQUIT) |
  sigBit(S.SIGILL) |
  sigBit(S.SIGTRAP) |
  sigBit(S.SIGABRT) |
  sigBit(S.SIGFPE) |
  sigBit(S.SIGSEGV) |
  sigBit(S.SIGBUS) |
  sigBit(S.SIGSYS) |
  sigBit(S.SIGXCPU) |
  sigBit(S.SIGXFSZ);

/** Whether a non-real-time signal is in one of the masks above (real-time signals never are). */
export function inKernelMask(sig: number, maskLo: number): boolean {
  return sig < S.SIGRTMIN && (maskLo & sigBit(sig)) !== 0;
}

/** 1..64 (Linux's valid_signal also admits 0, the existence probe, which callers check first). */
export function validSignal(sig: number): boolean {
  return Number.isInteger(sig) && sig >= 1 && sig <= S.NSIG;
}

/**
 * The lowest-numbered signal in (pending & ~blocked), synchronous (fault) signals of the first word
 * first, as Linux's next_signal; 0 when none.
 */
export function nextSignal(pending: SigSet, blocked: SigSet): number {
  let x = pending.lo & ~blocked.lo;
  if (x !== 0) {
    if (x & SYNCHRONOUS_LO) x &= SYNCHRONOUS_LO;
    return 32 - Math.clz32(x & -x);
  }
  x = pending.hi & ~blocked.hi;
  if (x !== 0) return 32 + 32 - Math.clz32(x & -x);
  return 0;
}
