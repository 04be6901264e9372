/**
 * The alternate signal stack (sigaltstack): Linux's on_sig_stack, sas_ss_flags and do_sigaltstack,
 * shared by the syscall, the frame setup (SA_ONSTACK) and rt_sigreturn's restore_altstack.
 */
import { type AltStack, type SignalState, SS_AUTODISARM, SS_DISABLE, SS_ONSTACK } from './signal-state.js';

/** arm64's uapi MINSIGSTKSZ: the smallest stack sigaltstack accepts. */
export const MINSIGSTKSZ = 5120;
const ENOMEM = -12;
const EINVAL = -22;
const EPERM = -1;

/** sp lies on the alternate stack (never, by construction, when it auto-disarms). */
export function onSigStack(alt: AltStack, sp: number): boolean {
  if (alt.flags & SS_AUTODISARM) return false;
  return sp > alt.sp && sp - alt.sp <= alt.size;
}

/** SS_DISABLE without a stack, SS_ONSTACK while running on it, else 0. */
export function sasSsFlags(alt: AltStack, sp: number): number {
  if (alt.size === 0) return SS_DISABLE;
  return onSigStack(alt, sp) ? SS_ONSTACK : 0;
}

/** sas_ss_reset. */
export function resetAltStack(st: SignalState): void {
  st.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
}

/**
 * do_sigaltstack: reports the current stack (flags as sas_ss_flags plus SS_AUTODISARM) and installs
 * `next` unless the task runs on the alternate stack (-EPERM), the mode is unknown (-EINVAL) or the
 * size is below minSize (-ENOMEM: MINSIGSTKSZ, or COMPAT_MINSIGSTKSZ 2048 for the compat call).
 * Returns [result, old].
 */
export function doSigaltstack(
  st: SignalState,
  next: AltStack | undefined,
  sp: number,
  minSize = MINSIGSTKSZ,
): [number, AltStack] {
  const alt = st.altStack;
  const old: AltStack = { sp: alt.sp, size: alt.size, flags: sasSsFlags(alt, sp) | (alt.flags & SS_AUTODISARM) };
  if (next === undefined) return [0, old];
  if (onSigStack(alt, sp)) return [EPERM, old];
  const mode = next.flags & ~SS_AUTODISARM;
  if (mode !== SS_DISABLE && mode !== SS_ONSTACK && mode !== 0) return [EINVAL, old];
  if (alt.sp === next.sp && alt.size === next.size && alt.flags === next.flags) return [0, old];
  if (mode === SS_DISABLE) {
    st.altStack = { sp: 0, size: 0, flags: next.flags };
  } else {
    if (next.size < minSize) return [ENOMEM, old];
    st.altStack = { sp: next.sp, size: next.size, flags: next.flags };
  }
  return [0, old];
}
