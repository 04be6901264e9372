/*
 * poll, ppoll, select and pselect in one task: revents and POLLNVAL, timeouts (select and the raw
 * ppoll/pselect6 write the time left back), EBADF, a signal from an interval timer ending the wait
 * (EINTR with and without SA_RESTART), the temporary masks of ppoll and pselect, and readiness of
 * regular files (always) and of the epoll fd itself.
 */
#include "check.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>


static volatile int alarms;

static void on_alarm(int sig) {
  (void)sig;
  alarms++;
}

static void arm_ms(int ms) {
  struct itimerval it = {{0, 0}, {0, ms * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
}

int main(void) {
  int p[2];
  check(pipe2(p, O_NONBLOCK) == 0, "pipe");

  struct pollfd fds[4] = {{-1, POLLIN, 0}, {p[0], POLLIN, 0}, {p[1], POLLOUT | POLLIN, 0}, {900, POLLIN, 0}};
  check_eq(poll(fds, 4, 0), 2, "two entries with revents");
  check_eq(fds[0].revents, 0, "a negative fd is skipped");
  check_eq(fds[1].revents, 0, "empty read end: nothing");
  check_eq(fds[2].revents, POLLOUT, "write end: POLLOUT only (POLLIN not asked, not set)");
  check_eq(fds[3].revents, POLLNVAL, "a closed fd: POLLNVAL");
  check_eq(write(p[1], "x", 1), 1, "write");
  check_eq(poll(&fds[1], 1, -1), 1, "readable: no wait");
  check_eq(fds[1].revents, POLLIN, "POLLIN");
  close(p[1]);
  check_eq(poll(&fds[1], 1, 0), 1, "writer gone");
  check_eq(fds[1].revents, POLLIN | POLLHUP, "POLLIN | POLLHUP while data is left");
  char c;
  check_eq(read(p[0], &c, 1), 1, "drain");
  check_eq(poll(&fds[1], 1, 0), 1, "still hung up");
  check_eq(fds[1].revents, POLLHUP, "POLLHUP even though not asked");
  close(p[0]);

  int file = open("/proc/self/exe", O_RDONLY);
  struct pollfd f = {file, POLLIN | POLLOUT, 0};
  check_eq(poll(&f, 1, 0), 1, "a regular file is always ready");
  check_eq(f.revents, POLLIN | POLLOUT, "for reading and writing, whatever its access mode");
  close(file);

  check(pipe(p) == 0, "blocking pipe");
  long t0 = now_ms();
  struct pollfd r = {p[0], POLLIN, 0};
  check_eq(poll(&r, 1, 40), 0, "poll times out");
  check(now_ms() - t0 >= 35, "after about 40 ms");

  struct timespec ts = {2, 0};
  check_eq(write(p[1], "y", 1), 1, "write");
  check_eq(syscall(SYS_ppoll, &r, 1, &ts, NULL, 8), 1, "ppoll: ready");
  check(ts.tv_sec == 1 && ts.tv_nsec > 500000000, "the raw ppoll writes the time left back");
  check_eq(read(p[0], &c, 1), 1, "drain");
  ts.tv_sec = 0;
  ts.tv_nsec = 20000000;
  check_eq(syscall(SYS_ppoll, &r, 1, &ts, NULL, 8), 0, "ppoll times out");
  check(ts.tv_sec == 0 && ts.tv_nsec == 0, "nothing left");
  ts.tv_nsec = -1;
  check_err(syscall(SYS_ppoll, &r, 1, &ts, NULL, 8), EINVAL, "ppoll tv_nsec -1: EINVAL");

  /* Signals. poll is never restarted after a handler, SA_RESTART or not. */
  install(SIGALRM, on_alarm, SA_RESTART);
  arm_ms(30);
  check_err(poll(&r, 1, -1), EINTR, "poll + SA_RESTART handler: EINTR");
  install(SIGALRM, on_alarm, 0);
  arm_ms(30);
  check_err(poll(&r, 1, 5000), EINTR, "poll + handler: EINTR");
  fd_set in;
  FD_ZERO(&in);
  FD_SET(p[0], &in);
  struct timeval tv = {5, 0};
  arm_ms(30);
  check_err(select(p[0] + 1, &in, NULL, NULL, &tv), EINTR, "select: EINTR");
  check(FD_ISSET(p[0], &in), "an interrupted select leaves the sets alone");
  check_linux(tv.tv_sec == 4 && tv.tv_usec > 0, "and writes the time left");
  check_eq(alarms, 3, "three alarms");

  /* ppoll and pselect run with their mask. */
  sigset_t block, none, now;
  sigemptyset(&block);
  sigaddset(&block, SIGALRM);
  sigemptyset(&none);
  sigprocmask(SIG_BLOCK, &block, NULL);
  arm_ms(20);
  check_eq(poll(&r, 1, 60), 0, "SIGALRM blocked: poll times out");
  check_err(ppoll(&r, 1, NULL, &none), EINTR, "ppoll with an empty mask takes the pending SIGALRM");
  check_eq(alarms, 4, "the handler ran inside ppoll");
  sigprocmask(SIG_BLOCK, NULL, &now);
  check(sigismember(&now, SIGALRM), "the old mask is back");
  arm_ms(20);
  struct timespec pts = {5, 0};
  check_err(pselect(p[0] + 1, &in, NULL, NULL, &pts, &none), EINTR, "pselect with an empty mask: EINTR");
  check_eq(alarms, 5, "the handler ran inside pselect");
  sigprocmask(SIG_UNBLOCK, &block, NULL);

  /* select readiness and errors. */
  check_eq(write(p[1], "z", 1), 1, "write");
  fd_set rd, wr, ex;
  FD_ZERO(&rd);
  FD_ZERO(&wr);
  FD_ZERO(&ex);
  FD_SET(p[0], &rd);
  FD_SET(p[1], &rd);
  FD_SET(p[1], &wr);
  FD_SET(p[0], &ex);
  tv.tv_sec = 0;
  tv.tv_usec = 0;
  check_eq(select(p[1] + 1, &rd, &wr, &ex, &tv), 2, "select: read end readable, write end writable");
  check(FD_ISSET(p[0], &rd) && !FD_ISSET(p[1], &rd) && FD_ISSET(p[1], &wr) && !FD_ISSET(p[0], &ex),
        "the result sets");
  FD_ZERO(&rd);
  FD_SET(50, &rd);
  check_err(select(51, &rd, NULL, NULL, &tv), EBADF, "select on a closed fd: EBADF");
  check_err(select(-1, NULL, NULL, NULL, &tv), EINVAL, "select n -1: EINVAL");
  tv.tv_usec = -1;
  check_err(select(1, NULL, NULL, NULL, &tv), EINVAL, "select tv_usec -1: EINVAL");
  tv.tv_sec = 0;
  tv.tv_usec = 30000;
  t0 = now_ms();
  check_eq(select(0, NULL, NULL, NULL, &tv), 0, "select(0) sleeps");
  check(now_ms() - t0 >= 25 && tv.tv_sec == 0 && tv.tv_usec == 0, "for the whole timeout");

  /* The epoll fd is readable while it has events. */
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0};
  epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
  struct pollfd e = {ep, POLLIN, 0};
  check_eq(poll(&e, 1, 0), 1, "epoll fd readable with a ready item");
  check_eq(e.revents, POLLIN, "POLLIN");
  check_eq(read(p[0], &c, 1), 1, "drain");
  check_eq(poll(&e, 1, 0), 0, "not readable without");
  close(ep);
  close(p[0]);
  close(p[1]);
  return finish();
}
