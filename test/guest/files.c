/*
 * File-system system calls against a scratch directory given as argv[1] (which must exist and be
 * empty). One PASS/FAIL line per check; exit status 1 if any check failed. Nothing printed depends on
 * the directory's name, inode numbers or times, so the output is the same under any runner.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *name) {
  if (ok) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (errno %d %s)\n", name, errno, strerror(errno));
    failures++;
  }
}

static int names_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Lists a directory with the raw getdents64 system call, sorted (the kernel's order is the file system's). */
static void list_dir(const char *path, char *out, size_t outsz) {
  char buf[4096];
  char *names[64];
  int n = 0;
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  out[0] = 0;
  if (fd < 0) return;
  for (;;) {
    long got = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (got <= 0) break;
    for (long off = 0; off < got;) {
      struct dirent64 *d = (struct dirent64 *)(buf + off);
      if (n < 64) names[n++] = strdup(d->d_name);
      off += d->d_reclen;
    }
  }
  close(fd);
  qsort(names, n, sizeof *names, names_cmp);
  for (int i = 0; i < n; i++) {
    if (i) strncat(out, " ", outsz - strlen(out) - 1);
    strncat(out, names[i], outsz - strlen(out) - 1);
    free(names[i]);
  }
}

static void file_io(void) {
  char buf[256];
  int fd = open("f", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  check(fd >= 0, "open O_CREAT returns a descriptor");
  check(write(fd, "hello world\n", 12) == 12, "write returns the byte count");

  struct stat st;
  check(fstat(fd, &st) == 0, "fstat");
  check(st.st_size == 12, "fstat st_size after write");
  check(S_ISREG(st.st_mode), "fstat S_ISREG");
  check((st.st_mode & 07777) == 0640, "fstat permission bits match open mode under umask 022");
  check(st.st_nlink == 1, "fstat st_nlink is 1");

  check(lseek(fd, 0, SEEK_CUR) == 12, "lseek SEEK_CUR after write is the file end");
  check(lseek(fd, 6, SEEK_SET) == 6, "lseek SEEK_SET");
  memset(buf, 0, sizeof buf);
  check(read(fd, buf, sizeof buf) == 6 && memcmp(buf, "world\n", 6) == 0, "read from offset 6");
  check(read(fd, buf, sizeof buf) == 0, "read at end of file returns 0");
  check(lseek(fd, -3, SEEK_END) == 9, "lseek SEEK_END -3");
  errno = 0;
  check(lseek(fd, -100, SEEK_SET) == -1 && errno == EINVAL, "lseek to a negative offset fails with EINVAL");

  check(pwrite(fd, "X", 1, 100) == 1, "pwrite past end of file");
  check(lseek(fd, 0, SEEK_CUR) == 9, "pwrite does not move the file offset");
  check(fstat(fd, &st) == 0 && st.st_size == 101, "pwrite past end extends the file");
  memset(buf, 1, sizeof buf);
  check(pread(fd, buf, 8, 50) == 8 && memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0, "pread of a hole reads zeros");
  check(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "hello", 5) == 0, "pread at offset 0");
  check(lseek(fd, 0, SEEK_CUR) == 9, "pread does not move the file offset");

  check(ftruncate(fd, 0) == 0, "ftruncate to 0");
  check(fstat(fd, &st) == 0 && st.st_size == 0, "ftruncate sets st_size");
  check(lseek(fd, 0, SEEK_SET) == 0, "lseek back to 0");
  struct iovec wv[3] = {{"ab", 2}, {"", 0}, {"cdefg", 5}};
  check(writev(fd, wv, 3) == 7, "writev gathers three buffers");
  char r1[3] = {0}, r2[8] = {0};
  struct iovec rv[2] = {{r1, 3}, {r2, 8}};
  check(lseek(fd, 0, SEEK_SET) == 0 && readv(fd, rv, 2) == 7, "readv scatters into two buffers");
  check(memcmp(r1, "abc", 3) == 0 && memcmp(r2, "defg", 4) == 0, "readv fills buffers in order");

  errno = 0;
  check(read(-1, buf, 1) == -1 && errno == EBADF, "read on fd -1 fails with EBADF");
  check(close(fd) == 0, "close");
  errno = 0;
  check(close(fd) == -1 && errno == EBADF, "close twice fails with EBADF");
}

static void names(void) {
  char list[512];
  errno = 0;
  check(open("missing", O_RDONLY) == -1 && errno == ENOENT, "open of a missing file fails with ENOENT");
  errno = 0;
  check(open("f", O_RDWR | O_CREAT | O_EXCL, 0600) == -1 && errno == EEXIST, "O_CREAT|O_EXCL on an existing file fails with EEXIST");

  check(mkdir("d", 0755) == 0, "mkdir");
  errno = 0;
  check(mkdir("d", 0755) == -1 && errno == EEXIST, "mkdir of an existing name fails with EEXIST");
  int dfd = open("d", O_RDONLY | O_DIRECTORY);
  check(dfd >= 0, "open a directory with O_DIRECTORY");
  int fd = openat(dfd, "inner", O_WRONLY | O_CREAT, 0644);
  check(fd >= 0 && write(fd, "12345", 5) == 5, "openat relative to a directory descriptor");
  close(fd);
  struct stat st;
  check(fstatat(dfd, "inner", &st, 0) == 0 && st.st_size == 5, "fstatat relative to a directory descriptor");
  check(stat("d/inner", &st) == 0 && st.st_size == 5, "stat through a path with a directory");
  check(stat("d", &st) == 0 && S_ISDIR(st.st_mode), "stat of a directory gives S_ISDIR");
  close(dfd);

  list_dir(".", list, sizeof list);
  printf("getdents64 . -> %s\n", list);
  check(strcmp(list, ". .. d f") == 0, "getdents64 lists . .. and the entries");

  check(rename("f", "g") == 0, "rename");
  errno = 0;
  check(stat("f", &st) == -1 && errno == ENOENT, "old name is gone after rename");
  check(stat("g", &st) == 0 && st.st_size == 7, "new name has the contents after rename");
  check(rename("d/inner", "g") == 0 && stat("g", &st) == 0 && st.st_size == 5, "rename over an existing file replaces it");

  errno = 0;
  check(rmdir("d") == 0, "rmdir of an empty directory");
  check(mkdir("d", 0755) == 0 && mkdir("d/e", 0755) == 0, "mkdir nested");
  errno = 0;
  check(rmdir("d") == -1 && (errno == ENOTEMPTY || errno == EEXIST), "rmdir of a non-empty directory fails with ENOTEMPTY");
  check(rmdir("d/e") == 0 && rmdir("d") == 0, "rmdir nested");

  check(symlink("g", "link") == 0, "symlink");
  char target[64];
  ssize_t n = readlink("link", target, sizeof target);
  check(n == 1 && target[0] == 'g', "readlink returns the target without a NUL");
  check(lstat("link", &st) == 0 && S_ISLNK(st.st_mode), "lstat sees the link itself");
  check(stat("link", &st) == 0 && S_ISREG(st.st_mode), "stat follows the link");
  errno = 0;
  check(readlink("g", target, sizeof target) == -1 && errno == EINVAL, "readlink of a non-link fails with EINVAL");

  check(unlink("link") == 0 && unlink("g") == 0, "unlink");
  errno = 0;
  check(unlink("g") == -1 && errno == ENOENT, "unlink of a missing name fails with ENOENT");
  list_dir(".", list, sizeof list);
  check(strcmp(list, ". ..") == 0, "directory is empty again");
}

static void cwd(const char *base) {
  char here[4096], there[4096];
  check(getcwd(here, sizeof here) != NULL, "getcwd");
  check(strcmp(here, base) == 0, "getcwd after chdir is the directory changed to");
  check(mkdir("sub", 0700) == 0 && chdir("sub") == 0, "chdir into a new subdirectory");
  check(getcwd(there, sizeof there) != NULL, "getcwd in the subdirectory");
  check(strlen(there) == strlen(here) + 4 && strncmp(there, here, strlen(here)) == 0 &&
            strcmp(there + strlen(here), "/sub") == 0,
        "getcwd in the subdirectory ends with /sub");
  check(chdir("..") == 0 && getcwd(there, sizeof there) && strcmp(there, here) == 0, "chdir .. returns");
  errno = 0;
  check(getcwd(there, 2) == NULL && errno == ERANGE, "getcwd with a small buffer fails with ERANGE");
  errno = 0;
  check(chdir("nowhere") == -1 && errno == ENOENT, "chdir to a missing directory fails with ENOENT");
  rmdir("sub");
}

static void descriptors(void) {
  int fd = open("fd-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
  check(fd >= 0, "open for descriptor tests");
  check(dup3(fd, 100, O_CLOEXEC) == 100, "dup3 to descriptor 100");
  check(fcntl(100, F_GETFD) == FD_CLOEXEC, "dup3 O_CLOEXEC sets FD_CLOEXEC");
  check(fcntl(fd, F_GETFD) == 0, "the original descriptor has no FD_CLOEXEC");
  errno = 0;
  check(dup3(fd, fd, 0) == -1 && errno == EINVAL, "dup3 onto itself fails with EINVAL");
  check(write(100, "abc", 3) == 3 && lseek(fd, 0, SEEK_CUR) == 3, "dup3 descriptors share the file offset");
  int low = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  check(low >= 10 && low != 100, "F_DUPFD_CLOEXEC returns the lowest free descriptor >= 10");
  check(fcntl(low, F_GETFD) == FD_CLOEXEC, "F_DUPFD_CLOEXEC sets FD_CLOEXEC");
  check((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, "F_GETFL gives O_RDWR");
  check(fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(fd, F_GETFL) & O_APPEND), "F_SETFL sets O_APPEND");
  check(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "d", 1) == 1 && lseek(fd, 0, SEEK_CUR) == 4, "O_APPEND writes at the end");
  check(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "F_SETFD FD_CLOEXEC");
  close(low);
  close(100);
  close(fd);
  unlink("fd-file");

  int p[2];
  check(pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0, "pipe2");
  check(fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC, "pipe2 O_CLOEXEC on both ends");
  check((fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY, "pipe2 read end is O_RDONLY|O_NONBLOCK");
  check((fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY, "pipe2 write end is O_WRONLY");
  char buf[16];
  errno = 0;
  check(read(p[0], buf, sizeof buf) == -1 && errno == EAGAIN, "read of an empty non-blocking pipe fails with EAGAIN");
  check(write(p[1], "ping", 4) == 4, "write to a pipe");
  check(read(p[0], buf, sizeof buf) == 4 && memcmp(buf, "ping", 4) == 0, "read from a pipe");
  close(p[1]);
  check(read(p[0], buf, sizeof buf) == 0, "read after the write end is closed returns 0");
  close(p[0]);
  errno = 0;
  struct stat st;
  check(fstat(p[0], &st) == -1 && errno == EBADF, "fstat of a closed descriptor fails with EBADF");
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: files EMPTY-SCRATCH-DIRECTORY\n");
    return 2;
  }
  umask(022);
  check(chdir(argv[1]) == 0, "chdir to the scratch directory");
  file_io();
  names();
  cwd(argv[1]);
  descriptors();
  printf("%s\n", failures ? "SOME CHECKS FAILED" : "ALL PASSED");
  return failures ? 1 : 0;
}
