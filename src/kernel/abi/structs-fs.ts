/**
 * File-system structures: stat family, statx, statfs family, directory entries.
 * Declarations follow the uapi headers (asm-generic/stat.h, arch/arm/include/uapi/asm/stat.h,
 * linux/stat.h, asm-generic/statfs.h) and arm64's asm/compat.h for the compat-only ones.
 */

import { array, defineStruct, i32, i64, long, u8, u16, u32, u64, ulong } from './layout.js';

/** arm64 `struct stat` (asm-generic): newfstatat, fstat. 128 bytes. */
export const stat = defineStruct('stat', {
  st_dev: ulong,
  st_ino: ulong,
  st_mode: u32,
  st_nlink: u32,
  st_uid: u32,
  st_gid: u32,
  st_rdev: ulong,
  __pad1: ulong,
  st_size: long,
  st_blksize: i32,
  __pad2: i32,
  st_blocks: long,
  st_atime: long,
  st_atime_nsec: ulong,
  st_mtime: long,
  st_mtime_nsec: ulong,
  st_ctime: long,
  st_ctime_nsec: ulong,
  __unused4: u32,
  __unused5: u32,
});

/**
 * ARM `struct stat64` (glibc 2.1 layout): stat64, lstat64, fstat64, fstatat64. 104 bytes; the
 * 64-bit members are 8-aligned under EABI, which puts st_size at 48 and st_ino at 96. ARM's
 * `unsigned long` members are written u32: the struct only exists in the ILP32 view.
 */
export const stat64 = defineStruct('stat64', {
  st_dev: u64,
  __pad0: array(u8, 4),
  /** Truncated inode number (STAT64_HAS_BROKEN_ST_INO); the real one is st_ino at the end. */
  __st_ino: u32,
  st_mode: u32,
  st_nlink: u32,
  st_uid: u32,
  st_gid: u32,
  st_rdev: u64,
  __pad3: array(u8, 4),
  st_size: i64,
  st_blksize: u32,
  st_blocks: u64,
  st_atime: u32,
  st_atime_nsec: u32,
  st_mtime: u32,
  st_mtime_nsec: u32,
  st_ctime: u32,
  st_ctime_nsec: u32,
  st_ino: u64,
});

/** arm64's `struct compat_stat` = ARM's old `struct stat` (compat stat, lstat, fstat: 106–108). 64 bytes; 16-bit mode, nlink and ids. */
export const compat_stat = defineStruct('compat_stat', {
  st_dev: u32,
  st_ino: u32,
  st_mode: u16,
  st_nlink: u16,
  st_uid: u16,
  st_gid: u16,
  st_rdev: u32,
  st_size: i32,
  st_blksize: i32,
  st_blocks: i32,
  st_atime: i32,
  st_atime_nsec: u32,
  st_mtime: i32,
  st_mtime_nsec: u32,
  st_ctime: i32,
  st_ctime_nsec: u32,
  __unused4: u32,
  __unused5: u32,
});

export const statx_timestamp = defineStruct('statx_timestamp', {
  tv_sec: i64,
  tv_nsec: u32,
  __reserved: i32,
});

/** `struct statx` as of Linux 6.1 (stx_dio_* included). 256 bytes in both models. */
export const statx = defineStruct('statx', {
  stx_mask: u32,
  stx_blksize: u32,
  stx_attributes: u64,
  stx_nlink: u32,
  stx_uid: u32,
  stx_gid: u32,
  stx_mode: u16,
  __spare0: array(u16, 1),
  stx_ino: u64,
  stx_size: u64,
  stx_blocks: u64,
  stx_attributes_mask: u64,
  stx_atime: statx_timestamp,
  stx_btime: statx_timestamp,
  stx_ctime: statx_timestamp,
  stx_mtime: statx_timestamp,
  stx_rdev_major: u32,
  stx_rdev_minor: u32,
  stx_dev_major: u32,
  stx_dev_minor: u32,
  stx_mnt_id: u64,
  stx_dio_mem_align: u32,
  stx_dio_offset_align: u32,
  __spare3: array(u64, 12),
});

export const __kernel_fsid_t = defineStruct('__kernel_fsid_t', { val: array(i32, 2) });

/**
 * `struct statfs` (asm-generic). `__statfs_word` is `long` on 64-bit and `__u32` on 32-bit, which
 * is `long` in both models as far as layout goes (arm64's compat_statfs uses int). 120 / 64 bytes.
 */
export const statfs = defineStruct('statfs', {
  f_type: long,
  f_bsize: long,
  f_blocks: long,
  f_bfree: long,
  f_bavail: long,
  f_files: long,
  f_ffree: long,
  f_fsid: __kernel_fsid_t,
  f_namelen: long,
  f_frsize: long,
  f_flags: long,
  f_spare: array(long, 4),
});

/** `struct statfs64` as a 64-bit kernel declares it (unpacked); arm64 has no statfs64 call, so this is the native fallback. 120 bytes. */
export const statfs64 = defineStruct('statfs64', {
  f_type: long,
  f_bsize: long,
  f_blocks: u64,
  f_bfree: u64,
  f_bavail: u64,
  f_files: u64,
  f_ffree: u64,
  f_fsid: __kernel_fsid_t,
  f_namelen: long,
  f_frsize: long,
  f_flags: long,
  f_spare: array(long, 4),
});

/**
 * `struct compat_statfs64` (ARM's statfs64): `__attribute__((packed, aligned(4)))` on both arm and
 * arm64 (ARCH_PACK_STATFS64 / ARCH_PACK_COMPAT_STATFS64), so 84 bytes, not 88. arm64's
 * compat statfs64/fstatfs64 (266/267) also accept sz == 88 and treat it as 84, as 32-bit ARM does
 * (an OABI fixup applied regardless of ABI); anything else but 84 is -EINVAL.
 */
export const compat_statfs64 = defineStruct(
  'compat_statfs64',
  {
    f_type: u32,
    f_bsize: u32,
    f_blocks: u64,
    f_bfree: u64,
    f_bavail: u64,
    f_files: u64,
    f_ffree: u64,
    f_fsid: __kernel_fsid_t,
    f_namelen: u32,
    f_frsize: u32,
    f_flags: u32,
    f_spare: array(u32, 4),
  },
  { packed: true, align: 4 },
);

/**
 * `struct linux_dirent64` header (getdents64): the NUL-terminated name starts at d_name (19);
 * d_reclen = ALIGN(19 + namelen + 1, 8).
 */
export const linux_dirent64 = defineStruct('linux_dirent64', {
  d_ino: u64,
  d_off: i64,
  d_reclen: u16,
  d_type: u8,
  d_name: array(u8, 0),
});

/**
 * `struct linux_dirent` header (getdents); under ILP32 this is `compat_linux_dirent` (u32 ino and
 * off, name at 10). The record ends with a NUL then d_type in its last byte:
 * d_reclen = ALIGN(offsetof(d_name) + namelen + 2, sizeof(long)).
 */
export const linux_dirent = defineStruct('linux_dirent', {
  d_ino: ulong,
  d_off: ulong,
  d_reclen: u16,
  d_name: array(u8, 0),
});
