/*
 * PASS/FAIL reporting for the namespace-related guest tests (openat2, chroot, unshare, setns, kcmp,
 * UTS names): one line per check, exit status 0 when no check failed. SIG_REFERENCE=qemu in the
 * environment marks a run under qemu-aarch64, which passes these calls to the host kernel: where
 * that kernel is not Linux 6.1 or allows what compat64 does not emulate, the check is a Linux-6.1
 * fact checked under compat64 only (check_linux prints PASS under qemu).
 */
#ifndef NS_CHECK_H
#define NS_CHECK_H
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

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

/* True under the qemu reference run: Linux facts qemu does not reproduce are not checked there. */
__attribute__((unused)) static int reference_run(void) {
  const char *r = getenv("SIG_REFERENCE");
  return r != NULL && strcmp(r, "qemu") == 0;
}

/* A Linux-only check: always prints PASS under qemu so both runs print the same lines. */
__attribute__((unused)) static void check_linux(int ok, const char *name) {
  check(reference_run() || ok, name);
}

__attribute__((unused)) static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = fn;
  sa.sa_flags = SA_SIGINFO | flags;
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
#define CHECK_ERR(expr, err, name)                                                  \
  do {                                                                              \
    errno = 0;                                                                      \
    long r_ = (long)(expr);                                                         \
    int e_ = errno;                                                                 \
    if (r_ == -1 && e_ == (err))                                                    \
      check(1, name);                                                               \
    else {                                                                          \
      printf("FAIL %s (got %ld errno %d, want errno %d)\n", name, r_, e_, (err)); \
      failures++;                                                                   \
    }                                                                               \
  } while (0)
#endif
