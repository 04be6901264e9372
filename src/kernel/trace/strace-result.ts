/**
 * The part after `=`: a number, an address, or `-1 ENOENT (No such file or directory)`, and the few results
 * strace explains in parentheses (fcntl's F_GETFL flags, F_GETSIG's signal). The restart codes a task never sees
 * are printed with strace's own words and `?`, since the call has not returned to the task yet.
 */
import { errnoName, KERNEL_ERRNO } from '../abi/errno.js';
import { signalName } from '../abi/signal.js';
import { strerror } from './errno-messages.js';
import {
  F_GET_SEALS,
  F_GETFD,
  F_GETFL,
  F_GETLEASE,
  F_GETSIG,
  FD_FLAGS,
  formatFlags,
  formatOpenFlags,
  LEASE_TYPES,
  lookupXval,
  SEAL_FLAGS,
} from './flag-names.js';
import type { CallInfo } from './strace-call.js';
import { formatHex, formatMode, formatSigned } from './strace-numbers.js';

/** Linux's IS_ERR_VALUE range: results from -4095 to -1 are errors. */
const MAX_ERRNO = 4095;

const RESTART_TEXT: ReadonlyMap<number, string> = new Map([
  [KERNEL_ERRNO.ERESTARTSYS, 'ERESTARTSYS (To be restarted if SA_RESTART is set)'],
  [KERNEL_ERRNO.ERESTARTNOINTR, 'ERESTARTNOINTR (To be restarted)'],
  [KERNEL_ERRNO.ERESTARTNOHAND, 'ERESTARTNOHAND (To be restarted if no handler)'],
  [KERNEL_ERRNO.ERESTART_RESTARTBLOCK, 'ERESTART_RESTARTBLOCK (Interrupted by signal)'],
]);

/** Calls whose result is an address (strace's RVAL_HEX). */
const ADDRESS_RESULTS: ReadonlySet<string> = new Set(['mmap', 'mmap2', 'mremap', 'brk', 'shmat']);

export function isErrorResult(result: number): boolean {
  return result < 0 && result >= -MAX_ERRNO;
}

/** `-1 EAGAIN (Resource temporarily unavailable)` for a negative errno return. */
export function formatError(errno: number): string {
  const restart = RESTART_TEXT.get(errno);
  if (restart !== undefined) return `? ${restart}`;
  const name = errnoName(errno);
  return name === undefined ? `-1 ERRNO_${errno} (${strerror(errno)})` : `-1 ${name} (${strerror(errno)})`;
}

/** fcntl results strace explains: the flags or signal behind the number. */
function formatFcntlResult(cmd: number, result: number): string | undefined {
  switch (cmd) {
    case F_GETFD:
      return result === 0 ? '0' : `${formatHex(result)} (flags ${formatFlags(FD_FLAGS, result)})`;
    case F_GETFL:
      return `${formatHex(result)} (flags ${formatOpenFlags(result)})`;
    case F_GETSIG:
      return result === 0 ? '0' : `${result} (${signalName(result)})`;
    case F_GET_SEALS:
      return result === 0 ? '0' : `${formatHex(result)} (seals ${formatFlags(SEAL_FLAGS, result)})`;
    case F_GETLEASE: {
      const name = lookupXval(LEASE_TYPES, result);
      return name === undefined ? formatHex(result) : `${formatHex(result)} (${name})`;
    }
    default:
      return undefined;
  }
}

/** The text after `= ` for a call that returned result. */
export function formatResult(call: CallInfo, result: number): string {
  if (isErrorResult(result)) return formatError(-result);
  const row = call.row;
  if (row !== undefined) {
    if (ADDRESS_RESULTS.has(row.name)) return formatHex(result);
    if (row.name === 'umask') return formatMode(result);
    const cmdAt = row.args.indexOf('fcntl');
    if (cmdAt >= 0) {
      const text = formatFcntlResult(call.args[cmdAt]!, result);
      if (text !== undefined) return text;
    }
  }
  return formatSigned(result);
}
