/*
 * Clocks and host identity: CLOCK_MONOTONIC never goes back, nanosleep sleeps at least as long as
 * asked, gettimeofday agrees with CLOCK_REALTIME, uname says aarch64. Prints only PASS/FAIL lines and
 * the machine name, never a time, so the output is the same on every run.
 */
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>

static int failures;

static void check(int ok, const char *name) {
  printf("%s %s\n", ok ? "PASS" : "FAIL", name);
  if (!ok) failures++;
}

static long long ns_of(const struct timespec *ts) { return ts->tv_sec * 1000000000LL + ts->tv_nsec; }

int main(void) {
  struct timespec a, b, res;
  check(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "clock_gettime CLOCK_MONOTONIC");
  int monotonic = 1;
  long long prev = ns_of(&a);
  for (int i = 0; i < 1000; i++) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (ns_of(&t) < prev) monotonic = 0;
    prev = ns_of(&t);
  }
  check(monotonic, "CLOCK_MONOTONIC never decreases over 1000 reads");
  check(a.tv_nsec >= 0 && a.tv_nsec < 1000000000L, "tv_nsec in [0, 1e9)");
  check(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0, "clock_getres CLOCK_MONOTONIC");

  struct timespec req = {0, 10 * 1000 * 1000};
  clock_gettime(CLOCK_MONOTONIC, &a);
  check(nanosleep(&req, NULL) == 0, "nanosleep 10ms returns 0");
  clock_gettime(CLOCK_MONOTONIC, &b);
  long long slept = ns_of(&b) - ns_of(&a);
  check(slept >= 10 * 1000 * 1000, "nanosleep 10ms sleeps at least 10ms");
  check(slept < 5LL * 1000 * 1000 * 1000, "nanosleep 10ms returns within 5s");

  struct timeval tv;
  struct timespec rt;
  check(gettimeofday(&tv, NULL) == 0, "gettimeofday");
  clock_gettime(CLOCK_REALTIME, &rt);
  check(tv.tv_sec > 1577836800, "gettimeofday is after 2020-01-01");
  check(tv.tv_usec >= 0 && tv.tv_usec < 1000000, "tv_usec in [0, 1e6)");
  check(rt.tv_sec - tv.tv_sec >= 0 && rt.tv_sec - tv.tv_sec <= 2, "CLOCK_REALTIME agrees with gettimeofday");
  check(time(NULL) >= tv.tv_sec, "time() agrees with gettimeofday");

  struct timespec cpu;
  check(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0, "clock_gettime CLOCK_PROCESS_CPUTIME_ID");

  struct utsname u;
  check(uname(&u) == 0, "uname");
  printf("machine %s\n", u.machine);
  check(strcmp(u.machine, "aarch64") == 0, "uname machine is aarch64");
  check(strcmp(u.sysname, "Linux") == 0, "uname sysname is Linux");
  return failures ? 1 : 0;
}
