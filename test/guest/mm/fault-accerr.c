/* Writing to a read-only mapping: killed by SIGSEGV (SEGV_ACCERR). */
#include <stdio.h>
#include <sys/mman.h>
int main(void) {
  volatile char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  puts("writing to a read-only page");
  fflush(stdout);
  p[10] = 1;
  return 0;
}
