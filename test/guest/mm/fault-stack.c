/* Recursion past RLIMIT_STACK: the stack stops growing and the process dies of SIGSEGV. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
#include <stdio.h>
#include <stdlib.h>
static volatile int limit = 1 << 20; /* 4 GiB deep: never reached under an 8 MiB limit */
static int down(int n, volatile char *prev) {
  volatile char buf[4096];
  buf[0] = prev ? prev[0] + 1 : 0;
  if (n > limit) exit(0);
  return down(n + 1, buf) + buf[0];
}
int main(void) {
  puts("recursing past RLIMIT_STACK");
  fflush(stdout);
  return down(0, 0);
}
