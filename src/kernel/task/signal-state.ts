/**
 * Signal dispositions and masks as recorded by rt_sigaction/rt_sigprocmask. Delivery comes with the
 * processes issue; for now synchronous faults and fatal signals use the default actions.
 */
export interface SigAction {
  /** Handler address, SIG_DFL (0) or SIG_IGN (1). */
  handler: number;
  flags: number;
  restorer: number;
  /** Mask as two 32-bit words (signals 1–32, 33–64). */
  maskLo: number;
  maskHi: number;
}

export class SignalState {
  readonly actions: SigAction[] = Array.from({ length: 65 }, () => ({
    handler: 0,
    flags: 0,
    restorer: 0,
    maskLo: 0,
    maskHi: 0,
  }));
  blockedLo = 0;
  blockedHi = 0;
  altStack = { sp: 0, flags: 2 /* SS_DISABLE */, size: 0 };
}
