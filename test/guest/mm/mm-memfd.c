/* memfd_create: a file in memory that read/write, ftruncate and MAP_SHARED see alike; seals; MFD_HUGETLB. */
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PG 4096UL
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 1
#define F_SEAL_SHRINK 2
#define F_SEAL_GROW 4
#define F_SEAL_WRITE 8
#endif

int main(void) {
  int fd = memfd_create("mmtest", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0 && errno == ENOSYS) {
    skip("memfd", "memfd_create is not implemented");
    return finish();
  }
  check(fd >= 0, "memfd_create");
  check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "MFD_CLOEXEC sets close-on-exec");
  check(ftruncate(fd, 2 * PG) == 0, "ftruncate");
  struct stat st;
  check(fstat(fd, &st) == 0 && st.st_size == (off_t)(2 * PG) && S_ISREG(st.st_mode) && st.st_nlink == 0, "fstat: size, regular, unlinked");
  char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  check(m != MAP_FAILED, "mmap MAP_SHARED");
  memcpy(m + PG, "hello", 5);
  char buf[8] = {0};
  check(pread(fd, buf, 5, PG) == 5 && memcmp(buf, "hello", 5) == 0, "pread sees writes through the mapping");
  check(pwrite(fd, "W", 1, 3) == 1 && m[3] == 'W', "the mapping sees pwrite");
  char *m2 = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 0);
  check(m2 != MAP_FAILED && m2[3] == 'W', "a second mapping shares the pages");
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  char link[256] = {0};
  if (readlink(path, link, sizeof link - 1) > 0) check(strcmp(link, "/memfd:mmtest (deleted)") == 0, "its /proc/self/fd link");
  int seals = fcntl(fd, F_GET_SEALS);
  if (seals < 0) {
    skip("memfd seals", "fcntl F_GET_SEALS is not wired");
  } else {
    check(seals == 0, "MFD_ALLOW_SEALING starts without seals");
    CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY, "F_SEAL_WRITE with a shared writable mapping is EBUSY");
    munmap(m, 2 * PG);
    /* m2 is PROT_READ but shared on a writable fd: it still counts as a writable mapping. */
    CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY, "a shared read-only mapping of a writable fd also blocks F_SEAL_WRITE");
    munmap(m2, 2 * PG);
    check(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK) == 0, "F_ADD_SEALS");
    check(fcntl(fd, F_GET_SEALS) == (F_SEAL_WRITE | F_SEAL_SHRINK), "F_GET_SEALS");
    CHECK_ERR(write(fd, "x", 1), EPERM, "write after F_SEAL_WRITE is EPERM");
    CHECK_ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EPERM, "a shared writable mapping after F_SEAL_WRITE is EPERM");
    CHECK_ERR(ftruncate(fd, PG), EPERM, "shrinking after F_SEAL_SHRINK is EPERM");
    check(ftruncate(fd, 3 * PG) == 0, "growing is still allowed");
    check(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL) == 0, "F_SEAL_SEAL");
    CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW), EPERM, "no seals after F_SEAL_SEAL");
    int plain = memfd_create("plain", 0);
    check(fcntl(plain, F_GET_SEALS) == F_SEAL_SEAL, "without MFD_ALLOW_SEALING the file is sealed with F_SEAL_SEAL");
  }
  CHECK_ERR(memfd_create("x", 0x100), EINVAL, "unknown flags are EINVAL");
  char longname[300];
  memset(longname, 'a', sizeof longname);
  longname[250] = 0;
  CHECK_ERR(memfd_create(longname, 0), EINVAL, "a name over 249 bytes is EINVAL");
  int h = memfd_create("huge", MFD_HUGETLB);
  if (h < 0) {
    skip("MFD_HUGETLB", strerror(errno));
  } else {
    CHECK_ERR(ftruncate(h, PG), EINVAL, "a hugetlbfs size must be whole huge pages");
    check(ftruncate(h, 2 << 20) == 0, "ftruncate to 2 MiB");
    char *hm = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, h, 0);
    if (hm == MAP_FAILED && (errno == ENOMEM || reference_run())) {
      skip("MFD_HUGETLB mapping", "no huge pages in the pool");
    } else {
      check(hm != MAP_FAILED && ((uintptr_t)hm & ((2 << 20) - 1)) == 0, "a hugetlb memfd maps 2 MiB aligned");
      hm[5] = 7;
      check(pread(h, buf, 1, 5) == 1 && buf[0] == 7, "read(2) of a hugetlb memfd sees the mapping");
    }
  }
  return finish();
}
