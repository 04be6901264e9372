/*
 * File mappings and the page cache: MAP_SHARED writes are seen by read(2) at once and reach the file
 * by msync/munmap/exit; write(2) is seen by shared and (untouched) private mappings; private writes
 * never reach the file; ftruncate makes pages beyond the end go away. argv[1]: a scratch directory.
 */
#include "check.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PG 4096UL

int main(int argc, char **argv) {
  char path[4096];
  snprintf(path, sizeof path, "%s/mapped", argc > 1 ? argv[1] : "/tmp");
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  check(fd >= 0 && ftruncate(fd, 4 * PG) == 0, "create a 4-page file");
  char *s = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  check(s != MAP_FAILED && p != MAP_FAILED, "map it shared and private");
  memcpy(s + 10, "shared", 6);
  char buf[16] = {0};
  check(pread(fd, buf, 6, 10) == 6 && memcmp(buf, "shared", 6) == 0, "read(2) sees a write through MAP_SHARED at once");
  check(memcmp(p + 10, "shared", 6) == 0, "an untouched private mapping sees it too");
  check(s[PG + 5] == 0 && p[PG + 6] == 0, "both mappings have the second page in memory");
  check(pwrite(fd, "written", 7, PG + 5) == 7, "pwrite");
  check(memcmp(s + PG + 5, "written", 7) == 0, "MAP_SHARED sees write(2) at once");
  check(memcmp(p + PG + 5, "written", 7) == 0, "an untouched private page sees write(2)");
  p[PG + 5] = 'P';
  check(pwrite(fd, "again", 5, PG + 5) == 5 && p[PG + 5] == 'P' && p[PG + 6] == 'r', "a private page, once written, keeps its own copy");
  check(pread(fd, buf, 1, PG + 5) == 1 && buf[0] == 'a', "private writes never reach the file");
  s[2 * PG] = 'M';
  check(msync(s, 4 * PG, MS_SYNC) == 0, "msync");
  int fd2 = open(path, O_RDONLY);
  check(pread(fd2, buf, 1, 2 * PG) == 1 && buf[0] == 'M', "the data reached the file");
  s[3 * PG] = 'U';
  check(munmap(s, 4 * PG) == 0 && pread(fd2, buf, 1, 3 * PG) == 1 && buf[0] == 'U', "munmap writes back too");
  char *s2 = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  check(ftruncate(fd, PG + 100) == 0, "truncate the mapped file");
  check(s2[PG + 99] == 'a' || s2[PG + 99] == 0, "the last page stays readable");
  check(s2[PG + 100] == 0, "bytes past the new end read as zero");
  struct stat st;
  check(fstat(fd, &st) == 0 && st.st_size == (off_t)(PG + 100), "the size is the new one");
  close(fd2);
  unlink(path);
  return finish();
}
