/* Entry point: see layouts.h. */
#include <stdio.h>

#include "layouts.h"

void emit(const char *name, unsigned long value) { printf("%s %lu\n", name, value); }

int main(void) {
  layouts_uapi_fs();
  layouts_uapi_misc();
  layouts_signal();
  layouts_libc();
  layouts_mirror();
  return 0;
}
