/*
 * The pidfd uses that need the process code: waitid(P_PIDFD) (blocking, WNOHANG from a
 * PIDFD_NONBLOCK pidfd: EAGAIN, EBADF/EINVAL) and clone's CLONE_PIDFD (clone and clone3).
 */
#include "check.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int pidfd_open(pid_t pid, unsigned flags) { return (int)syscall(SYS_pidfd_open, pid, flags); }

#define CHECK_ERR(expr, err, name)                                                  \
  do {                                                                              \
    errno = 0;                                                                      \
    long r_ = (long)(expr);                                                         \
    int e_ = errno;                                                                 \
    if (r_ == -1 && e_ == (err))                                                    \
      check(1, name);                                                               \
    else {                                                                          \
      printf("FAIL %s (got %ld errno %d, want errno %d)\n", name, r_, e_, (err)); \
      failures++;                                                                   \
    }                                                                               \
  } while (0)

static void test_waitid(void) {
  int go[2];
  if (pipe(go) != 0) exit(2);
  pid_t child = fork();
  if (child == 0) {
    char c;
    if (read(go[0], &c, 1) != 1) _exit(3);
    _exit(5);
  }
  close(go[0]);
  int fd = pidfd_open(child, 0);
  int nb = pidfd_open(child, O_NONBLOCK);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  check_eq(waitid(P_PIDFD, fd, &si, WEXITED | WNOHANG), 0, "waitid(P_PIDFD, WNOHANG) live: 0");
  check_eq(si.si_pid, 0, "nothing reported yet");
  CHECK_ERR(waitid(P_PIDFD, nb, &si, WEXITED), EAGAIN, "waitid(P_PIDFD nonblocking) live: EAGAIN");
  CHECK_ERR(waitid(P_PIDFD, go[1], &si, WEXITED), EBADF, "waitid(P_PIDFD, pipe) EBADF");
  CHECK_ERR(waitid(P_PIDFD, 999, &si, WEXITED), EBADF, "waitid(P_PIDFD, closed fd) EBADF");
  CHECK_ERR(waitid(P_PIDFD, -1, &si, WEXITED), EINVAL, "waitid(P_PIDFD, -1) EINVAL");
  if (write(go[1], "g", 1) != 1) exit(2);
  memset(&si, 0, sizeof si);
  check_eq(waitid(P_PIDFD, fd, &si, WEXITED), 0, "waitid(P_PIDFD) blocks until exit");
  check(si.si_pid == child && si.si_code == CLD_EXITED && si.si_status == 5, "waitid(P_PIDFD) siginfo");
  CHECK_ERR(waitid(P_PIDFD, fd, &si, WEXITED), ECHILD, "waitid(P_PIDFD) reaped: ECHILD");
  int self = pidfd_open(getpid(), 0);
  CHECK_ERR(waitid(P_PIDFD, self, &si, WEXITED | WNOHANG), ECHILD, "waitid(P_PIDFD self) ECHILD");
  close(self);
  close(fd);
  close(nb);
  close(go[1]);
}

static void test_clone_pidfd(void) {
  int pidfd = -1;
  /* clone(flags, stack, parent_tid (the pidfd slot), tls, child_tid) on arm64. */
  long pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pidfd, 0, 0);
  if (pid == 0) _exit(9);
  check(pid > 0 && pidfd >= 0, "clone(CLONE_PIDFD) fills the pidfd");
  check_eq(fcntl(pidfd, F_GETFD), FD_CLOEXEC, "clone pidfd is close-on-exec");
  struct pollfd p = {.fd = pidfd, .events = POLLIN};
  check(poll(&p, 1, 10000) == 1 && (p.revents & POLLIN), "clone pidfd polls POLLIN at exit");
  siginfo_t si;
  memset(&si, 0, sizeof si);
  check(waitid(P_PIDFD, pidfd, &si, WEXITED) == 0 && si.si_pid == pid && si.si_status == 9, "waitid on clone pidfd");
  close(pidfd);

  int tid = -1;
  CHECK_ERR(syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &tid, 0, 0), EINVAL,
            "clone(CLONE_PIDFD|CLONE_PARENT_SETTID same slot) EINVAL");
  CHECK_ERR(syscall(SYS_clone, CLONE_PIDFD | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, 0, &tid, 0, 0), EINVAL,
            "clone(CLONE_PIDFD|CLONE_THREAD) EINVAL");

  struct clone_args ca;
  memset(&ca, 0, sizeof ca);
  uint64_t fd64 = ~0ull;
  ca.flags = CLONE_PIDFD;
  ca.pidfd = (uint64_t)(uintptr_t)&fd64;
  ca.exit_signal = SIGCHLD;
  pid = syscall(SYS_clone3, &ca, sizeof ca);
  if (pid == 0) _exit(4);
  int cfd = (int)(fd64 & 0xffffffff);
  check(pid > 0 && cfd >= 0, "clone3(CLONE_PIDFD) fills the pidfd");
  check((fd64 >> 32) == 0xffffffffu, "clone3 writes an int (4 bytes)");
  memset(&si, 0, sizeof si);
  check(waitid(P_PIDFD, cfd, &si, WEXITED) == 0 && si.si_pid == pid && si.si_status == 4, "waitid on clone3 pidfd");
  close(cfd);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  test_waitid();
  test_clone_pidfd();
  return finish();
}
