/*
 * A write through NULL must raise SIGSEGV, whose default action kills the process: the runner then
 * reports "killed by signal 11" (the CLI exits with 128 + 11 = 139, like a shell). The line before
 * the fault is flushed so the harness can also check that output written before the fault survives.
 */
#include <stdio.h>

int main(void) {
  printf("before the fault\n");
  fflush(stdout);
  volatile int *volatile p = NULL; /* volatile: the compiler must not treat the store as unreachable */
  *p = 42;
  printf("FAIL still running after a NULL write\n");
  return 1;
}
