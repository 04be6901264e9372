/* /proc/self/maps and /proc/self/smaps as Linux prints them. */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

static char text[1 << 20];

static int slurp(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = 0;
  fclose(f);
  return (int)n;
}

/* The maps line starting at address a, copied into line. */
static int line_for(void *a, char *line, size_t max) {
  char key[32];
  snprintf(key, sizeof key, "%lx-", (unsigned long)(uintptr_t)a);
  for (char *l = text; *l; l = strchr(l, '\n') + 1) {
    if (strncmp(l, key, strlen(key)) == 0) {
      size_t n = strcspn(l, "\n");
      if (n >= max) n = max - 1;
      memcpy(line, l, n);
      line[n] = 0;
      return 1;
    }
    if (!strchr(l, '\n')) break;
  }
  return 0;
}

int main(void) {
  if (reference_run()) {
    skip("maps", "qemu writes its own /proc/self/maps");
    return finish();
  }
  char *a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *s = mmap(NULL, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  a[0] = 1;
  char *heap = sbrk(0);
  sbrk(8192);
  if (slurp("/proc/self/maps") < 0) {
    skip("maps", "no /proc/self/maps");
    return finish();
  }
  char line[512], want[512];
  check(line_for(a, line, sizeof line), "the mapping has a line");
  snprintf(want, sizeof want, "%lx-%lx rw-p 00000000 00:00 0 ", (unsigned long)(uintptr_t)a, (unsigned long)(uintptr_t)(a + 3 * 4096));
  check(strcmp(line, want) == 0, "an anonymous line: range, perms, zero offset, device 00:00, inode 0, a trailing space");
  check(line_for(s, line, sizeof line), "the shared mapping has a line");
  check(strstr(line, " rw-s ") == NULL && strstr(line, " r--s 00000000 00:01 ") != NULL, "shared anonymous memory: r--s on device 00:01");
  check(strlen(line) > 73 && strcmp(line + 73, "/dev/zero (deleted)") == 0, "named /dev/zero (deleted) from column 74");
  check(strstr(text, "[stack]\n") != NULL, "the stack is [stack]");
  check(strstr(text, "[heap]\n") != NULL && heap != NULL, "the brk area is [heap]");
  if (slurp("/proc/self/smaps") <= 0) {
    skip("smaps", "no /proc/self/smaps");
    return finish();
  }
  char key[32];
  snprintf(key, sizeof key, "%lx-", (unsigned long)(uintptr_t)a);
  char *e = strstr(text, key);
  check(e != NULL, "the mapping has an smaps entry");
  if (e) {
    check(strstr(e, "\nSize:                 12 kB\n") != NULL, "Size:                 12 kB");
    check(strstr(e, "\nRss:                   4 kB\n") != NULL, "Rss:                   4 kB");
    check(strstr(e, "\nVmFlags: rd wr mr mw me ac \n") != NULL, "VmFlags: rd wr mr mw me ac");
  }
  return finish();
}
