/**
 * Poll event bits (asm-generic/poll.h and linux/eventpoll.h; arm and arm64 use the generic values,
 * so the kernel's mangle_poll/demangle_poll are the identity) and vfs_poll: what a description
 * reports to poll, select and epoll.
 */
import type { OpenFile } from './open-file.js';

export const POLLIN = 0x0001;
export const POLLPRI = 0x0002;
export const POLLOUT = 0x0004;
export const POLLERR = 0x0008;
export const POLLHUP = 0x0010;
export const POLLNVAL = 0x0020;
export const POLLRDNORM = 0x0040;
export const POLLRDBAND = 0x0080;
export const POLLWRNORM = 0x0100;
export const POLLWRBAND = 0x0200;
export const POLLMSG = 0x0400;
export const POLLRDHUP = 0x2000;

/** epoll's input flags (linux/eventpoll.h). EPOLLET is bit 31: kept as an unsigned 32-bit value. */
export const EPOLLEXCLUSIVE = 1 << 28;
export const EPOLLWAKEUP = 1 << 29;
export const EPOLLONESHOT = 1 << 30;
export const EPOLLET = 2 ** 31;

/** DEFAULT_POLLMASK: what vfs_poll reports for a file without a poll method (regular files, most devices). */
export const DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

/** select's classes (fs/select.c): the bits that make an fd readable, writable, or exceptional. */
export const POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
export const POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
export const POLLEX_SET = POLLPRI;

/** vfs_poll: the file's readiness now, as POLL* bits. */
export function vfsPoll(f: OpenFile): number {
  return f.poll === undefined ? DEFAULT_POLLMASK : f.poll();
}

/** file_can_poll: whether the file has a poll method (epoll refuses the others with -EPERM). */
export function fileCanPoll(f: OpenFile): boolean {
  return f.poll !== undefined;
}
