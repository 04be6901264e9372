/**
 * strace's output lines, as text: a finished syscall (`openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3`),
 * a signal (`--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---`) and the end of a task
 * (`+++ exited with 0 +++`). Arguments are formatted by their kinds (strace-call.ts), results by strace-result.ts;
 * this module puts a line together. Nothing here writes: strace-tracer.ts does.
 */
import { signalName } from '../abi/signal.js';
import { hex32, lookupXval, SI_CODES, SIGNAL_CODES } from './flag-names.js';
import { type ArgTexts, type CallInfo, formatCall } from './strace-call.js';
import { formatPointer } from './strace-numbers.js';
import { formatResult } from './strace-result.js';
import type { GuestMemory, StringStyle } from './strace-string.js';

export { type ArgTexts, type CallInfo, formatArgs, formatCall, syscallName } from './strace-call.js';
export { formatError, formatResult } from './strace-result.js';
export { type GuestMemory, quoteBytes, type StringStyle } from './strace-string.js';

/** strace's defaults: -s 32, escapes in octal. */
export const DEFAULT_STYLE: StringStyle = { maxStrlen: 32, xflag: 0 };

/** strace's -a default: results start in this column when the call is shorter. */
export const DEFAULT_RESULT_COLUMN = 40;

/** The two halves of a syscall line: `write(1, "hello\n", 6)` and `6`. */
export interface SyscallText {
  readonly call: string;
  readonly result: string;
}

/**
 * A finished call. early holds the arguments formatted when the call was entered (see Tracer.syscallEnter);
 * without it every argument is read from memory now, after the call.
 */
export function formatSyscall(
  call: CallInfo,
  result: number,
  mem: GuestMemory,
  style: StringStyle = DEFAULT_STYLE,
  early?: ArgTexts,
): SyscallText {
  return { call: formatCall(call, mem, style, result, early), result: formatResult(call, result) };
}

/** A call the task never returned from (exit_group, a fatal signal inside it): strace's `= ?`. */
export function formatUnfinishedSyscall(
  call: CallInfo,
  mem: GuestMemory,
  style: StringStyle = DEFAULT_STYLE,
  early?: ArgTexts,
): SyscallText {
  return { call: formatCall(call, mem, style, undefined, early), result: '?' };
}

/**
 * `left = result`, with `=` in the result column when left is shorter (strace pads to column 40; 0 means no
 * padding). left includes any `[pid N] ` prefix, as strace counts columns from the start of the line.
 */
export function alignResult(left: string, result: string, column = DEFAULT_RESULT_COLUMN): string {
  const padded = column > 0 ? left.padEnd(column - 1) : left;
  return `${padded} = ${result}`;
}

/** Who sent a signal, for the si_pid and si_uid of signals a process sent (si_code <= 0). */
export interface SignalSender {
  readonly pid: number;
  readonly uid: number;
}

const SI_SIGIO = -5;
/** Signals whose siginfo carries the faulting address (strace prints si_addr for them). */
const FAULT_SIGNALS: ReadonlySet<number> = new Set([4, 5, 7, 8, 11]); // SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV

function formatSiCode(sig: number, code: number): string {
  const generic = lookupXval(SI_CODES, code);
  if (generic !== undefined) return generic;
  const table = SIGNAL_CODES.get(sig);
  return (table && lookupXval(table, code)) ?? hex32(code);
}

/** `--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---` (strace's printsiginfo). */
export function formatSignal(sig: number, code: number, addr: number, sender?: SignalSender): string {
  const name = signalName(sig);
  const fields = [`si_signo=${name}`, `si_code=${formatSiCode(sig, code)}`];
  if (code <= 0) {
    if (code !== SI_SIGIO && sender !== undefined) fields.push(`si_pid=${sender.pid}`, `si_uid=${sender.uid}`);
  } else if (FAULT_SIGNALS.has(sig)) {
    fields.push(`si_addr=${formatPointer(addr)}`);
  }
  return `--- ${name} {${fields.join(', ')}} ---`;
}

/** How a task ended, as Tracer.exit reports it. */
export type TaskEnd = { code: number } | { signal: number; core: boolean };

/** `+++ exited with 0 +++`, `+++ killed by SIGSEGV (core dumped) +++`. */
export function formatExit(how: TaskEnd): string {
  if ('code' in how) return `+++ exited with ${how.code} +++`;
  return `+++ killed by ${signalName(how.signal)}${how.core ? ' (core dumped)' : ''} +++`;
}
