/** Polling, AIO and terminal structures (linux/eventpoll.h, asm-generic/poll.h, linux/aio_abi.h, asm-generic/termbits.h). */

import { array, defineStruct, i16, i32, i64, u8, u16, u32, u64 } from './layout.js';

/**
 * `struct epoll_event`: 16 bytes on arm64 and ARM EABI alike (EPOLL_PACKED is x86-64 only, and
 * EABI 8-aligns the __u64), so compat epoll_ctl/epoll_wait need no conversion.
 */
export const epoll_event = defineStruct('epoll_event', {
  events: u32,
  data: u64,
});

export const pollfd = defineStruct('pollfd', {
  fd: i32,
  events: i16,
  revents: i16,
});

/** What io_getevents returns. 32 bytes. */
export const io_event = defineStruct('io_event', {
  data: u64,
  obj: u64,
  res: i64,
  res2: i64,
});

/** `struct iocb` (io_submit): 64 bytes in both models; pointers travel in u64s. Little-endian order of aio_key / aio_rw_flags. */
export const iocb = defineStruct('iocb', {
  aio_data: u64,
  aio_key: u32,
  aio_rw_flags: i32,
  aio_lio_opcode: u16,
  aio_reqprio: i16,
  aio_fildes: u32,
  aio_buf: u64,
  aio_nbytes: u64,
  aio_offset: i64,
  aio_reserved2: u64,
  aio_flags: u32,
  aio_resfd: u32,
});

export const winsize = defineStruct('winsize', {
  ws_row: u16,
  ws_col: u16,
  ws_xpixel: u16,
  ws_ypixel: u16,
});

/** NCCS for the kernel's struct termios on arm and arm64 (glibc's userspace termios has 32). */
export const NCCS = 19;

/** The kernel's `struct termios` (TCGETS/TCSETS*): 36 bytes in both models. */
export const termios = defineStruct('termios', {
  c_iflag: u32,
  c_oflag: u32,
  c_cflag: u32,
  c_lflag: u32,
  c_line: u8,
  c_cc: array(u8, NCCS),
});

/** `struct termios2` (TCGETS2/TCSETS2): termios plus the two speeds. 44 bytes. */
export const termios2 = defineStruct('termios2', {
  c_iflag: u32,
  c_oflag: u32,
  c_cflag: u32,
  c_lflag: u32,
  c_line: u8,
  c_cc: array(u8, NCCS),
  c_ispeed: u32,
  c_ospeed: u32,
});
