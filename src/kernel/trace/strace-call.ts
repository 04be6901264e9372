/**
 * The `name(arg, arg, …)` part of a trace line, driven by the table row's argument kinds. A few rules look at a
 * neighbouring argument, as strace's decoders do: a buffer's length is the next size argument (or the result,
 * for buffers the call fills), open's mode is shown only with O_CREAT or O_TMPFILE, and fcntl's third argument
 * depends on the command. Rows without kinds (numbers nobody implements) print six raw hex arguments, like
 * strace's undecoded calls.
 */
import { signalName } from '../abi/signal.js';
import { ARM_PRIVATE_SYSCALL_NUMBERS } from '../syscalls/numbers.generated.js';
import type { ArgKind } from '../syscalls/syscall-types.js';
import type { SyscallRow } from '../syscalls/table.js';
import {
  AT_FLAGS,
  AT_FLAGS_ACCESS,
  CLOCK_IDS,
  F_ADD_SEALS,
  F_DUPFD,
  F_DUPFD_CLOEXEC,
  F_GET_SEALS,
  F_GETFD,
  F_GETFL,
  F_GETLEASE,
  F_GETOWN,
  F_GETPIPE_SZ,
  F_GETSIG,
  F_NOTIFY,
  F_SETFD,
  F_SETFL,
  F_SETLEASE,
  F_SETOWN,
  F_SETPIPE_SZ,
  F_SETSIG,
  FCNTL_CMDS,
  FCNTL_CMDS_COMPAT,
  FD_FLAGS,
  formatFlags,
  formatMapFlags,
  formatOpenFlags,
  formatStatxFlags,
  formatXval,
  LEASE_TYPES,
  NOTIFY_FLAGS,
  OPEN_FLAGS,
  openTakesMode,
  PROT_FLAGS,
  SEAL_FLAGS,
  WHENCE,
} from './flag-names.js';
import { formatIoctlRequest, ioctlTakesValue } from './ioctl-names.js';
import { formatHex, formatMode, formatPointer, formatSigned, formatUnsigned } from './strace-numbers.js';
import { isErrorResult } from './strace-result.js';
import { formatBuffer, formatCString, type GuestMemory, PATH_SHOWN, type StringStyle } from './strace-string.js';

/** What the trace knows of a call before it returns: SyscallRecord without the result. */
export interface CallInfo {
  readonly row: SyscallRow | undefined;
  readonly nr: number;
  readonly compat: boolean;
  readonly args: readonly number[];
}

const AT_FDCWD = -100;
/** strace prints this many arguments for a call it cannot decode. */
const RAW_ARG_COUNT = 6;
/** mmap2's offset is in 4096-byte units on ARM; strace shows it in bytes. */
const MMAP2_UNIT = 4096;

const INTEGER_KINDS: ReadonlySet<ArgKind> = new Set(['int', 'uint', 'long', 'ulong', 'hex', 'ptr']);

/** ARM-private calls (0x0f0000 + n) by number, and how many arguments strace shows for each. */
const ARM_PRIVATE: ReadonlyMap<number, readonly [string, number]> = new Map(
  Object.entries(ARM_PRIVATE_SYSCALL_NUMBERS).map(([name, nr]) => [
    nr,
    [name, name === 'cacheflush' ? 3 : name === 'set_tls' ? 1 : 0] as const,
  ]),
);

/** The name strace shows: the table's, ARM's private names in compat mode, else syscall_0x<nr>. */
export function syscallName(call: CallInfo): string {
  const row = call.row;
  if (row !== undefined && !row.name.startsWith('syscall_')) return row.name;
  if (call.compat) {
    const priv = ARM_PRIVATE.get(call.nr);
    if (priv !== undefined) return priv[0];
  }
  return `syscall_0x${(call.nr >>> 0).toString(16)}`;
}

/** How many raw arguments a call without kinds shows, or undefined when its row has kinds (or is known empty). */
function rawArgCount(call: CallInfo): number | undefined {
  const row = call.row;
  if (row !== undefined && (row.args.length > 0 || row.handler !== undefined)) return undefined;
  if (call.compat) {
    const priv = ARM_PRIVATE.get(call.nr);
    if (priv !== undefined) return priv[1];
  }
  return RAW_ARG_COUNT;
}

/**
 * One argument's text per position: a string, null when strace leaves the argument out, or undefined for an
 * output argument whose text needs the result (when result is not given yet).
 */
export type ArgTexts = (string | null | undefined)[];

/** Everything formatArg needs besides the value. */
interface ArgContext {
  readonly call: CallInfo;
  readonly kinds: readonly ArgKind[];
  readonly index: number;
  readonly mem: GuestMemory;
  readonly style: StringStyle;
  readonly result: number | undefined;
}

function formatAtFlags(name: string, v: number): string {
  if (name === 'statx') return formatStatxFlags(v);
  return formatFlags(name === 'faccessat' || name === 'faccessat2' ? AT_FLAGS_ACCESS : AT_FLAGS, v);
}

/** The length of a buf_in argument: the first size argument after it. */
function inputLength(ctx: ArgContext): number | undefined {
  for (let j = ctx.index + 1; j < ctx.kinds.length; j++) if (ctx.kinds[j] === 'size') return ctx.call.args[j];
  return undefined;
}

function formatArg(kind: ArgKind, v: number, ctx: ArgContext): string | undefined {
  const name = ctx.call.row?.name ?? '';
  switch (kind) {
    case 'int':
    case 'long':
    case 'fd':
    case 'pid':
      return formatSigned(v);
    case 'off':
      if (name === 'mmap') return formatHex(v);
      if (name === 'mmap2') return formatHex(v * MMAP2_UNIT);
      return formatSigned(v);
    case 'uint':
      return formatUnsigned(v >>> 0);
    case 'ulong':
    case 'size':
      return formatUnsigned(v);
    case 'hex':
      return formatHex(v);
    case 'dirfd':
      return v === AT_FDCWD ? 'AT_FDCWD' : formatSigned(v);
    case 'path':
      return formatCString(ctx.mem, v, PATH_SHOWN, ctx.style);
    case 'str':
      return formatCString(ctx.mem, v, ctx.style.maxStrlen, ctx.style);
    case 'ptr':
      return formatPointer(v);
    case 'buf_in': {
      const len = inputLength(ctx);
      return len === undefined ? formatPointer(v) : formatBuffer(ctx.mem, v, len, ctx.style);
    }
    case 'buf_out':
      if (ctx.result === undefined) return undefined;
      // A failed call filled nothing: strace shows the address.
      if (isErrorResult(ctx.result)) return formatPointer(v);
      // getcwd's length counts the NUL: strace shows the directory as a path.
      if (name === 'getcwd') return formatCString(ctx.mem, v, PATH_SHOWN, ctx.style);
      return formatBuffer(ctx.mem, v, ctx.result, ctx.style);
    case 'openflags':
      // open's flags always show the access mode; dup3's and pipe2's are only O_CLOEXEC-style bits.
      return ctx.kinds.includes('path') || name === 'open_by_handle_at'
        ? formatOpenFlags(v)
        : formatFlags(OPEN_FLAGS, v);
    case 'mode':
      return formatMode(v);
    case 'atflags':
      return formatAtFlags(name, v);
    case 'prot':
      return formatFlags(PROT_FLAGS, v, 'PROT_NONE');
    case 'mapflags':
      return formatMapFlags(v);
    case 'signal':
      return formatSignalNumber(v);
    case 'clockid':
      return formatXval(CLOCK_IDS, v | 0, 'CLOCK_???');
    case 'whence':
      return formatXval(WHENCE, v | 0, 'SEEK_???');
    case 'ioctl':
      return formatIoctlRequest(v);
    case 'fcntl':
      return formatXval(ctx.call.compat ? FCNTL_CMDS_COMPAT : FCNTL_CMDS, v | 0, 'F_???');
    default:
      // A kind this formatter does not know yet: the raw value rather than nothing.
      return formatHex(v);
  }
}

/** A signal number: its name, or the number when it is not a signal (0, 65). */
export function formatSignalNumber(v: number): string {
  const sig = v | 0;
  return sig >= 1 && sig <= 64 ? signalName(sig) : formatSigned(v);
}

/** fcntl's third argument, as the command reads it; null when the command takes none. */
function formatFcntlArg(cmd: number, v: number): string | null {
  switch (cmd) {
    case F_GETFD:
    case F_GETFL:
    case F_GETOWN:
    case F_GETSIG:
    case F_GETLEASE:
    case F_GETPIPE_SZ:
    case F_GET_SEALS:
      return null;
    case F_SETFD:
      return formatFlags(FD_FLAGS, v);
    case F_SETFL:
      return formatOpenFlags(v);
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
    case F_SETOWN:
    case F_SETPIPE_SZ:
      return formatSigned(v | 0);
    case F_SETSIG:
      return formatSignalNumber(v);
    case F_SETLEASE:
      return formatXval(LEASE_TYPES, v | 0, 'F_???');
    case F_NOTIFY:
      return formatFlags(NOTIFY_FLAGS, v);
    case F_ADD_SEALS:
      return formatFlags(SEAL_FLAGS, v);
    default:
      // Lock structures and commands strace would decode further: the value itself.
      return formatHex(v);
  }
}

/**
 * The text of each argument. With result undefined (the call has not returned) output arguments stay undefined;
 * with a result, every argument is formatted. Positions that early already has (formatted when the call was
 * entered, before it could change memory) are taken from it and not read again.
 */
export function formatArgs(
  call: CallInfo,
  mem: GuestMemory,
  style: StringStyle,
  result?: number,
  early?: ArgTexts,
): ArgTexts {
  const raw = rawArgCount(call);
  if (raw !== undefined) return call.args.slice(0, raw).map((v) => formatHex(v));
  const kinds = call.row?.args ?? [];
  const out: ArgTexts = [];
  for (let i = 0; i < kinds.length; i++) {
    const known = early?.[i];
    if (known !== undefined) {
      out.push(known);
      continue;
    }
    const kind = kinds[i]!;
    const v = call.args[i] ?? 0;
    if (kind === 'mode') {
      const flagsAt = kinds.indexOf('openflags');
      if (flagsAt >= 0 && flagsAt < i && !openTakesMode(call.args[flagsAt] ?? 0)) {
        out.push(null);
        continue;
      }
    }
    if (i > 0 && kinds[i - 1] === 'fcntl') {
      out.push(formatFcntlArg(call.args[i - 1]! | 0, v));
      continue;
    }
    // ioctl's argument is a pointer or a number depending on the request: strace shows most in hex.
    if (i > 0 && kinds[i - 1] === 'ioctl' && INTEGER_KINDS.has(kind)) {
      out.push(ioctlTakesValue(call.args[i - 1]!) ? formatSigned(v) : formatHex(v));
      continue;
    }
    out.push(formatArg(kind, v, { call, kinds, index: i, mem, style, result }));
  }
  return out;
}

/**
 * `name(args)`. Output arguments of a call that never returned (the task ended inside it) show their address.
 */
export function formatCall(
  call: CallInfo,
  mem: GuestMemory,
  style: StringStyle,
  result: number | undefined,
  early?: ArgTexts,
): string {
  const texts = formatArgs(call, mem, style, result, early);
  const shown: string[] = [];
  texts.forEach((t, i) => {
    if (t !== null) shown.push(t ?? formatPointer(call.args[i] ?? 0));
  });
  return `${syscallName(call)}(${shown.join(', ')})`;
}
