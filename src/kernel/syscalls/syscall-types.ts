import type { AddressSpace } from '../../memory/address-space.js';
import type { AbiSet } from '../abi/abi-set.js';
import type { Kernel } from '../kernel.js';
import type { MemoryMap } from '../mm/memory-map.js';
import type { Task } from '../task/task.js';

/**
 * How an argument is shaped from its register and shown in the trace. The entry layer turns each
 * register into a number by its kind (signed 32-bit for int-like kinds, unsigned 32-bit for flag
 * words, the 64-bit value as a number for pointers and sizes, signed 64-bit for offsets), so handlers
 * are written once for every ABI.
 */
export type ArgKind =
  | 'int' // signed int
  | 'uint' // unsigned int
  | 'hex' // unsigned long shown in hex (flags words that are long)
  | 'long' // signed long
  | 'ulong' // unsigned long
  | 'fd'
  | 'dirfd' // fd or AT_FDCWD
  | 'path' // const char *, shown as a string
  | 'str' // other const char *
  | 'ptr' // pointer shown as an address
  | 'buf_in' // const void * with length in the next size argument, shown as data
  | 'buf_out' // void * filled by the call, length = result
  | 'size' // size_t
  | 'off' // loff_t / off_t
  | 'openflags'
  | 'mode' // mode_t in octal
  | 'atflags'
  | 'prot' // mmap protection
  | 'mapflags' // mmap flags
  | 'signal'
  | 'pid'
  | 'clockid'
  | 'whence'
  | 'ioctl'
  | 'fcntl'
  // Compat (AArch32 EABI) register layouts: each names how registers become one logical argument.
  | 'pad' // an EABI alignment slot before a register pair: consumed, never passed to the handler
  | 'off64_pair' // loff_t in two registers, low word first (EABI pairs and preadv's pos_low/pos_high)
  | 'off64_hilo' // loff_t in two registers, high word first (_llseek)
  | 'u64_pair'; // an unsigned 64-bit value in two registers, low word first

/** The arguments of one call, shaped by kind. */
export type SyscallArgs = readonly number[];

/** A handler returns the result or a negative errno, or a promise of one when the call blocks. */
export type SyscallHandler = (ctx: SyscallContext, a: SyscallArgs) => number | Promise<number>;

export type SupportLevel = 'full' | 'partial' | 'missing';

/** One row of a syscall table: written once per kernel syscall, keyed by the kernel's name. */
export interface SyscallSpec {
  readonly name: string;
  readonly args: readonly ArgKind[];
  readonly handler?: SyscallHandler;
  /** partial: what is missing; missing: why (returns -ENOSYS). */
  readonly note?: string;
  readonly level?: SupportLevel;
  /**
   * The handler follows the calling ABI as Linux's does: structures through ctx.abi, ctx.compat
   * wherever Linux consults in_compat_syscall(). The compat table shares an arm64 handler whose
   * structures differ between the ABIs only once its spec says so (compat-table.ts).
   */
  readonly compatAware?: boolean;
}

/** What a handler is given besides its arguments. */
export interface SyscallContext {
  readonly kernel: Kernel;
  readonly task: Task;
  /** True inside a compat-from-64 syscall (the kernel's in_compat_syscall()). */
  readonly compat: boolean;
  /** The structure layouts of the calling ABI (NATIVE_ABI or COMPAT_ABI): handlers use ctx.abi.stat etc. */
  readonly abi: AbiSet;
  readonly mem: AddressSpace;
  readonly mm: MemoryMap;
  /** The syscall's name, for errors and traces. */
  readonly name: string;
}
