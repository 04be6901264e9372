/*
 * epoll in one task, on pipes and eventfds: level- and edge-triggered items, EPOLLONESHOT, the
 * epoll_ctl errors, EPOLLEXCLUSIVE rules, nested instances and ELOOP, items that outlive their fd
 * but not their description, maxevents round-robin, timeouts, epoll_pwait's mask and EINTR, and
 * epoll_pwait2's timespec.
 */
#include "check.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>


static struct epoll_event out[16];

static int ctl(int ep, int op, int fd, uint32_t events, uint64_t data) {
  struct epoll_event ev = {.events = events, .data.u64 = data};
  return epoll_ctl(ep, op, fd, &ev);
}

/* epoll_wait with no wait: the count. */
static int ready(int ep, int max) {
  return epoll_wait(ep, out, max, 0);
}

static void on_usr1(int sig) {
  (void)sig;
}

static void on_alarm(int sig) {
  (void)sig;
}

int main(void) {
  int p[2];
  char c[64];
  int ep = epoll_create1(0);
  check(ep >= 0, "epoll_create1");
  check(pipe2(p, O_NONBLOCK) == 0, "pipe");

  /* Level-triggered. */
  check_eq(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 0x1122334455667788ull), 0, "ADD read end, LT");
  check_eq(ready(ep, 16), 0, "empty pipe: nothing");
  check_eq(write(p[1], "abc", 3), 3, "write 3");
  check(ready(ep, 16) == 1 && out[0].events == EPOLLIN && out[0].data.u64 == 0x1122334455667788ull,
        "LT: EPOLLIN with the data");
  check_eq(ready(ep, 16), 1, "LT: again while unread");
  check_eq(read(p[0], c, sizeof c), 3, "drain");
  check_eq(ready(ep, 16), 0, "LT: nothing once drained");

  /* Edge-triggered. */
  check_eq(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET, 1), 0, "MOD to ET");
  check_eq(write(p[1], "abcd", 4), 4, "write 4");
  check_eq(ready(ep, 16), 1, "ET: one event");
  check_eq(ready(ep, 16), 0, "ET: not twice");
  check_eq(read(p[0], c, 1), 1, "read 1 of 4");
  check_eq(ready(ep, 16), 0, "ET: a partial read is no new edge");
  check_eq(write(p[1], "e", 1), 1, "another write");
  check_eq(ready(ep, 16), 1, "ET: each write is an edge");
  check_eq(read(p[0], c, sizeof c), 4, "drain");

  /* EPOLLONESHOT. */
  check_eq(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 2), 0, "MOD to ONESHOT");
  check_eq(write(p[1], "x", 1), 1, "write");
  check(ready(ep, 16) == 1 && out[0].data.u64 == 2, "ONESHOT: reported");
  check_eq(write(p[1], "y", 1), 1, "write again");
  check_eq(ready(ep, 16), 0, "ONESHOT: disabled after one event");
  check_eq(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 3), 0, "MOD re-arms");
  check(ready(ep, 16) == 1 && out[0].data.u64 == 3, "ONESHOT: reported after MOD");
  check_eq(read(p[0], c, sizeof c), 2, "drain");

  /* The write end: EPOLLOUT, EPOLLERR once the reader is gone; HUP on the read end. */
  check_eq(ctl(ep, EPOLL_CTL_ADD, p[1], EPOLLOUT, 4), 0, "ADD write end");
  check_eq(ctl(ep, EPOLL_CTL_DEL, p[0], 0, 0), 0, "DEL read end");
  check(ready(ep, 16) == 1 && out[0].events == EPOLLOUT && out[0].data.u64 == 4, "write end: EPOLLOUT");

  /* epoll_ctl errors. */
  check_err(ctl(ep, EPOLL_CTL_ADD, p[1], EPOLLOUT, 0), EEXIST, "ADD twice: EEXIST");
  check_err(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 0), ENOENT, "MOD of an unwatched fd: ENOENT");
  check_err(ctl(ep, EPOLL_CTL_DEL, p[0], 0, 0), ENOENT, "DEL of an unwatched fd: ENOENT");
  check_err(ctl(ep, EPOLL_CTL_ADD, 999, EPOLLIN, 0), EBADF, "bad fd: EBADF");
  check_err(ctl(999, EPOLL_CTL_ADD, p[0], EPOLLIN, 0), EBADF, "bad epfd: EBADF");
  check_err(ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0), EINVAL, "itself: EINVAL");
  check_err(ctl(p[0], EPOLL_CTL_ADD, p[1], EPOLLIN, 0), EINVAL, "epfd not an epoll fd: EINVAL");
  check_err(ctl(ep, 99, p[0], EPOLLIN, 0), EINVAL, "unknown op: EINVAL");
  int file = open("/proc/self/exe", O_RDONLY);
  check_err(ctl(ep, EPOLL_CTL_ADD, file, EPOLLIN, 0), EPERM, "a regular file: EPERM");
  close(file);
  check_err(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], (struct epoll_event *)8), EFAULT, "bad event pointer: EFAULT");
  check_err(epoll_create1(1), EINVAL, "epoll_create1(1): EINVAL");
  check_err(epoll_create(0), EINVAL, "epoll_create(0): EINVAL");
  check_err(epoll_wait(ep, out, 0, 0), EINVAL, "maxevents 0: EINVAL");
  check_err(epoll_wait(p[0], out, 1, 0), EINVAL, "epoll_wait on a pipe: EINVAL");

  /* EPOLLEXCLUSIVE. */
  int ep2 = epoll_create1(EPOLL_CLOEXEC);
  check_eq(fcntl(ep2, F_GETFD), FD_CLOEXEC, "EPOLL_CLOEXEC");
  check_err(ctl(ep2, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLPRI | EPOLLEXCLUSIVE, 0), EINVAL,
            "EXCLUSIVE with EPOLLPRI: EINVAL");
  check_err(ctl(ep2, EPOLL_CTL_ADD, ep, EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL, "EXCLUSIVE on an epoll fd: EINVAL");
  check_eq(ctl(ep2, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLEXCLUSIVE, 0), 0, "EXCLUSIVE ADD");
  check_err(ctl(ep2, EPOLL_CTL_MOD, p[0], EPOLLIN, 0), EINVAL, "MOD of an EXCLUSIVE item: EINVAL");
  close(ep2);

  /* Nested instances. */
  int inner = epoll_create1(0);
  int outer = epoll_create1(0);
  check_eq(ctl(inner, EPOLL_CTL_ADD, p[0], EPOLLIN, 0), 0, "inner watches the pipe");
  check_eq(ctl(outer, EPOLL_CTL_ADD, inner, EPOLLIN, 5), 0, "outer watches inner");
  check_eq(ready(outer, 16), 0, "nothing nested yet");
  check_eq(write(p[1], "n", 1), 1, "write");
  check(ready(outer, 16) == 1 && out[0].data.u64 == 5, "readiness propagates up");
  check_err(ctl(inner, EPOLL_CTL_ADD, outer, EPOLLIN, 0), ELOOP, "a loop: ELOOP");
  check_eq(read(p[0], c, sizeof c), 1, "drain");
  check_eq(ready(outer, 16), 0, "and down again");
  int chain[6];
  for (int i = 0; i < 6; i++) chain[i] = epoll_create1(0);
  int results = 0;
  for (int i = 0; i < 5; i++) results = results * 10 + (ctl(chain[i], EPOLL_CTL_ADD, chain[i + 1], EPOLLIN, 0) == 0);
  check_eq(results, 11110, "a chain of 6 instances: the fifth link is ELOOP");
  for (int i = 0; i < 6; i++) close(chain[i]);
  close(outer);
  close(inner);

  /* An item lives as long as its description. */
  int ep3 = epoll_create1(0);
  check_eq(ctl(ep3, EPOLL_CTL_ADD, p[0], EPOLLIN, 42), 0, "watch the read end");
  int dup0 = dup(p[0]);
  close(p[0]);
  check_eq(write(p[1], "d", 1), 1, "write");
  check(ready(ep3, 16) == 1 && out[0].data.u64 == 42, "still reported through a dup");
  check_err(ctl(ep3, EPOLL_CTL_DEL, p[0], 0, 0), EBADF, "DEL by the closed fd: EBADF");
  check_err(ctl(ep3, EPOLL_CTL_DEL, dup0, 0, 0), ENOENT, "DEL by the dup: another (file, fd) key");
  close(dup0);
  check_eq(ready(ep3, 16), 0, "gone with the last reference");
  close(ep3);
  close(p[1]);

  /* maxevents: level-triggered items are taken round-robin. */
  int efds[3];
  int ep4 = epoll_create1(0);
  for (int i = 0; i < 3; i++) {
    efds[i] = eventfd(1, EFD_NONBLOCK);
    ctl(ep4, EPOLL_CTL_ADD, efds[i], EPOLLIN, (uint64_t)i);
  }
  int order = 0;
  for (int round = 0; round < 2; round++) {
    int n = ready(ep4, 2);
    for (int i = 0; i < n; i++) order = order * 10 + (int)out[i].data.u64 + 1;
  }
  check_eq(order, 1231, "2 + 2 events of 3 ready items: 0, 1, 2, 0");

  /* Timeouts, EINTR, the mask of epoll_pwait. */
  uint64_t one;
  for (int i = 0; i < 3; i++) check_eq(read(efds[i], &one, 8), 8, "drain eventfd");
  long t0 = now_ms();
  check_eq(epoll_wait(ep4, out, 4, 50), 0, "epoll_wait 50 ms: times out");
  check(now_ms() - t0 >= 45, "after about 50 ms");
  struct timespec ts = {0, 30 * 1000000};
  t0 = now_ms();
  long r = syscall(SYS_epoll_pwait2, ep4, out, 4, &ts, NULL, 8);
  check_linux(r == 0 && now_ms() - t0 >= 25, "epoll_pwait2 30 ms: times out after about 30 ms");
  ts.tv_nsec = 1000000000;
  r = syscall(SYS_epoll_pwait2, ep4, out, 4, &ts, NULL, 8);
  check_linux(r == -1 && errno == EINVAL, "epoll_pwait2 tv_nsec 1e9: EINVAL");
  install(SIGALRM, on_alarm, SA_RESTART);
  struct itimerval it = {{0, 0}, {0, 30000}};
  setitimer(ITIMER_REAL, &it, NULL);
  check_err(epoll_wait(ep4, out, 4, -1), EINTR, "a signal ends epoll_wait with EINTR even with SA_RESTART");

  install(SIGUSR1, on_usr1, 0);
  sigset_t block, none, now;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigemptyset(&none);
  sigprocmask(SIG_BLOCK, &block, NULL);
  raise(SIGUSR1);
  check_err(epoll_pwait(ep4, out, 4, -1, &none), EINTR, "epoll_pwait unblocks the pending SIGUSR1: EINTR");
  sigprocmask(SIG_BLOCK, NULL, &now);
  check(sigismember(&now, SIGUSR1), "the old mask is back after the handler");
  check_err(syscall(SYS_epoll_pwait, ep4, out, 4, 0, &none, 4), EINVAL, "sigsetsize 4: EINVAL");
  for (int i = 0; i < 3; i++) close(efds[i]);
  close(ep4);
  close(ep);
  return finish();
}
