/*
 * Memory management as a program sees it: malloc of small and large blocks (brk and mmap inside the C
 * library), anonymous and file mappings (private and shared), mprotect, mremap, munmap of whole and
 * partial ranges, and brk directly. argv[1] is a scratch directory for the file mappings. Prints one
 * PASS/FAIL line per check and checksums of the data written, never an address.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;
static long page;

static void check(int ok, const char *name) {
  if (ok) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (errno %d %s)\n", name, errno, strerror(errno));
    failures++;
  }
}

/* FNV-1a: a checksum to print so byte-for-byte comparison also covers the data. */
static uint32_t fnv(const unsigned char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static void heap(void) {
  enum { SMALL = 2000 };
  unsigned char *small[SMALL];
  int ok = 1;
  for (int i = 0; i < SMALL; i++) {
    size_t n = 1 + (size_t)(i * 37) % 500;
    small[i] = malloc(n);
    if (!small[i]) ok = 0;
    else memset(small[i], i & 0xff, n);
  }
  check(ok, "2000 small mallocs succeed");
  for (int i = 0; i < SMALL && ok; i++) {
    size_t n = 1 + (size_t)(i * 37) % 500;
    if (small[i][0] != (i & 0xff) || small[i][n - 1] != (i & 0xff)) ok = 0;
  }
  check(ok, "small blocks keep their contents (no overlap)");
  for (int i = 0; i < SMALL; i += 2) free(small[i]);
  for (int i = 0; i < SMALL; i += 2) small[i] = malloc(64);
  check(small[0] != NULL && small[SMALL - 2] != NULL, "malloc after free reuses the heap");
  for (int i = 0; i < SMALL; i++) free(small[i]);

  size_t big = 32u << 20;
  unsigned char *b = malloc(big);
  check(b != NULL, "malloc 32 MiB");
  if (b) {
    for (size_t i = 0; i < big; i += 4096) b[i] = (unsigned char)(i >> 12);
    uint32_t sum = 0;
    for (size_t i = 0; i < big; i += 4096) sum = sum * 31 + b[i];
    printf("big block checksum %08x\n", sum);
    check(b[big - 4096] == (unsigned char)((big - 4096) >> 12), "last page of the big block holds its value");
    unsigned char *c = realloc(b, big * 2);
    check(c != NULL && c[4096] == 1 && c[big - 4096] == (unsigned char)((big - 4096) >> 12), "realloc to 64 MiB keeps contents");
    free(c ? c : b);
  }
  void *z = calloc(1000, 1000);
  int zero = z != NULL;
  for (size_t i = 0; z && i < 1000000; i++) zero &= ((unsigned char *)z)[i] == 0;
  check(zero, "calloc returns zeroed memory");
  free(z);
}

static void anonymous(void) {
  size_t len = 16 * page;
  unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  check(p != MAP_FAILED, "mmap anonymous 16 pages");
  if (p == MAP_FAILED) return;
  check(((uintptr_t)p & (page - 1)) == 0, "mmap result is page aligned");
  int zero = 1;
  for (size_t i = 0; i < len; i++) zero &= p[i] == 0;
  check(zero, "anonymous memory starts zeroed");
  for (size_t i = 0; i < len; i++) p[i] = (unsigned char)(i * 7);
  printf("anonymous checksum %08x\n", fnv(p, len));

  check(mprotect(p, page, PROT_READ) == 0, "mprotect first page read-only");
  check(p[0] == 0 && p[1] == 7, "read-only page is still readable");
  check(mprotect(p, page, PROT_READ | PROT_WRITE) == 0, "mprotect back to read-write");
  p[0] = 0xaa;
  check(p[0] == 0xaa, "page writable again after mprotect");
  errno = 0;
  check(mprotect(p + 1, page, PROT_READ) == -1 && errno == EINVAL, "mprotect of an unaligned address fails with EINVAL");

  check(munmap(p + 4 * page, 2 * page) == 0, "munmap two pages in the middle");
  check(p[3 * page] == (unsigned char)(3 * page * 7) && p[6 * page] == (unsigned char)(6 * page * 7), "pages around a hole are intact");
  unsigned char *hole = mmap(p + 4 * page, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  check(hole == p + 4 * page && hole[0] == 0, "MAP_FIXED refills the hole with zero pages");
  /* MAP_FIXED_NOREPLACE over a mapping (EEXIST on Linux) is not checked: qemu-aarch64 7.2 gets it wrong. */

  unsigned char *q = mremap(p, len, 64 * page, MREMAP_MAYMOVE);
  check(q != MAP_FAILED, "mremap grow to 64 pages with MREMAP_MAYMOVE");
  if (q == MAP_FAILED) return;
  check(q[0] == 0xaa && q[len - 1] == (unsigned char)((len - 1) * 7), "mremap keeps the contents");
  q[64 * page - 1] = 1;
  check(q[len] == 0 && q[64 * page - 1] == 1, "grown part is zeroed and writable");
  unsigned char *s = mremap(q, 64 * page, 2 * page, 0);
  check(s == q, "mremap shrink stays in place");
  check(munmap(s, 2 * page) == 0, "munmap the rest");
  errno = 0;
  check(munmap((void *)1, page) == -1 && errno == EINVAL, "munmap of an unaligned address fails with EINVAL");
  check(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL, "mmap of length 0 fails with EINVAL");
}

static void file_mappings(const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/mapped", dir);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  check(fd >= 0, "create a file to map");
  if (fd < 0) return;
  size_t len = 3 * page + 100; /* the last page is partial: the rest of it must read as zero */
  unsigned char *data = malloc(len);
  for (size_t i = 0; i < len; i++) data[i] = (unsigned char)(i % 251);
  check(write(fd, data, len) == (ssize_t)len, "write the file");

  unsigned char *priv = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  check(priv != MAP_FAILED, "mmap file MAP_PRIVATE");
  if (priv != MAP_FAILED) {
    check(memcmp(priv, data, len) == 0, "private mapping shows the file contents");
    check(priv[len] == 0 && priv[4 * page - 1] == 0, "bytes past end of file in the last page read as zero");
    priv[0] = 0xff;
    unsigned char first;
    check(pread(fd, &first, 1, 0) == 1 && first == 0, "a write to a private mapping does not reach the file");
    munmap(priv, 4 * page);
  }

  unsigned char *off = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 2 * page);
  check(off != MAP_FAILED && memcmp(off, data + 2 * page, page) == 0, "mmap at a file offset of two pages");
  if (off != MAP_FAILED) munmap(off, page);

  unsigned char *shared = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  check(shared != MAP_FAILED, "mmap file MAP_SHARED");
  if (shared != MAP_FAILED) {
    memcpy(shared + 10, "shared!", 7);
    check(msync(shared, len, MS_SYNC) == 0, "msync");
    char back[8] = {0};
    check(pread(fd, back, 7, 10) == 7 && memcmp(back, "shared!", 7) == 0, "a write to a shared mapping reaches the file");
    check(pwrite(fd, "W", 1, page + 5) == 1 && shared[page + 5] == 'W', "a write to the file shows in a shared mapping");
    munmap(shared, len);
  }
  errno = 0;
  check(mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 1) == MAP_FAILED && errno == EINVAL, "mmap at an unaligned offset fails with EINVAL");
  close(fd);
  unlink(path);
  free(data);
}

static void program_break(void) {
  void *start = sbrk(0);
  check(start != (void *)-1, "sbrk(0) gives the break");
  unsigned char *grown = sbrk(5 * page);
  check(grown == start, "sbrk grows from the old break");
  if (grown != (void *)-1) {
    memset(grown, 0x5a, 5 * page);
    check(grown[5 * page - 1] == 0x5a, "new break memory is writable");
    check(brk(grown + page) == 0 && sbrk(0) == grown + page, "brk shrinks the break");
    check(sbrk(page) == grown + page && grown[page] == 0, "memory returned by brk and taken again reads as zero");
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: mem SCRATCH-DIRECTORY\n");
    return 2;
  }
  page = sysconf(_SC_PAGESIZE);
  printf("page size %ld\n", page);
  heap();
  anonymous();
  file_mappings(argv[1]);
  program_break();
  printf("%s\n", failures ? "SOME CHECKS FAILED" : "ALL PASSED");
  return failures ? 1 : 0;
}
