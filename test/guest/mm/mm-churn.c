/*
 * Scale: 60 000 live mappings with mmap/munmap/mprotect churn among them and a page-touch loop.
 * Prints elapsed times (stderr) and PASS lines; the benchmark (bench/mm-churn.ts) runs it too.
 */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

#define N 60000
#define PG 4096UL
static char *maps[N];

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void) {
  double t0 = now();
  int ok = 1;
  /* Alternate protections so neighbouring mappings cannot merge: 60 000 VMAs. */
  for (int i = 0; i < N && ok; i++) {
    maps[i] = mmap(NULL, PG, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ok = maps[i] != MAP_FAILED;
  }
  double t1 = now();
  check(ok, "60000 mappings");
  unsigned seed = 1;
  for (int round = 0; round < 60000 && ok; round++) {
    seed = seed * 1103515245 + 12345;
    int i = (seed >> 8) % N;
    ok &= munmap(maps[i], PG) == 0;
    maps[i] = mmap(NULL, PG, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ok &= maps[i] != MAP_FAILED;
    ok &= mprotect(maps[(i + 7) % N], PG, ((i + 7) % 2) ? PROT_READ : PROT_READ | PROT_WRITE) == 0;
  }
  double t2 = now();
  check(ok, "60000 rounds of munmap/mmap/mprotect among them");
  long sum = 0;
  for (int pass = 0; pass < 4; pass++)
    for (int i = 0; i < N; i += 2) {
      maps[i][pass * 8] = (char)i;
      sum += maps[i][pass * 8];
    }
  double t3 = now();
  check(sum != 0 || N == 0, "touch every writable mapping four times");
  for (int i = 0; i < N; i++) munmap(maps[i], PG);
  double t4 = now();
  fprintf(stderr, "mm-churn: map %.3f s, churn %.3f s, touch %.3f s, unmap %.3f s\n", t1 - t0, t2 - t1, t3 - t2, t4 - t3);
  return finish();
}
