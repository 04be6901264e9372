/**
 * Syscall entry and exit for an AArch64 SVC (compat-abi.md §1–2).
 *
 * Bit 31 of w8 picks the table: clear, the arm64 table with number w8 (a signed int); set, the
 * AArch32 EABI compat table with number w8 & 0x7fffffff (the upper 32 bits of x8 are ignored).
 * Unassigned slots, numbers past the table (the ARM-private 0xf0000 range included) and negative
 * native numbers return -ENOSYS. With `--no-compat-syscalls` bit 31 selects nothing: the number is
 * a negative int and the result a 64-bit -ENOSYS, as on a kernel without the series.
 *
 * Arguments are shaped by the row's kinds (shape-args.ts): compat registers are narrowed to 32 bits
 * and EABI register pairs joined, so handlers get logical values. The result is written to x0,
 * sign-extended for native calls and zero-extended from 32 bits for compat calls; no other register
 * changes.
 */
import { COMPAT_ABI, NATIVE_ABI } from '../abi/abi-set.js';
import { errnoName } from '../abi/errno.js';
import type { Kernel } from '../kernel.js';
import { ptraceSyscallEnter, ptraceSyscallExit } from '../security/ptrace/ptrace-syscall.js';
import { seccompSyscallEnter } from '../security/seccomp/seccomp-entry.js';
import { ARM64_SPECS } from '../syscalls/arm64-specs.js';
import { compatSpecs } from '../syscalls/compat-table.js';
import {
  ARM_EABI_SYSCALL_COUNT,
  ARM_EABI_SYSCALL_NUMBERS,
  ARM64_SYSCALL_COUNT,
  ARM64_SYSCALL_NUMBERS,
} from '../syscalls/numbers.generated.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { buildTable, type SyscallRow } from '../syscalls/table.js';
import type { Task } from '../task/task.js';
import { COMPAT_SYSCALL_BIT, COMPAT_SYSCALL_NR_MASK, enterSyscall } from './compat-state.js';
import { isRegisterLayoutKind, logicalKinds, shapeCompatArgs, shapeNativeArgs } from './shape-args.js';
import {
  EntryVerdict,
  NO_SYSCALL,
  SYSCALL_WORK_EMU,
  SYSCALL_WORK_SECCOMP,
  SYSCALL_WORK_TRACE,
} from './syscall-work.js';

export { COMPAT_SYSCALL_BIT } from './compat-state.js';

const ENOSYS = 38;

export const ARM64_TABLE: readonly SyscallRow[] = buildTable(ARM64_SYSCALL_NUMBERS, ARM64_SYSCALL_COUNT, ARM64_SPECS);
let compatRows: readonly SyscallRow[] | undefined;
let compatViews: readonly SyscallRow[] | undefined;

/**
 * The AArch32 EABI table: a row per number, its kinds describing the EABI registers (pads, pairs).
 * Built on first use (a compat call, the trace, tests): most programs make no compat call, and the
 * table with its logical views was ~3 ms of every start.
 */
export function compatTable(): readonly SyscallRow[] {
  compatRows ??= buildTable(ARM_EABI_SYSCALL_NUMBERS, ARM_EABI_SYSCALL_COUNT, compatSpecs());
  return compatRows;
}

/** A row as its handler and the trace see it: the logical kinds (pads dropped, pairs joined). */
export function logicalRow(row: SyscallRow): SyscallRow {
  return row.args.some(isRegisterLayoutKind) ? { ...row, args: logicalKinds(row.args) } : row;
}

/** compatTable()'s rows in their logical view, by number. */
function compatViewRows(): readonly SyscallRow[] {
  compatViews ??= compatTable().map(logicalRow);
  return compatViews;
}

/** The result of a syscall as it leaves the kernel, for the trace. */
export interface SyscallRecord {
  row: SyscallRow | undefined;
  nr: number;
  compat: boolean;
  args: number[];
  result: number;
}

/** Which table and row an SVC names, from w8 (the compat bit honoured only when the series is emulated). */
export function decodeSyscall(
  w8: number,
  compatSyscalls: boolean,
): { compat: boolean; nr: number; row: SyscallRow | undefined } {
  const compat = ((w8 >>> 0) & COMPAT_SYSCALL_BIT) !== 0 && compatSyscalls;
  const nr = compat ? w8 & COMPAT_SYSCALL_NR_MASK : w8 | 0;
  return { compat, nr, row: dataRowFor(compat, nr) };
}

/** The row for number `nr` of the native or compat table (undefined past the end or for a negative number). */
function dataRowFor(compat: boolean, nr: number): SyscallRow | undefined {
  const table = compat ? compatTable() : ARM64_TABLE;
  return nr >= 0 && nr < table.length ? table[nr] : undefined;
}

/**
 * Runs the SVC the task stopped at: decodes it, marks the task "in compat syscall" (or not), shapes
 * the arguments, runs the handler (awaiting it when it blocks) and writes x0. A task with syscall
 * work (ptrace syscall stops, seccomp) takes the slow path, syscall-work.ts.
 */
export function syscallEntry(kernel: Kernel, task: Task): void | Promise<void> {
  const { compat, nr, row: dataRow } = decodeSyscall(task.cpu.x[16]!, kernel.options.compatSyscalls);
  enterSyscall(task, compat);
  task.syscallNo = nr;
  if (task.syscallWork !== 0) return syscallWithWork(kernel, task, compat);
  return invokeSyscall(kernel, task, compat, nr, dataRow);
}

/** Shapes the arguments from the registers as they are now, runs the handler and writes x0. */
function invokeSyscall(
  kernel: Kernel,
  task: Task,
  compat: boolean,
  nr: number,
  dataRow: SyscallRow | undefined,
): void | Promise<void> {
  const x = task.cpu.x;
  const row = compat && dataRow !== undefined ? compatViewRows()[nr] : dataRow;
  const args = compat ? shapeCompatArgs(dataRow?.args, x) : shapeNativeArgs(dataRow?.args, x);
  const ctx: SyscallContext = {
    kernel,
    task,
    compat,
    abi: compat ? COMPAT_ABI : NATIVE_ABI,
    mem: task.mm.as,
    mm: task.mm,
    name: row?.name ?? `syscall_${nr}`,
  };
  const finish = (result: number): void => {
    if (task.exitStatus !== undefined) return;
    setResult(task, result, compat);
    if (kernel.trace) kernel.trace.syscall(task, { row, nr, compat, args, result });
  };
  kernel.trace?.syscallEnter?.(task, { row, nr, compat, args });
  if (row === undefined || row.handler === undefined) return finish(-ENOSYS);
  const r = row.handler(ctx, args);
  if (typeof r === 'number') return finish(r);
  return r.then(finish);
}

/**
 * The slow path (Linux's el0_svc_common with syscall work): ptrace entry stop, seccomp, the call, the
 * ptrace exit stop. A native syscall(-1) returns -ENOSYS unless a tracer or filter decides otherwise.
 * Each step may park (a ptrace stop, a seccomp user notification); the chain stays synchronous while
 * none does, so a seccomp filter costs no promise per syscall.
 */
function syscallWithWork(kernel: Kernel, task: Task, compat: boolean): void | Promise<void> {
  if (task.syscallNo === NO_SYSCALL) setResult(task, -ENOSYS, compat);
  if (task.syscallWork & (SYSCALL_WORK_TRACE | SYSCALL_WORK_EMU)) {
    const v = ptraceSyscallEnter(kernel, task);
    if (typeof v !== 'number') return v.then((verdict) => afterTraceEnter(kernel, task, compat, verdict));
    return afterTraceEnter(kernel, task, compat, v);
  }
  return afterTraceEnter(kernel, task, compat, EntryVerdict.Run);
}

/**
 * After the ptrace entry stop: seccomp on the number and registers as the tracer left them — also a
 * number of -1 (the filters see it; strict mode kills), as Linux runs secure_computing before it
 * looks at the number. PTRACE_SYSEMU skips both.
 */
function afterTraceEnter(kernel: Kernel, task: Task, compat: boolean, verdict: EntryVerdict): void | Promise<void> {
  if (verdict === EntryVerdict.Dead || task.exitStatus !== undefined) return;
  if (verdict === EntryVerdict.Run && task.syscallWork & SYSCALL_WORK_SECCOMP) {
    const nr = task.syscallNo;
    const dataRow = dataRowFor(compat, nr);
    const x = task.cpu.x;
    const args = compat ? shapeCompatArgs(dataRow?.args, x) : shapeNativeArgs(dataRow?.args, x);
    const v = seccompSyscallEnter(kernel, task, compat, nr, args);
    if (typeof v !== 'number') return v.then((verdict) => afterSeccomp(kernel, task, compat, verdict));
    return afterSeccomp(kernel, task, compat, v);
  }
  return afterSeccomp(kernel, task, compat, verdict);
}

/**
 * Runs the call (or records the skipped one for the trace), then the ptrace exit stop. The number is
 * read again: a tracer may have changed it at a SECCOMP_RET_TRACE stop (the filters re-checked it).
 */
function afterSeccomp(kernel: Kernel, task: Task, compat: boolean, verdict: EntryVerdict): void | Promise<void> {
  if (verdict === EntryVerdict.Dead || task.exitStatus !== undefined) return;
  const nr = task.syscallNo;
  if (nr === NO_SYSCALL) verdict = EntryVerdict.Skip;
  const dataRow = dataRowFor(compat, nr);
  if (verdict === EntryVerdict.Run) {
    const r = invokeSyscall(kernel, task, compat, nr, dataRow);
    if (r !== undefined) return r.then(() => syscallExitWork(kernel, task));
  } else if (kernel.trace && nr !== NO_SYSCALL) {
    // A call skipped by a tracer or a filter still shows, with the result user mode gets.
    const x = task.cpu.x;
    const row = compat && dataRow !== undefined ? compatViewRows()[nr] : dataRow;
    const args = compat ? shapeCompatArgs(dataRow?.args, x) : shapeNativeArgs(dataRow?.args, x);
    const result = compat ? x[0]! : x[1]! * 4294967296 + (x[0]! >>> 0);
    kernel.trace.syscall(task, { row, nr, compat, args, result });
  }
  return syscallExitWork(kernel, task);
}

function syscallExitWork(kernel: Kernel, task: Task): void | Promise<void> {
  if (task.exitStatus !== undefined) return;
  if (task.syscallWork & SYSCALL_WORK_TRACE) return ptraceSyscallExit(kernel, task);
}

/** x0 = result: sign-extended for native calls, zero-extended 32-bit for compat calls (§1). */
export function setResult(task: Task, result: number, compat: boolean): void {
  const x = task.cpu.x;
  if (compat) {
    x[0] = result | 0;
    x[1] = 0;
    return;
  }
  // 2^63 - 1 (a directory's end cookie, LLONG_MAX) is 2^63 as a number: give the guest LLONG_MAX.
  if (result >= 2 ** 63) {
    x[0] = -1;
    x[1] = 0x7fffffff;
    return;
  }
  // ToInt32 is exact modulo 2^32 for any integer-valued number.
  x[0] = result | 0;
  x[1] = Math.floor(result / 4294967296) | 0;
}

export function describeErrno(n: number): string {
  return errnoName(n) ?? `E${n}`;
}
