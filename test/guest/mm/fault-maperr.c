/* Touching an unmapped address: killed by SIGSEGV (SEGV_MAPERR). */
#include <stdio.h>
int main(void) {
  puts("touching 0x12345678");
  fflush(stdout);
  return *(volatile int *)0x12345678;
}
