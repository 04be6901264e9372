/*
 * Reading stdin (a pipe the test writes to later, on cue) must not stall the other tasks: a thread
 * counts while the main thread is blocked in read; poll sees no input, then waits for it; a signal
 * interrupts the read (EINTR without SA_RESTART); end of file once the test closes the pipe.
 * Prints WAIT<n> when it wants the next piece of input.
 */
#include "check.h"
#include <poll.h>
#include <pthread.h>
#include <sys/time.h>
#include <unistd.h>

static volatile int ticks, stop;

static void *counter(void *arg) {
  (void)arg;
  struct timespec ts = {0, 10 * 1000 * 1000};
  while (!stop) {
    nanosleep(&ts, NULL);
    ticks++;
  }
  return NULL;
}

static void on_alarm(int s) {
  (void)s;
}

static void cue(int n) {
  printf("WAIT%d\n", n);
  fflush(stdout);
}

int main(void) {
  char buf[64];
  struct pollfd p = {0, POLLIN, 0};
  check_eq(poll(&p, 1, 0), 0, "poll on an empty stdin pipe: not ready");

  pthread_t th;
  pthread_create(&th, NULL, counter, NULL);
  cue(1);
  long n = read(0, buf, sizeof buf);
  int seen = ticks;
  check_eq(n, 4, "read: the first line, written later");
  check(seen >= 10, "a thread kept counting while the main thread waited in read");

  cue(2);
  p.revents = 0;
  int r = poll(&p, 1, 10000);
  check(r == 1 && (p.revents & POLLIN), "poll waits for stdin input");
  check_eq(read(0, buf, sizeof buf), 4, "read after poll: the second line");

  install(SIGALRM, on_alarm, 0);
  struct itimerval it = {{0, 0}, {0, 300 * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
  check_err(read(0, buf, sizeof buf), EINTR, "a signal interrupts the read: EINTR");

  cue(3);
  check_eq(read(0, buf, sizeof buf), 0, "end of file once the writer closes");
  stop = 1;
  pthread_join(th, NULL);
  return finish();
}
