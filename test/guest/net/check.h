/*
 * PASS/FAIL reporting for the socket guest tests: one line per check, exit status 0 when no check
 * failed. The programs run under qemu-aarch64 (the reference, whose sockets are the host kernel's)
 * and under compat64, and must print the same lines. Nothing printed may depend on the run: no
 * ports, inode numbers, pids or autobind names (checks compare them instead). The qemu run gets
 * NET_REFERENCE=qemu: the few checks of Linux facts qemu translates wrongly then print PASS.
 */
#ifndef NET_CHECK_H
#define NET_CHECK_H
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

__attribute__((unused)) static void check(int ok, const char *name) {
  printf("%s %s\n", ok ? "PASS" : "FAIL", name);
  fflush(stdout);
  if (!ok) failures++;
}

/* A check of a number, printed with both values on failure. */
__attribute__((unused)) static void check_eq(long got, long want, const char *name) {
  if (got == want) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (got %ld, want %ld)\n", name, got, want);
    failures++;
  }
  fflush(stdout);
}

/* A call that must fail with errno e. */
__attribute__((unused)) static void check_err(long r, int e, const char *name) {
  if (r == -1 && errno == e) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (got %ld errno %d %s, want errno %d %s)\n", name, r, r == -1 ? errno : 0,
           r == -1 ? strerror(errno) : "-", e, strerror(e));
    failures++;
  }
  fflush(stdout);
}

/* A call that must succeed (return >= 0). */
__attribute__((unused)) static void check_ok(long r, const char *name) {
  if (r >= 0) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (errno %d %s)\n", name, errno, strerror(errno));
    failures++;
  }
  fflush(stdout);
}

/* True under the qemu reference run (NET_REFERENCE=qemu): Linux facts qemu gets wrong are not checked there. */
__attribute__((unused)) static int reference_run(void) {
  const char *r = getenv("NET_REFERENCE");
  return r != NULL && strcmp(r, "qemu") == 0;
}

/* check_err for a Linux fact qemu-aarch64 does not reproduce: always PASS under the reference run. */
__attribute__((unused)) static void check_err_linux(long r, int e, const char *name) {
  if (reference_run()) {
    printf("PASS %s\n", name);
    fflush(stdout);
    return;
  }
  check_err(r, e, name);
}

__attribute__((unused)) static int finish(void) {
  printf(failures ? "SOME CHECKS FAILED\n" : "ALL PASSED\n");
  return failures ? 1 : 0;
}
#endif
