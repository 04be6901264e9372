/**
 * I/O vectors and sockets (linux/uio.h, linux/socket.h's user_msghdr, linux/in.h, linux/un.h,
 * linux/filter.h). Under ILP32 iovec, msghdr, cmsghdr and mmsghdr are the kernel's
 * compat_iovec (8), compat_msghdr (28), compat_cmsghdr (12) and compat_mmsghdr (32).
 */

import { array, be16, be32, defineStruct, i32, ptr, size_t, u8, u16, u32 } from './layout.js';

export const iovec = defineStruct('iovec', {
  iov_base: ptr,
  iov_len: size_t,
});

/** The kernel's `struct user_msghdr` (what sendmsg/recvmsg read): 56 / 28. */
export const msghdr = defineStruct('msghdr', {
  msg_name: ptr,
  msg_namelen: i32,
  msg_iov: ptr,
  msg_iovlen: size_t,
  msg_control: ptr,
  msg_controllen: size_t,
  msg_flags: u32,
});

/** `struct cmsghdr`: 16 / 12. Data follows at CMSG_ALIGN(sizeof header): 8-aligned native, 4-aligned compat. */
export const cmsghdr = defineStruct('cmsghdr', {
  cmsg_len: size_t,
  cmsg_level: i32,
  cmsg_type: i32,
});

/** `struct mmsghdr` (sendmmsg/recvmmsg): 64 / 32. */
export const mmsghdr = defineStruct('mmsghdr', {
  msg_hdr: msghdr,
  msg_len: u32,
});

export const sockaddr = defineStruct('sockaddr', {
  sa_family: u16,
  sa_data: array(u8, 14),
});

export const in_addr = defineStruct('in_addr', { s_addr: be32 });

export const sockaddr_in = defineStruct('sockaddr_in', {
  sin_family: u16,
  sin_port: be16,
  sin_addr: in_addr,
  /** __SOCK_SIZE__ (16) minus the above */
  __pad: array(u8, 8),
});

export const in6_addr = defineStruct('in6_addr', { s6_addr: array(u8, 16) });

export const sockaddr_in6 = defineStruct('sockaddr_in6', {
  sin6_family: u16,
  sin6_port: be16,
  sin6_flowinfo: be32,
  sin6_addr: in6_addr,
  sin6_scope_id: u32,
});

/** `struct sockaddr_un`: 110 bytes (UNIX_PATH_MAX 108). */
export const sockaddr_un = defineStruct('sockaddr_un', {
  sun_family: u16,
  sun_path: array(u8, 108),
});

export const sockaddr_nl = defineStruct('sockaddr_nl', {
  nl_family: u16,
  nl_pad: u16,
  nl_pid: u32,
  nl_groups: u32,
});

/** SO_PEERCRED / SCM_CREDENTIALS. */
export const ucred = defineStruct('ucred', { pid: i32, uid: u32, gid: u32 });

export const linger = defineStruct('linger', { l_onoff: i32, l_linger: i32 });

/** One classic-BPF instruction. 8 bytes. */
export const sock_filter = defineStruct('sock_filter', {
  code: u16,
  jt: u8,
  jf: u8,
  k: u32,
});

/** `struct sock_fprog` (SO_ATTACH_FILTER, seccomp): 16 / 8. */
export const sock_fprog = defineStruct('sock_fprog', {
  len: u16,
  filter: ptr,
});
