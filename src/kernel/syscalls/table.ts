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
  const rows: SyscallRow[] = [];
  for (let nr = 0; nr < count; nr++) rows.push({ nr, name: `syscall_${nr}`, args: [], level: 'missing' });
  for (const [name, nr] of Object.entries(numbers)) {
    const s = byName.get(name);
    rows[nr] = s
      ? { ...s, nr, level: s.level ?? (s.handler ? 'full' : 'missing') }
      : { nr, name, args: [], level: 'missing' };
  }
  return rows;
}

export const ARM64_NUMBERS: Readonly<Record<string, number>> = ARM64_SYSCALL_NUMBERS;
