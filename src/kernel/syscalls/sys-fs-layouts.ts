/**
 * File-system structures the shared ABI declarations (abi/structs-*.ts) do not have yet. Declared
 * with the layout engine so both models come for free; they belong in abi/structs-fs.ts and the ABI
 * sets, and move there when that module is next touched.
 */
import { defineStruct, i16, i32, type LayoutOf, LP64, layoutOf, long } from '../abi/layout.js';

/**
 * `struct flock` (asm-generic/fcntl.h): fcntl F_GETLK/F_SETLK/F_SETLKW and the OFD variants.
 * 32 bytes on arm64. (A compat task's fcntl64 uses `struct flock64`, with 64-bit l_start/l_len.)
 */
export const flock = defineStruct('flock', {
  l_type: i16,
  l_whence: i16,
  l_start: long,
  l_len: long,
  l_pid: i32,
});

export const FLOCK_NATIVE: LayoutOf<typeof flock> = layoutOf(flock, LP64);
