/*
 * eventfd in one task: the counter, EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC, the 8-byte rules,
 * the 2^64 - 2 ceiling, poll bits, a blocking read ended by SIGALRM (EINTR without SA_RESTART,
 * restarted with it and fed by the handler), and /proc/self/fd's name.
 */
#include "check.h"

#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>


static int efd_for_handler = -1;

static void on_alarm(int sig) {
  (void)sig;
  if (efd_for_handler >= 0) {
    uint64_t one = 1;
    if (write(efd_for_handler, &one, 8) != 8) _exit(3);
  }
}

static void arm_ms(int ms) {
  struct itimerval it = {{0, 0}, {0, ms * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
}

static short revents(int fd, short events) {
  struct pollfd p = {fd, events, 0};
  return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

int main(void) {
  uint64_t v = 0;
  int efd = eventfd(3, EFD_NONBLOCK);
  check(efd >= 0, "eventfd(3, EFD_NONBLOCK)");
  check_eq(read(efd, &v, 8), 8, "read takes the counter");
  check_eq((long)v, 3, "value 3");
  check_err(read(efd, &v, 8), EAGAIN, "empty counter: EAGAIN");
  check_err(read(efd, &v, 4), EINVAL, "a 4-byte read: EINVAL");
  check_err(write(efd, &v, 7), EINVAL, "a 7-byte write: EINVAL");
  check_eq(revents(efd, POLLIN | POLLOUT), POLLOUT, "empty: writable only");
  v = UINT64_MAX;
  check_err(write(efd, &v, 8), EINVAL, "writing 2^64 - 1: EINVAL");
  v = UINT64_MAX - 2;
  check_eq(write(efd, &v, 8), 8, "2^64 - 3 added");
  check_eq(revents(efd, POLLIN | POLLOUT), POLLIN | POLLOUT, "room for one more");
  v = 1;
  check_eq(write(efd, &v, 8), 8, "now 2^64 - 2");
  check_eq(revents(efd, POLLIN | POLLOUT), POLLIN, "full: readable only");
  check_err(write(efd, &v, 8), EAGAIN, "no room: EAGAIN");
  uint64_t two[2] = {0, 7};
  check_eq(read(efd, two, 16), 8, "a 16-byte read returns 8");
  check(two[0] == UINT64_MAX - 1 && two[1] == 7, "the whole counter, nothing past 8 bytes");
  close(efd);

  efd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
  check(efd >= 0, "eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC)");
  check_eq(fcntl(efd, F_GETFD), FD_CLOEXEC, "close-on-exec set");
  check_eq(fcntl(efd, F_GETFL) & (O_NONBLOCK | O_ACCMODE), O_NONBLOCK | O_RDWR, "O_RDWR | O_NONBLOCK");
  check(read(efd, &v, 8) == 8 && v == 1, "semaphore read: 1");
  check(read(efd, &v, 8) == 8 && v == 1, "semaphore read: 1 again");
  check_err(read(efd, &v, 8), EAGAIN, "semaphore empty");
  char link[64] = {0};
  char path[32];
  snprintf(path, sizeof path, "/proc/self/fd/%d", efd);
  check(readlink(path, link, sizeof link - 1) > 0 && strcmp(link, "anon_inode:[eventfd]") == 0,
        "/proc/self/fd names it anon_inode:[eventfd]");
  close(efd);
  check_err(syscall(SYS_eventfd2, 0, 0x10), EINVAL, "unknown flag: EINVAL");

  efd = eventfd(0, 0);
  install(SIGALRM, on_alarm, 0);
  arm_ms(30);
  check_err(read(efd, &v, 8), EINTR, "blocking read interrupted without SA_RESTART: EINTR");
  efd_for_handler = efd;
  install(SIGALRM, on_alarm, SA_RESTART);
  arm_ms(30);
  check(read(efd, &v, 8) == 8 && v == 1, "with SA_RESTART the read restarts and gets the handler's 1");
  close(efd);
  return finish();
}
