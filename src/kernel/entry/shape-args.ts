/**
 * Argument shaping: how registers become the numbers a handler receives, by argument kind.
 *
 * Native calls pass one argument per register (x0–x5). Compat calls (compat-abi.md §1) see the
 * registers narrowed to 32 bits, exactly what an AArch32 task would pass, and a 64-bit quantity
 * travels in two registers by the EABI rules: `pread64(fd, buf, count, pad, off_lo, off_hi)`,
 * `_llseek(fd, off_hi, off_lo, result, whence)`. A row declares that layout with the kinds 'pad',
 * 'off64_pair', 'off64_hilo' and 'u64_pair', and the handler receives the logical arguments (pads
 * dropped, pairs joined), so it is written once for both ABIs.
 */
import type { ArgKind } from '../syscalls/syscall-types.js';

const TWO32 = 4294967296;
/** Argument registers of an AArch64 SVC, native or compat (x0–x5; not r0–r6 as for AArch32 tasks). */
export const ARG_REGISTERS = 6;

/**
 * Turns one register (its halves) into the number a handler expects for its kind. Int-like kinds
 * read the low 32 bits as signed (Linux's int parameters ignore the upper half), flag words as
 * unsigned 32-bit, offsets and longs as signed 64-bit (signed 32-bit in compat calls: compat_off_t
 * and compat_long_t), everything else as unsigned. Compat callers pass hi = 0 (zero-extension).
 */
export function shapeArg(kind: ArgKind | undefined, lo: number, hi: number, compat = false): number {
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
      return compat ? lo | 0 : (hi | 0) * TWO32 + (lo >>> 0);
    default:
      return (hi >>> 0) * TWO32 + (lo >>> 0);
  }
}

/** How many registers an argument of this kind occupies. */
export function registersOf(kind: ArgKind): 1 | 2 {
  return kind === 'off64_pair' || kind === 'off64_hilo' || kind === 'u64_pair' ? 2 : 1;
}

/** True for the kinds that only describe a compat register layout ('pad' and the pairs). */
export function isRegisterLayoutKind(kind: ArgKind): boolean {
  return kind === 'pad' || registersOf(kind) === 2;
}

/** The registers a row's kinds occupy. */
export function registerCount(kinds: readonly ArgKind[]): number {
  let n = 0;
  for (const k of kinds) n += registersOf(k);
  return n;
}

/**
 * The kinds a handler and the trace see: pads dropped, pairs shown as the 64-bit value they carry
 * ('off' for offsets, 'ulong' for other values), so strace-style output reads `pread64(3, …, 10, 4096)`.
 */
export function logicalKinds(kinds: readonly ArgKind[]): ArgKind[] {
  const out: ArgKind[] = [];
  for (const k of kinds) {
    if (k === 'pad') continue;
    out.push(k === 'off64_pair' || k === 'off64_hilo' ? 'off' : k === 'u64_pair' ? 'ulong' : k);
  }
  return out;
}

/** A 64-bit value from two 32-bit words, signed or not (exact below 2^53, like every 64-bit argument). */
function join64(lo: number, hi: number, signed: boolean): number {
  return (signed ? hi | 0 : hi >>> 0) * TWO32 + (lo >>> 0);
}

/**
 * The arguments of a native call: one per register, six always (a row without kinds shows six raw
 * values in the trace). `x` is the CPU's register halves: x[2n] low and x[2n+1] high word of Xn.
 */
export function shapeNativeArgs(kinds: readonly ArgKind[] | undefined, x: Int32Array): number[] {
  const args: number[] = [];
  for (let i = 0; i < ARG_REGISTERS; i++) args.push(shapeArg(kinds?.[i], x[2 * i]!, x[2 * i + 1]!));
  return args;
}

/**
 * The logical arguments of a compat call. Every register is first narrowed to 32 bits
 * (zero-extended, compat-abi.md §1 [choice]); then pads are skipped and pairs joined. A row whose
 * kinds need no pairs gets six values, as native rows do.
 */
export function shapeCompatArgs(kinds: readonly ArgKind[] | undefined, x: Int32Array): number[] {
  const args: number[] = [];
  if (kinds === undefined || !kinds.some(isRegisterLayoutKind)) {
    for (let i = 0; i < ARG_REGISTERS; i++) args.push(shapeArg(kinds?.[i], x[2 * i]!, 0, true));
    return args;
  }
  let r = 0;
  for (const kind of kinds) {
    const a = r < ARG_REGISTERS ? x[2 * r]! : 0;
    const b = r + 1 < ARG_REGISTERS ? x[2 * (r + 1)]! : 0;
    switch (kind) {
      case 'pad':
        break;
      case 'off64_pair':
        args.push(join64(a, b, true));
        break;
      case 'u64_pair':
        args.push(join64(a, b, false));
        break;
      case 'off64_hilo':
        args.push(join64(b, a, true));
        break;
      default:
        args.push(shapeArg(kind, a, 0, true));
    }
    r += registersOf(kind);
  }
  return args;
}
