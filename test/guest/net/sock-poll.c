/*
 * Readiness of sockets through poll and epoll: the bits unix_poll, unix_dgram_poll, tcp_poll and
 * datagram_poll give for fresh, connected, half-closed, closed, full and listening sockets, and
 * waits that end when data arrives from another process or over TCP.
 */
#include "check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ALL (POLLIN | POLLOUT | POLLRDHUP | POLLPRI)

static short revents(int fd, int timeout) {
  struct pollfd p = {fd, ALL, 0};
  int r = poll(&p, 1, timeout);
  return r < 0 ? -1 : p.revents;
}

/* Waits up to timeout ms for the events in `want`, then reports every bit that holds. */
static short wait_for(int fd, short want, int timeout) {
  struct pollfd p = {fd, want, 0};
  if (poll(&p, 1, timeout) < 0) return -1;
  return revents(fd, 0);
}

static void msleep(int ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

static void unix_stream(void) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  check_eq(revents(s, 0), POLLOUT | POLLHUP, "stream.fresh_out_hup");
  close(s);
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  check_eq(revents(sv[0], 0), POLLOUT, "stream.pair_writable");
  write(sv[0], "x", 1);
  check_eq(revents(sv[1], 0), POLLIN | POLLOUT, "stream.data_readable");
  shutdown(sv[0], SHUT_WR);
  check_eq(revents(sv[1], 0), POLLIN | POLLOUT | POLLRDHUP, "stream.peer_shut_wr");
  close(sv[0]);
  check_eq(revents(sv[1], 0), POLLIN | POLLOUT | POLLRDHUP | POLLHUP, "stream.peer_closed");
  close(sv[1]);

  /* A full sender is not writable until the reader drains. */
  socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
  static char chunk[4096];
  while (write(sv[0], chunk, sizeof chunk) > 0) {
  }
  check_eq(revents(sv[0], 0), 0, "stream.full_not_writable");
  while (read(sv[1], chunk, sizeof chunk) > 0) {
  }
  check_eq(revents(sv[0], 0), POLLOUT, "stream.drained_writable");
  close(sv[0]);
  close(sv[1]);

  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  snprintf(sa.sun_path + 1, sizeof sa.sun_path - 1, "c64-poll-%d", getpid());
  socklen_t alen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(sa.sun_path + 1);
  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  bind(l, (struct sockaddr *)&sa, alen);
  listen(l, 4);
  check_eq(revents(l, 0), 0, "listen.idle");
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  connect(c, (struct sockaddr *)&sa, alen);
  check_eq(revents(l, 0), POLLIN, "listen.pending_readable");
  close(c);
  close(l);
}

static void unix_dgram(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  check_eq(revents(sv[0], 0), POLLOUT, "dgram.writable");
  send(sv[0], "d", 1, 0);
  check_eq(revents(sv[1], 0), POLLIN | POLLOUT, "dgram.readable");
  close(sv[1]);
  check_eq(revents(sv[0], 0), POLLOUT, "dgram.peer_gone_still_writable");
  close(sv[0]);

  /* Connected to a receiver that is not connected back: not writable while its queue is full. */
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  snprintf(sa.sun_path + 1, sizeof sa.sun_path - 1, "c64-dpoll-%d", getpid());
  socklen_t alen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(sa.sun_path + 1);
  int r = socket(AF_UNIX, SOCK_DGRAM, 0);
  bind(r, (struct sockaddr *)&sa, alen);
  int w = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  connect(w, (struct sockaddr *)&sa, alen);
  while (send(w, "m", 1, 0) == 1) {
  }
  check_eq(revents(w, 0), 0, "dgram.receiver_full");
  char b;
  recv(r, &b, 1, 0);
  check_eq(revents(w, 0), POLLOUT, "dgram.receiver_room");
  close(w);
  close(r);

  socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
  close(sv[1]);
  check_eq(revents(sv[0], 0), POLLIN | POLLOUT | POLLRDHUP | POLLHUP, "seqpacket.peer_closed");
  close(sv[0]);
}

static void cross_process(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  pid_t pid = fork();
  if (pid == 0) {
    msleep(100);
    write(sv[1], "w", 1);
    _exit(0);
  }
  check_eq(wait_for(sv[0], POLLIN, 5000), POLLIN | POLLOUT, "wait.poll_woken_by_child");
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.fd = sv[0]};
  epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
  struct epoll_event got;
  check_eq(epoll_wait(ep, &got, 1, 0), 1, "wait.epoll_level_present");
  check_eq(epoll_wait(ep, &got, 1, 0), 0, "wait.epoll_edge_once");
  waitpid(pid, NULL, 0);
  close(ep);
  close(sv[0]);
  close(sv[1]);
}

static void tcp(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  check_eq(revents(s, 0), POLLOUT | POLLHUP, "tcp.fresh_out_hup");
  struct sockaddr_in a = {.sin_family = AF_INET};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, (struct sockaddr *)&a, sizeof a);
  socklen_t l = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &l);
  listen(s, 4);
  check_eq(revents(s, 0), 0, "tcp.listen_idle");
  int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  connect(c, (struct sockaddr *)&a, sizeof a);
  check_eq(wait_for(c, POLLOUT, 5000), POLLOUT, "tcp.connect_completes_writable");
  check_eq(wait_for(s, POLLIN, 5000), POLLIN, "tcp.listen_pending");
  int acc = accept(s, NULL, NULL);
  check_eq(revents(acc, 0), POLLOUT, "tcp.accepted_writable");
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = acc};
  epoll_ctl(ep, EPOLL_CTL_ADD, acc, &ev);
  pid_t pid = fork();
  if (pid == 0) {
    msleep(100);
    send(c, "t", 1, 0);
    shutdown(c, SHUT_WR);
    _exit(0);
  }
  struct epoll_event got;
  check_eq(epoll_wait(ep, &got, 1, 5000), 1, "tcp.epoll_woken_by_data");
  msleep(100);
  check_eq(revents(acc, 0), POLLIN | POLLOUT | POLLRDHUP, "tcp.peer_fin");
  waitpid(pid, NULL, 0);
  close(ep);
  close(acc);
  close(c);
  close(s);

  /* A refused connection: error, hang-up, and (as tcp_poll says) writable. */
  int r = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  connect(r, (struct sockaddr *)&a, sizeof a);
  /* tcp_done shuts both directions: readable (EOF) and RDHUP too. */
  check_eq(wait_for(r, POLLIN, 5000), POLLIN | POLLOUT | POLLRDHUP | POLLERR | POLLHUP, "tcp.refused_err_hup");
  int err = 0;
  l = sizeof err;
  getsockopt(r, SOL_SOCKET, SO_ERROR, &err, &l);
  check_eq(err, ECONNREFUSED, "tcp.refused_so_error");
  close(r);

  int u = socket(AF_INET, SOCK_DGRAM, 0);
  check_eq(revents(u, 0), POLLOUT, "udp.writable");
  struct sockaddr_in ua = {.sin_family = AF_INET};
  ua.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(u, (struct sockaddr *)&ua, sizeof ua);
  l = sizeof ua;
  getsockname(u, (struct sockaddr *)&ua, &l);
  sendto(u, "u", 1, 0, (struct sockaddr *)&ua, sizeof ua);
  check_eq(wait_for(u, POLLIN, 5000), POLLIN | POLLOUT, "udp.datagram_readable");
  close(u);
}

int main(void) {
  unix_stream();
  unix_dgram();
  cross_process();
  tcp();
  return finish();
}
