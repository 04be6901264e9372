/**
 * Strings and buffers the way strace shows them: read from guest memory without ever faulting the task, quoted
 * with C escapes (strace's string_quote), cut at the -s limit with `...` after the closing quote, and printed as
 * the bare address when the memory cannot be read.
 */
import { isGuestFault } from '../../memory/guest-fault.js';
import { formatPointer } from './strace-numbers.js';

/** The reads the trace needs from an address space (AddressSpace has them; tests pass fakes). */
export interface GuestMemory {
  read8(addr: number): number;
  readBytes(addr: number, dst: Uint8Array, at: number, len: number): void;
}

/** strace's -s and -x/-xx. */
export interface StringStyle {
  /** -s: how many bytes of a string or buffer are shown (strace's default is 32). */
  readonly maxStrlen: number;
  /** 0: octal escapes for non-printable bytes; 1 (-x): the whole string in \xNN if any byte is not ASCII text; 2 (-xx): always \xNN. */
  readonly xflag: 0 | 1 | 2;
}

/** PATH_MAX - 1: how much of a path strace prints (paths ignore -s). */
export const PATH_SHOWN = 4095;

/** Runs a guest read, turning a guest fault into null; any other exception is an emulator bug and propagates. */
function guarded<T>(read: () => T): T | null {
  try {
    return read();
  } catch (e) {
    if (isGuestFault(e)) return null;
    throw e;
  }
}

/** len bytes at addr, or null if any of them cannot be read. */
export function readGuest(mem: GuestMemory, addr: number, len: number): Uint8Array | null {
  if (len === 0) return new Uint8Array(0);
  return guarded(() => {
    const b = new Uint8Array(len);
    mem.readBytes(addr, b, 0, len);
    return b;
  });
}

/**
 * The bytes of a C string at addr, looking at most max + 1 bytes: complete when its NUL is within them. Null when
 * a byte before the NUL (or the limit) cannot be read, which strace shows as the address.
 */
export function readGuestString(
  mem: GuestMemory,
  addr: number,
  max: number,
): { bytes: Uint8Array; complete: boolean } | null {
  return guarded(() => {
    const out: number[] = [];
    for (let i = 0; i <= max; i++) {
      const c = mem.read8(addr + i);
      if (c === 0) return { bytes: Uint8Array.from(out), complete: true };
      out.push(c);
    }
    return { bytes: Uint8Array.from(out.slice(0, max)), complete: false };
  });
}

const isOctalDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x37;

/** Whether -x switches this string to hex: a byte that is neither printable ASCII nor one of \t \n \v \f \r. */
function needsHex(b: Uint8Array): boolean {
  for (const c of b) if (c > 0x7e || (c < 0x20 && (c < 9 || c > 13))) return true;
  return false;
}

/**
 * A quoted C string literal of the bytes: \" \\ \f \n \r \t \v by name, other non-printable bytes in octal
 * (three digits when an octal digit follows, so the escape cannot swallow it), or \xNN as -x/-xx ask.
 */
export function quoteBytes(b: Uint8Array, xflag: StringStyle['xflag'] = 0): string {
  const hex = xflag === 2 || (xflag === 1 && needsHex(b));
  let s = '"';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (hex) {
      s += `\\x${c.toString(16).padStart(2, '0')}`;
      continue;
    }
    switch (c) {
      case 0x22:
        s += '\\"';
        break;
      case 0x5c:
        s += '\\\\';
        break;
      case 0x0c:
        s += '\\f';
        break;
      case 0x0a:
        s += '\\n';
        break;
      case 0x0d:
        s += '\\r';
        break;
      case 0x09:
        s += '\\t';
        break;
      case 0x0b:
        s += '\\v';
        break;
      default:
        if (c >= 0x20 && c <= 0x7e) s += String.fromCharCode(c);
        else s += `\\${isOctalDigit(b[i + 1]) ? c.toString(8).padStart(3, '0') : c.toString(8)}`;
    }
  }
  return `${s}"`;
}

/** A buffer of len bytes (write's data, read's result): at most -s bytes shown, `...` when len is longer. */
export function formatBuffer(mem: GuestMemory, addr: number, len: number, style: StringStyle): string {
  if (addr === 0) return 'NULL';
  const n = len > 0 ? Math.min(len, style.maxStrlen) : 0;
  const b = readGuest(mem, addr, n);
  if (b === null) return formatPointer(addr);
  return quoteBytes(b, style.xflag) + (len > style.maxStrlen ? '...' : '');
}

/** A NUL-terminated string shown up to max bytes (`...` after the quote when it is longer). */
export function formatCString(mem: GuestMemory, addr: number, max: number, style: StringStyle): string {
  if (addr === 0) return 'NULL';
  const s = readGuestString(mem, addr, max);
  if (s === null) return formatPointer(addr);
  return quoteBytes(s.bytes, style.xflag) + (s.complete ? '' : '...');
}
