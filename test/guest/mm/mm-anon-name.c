/*
 * prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME): named anonymous memory as /proc/self/maps shows it
 * ([anon:name], [anon_shmem:name]), the name rules and the errors. qemu-aarch64 passes the call to
 * the host for its own memory and writes its own maps, so only the error checks run there.
 */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif
#define PG 4096UL

static int set_name(void *addr, size_t len, const char *name) {
  return prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)addr, len, (unsigned long)name);
}

/* The maps line of the area starting at addr, or "" (read whole: the file is generated on read). */
static const char *maps_line(void *addr) {
  static char text[1 << 20];
  static char line[512];
  FILE *f = fopen("/proc/self/maps", "r");
  if (f == NULL) return "";
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  char want[32];
  snprintf(want, sizeof want, "%lx-", (unsigned long)(uintptr_t)addr);
  for (char *l = text; *l; ) {
    char *end = strchr(l, '\n');
    size_t len = end ? (size_t)(end - l) : strlen(l);
    if (strncmp(l, want, strlen(want)) == 0 && len < sizeof line) {
      memcpy(line, l, len);
      line[len] = 0;
      return line;
    }
    if (!end) break;
    l = end + 1;
  }
  return "";
}

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

int main(void) {
  char *a = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  check(a != MAP_FAILED, "mmap");
  LINUX_ONLY {
    check(set_name(a + PG, 2 * PG, "my arena") == 0, "PR_SET_VMA_ANON_NAME on the middle pages");
    const char *l = maps_line(a + PG);
    check(ends_with(l, " [anon:my arena]"), "maps shows [anon:my arena]");
    char want[64];
    snprintf(want, sizeof want, "%lx-%lx rw-p ", (unsigned long)(uintptr_t)(a + PG), (unsigned long)(uintptr_t)(a + 3 * PG));
    check(strncmp(l, want, strlen(want)) == 0, "on exactly the named pages (the area was split)");
    check(!strstr(maps_line(a), "[anon:"), "the pages before are unnamed");
    check(set_name(a, 4 * PG, "my arena") == 0 && ends_with(maps_line(a), " [anon:my arena]"),
          "naming the rest the same merges it back into one area");
    check(set_name(a, 4 * PG, NULL) == 0 && !strstr(maps_line(a), "[anon:"), "a NULL name clears it");
    check(set_name(a, PG, "") == 0 && ends_with(maps_line(a), " [anon:]"), "an empty name is a name");
    char *s = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    check(set_name(s, PG, "ring") == 0 && ends_with(maps_line(s), " [anon_shmem:ring]"),
          "shared anonymous memory shows [anon_shmem:ring]");
    char name79[80];
    memset(name79, 'n', 79);
    name79[79] = 0;
    check(set_name(a, PG, name79) == 0, "a 79-character name");
    int fd = memfd_create("named", 0);
    char *fm = fd >= 0 && ftruncate(fd, PG) == 0 ? mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
    CHECK_ERR(set_name(fm, PG, "file"), EBADF, "file mappings cannot be named (EBADF)");
    munmap(a + 2 * PG, PG);
    CHECK_ERR(set_name(a, 4 * PG, "holey"), ENOMEM, "a range with a hole is ENOMEM");
    check(ends_with(maps_line(a), " [anon:holey]"), "the mapped part before the hole is named anyway");
  }
  char name80[81];
  memset(name80, 'n', 80);
  name80[80] = 0;
  CHECK_ERR(set_name(a, PG, name80), EINVAL, "an 80-character name is EINVAL");
  CHECK_ERR(set_name(a, PG, "a[1]"), EINVAL, "brackets are EINVAL");
  CHECK_ERR(set_name(a, PG, "tab\there"), EINVAL, "control characters are EINVAL");
  CHECK_ERR(set_name(a, PG, "$HOME"), EINVAL, "$ is EINVAL");
  CHECK_ERR(set_name(a + 1, PG, "x"), EINVAL, "an unaligned address is EINVAL");
  /* qemu-aarch64 hands the host an untranslated pointer: only Linux's answer is checked. */
  LINUX_ONLY CHECK_ERR(set_name(a, PG, (const char *)16), EFAULT, "an unreadable name is EFAULT");
  CHECK_ERR(prctl(PR_SET_VMA, 1, (unsigned long)a, PG, 0), EINVAL, "an unknown PR_SET_VMA option is EINVAL");
  return finish();
}
