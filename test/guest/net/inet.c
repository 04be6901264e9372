/*
 * TCP and UDP on the loopback interface within one task: a listening socket, a non-blocking client
 * (EINPROGRESS, EALREADY, then connected), accept, data both ways, half-close, resets, refused
 * connections, bind errors, options with their defaults; IPv6 and v4-mapped peers; UDP to self and
 * between two sockets, connected UDP, truncation and timeouts. Ports are never printed.
 */
#include "check.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void msleep(int ms) {
  struct timespec t = {0, ms * 1000000L};
  nanosleep(&t, NULL);
}

static int getint(int fd, int level, int name) {
  int v = -12345;
  socklen_t len = sizeof v;
  if (getsockopt(fd, level, name, &v, &len) != 0) return -errno - 100000;
  return v;
}

static struct sockaddr_in loop4(int port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

/* connect() again until it stops saying EALREADY; returns its last result (errno kept). */
static int finish_connect(int fd, struct sockaddr *a, socklen_t len) {
  for (int i = 0; i < 5000; i++) {
    int r = connect(fd, a, len);
    if (!(r < 0 && errno == EALREADY)) return r;
    msleep(1);
  }
  return -1;
}

/* A port nothing listens on (bound, then released). */
static int free_port(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = loop4(0);
  bind(s, (struct sockaddr *)&a, sizeof a);
  socklen_t l = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &l);
  close(s);
  return ntohs(a.sin_port);
}

static void tcp(void) {
  int srv = socket(AF_INET, SOCK_STREAM, 0);
  check_eq(getint(srv, SOL_SOCKET, SO_TYPE), SOCK_STREAM, "tcp.so_type");
  check_eq(getint(srv, SOL_SOCKET, SO_PROTOCOL), IPPROTO_TCP, "tcp.so_protocol");
  check_eq(getint(srv, SOL_SOCKET, SO_DOMAIN), AF_INET, "tcp.so_domain");
  check_eq(getint(srv, SOL_SOCKET, SO_SNDBUF), 16384, "tcp.sndbuf_default");
  check_eq(getint(srv, SOL_SOCKET, SO_RCVBUF), 131072, "tcp.rcvbuf_default");
  check_eq(getint(srv, IPPROTO_TCP, TCP_NODELAY), 0, "tcp.nodelay_default");
  check_eq(getint(srv, IPPROTO_TCP, TCP_KEEPIDLE), 7200, "tcp.keepidle_default");
  check_eq(getint(srv, IPPROTO_TCP, TCP_KEEPCNT), 9, "tcp.keepcnt_default");
  check_eq(getint(srv, IPPROTO_IP, IP_TTL), 64, "tcp.ip_ttl_default");
  int v = 0;
  check_err(setsockopt(srv, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof v), EINVAL, "tcp.keepidle_zero_einval");
  check_eq(getint(srv, IPPROTO_IPV6, 26), -EOPNOTSUPP - 100000, "tcp.ipv6_level_on_v4_get");
  v = 1;
  check_err(setsockopt(srv, IPPROTO_IPV6, 26, &v, sizeof v), ENOPROTOOPT, "tcp.ipv6_level_on_v4_set");
  v = 1;
  setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v);
  struct sockaddr_in a = loop4(0);
  check_ok(bind(srv, (struct sockaddr *)&a, sizeof a), "tcp.bind");
  check_err(bind(srv, (struct sockaddr *)&a, sizeof a), EINVAL, "tcp.bind_twice");
  socklen_t l = sizeof a;
  getsockname(srv, (struct sockaddr *)&a, &l);
  check(l == sizeof a && a.sin_family == AF_INET && a.sin_port != 0 && a.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
        "tcp.getsockname_bound");
  check_ok(listen(srv, 8), "tcp.listen");
  check_eq(getint(srv, SOL_SOCKET, SO_ACCEPTCONN), 1, "tcp.acceptconn");
  int dup = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(dup, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v);
  check_err(bind(dup, (struct sockaddr *)&a, sizeof a), EADDRINUSE, "tcp.port_in_use");
  close(dup);

  int cli = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  char buf[64];
  check_err(recv(cli, buf, sizeof buf, 0), ENOTCONN, "tcp.recv_unconnected");
  socklen_t pl = sizeof a;
  struct sockaddr_in peer;
  check_err(getpeername(cli, (struct sockaddr *)&peer, &pl), ENOTCONN, "tcp.getpeername_unconnected");
  check_err(connect(cli, (struct sockaddr *)&a, sizeof a), EINPROGRESS, "tcp.connect_einprogress");
  int r = finish_connect(cli, (struct sockaddr *)&a, sizeof a);
  check_eq(r, 0, "tcp.connect_completes");
  check_err(connect(cli, (struct sockaddr *)&a, sizeof a), EISCONN, "tcp.connect_again_eisconn");
  int acc = accept(srv, (struct sockaddr *)&peer, &pl);
  check_ok(acc, "tcp.accept");
  struct sockaddr_in cname, pname;
  socklen_t cl = sizeof cname;
  getsockname(cli, (struct sockaddr *)&cname, &cl);
  cl = sizeof pname;
  getpeername(acc, (struct sockaddr *)&pname, &cl);
  check(pl == sizeof peer && peer.sin_port == cname.sin_port && pname.sin_port == cname.sin_port,
        "tcp.accept_peer_is_client");
  check(cname.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "tcp.client_local_loopback");
  check_eq(fcntl(acc, F_GETFL) & O_NONBLOCK, 0, "tcp.accepted_blocking");

  check_eq(send(cli, "hello", 5, 0), 5, "tcp.send");
  check_eq(send(cli, "world", 5, 0), 5, "tcp.send2");
  check_eq(recv(acc, buf, 10, MSG_WAITALL), 10, "tcp.recv_waitall");
  check(memcmp(buf, "helloworld", 10) == 0, "tcp.recv_data");
  check_eq(write(acc, "pong", 4), 4, "tcp.reply");
  check_eq(recv(cli, buf, 2, MSG_PEEK | MSG_WAITALL), 2, "tcp.peek");
  check_eq(recv(cli, buf, sizeof buf, MSG_WAITALL | MSG_DONTWAIT), 4, "tcp.read_after_peek");
  check_err(recv(cli, buf, sizeof buf, 0), EAGAIN, "tcp.nonblocking_empty");
  v = 1;
  check_ok(setsockopt(cli, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v), "tcp.set_nodelay");
  check_eq(getint(cli, IPPROTO_TCP, TCP_NODELAY), 1, "tcp.nodelay_set");

  int fds[1] = {0};
  char ctl[CMSG_SPACE(sizeof fds)];
  struct iovec iov = {"x", 1};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
  struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof fds);
  memcpy(CMSG_DATA(c), fds, sizeof fds);
  /* SCM_RIGHTS belongs to AF_UNIX: other sockets ignore it; an unknown SOL_SOCKET type is EINVAL. */
  check_eq(sendmsg(cli, &mh, 0), 1, "tcp.scm_rights_ignored");
  c->cmsg_type = 99;
  check_err(sendmsg(cli, &mh, 0), EINVAL, "tcp.unknown_cmsg_einval");
  check_eq(recv(acc, buf, 1, 0), 1, "tcp.scm_rights_data_arrived");

  /* Half-close: the server reads the rest, then end of file; it can still answer. */
  send(cli, "bye", 3, 0);
  check_ok(shutdown(cli, SHUT_WR), "tcp.shutdown_wr");
  check_eq(recv(acc, buf, sizeof buf, MSG_WAITALL), 3, "tcp.data_before_fin");
  check_eq(recv(acc, buf, sizeof buf, 0), 0, "tcp.fin_eof");
  check_eq(send(acc, "late", 4, 0), 4, "tcp.half_open_reply");
  int fl = fcntl(cli, F_GETFL);
  fcntl(cli, F_SETFL, fl & ~O_NONBLOCK);
  check_eq(recv(cli, buf, 4, MSG_WAITALL), 4, "tcp.half_open_received");
  check_err(send(cli, "x", 1, MSG_NOSIGNAL), EPIPE, "tcp.send_after_shutdown_epipe");
  close(acc);
  check_eq(recv(cli, buf, sizeof buf, 0), 0, "tcp.peer_closed_eof");
  close(cli);

  /* Closing with unread data resets the connection. */
  cli = socket(AF_INET, SOCK_STREAM, 0);
  check_ok(connect(cli, (struct sockaddr *)&a, sizeof a), "tcp.blocking_connect");
  acc = accept(srv, NULL, NULL);
  send(cli, "unread", 6, 0);
  msleep(50);
  close(acc);
  check_err(recv(cli, buf, sizeof buf, 0), ECONNRESET, "tcp.reset_by_close_with_unread");
  close(cli);
  close(srv);

  int port = free_port();
  struct sockaddr_in nobody = loop4(port);
  int c2 = socket(AF_INET, SOCK_STREAM, 0);
  check_err(connect(c2, (struct sockaddr *)&nobody, sizeof nobody), ECONNREFUSED, "tcp.refused");
  close(c2);
  c2 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  check_err(connect(c2, (struct sockaddr *)&nobody, sizeof nobody), EINPROGRESS, "tcp.refused_nonblocking_starts");
  check_err(finish_connect(c2, (struct sockaddr *)&nobody, sizeof nobody), ECONNREFUSED, "tcp.refused_nonblocking");
  close(c2);

  int u = socket(AF_INET, SOCK_STREAM, 0);
  check_err(send(u, "x", 1, MSG_NOSIGNAL), EPIPE, "tcp.send_unconnected_epipe");
  check_err(shutdown(u, SHUT_RD), ENOTCONN, "tcp.shutdown_unconnected");
  check_err(bind(u, (struct sockaddr *)&a, 8), EINVAL, "tcp.bind_short_len");
  struct sockaddr_in6 wrong = {.sin6_family = AF_INET6};
  check_err(bind(u, (struct sockaddr *)&wrong, sizeof wrong), EAFNOSUPPORT, "tcp.bind_wrong_family");
  check_err(connect(u, (struct sockaddr *)&wrong, sizeof wrong), EAFNOSUPPORT, "tcp.connect_wrong_family");
  close(u);
}

static void tcp6(void) {
  int srv = socket(AF_INET6, SOCK_STREAM, 0);
  check_ok(srv, "tcp6.socket");
  check_eq(getint(srv, IPPROTO_IPV6, IPV6_V6ONLY), 0, "tcp6.v6only_default");
  struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT};
  check_ok(bind(srv, (struct sockaddr *)&a, sizeof a), "tcp6.bind_any");
  socklen_t l = sizeof a;
  getsockname(srv, (struct sockaddr *)&a, &l);
  check(l == sizeof a && a.sin6_port != 0, "tcp6.getsockname");
  listen(srv, 4);
  struct sockaddr_in6 to = a;
  to.sin6_addr = in6addr_loopback;
  int c6 = socket(AF_INET6, SOCK_STREAM, 0);
  check_ok(connect(c6, (struct sockaddr *)&to, sizeof to), "tcp6.connect_loopback");
  struct sockaddr_in6 p;
  socklen_t pl = sizeof p;
  int acc = accept(srv, (struct sockaddr *)&p, &pl);
  check(acc >= 0 && pl == sizeof p && p.sin6_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&p.sin6_addr),
        "tcp6.accept_peer_loopback");
  close(acc);
  close(c6);
  /* An IPv4 client of a dual-stack listener shows up v4-mapped. */
  int c4 = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in to4 = loop4(ntohs(a.sin6_port));
  check_ok(connect(c4, (struct sockaddr *)&to4, sizeof to4), "tcp6.v4_client_dual_stack");
  pl = sizeof p;
  acc = accept(srv, (struct sockaddr *)&p, &pl);
  check(acc >= 0 && IN6_IS_ADDR_V4MAPPED(&p.sin6_addr) && p.sin6_addr.s6_addr[15] == 1, "tcp6.v4_mapped_peer");
  write(c4, "46", 2);
  char buf[4];
  check_eq(recv(acc, buf, 2, MSG_WAITALL), 2, "tcp6.data");
  close(acc);
  close(c4);
  close(srv);
  int v = 1;
  int s = socket(AF_INET6, SOCK_STREAM, 0);
  check_ok(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof v), "tcp6.set_v6only");
  struct sockaddr_in6 b = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
  bind(s, (struct sockaddr *)&b, sizeof b);
  check_err(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof v), EINVAL, "tcp6.v6only_after_bind");
  close(s);
}

static void udp(void) {
  int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
  check_eq(getint(a, SOL_SOCKET, SO_PROTOCOL), IPPROTO_UDP, "udp.so_protocol");
  check_eq(getint(a, SOL_SOCKET, SO_SNDBUF), 212992, "udp.sndbuf_default");
  char buf[64];
  struct sockaddr_in aa = loop4(0), ba = loop4(0);
  check_ok(bind(a, (struct sockaddr *)&aa, sizeof aa), "udp.bind_a");
  /* A send binds an unbound socket first, even one that then fails. */
  int c = socket(AF_INET, SOCK_DGRAM, 0);
  check_err(send(c, "x", 1, 0), EDESTADDRREQ, "udp.send_unconnected");
  struct sockaddr_in ca;
  socklen_t cl = sizeof ca;
  getsockname(c, (struct sockaddr *)&ca, &cl);
  check(ca.sin_port != 0, "udp.send_autobinds");
  check_err(bind(c, (struct sockaddr *)&aa, sizeof aa), EINVAL, "udp.bind_after_autobind");
  close(c);
  int cork = -1;
  socklen_t kl = sizeof cork;
  check(getsockopt(a, IPPROTO_UDP, 1, &cork, &kl) == 0 && cork == 0, "udp.cork_default");
  check_ok(bind(b, (struct sockaddr *)&ba, sizeof ba), "udp.bind_b");
  socklen_t l = sizeof aa;
  getsockname(a, (struct sockaddr *)&aa, &l);
  l = sizeof ba;
  getsockname(b, (struct sockaddr *)&ba, &l);
  check_eq(sendto(a, "datagram", 8, 0, (struct sockaddr *)&ba, sizeof ba), 8, "udp.sendto");
  struct sockaddr_in from;
  socklen_t fl = sizeof from;
  check_eq(recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl), 8, "udp.recvfrom");
  check(fl == sizeof from && from.sin_port == aa.sin_port && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
        "udp.source_address");
  sendto(a, "0123456789", 10, 0, (struct sockaddr *)&ba, sizeof ba);
  struct iovec iov = {buf, 4};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
  check_eq(recvmsg(b, &mh, 0), 4, "udp.truncated");
  check(mh.msg_flags & MSG_TRUNC, "udp.msg_trunc");
  sendto(a, "0123456789", 10, 0, (struct sockaddr *)&ba, sizeof ba);
  check_eq(recv(b, buf, 4, MSG_TRUNC), 10, "udp.msg_trunc_real_length");
  check_eq(sendto(a, "to-self", 7, 0, (struct sockaddr *)&aa, sizeof aa), 7, "udp.send_to_self");
  check_eq(recv(a, buf, sizeof buf, 0), 7, "udp.recv_from_self");
  check_err(recv(a, buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "udp.empty_eagain");
  struct sockaddr_in zero = loop4(0);
  check_err(sendto(a, "x", 1, 0, (struct sockaddr *)&zero, sizeof zero), EINVAL, "udp.sendto_port_zero");
  static char huge[65508];
  check_err(sendto(a, huge, sizeof huge, 0, (struct sockaddr *)&ba, sizeof ba), EMSGSIZE, "udp.too_big");

  check_ok(connect(a, (struct sockaddr *)&ba, sizeof ba), "udp.connect");
  struct sockaddr_in p;
  socklen_t pl = sizeof p;
  check(getpeername(a, (struct sockaddr *)&p, &pl) == 0 && p.sin_port == ba.sin_port, "udp.getpeername");
  check_eq(send(a, "conn", 4, 0), 4, "udp.send_connected");
  check_eq(recv(b, buf, sizeof buf, 0), 4, "udp.recv_connected");
  struct sockaddr unspec = {.sa_family = AF_UNSPEC};
  check_ok(connect(a, &unspec, sizeof unspec), "udp.disconnect");
  pl = sizeof p;
  check_err(getpeername(a, (struct sockaddr *)&p, &pl), ENOTCONN, "udp.getpeername_after_disconnect");

  struct timeval tv = {0, 100000};
  setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  check_err(recv(b, buf, sizeof buf, 0), EAGAIN, "udp.rcvtimeo");
  int v = 1;
  setsockopt(a, SOL_SOCKET, SO_BROADCAST, &v, sizeof v);
  check_eq(getint(a, SOL_SOCKET, SO_BROADCAST), 1, "udp.broadcast_set");
  v = 100;
  check_ok(setsockopt(a, IPPROTO_IP, IP_TTL, &v, sizeof v), "udp.set_ttl");
  check_eq(getint(a, IPPROTO_IP, IP_TTL), 100, "udp.ttl_set");
  unsigned char ttl1 = 0;
  socklen_t tl = 1;
  getsockopt(a, IPPROTO_IP, IP_TTL, &ttl1, &tl);
  check(tl == 1 && ttl1 == 100, "udp.ttl_one_byte");
  v = 0;
  check_err(setsockopt(a, IPPROTO_IP, IP_TTL, &v, sizeof v), EINVAL, "udp.ttl_zero_einval");

  /* shutdown of an unconnected socket: ENOTCONN, yet reads then see end of file. */
  check_err(shutdown(b, SHUT_RDWR), ENOTCONN, "udp.shutdown_unconnected");
  check_eq(recv(b, buf, sizeof buf, 0), 0, "udp.shut_reads_eof");
  close(a);
  close(b);

  int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
  struct sockaddr_in6 s6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
  check_ok(bind(u6, (struct sockaddr *)&s6, sizeof s6), "udp6.bind");
  l = sizeof s6;
  getsockname(u6, (struct sockaddr *)&s6, &l);
  check_eq(sendto(u6, "six", 3, 0, (struct sockaddr *)&s6, sizeof s6), 3, "udp6.to_self");
  struct sockaddr_in6 f6;
  fl = sizeof f6;
  check_eq(recvfrom(u6, buf, sizeof buf, 0, (struct sockaddr *)&f6, &fl), 3, "udp6.recvfrom");
  check(fl == sizeof f6 && f6.sin6_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&f6.sin6_addr), "udp6.source");
  close(u6);
}

static void errors(void) {
  check_err(socket(AF_INET, SOCK_SEQPACKET, 0), ESOCKTNOSUPPORT, "inet.seqpacket");
  check_err(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT, "inet.stream_udp");
  check_err(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT, "inet.dgram_tcp");
  check_ok(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), "inet.stream_tcp_explicit");
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  tcp();
  tcp6();
  udp();
  errors();
  return finish();
}
