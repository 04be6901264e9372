/* The example the README runs: prints a greeting, its arguments and what the kernel says it is. */
#include <stdio.h>
#include <sys/utsname.h>

int main(int argc, char **argv) {
  struct utsname u;
  uname(&u);
  printf("Hello from arm64! (%s %s)\n", u.sysname, u.machine);
  for (int i = 1; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);
  return 0;
}
