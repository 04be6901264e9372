/**
 * The compat table's specs: each declared row (compat-rows.ts) resolved against the arm64 specs,
 * so a shared handler is the arm64 one itself (looked up by name, never copied) and a row whose
 * handler does not exist yet is 'missing' (-ENOSYS) with the reason in its note.
 * entry/syscall-entry.ts builds the compat table from these (compatTable()).
 */
import { type AbiSet, abiSetWith, COMPAT_ABI } from '../abi/abi-set.js';
import { nativeSpec } from './compat-native.js';
import type { CompatRow, RowSource } from './compat-row.js';
import { COMPAT_ROWS } from './compat-rows.js';
import type { SyscallContext, SyscallHandler, SyscallSpec } from './syscall-types.js';

/**
 * The compat ABI as the time64 calls see it: `timespec`/`itimerspec` are the 64-bit
 * __kernel_timespec/__kernel_itimerspec (every other layout stays compat).
 */
export const COMPAT_TIME64_ABI: AbiSet = abiSetWith(COMPAT_ABI, {
  timespec: '__kernel_timespec',
  itimerspec: '__kernel_itimerspec',
});

function joinNotes(...notes: (string | undefined)[]): string | undefined {
  const shown = notes.filter((n): n is string => n !== undefined && n !== '');
  return shown.length === 0 ? undefined : shown.join('; ');
}

/** The shared handler with the row's adaptation and ABI view around it. */
function sharedHandler(h: SyscallHandler, source: Extract<RowSource, { kind: 'native' }>): SyscallHandler {
  const adapt = source.adapt;
  const view = source.view === 'time64' ? COMPAT_TIME64_ABI : undefined;
  const withView = view === undefined ? h : (ctx: SyscallContext, a: readonly number[]) => h({ ...ctx, abi: view }, a);
  if (adapt === undefined) return withView;
  return (ctx, a) => {
    const args = adapt(a);
    return typeof args === 'number' ? args : withView(ctx, args);
  };
}

/** One declared row as the spec the table builder takes. */
export function resolveRow(r: CompatRow): SyscallSpec {
  const base = { name: r.name, args: r.args };
  const s = r.source;
  switch (s.kind) {
    case 'own':
      return { ...base, handler: s.handler, level: s.level ?? 'full', note: s.note };
    case 'missing':
      return { ...base, level: 'missing', note: s.note };
    case 'native': {
      const name = s.native ?? r.name;
      const spec = nativeSpec(name);
      const needs = s.options?.needs;
      if (spec?.handler === undefined) {
        return { ...base, level: 'missing', note: joinNotes(`needs the arm64 ${name}`, needs) };
      }
      if (needs !== undefined && spec.compatAware !== true) {
        return { ...base, level: 'missing', note: `arm64 ${name} does not follow the compat ABI yet: ${needs}` };
      }
      const note = s.options?.note;
      return {
        ...base,
        handler: sharedHandler(spec.handler, s),
        level: note !== undefined ? 'partial' : (spec.level ?? 'full'),
        note: joinNotes(spec.note, note),
      };
    }
  }
}

let specs: readonly SyscallSpec[] | undefined;

/**
 * Every AArch32 EABI call compat64 knows, resolved (rows for unassigned numbers come from the table
 * builder). Resolved on first use: a program that makes no compat call never needs them, and
 * resolving all rows was ~2 ms of every start.
 */
export function compatSpecs(): readonly SyscallSpec[] {
  specs ??= COMPAT_ROWS.map(resolveRow);
  return specs;
}
