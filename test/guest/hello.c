/* The smallest guest: one line through stdio, then a non-zero exit status the harness must see. */
#include <stdio.h>

int main(void) {
  printf("hello, world\n");
  return 3;
}
