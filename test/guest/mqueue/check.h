/*
 * PASS/FAIL reporting for the mqueue guest tests: one line per check, ALL PASSED and exit status 0
 * when no check failed. The programs are plain C for Linux, so they also build and run natively
 * (gcc -O2 x.c) against the host kernel, which is how their expectations were verified.
 */
#ifndef MQ_CHECK_H
#define MQ_CHECK_H
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* expr fails (-1) with errno err. */
#define CHECK_ERR(expr, err, name)                                                   \
  do {                                                                               \
    errno = 0;                                                                       \
    long r_ = (long)(expr);                                                          \
    int e_ = errno;                                                                  \
    if (r_ == -1 && e_ == (err)) {                                                   \
      printf("PASS %s\n", name);                                                     \
    } else {                                                                         \
      printf("FAIL %s (got %ld errno %d %s, want errno %d)\n", name, r_, e_, strerror(e_), (err)); \
      failures++;                                                                    \
    }                                                                                \
    fflush(stdout);                                                                  \
  } while (0)

/* A queue name unique to this run (the host's namespace is shared by qemu runs). */
__attribute__((unused)) static const char *qname(const char *base) {
  static char buf[8][64];
  static int next;
  char *b = buf[next++ & 7];
  snprintf(b, 64, "/c64-%s-%d", base, (int)getpid());
  return b;
}

__attribute__((unused)) static int finish(void) {
  printf(failures ? "SOME CHECKS FAILED\n" : "ALL PASSED\n");
  return failures ? 1 : 0;
}
#endif
