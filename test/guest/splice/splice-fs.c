/*
 * What compat64's own file systems answer, checked against Linux's behaviour for the same kind of
 * file system (not against qemu, which hands the calls to the host's ext4): no extended attribute
 * support (an inode without xattr handlers, like vfat's), FS_IOC_GETFLAGS/SETFLAGS as tmpfs answers
 * them (fresh files have no flags; NODUMP/NOATIME can be set and are remembered), and
 * process_madvise/process_mrelease on pidfds (Linux 6.1 rules: CAP_SYS_NICE even for oneself).
 */
#include "../process/check.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

static long err(long r) { return r < 0 ? -errno : r; }

static char dir[64], file[96];

static void xattrs(void) {
  char v[64];
  check_eq(err(getxattr(file, "user.x", v, sizeof v)), -EOPNOTSUPP, "getxattr user.* on a file");
  check_eq(err(getxattr(dir, "user.x", v, sizeof v)), -EOPNOTSUPP, "getxattr user.* on a directory");
  check_eq(err(lgetxattr(file, "system.posix_acl_access", v, sizeof v)), -EOPNOTSUPP, "lgetxattr system.*");
  check_eq(err(getxattr(file, "security.selinux", v, sizeof v)), -EOPNOTSUPP, "getxattr security.*");
  check_eq(err(setxattr(file, "user.x", "1", 1, 0)), -EOPNOTSUPP, "setxattr user.* on a file");
  check_eq(err(setxattr(file, "user.x", "1", 1, XATTR_CREATE)), -EOPNOTSUPP, "setxattr XATTR_CREATE");
  check_eq(err(removexattr(file, "user.x")), -EOPNOTSUPP, "removexattr user.*");
  check_eq(err(listxattr(file, v, sizeof v)), 0, "listxattr on a file is empty");
  check_eq(err(listxattr(dir, NULL, 0)), 0, "listxattr size 0");
  check_eq(err(syscall(SYS_llistxattr, file, 8L, 10)), 0, "listxattr never touches the buffer");
  int fd = open(file, O_RDONLY);
  check_eq(err(fgetxattr(fd, "user.x", v, sizeof v)), -EOPNOTSUPP, "fgetxattr on a file");
  check_eq(err(fsetxattr(fd, "user.x", "1", 1, 0)), -EOPNOTSUPP, "fsetxattr on a read-only fd");
  check_eq(err(flistxattr(fd, v, sizeof v)), 0, "flistxattr on a file");
  close(fd);
  if (geteuid() == 0) {
    check_eq(err(getxattr(file, "trusted.x", v, sizeof v)), -EOPNOTSUPP, "getxattr trusted.* as root");
    check_eq(err(setxattr(file, "security.x", "1", 1, 0)), -EOPNOTSUPP, "setxattr security.* as root");
  } else {
    check_eq(err(getxattr(file, "trusted.x", v, sizeof v)), -ENODATA, "getxattr trusted.* unprivileged");
    check_eq(err(setxattr(file, "security.x", "1", 1, 0)), -EPERM, "setxattr security.* unprivileged");
  }
  check_eq(err(setxattr(file, "security.capability", "abc", 3, 0)), -EINVAL, "malformed security.capability");
}

static void flags(void) {
  int fd = open(file, O_RDWR);
  int f = -1;
  check_eq(err(ioctl(fd, FS_IOC_GETFLAGS, &f)), 0, "FS_IOC_GETFLAGS on a file");
  check_eq(f, 0, "a file starts without flags (tmpfs)");
  f = FS_NODUMP_FL;
  check_eq(err(ioctl(fd, FS_IOC_SETFLAGS, &f)), 0, "FS_IOC_SETFLAGS NODUMP");
  int g = open(file, O_RDONLY);
  f = -1;
  check_eq(err(ioctl(g, FS_IOC_GETFLAGS, &f)), 0, "FS_IOC_GETFLAGS through another description");
  check_eq(f, FS_NODUMP_FL, "the flag is kept by the inode");
  f = FS_EXTENT_FL;
  check_eq(err(ioctl(fd, FS_IOC_SETFLAGS, &f)), -EOPNOTSUPP, "FS_IOC_SETFLAGS EXTENT is not a tmpfs flag");
  f = 0;
  check_eq(err(ioctl(fd, FS_IOC_SETFLAGS, &f)), 0, "FS_IOC_SETFLAGS 0 clears");
  check_eq(err(ioctl(fd, FS_IOC_GETFLAGS, (int *)8)), -EFAULT, "FS_IOC_GETFLAGS bad pointer");
  check_eq(err(ioctl(fd, FS_IOC_SETFLAGS, (int *)8)), -EFAULT, "FS_IOC_SETFLAGS bad pointer");
  close(g);
  close(fd);
  int d = open(dir, O_RDONLY | O_DIRECTORY);
  f = -1;
  check_eq(err(ioctl(d, FS_IOC_GETFLAGS, &f)), 0, "FS_IOC_GETFLAGS on a directory");
  check_eq(f, 0, "a directory starts without flags");
  close(d);
  int p[2];
  pipe(p);
  check_eq(err(ioctl(p[0], FS_IOC_GETFLAGS, &f)), -ENOTTY, "FS_IOC_GETFLAGS on a pipe");
  close(p[0]);
  close(p[1]);
  int n = open("/dev/null", O_RDONLY);
  check_eq(err(ioctl(n, FS_IOC_GETFLAGS, &f)), -ENOTTY, "FS_IOC_GETFLAGS on /dev/null");
  close(n);
  int s = open("/proc/self/status", O_RDONLY);
  check_eq(err(ioctl(s, FS_IOC_GETFLAGS, &f)), -ENOTTY, "FS_IOC_GETFLAGS on /proc");
  close(s);
}

static void madvise_by_pidfd(void) {
  int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
  check(pidfd >= 0, "pidfd_open of oneself");
  char *m = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(m + 3 * 4096, 4096);
  struct iovec iov[2] = {{m, 2 * 4096}, {m + 2 * 4096, 2 * 4096}};
  int root = geteuid() == 0;
  long want = root ? 2 * 4096 : -EPERM;
  check_eq(err(syscall(SYS_process_madvise, pidfd, iov, 1, MADV_WILLNEED, 0)), want, "process_madvise WILLNEED");
  check_eq(err(syscall(SYS_process_madvise, pidfd, iov, 1, MADV_COLD, 0)), want, "process_madvise COLD");
  check_eq(err(syscall(SYS_process_madvise, pidfd, iov, 1, MADV_PAGEOUT, 0)), want, "process_madvise PAGEOUT");
  check_eq(err(syscall(SYS_process_madvise, pidfd, iov, 2, MADV_COLD, 0)), want,
           "process_madvise stops at the unmapped page and counts what was advised");
  check_eq(err(syscall(SYS_process_madvise, pidfd, iov + 1, 1, MADV_COLD, 0)), root ? -ENOMEM : -EPERM,
           "process_madvise of a range with a hole only");
  check_eq(err(syscall(SYS_process_madvise, pidfd, iov, 1, MADV_DONTNEED, 0)), -EINVAL, "process_madvise DONTNEED");
  check_eq(err(syscall(SYS_process_madvise, pidfd, iov, 1, MADV_COLD, 1)), -EINVAL, "process_madvise flags");
  check_eq(err(syscall(SYS_process_madvise, pidfd, iov, 2000, MADV_COLD, 0)), -EINVAL, "process_madvise UIO_MAXIOV");
  check_eq(err(syscall(SYS_process_madvise, pidfd, (void *)8, 1, MADV_COLD, 0)), -EFAULT, "process_madvise bad iovec");
  check_eq(err(syscall(SYS_process_madvise, 0, iov, 1, MADV_COLD, 0)), -EBADF, "process_madvise on a non-pidfd");
  check_eq(err(syscall(SYS_process_madvise, 99, iov, 1, MADV_COLD, 0)), -EBADF, "process_madvise on a closed fd");
  check_eq(err(syscall(SYS_process_madvise, 0, iov, 1, MADV_DONTNEED, 0)), -EBADF, "EBADF before the advice");
  check_eq(err(syscall(SYS_process_mrelease, pidfd, 0)), -EINVAL, "process_mrelease of a live process");
  check_eq(err(syscall(SYS_process_mrelease, pidfd, 1)), -EINVAL, "process_mrelease flags");
  check_eq(err(syscall(SYS_process_mrelease, 0, 0)), -EBADF, "process_mrelease on a non-pidfd");
  pid_t child = fork();
  if (child == 0) _exit(0);
  int cfd = (int)syscall(SYS_pidfd_open, child, 0);
  int status;
  waitpid(child, &status, 0);
  check_eq(err(syscall(SYS_process_madvise, cfd, iov, 1, MADV_COLD, 0)), -ESRCH, "process_madvise of a reaped child");
  check_eq(err(syscall(SYS_process_mrelease, cfd, 0)), -ESRCH, "process_mrelease of a reaped child");
  close(cfd);
  /* A process being killed: its memory may be reaped (0), or is already gone (ESRCH): never EINVAL. */
  child = fork();
  if (child == 0) {
    for (;;) pause();
  }
  cfd = (int)syscall(SYS_pidfd_open, child, 0);
  kill(child, SIGKILL);
  long r = err(syscall(SYS_process_mrelease, cfd, 0));
  check(r == 0 || r == -ESRCH, "process_mrelease of a process being killed");
  waitpid(child, &status, 0);
  close(cfd);
  close(pidfd);
  munmap(m, 3 * 4096);
}

int main(void) {
  strcpy(dir, "/tmp/splfsXXXXXX");
  if (mkdtemp(dir) == NULL) {
    printf("FAIL mkdtemp\n");
    return 2;
  }
  snprintf(file, sizeof file, "%s/f", dir);
  int fd = open(file, O_RDWR | O_CREAT, 0644);
  close(fd);
  xattrs();
  flags();
  madvise_by_pidfd();
  unlink(file);
  rmdir(dir);
  return finish();
}
