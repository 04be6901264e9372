/*
 * Ancillary data on AF_UNIX sockets within one task: SCM_RIGHTS to self (descriptions survive the
 * sender's close, MSG_CMSG_CLOEXEC, MSG_CTRUNC when the buffer is short, MSG_PEEK duplicates,
 * read(2) drops them, streams never join across them), SCM_CREDENTIALS with SO_PASSCRED, the
 * control-message checks of sendmsg, sendmmsg/recvmmsg, and msghdr edge cases.
 */
#include "check.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Sends data with n descriptions (one SCM_RIGHTS message). */
static ssize_t send_fds(int s, const char *data, size_t len, const int *fds, int n) {
  char ctl[CMSG_SPACE(sizeof(int) * 256)];
  memset(ctl, 0, sizeof ctl);
  struct iovec iov = {(void *)data, len};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
  if (n > 0) {
    mh.msg_control = ctl;
    mh.msg_controllen = CMSG_SPACE(sizeof(int) * n);
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
  }
  return sendmsg(s, &mh, 0);
}

/* Receives into buf with a control buffer of ctllen bytes; returns the byte count, fills out. */
static ssize_t recv_ctl(int s, char *buf, size_t len, char *ctl, size_t ctllen, int flags, struct msghdr *out) {
  static struct iovec iov;
  iov.iov_base = buf;
  iov.iov_len = len;
  memset(out, 0, sizeof *out);
  out->msg_iov = &iov;
  out->msg_iovlen = 1;
  out->msg_control = ctllen ? ctl : NULL;
  out->msg_controllen = ctllen;
  return recvmsg(s, out, flags);
}

static int first_fd(struct msghdr *mh, int i) {
  struct cmsghdr *c = CMSG_FIRSTHDR(mh);
  if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(c) + sizeof(int) * i, sizeof fd);
  return fd;
}

/* The lowest fd not open now (what the next installed descriptor gets). */
static int next_free_fd(void) {
  int fd = dup(0);
  close(fd);
  return fd;
}

static void rights(void) {
  int sv[2], p[2];
  char buf[16], ctl[256];
  struct msghdr mh;
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  pipe(p);
  write(p[1], "through", 7);
  int fds[2] = {p[0], p[1]};
  check_eq(send_fds(sv[0], "F", 1, fds, 2), 1, "rights.send");
  close(p[0]);
  close(p[1]);
  int expect = next_free_fd();
  check_eq(recv_ctl(sv[1], buf, sizeof buf, ctl, sizeof ctl, 0, &mh), 1, "rights.recv");
  struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
  check(c != NULL && c->cmsg_len == CMSG_LEN(2 * sizeof(int)), "rights.cmsg_len");
  check_eq(mh.msg_controllen, CMSG_SPACE(2 * sizeof(int)), "rights.controllen");
  check_eq(mh.msg_flags, 0, "rights.no_flags");
  int r0 = first_fd(&mh, 0), r1 = first_fd(&mh, 1);
  check_eq(r0, expect, "rights.lowest_free_fd");
  check_eq(read(r0, buf, sizeof buf), 7, "rights.pipe_survived_close");
  check_eq(write(r1, "x", 1), 1, "rights.second_description");
  check_eq(fcntl(r0, F_GETFD), 0, "rights.no_cloexec_by_default");
  close(r0);
  close(r1);

  /* MSG_CMSG_CLOEXEC, and msg_flags reports it back. */
  int dn = open("/dev/null", O_RDONLY);
  send_fds(sv[0], "G", 1, &dn, 1);
  check_eq(recv_ctl(sv[1], buf, sizeof buf, ctl, sizeof ctl, MSG_CMSG_CLOEXEC, &mh), 1, "cloexec.recv");
  int r = first_fd(&mh, 0);
  check_eq(fcntl(r, F_GETFD), FD_CLOEXEC, "cloexec.set");
  check_eq(mh.msg_flags, MSG_CMSG_CLOEXEC, "cloexec.in_msg_flags");
  struct stat a, b;
  fstat(r, &a);
  fstat(dn, &b);
  check(a.st_ino == b.st_ino && a.st_dev == b.st_dev, "cloexec.same_file");
  close(r);

  /* Room for one of three: one installed, MSG_CTRUNC, the rest closed. */
  int three[3] = {dn, dn, dn};
  send_fds(sv[0], "H", 1, three, 3);
  expect = next_free_fd();
  check_eq(recv_ctl(sv[1], buf, sizeof buf, ctl, CMSG_LEN(sizeof(int)), 0, &mh), 1, "ctrunc.recv");
  /* qemu receives into a larger host buffer and installs them all. */
  check(reference_run() || mh.msg_flags & MSG_CTRUNC, "ctrunc.flag");
  check_eq(mh.msg_controllen, CMSG_LEN(sizeof(int)), "ctrunc.controllen");
  check_eq(first_fd(&mh, 0), expect, "ctrunc.one_installed");
  check_err_linux(fcntl(expect + 1, F_GETFD), EBADF, "ctrunc.others_not_installed");
  for (int fd = expect; fd < expect + 3; fd++) close(fd);

  /* A buffer smaller than a header, or none: MSG_CTRUNC and nothing installed. */
  send_fds(sv[0], "I", 1, &dn, 1);
  expect = next_free_fd();
  check_eq(recv_ctl(sv[1], buf, sizeof buf, ctl, 8, 0, &mh), 1, "ctrunc.tiny_buffer");
  check(mh.msg_flags & MSG_CTRUNC, "ctrunc.tiny_flag");
  check_eq(mh.msg_controllen, 0, "ctrunc.tiny_controllen");
  send_fds(sv[0], "J", 1, &dn, 1);
  check_eq(recv_ctl(sv[1], buf, sizeof buf, NULL, 0, 0, &mh), 1, "ctrunc.no_buffer");
  check(mh.msg_flags & MSG_CTRUNC, "ctrunc.no_buffer_flag");
  send_fds(sv[0], "K", 1, &dn, 1);
  check_eq(read(sv[1], buf, sizeof buf), 1, "rights.read_drops_them");
  check_eq(next_free_fd(), expect, "rights.nothing_leaked");

  /* MSG_PEEK hands out duplicates; the real receive hands them out again. */
  send_fds(sv[0], "L", 1, &dn, 1);
  recv_ctl(sv[1], buf, sizeof buf, ctl, sizeof ctl, MSG_PEEK, &mh);
  int peeked = first_fd(&mh, 0);
  check(peeked >= 0, "peek.rights");
  recv_ctl(sv[1], buf, sizeof buf, ctl, sizeof ctl, 0, &mh);
  int real = first_fd(&mh, 0);
  check(real >= 0 && real != peeked, "peek.then_real");
  close(peeked);
  close(real);

  /* A stream read stops after the buffer that carried descriptions. */
  send_fds(sv[0], "AB", 2, &dn, 1);
  send(sv[0], "CD", 2, 0);
  check_eq(recv_ctl(sv[1], buf, sizeof buf, ctl, sizeof ctl, 0, &mh), 2, "stream.stops_after_rights");
  close(first_fd(&mh, 0));
  check_eq(recv(sv[1], buf, sizeof buf, 0), 2, "stream.rest_next_read");
  /* Descriptions need at least one byte on a stream. */
  check_eq(send_fds(sv[0], "", 0, &dn, 1), 0, "stream.zero_bytes_sends_nothing");
  check_err(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN, "stream.zero_bytes_nothing_queued");

  int bad = 999;
  check_err(send_fds(sv[0], "x", 1, &bad, 1), EBADF, "rights.bad_fd");
  int many[254];
  for (int i = 0; i < 254; i++) many[i] = dn;
  check_err(send_fds(sv[0], "x", 1, many, 254), EINVAL, "rights.more_than_253");
  close(dn);
  close(sv[0]);
  close(sv[1]);

  /* Datagrams carry them too. */
  socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  int z = open("/dev/zero", O_RDONLY);
  send_fds(sv[0], "D", 1, &z, 1);
  close(z);
  recv_ctl(sv[1], buf, sizeof buf, ctl, sizeof ctl, 0, &mh);
  int zr = first_fd(&mh, 0);
  buf[0] = 1;
  check(zr >= 0 && read(zr, buf, 1) == 1 && buf[0] == 0, "dgram.rights");
  close(zr);
  close(sv[0]);
  close(sv[1]);
}

static void control_checks(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  char ctl[64];
  struct iovec iov = {"x", 1};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = CMSG_SPACE(4)};
  struct cmsghdr *c = (struct cmsghdr *)ctl;
  memset(ctl, 0, sizeof ctl);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_SPACE(4) + 8;
  /* qemu converts control messages itself and lets these through. */
  check_err_linux(sendmsg(sv[0], &mh, 0), EINVAL, "cmsg.len_past_buffer");
  c->cmsg_len = 8;
  check_err_linux(sendmsg(sv[0], &mh, 0), EINVAL, "cmsg.len_below_header");
  c->cmsg_len = CMSG_LEN(4);
  c->cmsg_type = 99;
  check_err(sendmsg(sv[0], &mh, 0), EINVAL, "cmsg.unknown_type");
  c->cmsg_level = 12345;
  check_eq(sendmsg(sv[0], &mh, 0), 1, "cmsg.other_level_ignored");
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_CREDENTIALS;
  c->cmsg_len = CMSG_LEN(8);
  check_err(sendmsg(sv[0], &mh, 0), EINVAL, "cmsg.creds_wrong_len");
  mh.msg_controllen = 8;
  check_eq(sendmsg(sv[0], &mh, 0), 1, "cmsg.buffer_below_header_ignored");
  char buf[8];
  while (recv(sv[1], buf, sizeof buf, MSG_DONTWAIT) >= 0) {
  }

  struct iovec many[1025];
  for (int i = 0; i < 1025; i++) many[i] = (struct iovec){buf, 1};
  struct msghdr big = {.msg_iov = many, .msg_iovlen = 1025};
  check_err(sendmsg(sv[0], &big, 0), EMSGSIZE, "msghdr.iovlen_emsgsize");
  struct iovec neg = {buf, (size_t)-1};
  struct msghdr nm = {.msg_iov = &neg, .msg_iovlen = 1};
  check_err(sendmsg(sv[0], &nm, 0), EINVAL, "msghdr.negative_iov_len");
  struct msghdr nl = {.msg_iov = &iov, .msg_iovlen = 1, .msg_name = buf, .msg_namelen = -1};
  check_err(sendmsg(sv[0], &nl, 0), EINVAL, "msghdr.negative_namelen");

  /* Scatter into several iovecs. */
  send(sv[0], "abcdef", 6, 0);
  char p1[2], p2[10];
  struct iovec sc[2] = {{p1, 2}, {p2, 10}};
  struct msghdr sm = {.msg_iov = sc, .msg_iovlen = 2};
  check_eq(recvmsg(sv[1], &sm, 0), 6, "msghdr.scatter");
  check(memcmp(p1, "ab", 2) == 0 && memcmp(p2, "cdef", 4) == 0, "msghdr.scatter_data");
  close(sv[0]);
  close(sv[1]);

  int st[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, st);
  struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = "/tmp/x"};
  struct msghdr named = {.msg_iov = &iov, .msg_iovlen = 1, .msg_name = &sa, .msg_namelen = sizeof sa};
  check_err(sendmsg(st[0], &named, 0), EISCONN, "msghdr.stream_with_name_eisconn");
  send(st[0], "n", 1, 0);
  struct sockaddr_un from;
  struct msghdr rm = {.msg_iov = &sc[1], .msg_iovlen = 1, .msg_name = &from, .msg_namelen = sizeof from};
  check_eq(recvmsg(st[1], &rm, 0), 1, "msghdr.recv_name_stream");
  check_eq(rm.msg_namelen, 0, "msghdr.stream_unbound_peer_namelen_0");
  close(st[0]);
  close(st[1]);
}

static void credentials(void) {
  int sv[2];
  char buf[8], ctl[128];
  struct msghdr mh;
  socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  send(sv[0], "a", 1, 0);
  int on = 1;
  setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
  send(sv[0], "b", 1, 0);
  recv_ctl(sv[1], buf, sizeof buf, ctl, sizeof ctl, 0, &mh);
  struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
  check(c != NULL && c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len == CMSG_LEN(sizeof(struct ucred)),
        "creds.cmsg");
  struct ucred u;
  memcpy(&u, CMSG_DATA(c), sizeof u);
  check(u.pid == 0 && u.uid == 65534 && u.gid == 65534, "creds.queued_before_passcred_unset");
  recv_ctl(sv[1], buf, sizeof buf, ctl, sizeof ctl, 0, &mh);
  c = CMSG_FIRSTHDR(&mh);
  memcpy(&u, CMSG_DATA(c), sizeof u);
  check(u.pid == getpid() && u.uid == getuid() && u.gid == getgid(), "creds.sender_ids");
  check_eq(mh.msg_controllen, CMSG_SPACE(sizeof(struct ucred)), "creds.controllen");

  /* Explicit credentials of one's own. */
  struct ucred mine = {getpid(), getuid(), getgid()};
  struct iovec iov = {"c", 1};
  char sctl[CMSG_SPACE(sizeof mine)];
  struct msghdr sm = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = sctl, .msg_controllen = sizeof sctl};
  c = CMSG_FIRSTHDR(&sm);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_CREDENTIALS;
  c->cmsg_len = CMSG_LEN(sizeof mine);
  memcpy(CMSG_DATA(c), &mine, sizeof mine);
  check_eq(sendmsg(sv[0], &sm, 0), 1, "creds.explicit_send");
  recv_ctl(sv[1], buf, sizeof buf, ctl, sizeof ctl, 0, &mh);
  memcpy(&u, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof u);
  check(u.pid == getpid() && u.uid == getuid(), "creds.explicit_received");
  /* No room for them: MSG_CTRUNC. */
  send(sv[0], "d", 1, 0);
  recv_ctl(sv[1], buf, sizeof buf, ctl, 4, 0, &mh);
  check(mh.msg_flags & MSG_CTRUNC, "creds.no_room_ctrunc");
  close(sv[0]);
  close(sv[1]);

  /* A stream read with SO_PASSCRED and nothing to read: zeroed credentials. */
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
  shutdown(sv[0], SHUT_WR);
  check_eq(recv_ctl(sv[1], buf, sizeof buf, ctl, sizeof ctl, 0, &mh), 0, "creds.eof");
  c = CMSG_FIRSTHDR(&mh);
  if (c != NULL) memcpy(&u, CMSG_DATA(c), sizeof u);
  check(c != NULL && u.pid == 0 && u.uid == 0 && u.gid == 0, "creds.eof_zeroed");
  close(sv[0]);
  close(sv[1]);
}

static void mmsg(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv);
  struct iovec iov[3] = {{"one", 3}, {"three", 5}, {"", 0}};
  struct mmsghdr m[3];
  memset(m, 0, sizeof m);
  for (int i = 0; i < 3; i++) {
    m[i].msg_hdr.msg_iov = &iov[i];
    m[i].msg_hdr.msg_iovlen = 1;
  }
  check_eq(sendmmsg(sv[0], m, 3, 0), 3, "mmsg.send_three");
  check(m[0].msg_len == 3 && m[1].msg_len == 5 && m[2].msg_len == 0, "mmsg.sent_lengths");
  check_eq(sendmmsg(sv[0], m, 0, 0), 0, "mmsg.send_none");
  char bufs[5][8];
  struct iovec riov[5];
  struct mmsghdr r[5];
  memset(r, 0, sizeof r);
  for (int i = 0; i < 5; i++) {
    riov[i] = (struct iovec){bufs[i], sizeof bufs[i]};
    r[i].msg_hdr.msg_iov = &riov[i];
    r[i].msg_hdr.msg_iovlen = 1;
  }
  struct timespec to = {5, 0};
  check_eq(recvmmsg(sv[1], r, 5, 0, &to), 3, "mmsg.recv_available");
  check(r[0].msg_len == 3 && r[1].msg_len == 5 && r[2].msg_len == 0, "mmsg.recv_lengths");
  check(memcmp(bufs[1], "three", 5) == 0, "mmsg.recv_data");
  check(to.tv_sec <= 5 && (to.tv_sec > 0 || to.tv_nsec > 0), "mmsg.timeout_left_written");
  check_err(recvmmsg(sv[1], r, 5, 0, NULL), EAGAIN, "mmsg.recv_empty_eagain");
  struct timespec badto = {0, 1000000000};
  /* qemu does not check the timeout before receiving. */
  check_err_linux(recvmmsg(sv[1], r, 5, 0, &badto), EINVAL, "mmsg.bad_timeout");
  sendmmsg(sv[0], m, 2, 0);
  check_eq(recvmmsg(sv[1], r, 5, MSG_WAITFORONE, NULL), 2, "mmsg.waitforone");
  close(sv[0]);
  close(sv[1]);
}

int main(void) {
  rights();
  control_checks();
  credentials();
  mmsg();
  return finish();
}
