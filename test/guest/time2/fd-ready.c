/*
 * Readiness of timerfd and signalfd for poll, select and epoll: not ready before the expiry or the
 * signal, POLLIN after, not ready again once read; a poll, select or epoll_wait asleep on them is
 * woken by the expiry, by a signal queued by kill or by a POSIX timer; an edge-triggered epoll sees a
 * periodic timerfd once until it is read (the expired timer is re-armed only by the read).
 */
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "../signals/check.h"

#define MS 1000000L

static long mono_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void arm(int fd, long ins, long vns) {
  struct itimerspec its = {{0, ins}, {0, vns}};
  timerfd_settime(fd, 0, &its, NULL);
}

static int poll1(int fd, int timeout_ms) {
  struct pollfd p = {fd, POLLIN, 0};
  int r = poll(&p, 1, timeout_ms);
  return r == 1 ? p.revents : r;
}

static void timerfd_poll(void) {
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  check_eq(poll1(fd, 0), 0, "timerfd never set: not ready");
  long t0 = mono_ns();
  arm(fd, 0, 30 * MS);
  check_eq(poll1(fd, 0), 0, "before the expiry: not ready");
  check_eq(poll1(fd, 5000), POLLIN, "poll asleep on it is woken by the expiry: POLLIN");
  check(mono_ns() - t0 >= 30 * MS, "not before the expiry");
  uint64_t n;
  check(read(fd, &n, 8) == 8 && n == 1, "read: 1");
  check_eq(poll1(fd, 0), 0, "read: not ready again");

  arm(fd, 0, 20 * MS);
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(fd, &rd);
  struct timeval tv = {5, 0};
  check(select(fd + 1, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(fd, &rd), "select asleep on it is woken by the expiry");
  read(fd, &n, 8);
  close(fd);
}

static void signalfd_poll(void) {
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigaddset(&m, SIGUSR2);
  sigprocmask(SIG_BLOCK, &m, NULL);
  int fd = signalfd(-1, &m, SFD_NONBLOCK);
  check_eq(poll1(fd, 0), 0, "signalfd, nothing pending: not ready");
  kill(getpid(), SIGUSR1);
  check_eq(poll1(fd, 0), POLLIN, "a signal of the mask pending: POLLIN");
  struct signalfd_siginfo r;
  check(read(fd, &r, sizeof r) == sizeof r, "read it");
  check_eq(poll1(fd, 0), 0, "read: not ready again");

  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR2;
  int id = -1;
  syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id);
  struct itimerspec its = {{0, 0}, {0, 20 * MS}};
  syscall(SYS_timer_settime, id, 0, &its, NULL);
  check_eq(poll1(fd, 5000), POLLIN, "poll asleep on a signalfd is woken by a POSIX timer's signal");
  check(read(fd, &r, sizeof r) == sizeof r && r.ssi_signo == SIGUSR2 && r.ssi_code == SI_TIMER, "SI_TIMER record");
  syscall(SYS_timer_delete, id);
  close(fd);
}

static void epoll_both(void) {
  int ep = epoll_create1(0);
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  int sfd = signalfd(-1, &m, SFD_NONBLOCK);
  struct epoll_event e = {.events = EPOLLIN, .data.u32 = 1};
  epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &e);
  e.data.u32 = 2;
  epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &e);
  struct epoll_event out[4];
  check_eq(epoll_wait(ep, out, 4, 0), 0, "epoll: nothing ready");
  arm(tfd, 0, 20 * MS);
  int n = epoll_wait(ep, out, 4, 5000);
  check(n == 1 && out[0].data.u32 == 1 && out[0].events == EPOLLIN, "epoll_wait woken by the timerfd");
  uint64_t c;
  read(tfd, &c, 8);
  raise(SIGUSR1);
  n = epoll_wait(ep, out, 4, 5000);
  check(n == 1 && out[0].data.u32 == 2 && out[0].events == EPOLLIN, "then by the signalfd");
  struct signalfd_siginfo r;
  read(sfd, &r, sizeof r);

  /* Edge-triggered on a periodic timerfd: the expired timer waits for a read before it counts on. */
  e.events = EPOLLIN | EPOLLET;
  e.data.u32 = 1;
  epoll_ctl(ep, EPOLL_CTL_MOD, tfd, &e);
  arm(tfd, 10 * MS, 10 * MS);
  n = epoll_wait(ep, out, 4, 5000);
  check(n == 1 && out[0].data.u32 == 1, "EPOLLET: the first expiry");
  check_eq(epoll_wait(ep, out, 4, 60), 0, "EPOLLET: no new edge while the timerfd is not read");
  check(read(tfd, &c, 8) == 8 && c >= 2, "the read counts the periods that passed meanwhile");
  n = epoll_wait(ep, out, 4, 5000);
  check(n == 1 && out[0].data.u32 == 1, "EPOLLET: re-armed by the read, a new edge");
  close(tfd);
  close(sfd);
  close(ep);
}

int main(void) {
  timerfd_poll();
  signalfd_poll();
  epoll_both();
  return finish();
}
