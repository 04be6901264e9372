/*
 * PASS/FAIL reporting for the thread and futex guest tests: one line per check, exit status 0 when
 * no check failed. THR_REFERENCE=qemu in the environment marks a run under qemu-aarch64, which
 * lacks a few Linux facts (futex_waitv, the compat-syscall series): checks of those are printed as
 * PASS there so both runs print the same lines.
 */
#ifndef THR_CHECK_H
#define THR_CHECK_H
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static atomic_int failures;

__attribute__((unused)) static void check(int ok, const char *name) {
  printf("%s %s\n", ok ? "PASS" : "FAIL", name);
  fflush(stdout);
  if (!ok) failures++;
}

/* A check whose detail (a number) is printed on failure. */
__attribute__((unused)) static void check_eq(long got, long want, const char *name) {
  if (got == want) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (got %ld, want %ld)\n", name, got, want);
    failures++;
  }
  fflush(stdout);
}

/* True under the qemu reference run. */
__attribute__((unused)) static int reference_run(void) {
  const char *r = getenv("THR_REFERENCE");
  return r != NULL && strcmp(r, "qemu") == 0;
}

/* A Linux-only check: always PASS under qemu so both runs print the same lines. */
__attribute__((unused)) static void check_linux(int ok, const char *name) {
  check(reference_run() || ok, name);
}

/* -errno of a raw syscall() result, or the result itself. */
__attribute__((unused)) static long sysret(long r) {
  return r == -1 ? -errno : r;
}

__attribute__((unused)) static long futex(void *uaddr, int op, uint32_t val, const void *ts_or_val2, void *uaddr2,
                                          uint32_t val3) {
  return sysret(syscall(SYS_futex, uaddr, op, val, ts_or_val2, uaddr2, val3));
}

__attribute__((unused)) static int64_t now_ns(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

__attribute__((unused)) static struct timespec ns_to_ts(int64_t ns) {
  struct timespec t = {ns / 1000000000, ns % 1000000000};
  return t;
}

__attribute__((unused)) static void sleep_ms(int ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&t, &t) != 0) {
  }
}

__attribute__((unused)) static int finish(void) {
  printf(failures ? "SOME CHECKS FAILED\n" : "ALL PASSED\n");
  return failures ? 1 : 0;
}
#endif
