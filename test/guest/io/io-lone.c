/*
 * A lone task reading a pipe that nothing will ever write to: Linux blocks until a signal, and so
 * must compat64 (with a diagnostic on its stderr) instead of exiting or failing the read. The test
 * runner kills it after a while.
 */
#include "check.h"

#include <unistd.h>

int main(void) {
  int p[2];
  char c;
  if (pipe(p) != 0) return 2;
  printf("blocking\n");
  fflush(stdout);
  ssize_t n = read(p[0], &c, 1);
  printf("read returned %ld\n", (long)n);
  return 3;
}
