/*
 * PASS/FAIL reporting for the terminal, stdin and restart guest tests: one line per check, exit
 * status 0 when no check failed. The same binaries run under qemu-aarch64 (the host kernel's
 * syscalls) and compat64 and must print the same lines, so checks print no timings or addresses.
 */
#ifndef TTY_CHECK_H
#define TTY_CHECK_H
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int failures;

__attribute__((unused)) static void check(int ok, const char *name) {
  printf("%s %s\n", ok ? "PASS" : "FAIL", name);
  fflush(stdout);
  if (!ok) failures++;
}

__attribute__((unused)) static void check_eq(long got, long want, const char *name) {
  if (got == want) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (got %ld, want %ld)\n", name, got, want);
    failures++;
  }
  fflush(stdout);
}

/* A syscall result that must be -1 with this errno. */
__attribute__((unused)) static void check_err(long r, int want, const char *name) {
  if (r == -1 && errno == want) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (got %ld errno %d, want -1 errno %d)\n", name, r, r == -1 ? errno : 0, want);
    failures++;
  }
  fflush(stdout);
}

/* A time in milliseconds that must lie in [lo, hi]: printed only on failure. */
__attribute__((unused)) static void check_range(long got, long lo, long hi, const char *name) {
  if (got >= lo && got <= hi) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (got %ld, want %ld..%ld)\n", name, got, lo, hi);
    failures++;
  }
  fflush(stdout);
}

/* True under the reference run (TTY_REFERENCE=qemu): Linux facts qemu does not reproduce are skipped. */
__attribute__((unused)) static int reference_run(void) {
  const char *r = getenv("TTY_REFERENCE");
  return r != NULL && strcmp(r, "qemu") == 0;
}

/* A Linux-only check: always PASS under qemu so both runs print the same lines. */
__attribute__((unused)) static void check_linux(int ok, const char *name) {
  check(reference_run() || ok, name);
}

__attribute__((unused)) static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

__attribute__((unused)) static void install(int sig, void (*fn)(int), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fn;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  if (sigaction(sig, &sa, NULL) != 0) {
    printf("FAIL sigaction(%d): %s\n", sig, strerror(errno));
    exit(2);
  }
}

__attribute__((unused)) static int finish(void) {
  printf(failures ? "SOME CHECKS FAILED\n" : "ALL PASSED\n");
  return failures ? 1 : 0;
}
#endif
