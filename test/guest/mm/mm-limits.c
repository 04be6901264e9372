/*
 * Limits: RLIMIT_AS, vm.max_map_count (65530: mmap may take the count one past it, splits may not),
 * the heuristic overcommit check, huge sparse reservations, and the hugetlb pool.
 */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define PG 4096UL
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static int count_maps(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f) return -1;
  int n = 0, c;
  while ((c = fgetc(f)) != EOF) n += c == '\n';
  fclose(f);
  return n;
}

static void address_space(void) {
  if (reference_run()) {
    skip("RLIMIT_AS", "qemu does not apply it to the guest");
    return;
  }
  struct rlimit old, lim;
  getrlimit(RLIMIT_AS, &old);
  lim.rlim_cur = 1UL << 32;
  lim.rlim_max = old.rlim_max;
  check(setrlimit(RLIMIT_AS, &lim) == 0, "setrlimit(RLIMIT_AS, 4 GiB)");
  CHECK_ERR(mmap(NULL, 1UL << 33, PROT_NONE, ANON | MAP_NORESERVE, -1, 0), ENOMEM, "a mapping beyond RLIMIT_AS is ENOMEM");
  char *a = mmap(NULL, 1UL << 30, PROT_NONE, ANON | MAP_NORESERVE, -1, 0);
  check(a != MAP_FAILED, "a mapping within RLIMIT_AS succeeds");
  munmap(a, 1UL << 30);
  setrlimit(RLIMIT_AS, &old);
}

static void reservations(void) {
  char *r = mmap(NULL, 1UL << 40, PROT_NONE, ANON | MAP_NORESERVE, -1, 0);
  check(r != MAP_FAILED, "1 TiB PROT_NONE reservation");
  char *w = r + (1UL << 39);
  check(mprotect(w, 16 * PG, PROT_READ | PROT_WRITE) == 0, "open a window in the reservation");
  for (int i = 0; i < 16; i++) w[i * PG] = (char)i;
  check(w[15 * PG] == 15, "the window holds data");
  check(munmap(r, 1UL << 40) == 0, "unmap the reservation");
  /* qemu tracks every guest page of a writable mapping: keep it small there. */
  size_t bigsz = reference_run() ? 1UL << 30 : 1UL << 40;
  char *big = mmap(NULL, bigsz, PROT_READ | PROT_WRITE, ANON | MAP_NORESERVE, -1, 0);
  check(big != MAP_FAILED, "a huge writable MAP_NORESERVE mapping");
  big[12345678] = 1;
  check(big[12345678] == 1, "a page of it can be touched");
  munmap(big, bigsz);
  if (!reference_run())
    CHECK_ERR(mmap(NULL, 1UL << 46, PROT_READ | PROT_WRITE, ANON, -1, 0), ENOMEM,
              "a private writable mapping larger than memory is refused (heuristic overcommit)");
}

static void map_count(void) {
  if (reference_run()) {
    skip("vm.max_map_count", "qemu's own mappings count against the host's limit");
    return;
  }
  int before = count_maps();
  if (before < 0) {
    skip("vm.max_map_count", "no /proc/self/maps");
    return;
  }
  /* One big area carved into alternating protections: every page is its own VMA. */
  size_t pages = 70000;
  char *a = mmap(NULL, pages * PG, PROT_READ, ANON, -1, 0);
  int ok = a != MAP_FAILED;
  size_t i;
  for (i = 1; ok && i < pages; i += 2)
    if (mprotect(a + i * PG, PG, PROT_READ | PROT_WRITE) != 0) break;
  int e = errno;
  int after = count_maps();
  errno = e;
  check(ok && i < pages && errno == ENOMEM, "splitting VMAs stops with ENOMEM at vm.max_map_count");
  check(after == 65530, "the map count stops at 65530");
  char *one = mmap(NULL, PG, PROT_READ | PROT_WRITE | PROT_EXEC, ANON, -1, 0);
  check(one != MAP_FAILED && count_maps() == 65531, "mmap may still take the count to 65531");
  CHECK_ERR(mmap(NULL, PG, PROT_READ | PROT_EXEC, ANON, -1, 0), ENOMEM, "then mmap is ENOMEM");
  CHECK_ERR(munmap(a + (pages - 10) * PG, PG), ENOMEM, "and munmap of a VMA's middle is ENOMEM");
  munmap(one, PG);
  munmap(a, pages * PG);
  check(count_maps() == before, "unmapping gives the count back");
}

static void hugetlb(void) {
  char *h = mmap(NULL, 4096, PROT_READ | PROT_WRITE, ANON | MAP_HUGETLB, -1, 0);
  if (h == MAP_FAILED && (errno == ENOMEM || reference_run())) {
    skip("MAP_HUGETLB", "no huge pages in the pool (vm.nr_hugepages = 0)");
    return;
  }
  check(h != MAP_FAILED && ((uintptr_t)h & (2 * 1024 * 1024 - 1)) == 0, "MAP_HUGETLB memory is 2 MiB aligned");
  h[2 * 1024 * 1024 - 1] = 1;
  check(h[2 * 1024 * 1024 - 1] == 1, "the whole huge page is usable");
  CHECK_ERR(munmap(h, 4096), EINVAL, "munmap of part of a huge page is EINVAL");
  check(munmap(h, 2 * 1024 * 1024) == 0, "munmap of the huge page");
  CHECK_ERR(mmap(NULL, 4096, PROT_READ, ANON | MAP_HUGETLB | (20 << 26), -1, 0), EINVAL, "an unknown huge page size is EINVAL");
}

int main(void) {
  address_space();
  reservations();
  map_count();
  hugetlb();
  return finish();
}
