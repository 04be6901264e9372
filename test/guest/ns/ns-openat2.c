/*
 * openat2 as Linux 6.1 has it: struct open_how sizes (VER0 = 24, larger with a zero tail, E2BIG
 * otherwise), the flag and mode checks, and RESOLVE_* lookups (BENEATH, IN_ROOT, NO_SYMLINKS,
 * NO_MAGICLINKS, NO_XDEV, CACHED).
 */
#include "check.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static long openat2(int dirfd, const char *path, const void *how, size_t size) {
  return syscall(SYS_openat2, dirfd, path, how, size);
}

static long o2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
  struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
  return openat2(dirfd, path, &how, sizeof how);
}

/* The result as a check: a new fd (closed again) or the errno. */
static void check_open(long r, const char *name) {
  check(r >= 0, name);
  if (r >= 0) close((int)r);
}

static char dir[64];

static void setup(void) {
  strcpy(dir, "/tmp/c64-openat2-XXXXXX");
  if (mkdtemp(dir) == NULL) exit(2);
  char p[128];
  snprintf(p, sizeof p, "%s/sub", dir);
  mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/f", dir);
  close(open(p, O_CREAT | O_WRONLY, 0644));
  snprintf(p, sizeof p, "%s/abs", dir);
  if (symlink("/tmp", p) != 0) exit(2);
  snprintf(p, sizeof p, "%s/rel", dir);
  if (symlink("f", p) != 0) exit(2);
  snprintf(p, sizeof p, "%s/sub/up", dir);
  if (symlink("../f", p) != 0) exit(2);
  snprintf(p, sizeof p, "%s/sub/out", dir);
  if (symlink("../../f", p) != 0) exit(2);
  snprintf(p, sizeof p, "%s/absf", dir);
  char t[96];
  snprintf(t, sizeof t, "%s/f", dir);
  if (symlink(t, p) != 0) exit(2);
}

static void teardown(void) {
  const char *names[] = {"sub/up", "sub/out", "abs", "rel", "absf", "f", "new", "sub"};
  char p[128];
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, names[i]);
    if (unlink(p) != 0) rmdir(p);
  }
  rmdir(dir);
}

static void test_sizes(int d) {
  struct {
    struct open_how how;
    uint64_t tail[2];
  } big;
  memset(&big, 0, sizeof big);
  big.how.flags = O_RDONLY;
  CHECK_ERR(openat2(d, "f", &big, 0), EINVAL, "size 0 EINVAL");
  CHECK_ERR(openat2(d, "f", &big, 23), EINVAL, "size 23 EINVAL");
  check_open(openat2(d, "f", &big, 24), "size 24 (VER0)");
  check_open(openat2(d, "f", &big, sizeof big), "size 40 with a zero tail");
  big.tail[1] = 1;
  CHECK_ERR(openat2(d, "f", &big, sizeof big), E2BIG, "size 40 with a non-zero tail E2BIG");
  CHECK_ERR(openat2(d, "f", (void *)8, 24), EFAULT, "bad how EFAULT");
  CHECK_ERR(openat2(d, (const char *)8, &big.how, 24), EFAULT, "bad path EFAULT");
  char *page = calloc(1, 8192);
  check_open(openat2(d, "f", page, 4096), "size 4096 all zero");
  /* 6.1.y (since the 2024 stable backport) refuses anything over a page. */
  CHECK_ERR(openat2(d, "f", page, 4097), E2BIG, "size 4097 E2BIG");
  free(page);
}

static void test_flags(int d) {
  CHECK_ERR(o2(d, "f", 1ull << 32, 0, 0), EINVAL, "flag bit 32 EINVAL");
  CHECK_ERR(o2(d, "f", 0x40000000, 0, 0), EINVAL, "unknown flag EINVAL");
  CHECK_ERR(o2(d, "f", O_RDONLY, 0644, 0), EINVAL, "mode without O_CREAT EINVAL");
  CHECK_ERR(o2(d, "new", O_CREAT | O_WRONLY, 010000, 0), EINVAL, "mode beyond 07777 EINVAL");
  CHECK_ERR(o2(d, "new", O_CREAT | O_WRONLY, 1ull << 40, 0), EINVAL, "mode bit 40 EINVAL");
  CHECK_ERR(o2(d, "f", O_RDONLY, 0, 0x40), EINVAL, "unknown resolve flag EINVAL");
  CHECK_ERR(o2(d, "f", O_RDONLY, 0, 1ull << 33), EINVAL, "resolve bit 33 EINVAL");
  CHECK_ERR(o2(d, "f", O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT), EINVAL, "BENEATH|IN_ROOT EINVAL");
  CHECK_ERR(o2(d, "f", O_PATH | O_RDWR, 0, 0), EINVAL, "O_PATH|O_RDWR EINVAL");
  CHECK_ERR(o2(d, "f", O_PATH | O_APPEND, 0, 0), EINVAL, "O_PATH|O_APPEND EINVAL");
  check_open(o2(d, "f", O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, 0), "O_PATH|O_NOFOLLOW|O_CLOEXEC");
  CHECK_ERR(o2(d, ".", O_TMPFILE | O_RDONLY, 0600, 0), EINVAL, "O_TMPFILE read-only EINVAL");
  CHECK_ERR(o2(d, "new", O_CREAT | O_WRONLY, 0644, RESOLVE_CACHED), EAGAIN, "RESOLVE_CACHED|O_CREAT EAGAIN");
  CHECK_ERR(o2(d, "f", O_WRONLY | O_TRUNC, 0, RESOLVE_CACHED), EAGAIN, "RESOLVE_CACHED|O_TRUNC EAGAIN");
  long r = o2(d, "new", O_CREAT | O_WRONLY | O_CLOEXEC, 0640, 0);
  check(r >= 0, "O_CREAT with mode 0640");
  check_eq(fcntl((int)r, F_GETFD), FD_CLOEXEC, "O_CLOEXEC honoured");
  check_eq(fcntl((int)r, F_GETFL) & O_ACCMODE, O_WRONLY, "access mode");
  close((int)r);
  CHECK_ERR(o2(d, "", O_RDONLY, 0, 0), ENOENT, "empty path ENOENT");
  CHECK_ERR(o2(d, "missing", O_RDONLY, 0, 0), ENOENT, "missing ENOENT");
  CHECK_ERR(o2(999, "f", O_RDONLY, 0, 0), EBADF, "bad dirfd EBADF");
  /* RESOLVE_CACHED without anything that writes: a cached lookup (0) or EAGAIN are both Linux. */
  errno = 0;
  r = o2(d, "f", O_RDONLY, 0, RESOLVE_CACHED);
  check(r >= 0 || errno == EAGAIN, "RESOLVE_CACHED read-only open: fd or EAGAIN");
  if (r >= 0) close((int)r);
}

static void test_resolve(int d) {
  check_open(o2(d, "f", O_RDONLY, 0, RESOLVE_BENEATH), "BENEATH f");
  check_open(o2(d, "sub/../f", O_RDONLY, 0, RESOLVE_BENEATH), "BENEATH sub/../f");
  check_open(o2(d, "rel", O_RDONLY, 0, RESOLVE_BENEATH), "BENEATH relative link");
  check_open(o2(d, "sub/up", O_RDONLY, 0, RESOLVE_BENEATH), "BENEATH sub/up (../f stays inside)");
  CHECK_ERR(o2(d, "sub/out", O_RDONLY, 0, RESOLVE_BENEATH), EXDEV, "BENEATH sub/out (../../f) EXDEV");
  CHECK_ERR(o2(d, "../x", O_RDONLY, 0, RESOLVE_BENEATH), EXDEV, "BENEATH .. EXDEV");
  CHECK_ERR(o2(d, "/tmp", O_RDONLY, 0, RESOLVE_BENEATH), EXDEV, "BENEATH absolute EXDEV");
  CHECK_ERR(o2(999, "/tmp", O_RDONLY, 0, RESOLVE_BENEATH), EXDEV, "BENEATH absolute before dirfd EXDEV");
  CHECK_ERR(o2(d, "abs", O_RDONLY, 0, RESOLVE_BENEATH), EXDEV, "BENEATH absolute link EXDEV");
  CHECK_ERR(o2(d, "absf", O_RDONLY, 0, RESOLVE_BENEATH), EXDEV, "BENEATH absolute link inside EXDEV");

  check_open(o2(d, "/f", O_RDONLY, 0, RESOLVE_IN_ROOT), "IN_ROOT /f is dirfd/f");
  check_open(o2(d, "../../../f", O_RDONLY, 0, RESOLVE_IN_ROOT), "IN_ROOT ../../../f stays");
  CHECK_ERR(o2(d, "absf", O_RDONLY, 0, RESOLVE_IN_ROOT), ENOENT, "IN_ROOT absolute link resolves in dirfd");
  CHECK_ERR(o2(999, "/f", O_RDONLY, 0, RESOLVE_IN_ROOT), EBADF, "IN_ROOT absolute uses dirfd (EBADF)");

  CHECK_ERR(o2(d, "rel", O_RDONLY, 0, RESOLVE_NO_SYMLINKS), ELOOP, "NO_SYMLINKS link ELOOP");
  CHECK_ERR(o2(d, "sub/up", O_RDONLY, 0, RESOLVE_NO_SYMLINKS), ELOOP, "NO_SYMLINKS nested link ELOOP");
  check_open(o2(d, "rel", O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_SYMLINKS), "NO_SYMLINKS unfollowed last link");
  check_open(o2(d, "f", O_RDONLY, 0, RESOLVE_NO_SYMLINKS), "NO_SYMLINKS plain file");

  int f = (int)o2(d, "f", O_RDONLY, 0, 0);
  char p[64];
  snprintf(p, sizeof p, "/proc/self/fd/%d", f);
  check_open(o2(AT_FDCWD, p, O_RDONLY, 0, 0), "magic link opens");
  CHECK_ERR(o2(AT_FDCWD, p, O_RDONLY, 0, RESOLVE_NO_MAGICLINKS), ELOOP, "NO_MAGICLINKS /proc/self/fd/N ELOOP");
  CHECK_ERR(o2(AT_FDCWD, "/proc/self/cwd", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS), ELOOP, "NO_MAGICLINKS cwd ELOOP");
  CHECK_ERR(o2(AT_FDCWD, p, O_RDONLY, 0, RESOLVE_NO_SYMLINKS), ELOOP, "NO_SYMLINKS magic link ELOOP");
  check_open(o2(AT_FDCWD, "/proc/self/status", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS), "NO_MAGICLINKS /proc/self (not magic)");
  int proc = (int)o2(AT_FDCWD, "/proc", O_DIRECTORY | O_RDONLY, 0, 0);
  snprintf(p, sizeof p, "self/fd/%d", f);
  CHECK_ERR(o2(proc, p, O_RDONLY, 0, RESOLVE_BENEATH), EXDEV, "BENEATH magic link EXDEV");
  CHECK_ERR(o2(proc, p, O_RDONLY, 0, RESOLVE_IN_ROOT), EXDEV, "IN_ROOT magic link EXDEV");
  close(proc);
  close(f);

  CHECK_ERR(o2(AT_FDCWD, "/proc/self/status", O_RDONLY, 0, RESOLVE_NO_XDEV), EXDEV, "NO_XDEV into /proc EXDEV");
  CHECK_ERR(o2(AT_FDCWD, "/dev/null", O_RDONLY, 0, RESOLVE_NO_XDEV), EXDEV, "NO_XDEV into /dev EXDEV");
  check_open(o2(d, "sub/../f", O_RDONLY, 0, RESOLVE_NO_XDEV), "NO_XDEV within one mount");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  setup();
  int d = open(dir, O_DIRECTORY | O_RDONLY);
  test_sizes(d);
  test_flags(d);
  test_resolve(d);
  close(d);
  teardown();
  return finish();
}
