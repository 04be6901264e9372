import { ARM64_SYSCALL_NUMBERS } from './numbers.generated.js';
import type { SyscallSpec } from './syscall-types.js';

/** One resolved row: the number, and the spec (a 'missing' spec for numbers nobody implements). */
export interface SyscallRow extends SyscallSpec {
  readonly nr: number;
}

/**
 * Builds a table indexed by number from the generated numbers and the specs of every subsystem.
 * Every number gets a row: unimplemented ones return -ENOSYS and are named in the trace.
 * A spec whose name the table does not have is an error (it would never be called).
 */
export function buildTable(
  numbers: Readonly<Record<string, number>>,
  count: number,
  specs: readonly SyscallSpec[],
): SyscallRow[] {
  const byName = new Map<string, SyscallSpec>();
  for (const s of specs) {
    if (!(s.name in numbers)) throw new Error(`syscall spec for unknown name ${s.name}`);
    if (byName.has(s.name)) throw new Error(`two specs for ${s.name}`);
    byName.set(s.name, s);
  }
  // Rows of one shape, made without spreads: the arm64 table is built at every start.
  const rows: SyscallRow[] = new Array(count);
  for (let nr = 0; nr < count; nr++) rows[nr] = makeRow(nr, `syscall_${nr}`, undefined);
  for (const name in numbers) {
    const nr = numbers[name]!;
    rows[nr] = makeRow(nr, name, byName.get(name));
  }
  return rows;
}

const NO_ARGS: readonly never[] = [];

function makeRow(nr: number, name: string, s: SyscallSpec | undefined): SyscallRow {
  if (s === undefined)
    return { nr, name, args: NO_ARGS, handler: undefined, note: undefined, level: 'missing', compatAware: undefined };
  return {
    nr,
    name,
    args: s.args,
    handler: s.handler,
    note: s.note,
    level: s.level ?? (s.handler ? 'full' : 'missing'),
    compatAware: s.compatAware,
  };
}

export const ARM64_NUMBERS: Readonly<Record<string, number>> = ARM64_SYSCALL_NUMBERS;
