/*
 * AF_UNIX names within one task: sockets bound to paths (a socket inode in the file system) and to
 * abstract names, autobind, listen/connect/accept (a unix connect completes before accept), the
 * errors of bind and connect, datagrams between named sockets, the datagram queue limit.
 */
#include "check.h"

#include <fcntl.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static char spath[64], spath2[64], fpath[64];

static socklen_t mkaddr(struct sockaddr_un *sa, const char *path) {
  memset(sa, 0, sizeof *sa);
  sa->sun_family = AF_UNIX;
  strcpy(sa->sun_path, path);
  return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

/* An abstract name: a NUL, then the text (no terminating NUL counted). */
static socklen_t mkabstract(struct sockaddr_un *sa, const char *name) {
  memset(sa, 0, sizeof *sa);
  sa->sun_family = AF_UNIX;
  memcpy(sa->sun_path + 1, name, strlen(name));
  return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static void path_stream(void) {
  struct sockaddr_un sa, got;
  socklen_t alen = mkaddr(&sa, spath);
  int srv = socket(AF_UNIX, SOCK_STREAM, 0);
  umask(022);
  check_ok(bind(srv, (struct sockaddr *)&sa, alen), "path.bind");
  struct stat st;
  check_ok(lstat(spath, &st), "path.inode_exists");
  check(S_ISSOCK(st.st_mode), "path.inode_is_socket");
  check_eq(st.st_mode & 0777, 0755, "path.inode_mode_umask");
  socklen_t len = sizeof got;
  getsockname(srv, (struct sockaddr *)&got, &len);
  check_eq(len, alen, "path.getsockname_len");
  check(strcmp(got.sun_path, spath) == 0, "path.getsockname_path");

  int other = socket(AF_UNIX, SOCK_STREAM, 0);
  check_err(bind(other, (struct sockaddr *)&sa, alen), EADDRINUSE, "path.bind_taken");
  struct sockaddr_un sa2;
  socklen_t alen2 = mkaddr(&sa2, spath2);
  check_err(bind(srv, (struct sockaddr *)&sa2, alen2), EINVAL, "path.rebind_einval");
  check_err(lstat(spath2, &st), ENOENT, "path.rebind_leaves_no_inode");

  int cli = socket(AF_UNIX, SOCK_STREAM, 0);
  check_err(connect(cli, (struct sockaddr *)&sa, alen), ECONNREFUSED, "path.connect_not_listening");
  check_ok(listen(srv, 5), "path.listen");
  int v = 0;
  socklen_t vl = sizeof v;
  getsockopt(srv, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
  check_eq(v, 1, "path.acceptconn");
  check_ok(connect(cli, (struct sockaddr *)&sa, alen), "path.connect_before_accept");
  check_err(connect(cli, (struct sockaddr *)&sa, alen), EISCONN, "path.connect_again_eisconn");
  check_eq(write(cli, "early", 5), 5, "path.write_before_accept");
  int acc = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
  check_ok(acc, "path.accept");
  check_eq(fcntl(acc, F_GETFD), FD_CLOEXEC, "path.accept4_cloexec");
  check_eq(fcntl(acc, F_GETFL) & O_NONBLOCK, 0, "path.accept_blocking");
  char buf[16] = {0};
  check_eq(read(acc, buf, sizeof buf), 5, "path.accepted_reads_early_data");
  len = sizeof got;
  getpeername(cli, (struct sockaddr *)&got, &len);
  check(len == alen && strcmp(got.sun_path, spath) == 0, "path.client_peer_is_server_path");
  len = sizeof got;
  getsockname(acc, (struct sockaddr *)&got, &len);
  check(len == alen && strcmp(got.sun_path, spath) == 0, "path.accepted_name_is_server_path");
  len = sizeof got;
  getpeername(acc, (struct sockaddr *)&got, &len);
  check_eq(len, 2, "path.accepted_peer_unbound");
  struct ucred cr;
  vl = sizeof cr;
  getsockopt(cli, SOL_SOCKET, SO_PEERCRED, &cr, &vl);
  check(cr.pid == getpid(), "path.client_peercred_listener");
  vl = sizeof cr;
  getsockopt(acc, SOL_SOCKET, SO_PEERCRED, &cr, &vl);
  check(cr.pid == getpid(), "path.server_peercred_client");

  /* accept with an address: the client's name (here unbound: the family alone). */
  int cli2 = socket(AF_UNIX, SOCK_STREAM, 0);
  connect(cli2, (struct sockaddr *)&sa, alen);
  memset(&got, 0x55, sizeof got);
  len = sizeof got;
  int acc2 = accept(srv, (struct sockaddr *)&got, &len);
  check_ok(acc2, "path.accept_with_addr");
  check(len == 2 && got.sun_family == AF_UNIX, "path.accept_addr_unbound_client");
  check_err(accept4(srv, NULL, NULL, SOCK_NONBLOCK | 0x40), EINVAL, "path.accept4_bad_flags");
  int fl = fcntl(srv, F_GETFL);
  fcntl(srv, F_SETFL, fl | O_NONBLOCK);
  check_err(accept(srv, NULL, NULL), EAGAIN, "path.accept_empty_nonblocking");
  fcntl(srv, F_SETFL, fl);

  int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
  check_err(connect(dg, (struct sockaddr *)&sa, alen), EPROTOTYPE, "path.connect_wrong_type");
  close(dg);
  int f = open(fpath, O_CREAT | O_WRONLY, 0666);
  close(f);
  int c3 = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un fa;
  socklen_t flen = mkaddr(&fa, fpath);
  check_err(connect(c3, (struct sockaddr *)&fa, flen), ECONNREFUSED, "path.connect_regular_file");
  char sub[80];
  snprintf(sub, sizeof sub, "%s/x", fpath);
  flen = mkaddr(&fa, sub);
  check_err(connect(c3, (struct sockaddr *)&fa, flen), ENOTDIR, "path.connect_enotdir");
  flen = mkaddr(&fa, spath2);
  check_err(connect(c3, (struct sockaddr *)&fa, flen), ENOENT, "path.connect_enoent");
  close(c3);
  unlink(fpath);

  close(acc);
  close(acc2);
  close(cli);
  close(cli2);
  close(srv);
  check_ok(lstat(spath, &st), "path.inode_outlives_socket");
  int c4 = socket(AF_UNIX, SOCK_STREAM, 0);
  check_err(connect(c4, (struct sockaddr *)&sa, alen), ECONNREFUSED, "path.connect_closed_listener");
  close(c4);
  check_ok(unlink(spath), "path.unlink");
  close(other);
}

static void backlog(void) {
  struct sockaddr_un sa;
  char name[64];
  snprintf(name, sizeof name, "c64-backlog-%d", getpid());
  socklen_t alen = mkabstract(&sa, name);
  int srv = socket(AF_UNIX, SOCK_STREAM, 0);
  bind(srv, (struct sockaddr *)&sa, alen);
  listen(srv, 0);
  int a = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int b = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
  check_ok(connect(a, (struct sockaddr *)&sa, alen), "backlog.first_fits");
  check_err(connect(b, (struct sockaddr *)&sa, alen), EAGAIN, "backlog.full_eagain");
  int acc = accept(srv, NULL, NULL);
  check_ok(acc, "backlog.accept");
  check_ok(connect(b, (struct sockaddr *)&sa, alen), "backlog.room_again");
  close(acc);
  close(a);
  /* Closing a listener with a connection queued resets its client. */
  close(srv);
  char c;
  check_err(read(b, &c, 1), ECONNRESET, "backlog.listener_closed_reset");
  check_eq(read(b, &c, 1), 0, "backlog.then_eof");
  close(b);
}

static void abstract_and_autobind(void) {
  struct sockaddr_un sa, got;
  char name[64];
  snprintf(name, sizeof name, "c64-abs-%d", getpid());
  socklen_t alen = mkabstract(&sa, name);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  check_ok(bind(s, (struct sockaddr *)&sa, alen), "abstract.bind");
  socklen_t len = sizeof got;
  getsockname(s, (struct sockaddr *)&got, &len);
  check(len == alen && got.sun_path[0] == 0 && memcmp(got.sun_path + 1, name, strlen(name)) == 0,
        "abstract.getsockname");
  int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
  check_err(bind(s2, (struct sockaddr *)&sa, alen), EADDRINUSE, "abstract.taken");
  int d = socket(AF_UNIX, SOCK_DGRAM, 0);
  check_ok(bind(d, (struct sockaddr *)&sa, alen), "abstract.same_name_other_type");
  /* A name is its bytes and length: a longer name with the same prefix is another name. */
  check_ok(bind(s2, (struct sockaddr *)&sa, alen + 1), "abstract.length_matters");
  listen(s, 1);
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  check_ok(connect(c, (struct sockaddr *)&sa, alen), "abstract.connect");
  int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
  check_err(connect(c2, (struct sockaddr *)&sa, alen + 1), ECONNREFUSED, "abstract.not_listening");
  close(c2);
  close(s);
  close(s2);
  close(d);
  close(c);
  int s3 = socket(AF_UNIX, SOCK_STREAM, 0);
  check_ok(bind(s3, (struct sockaddr *)&sa, alen), "abstract.free_after_close");
  close(s3);

  int a1 = socket(AF_UNIX, SOCK_DGRAM, 0), a2 = socket(AF_UNIX, SOCK_DGRAM, 0);
  struct sockaddr_un fam = {.sun_family = AF_UNIX};
  check_ok(bind(a1, (struct sockaddr *)&fam, 2), "autobind.bind_family_only");
  bind(a2, (struct sockaddr *)&fam, 2);
  struct sockaddr_un n1, n2;
  socklen_t l1 = sizeof n1, l2 = sizeof n2;
  getsockname(a1, (struct sockaddr *)&n1, &l1);
  getsockname(a2, (struct sockaddr *)&n2, &l2);
  check_eq(l1, 8, "autobind.name_len");
  int hex = n1.sun_path[0] == 0;
  for (int i = 1; i < 6; i++) hex = hex && strchr("0123456789abcdef", n1.sun_path[i]) != NULL;
  check(hex, "autobind.five_hex_digits");
  check(memcmp(n1.sun_path, n2.sun_path, 6) != 0, "autobind.names_differ");
  check_ok(bind(a1, (struct sockaddr *)&fam, 2), "autobind.again_is_noop");
  check_err(bind(a1, (struct sockaddr *)&sa, alen), EINVAL, "autobind.then_bind_einval");

  /* SO_PASSCRED makes connect and send autobind. */
  int p = socket(AF_UNIX, SOCK_DGRAM, 0);
  int on = 1;
  setsockopt(p, SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
  sendto(p, "x", 1, 0, (struct sockaddr *)&n1, l1);
  struct sockaddr_un pn;
  socklen_t pl = sizeof pn;
  getsockname(p, (struct sockaddr *)&pn, &pl);
  check_eq(pl, 8, "autobind.passcred_send_autobinds");
  close(p);
  close(a1);
  close(a2);

  int e = socket(AF_UNIX, SOCK_STREAM, 0);
  check_err(bind(e, (struct sockaddr *)&fam, 1), EINVAL, "bind.too_short");
  struct sockaddr_un bad = {.sun_family = AF_INET};
  strcpy(bad.sun_path, "x");
  check_err(bind(e, (struct sockaddr *)&bad, 4), EINVAL, "bind.wrong_family");
  check_err(bind(e, (struct sockaddr *)&sa, 111), EINVAL, "bind.too_long");
  check_err(bind(e, (struct sockaddr *)&sa, 200), EINVAL, "bind.beyond_storage");
  close(e);
}

static void datagrams(void) {
  struct sockaddr_un sa, from;
  socklen_t alen = mkaddr(&sa, spath);
  int srv = socket(AF_UNIX, SOCK_DGRAM, 0);
  check_ok(bind(srv, (struct sockaddr *)&sa, alen), "dgram.bind");
  int cli = socket(AF_UNIX, SOCK_DGRAM, 0);
  check_eq(sendto(cli, "hello", 5, 0, (struct sockaddr *)&sa, alen), 5, "dgram.sendto_path");
  char buf[16];
  socklen_t fl = sizeof from;
  memset(&from, 0x55, sizeof from);
  check_eq(recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl), 5, "dgram.recvfrom");
  check_eq(fl, 0, "dgram.unbound_sender_no_address");
  char cname[64];
  snprintf(cname, sizeof cname, "c64-dcli-%d", getpid());
  struct sockaddr_un ca;
  socklen_t calen = mkabstract(&ca, cname);
  bind(cli, (struct sockaddr *)&ca, calen);
  sendto(cli, "again", 5, 0, (struct sockaddr *)&sa, alen);
  fl = sizeof from;
  recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
  check(fl == calen && memcmp(&from, &ca, calen) == 0, "dgram.sender_address");
  check_eq(sendto(srv, "reply", 5, 0, (struct sockaddr *)&from, fl), 5, "dgram.reply_to_sender");
  check_eq(recv(cli, buf, sizeof buf, 0), 5, "dgram.reply_received");

  /* A connected receiver takes datagrams from its peer only. */
  check_ok(connect(srv, (struct sockaddr *)&ca, calen), "dgram.connect");
  int third = socket(AF_UNIX, SOCK_DGRAM, 0);
  check_err(sendto(third, "x", 1, 0, (struct sockaddr *)&sa, alen), EPERM, "dgram.connected_receiver_eperm");
  check_eq(sendto(cli, "ok", 2, 0, (struct sockaddr *)&sa, alen), 2, "dgram.peer_may_send");
  recv(srv, buf, sizeof buf, 0);
  struct sockaddr unspec = {.sa_family = AF_UNSPEC};
  check_ok(connect(srv, &unspec, sizeof unspec), "dgram.disconnect_unspec");
  check_eq(sendto(third, "x", 1, 0, (struct sockaddr *)&sa, alen), 1, "dgram.after_disconnect");
  recv(srv, buf, sizeof buf, 0);

  /* Queue limit: net.unix.max_dgram_qlen (10) for a receiver not connected back. */
  int q = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  connect(q, (struct sockaddr *)&sa, alen);
  int sent = 0;
  while (sent < 100 && send(q, "m", 1, 0) == 1) sent++;
  check_err(send(q, "m", 1, 0), EAGAIN, "dgram.queue_full_eagain");
  check_eq(sent, 11, "dgram.queue_holds_qlen_plus_one");
  check_eq(recv(srv, buf, sizeof buf, 0), 1, "dgram.drain_one");
  check_eq(send(q, "m", 1, 0), 1, "dgram.room_after_read");

  struct sockaddr_un na;
  socklen_t nalen = mkaddr(&na, spath2);
  check_err(sendto(third, "x", 1, 0, (struct sockaddr *)&na, nalen), ENOENT, "dgram.sendto_missing_path");
  char nname[64];
  snprintf(nname, sizeof nname, "c64-none-%d", getpid());
  nalen = mkabstract(&na, nname);
  check_err(sendto(third, "x", 1, 0, (struct sockaddr *)&na, nalen), ECONNREFUSED, "dgram.sendto_unbound_name");
  close(q);
  close(third);
  close(cli);
  close(srv);
  unlink(spath);
}

static void relative_path(void) {
  char dir[64];
  snprintf(dir, sizeof dir, "/tmp/c64-net-dir-%d", getpid());
  mkdir(dir, 0755);
  char cwd[256];
  if (getcwd(cwd, sizeof cwd) == NULL) return;
  chdir(dir);
  struct sockaddr_un sa, got;
  socklen_t alen = mkaddr(&sa, "rel.sock");
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  check_ok(bind(s, (struct sockaddr *)&sa, alen), "relative.bind");
  socklen_t len = sizeof got;
  getsockname(s, (struct sockaddr *)&got, &len);
  check(strcmp(got.sun_path, "rel.sock") == 0, "relative.getsockname_as_given");
  listen(s, 1);
  char full[128];
  snprintf(full, sizeof full, "%s/rel.sock", dir);
  struct sockaddr_un fa;
  socklen_t flen = mkaddr(&fa, full);
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  check_ok(connect(c, (struct sockaddr *)&fa, flen), "relative.connect_by_full_path");
  close(c);
  close(s);
  unlink("rel.sock");
  chdir(cwd);
  rmdir(dir);
}

int main(void) {
  snprintf(spath, sizeof spath, "/tmp/c64-net-%d.sock", getpid());
  snprintf(spath2, sizeof spath2, "/tmp/c64-net-%d-2.sock", getpid());
  snprintf(fpath, sizeof fpath, "/tmp/c64-net-%d.file", getpid());
  path_stream();
  backlog();
  abstract_and_autobind();
  datagrams();
  relative_path();
  return finish();
}
