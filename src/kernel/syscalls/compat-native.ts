/**
 * The arm64 handlers the compat table shares, looked up by their kernel name in ARM64_SPECS, never
 * copied: where Linux wires the same `sys_*` function into both tables (or a compat wrapper that
 * only reshapes arguments around it), compat64 calls the one native handler, which consults
 * ctx.compat and ctx.abi where Linux's consults in_compat_syscall().
 */
import { ARM64_SPECS } from './arm64-specs.js';
import type { SyscallArgs, SyscallContext, SyscallHandler, SyscallSpec } from './syscall-types.js';

const ENOSYS = -38;

const BY_NAME: ReadonlyMap<string, SyscallSpec> = new Map(ARM64_SPECS.map((s) => [s.name, s]));

/** The arm64 spec of that name, if compat64 has one. */
export function nativeSpec(name: string): SyscallSpec | undefined {
  return BY_NAME.get(name);
}

/** The arm64 handler of that name, if it is implemented. */
export function nativeHandler(name: string): SyscallHandler | undefined {
  return BY_NAME.get(name)?.handler;
}

/** Runs the arm64 handler of that name with these (logical) arguments; -ENOSYS while it does not exist. */
export function callNative(name: string, ctx: SyscallContext, args: SyscallArgs): number | Promise<number> {
  const h = nativeHandler(name);
  return h === undefined ? ENOSYS : h(ctx, args);
}
