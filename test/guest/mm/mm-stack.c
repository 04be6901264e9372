/* The main stack grows on demand down to RLIMIT_STACK (8 MiB by default). */
#include "check.h"
#include <sys/resource.h>

static int depth(int n, volatile char *prev) {
  volatile char buf[4096];
  buf[0] = (char)n;
  buf[4095] = prev ? prev[0] : 0;
  return n == 0 ? buf[0] : depth(n - 1, buf) + 1;
}

int main(void) {
  struct rlimit r;
  getrlimit(RLIMIT_STACK, &r);
  check(r.rlim_cur == 8UL << 20, "RLIMIT_STACK is 8 MiB");
  check(depth(1700, 0) == 1700, "recursion through about 7 MiB of stack works");
  return finish();
}
