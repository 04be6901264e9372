/**
 * Branded number types, so a guest address is never passed where a host offset or an fd belongs.
 * They cost nothing at run time.
 */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A guest virtual address below 2^53 (user addresses are below 2^48), as a plain number. */
export type GuestAddr = Brand<number, 'GuestAddr'>;
/** A guest file descriptor number. */
export type Fd = Brand<number, 'Fd'>;
/** A guest process or thread id. */
export type Pid = Brand<number, 'Pid'>;
/** A positive Linux errno value (syscalls return its negation). */
export type Errno = Brand<number, 'Errno'>;

export const guestAddr = (n: number): GuestAddr => n as GuestAddr;
