/*
 * POSIX message queue behaviour qemu-aarch64 cannot show (it has no mq_notify, and it mangles raw
 * mq_open names and access mode 3), checked against Linux's rules written here: name checks of the
 * raw calls (ENOENT, EACCES, ENAMETOOLONG, EFAULT), access mode 3, the native call copying mq_attr
 * without O_CREAT, /proc/self/fd links, queues_max (ENOSPC), CAP_SYS_RESOURCE past msg_max, and
 * mq_notify: SIGEV_SIGNAL with SI_MESGQ/si_pid/si_uid/si_value, one registration per queue (EBUSY),
 * firing only on empty -> non-empty without a waiting receiver, cleared after firing, SIGEV_NONE,
 * unregistering (NULL, close, exit), the status line, and the SIGEV_THREAD errors (no netlink here).
 * Plain Linux C: `gcc -O2 mq-linux.c` runs the same checks natively.
 */
#include "check.h"

#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#define SIGMQ (SIGRTMIN + 1)

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

static void reap(pid_t pid, const char *name) {
  int st = 0;
  waitpid(pid, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, name);
}

/* The kernel's name: glibc strips the leading '/'. */
static long raw_open(const char *name, int oflag, void *attr) {
  return syscall(SYS_mq_open, name, oflag, 0600, attr);
}

static void names(void) {
  char base[64];
  snprintf(base, sizeof base, "c64-raw-%d", (int)getpid());
  CHECK_ERR(raw_open("", O_CREAT | O_RDWR, NULL), ENOENT, "name: empty is ENOENT");
  CHECK_ERR(raw_open("a/b", O_CREAT | O_RDWR, NULL), EACCES, "name: a '/' inside is EACCES");
  CHECK_ERR(raw_open("/abs", O_CREAT | O_RDWR, NULL), EACCES, "name: a leading '/' reaching the kernel is EACCES");
  CHECK_ERR(raw_open(".", O_CREAT | O_RDWR, NULL), EACCES, "name: '.' is EACCES");
  CHECK_ERR(raw_open("..", O_CREAT | O_RDWR, NULL), EACCES, "name: '..' is EACCES");
  CHECK_ERR(raw_open(NULL, O_CREAT | O_RDWR, NULL), EFAULT, "name: NULL is EFAULT");
  char big[300];
  memset(big, 'q', sizeof big);
  big[256] = 0;
  CHECK_ERR(raw_open(big, O_CREAT | O_RDWR, NULL), ENAMETOOLONG, "name: 256 bytes is ENAMETOOLONG");
  memcpy(big + 200, base, strlen(base));
  big[255] = 0;
  memset(big + 200 + strlen(base), 'q', 255 - 200 - strlen(base));
  long fd = raw_open(big, O_CREAT | O_RDWR, NULL);
  check(fd >= 0, "name: 255 bytes is fine");
  close(fd);
  check(syscall(SYS_mq_unlink, big) == 0, "name: unlink of a 255-byte name");
  CHECK_ERR(syscall(SYS_mq_unlink, ""), ENOENT, "unlink: empty is ENOENT");
  CHECK_ERR(syscall(SYS_mq_unlink, "a/b"), EACCES, "unlink: a '/' inside is EACCES");
  CHECK_ERR(raw_open(base, O_RDWR, (void *)8), EFAULT, "open: the native call copies mq_attr even without O_CREAT");

  fd = raw_open(base, O_CREAT | O_RDWR | O_WRONLY, NULL);
  check(fd >= 0, "mode 3: creating with O_RDWR|O_WRONLY succeeds");
  char buf[8192];
  CHECK_ERR(mq_send(fd, "x", 1, 0), EBADF, "mode 3: no FMODE_WRITE: send is EBADF");
  CHECK_ERR(mq_receive(fd, buf, sizeof buf, NULL), EBADF, "mode 3: no FMODE_READ: receive is EBADF");
  CHECK_ERR(read(fd, buf, 10), EBADF, "mode 3: read is EBADF");
  CHECK_ERR(raw_open(base, O_RDWR | O_WRONLY, NULL), EINVAL, "mode 3: opening the existing queue is EINVAL");
  CHECK_ERR(syscall(SYS_mq_timedsend, 999, "x", 1, 32768, NULL), EINVAL, "send: the priority is checked before the fd");

  char link[64], target[300] = {0};
  snprintf(link, sizeof link, "/proc/self/fd/%ld", fd);
  char want[300];
  snprintf(want, sizeof want, "/%s", base);
  check(readlink(link, target, sizeof target - 1) > 0 && strcmp(target, want) == 0, "fd: /proc/self/fd shows /name");
  syscall(SYS_mq_unlink, base);
  memset(target, 0, sizeof target);
  strcat(want, " (deleted)");
  check(readlink(link, target, sizeof target - 1) > 0 && strcmp(target, want) == 0, "fd: ... (deleted) after unlink");
  close(fd);
}

static int has_cap_sys_resource(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (f == NULL) return 0;
  char line[256];
  unsigned long long eff = 0;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "CapEff: %llx", &eff) == 1) break;
  fclose(f);
  return (eff >> 24) & 1;
}

static void limits(void) {
  const char *name = qname("caps");
  struct mq_attr a = mkattr(20, 10000);
  errno = 0;
  mqd_t q = mq_open(name, O_CREAT | O_RDWR, 0600, &a);
  if (has_cap_sys_resource())
    check(q >= 0, "limits: CAP_SYS_RESOURCE passes msg_max and msgsize_max");
  else
    check(q == -1 && errno == EINVAL, "limits: without CAP_SYS_RESOURCE msg_max binds root too");
  if (q >= 0) mq_close(q);
  mq_unlink(name);

  char prefix[32];
  snprintf(prefix, sizeof prefix, "/c64-many-%d-", (int)getpid());
  pid_t pid = fork();
  if (pid == 0) {
    failures = 0;
    if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) _exit(3);
    struct mq_attr s = mkattr(1, 128);
    int n = 0, err = 0;
    char nm[64];
    for (n = 0; n < 300; n++) {
      snprintf(nm, sizeof nm, "%s%d", prefix, n);
      mqd_t m = mq_open(nm, O_CREAT | O_RDWR, 0600, &s);
      if (m < 0) {
        err = errno;
        break;
      }
      close(m);
    }
    check(err == ENOSPC && n > 0 && n <= 256, "limits: queues_max 256: ENOSPC");
    for (int i = 0; i < n; i++) {
      snprintf(nm, sizeof nm, "%s%d", prefix, i);
      mq_unlink(nm);
    }
    _exit(failures ? 1 : 0);
  }
  reap(pid, "limits: child passed");
}

static char status_line[128];
static const char *status(mqd_t q) {
  memset(status_line, 0, sizeof status_line);
  ssize_t n = pread(q, status_line, sizeof status_line - 1, 0);
  if (n < 0) snprintf(status_line, sizeof status_line, "read failed %d", errno);
  return status_line;
}

static const char *expect_line(long qsize, int notify, int signo, int pid) {
  static char buf[128];
  snprintf(buf, sizeof buf, "QSIZE:%-10ld NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", qsize, notify, signo, pid);
  return buf;
}

static int signal_within(int sig, int ms, siginfo_t *si) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  return sigtimedwait(&set, si, &ts) == sig;
}

static void notify(void) {
  const char *name = qname("notify");
  struct mq_attr a = mkattr(4, 32);
  mqd_t q = mq_open(name, O_CREAT | O_RDWR, 0600, &a);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGMQ);
  sigprocmask(SIG_BLOCK, &set, NULL);
  int me = getpid();
  char buf[32];
  siginfo_t si;

  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGMQ;
  ev.sigev_value.sival_ptr = (void *)0x1234567890abcdefUL;
  check(mq_notify(q, &ev) == 0, "notify: register SIGEV_SIGNAL");
  check(strcmp(status(q), expect_line(0, SIGEV_SIGNAL, SIGMQ, me)) == 0, "notify: status line shows the registration");
  CHECK_ERR(mq_notify(q, &ev), EBUSY, "notify: a second registration is EBUSY");

  pid_t pid = fork();
  if (pid == 0) {
    failures = 0;
    struct sigevent e2 = ev;
    CHECK_ERR(mq_notify(q, &e2), EBUSY, "notify: another process gets EBUSY");
    check(mq_notify(q, NULL) == 0, "notify: NULL from a non-owner succeeds");
    mq_send(q, "ping", 4, 2);
    _exit(failures ? 1 : 0);
  }
  memset(&si, 0, sizeof si);
  check(signal_within(SIGMQ, 5000, &si), "notify: the signal arrives");
  check(si.si_code == SI_MESGQ, "notify: si_code SI_MESGQ");
  check(si.si_pid == pid, "notify: si_pid is the sender");
  check(si.si_uid == getuid(), "notify: si_uid is the sender's");
  check(si.si_value.sival_ptr == (void *)0x1234567890abcdefUL, "notify: si_value");
  reap(pid, "notify: child sender passed");
  check(strcmp(status(q), expect_line(4, 0, 0, 0)) == 0, "notify: registration cleared after firing");

  check(mq_notify(q, &ev) == 0, "notify: register again on a non-empty queue");
  mq_send(q, "more", 4, 0);
  check(!signal_within(SIGMQ, 100, &si), "notify: non-empty -> non-empty does not fire");
  check(strcmp(status(q), expect_line(8, SIGEV_SIGNAL, SIGMQ, me)) == 0, "notify: still registered");
  mq_receive(q, buf, 32, NULL);
  mq_receive(q, buf, 32, NULL);

  pid = fork();
  if (pid == 0) {
    char b[32];
    ssize_t n = mq_receive(q, b, 32, NULL);
    _exit(n == 6 && memcmp(b, "direct", 6) == 0 ? 0 : 1);
  }
  msleep(200);
  mq_send(q, "direct", 6, 0);
  reap(pid, "notify: a waiting receiver takes the message");
  check(!signal_within(SIGMQ, 100, &si), "notify: no signal while a receiver waits");
  check(strcmp(status(q), expect_line(0, SIGEV_SIGNAL, SIGMQ, me)) == 0, "notify: still registered after the hand-over");

  check(mq_notify(q, NULL) == 0 && strcmp(status(q), expect_line(0, 0, 0, 0)) == 0, "notify: NULL unregisters");

  ev.sigev_notify = SIGEV_NONE;
  check(mq_notify(q, &ev) == 0, "notify: register SIGEV_NONE");
  check(strcmp(status(q), expect_line(0, SIGEV_NONE, 0, me)) == 0, "notify: SIGEV_NONE status line");
  mq_send(q, "n", 1, 0);
  check(!signal_within(SIGMQ, 100, &si), "notify: SIGEV_NONE sends nothing");
  check(strcmp(status(q), expect_line(1, 0, 0, 0)) == 0, "notify: SIGEV_NONE is cleared by the send");
  mq_receive(q, buf, 32, NULL);

  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = 0;
  check(mq_notify(q, &ev) == 0, "notify: signal 0 is accepted");
  mq_send(q, "z", 1, 0);
  check(strcmp(status(q), expect_line(1, 0, 0, 0)) == 0, "notify: signal 0 fires nothing and clears");
  mq_receive(q, buf, 32, NULL);

  ev.sigev_signo = 65;
  CHECK_ERR(mq_notify(q, &ev), EINVAL, "notify: signal 65 is EINVAL");
  ev.sigev_signo = SIGMQ;
  ev.sigev_notify = 7;
  CHECK_ERR(mq_notify(q, &ev), EINVAL, "notify: unknown sigev_notify is EINVAL");
  int p[2];
  if (pipe(p) != 0) exit(2);
  ev.sigev_notify = SIGEV_SIGNAL;
  CHECK_ERR(mq_notify(p[0], &ev), EBADF, "notify: a pipe is EBADF");
  CHECK_ERR(syscall(SYS_mq_notify, q, (void *)8), EFAULT, "notify: bad sigevent pointer is EFAULT");

  /* SIGEV_THREAD through the raw call: sigev_signo names the netlink socket, sival_ptr the cookie. */
  char cookie[32] = {0};
  ev.sigev_notify = SIGEV_THREAD;
  ev.sigev_value.sival_ptr = NULL;
  ev.sigev_signo = p[0];
  CHECK_ERR(syscall(SYS_mq_notify, q, &ev), EFAULT, "thread: the cookie is read first (EFAULT)");
  ev.sigev_value.sival_ptr = cookie;
  ev.sigev_signo = 999;
  CHECK_ERR(syscall(SYS_mq_notify, q, &ev), EBADF, "thread: a closed fd is EBADF");
  ev.sigev_signo = p[0];
  CHECK_ERR(syscall(SYS_mq_notify, q, &ev), ENOTSOCK, "thread: a pipe is ENOTSOCK");
  int s = socket(AF_UNIX, SOCK_DGRAM, 0);
  ev.sigev_signo = s;
  CHECK_ERR(syscall(SYS_mq_notify, q, &ev), EINVAL, "thread: a non-netlink socket is EINVAL");
  close(s);
  close(p[0]);
  close(p[1]);

  /* Closing the owner's descriptor drops its registration (mqueue_flush_file). */
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGMQ;
  check(mq_notify(q, &ev) == 0, "notify: register before close");
  mq_close(q);
  q = mq_open(name, O_RDWR);
  check(strcmp(status(q), expect_line(0, 0, 0, 0)) == 0, "notify: close dropped the registration");

  /* A registration dies with its process. */
  pid = fork();
  if (pid == 0) {
    mqd_t c = mq_open(name, O_RDWR);
    _exit(mq_notify(c, &ev) == 0 ? 0 : 1);
  }
  reap(pid, "notify: a child registered and exited");
  check(mq_notify(q, &ev) == 0, "notify: registration free after the owner exited");
  mq_notify(q, NULL);
  mq_close(q);
  mq_unlink(name);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  names();
  limits();
  notify();
  return finish();
}
