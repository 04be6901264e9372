/**
 * A guest memory fault leaves the memory layer as this one preallocated object, thrown only on the
 * slow path (the TLB-hit path never throws). The CPU loop catches it and returns a fault exit; the
 * details are in the AddressSpace's fault fields.
 */
export const GUEST_FAULT: { readonly guestFault: true } = Object.freeze({ guestFault: true });

export function isGuestFault(e: unknown): boolean {
  return e === GUEST_FAULT;
}

/** What the access was doing, for si_code and the esr_context of the signal frame. */
export const enum Access {
  Read = 1,
  Write = 2,
  Exec = 4,
}

/** How a fault resolution ended: mapped now, or the si_code of the SIGSEGV/SIGBUS to deliver. */
export const enum FaultResult {
  Resolved = 0,
  /** SEGV_MAPERR: nothing mapped there. */
  MapErr = 1,
  /** SEGV_ACCERR: mapped without that permission. */
  AccErr = 2,
  /** SIGBUS BUS_ADRERR: a file mapping beyond end of file. */
  BusErr = 3,
}
