/**
 * How a row of the compat table is declared (compat-rows.ts) before it is resolved against the
 * arm64 handlers (compat-table.ts). A row names its AArch32 call, the kinds of its EABI registers
 * (pads and pairs included) and where its handler comes from:
 * - `same()` / `via(native, adapt)`: the arm64 handler Linux shares, called with the logical
 *   arguments (reordered or completed by `adapt` where the compat entry point only reshapes them:
 *   `stat64(path, buf)` is `newfstatat(AT_FDCWD, path, buf, 0)`). `needs` names compat behaviour
 *   the arm64 handler must have before it may be shared (its spec's compatAware); until then the
 *   row returns -ENOSYS. `note` marks a shared handler that works with a known limit.
 * - `time64(native)`: the arm64 handler, run with the 64-bit time layouts (`clock_gettime64` &co.
 *   read `ctx.abi.timespec` as __kernel_timespec).
 * - `own(handler)`: a compat-only handler (compat-*.ts).
 * - `missing(note)`: -ENOSYS, named in the trace and listed in docs/syscalls.md with the reason.
 */
import type { ArmEabiSyscallName } from './numbers.generated.js';
import type { ArgKind, SupportLevel, SyscallArgs, SyscallHandler } from './syscall-types.js';

/** Logical compat arguments → the arm64 handler's arguments, or a negative errno to return at once. */
export type Adapt = (a: SyscallArgs) => number[] | number;

export interface ShareOptions {
  /** Compat behaviour the arm64 handler lacks; the row waits for its spec's compatAware. */
  readonly needs?: string;
  /** A limit of the shared handler in compat calls: the row is 'partial' with this note. */
  readonly note?: string;
}

export type RowSource =
  | {
      readonly kind: 'native';
      /** The arm64 spec's name; the row's own name when absent. */
      readonly native?: string;
      readonly adapt?: Adapt;
      /** 'time64': run with ctx.abi.timespec/itimerspec = the 64-bit layouts. */
      readonly view?: 'time64';
      readonly options?: ShareOptions;
    }
  | { readonly kind: 'own'; readonly handler: SyscallHandler; readonly level?: SupportLevel; readonly note?: string }
  | { readonly kind: 'missing'; readonly note: string };

export interface CompatRow {
  readonly name: ArmEabiSyscallName;
  /** The EABI registers' kinds ('pad', 'off64_pair', … where the EABI needs them). */
  readonly args: readonly ArgKind[];
  readonly source: RowSource;
}

export function row(name: ArmEabiSyscallName, args: readonly ArgKind[], source: RowSource): CompatRow {
  return { name, args, source };
}

/** The arm64 handler of the same name, arguments unchanged. */
export function same(options?: ShareOptions): RowSource {
  return { kind: 'native', options };
}

/** The arm64 handler `native`, with the logical arguments adapted. */
export function via(native: string, adapt?: Adapt, options?: ShareOptions): RowSource {
  return { kind: 'native', native, adapt, options };
}

/** A time64 call: the arm64 handler `native` with the 64-bit time layouts. */
export function time64(native: string, options?: ShareOptions): RowSource {
  return { kind: 'native', native, view: 'time64', options };
}

/** A compat-only handler. */
export function own(handler: SyscallHandler, level?: SupportLevel, note?: string): RowSource {
  return { kind: 'own', handler, level, note };
}

/** No handler: -ENOSYS. */
export function missing(note: string): RowSource {
  return { kind: 'missing', note };
}
