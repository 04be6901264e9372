/*
 * SECCOMP_RET_USER_NOTIF with a supervisor: a child installs a NEW_LISTENER filter and passes the
 * listener fd to its parent over a socketpair (SCM_RIGHTS); the parent receives each notified call
 * and answers it with a value, an error, FLAG_CONTINUE, or an injected fd (ADDFD with SEND). Also:
 * RECV's zeroed-buffer rule, ID_VALID, one reply only, poll readiness (POLLIN, POLLOUT, POLLHUP once
 * the filter has no user), a signal withdrawing a notification (EINTR), a closed listener (ENOSYS),
 * and a compat call notified with AUDIT_ARCH_ARM and its result zero-extended.
 */
#include "check.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

static int send_fd(int sock, int fd) {
  char byte = 'F';
  struct iovec iov = {.iov_base = &byte, .iov_len = 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock) {
  char byte;
  struct iovec iov = {.iov_base = &byte, .iov_len = 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  if (recvmsg(sock, &msg, 0) != 1) return -1;
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  if (c == NULL || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

static void sync_send(int sock) {
  char b = 'S';
  if (write(sock, &b, 1) != 1) _exit(96);
}

static void sync_wait(int sock) {
  char b;
  if (read(sock, &b, 1) != 1) _exit(95);
}

/* Notify getppid, getuid, gettid and every compat call; allow the rest. */
static int install_listener(unsigned flags) {
  struct sock_filter f[] = {
      LD(ARCH_OFF),
      IF_EQ(AUDIT_ARCH_ARM),
      RET(SECCOMP_RET_USER_NOTIF),
      LD(NR_OFF),
      IF_EQ(__NR_getppid),
      RET(SECCOMP_RET_USER_NOTIF),
      IF_EQ(__NR_getuid),
      RET(SECCOMP_RET_USER_NOTIF),
      IF_EQ(__NR_gettid),
      RET(SECCOMP_RET_USER_NOTIF),
      RET(SECCOMP_RET_ALLOW),
  };
  return install_flags(f, sizeof f / sizeof f[0], SECCOMP_FILTER_FLAG_NEW_LISTENER | flags);
}

/* The supervisor's pid, known to the child as its parent before any filter. */
static long getppid_real_value;
static long getppid_real(void) { return getppid_real_value; }

static volatile int got_usr1;
static void on_usr1(int sig) {
  (void)sig;
  got_usr1 = 1;
}

/* The supervised child: each step is one notified call. */
static int supervised(int sock) {
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL); /* no SA_RESTART: an interrupted call returns EINTR */
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 98;
  int listener = install_listener(0);
  check(listener >= 0, "NEW_LISTENER returns an fd");
  check((fcntl(listener, F_GETFD) & FD_CLOEXEC) != 0, "the listener fd is close-on-exec");
  char path[64], target[64] = {0};
  snprintf(path, sizeof path, "/proc/self/fd/%d", listener);
  check(readlink(path, target, sizeof target - 1) > 0 && strcmp(target, "anon_inode:seccomp notify") == 0,
        "/proc/self/fd names it anon_inode:seccomp notify");
  CHECK_ERR(install_listener(0), EBUSY, "a second listener in the chain: EBUSY");
  if (send_fd(sock, listener) != 0) return 97;
  close(listener);
  check(syscall(__NR_getppid) == 42, "a notified call returns the supervisor's value");
  CHECK_ERR(syscall(__NR_getuid), EPERM, "the supervisor's error");
  check(syscall(__NR_getppid) == getppid_real(), "FLAG_CONTINUE runs the call");
  long fd = syscall(__NR_gettid);
  check(fd >= 0 && write(fd, "hi", 2) == 2, "ADDFD with SEND: the call returns the injected fd");
  check(compat_syscall_raw(__NR_compat_getpid, 0xffffffff00000007UL) == 0xfffffff3UL,
        "compat call notified; its error is zero-extended");
  errno = 0;
  long r = syscall(__NR_getppid);
  check(r == -1 && errno == EINTR && got_usr1, "a signal withdraws the notification: EINTR");
  sync_send(sock);
  return failures;
}




static int recv_notif(int listener, struct seccomp_notif *n) {
  memset(n, 0, sizeof *n);
  return ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, n);
}

static int reply(int listener, __u64 id, long val, int error, unsigned flags) {
  struct seccomp_notif_resp resp = {.id = id, .val = val, .error = error, .flags = flags};
  return ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

static void supervise(void) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return;
  getppid_real_value = getpid();
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    _exit(supervised(sv[1]));
  }
  close(sv[1]);
  int listener = recv_fd(sv[0]);
  check(listener >= 0, "the listener fd arrives over SCM_RIGHTS");

  struct pollfd p = {.fd = listener, .events = POLLIN | POLLOUT};
  check(poll(&p, 1, 10000) == 1 && (p.revents & POLLIN) && !(p.revents & POLLOUT), "poll: POLLIN when a call waits");

  struct seccomp_notif n;
  memset(&n, 0xff, sizeof n);
  CHECK_ERR(ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &n), EINVAL, "RECV needs a zeroed buffer");
  check(recv_notif(listener, &n) == 0, "RECV");
  check(n.pid == (__u32)pid && n.data.nr == __NR_getppid && n.data.arch == AUDIT_ARCH_AARCH64, "notification: pid, nr, arch");
  check(ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &n.id) == 0, "ID_VALID while it waits for the answer");
  p.revents = 0;
  check(poll(&p, 1, 0) == 1 && (p.revents & POLLOUT) && !(p.revents & POLLIN), "poll: POLLOUT while an answer is due");
  CHECK_ERR(reply(listener, n.id, 1, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE), EINVAL, "CONTINUE with a value: EINVAL");
  CHECK_ERR(reply(listener, n.id + 1000, 42, 0, 0), ENOENT, "SEND to an unknown id: ENOENT");
  check(reply(listener, n.id, 42, 0, 0) == 0, "SEND a value");
  errno = 0;
  int again = reply(listener, n.id, 43, 0, 0);
  check(again == -1 && (errno == EINPROGRESS || errno == ENOENT), "only one answer");
  CHECK_ERR(ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &n.id), ENOENT, "ID_VALID after the answer: ENOENT");

  check(recv_notif(listener, &n) == 0 && n.data.nr == __NR_getuid, "RECV getuid");
  check(reply(listener, n.id, 0, -EPERM, 0) == 0, "SEND an error");

  check(recv_notif(listener, &n) == 0 && n.data.nr == __NR_getppid, "RECV getppid again");
  check(reply(listener, n.id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE) == 0, "SEND FLAG_CONTINUE");

  check(recv_notif(listener, &n) == 0 && n.data.nr == __NR_gettid, "RECV gettid");
  int pfd[2];
  if (pipe(pfd) != 0) return;
  struct seccomp_notif_addfd bad = {.id = n.id, .flags = 0, .srcfd = pfd[1], .newfd = 5, .newfd_flags = 0};
  CHECK_ERR(ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &bad), EINVAL, "ADDFD newfd without SETFD: EINVAL");
  struct seccomp_notif_addfd add = {.id = n.id, .flags = SECCOMP_ADDFD_FLAG_SEND, .srcfd = pfd[1], .newfd = 0, .newfd_flags = 0};
  int remote = ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
  check(remote >= 0, "ADDFD with SEND");
  close(pfd[1]);
  char buf[4] = {0};
  check(read(pfd[0], buf, 2) == 2 && memcmp(buf, "hi", 2) == 0, "the child writes to the injected fd");
  close(pfd[0]);

  check(recv_notif(listener, &n) == 0 && n.data.nr == __NR_compat_getpid && n.data.arch == AUDIT_ARCH_ARM &&
            n.data.args[0] == 7,
        "compat notification: AUDIT_ARCH_ARM, compat nr, args zero-extended");
  check(reply(listener, n.id, 0, -13, 0) == 0, "SEND an error to a compat call");

  check(recv_notif(listener, &n) == 0 && n.data.nr == __NR_getppid, "RECV before the signal");
  kill(pid, SIGUSR1);
  sync_wait(sv[0]);
  CHECK_ERR(ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &n.id), ENOENT, "a withdrawn notification: ENOENT");
  CHECK_ERR(reply(listener, n.id, 1, 0, 0), ENOENT, "SEND to a withdrawn notification: ENOENT");

  int st;
  waitpid(pid, &st, 0);
  check(exited_ok(st), "supervised child");
  p.events = POLLIN;
  p.revents = 0;
  check(poll(&p, 1, 2000) == 1 && (p.revents & POLLHUP), "poll: POLLHUP once no task uses the filter");
  close(listener);
  close(sv[0]);
}

/* A closed listener: notified calls return ENOSYS. */
static void closed_listener(void) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(98);
    int l = install_listener(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
    if (l < 0 || send_fd(sv[1], l) != 0) _exit(97);
    close(l);
    sync_wait(sv[1]);
    CHECK_ERR(syscall(__NR_getppid), ENOSYS, "no listener left: ENOSYS");
    _exit(failures);
  }
  close(sv[1]);
  int l = recv_fd(sv[0]);
  check(l >= 0, "WAIT_KILLABLE_RECV listener arrives");
  close(l);
  sync_send(sv[0]);
  int st;
  waitpid(pid, &st, 0);
  check(exited_ok(st), "closed-listener child");
  close(sv[0]);
}

/* WAIT_KILLABLE_RECV: once received, a non-fatal signal no longer withdraws the call. */
static void killable_recv(void) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(98);
    int l = install_listener(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
    if (l < 0 || send_fd(sv[1], l) != 0) _exit(97);
    close(l);
    long r = syscall(__NR_getppid);
    check(r == 77 && got_usr1, "WAIT_KILLABLE_RECV: the answer arrives despite the signal, then the handler runs");
    _exit(failures);
  }
  close(sv[1]);
  int l = recv_fd(sv[0]);
  struct seccomp_notif n;
  check(l >= 0 && recv_notif(l, &n) == 0, "RECV (killable listener)");
  kill(pid, SIGUSR1);
  struct timespec ts = {0, 100 * 1000 * 1000};
  nanosleep(&ts, NULL);
  check(ioctl(l, SECCOMP_IOCTL_NOTIF_ID_VALID, &n.id) == 0, "a received notification survives a signal");
  check(reply(l, n.id, 77, 0, 0) == 0, "SEND after the signal");
  int st;
  waitpid(pid, &st, 0);
  check(exited_ok(st), "killable-recv child");
  close(l);
  close(sv[0]);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  supervise();
  closed_listener();
  killable_recv();
  return finish();
}
