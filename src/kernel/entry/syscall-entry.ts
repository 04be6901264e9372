import { COMPAT_ABI, NATIVE_ABI } from '../abi/abi-set.js';
import { errnoName } from '../abi/errno.js';
import type { Kernel } from '../kernel.js';
import { buildTable, type SyscallRow } from '../syscalls/table.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { Task } from '../task/task.js';
import { shapeArg } from './shape-args.js';
import { ARM64_SPECS } from '../syscalls/arm64-specs.js';
import {
  ARM64_SYSCALL_COUNT,
  ARM64_SYSCALL_NUMBERS,
  ARM_EABI_SYSCALL_COUNT,
  ARM_EABI_SYSCALL_NUMBERS,
} from '../syscalls/numbers.generated.js';

const ENOSYS = 38;
export const COMPAT_SYSCALL_BIT = 0x80000000;

export const ARM64_TABLE: readonly SyscallRow[] = buildTable(ARM64_SYSCALL_NUMBERS, ARM64_SYSCALL_COUNT, ARM64_SPECS);
/** The AArch32 EABI table; rows get handlers with the compat-ABI issue. */
export const COMPAT_TABLE: readonly SyscallRow[] = buildTable(ARM_EABI_SYSCALL_NUMBERS, ARM_EABI_SYSCALL_COUNT, []);

/** The result of a syscall as it leaves the kernel, for the trace. */
export interface SyscallRecord {
  row: SyscallRow | undefined;
  nr: number;
  compat: boolean;
  args: number[];
  result: number;
}

/**
 * Syscall entry for an AArch64 SVC: picks the table by bit 31 of w8 (compat-abi.md §1), shapes the
 * arguments by kind, runs the handler (awaiting it when it blocks) and writes x0.
 */
export function syscallEntry(kernel: Kernel, task: Task): void | Promise<void> {
  const x = task.cpu.x;
  const w8 = x[16]! >>> 0;
  const compat = (w8 & COMPAT_SYSCALL_BIT) !== 0 && kernel.options.compatSyscalls;
  const nr = compat ? w8 & 0x7fffffff : w8 | 0;
  const table = compat ? COMPAT_TABLE : ARM64_TABLE;
  const row = nr >= 0 && nr < table.length ? table[nr] : undefined;
  const args: number[] = [];
  for (let i = 0; i < 6; i++) {
    // Compat calls see 32-bit registers: zero-extend before shaping.
    const lo = x[2 * i]!;
    const hi = compat ? 0 : x[2 * i + 1]!;
    args.push(shapeArg(row?.args[i], lo, hi));
  }
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

/** x0 = result: sign-extended for native calls, zero-extended 32-bit for compat calls (§1). */
export function setResult(task: Task, result: number, compat: boolean): void {
  const x = task.cpu.x;
  if (compat) {
    x[0] = result | 0;
    x[1] = 0;
    return;
  }
  // ToInt32 is exact modulo 2^32 for any integer-valued number.
  x[0] = result | 0;
  x[1] = Math.floor(result / 4294967296) | 0;
}

export function describeErrno(n: number): string {
  return errnoName(n) ?? `E${n}`;
}
