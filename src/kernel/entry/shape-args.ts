import type { ArgKind } from '../syscalls/syscall-types.js';

const TWO32 = 4294967296;

/**
 * Turns the register halves of argument i into the number a handler expects for its kind.
 * Int-like kinds read the low 32 bits as signed (Linux's int parameters ignore the upper half),
 * flag words as unsigned 32-bit, offsets as signed 64-bit, everything else as unsigned 64-bit.
 */
export function shapeArg(kind: ArgKind | undefined, lo: number, hi: number): number {
  switch (kind) {
    case 'int':
    case 'fd':
    case 'dirfd':
    case 'signal':
    case 'pid':
    case 'clockid':
    case 'whence':
      return lo | 0;
    case 'uint':
    case 'openflags':
    case 'mode':
    case 'atflags':
    case 'prot':
    case 'mapflags':
    case 'ioctl':
    case 'fcntl':
      return lo >>> 0;
    case 'off':
    case 'long':
      return (hi | 0) * TWO32 + (lo >>> 0);
    default:
      return (hi >>> 0) * TWO32 + (lo >>> 0);
  }
}
