/*
 * AF_UNIX socketpairs within one task: stream, datagram and seqpacket semantics, shutdown and close
 * (EOF, EPIPE with SIGPIPE, ECONNRESET, ECONNREFUSED), MSG_PEEK/MSG_TRUNC/MSG_DONTWAIT/MSG_WAITALL/
 * MSG_NOSIGNAL, the generic socket options, fstat and fcntl of a socket, and socket()'s errors.
 */
#include "check.h"

#include <fcntl.h>
#include <signal.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static volatile int sigpipes;
static volatile int sigpipe_code = -99;
static volatile int sigpipe_pid;

static void on_sigpipe(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  sigpipes++;
  sigpipe_code = si->si_code;
  sigpipe_pid = si->si_pid;
}

static void stream_basics(void) {
  int sv[2];
  check_ok(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "stream.socketpair");
  check_eq(write(sv[0], "ab", 2), 2, "stream.write_ab");
  check_eq(write(sv[0], "cd", 2), 2, "stream.write_cd");
  int avail = -1;
  check_ok(ioctl(sv[1], FIONREAD, &avail), "stream.fionread");
  check_eq(avail, 4, "stream.fionread_joins_writes");
  char buf[16] = {0};
  check_eq(recv(sv[1], buf, sizeof buf, MSG_PEEK), 4, "stream.peek_all");
  check(memcmp(buf, "abcd", 4) == 0, "stream.peek_data");
  check_eq(read(sv[1], buf, 3), 3, "stream.read_partial");
  check(memcmp(buf, "abc", 3) == 0, "stream.read_partial_data");
  check_eq(read(sv[1], buf, sizeof buf), 1, "stream.read_rest");
  check(buf[0] == 'd', "stream.read_rest_data");
  check_err(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "stream.dontwait_empty");
  check_eq(send(sv[1], "xyz", 3, 0), 3, "stream.send_back");
  check_eq(recv(sv[0], buf, 3, MSG_WAITALL), 3, "stream.waitall_available");
  check_eq(read(sv[1], buf, 0), 0, "stream.read_zero");

  struct sockaddr_un sa;
  socklen_t len = sizeof sa;
  memset(&sa, 0x55, sizeof sa);
  check_ok(getsockname(sv[0], (struct sockaddr *)&sa, &len), "stream.getsockname");
  check_eq(len, 2, "stream.getsockname_len_unbound");
  check_eq(sa.sun_family, AF_UNIX, "stream.getsockname_family");
  len = sizeof sa;
  check_ok(getpeername(sv[0], (struct sockaddr *)&sa, &len), "stream.getpeername");
  check_eq(len, 2, "stream.getpeername_len_unbound");

  struct stat st;
  check_ok(fstat(sv[0], &st), "stream.fstat");
  check(S_ISSOCK(st.st_mode), "stream.fstat_is_socket");
  check_eq(st.st_mode & 07777, 0777, "stream.fstat_mode_0777");
  check_eq(fcntl(sv[0], F_GETFL), O_RDWR, "stream.getfl_rdwr");
  char link[64] = {0};
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", sv[0]);
  check(readlink(proc, link, sizeof link - 1) > 0 && strncmp(link, "socket:[", 8) == 0, "stream.proc_fd_link");
  check_err(lseek(sv[0], 0, SEEK_SET), ESPIPE, "stream.lseek_espipe");
  check_err(pread(sv[0], buf, 1, 0), ESPIPE, "stream.pread_espipe");
  close(sv[0]);
  close(sv[1]);
}

static void stream_shutdown_and_close(void) {
  int sv[2];
  char buf[16];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  write(sv[0], "hi", 2);
  check_ok(shutdown(sv[0], SHUT_WR), "shutdown.wr");
  check_eq(read(sv[1], buf, sizeof buf), 2, "shutdown.data_before_eof");
  check_eq(read(sv[1], buf, sizeof buf), 0, "shutdown.eof");
  check_eq(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), 0, "shutdown.eof_nonblocking");
  sigpipes = 0;
  check_err(write(sv[0], "x", 1), EPIPE, "shutdown.write_epipe");
  check_eq(sigpipes, 1, "shutdown.sigpipe_raised");
  check_eq(sigpipe_code, SI_USER, "shutdown.sigpipe_si_user");
  check_eq(sigpipe_pid, getpid(), "shutdown.sigpipe_si_pid");
  check_err(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE, "shutdown.nosignal_epipe");
  check_eq(sigpipes, 1, "shutdown.nosignal_no_sigpipe");
  check_eq(write(sv[1], "back", 4), 4, "shutdown.other_direction_open");
  check_eq(read(sv[0], buf, sizeof buf), 4, "shutdown.other_direction_read");
  check_err(shutdown(sv[0], 7), EINVAL, "shutdown.bad_how");
  close(sv[0]);
  close(sv[1]);

  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  close(sv[1]);
  check_eq(read(sv[0], buf, sizeof buf), 0, "close.peer_closed_eof");
  sigpipes = 0;
  check_err(write(sv[0], "x", 1), EPIPE, "close.peer_closed_epipe");
  check_eq(sigpipes, 1, "close.peer_closed_sigpipe");
  close(sv[0]);

  /* Closing with unread data resets the other end: ECONNRESET once, then end of file. */
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  write(sv[0], "unread", 6);
  close(sv[1]);
  check_err(read(sv[0], buf, sizeof buf), ECONNRESET, "close.unread_econnreset");
  check_eq(read(sv[0], buf, sizeof buf), 0, "close.unread_then_eof");
  close(sv[0]);
}

static void dgram_pair(void) {
  int sv[2];
  char buf[16];
  check_ok(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), "dgram.socketpair");
  send(sv[0], "one", 3, 0);
  send(sv[0], "second", 6, 0);
  send(sv[0], "", 0, 0);
  int avail = -1;
  ioctl(sv[1], FIONREAD, &avail);
  check_eq(avail, 3, "dgram.fionread_next_datagram");
  check_eq(recv(sv[1], buf, sizeof buf, 0), 3, "dgram.boundary_first");
  check_eq(recv(sv[1], buf, 2, MSG_PEEK | MSG_TRUNC), 6, "dgram.peek_trunc_full_length");
  struct iovec iov = {buf, 2};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
  check_eq(recvmsg(sv[1], &mh, 0), 2, "dgram.truncated_read");
  check(mh.msg_flags & MSG_TRUNC, "dgram.msg_trunc_flag");
  check_eq(recv(sv[1], buf, sizeof buf, 0), 0, "dgram.empty_datagram");
  check_err(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "dgram.empty_queue");
  close(sv[1]);
  check_err(send(sv[0], "x", 1, 0), ECONNREFUSED, "dgram.peer_dead_econnrefused");
  check_err(send(sv[0], "x", 1, 0), ENOTCONN, "dgram.then_enotconn");
  close(sv[0]);
}

static void seqpacket_pair(void) {
  int sv[2];
  char buf[16];
  check_ok(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), "seqpacket.socketpair");
  write(sv[0], "abc", 3);
  write(sv[0], "defg", 4);
  check_eq(read(sv[1], buf, sizeof buf), 3, "seqpacket.boundary_first");
  struct iovec iov = {buf, 1};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
  check_eq(recvmsg(sv[1], &mh, 0), 1, "seqpacket.truncated");
  check(mh.msg_flags & MSG_TRUNC, "seqpacket.msg_trunc_flag");
  check_err(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "seqpacket.rest_discarded");
  close(sv[0]);
  check_eq(recv(sv[1], buf, sizeof buf, 0), 0, "seqpacket.peer_closed_eof");
  check_eq(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), 0, "seqpacket.peer_closed_eof_nonblocking");
  sigpipes = 0;
  check_err(send(sv[1], "x", 1, 0), EPIPE, "seqpacket.peer_closed_epipe");
  check_eq(sigpipes, 0, "seqpacket.no_sigpipe");
  close(sv[1]);
}

static int getint(int fd, int level, int name) {
  int v = -12345;
  socklen_t len = sizeof v;
  if (getsockopt(fd, level, name, &v, &len) != 0) return -errno - 100000;
  return v;
}

static void options(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  check_eq(getint(sv[0], SOL_SOCKET, SO_TYPE), SOCK_STREAM, "opt.so_type");
  check_eq(getint(sv[0], SOL_SOCKET, SO_DOMAIN), AF_UNIX, "opt.so_domain");
  check_eq(getint(sv[0], SOL_SOCKET, SO_PROTOCOL), 0, "opt.so_protocol");
  check_eq(getint(sv[0], SOL_SOCKET, SO_ERROR), 0, "opt.so_error");
  check_eq(getint(sv[0], SOL_SOCKET, SO_ACCEPTCONN), 0, "opt.so_acceptconn");
  check_eq(getint(sv[0], SOL_SOCKET, SO_SNDBUF), 212992, "opt.sndbuf_default");
  check_eq(getint(sv[0], SOL_SOCKET, SO_RCVBUF), 212992, "opt.rcvbuf_default");
  int v = 10000;
  check_ok(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v), "opt.set_sndbuf");
  check_eq(getint(sv[0], SOL_SOCKET, SO_SNDBUF), 20000, "opt.sndbuf_doubled");
  v = 1;
  setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, sizeof v);
  check_eq(getint(sv[0], SOL_SOCKET, SO_RCVBUF), 2304, "opt.rcvbuf_minimum");
  check_err(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, 2), EINVAL, "opt.short_optlen");
  check_eq(getint(sv[0], SOL_SOCKET, SO_PASSCRED), 0, "opt.passcred_default");
  check_eq(getint(sv[0], SOL_SOCKET, SO_SNDLOWAT), 1, "opt.sndlowat");
  check_eq(getint(sv[0], SOL_SOCKET, SO_RCVLOWAT), 1, "opt.rcvlowat");
  check_eq(getint(sv[0], SOL_SOCKET, SO_KEEPALIVE), 0, "opt.keepalive_default");
  v = 1;
  setsockopt(sv[0], SOL_SOCKET, SO_REUSEADDR, &v, sizeof v);
  check_eq(getint(sv[0], SOL_SOCKET, SO_REUSEADDR), 1, "opt.reuseaddr_set");
  check_eq(getint(sv[0], SOL_SOCKET, 1000), -ENOPROTOOPT - 100000, "opt.unknown_enoprotoopt");
  check_eq(getint(sv[0], IPPROTO_TCP, 1), -EOPNOTSUPP - 100000, "opt.tcp_level_on_unix");
  v = 1;
  check_err(setsockopt(sv[0], IPPROTO_IP, 2, &v, sizeof v), EOPNOTSUPP, "opt.set_ip_level_on_unix");

  struct ucred cr;
  socklen_t len = sizeof cr;
  check_ok(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &len), "opt.peercred");
  check(len == sizeof cr && cr.pid == getpid() && cr.uid == geteuid() && cr.gid == getegid(), "opt.peercred_self");
  int small = 0;
  len = 2;
  check_ok(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &small, &len), "opt.short_getsockopt");
  check_eq(len, 2, "opt.short_getsockopt_len");
  len = -1;
  check_err(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &small, &len), EINVAL, "opt.negative_optlen");

  struct timeval tv = {0, 100000};
  check_ok(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), "opt.set_rcvtimeo");
  struct timeval got = {9, 9};
  len = sizeof got;
  getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &got, &len);
  check(len == sizeof got && got.tv_sec == 0 && got.tv_usec == 100000, "opt.get_rcvtimeo");
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  char buf[4];
  check_err(read(sv[0], buf, sizeof buf), EAGAIN, "opt.rcvtimeo_expires_eagain");
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  check(ms >= 90 && ms < 2000, "opt.rcvtimeo_waited");
  tv.tv_usec = 1000000;
  check_err(setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv), EDOM, "opt.timeo_usec_edom");
  struct linger lg = {1, 5};
  check_ok(setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, sizeof lg), "opt.set_linger");
  struct linger lg2 = {0, 0};
  len = sizeof lg2;
  getsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg2, &len);
  check(lg2.l_onoff == 1 && lg2.l_linger == 5, "opt.get_linger");
  close(sv[0]);
  close(sv[1]);
}

static void creation(void) {
  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  check_ok(s, "socket.flags");
  check_eq(fcntl(s, F_GETFL) & O_NONBLOCK, O_NONBLOCK, "socket.nonblock_flag");
  check_eq(fcntl(s, F_GETFD), FD_CLOEXEC, "socket.cloexec_flag");
  char buf[4];
  check_err(read(s, buf, sizeof buf), EINVAL, "socket.read_unconnected_stream");
  check_err(write(s, "x", 1), ENOTCONN, "socket.write_unconnected_stream");
  check_err(listen(s, 5), EINVAL, "socket.listen_unbound");
  check_eq(shutdown(s, SHUT_RDWR), 0, "socket.unix_shutdown_unconnected");
  close(s);
  int d = socket(AF_UNIX, SOCK_DGRAM, 0);
  check_err(listen(d, 5), EOPNOTSUPP, "socket.listen_dgram");
  check_err(accept(d, NULL, NULL), EOPNOTSUPP, "socket.accept_dgram");
  check_err(send(d, "x", 1, 0), ENOTCONN, "socket.send_unconnected_dgram");
  struct sockaddr_un sa;
  socklen_t len = sizeof sa;
  check_err(getpeername(d, (struct sockaddr *)&sa, &len), ENOTCONN, "socket.getpeername_enotconn");
  close(d);
  check_ok(s = socket(AF_UNIX, SOCK_STREAM, PF_UNIX), "socket.protocol_pf_unix");
  close(s);
  check_ok(s = socket(AF_UNIX, SOCK_RAW, 0), "socket.unix_raw_is_dgram");
  check_eq(getint(s, SOL_SOCKET, SO_TYPE), SOCK_DGRAM, "socket.unix_raw_type_dgram");
  close(s);
  check_err(socket(AF_UNIX, SOCK_STREAM, 2), EPROTONOSUPPORT, "socket.bad_protocol");
  check_err(socket(AF_UNIX, 6, 0), ESOCKTNOSUPPORT, "socket.bad_type");
  check_err(socket(AF_UNIX, 12, 0), EINVAL, "socket.type_beyond_max");
  /* qemu drops unknown flag bits of the type instead of refusing them. */
  check_err_linux(socket(AF_UNIX, SOCK_STREAM | 0x100, 0), EINVAL, "socket.bad_flag");
  check_err(socket(200, SOCK_STREAM, 0), EAFNOSUPPORT, "socket.bad_family");
  int sv[2];
  check_err(socketpair(AF_INET, SOCK_STREAM, 0, sv), EOPNOTSUPP, "socketpair.inet");
  int *volatile bad = (int *)8;
  check_err(socketpair(AF_UNIX, SOCK_STREAM, 0, bad), EFAULT, "socketpair.efault");
  check_err(read(0x3ff, buf, 1), EBADF, "socket.ebadf");
  int nul = open("/dev/null", O_WRONLY);
  check_err(send(nul, "x", 1, 0), ENOTSOCK, "socket.enotsock");
  close(nul);
}

static void nonblocking_fill(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
  static char chunk[4096];
  long total = 0;
  for (int i = 0; i < 10000; i++) {
    ssize_t n = write(sv[0], chunk, sizeof chunk);
    if (n < 0) break;
    total += n;
  }
  check_err(write(sv[0], chunk, sizeof chunk), EAGAIN, "fill.eagain_when_full");
  check(total > 0 && total < 4096L * 10000, "fill.some_fit");
  /* A blocking writer with SO_SNDTIMEO gives up with EAGAIN. */
  fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) & ~O_NONBLOCK);
  struct timeval tv = {0, 100000};
  setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  check_err(write(sv[0], chunk, 10), EAGAIN, "fill.sndtimeo_eagain");
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  check(ms >= 90 && ms < 2000, "fill.sndtimeo_waited");
  long drained = 0;
  for (;;) {
    ssize_t n = read(sv[1], chunk, sizeof chunk);
    if (n <= 0) break;
    drained += n;
  }
  check(drained == total, "fill.all_drained");
  check_eq(write(sv[0], chunk, 10), 10, "fill.writable_again");
  close(sv[0]);
  close(sv[1]);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigpipe;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGPIPE, &sa, NULL);
  stream_basics();
  stream_shutdown_and_close();
  dgram_pair();
  seqpacket_pair();
  options();
  creation();
  nonblocking_fill();
  return finish();
}
