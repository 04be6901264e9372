/*
 * The emulator's memory cap (compat64 --memory-cap; argv[1] is the cap in MiB). Reserving more than
 * memory is refused or free as on Linux with heuristic overcommit; then the program touches 1 MiB
 * after 1 MiB, up to twice the cap, printing its progress: under compat64 it must be killed with
 * SIGKILL (and the emulator says so on stderr) before it gets there.
 */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define MiB (1024UL * 1024)

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: mm-memcap CAP_MIB\n");
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

  /* Half the cap at a time, so each mapping passes the commit check; touching them all exceeds it. */
  size_t chunk = cap / 2;
  char *a = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *b = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *c = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *d = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  check(a != MAP_FAILED && b != MAP_FAILED && c != MAP_FAILED && d != MAP_FAILED,
        "four mappings of half the memory each (none alone is more than memory)");
  if (a == MAP_FAILED || b == MAP_FAILED || c == MAP_FAILED || d == MAP_FAILED) return finish();
  char *parts[4] = {a, b, c, d};
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
  /* Under qemu (no cap) the program gets here. */
  printf("touched everything\n");
  return finish();
}
