/*
 * POSIX message queues through glibc's mq_* wrappers, compared line by line with qemu-aarch64 (which
 * passes these calls to the host kernel): priority order, mq_getattr/mq_setattr, O_NONBLOCK, EMSGSIZE,
 * the errors of mq_open/mq_unlink (EEXIST, ENOENT, EINVAL limits, EACCES and EMFILE for an
 * unprivileged user), the descriptor (close-on-exec, fstat, read of the status line, write), poll and
 * epoll readiness, unlink while open, blocking send/receive woken by a fork()ed child, timeouts and
 * signals interrupting or restarting a blocked receive.
 */
#include "check.h"

#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>


static struct mq_attr mkattr(long maxmsg, long msgsize) {
  struct mq_attr a;
  memset(&a, 0, sizeof a);
  a.mq_maxmsg = maxmsg;
  a.mq_msgsize = msgsize;
  return a;
}

static void msleep(int ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct timespec realtime_in(int ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += (ms % 1000) * 1000000L;
  ts.tv_sec += ms / 1000 + ts.tv_nsec / 1000000000L;
  ts.tv_nsec %= 1000000000L;
  return ts;
}

static void reap(pid_t pid, const char *name) {
  int st = 0;
  waitpid(pid, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, name);
}

static void priorities(void) {
  const char *name = qname("prio");
  struct mq_attr a = mkattr(8, 32);
  mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
  check(q >= 0, "prio: mq_open creates");
  const char *msgs[] = {"a1", "b5", "c1", "d0", "e5", "f32767"};
  unsigned prios[] = {1, 5, 1, 0, 5, 32767};
  for (int i = 0; i < 6; i++) mq_send(q, msgs[i], strlen(msgs[i]), prios[i]);
  const char *want[] = {"f32767", "b5", "e5", "a1", "c1", "d0"};
  unsigned wantp[] = {32767, 5, 5, 1, 1, 0};
  for (int i = 0; i < 6; i++) {
    char buf[32] = {0};
    unsigned p = 99;
    ssize_t n = mq_receive(q, buf, sizeof buf, &p);
    char label[64];
    snprintf(label, sizeof label, "prio: message %d is %s (prio %u)", i, want[i], wantp[i]);
    check(n == (ssize_t)strlen(want[i]) && strcmp(buf, want[i]) == 0 && p == wantp[i], label);
  }
  CHECK_ERR(mq_send(q, "x", 1, 32768), EINVAL, "prio: 32768 is EINVAL");
  mq_close(q);
  mq_unlink(name);
}

static void attrs(void) {
  const char *name = qname("attr");
  struct mq_attr a = mkattr(2, 16), got;
  mqd_t q = mq_open(name, O_CREAT | O_RDWR, 0600, &a);
  mq_send(q, "one", 3, 0);
  mq_getattr(q, &got);
  check(got.mq_maxmsg == 2 && got.mq_msgsize == 16 && got.mq_curmsgs == 1 && got.mq_flags == 0, "attr: getattr");
  struct mq_attr nb = mkattr(99, 99), old;
  nb.mq_flags = O_NONBLOCK;
  check(mq_setattr(q, &nb, &old) == 0 && old.mq_flags == 0 && old.mq_curmsgs == 1, "attr: setattr returns old");
  mq_getattr(q, &got);
  check(got.mq_flags == O_NONBLOCK && got.mq_maxmsg == 2 && got.mq_msgsize == 16, "attr: only O_NONBLOCK changes");
  check((fcntl(q, F_GETFL) & O_NONBLOCK) != 0, "attr: F_GETFL shows O_NONBLOCK");
  struct mq_attr bad = mkattr(0, 0);
  bad.mq_flags = O_NONBLOCK | 1;
  CHECK_ERR(mq_setattr(q, &bad, NULL), EINVAL, "attr: other mq_flags are EINVAL");
  mq_send(q, "two", 3, 0);
  CHECK_ERR(mq_send(q, "three", 5, 0), EAGAIN, "attr: full + O_NONBLOCK send is EAGAIN");
  char buf[16];
  CHECK_ERR(mq_receive(q, buf, 15, NULL), EMSGSIZE, "attr: receive buffer below mq_msgsize is EMSGSIZE");
  CHECK_ERR(mq_send(q, "0123456789abcdefg", 17, 0), EMSGSIZE, "attr: message above mq_msgsize is EMSGSIZE");
  mq_receive(q, buf, 16, NULL);
  mq_receive(q, buf, 16, NULL);
  CHECK_ERR(mq_receive(q, buf, 16, NULL), EAGAIN, "attr: empty + O_NONBLOCK receive is EAGAIN");
  check(mq_send(q, "", 0, 0) == 0 && mq_receive(q, buf, 16, NULL) == 0, "attr: empty message");
  mqd_t ro = mq_open(name, O_RDONLY);
  mqd_t wo = mq_open(name, O_WRONLY);
  CHECK_ERR(mq_send(ro, "x", 1, 0), EBADF, "attr: send on O_RDONLY is EBADF");
  CHECK_ERR(mq_receive(wo, buf, 16, NULL), EBADF, "attr: receive on O_WRONLY is EBADF");
  int p[2];
  if (pipe(p) != 0) exit(2);
  CHECK_ERR(mq_send(p[1], "x", 1, 0), EBADF, "attr: send on a pipe is EBADF");
  CHECK_ERR(mq_getattr(p[0], &got), EBADF, "attr: getattr on a pipe is EBADF");
  CHECK_ERR(mq_getattr(999, &got), EBADF, "attr: getattr on a closed fd is EBADF");
  close(p[0]);
  close(p[1]);
  mq_close(ro);
  mq_close(wo);
  mq_close(q);
  mq_unlink(name);
}

static void unprivileged(const char *rootq, const char *rootro, const char *mine1, const char *mine2) {
  failures = 0;
  if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) exit(3);
  CHECK_ERR(mq_open(rootq, O_RDONLY), EACCES, "user: open of root's 0600 queue is EACCES");
  mqd_t r = mq_open(rootro, O_RDONLY);
  check(r >= 0, "user: O_RDONLY of a 0644 queue");
  mq_close(r);
  CHECK_ERR(mq_open(rootro, O_WRONLY), EACCES, "user: O_WRONLY of a 0644 queue is EACCES");
  CHECK_ERR(mq_unlink(rootro), EACCES, "user: unlink of root's queue is EACCES");
  struct mq_attr a = mkattr(11, 64);
  CHECK_ERR(mq_open(mine1, O_CREAT | O_RDWR, 0600, &a), EINVAL, "user: mq_maxmsg 11 > msg_max is EINVAL");
  a = mkattr(10, 8193);
  CHECK_ERR(mq_open(mine1, O_CREAT | O_RDWR, 0600, &a), EINVAL, "user: mq_msgsize 8193 > msgsize_max is EINVAL");
  struct rlimit rl = {100000, 100000};
  setrlimit(RLIMIT_MSGQUEUE, &rl);
  mqd_t q1 = mq_open(mine1, O_CREAT | O_RDWR, 0600, NULL);
  check(q1 >= 0, "user: default queue fits RLIMIT_MSGQUEUE 100000");
  struct mq_attr d;
  mq_getattr(q1, &d);
  check(d.mq_maxmsg == 10 && d.mq_msgsize == 8192, "user: defaults are 10 x 8192");
  CHECK_ERR(mq_open(mine2, O_CREAT | O_RDWR, 0600, NULL), EMFILE, "user: second queue passes RLIMIT_MSGQUEUE: EMFILE");
  a = mkattr(1, 128);
  mqd_t q2 = mq_open(mine2, O_CREAT | O_RDWR, 0600, &a);
  check(q2 >= 0, "user: a small queue still fits");
  mq_close(q2);
  mq_unlink(mine2);
  mq_close(q1);
  mq_unlink(mine1);
  exit(failures ? 1 : 0);
}

static void open_errors(void) {
  const char *name = qname("errs");
  struct mq_attr a = mkattr(4, 64);
  mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
  check(q >= 0, "open: create");
  CHECK_ERR(mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &a), EEXIST, "open: O_CREAT|O_EXCL on an existing queue is EEXIST");
  mqd_t again = mq_open(name, O_CREAT | O_RDWR, 0600, &a);
  check(again >= 0, "open: O_CREAT alone opens the existing queue");
  mq_close(again);
  CHECK_ERR(mq_open(qname("nosuch"), O_RDWR), ENOENT, "open: missing queue is ENOENT");
  CHECK_ERR(mq_unlink(qname("nosuch")), ENOENT, "unlink: missing queue is ENOENT");
  CHECK_ERR(mq_open("noslash", O_RDWR), EINVAL, "open: name without '/' is EINVAL (glibc)");
  const char *n2 = qname("limits");
  struct mq_attr b = mkattr(0, 64);
  CHECK_ERR(mq_open(n2, O_CREAT | O_RDWR, 0600, &b), EINVAL, "open: mq_maxmsg 0 is EINVAL");
  b = mkattr(4, 0);
  CHECK_ERR(mq_open(n2, O_CREAT | O_RDWR, 0600, &b), EINVAL, "open: mq_msgsize 0 is EINVAL");
  b = mkattr(-1, 64);
  CHECK_ERR(mq_open(n2, O_CREAT | O_RDWR, 0600, &b), EINVAL, "open: mq_maxmsg -1 is EINVAL");
  b = mkattr(65537, 64);
  CHECK_ERR(mq_open(n2, O_CREAT | O_RDWR, 0600, &b), EINVAL, "open: root: mq_maxmsg above HARD_MSGMAX is EINVAL");
  b = mkattr(1, 16 * 1024 * 1024 + 1);
  CHECK_ERR(mq_open(n2, O_CREAT | O_RDWR, 0600, &b), EINVAL, "open: root: mq_msgsize above HARD_MSGSIZEMAX is EINVAL");

  const char *rootro = qname("rootro");
  mqd_t ro = mq_open(rootro, O_CREAT | O_RDWR, 0644, &a);
  const char *mine1 = qname("user1"), *mine2 = qname("user2");
  pid_t pid = fork();
  if (pid == 0) unprivileged(name, rootro, mine1, mine2);
  reap(pid, "user: child passed");
  mq_close(ro);
  mq_unlink(rootro);
  mq_close(q);
  mq_unlink(name);
}

static void descriptor(void) {
  const char *name = qname("fd");
  umask(022);
  struct mq_attr a = mkattr(4, 64);
  mqd_t q = mq_open(name, O_CREAT | O_RDWR, 0666, &a);
  check(fcntl(q, F_GETFD) == FD_CLOEXEC, "fd: close-on-exec always");
  struct stat st;
  fstat(q, &st);
  check(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644, "fd: S_IFREG, mode after umask");
  check(st.st_size == 80 && st.st_nlink == 1 && st.st_uid == getuid() && st.st_blksize == 4096 && st.st_blocks == 0, "fd: size 80, nlink 1, owner");
  char buf[128];
  ssize_t n = read(q, buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  check(n == 60 && strcmp(buf, "QSIZE:0          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n") == 0, "fd: read gives the status line");
  check(read(q, buf, sizeof buf) == 0, "fd: second read is at the end");
  mq_send(q, "hello", 5, 1);
  mq_send(q, "abc", 3, 1);
  n = pread(q, buf, 20, 0);
  buf[n > 0 ? n : 0] = 0;
  check(n == 20 && strcmp(buf, "QSIZE:8          NOT") == 0, "fd: QSIZE counts message bytes (pread)");
  check(lseek(q, 6, SEEK_SET) == 6 && read(q, buf, 1) == 1 && buf[0] == '8', "fd: lseek then read");
  CHECK_ERR(write(q, "x", 1), EINVAL, "fd: write is EINVAL");
  mq_unlink(name);
  fstat(q, &st);
  check(st.st_nlink == 0, "fd: nlink 0 after unlink");
  CHECK_ERR(mq_open(name, O_RDWR), ENOENT, "fd: unlinked name is gone");
  n = mq_receive(q, buf, 64, NULL);
  check(n == 5 && memcmp(buf, "hello", 5) == 0, "fd: the unlinked queue still works");
  mqd_t fresh = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
  struct mq_attr g;
  mq_getattr(fresh, &g);
  check(fresh >= 0 && g.mq_curmsgs == 0, "fd: the name makes a new empty queue");
  mq_getattr(q, &g);
  check(g.mq_curmsgs == 1, "fd: the old queue keeps its message");
  mq_close(fresh);
  mq_unlink(name);
  mq_close(q);
}

static void polling(void) {
  const char *name = qname("poll");
  struct mq_attr a = mkattr(2, 16);
  mqd_t q = mq_open(name, O_CREAT | O_RDWR, 0600, &a);
  struct pollfd p = {q, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM, 0};
  check(poll(&p, 1, 0) == 1 && p.revents == (POLLOUT | POLLWRNORM), "poll: empty is writable only");
  mq_send(q, "a", 1, 0);
  poll(&p, 1, 0);
  check(p.revents == (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM), "poll: one message: readable and writable");
  mq_send(q, "b", 1, 0);
  poll(&p, 1, 0);
  check(p.revents == (POLLIN | POLLRDNORM), "poll: full is readable only");
  char buf[16];
  mq_receive(q, buf, 16, NULL);
  mq_receive(q, buf, 16, NULL);
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
  epoll_ctl(ep, EPOLL_CTL_ADD, q, &ev);
  struct epoll_event out[2];
  check(epoll_wait(ep, out, 2, 0) == 0, "epoll: empty queue is not readable");
  pid_t pid = fork();
  if (pid == 0) {
    msleep(100);
    mq_send(q, "late", 4, 3);
    _exit(0);
  }
  int n = epoll_wait(ep, out, 2, 5000);
  check(n == 1 && out[0].data.u32 == 7 && out[0].events == EPOLLIN, "epoll: woken by a child's send");
  p.events = POLLIN;
  p.revents = 0;
  check(poll(&p, 1, 0) == 1 && p.revents == POLLIN, "poll: POLLIN after the child's send");
  reap(pid, "epoll: child sent");
  close(ep);
  mq_close(q);
  mq_unlink(name);
}

static volatile int alarms;
static void on_alarm(int sig) {
  (void)sig;
  alarms++;
}

static void arm_ms(int ms) {
  struct itimerval it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
}

static void blocking(void) {
  const char *name = qname("block");
  struct mq_attr a = mkattr(1, 32);
  mqd_t q = mq_open(name, O_CREAT | O_RDWR, 0600, &a);
  char buf[32] = {0};
  unsigned prio = 0;

  pid_t pid = fork();
  if (pid == 0) {
    msleep(100);
    mq_send(q, "from child", 10, 9);
    _exit(0);
  }
  ssize_t n = mq_receive(q, buf, 32, &prio);
  check(n == 10 && memcmp(buf, "from child", 10) == 0 && prio == 9, "block: receive woken by a child's send");
  reap(pid, "block: child sent");

  mq_send(q, "first", 5, 0);
  pid = fork();
  if (pid == 0) {
    msleep(100);
    char b[32];
    ssize_t m = mq_receive(q, b, 32, NULL);
    _exit(m == 5 && memcmp(b, "first", 5) == 0 ? 0 : 1);
  }
  check(mq_send(q, "second", 6, 0) == 0, "block: send on a full queue woken by a child's receive");
  reap(pid, "block: child received the first message");
  n = mq_receive(q, buf, 32, NULL);
  check(n == 6 && memcmp(buf, "second", 6) == 0, "block: the blocked message is queued");

  struct timespec past = {1, 0};
  CHECK_ERR(mq_timedreceive(q, buf, 32, NULL, &past), ETIMEDOUT, "time: past deadline on an empty queue is ETIMEDOUT");
  double t0 = now_s();
  struct timespec soon = realtime_in(150);
  CHECK_ERR(mq_timedreceive(q, buf, 32, NULL, &soon), ETIMEDOUT, "time: receive times out");
  double waited = now_s() - t0;
  check(waited > 0.1 && waited < 3.0, "time: receive waited about 150 ms");
  struct timespec badns = {0, 1000000000L};
  CHECK_ERR(mq_timedreceive(q, buf, 32, NULL, &badns), EINVAL, "time: tv_nsec 1e9 is EINVAL");
  struct timespec negsec = {-1, 0};
  CHECK_ERR(mq_timedreceive(q, buf, 32, NULL, &negsec), EINVAL, "time: tv_sec -1 is EINVAL");
  mq_send(q, "full", 4, 0);
  CHECK_ERR(mq_timedsend(q, "x", 1, 0, &badns), EINVAL, "time: a bad timeout is EINVAL even before checking room");
  CHECK_ERR(mq_timedreceive(q, buf, 32, NULL, &badns), EINVAL, "time: a bad timeout is EINVAL with a message queued");
  soon = realtime_in(100);
  CHECK_ERR(mq_timedsend(q, "x", 1, 0, &soon), ETIMEDOUT, "time: send on a full queue times out");
  check(mq_timedreceive(q, buf, 32, NULL, &past) == 4, "time: a queued message is taken whatever the deadline");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  arm_ms(100);
  CHECK_ERR(mq_receive(q, buf, 32, NULL), EINTR, "signal: handler without SA_RESTART: EINTR");
  check(alarms == 1, "signal: the handler ran");
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  pid = fork();
  if (pid == 0) {
    msleep(300);
    mq_send(q, "restarted", 9, 0);
    _exit(0);
  }
  arm_ms(100);
  n = mq_receive(q, buf, 32, NULL);
  check(n == 9 && alarms == 2, "signal: SA_RESTART restarts the receive");
  reap(pid, "signal: child sent");
  mq_close(q);
  mq_unlink(name);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  priorities();
  attrs();
  open_errors();
  descriptor();
  polling();
  blocking();
  return finish();
}
