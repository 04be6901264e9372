/**
 * The msgctl and semctl structures (asm-generic/msgbuf.h, sembuf.h, linux/msg.h, linux/sem.h for
 * arm64; include/linux/compat.h and ipc/{msg,sem}.c for the compat ones, ARM EABI). Each native
 * declaration and its compat twin are different declarations, not one seen two ways: the compat
 * ipc64_perm has a 16-bit mode, times are split into low/high words, and the old (no IPC_64)
 * layouts have 16-bit ids. struct msginfo and struct seminfo are ints only: one declaration serves
 * both ABIs. Kept here rather than in abi/structs-ipc.ts because every structure registered there
 * must appear in the golden header dumps (test/kernel/abi/layout-golden.test.ts).
 */
import { compat_ipc64_perm, ipc64_perm } from '../abi/structs-ipc.js';
import { defineStruct, i32, long, u16, u32, ulong } from '../abi/layout.js';

/** arm64 `struct msqid64_ds`: 120 bytes. */
export const msqid64_ds = defineStruct('msqid64_ds', {
  msg_perm: ipc64_perm,
  msg_stime: long,
  msg_rtime: long,
  msg_ctime: long,
  msg_cbytes: ulong,
  msg_qnum: ulong,
  msg_qbytes: ulong,
  msg_lspid: i32,
  msg_lrpid: i32,
  __unused4: ulong,
  __unused5: ulong,
});

/** `struct compat_msqid64_ds` (ARM's msqid64_ds): 88 bytes. */
export const compat_msqid64_ds = defineStruct('compat_msqid64_ds', {
  msg_perm: compat_ipc64_perm,
  msg_stime: u32,
  msg_stime_high: u32,
  msg_rtime: u32,
  msg_rtime_high: u32,
  msg_ctime: u32,
  msg_ctime_high: u32,
  msg_cbytes: u32,
  msg_qnum: u32,
  msg_qbytes: u32,
  msg_lspid: i32,
  msg_lrpid: i32,
  __unused4: u32,
  __unused5: u32,
});

/** `struct compat_ipc_perm`: the old layout (no IPC_64), 16-bit ids. 16 bytes. */
export const compat_ipc_perm = defineStruct('compat_ipc_perm', {
  key: i32,
  uid: u16,
  gid: u16,
  cuid: u16,
  cgid: u16,
  mode: u16,
  seq: u16,
});

/** `struct compat_msqid_ds` (ipc/msg.c): the old layout. 56 bytes. */
export const compat_msqid_ds = defineStruct('compat_msqid_ds', {
  msg_perm: compat_ipc_perm,
  msg_first: u32,
  msg_last: u32,
  msg_stime: i32,
  msg_rtime: i32,
  msg_ctime: i32,
  msg_lcbytes: u32,
  msg_lqbytes: u32,
  msg_cbytes: u16,
  msg_qnum: u16,
  msg_qbytes: u16,
  msg_lspid: u16,
  msg_lrpid: u16,
});

/** arm64 `struct semid64_ds`: 88 bytes. */
export const semid64_ds = defineStruct('semid64_ds', {
  sem_perm: ipc64_perm,
  sem_otime: long,
  sem_ctime: long,
  sem_nsems: ulong,
  __unused3: ulong,
  __unused4: ulong,
});

/** `struct compat_semid64_ds` (ARM's semid64_ds): 64 bytes. */
export const compat_semid64_ds = defineStruct('compat_semid64_ds', {
  sem_perm: compat_ipc64_perm,
  sem_otime: u32,
  sem_otime_high: u32,
  sem_ctime: u32,
  sem_ctime_high: u32,
  sem_nsems: u32,
  __unused3: u32,
  __unused4: u32,
});

/** `struct compat_shmid_ds` (ipc/shm.c): the old layout (no IPC_64), 16-bit pids. 48 bytes. */
export const compat_shmid_ds = defineStruct('compat_shmid_ds', {
  shm_perm: compat_ipc_perm,
  shm_segsz: i32,
  shm_atime: i32,
  shm_dtime: i32,
  shm_ctime: i32,
  shm_cpid: u16,
  shm_lpid: u16,
  shm_nattch: u16,
  shm_unused: u16,
  shm_unused2: u32,
  shm_unused3: u32,
});

/** `struct compat_semid_ds` (ipc/sem.c): the old layout. 44 bytes. */
export const compat_semid_ds = defineStruct('compat_semid_ds', {
  sem_perm: compat_ipc_perm,
  sem_otime: i32,
  sem_ctime: i32,
  sem_base: u32,
  sem_pending: u32,
  sem_pending_last: u32,
  undo: u32,
  sem_nsems: u16,
});

/** `struct msginfo` (IPC_INFO, MSG_INFO): 32 bytes in both ABIs. */
export const msginfo = defineStruct('msginfo', {
  msgpool: i32,
  msgmap: i32,
  msgmax: i32,
  msgmnb: i32,
  msgmni: i32,
  msgssz: i32,
  msgtql: i32,
  msgseg: u16,
});

/** `struct seminfo` (IPC_INFO, SEM_INFO): 40 bytes in both ABIs. */
export const seminfo = defineStruct('seminfo', {
  semmap: i32,
  semmni: i32,
  semmns: i32,
  semmnu: i32,
  semmsl: i32,
  semopm: i32,
  semume: i32,
  semusz: i32,
  semvmx: i32,
  semaem: i32,
});

/** struct sembuf: u16 sem_num, i16 sem_op, i16 sem_flg (6 bytes, both ABIs). */
export const SEMBUF_SIZE = 6;

/** high2lowuid: ids above 65535 become the overflow id in the old 16-bit layouts. */
export function lowUid(id: number): number {
  return id > 0xffff ? 65534 : id;
}

/** The kernel's `struct ipc64_perm` values, as kernel_to_ipc64_perm fills them. */
export interface Ipc64Perm {
  key: number;
  uid: number;
  gid: number;
  cuid: number;
  cgid: number;
  mode: number;
  seq: number;
}
