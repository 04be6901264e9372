/* PASS/FAIL reporting for the ptrace-data guest tests: one line per check; exit 0 when none failed. */
#ifndef PTRACE_DATA_CHECK_H
#define PTRACE_DATA_CHECK_H
#include <stdio.h>

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
    printf("FAIL %s (got %ld / %#lx, want %ld / %#lx)\n", name, got, got, want, want);
    failures++;
  }
  fflush(stdout);
}

__attribute__((unused)) static int finish(void) {
  printf(failures ? "SOME CHECKS FAILED\n" : "ALL PASSED\n");
  return failures ? 1 : 0;
}
#endif
