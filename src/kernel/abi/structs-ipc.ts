/**
 * System V IPC structures (asm-generic/ipcbuf.h, asm-generic/shmbuf.h; arm64's compat.h for the
 * compat ones). These are two declarations in the kernel, not one seen two ways: ARM's
 * __kernel_mode_t is 16 bits and its shmid64_ds splits times into low/high words.
 */

import { array, defineStruct, i32, long, size_t, u8, u16, u32, ulong } from './layout.js';

/** arm64 `struct ipc64_perm`: 48 bytes. */
export const ipc64_perm = defineStruct('ipc64_perm', {
  key: i32,
  uid: u32,
  gid: u32,
  cuid: u32,
  cgid: u32,
  mode: u32,
  __pad1: array(u8, 0),
  seq: u16,
  __pad2: u16,
  __unused1: ulong,
  __unused2: ulong,
});

/** `struct compat_ipc64_perm` (ARM's ipc64_perm): 16-bit mode then 2 pad bytes. 36 bytes. */
export const compat_ipc64_perm = defineStruct('compat_ipc64_perm', {
  key: i32,
  uid: u32,
  gid: u32,
  cuid: u32,
  cgid: u32,
  mode: u16,
  __pad1: array(u8, 2),
  seq: u16,
  __pad2: u16,
  __unused1: u32,
  __unused2: u32,
});

/** arm64 `struct shmid64_ds` (shmctl IPC_STAT): 112 bytes. */
export const shmid64_ds = defineStruct('shmid64_ds', {
  shm_perm: ipc64_perm,
  shm_segsz: size_t,
  shm_atime: long,
  shm_dtime: long,
  shm_ctime: long,
  shm_cpid: i32,
  shm_lpid: i32,
  shm_nattch: ulong,
  __unused4: ulong,
  __unused5: ulong,
});

/** `struct compat_shmid64_ds` (ARM's shmid64_ds): times as low/high word pairs. 84 bytes. */
export const compat_shmid64_ds = defineStruct('compat_shmid64_ds', {
  shm_perm: compat_ipc64_perm,
  shm_segsz: u32,
  shm_atime: u32,
  shm_atime_high: u32,
  shm_dtime: u32,
  shm_dtime_high: u32,
  shm_ctime: u32,
  shm_ctime_high: u32,
  shm_cpid: i32,
  shm_lpid: i32,
  shm_nattch: u32,
  __unused4: u32,
  __unused5: u32,
});
