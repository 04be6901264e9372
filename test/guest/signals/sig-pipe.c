/*
 * SA_RESTART against EINTR on a blocking read of an empty pipe, interrupted by SIGALRM from an
 * interval timer: without SA_RESTART the read fails with EINTR; with SA_RESTART it is restarted
 * transparently and returns the byte the handler wrote into the pipe.
 */
#include <sys/time.h>
#include <unistd.h>

#include "check.h"

static int pfd[2];
static volatile int alarms;
static volatile int feed;

static void on_alarm(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)si, (void)uc;
  alarms++;
  if (feed && write(pfd[1], "x", 1) != 1) _exit(3);
}

static void arm_ms(int ms) {
  struct itimerval it = {{0, 0}, {0, ms * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
}

int main(void) {
  check(pipe(pfd) == 0, "pipe");
  char c = 0;

  install(SIGALRM, on_alarm, 0);
  feed = 0;
  arm_ms(50);
  errno = 0;
  ssize_t n = read(pfd[0], &c, 1);
  check(n == -1 && errno == EINTR, "read interrupted without SA_RESTART: EINTR");
  check_eq(alarms, 1, "the handler ran once");

  install(SIGALRM, on_alarm, SA_RESTART);
  feed = 1;
  arm_ms(50);
  n = read(pfd[0], &c, 1);
  check(n == 1 && c == 'x', "read interrupted with SA_RESTART: restarted, gets the handler's byte");
  check_eq(alarms, 2, "the handler ran again");

  /* readv and a short read after data arrived are not restarted: data already there is returned. */
  feed = 1;
  if (write(pfd[1], "yz", 2) != 2) check(0, "write");
  char buf[8];
  n = read(pfd[0], buf, sizeof buf);
  check(n == 2 && buf[0] == 'y', "read with data queued returns at once");
  return finish();
}
