/*
 * Sockets between processes: blocking reads, accepts and connects that another process ends,
 * descriptions and credentials passed to a parent, SO_PEERCRED of a child, a writer blocked on a
 * full buffer, signals interrupting blocked calls (SA_RESTART restarts them unless SO_RCVTIMEO is
 * set, then EINTR), death by SIGPIPE, and TCP between two processes.
 */
#include "check.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void msleep(int ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

static int wait_status(pid_t pid) {
  int st = 0;
  waitpid(pid, &st, 0);
  return st;
}

static void blocking_read(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  pid_t pid = fork();
  if (pid == 0) {
    msleep(100);
    write(sv[1], "late", 4);
    _exit(0);
  }
  char buf[8];
  check_eq(read(sv[0], buf, sizeof buf), 4, "fork.blocking_read_woken");
  check_eq(wait_status(pid), 0, "fork.child_exit");
  close(sv[0]);
  close(sv[1]);
}

static void stream_between_processes(const char *path) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  strcpy(sa.sun_path, path);
  int srv = socket(AF_UNIX, SOCK_STREAM, 0);
  bind(srv, (struct sockaddr *)&sa, sizeof sa);
  /* Set on the listener: the accepted socket inherits it, so the child's message carries credentials
     whether it is sent before or after the accept. */
  int on = 1;
  setsockopt(srv, SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
  listen(srv, 1);
  pid_t pid = fork();
  if (pid == 0) {
    close(srv);
    msleep(50);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&sa, sizeof sa) != 0) _exit(1);
    /* Pass a pipe's read end, with our credentials. */
    int p[2];
    pipe(p);
    write(p[1], "via-pipe", 8);
    close(p[1]);
    char ctl[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {"R", 1};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
    struct cmsghdr *c0 = CMSG_FIRSTHDR(&mh);
    c0->cmsg_level = SOL_SOCKET;
    c0->cmsg_type = SCM_RIGHTS;
    c0->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c0), &p[0], sizeof(int));
    if (sendmsg(c, &mh, 0) != 1) _exit(2);
    close(p[0]);
    char b;
    read(c, &b, 1);
    _exit(0);
  }
  int acc = accept(srv, NULL, NULL);
  check_ok(acc, "unix.accept_blocks_until_child_connects");
  struct ucred cr;
  socklen_t l = sizeof cr;
  getsockopt(acc, SOL_SOCKET, SO_PEERCRED, &cr, &l);
  check_eq(cr.pid, pid, "unix.peercred_is_child");
  int passcred = 0;
  l = sizeof passcred;
  getsockopt(acc, SOL_SOCKET, SO_PASSCRED, &passcred, &l);
  check_eq(passcred, 1, "unix.accepted_inherits_passcred");
  char buf[16], ctl[256];
  struct iovec iov = {buf, sizeof buf};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
  check_eq(recvmsg(acc, &mh, 0), 1, "unix.recv_from_child");
  int fd = -1;
  pid_t credpid = 0;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
    if (c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof fd);
    if (c->cmsg_type == SCM_CREDENTIALS) {
      struct ucred u;
      memcpy(&u, CMSG_DATA(c), sizeof u);
      credpid = u.pid;
    }
  }
  check_eq(credpid, pid, "unix.scm_credentials_child_pid");
  check(fd >= 0 && read(fd, buf, sizeof buf) == 8 && memcmp(buf, "via-pipe", 8) == 0, "unix.rights_from_child");
  close(fd);
  write(acc, "k", 1);
  check_eq(wait_status(pid), 0, "unix.child_done");
  close(acc);
  close(srv);
  unlink(path);
}

static void blocked_writer(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  int small = 4096;
  setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  pid_t pid = fork();
  if (pid == 0) {
    static char big[200000];
    ssize_t n = write(sv[0], big, sizeof big);
    _exit(n == (ssize_t)sizeof big ? 0 : 1);
  }
  msleep(100);
  static char sink[65536];
  long total = 0;
  while (total < 200000) {
    ssize_t n = read(sv[1], sink, sizeof sink);
    if (n <= 0) break;
    total += n;
  }
  check_eq(total, 200000, "writer.all_bytes_arrive");
  check_eq(wait_status(pid), 0, "writer.blocked_write_completes");
  close(sv[0]);
  close(sv[1]);
}

static volatile int alarms;
static void on_alarm(int sig) {
  (void)sig;
  alarms++;
}

static void interrupted(void) {
  int sv[2];
  char buf[4];
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  struct itimerval it = {{0, 0}, {0, 100000}};
  setitimer(ITIMER_REAL, &it, NULL);
  check_err(read(sv[0], buf, sizeof buf), EINTR, "signal.recv_eintr_without_restart");
  check_eq(alarms, 1, "signal.handler_ran");

  /* SA_RESTART restarts the read; a child writes later. */
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  pid_t pid = fork();
  if (pid == 0) {
    msleep(300);
    write(sv[1], "r", 1);
    _exit(0);
  }
  setitimer(ITIMER_REAL, &it, NULL);
  check_eq(read(sv[0], buf, sizeof buf), 1, "signal.recv_restarted");
  check_eq(alarms, 2, "signal.restart_handler_ran");
  wait_status(pid);

  /* With SO_RCVTIMEO, an interrupted wait is EINTR even under SA_RESTART. */
  struct timeval tv = {5, 0};
  setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setitimer(ITIMER_REAL, &it, NULL);
  check_err(read(sv[0], buf, sizeof buf), EINTR, "signal.rcvtimeo_eintr_despite_restart");
  close(sv[0]);
  close(sv[1]);
}

static void sigpipe_death(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  close(sv[1]);
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    write(sv[0], "x", 1);
    _exit(0);
  }
  int st = wait_status(pid);
  check(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "sigpipe.kills_writer");
  close(sv[0]);
}

/* write(2) on a seqpacket socket whose peer is gone: EPIPE, but no SIGPIPE (only streams raise it). */
static void seqpacket_write_no_sigpipe(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
  close(sv[1]);
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    ssize_t r = write(sv[0], "x", 1);
    _exit(r == -1 && errno == EPIPE ? 0 : 1);
  }
  int st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sigpipe.not_for_seqpacket_write");
  close(sv[0]);
}

static void tcp_between_processes(void) {
  int srv = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(srv, (struct sockaddr *)&a, sizeof a);
  socklen_t l = sizeof a;
  getsockname(srv, (struct sockaddr *)&a, &l);
  listen(srv, 1);
  pid_t pid = fork();
  if (pid == 0) {
    close(srv);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&a, sizeof a) != 0) _exit(1);
    char buf[8];
    if (recv(c, buf, 5, MSG_WAITALL) != 5) _exit(2);
    send(c, buf, 5, 0);
    _exit(0);
  }
  int acc = accept(srv, NULL, NULL);
  check_ok(acc, "tcp.accept_child");
  send(acc, "hello", 5, 0);
  char buf[8];
  check_eq(recv(acc, buf, 5, MSG_WAITALL), 5, "tcp.echo_from_child");
  check_eq(recv(acc, buf, sizeof buf, 0), 0, "tcp.child_exit_closes");
  check_eq(wait_status(pid), 0, "tcp.child_ok");
  close(acc);
  close(srv);
}

/* Megabytes through a stream, written in large pieces and read in small ones, checked byte by byte. */
static void bulk(int domain, const char *name) {
  int srv = -1, w, r;
  if (domain == AF_UNIX) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    w = sv[0];
    r = sv[1];
  } else {
    srv = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(srv, (struct sockaddr *)&a, sizeof a);
    socklen_t l = sizeof a;
    getsockname(srv, (struct sockaddr *)&a, &l);
    listen(srv, 1);
    w = socket(AF_INET, SOCK_STREAM, 0);
    connect(w, (struct sockaddr *)&a, sizeof a);
    r = accept(srv, NULL, NULL);
  }
  enum { TOTAL = 1 << 20 };
  pid_t pid = fork();
  if (pid == 0) {
    close(r);
    static unsigned char out[300000];
    long sent = 0;
    while (sent < TOTAL) {
      int n = TOTAL - sent < (long)sizeof out ? TOTAL - sent : (int)sizeof out;
      for (int i = 0; i < n; i++) out[i] = (unsigned char)((sent + i) * 7);
      ssize_t k = write(w, out, n);
      if (k <= 0) _exit(1);
      sent += k;
    }
    _exit(0);
  }
  close(w);
  static unsigned char in[1000];
  long got = 0;
  int ok = 1;
  for (;;) {
    ssize_t n = read(r, in, sizeof in);
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; i++) ok = ok && in[i] == (unsigned char)((got + i) * 7);
    got += n;
  }
  char label[64];
  snprintf(label, sizeof label, "bulk.%s_all_bytes", name);
  check_eq(got, TOTAL, label);
  snprintf(label, sizeof label, "bulk.%s_in_order", name);
  check(ok, label);
  snprintf(label, sizeof label, "bulk.%s_writer_done", name);
  check_eq(wait_status(pid), 0, label);
  close(r);
  if (srv >= 0) close(srv);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "seqpacket-write") == 0) {
    seqpacket_write_no_sigpipe();
    return finish();
  }
  if (argc > 1 && strcmp(argv[1], "bulk") == 0) {
    bulk(AF_UNIX, "unix");
    bulk(AF_INET, "tcp");
    return finish();
  }
  char path[64];
  snprintf(path, sizeof path, "/tmp/c64-net-fork-%d.sock", getpid());
  blocking_read();
  stream_between_processes(path);
  blocked_writer();
  interrupted();
  sigpipe_death();
  tcp_between_processes();
  bulk(AF_UNIX, "unix");
  bulk(AF_INET, "tcp");
  return finish();
}
