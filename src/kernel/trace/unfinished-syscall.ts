/**
 * Which call a task was in when it ended, for strace's `exit_group(0) = ?` line, when the entry layer did not
 * announce the call (Tracer.syscallEnter). The kernel ends a task inside exit, exit_group and the kill family
 * before the call returns, so the record never reaches Tracer.syscall; the registers still hold the call (x8
 * and x0-x5 are untouched until the result is written), so it is rebuilt from them the way entry builds it.
 */
import { ARM64_TABLE, COMPAT_SYSCALL_BIT, compatTable } from '../entry/syscall-entry.js';
import { shapeArg } from '../entry/shape-args.js';
import type { CallInfo } from './strace-call.js';

/** The calls that can end the calling task before they return. */
const ENDS_TASK: ReadonlySet<string> = new Set([
  'exit',
  'exit_group',
  'kill',
  'tkill',
  'tgkill',
  'rt_sigqueueinfo',
  'rt_tgsigqueueinfo',
]);

/**
 * The call in the registers (x: the CPU's register halves, x[2n] low and x[2n+1] high of Xn), if it is one that
 * can end the task; undefined otherwise, so a task killed while running its own code gets no call line.
 */
export function unfinishedSyscall(x: Int32Array): CallInfo | undefined {
  const w8 = x[16]! >>> 0;
  const compat = (w8 & COMPAT_SYSCALL_BIT) !== 0;
  const nr = compat ? w8 & 0x7fffffff : w8 | 0;
  const table = compat ? compatTable() : ARM64_TABLE;
  const row = nr >= 0 && nr < table.length ? table[nr] : undefined;
  if (row === undefined || !ENDS_TASK.has(row.name)) return undefined;
  const args: number[] = [];
  for (let i = 0; i < 6; i++) args.push(shapeArg(row.args[i], x[2 * i]!, compat ? 0 : x[2 * i + 1]!));
  return { row, nr, compat, args };
}
