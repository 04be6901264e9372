/*
 * I/O multiplexing through compat syscalls from a 64-bit task (bit 31 of x8): poll (168) and its
 * restart rules, _newselect (142) with 4-byte fd_set words and an 8-byte old_timeval32 written back,
 * ppoll/pselect6 with old_timespec32 and the 8-byte { sigset pointer, size } pack, their time64
 * twins, epoll_create/ctl/wait/pwait/pwait2 (16-byte epoll_event as on arm64), eventfd/eventfd2.
 * Every pointer is below 4 GiB (static data). qemu-aarch64 does not implement compat calls, so
 * this program runs under compat64 alone and checks Linux's rules directly.
 */
#include "check.h"

#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "../../../include/compat64/compat_syscall.h"

static int p[2];
static struct pollfd fds[2];
static unsigned char sets[3][16];
static int32_t tv32[2];
static int32_t ts32[2];
static int64_t ts64[2];
static uint32_t pack32[2];
static uint64_t mask;
static struct epoll_event ev, out[4];
static uint64_t counter;

static void on_alarm(int sig) {
  (void)sig;
}

static void arm_ms(int ms) {
  struct itimerval it = {{0, 0}, {0, ms * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
}

static unsigned long addr(const void *ptr) {
  return (unsigned long)ptr;
}

int main(void) {
  check(addr(&counter) < 0xffffffffUL, "static data lies below 4 GiB");
  check_eq(compat_syscall(__NR_compat_pipe2, addr(p), O_NONBLOCK), 0, "compat pipe2");

  /* poll */
  fds[0] = (struct pollfd){p[0], POLLIN, 0};
  fds[1] = (struct pollfd){p[1], POLLOUT, 0};
  check_eq(compat_syscall(__NR_compat_poll, addr(fds), 2, 0), 1, "compat poll: the write end is ready");
  check(fds[0].revents == 0 && fds[1].revents == POLLOUT, "revents");
  install(SIGALRM, on_alarm, SA_RESTART);
  arm_ms(30);
  check_eq(compat_syscall(__NR_compat_poll, addr(fds), 1, -1), -EINTR,
           "compat poll interrupted, SA_RESTART or not: -EINTR (zero-extended)");

  /* _newselect: compat_ulong_t words, old_timeval32 */
  memset(sets, 0xee, sizeof sets);
  memset(sets[1], 0, 4);
  sets[1][p[1] / 8] |= 1 << (p[1] % 8);
  tv32[0] = 2;
  tv32[1] = 0;
  check_eq(compat_syscall(__NR_compat__newselect, p[1] + 1, 0, addr(sets[1]), 0, addr(tv32)), 1,
           "compat select: writable");
  check(sets[1][p[1] / 8] == 1 << (p[1] % 8) && sets[1][4] == 0xee, "one 4-byte word written back");
  check(tv32[0] == 1 && tv32[1] > 500000, "old_timeval32 time left written");
  memset(sets[0], 0, 4);
  sets[0][p[0] / 8] |= 1 << (p[0] % 8);
  tv32[0] = 0;
  tv32[1] = 20000;
  check_eq(compat_syscall(__NR_compat__newselect, p[0] + 1, addr(sets[0]), 0, 0, addr(tv32)), 0,
           "compat select times out");
  check(tv32[0] == 0 && tv32[1] == 0, "nothing left");

  /* ppoll and pselect6 (time32) */
  ts32[0] = 3;
  ts32[1] = 0;
  check_eq(compat_syscall(__NR_compat_ppoll, addr(&fds[1]), 1, addr(ts32), 0, 8), 1, "compat ppoll: ready");
  check(ts32[0] == 2 && ts32[1] > 500000000, "old_timespec32 time left written");
  ts32[1] = -1;
  check_eq(compat_syscall(__NR_compat_ppoll, addr(fds), 1, addr(ts32), 0, 8), -EINVAL, "tv_nsec -1: -EINVAL");
  sigset_t alrm;
  sigemptyset(&alrm);
  sigaddset(&alrm, SIGALRM);
  sigprocmask(SIG_BLOCK, &alrm, NULL);
  arm_ms(20);
  mask = 0;
  pack32[0] = (uint32_t)addr(&mask);
  pack32[1] = 8;
  memset(sets[0], 0, 4);
  sets[0][p[0] / 8] |= 1 << (p[0] % 8);
  check_eq(compat_syscall(__NR_compat_pselect6, p[0] + 1, addr(sets[0]), 0, 0, 0, addr(pack32)), -EINTR,
           "compat pselect6 takes its mask from the 8-byte pack: the blocked SIGALRM interrupts it");
  pack32[1] = 16;
  check_eq(compat_syscall(__NR_compat_pselect6, p[0] + 1, addr(sets[0]), 0, 0, 0, addr(pack32)), -EINVAL,
           "sigset size 16: -EINVAL");
  sigprocmask(SIG_UNBLOCK, &alrm, NULL);

  /* time64 twins */
  ts64[0] = 0;
  ts64[1] = (int64_t)0x700000000 | 1000;
  check_eq(compat_syscall(__NR_compat_ppoll_time64, addr(fds), 1, addr(ts64), 0, 8), 0,
           "compat ppoll_time64 ignores tv_nsec's upper half");
  memset(sets[0], 0, 8);
  sets[0][p[0] / 8] |= 1 << (p[0] % 8);
  ts64[0] = 0;
  ts64[1] = 1000;
  check_eq(compat_syscall(__NR_compat_pselect6_time64, p[0] + 1, addr(sets[0]), 0, 0, addr(ts64), 0), 0,
           "compat pselect6_time64 times out");

  /* epoll and eventfd */
  check_eq(compat_syscall(__NR_compat_epoll_create, 0), -EINVAL, "compat epoll_create(0): -EINVAL");
  long ep = compat_syscall(__NR_compat_epoll_create, 1);
  check(ep >= 0, "compat epoll_create(1)");
  long efd = compat_syscall(__NR_compat_eventfd, 2);
  check(efd >= 0, "compat eventfd(2)");
  long efd2 = compat_syscall(__NR_compat_eventfd2, 0, EFD_SEMAPHORE);
  check(efd2 >= 0, "compat eventfd2(0, EFD_SEMAPHORE)");
  ev.events = EPOLLIN;
  ev.data.u64 = 0x1122334455667788ull;
  check_eq(compat_syscall(__NR_compat_epoll_ctl, ep, EPOLL_CTL_ADD, efd, addr(&ev)), 0, "compat epoll_ctl ADD");
  check_eq(compat_syscall(__NR_compat_epoll_wait, ep, addr(out), 4, 0), 1, "compat epoll_wait");
  check(out[0].events == EPOLLIN && out[0].data.u64 == 0x1122334455667788ull,
        "a 16-byte epoll_event, data at offset 8");
  check_eq(compat_syscall(__NR_compat_read, efd, addr(&counter), 8), 8, "compat read of the eventfd");
  check_eq((long)counter, 2, "counter 2");
  check_eq(compat_syscall(__NR_compat_epoll_pwait, ep, addr(out), 4, 0, 0, 8), 0, "compat epoll_pwait: nothing");
  ts64[0] = 0;
  ts64[1] = 1000000;
  check_eq(compat_syscall(__NR_compat_epoll_pwait2, ep, addr(out), 4, addr(ts64), 0, 8), 0,
           "compat epoll_pwait2 (64-bit timespec) times out");
  long ep1 = compat_syscall(__NR_compat_epoll_create1, EPOLL_CLOEXEC);
  check(ep1 >= 0 && fcntl((int)ep1, F_GETFD) == FD_CLOEXEC, "compat epoll_create1(EPOLL_CLOEXEC)");
  long all[] = {ep, efd, efd2, ep1, p[0], p[1]};
  for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++) close((int)all[i]);
  return finish();
}
