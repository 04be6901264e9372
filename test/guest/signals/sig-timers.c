/*
 * Interval timers and interrupted sleeps: ITIMER_REAL one-shot and periodic while the program
 * computes (the emulator must notice expiry between time slices), getitimer/setitimer values and
 * checks, alarm(), nanosleep/clock_nanosleep/sleep/sigsuspend/sigtimedwait interrupted by SIGALRM
 * (EINTR with the remaining time; SA_RESTART does not restart sleeps), clock_nanosleep's clock
 * checks, ITIMER_VIRTUAL and ITIMER_PROF, and a periodic timer held back by a blocked SIGALRM.
 */
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static volatile int alarms, vtalarms, profs;

static void on_alarm(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  if (sig == SIGALRM && si->si_code == SI_KERNEL) alarms++;
  else if (sig == SIGVTALRM) vtalarms++;
  else if (sig == SIGPROF) profs++;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

/* Computes until *flag reaches want or limit seconds pass. */
static void spin_until(volatile int *flag, int want, double limit) {
  double end = now() + limit;
  while (*flag < want && now() < end) {
    for (volatile int i = 0; i < 1000; i++) {
    }
  }
}

static void arm(long sec, long usec, long isec, long iusec) {
  struct itimerval it = {{isec, iusec}, {sec, usec}};
  setitimer(ITIMER_REAL, &it, NULL);
}

int main(void) {
  install(SIGALRM, on_alarm, 0);
  install(SIGVTALRM, on_alarm, 0);
  install(SIGPROF, on_alarm, 0);

  /* One-shot, while computing. */
  alarms = 0;
  arm(0, 30000, 0, 0);
  spin_until(&alarms, 1, 10);
  check_eq(alarms, 1, "ITIMER_REAL one-shot fires while the program computes (SI_KERNEL)");
  struct itimerval it;
  getitimer(ITIMER_REAL, &it);
  check(it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0, "one-shot: disarmed after firing");

  /* Periodic. */
  alarms = 0;
  arm(0, 10000, 0, 10000);
  spin_until(&alarms, 5, 10);
  arm(0, 0, 0, 0);
  check(alarms >= 5, "periodic ITIMER_REAL: five signals");
  getitimer(ITIMER_REAL, &it);
  check(it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0 && it.it_interval.tv_usec == 0, "disarmed: all zero");

  /* Values. */
  arm(1, 0, 0, 500000);
  getitimer(ITIMER_REAL, &it);
  check(it.it_value.tv_sec == 0 || (it.it_value.tv_sec == 1 && it.it_value.tv_usec == 0),
        "getitimer: value at most the one set");
  check(it.it_value.tv_sec == 1 || it.it_value.tv_usec > 900000, "getitimer: value close to the one set");
  check(it.it_interval.tv_sec == 0 && it.it_interval.tv_usec == 500000, "getitimer: interval");
  struct itimerval zero = {{0, 0}, {0, 0}}, old;
  check(setitimer(ITIMER_REAL, &zero, &old) == 0 && old.it_interval.tv_usec == 500000 &&
            (old.it_value.tv_sec == 1 || old.it_value.tv_usec > 900000),
        "setitimer returns the old value");
  errno = 0;
  check(setitimer(5, &zero, NULL) == -1 && errno == EINVAL, "setitimer(5): EINVAL");
  errno = 0;
  check(getitimer(3, &it) == -1 && errno == EINVAL, "getitimer(3): EINVAL");
  struct itimerval bad = {{0, 0}, {0, 1000000}};
  errno = 0;
  check(setitimer(ITIMER_REAL, &bad, NULL) == -1 && errno == EINVAL, "tv_usec 1000000: EINVAL");
  bad.it_value.tv_usec = 0;
  bad.it_value.tv_sec = -1;
  errno = 0;
  check(setitimer(ITIMER_REAL, &bad, NULL) == -1 && errno == EINVAL, "negative tv_sec: EINVAL");
  check_eq(alarm(10), 0, "alarm(10) with no alarm: 0");
  check_eq(alarm(0), 10, "alarm(0) returns the seconds left");

  /* nanosleep interrupted: EINTR and the time left. The alarms come 300 ms after arming, so that even
   * on a loaded machine they arrive during the sleep, not before it starts. */
  struct timespec req = {2, 0}, rem = {0, 0};
  alarms = 0;
  arm(0, 300000, 0, 0);
  errno = 0;
  int r = nanosleep(&req, &rem);
  check(r == -1 && errno == EINTR, "nanosleep interrupted by a handled SIGALRM: EINTR");
  check(alarms == 1, "nanosleep: the handler ran");
  check(rem.tv_sec == 1 && rem.tv_nsec > 0, "nanosleep: remaining time between 1 and 2 s");

  /* SA_RESTART does not restart sleeps. */
  install(SIGALRM, on_alarm, SA_RESTART);
  arm(0, 300000, 0, 0);
  errno = 0;
  r = nanosleep(&req, &rem);
  check(r == -1 && errno == EINTR, "nanosleep with SA_RESTART: still EINTR");

  /* clock_nanosleep returns the error number. */
  arm(0, 300000, 0, 0);
  rem.tv_sec = 0;
  r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
  check(r == EINTR && rem.tv_sec == 1, "clock_nanosleep relative: EINTR with the time left");
  struct timespec abs;
  clock_gettime(CLOCK_MONOTONIC, &abs);
  abs.tv_sec += 2;
  arm(0, 300000, 0, 0);
  r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
  check_eq(r, EINTR, "clock_nanosleep absolute: EINTR");
  arm(0, 300000, 0, 0);
  check_eq(sleep(2), 1, "sleep(2) interrupted after 300 ms returns 1 (glibc truncates)");
  req.tv_sec = 0;
  req.tv_nsec = 20000000;
  double t0 = now();
  check_eq(nanosleep(&req, NULL), 0, "uninterrupted nanosleep(20 ms): 0");
  check(now() - t0 >= 0.0199, "nanosleep slept at least 20 ms");

  /* clock_nanosleep's clocks. */
  int clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
                  CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, 11 /* CLOCK_TAI */, 12, -1};
  req.tv_nsec = 1000;
  for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
    char name[64];
    snprintf(name, sizeof name, "clock_nanosleep(clock %d)", clocks[i]);
    printf("%s = %d\n", name, clock_nanosleep(clocks[i], 0, &req, NULL));
  }

  /* sigsuspend and sigtimedwait woken by SIGALRM. */
  sigset_t none, usr1;
  sigemptyset(&none);
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  alarms = 0;
  arm(0, 300000, 0, 0);
  errno = 0;
  r = sigsuspend(&none);
  check(r == -1 && errno == EINTR && alarms == 1, "sigsuspend woken by SIGALRM");
  sigprocmask(SIG_BLOCK, &usr1, NULL);
  arm(0, 300000, 0, 0);
  errno = 0;
  r = sigwaitinfo(&usr1, NULL);
  check(r == -1 && errno == EINTR, "sigwaitinfo interrupted by another signal: EINTR");
  sigprocmask(SIG_UNBLOCK, &usr1, NULL);

  /* A blocked SIGALRM holds a periodic timer back: one pending signal, one delivery. */
  sigset_t alrm;
  sigemptyset(&alrm);
  sigaddset(&alrm, SIGALRM);
  sigprocmask(SIG_BLOCK, &alrm, NULL);
  alarms = 0;
  arm(0, 5000, 0, 5000);
  req.tv_nsec = 60000000;
  nanosleep(&req, NULL);
  sigprocmask(SIG_UNBLOCK, &alrm, NULL);
  check_eq(alarms, 1, "periodic timer with SIGALRM blocked: one delivery");
  spin_until(&alarms, 3, 10);
  arm(0, 0, 0, 0);
  check(alarms >= 3, "the periodic timer resumed after the signal was taken");

  /* CPU-time timers. */
  struct itimerval cpu = {{0, 0}, {0, 20000}};
  setitimer(ITIMER_VIRTUAL, &cpu, NULL);
  spin_until(&vtalarms, 1, 20);
  check_eq(vtalarms, 1, "ITIMER_VIRTUAL: SIGVTALRM after 20 ms of CPU time");
  setitimer(ITIMER_PROF, &cpu, NULL);
  spin_until(&profs, 1, 20);
  check_eq(profs, 1, "ITIMER_PROF: SIGPROF after 20 ms of CPU time");
  getitimer(ITIMER_VIRTUAL, &it);
  check(it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0, "ITIMER_VIRTUAL one-shot: disarmed");
  return finish();
}
