/*
 * The hugetlbfs mount at /dev/hugepages: files created there are backed by 2 MiB huge pages from
 * the pool, with Linux's alignment and length rules. argv[1] is a scratch directory (unused),
 * argv[2] the pool size in huge pages the run was given (compat64 --hugepages; 64 by default).
 * Skipped where there is no hugetlbfs mount (qemu-aarch64 on a host without one).
 */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define HPAGE (2UL << 20)
#define HUGETLBFS_MAGIC 0x958458f6
#ifndef F_SEAL_SEAL
#define F_SEAL_SEAL 1
#endif

static char path[128];

/* The maps line naming this file, or "" (the whole file, since it is generated on read). */
static const char *maps_line_of(const char *name) {
  static char text[1 << 20];
  static char line[512];
  FILE *f = fopen("/proc/self/maps", "r");
  if (f == NULL) return "";
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  char *hit = strstr(text, name);
  if (hit == NULL) return "";
  char *start = hit;
  while (start > text && start[-1] != '\n') start--;
  char *end = strchr(hit, '\n');
  size_t len = end ? (size_t)(end - start) : strlen(start);
  if (len >= sizeof line) len = sizeof line - 1;
  memcpy(line, start, len);
  line[len] = 0;
  return line;
}

static int listed(const char *name) {
  DIR *d = opendir("/dev/hugepages");
  if (d == NULL) return 0;
  struct dirent *e;
  int found = 0;
  while ((e = readdir(d)) != NULL) found |= strcmp(e->d_name, name) == 0;
  closedir(d);
  return found;
}

static sigjmp_buf jb;
static void on_bus(int sig) {
  (void)sig;
  siglongjmp(jb, 1);
}

int main(int argc, char **argv) {
  long pool = argc > 2 ? atol(argv[2]) : 64;
  struct statfs sf;
  if (statfs("/dev/hugepages", &sf) != 0 || (unsigned long)sf.f_type != HUGETLBFS_MAGIC) {
    skip("hugetlbfs", "no hugetlbfs mounted at /dev/hugepages");
    return finish();
  }
  check(sf.f_bsize == (long)HPAGE, "statfs: hugetlbfs with 2 MiB blocks");
  char name[64];
  snprintf(name, sizeof name, "c64-hugetlbfs-%d", (int)getpid());
  snprintf(path, sizeof path, "/dev/hugepages/%s", name);

  int fd = open(path, O_CREAT | O_EXCL | O_RDWR, 0640);
  check(fd >= 0, "open(O_CREAT) makes a file");
  if (fd < 0) return finish();
  CHECK_ERR(open(path, O_CREAT | O_EXCL | O_RDWR, 0600), EEXIST, "O_EXCL on it again is EEXIST");
  check(listed(name), "readdir lists it");
  struct stat st;
  check(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0640 && st.st_size == 0 && st.st_nlink == 1,
        "fstat: a regular file, mode 0640, empty, one link");
  check(st.st_blksize == (blksize_t)HPAGE, "st_blksize is the huge page size");
  check(fstatfs(fd, &sf) == 0 && (unsigned long)sf.f_type == HUGETLBFS_MAGIC, "fstatfs: hugetlbfs");
  check(fcntl(fd, F_GET_SEALS) == F_SEAL_SEAL, "hugetlbfs files start sealed with F_SEAL_SEAL");

  CHECK_ERR(ftruncate(fd, 4096), EINVAL, "ftruncate to less than a huge page is EINVAL");
  CHECK_ERR(ftruncate(fd, HPAGE + 4096), EINVAL, "ftruncate to a partial huge page is EINVAL");
  check(ftruncate(fd, 2 * HPAGE) == 0 && fstat(fd, &st) == 0 && st.st_size == (off_t)(2 * HPAGE), "ftruncate to 4 MiB");
  CHECK_ERR(write(fd, "x", 1), EINVAL, "write(2) is EINVAL");

  char *m = mmap(NULL, 2 * HPAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  check(m != MAP_FAILED && ((uintptr_t)m & (HPAGE - 1)) == 0, "a shared mapping is 2 MiB aligned");
  if (m == MAP_FAILED) return finish();
  memcpy(m + HPAGE + 5, "huge", 4);
  char buf[8] = {0};
  check(pread(fd, buf, 4, HPAGE + 5) == 4 && memcmp(buf, "huge", 4) == 0, "read(2) sees the mapping's writes");
  CHECK_ERR(munmap(m + 4096, 4096), EINVAL, "munmap inside a huge page is EINVAL");
  CHECK_ERR(mmap(NULL, HPAGE, PROT_READ, MAP_SHARED, fd, 4096), EINVAL, "an offset inside a huge page is EINVAL");
  char *second = mmap(NULL, 1, PROT_READ, MAP_SHARED, fd, HPAGE);
  check(second != MAP_FAILED && memcmp(second + 5, "huge", 4) == 0, "a 1-byte mapping at a huge page offset works");
  check(second != MAP_FAILED && munmap(second, HPAGE) == 0, "and its length was rounded up to the huge page");
  char *spot = (char *)(((uintptr_t)m + 4 * HPAGE) | 4096);
  CHECK_ERR(mmap(spot, HPAGE, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0), EINVAL, "MAP_FIXED at an address inside a huge page is EINVAL");
  char *priv = mmap(NULL, HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, HPAGE);
  check(priv != MAP_FAILED && priv[5] == 'h', "a private mapping reads the file");
  if (priv != MAP_FAILED) {
    priv[5] = 'H';
    check(m[HPAGE + 5] == 'h', "and its writes stay private");
    munmap(priv, HPAGE);
  }
  LINUX_ONLY {
    const char *l = maps_line_of(name);
    check(strstr(l, " rw-s ") != NULL && strstr(l, path) != NULL, "maps names the file");
  }

  /* A writable shared mapping past the end grows the file (hugetlbfs_file_mmap). */
  char *grow = mmap(NULL, 3 * HPAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  check(grow != MAP_FAILED && fstat(fd, &st) == 0 && st.st_size == (off_t)(3 * HPAGE),
        "a writable mapping longer than the file grows it");
  if (grow != MAP_FAILED) munmap(grow, 3 * HPAGE);

  /* The pool: a mapping reserves its huge pages unless MAP_NORESERVE. */
  char other[160];
  snprintf(other, sizeof other, "%s-pool", path);
  int fd2 = open(other, O_CREAT | O_RDWR, 0600);
  unlink(other);
  long free_pages = pool - 3;
  CHECK_ERR(mmap(NULL, (free_pages + 1) * HPAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0), ENOMEM,
            "a mapping needing more huge pages than the pool has free is ENOMEM");
  char *nr = mmap(NULL, (free_pages + 1) * HPAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd2, 0);
  check(nr != MAP_FAILED, "with MAP_NORESERVE it is made");
  if (nr != MAP_FAILED) {
    for (long i = 0; i < free_pages; i++) nr[i * HPAGE] = 1;
    struct sigaction sa = {0};
    sa.sa_handler = on_bus;
    sigaction(SIGBUS, &sa, NULL);
    volatile int bus = 0;
    if (sigsetjmp(jb, 1) == 0) nr[free_pages * HPAGE] = 1;
    else bus = 1;
    check(bus, "touching one huge page more than the pool holds is SIGBUS");
    munmap(nr, (free_pages + 1) * HPAGE);
  }
  close(fd2);

  check(unlink(path) == 0, "unlink");
  CHECK_ERR(stat(path, &st), ENOENT, "the name is gone");
  check(!listed(name), "and no longer listed");
  check(m[HPAGE + 5] == 'h' && fstat(fd, &st) == 0 && st.st_nlink == 0, "the mapping and the open file live on, unlinked");
  LINUX_ONLY check(strstr(maps_line_of(name), "(deleted)") != NULL, "maps shows the file (deleted)");
  CHECK_ERR(unlink(path), ENOENT, "unlinking it again is ENOENT");
  return finish();
}
