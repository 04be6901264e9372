/*
 * pidfds as Linux 6.1 has them: pidfd_open, the [pidfd] file (flags, fdinfo, poll once the process
 * has exited), pidfd_send_signal (siginfo rules) and pidfd_getfd (close-on-exec copy, ptrace access).
 */
#include "check.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int pidfd_open(pid_t pid, unsigned flags) { return (int)syscall(SYS_pidfd_open, pid, flags); }
static int pidfd_send_signal(int fd, int sig, siginfo_t *info, unsigned flags) {
  return (int)syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}
static int pidfd_getfd(int fd, int target, unsigned flags) { return (int)syscall(SYS_pidfd_getfd, fd, target, flags); }

#define CHECK_ERR(expr, err, name)                                    \
  do {                                                                \
    errno = 0;                                                        \
    long r_ = (long)(expr);                                           \
    int e_ = errno;                                                   \
    if (r_ == -1 && e_ == (err))                                      \
      check(1, name);                                                 \
    else {                                                            \
      printf("FAIL %s (got %ld errno %d, want errno %d)\n", name, r_, e_, (err)); \
      failures++;                                                     \
    }                                                                 \
  } while (0)

static int poll_in(int fd, int timeout) {
  struct pollfd p = {.fd = fd, .events = POLLIN};
  int n = poll(&p, 1, timeout);
  return n == 1 ? p.revents : n;
}

static volatile pid_t thread_tid;
static volatile int thread_go;
static void *thread_fn(void *arg) {
  (void)arg;
  thread_tid = (pid_t)syscall(SYS_gettid);
  while (!thread_go) usleep(1000);
  return NULL;
}

static void test_open(void) {
  int fd = pidfd_open(getpid(), 0);
  check(fd >= 0, "pidfd_open(self)");
  check_eq(fcntl(fd, F_GETFD), FD_CLOEXEC, "pidfd is close-on-exec");
  check_eq(fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR, "pidfd is O_RDWR");
  char path[64], link[64] = {0};
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  check(readlink(path, link, sizeof link - 1) > 0 && strcmp(link, "anon_inode:[pidfd]") == 0, "fd link anon_inode:[pidfd]");
  char info[512] = {0}, want[64];
  snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
  int ifd = open(path, O_RDONLY);
  check(ifd >= 0 && read(ifd, info, sizeof info - 1) > 0, "read fdinfo");
  close(ifd);
  snprintf(want, sizeof want, "\nPid:\t%d\nNSpid:\t%d\n", getpid(), getpid());
  check(strstr(info, want) != NULL, "fdinfo Pid/NSpid");
  check(strstr(info, "flags:\t02000002\n") != NULL, "fdinfo flags 02000002");
  char buf[8];
  CHECK_ERR(read(fd, buf, sizeof buf), EINVAL, "read(pidfd) EINVAL");
  check_eq(poll_in(fd, 0), 0, "poll(live self) not ready");
  close(fd);

  fd = pidfd_open(getpid(), O_NONBLOCK);
  check(fd >= 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK), "PIDFD_NONBLOCK sets O_NONBLOCK");
  close(fd);
  CHECK_ERR(pidfd_open(getpid(), 1), EINVAL, "unknown flag EINVAL");
  CHECK_ERR(pidfd_open(getpid(), O_CLOEXEC), EINVAL, "O_CLOEXEC flag EINVAL");
  CHECK_ERR(pidfd_open(0, 0), EINVAL, "pid 0 EINVAL");
  CHECK_ERR(pidfd_open(-1, 0), EINVAL, "pid -1 EINVAL");
  CHECK_ERR(pidfd_open(4000000, 0), ESRCH, "no such pid ESRCH");

  pthread_t th;
  pthread_create(&th, NULL, thread_fn, NULL);
  while (thread_tid == 0) usleep(1000);
  /* 6.1: EINVAL (no PIDFD_THREAD yet); newer hosts answer ENOENT. */
  errno = 0;
  int tr = pidfd_open(thread_tid, 0);
  check_linux(tr == -1 && errno == EINVAL, "pidfd_open(non-leader thread) EINVAL");
  thread_go = 1;
  pthread_join(th, NULL);
}

static volatile int got_sig, got_code, got_val, got_pid;
static void on_usr(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  got_sig = sig;
  got_code = si->si_code;
  got_val = si->si_value.sival_int;
  got_pid = si->si_pid;
}

static void test_exit_and_signal(void) {
  int pipefd[2];
  if (pipe(pipefd) != 0) exit(2);
  pid_t child = fork();
  if (child == 0) {
    install(SIGUSR1, on_usr, 0);
    alarm(20); /* never outlive a parent whose signal did not come */
    close(pipefd[0]);
    if (write(pipefd[1], "r", 1) != 1) _exit(3);
    while (!got_sig) pause();
    /* Report what arrived: code and value. */
    _exit(got_code == SI_QUEUE && got_val == 42 ? 7 : 8);
  }
  close(pipefd[1]);
  char c;
  if (read(pipefd[0], &c, 1) != 1) exit(2);
  int fd = pidfd_open(child, 0);
  check(fd >= 0, "pidfd_open(child)");
  check_eq(poll_in(fd, 0), 0, "poll(live child) not ready");

  CHECK_ERR(pidfd_send_signal(fd, SIGUSR1, NULL, 0x10), EINVAL, "send_signal flags EINVAL");
  CHECK_ERR(pidfd_send_signal(-1, SIGUSR1, NULL, 0), EBADF, "send_signal fd -1 EBADF");
  CHECK_ERR(pidfd_send_signal(pipefd[0], SIGUSR1, NULL, 0), EBADF, "send_signal non-pidfd EBADF");
  check_eq(pidfd_send_signal(fd, 0, NULL, 0), 0, "send_signal sig 0");
  CHECK_ERR(pidfd_send_signal(fd, 99, NULL, 0), EINVAL, "send_signal sig 99 EINVAL");

  /* An open /proc/<tgid> directory names the process for pidfd_send_signal, not for pidfd_getfd. */
  char dpath[64];
  snprintf(dpath, sizeof dpath, "/proc/%d", child);
  int procfd = open(dpath, O_RDONLY | O_DIRECTORY);
  check_eq(pidfd_send_signal(procfd, 0, NULL, 0), 0, "send_signal through /proc/<pid> dir");
  CHECK_ERR(pidfd_getfd(procfd, 0, 0), EBADF, "getfd through /proc/<pid> dir EBADF");
  close(procfd);
  snprintf(dpath, sizeof dpath, "/proc/%d/task", child);
  procfd = open(dpath, O_RDONLY | O_DIRECTORY);
  CHECK_ERR(pidfd_send_signal(procfd, 0, NULL, 0), EBADF, "send_signal through /proc/<pid>/task EBADF");
  close(procfd);

  siginfo_t si;
  memset(&si, 0, sizeof si);
  si.si_signo = SIGUSR2;
  si.si_code = SI_QUEUE;
  CHECK_ERR(pidfd_send_signal(fd, SIGUSR1, &si, 0), EINVAL, "siginfo signo mismatch EINVAL");
  si.si_signo = SIGUSR1;
  si.si_code = SI_USER;
  CHECK_ERR(pidfd_send_signal(fd, SIGUSR1, &si, 0), EPERM, "si_code SI_USER to another EPERM");
  si.si_code = SI_TKILL;
  CHECK_ERR(pidfd_send_signal(fd, SIGUSR1, &si, 0), EPERM, "si_code SI_TKILL to another EPERM");
  si.si_code = SI_QUEUE;
  si.si_pid = 12345;
  si.si_value.sival_int = 42;
  check_eq(pidfd_send_signal(fd, SIGUSR1, &si, 0), 0, "SI_QUEUE siginfo to child");

  int r = poll_in(fd, 10000);
  check((r & POLLIN) != 0, "poll(exited child) POLLIN");
  if (!(r & POLLIN)) kill(child, SIGKILL);
  int st;
  check_eq(waitpid(child, &st, __WALL), child, "waitpid child");
  check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "child got SI_QUEUE value 42");
  check((poll_in(fd, 0) & POLLIN) != 0, "poll(reaped child) POLLIN");
  CHECK_ERR(pidfd_send_signal(fd, SIGUSR1, NULL, 0), ESRCH, "send_signal to reaped ESRCH");
  CHECK_ERR(pidfd_getfd(fd, 0, 0), ESRCH, "getfd from reaped ESRCH");
  char path[64], info[512] = {0};
  snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
  int ifd = open(path, O_RDONLY);
  check(ifd >= 0 && read(ifd, info, sizeof info - 1) > 0, "read fdinfo of reaped");
  close(ifd);
  check(strstr(info, "\nPid:\t-1\n") != NULL, "fdinfo Pid -1 once reaped");
  close(fd);
  close(pipefd[0]);

  /* A zombie still has a pidfd. */
  child = fork();
  if (child == 0) _exit(0);
  siginfo_t wi;
  memset(&wi, 0, sizeof wi);
  waitid(P_PID, child, &wi, WEXITED | WNOWAIT);
  fd = pidfd_open(child, 0);
  check(fd >= 0, "pidfd_open(zombie)");
  check((poll_in(fd, 0) & POLLIN) != 0, "poll(zombie) POLLIN");
  check_eq(pidfd_send_signal(fd, SIGUSR1, NULL, 0), 0, "send_signal to zombie 0");
  waitpid(child, &st, 0);
  CHECK_ERR(pidfd_open(child, 0), ESRCH, "pidfd_open(reaped) ESRCH");
  close(fd);

  /* To self: any si_code, delivered with the given siginfo. */
  install(SIGUSR1, on_usr, 0);
  got_sig = 0;
  fd = pidfd_open(getpid(), 0);
  memset(&si, 0, sizeof si);
  si.si_signo = SIGUSR1;
  si.si_code = SI_USER;
  si.si_pid = 4242;
  check_eq(pidfd_send_signal(fd, SIGUSR1, &si, 0), 0, "SI_USER siginfo to self");
  check(got_sig == SIGUSR1 && got_code == SI_USER && got_pid == 4242, "self got the given siginfo");
  got_sig = 0;
  check_eq(pidfd_send_signal(fd, SIGUSR1, NULL, 0), 0, "no siginfo to self");
  check(got_sig == SIGUSR1 && got_code == SI_USER && got_pid == getpid(), "kill-like siginfo (SI_USER, pid)");
  close(fd);
}

static void test_getfd(void) {
  int ready[2], done[2];
  if (pipe(ready) != 0 || pipe(done) != 0) exit(2);
  pid_t child = fork();
  if (child == 0) {
    int n = open("/dev/null", O_WRONLY);
    if (dup2(n, 40) != 40) _exit(3);
    if (write(ready[1], "r", 1) != 1) _exit(3);
    char c;
    if (read(done[0], &c, 1) != 1) _exit(3);
    _exit(0);
  }
  char c;
  if (read(ready[0], &c, 1) != 1) exit(2);
  int fd = pidfd_open(child, 0);
  int got = pidfd_getfd(fd, 40, 0);
  check(got >= 0, "pidfd_getfd(child, 40)");
  check_eq(fcntl(got, F_GETFD), FD_CLOEXEC, "got fd is close-on-exec");
  check_eq(fcntl(got, F_GETFL) & O_ACCMODE, O_WRONLY, "got fd is the child's O_WRONLY file");
  check_eq(write(got, "x", 1), 1, "write through the got fd");
  CHECK_ERR(pidfd_getfd(fd, 40, 1), EINVAL, "getfd flags EINVAL");
  CHECK_ERR(pidfd_getfd(fd, 41, 0), EBADF, "getfd of a closed fd EBADF");
  CHECK_ERR(pidfd_getfd(fd, -1, 0), EBADF, "getfd of fd -1 EBADF");
  CHECK_ERR(pidfd_getfd(ready[0], 40, 0), EBADF, "getfd through a non-pidfd EBADF");
  CHECK_ERR(pidfd_getfd(-1, 40, 0), EBADF, "getfd pidfd -1 EBADF");

  /* Another uid may not take the root parent's fds (PTRACE_MODE_ATTACH_REALCREDS). */
  int self = pidfd_open(getpid(), 0);
  pid_t other = fork();
  if (other == 0) {
    if (setresgid(1000, 1000, 1000) != 0 || setresuid(1000, 1000, 1000) != 0) _exit(3);
    errno = 0;
    int r = pidfd_getfd(self, 0, 0);
    _exit(r == -1 && errno == EPERM ? 0 : 4);
  }
  int st;
  waitpid(other, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "getfd across uids EPERM");
  close(self);
  if (write(done[1], "d", 1) != 1) exit(2);
  waitpid(child, &st, 0);
  close(got);
  close(fd);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  test_open();
  test_exit_and_signal();
  test_getfd();
  return finish();
}
