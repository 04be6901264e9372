/* A small program for gdb through gdbserver: a call chain to break in, step through and backtrace. */
#include <stdio.h>

static volatile int sink;

__attribute__((noinline)) int leaf(int x) {
  int y = x * 3;
  sink = y;
  return y + 1;
}

__attribute__((noinline)) int middle(int x) {
  return leaf(x + 1) * 2;
}

int main(void) {
  int r = middle(4);
  printf("result %d\n", r);
  return 0;
}
