/*
 * The emulator's memory cap (compat64 --memory-cap; argv[1] is the cap in MiB). Reserving more than
 * memory is refused or free as on Linux with heuristic overcommit; then the program touches 1 MiB
 * after 1 MiB, up to twice the cap, printing its progress: under compat64 it must be killed with
 * SIGKILL (and the emulator says so on stderr) before it gets there. With argv[2] "fork" a child
 * does the touching: it alone is killed, and the parent gets the memory back.
 */
#include "check.h"
#include <stdint.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MiB (1024UL * 1024)

/* Touches 1 MiB after 1 MiB of four mappings of half the cap each, printing its progress. */
static void touch_twice_the_cap(unsigned long cap) {
  /* Half the cap at a time, so each mapping passes the commit check; touching them all exceeds it. */
  size_t chunk = cap / 2;
  char *parts[4];
  int ok = 1;
  for (int p = 0; p < 4; p++) {
    parts[p] = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ok &= parts[p] != MAP_FAILED;
  }
  check(ok, "four mappings of half the memory each (none alone is more than memory)");
  if (!ok) return;
  printf("touching\n");
  fflush(stdout);
  unsigned long touched = 0;
  for (int p = 0; p < 4; p++)
    for (size_t off = 0; off < chunk; off += 4096) {
      parts[p][off] = 1;
      if ((off + 4096) % MiB == 0) {
        touched++;
        printf("touched %lu MiB\n", touched);
        fflush(stdout);
      }
    }
  printf("touched everything\n");
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: mm-memcap CAP_MIB [fork]\n");
    return 2;
  }
  unsigned long cap = strtoul(argv[1], NULL, 10) * MiB;
  printf("pid %d\n", (int)getpid());

  /* __vm_enough_memory (heuristic overcommit): one private writable mapping larger than all of
   * memory is ENOMEM; with MAP_NORESERVE nothing is accounted; PROT_NONE or read-only is not either. */
  /* (Under qemu the machine is the host, whose memory is larger.) */
  LINUX_ONLY CHECK_ERR(mmap(NULL, 2 * cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM,
                       "a private writable mapping larger than memory is ENOMEM");
  void *nr = mmap(NULL, 2 * cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  check(nr != MAP_FAILED, "with MAP_NORESERVE the same mapping is made");
  if (nr != MAP_FAILED) munmap(nr, 2 * cap);
  void *huge = mmap(NULL, 1UL << 40, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  check(huge != MAP_FAILED, "a 1 TiB PROT_NONE reservation costs nothing");
  if (huge != MAP_FAILED) munmap(huge, 1UL << 40);

  if (argc > 2 && strcmp(argv[2], "fork") == 0) {
    /* A child does the touching: only it is killed, and its memory comes back to the parent. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
      printf("child %d\n", (int)getpid());
      touch_twice_the_cap(cap);
      _exit(0);
    }
    int status = 0;
    check(child > 0 && waitpid(child, &status, 0) == child, "fork and wait for the child");
    LINUX_ONLY check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the child was killed by SIGKILL");
    size_t most = cap / 2;
    char *again = mmap(NULL, most, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(again != MAP_FAILED, "the parent maps half the memory");
    if (again != MAP_FAILED)
      for (size_t off = 0; off < most; off += 4096) again[off] = 2;
    check(again != MAP_FAILED && again[most - 4096] == 2, "and touches it all: the child's memory came back");
    return finish();
  }
  touch_twice_the_cap(cap);
  /* Under qemu (no cap) the program gets here. */
  return finish();
}
