/*
 * PASS/FAIL/SKIP reporting for the memory-manager guest tests. Each check prints one line; the
 * program exits 0 when no check failed. MM_REFERENCE=qemu in the environment marks a run under
 * qemu-aarch64, whose address-space management differs from Linux's: checks of Linux's own
 * numbers (layout, VMA counts, partial mprotect) are skipped there.
 */
#ifndef MM_CHECK_H
#define MM_CHECK_H
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

__attribute__((unused)) static void check(int ok, const char *name) {
  if (ok) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (errno %d %s)\n", name, errno, strerror(errno));
    failures++;
  }
  fflush(stdout);
}

__attribute__((unused)) static void skip(const char *name, const char *why) {
  printf("SKIP %s: %s\n", name, why);
  fflush(stdout);
}

/* True under the qemu reference run: Linux-specific numbers are not checked there. */
__attribute__((unused)) static int reference_run(void) {
  const char *r = getenv("MM_REFERENCE");
  return r != NULL && strcmp(r, "qemu") == 0;
}

/*
 * Runs the statement only outside the qemu reference run: for behaviour qemu-aarch64 does not
 * emulate as Linux does (most of madvise, process_vm_*, mlock2, RLIMIT_AS, PROT_GROWSDOWN, ...).
 */
#define LINUX_ONLY if (!reference_run())

/* Checks that a call failed with exactly this errno. */
#define CHECK_ERR(expr, err, name) \
  do {                             \
    errno = 0;                     \
    long r_ = (long)(expr);        \
    int e_ = errno;                \
    check(r_ == -1 && e_ == (err), name); \
  } while (0)

static int finish(void) {
  printf(failures ? "SOME CHECKS FAILED\n" : "ALL PASSED\n");
  return failures ? 1 : 0;
}
#endif
