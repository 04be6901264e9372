/*
 * PT_GNU_STACK with PF_X (here from a nested function whose address escapes, so GCC builds a
 * trampoline on the stack) makes exec map the stack executable; the trampoline then runs.
 */
#include "check.h"

static int apply(int (*f)(int), int v) { return f(v); }

static int stack_is_executable(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[256];
  int x = -1;
  if (f == NULL) return -1;
  while (fgets(line, sizeof line, f) != NULL) {
    if (strstr(line, "[stack]") != NULL) {
      char perms[5] = {0};
      sscanf(line, "%*s %4s", perms);
      x = perms[2] == 'x';
    }
  }
  fclose(f);
  return x;
}

int main(void) {
  int k = 5;
  int add(int x) { return x + k; }
  check(apply(add, 37) == 42, "a nested function's stack trampoline runs");
  if (!reference_run()) check(stack_is_executable() == 1, "/proc/self/maps shows [stack] as rwxp");
  return finish();
}
