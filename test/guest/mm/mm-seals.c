/*
 * File seals through fcntl(F_ADD_SEALS / F_GET_SEALS): what each seal forbids (write, grow, shrink,
 * future writes, exec bits), which files can be sealed, and the errors in memfd_add_seals' order.
 * argv[1] is a scratch directory. Under qemu-aarch64 fcntl reaches the host kernel: every check
 * here is Linux's own behaviour and runs there too.
 */
#include "check.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PG 4096UL
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x10
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x20
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x8
#endif

static int sealable(const char *name) {
  int fd = memfd_create(name, MFD_ALLOW_SEALING);
  if (fd >= 0 && ftruncate(fd, 2 * PG) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/tmp";
  char buf[16] = {0};

  /* F_SEAL_GROW: writes and ftruncate may not extend the file; inside it they work. */
  int g = sealable("grow");
  check(g >= 0 && fcntl(g, F_ADD_SEALS, F_SEAL_GROW) == 0, "F_SEAL_GROW");
  check(pwrite(g, "in", 2, PG) == 2, "a write inside the file works");
  /* shmem_write_begin checks each page's part of the write: the part before the end is written. */
  check(pwrite(g, "out", 3, 2 * PG - 1) == 1, "a write crossing the end stops at the end");
  CHECK_ERR(pwrite(g, "out", 3, 2 * PG), EPERM, "a write starting at the end is EPERM");
  CHECK_ERR(ftruncate(g, 3 * PG), EPERM, "growing with ftruncate is EPERM");
  check(ftruncate(g, PG) == 0, "shrinking is allowed");

  /* F_SEAL_SHRINK: the reverse. */
  int s = sealable("shrink");
  check(s >= 0 && fcntl(s, F_ADD_SEALS, F_SEAL_SHRINK) == 0, "F_SEAL_SHRINK");
  CHECK_ERR(ftruncate(s, PG), EPERM, "shrinking is EPERM");
  check(ftruncate(s, 4 * PG) == 0 && pwrite(s, "x", 1, 5 * PG) == 1, "growing (ftruncate, write) is allowed");

  /* F_SEAL_FUTURE_WRITE: mappings made before keep writing; no new write access of any kind. */
  int f = sealable("future");
  char *before = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
  check(before != MAP_FAILED, "a shared writable mapping before the seal");
  check(fcntl(f, F_ADD_SEALS, F_SEAL_FUTURE_WRITE) == 0, "F_SEAL_FUTURE_WRITE is allowed with a writable mapping");
  if (before != MAP_FAILED) {
    before[10] = 'M';
    check(pread(f, buf, 1, 10) == 1 && buf[0] == 'M', "the earlier mapping still writes");
  }
  CHECK_ERR(pwrite(f, "w", 1, 0), EPERM, "write(2) is EPERM");
  CHECK_ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0), EPERM, "a new shared writable mapping is EPERM");
  char *ro = mmap(NULL, PG, PROT_READ, MAP_SHARED, f, 0);
  check(ro != MAP_FAILED && ro[10] == 'M', "a new shared read-only mapping is allowed");
  CHECK_ERR(mprotect(ro, PG, PROT_READ | PROT_WRITE), EACCES, "and mprotect cannot make it writable");
  char *priv = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, f, 0);
  check(priv != MAP_FAILED, "a private writable mapping is allowed");
  if (priv != MAP_FAILED) {
    priv[10] = 'p';
    check(pread(f, buf, 1, 10) == 1 && buf[0] == 'M', "its writes stay private");
  }

  /* F_SEAL_WRITE after the writable mapping is gone; then F_SEAL_SEAL freezes the set. */
  int w = sealable("write");
  char *wm = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, w, 0);
  CHECK_ERR(fcntl(w, F_ADD_SEALS, F_SEAL_WRITE), EBUSY, "F_SEAL_WRITE while a shared writable mapping exists is EBUSY");
  munmap(wm, PG);
  check(fcntl(w, F_ADD_SEALS, F_SEAL_WRITE) == 0, "F_SEAL_WRITE once it is unmapped");
  CHECK_ERR(pwrite(w, "w", 1, 0), EPERM, "write(2) is EPERM");
  check(fcntl(w, F_ADD_SEALS, F_SEAL_SEAL) == 0 && fcntl(w, F_GET_SEALS) == (F_SEAL_WRITE | F_SEAL_SEAL),
        "F_SEAL_SEAL, and F_GET_SEALS shows both");
  CHECK_ERR(fcntl(w, F_ADD_SEALS, F_SEAL_GROW), EPERM, "nothing more after F_SEAL_SEAL");
  CHECK_ERR(fcntl(w, F_ADD_SEALS, 0), EPERM, "not even no seals");

  /* F_SEAL_EXEC: the execute bits are frozen; on an executable file it brings the write seals. */
  int x = sealable("exec");
  struct stat st;
  check(fstat(x, &st) == 0 && (st.st_mode & 0777) == 0777, "a memfd is created 0777 (vm.memfd_noexec 0)");
  check(fcntl(x, F_ADD_SEALS, F_SEAL_EXEC) == 0, "F_SEAL_EXEC");
  check(fcntl(x, F_GET_SEALS) == (F_SEAL_EXEC | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE),
        "on an executable memfd F_SEAL_EXEC implies the write, grow and shrink seals");
  CHECK_ERR(fchmod(x, 0666), EPERM, "fchmod may not drop execute bits");
  check(fchmod(x, 0755) == 0, "fchmod keeping the execute bits works");
  int nx = memfd_create("noexec", MFD_NOEXEC_SEAL);
  check(nx >= 0 && fstat(nx, &st) == 0 && (st.st_mode & 0777) == 0666, "MFD_NOEXEC_SEAL: mode 0666");
  check(fcntl(nx, F_GET_SEALS) == F_SEAL_EXEC, "MFD_NOEXEC_SEAL: sealed F_SEAL_EXEC, sealing still allowed");
  CHECK_ERR(fchmod(nx, 0777), EPERM, "and the execute bits cannot come back");
  check(fcntl(nx, F_ADD_SEALS, F_SEAL_GROW) == 0, "other seals can still be added");

  /* Which files: write access first (EPERM), then the seal bits and the file kind (EINVAL). */
  int m = sealable("bits");
  CHECK_ERR(fcntl(m, F_ADD_SEALS, 0x40), EINVAL, "an unknown seal bit is EINVAL");
  check(fcntl(m, F_GET_SEALS) == 0, "and adds nothing");
  char path[512];
  snprintf(path, sizeof path, "%s/regular", dir);
  int rw = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  int rdonly = open(path, O_RDONLY);
  check(rw >= 0 && rdonly >= 0, "a regular file");
  CHECK_ERR(fcntl(rw, F_GET_SEALS), EINVAL, "F_GET_SEALS on a regular file is EINVAL");
  CHECK_ERR(fcntl(rw, F_ADD_SEALS, F_SEAL_GROW), EINVAL, "F_ADD_SEALS on a writable regular file is EINVAL");
  CHECK_ERR(fcntl(rdonly, F_ADD_SEALS, F_SEAL_GROW), EPERM, "F_ADD_SEALS on a read-only one is EPERM");
  int p[2];
  check(pipe(p) == 0, "a pipe");
  CHECK_ERR(fcntl(p[0], F_ADD_SEALS, F_SEAL_GROW), EPERM, "F_ADD_SEALS on a pipe's read end is EPERM");
  CHECK_ERR(fcntl(p[1], F_ADD_SEALS, F_SEAL_GROW), EINVAL, "on its write end EINVAL");
  CHECK_ERR(fcntl(p[1], F_GET_SEALS), EINVAL, "F_GET_SEALS on a pipe is EINVAL");
  unlink(path);
  return finish();
}
