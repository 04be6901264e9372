/*
 * splice, tee and vmsplice against qemu-aarch64 (which hands them to the host kernel): file → pipe →
 * file with and without offset pointers, pipe → pipe, tee, vmsplice into and out of a pipe, a splice
 * blocked on an empty pipe woken by a writer process, SPLICE_F_NONBLOCK/O_NONBLOCK, and the errors
 * (EINVAL without a pipe, ESPIPE for a pipe's offset, EBADF for wrong modes, EINVAL for flags). The
 * extended-attribute answers that do not depend on the file system (pipes, /proc, lookups, names)
 * are here too; see splice-fs.c for what is compat64's own.
 */
#include "../process/check.h"

#include <fcntl.h>
#include <stdint.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static char dir[64];

static int make_file(const char *name, const char *data, size_t len) {
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  if (len && write(fd, data, len) != (ssize_t)len) return -1;
  lseek(fd, 0, SEEK_SET);
  return fd;
}

static long err(long r) { return r < 0 ? -errno : r; }

static void file_pipe_file(void) {
  char data[10000];
  for (size_t i = 0; i < sizeof data; i++) data[i] = (char)(i * 7 + 3);
  int in = make_file("in", data, sizeof data);
  int out = make_file("out", "", 0);
  int p[2];
  pipe(p);
  check_eq(splice(in, NULL, p[1], NULL, 3000, 0), 3000, "splice file->pipe at the file position");
  check_eq(lseek(in, 0, SEEK_CUR), 3000, "file position advanced");
  loff_t off = 9000;
  check_eq(splice(in, &off, p[1], NULL, 5000, SPLICE_F_MORE | SPLICE_F_MOVE), 1000, "splice with off_in stops at EOF");
  check_eq(off, 10000, "off_in advanced");
  check_eq(lseek(in, 0, SEEK_CUR), 3000, "file position untouched with off_in");
  check_eq(splice(in, &off, p[1], NULL, 10, 0), 0, "splice at EOF is 0");
  loff_t oo = 100;
  check_eq(splice(p[0], NULL, out, &oo, 2000, 0), 2000, "splice pipe->file with off_out");
  check_eq(oo, 2100, "off_out advanced");
  check_eq(splice(p[0], NULL, out, NULL, 100000, 0), 2000, "splice pipe->file takes what is queued");
  check_eq(lseek(out, 0, SEEK_CUR), 2000, "out position advanced");
  char got[2100];
  check_eq(pread(out, got, sizeof got, 0), 2100, "out size");
  /* off_out wrote pipe bytes 0-1999 at 100; then the file position (0) took bytes 2000-3999. */
  check(memcmp(got, data + 2000, 1000) == 0 && memcmp(got + 1000, data + 9000, 1000) == 0 &&
            memcmp(got + 2000, data + 1900, 100) == 0,
        "out bytes");
  struct stat st;
  fstat(out, &st);
  check_eq(st.st_size, 2100, "out st_size");
  close(p[0]);
  close(p[1]);
  close(in);
  close(out);
}

static void pipe_pipe_tee(void) {
  int a[2], b[2], c[2];
  pipe(a);
  pipe(b);
  pipe(c);
  write(a[1], "hello world", 11);
  check_eq(tee(a[0], b[1], 5, 0), 5, "tee 5 bytes");
  check_eq(tee(a[0], c[1], 100, 0), 11, "tee all");
  char buf[32] = {0};
  check_eq(read(b[0], buf, sizeof buf), 5, "teed copy length");
  check(memcmp(buf, "hello", 5) == 0, "teed copy bytes");
  check_eq(splice(a[0], NULL, b[1], NULL, 6, 0), 6, "splice pipe->pipe part of a buffer");
  check_eq(splice(a[0], NULL, b[1], NULL, 100, 0), 5, "splice pipe->pipe rest");
  memset(buf, 0, sizeof buf);
  check_eq(read(b[0], buf, sizeof buf), 11, "spliced length");
  check(memcmp(buf, "hello world", 11) == 0, "spliced bytes");
  memset(buf, 0, sizeof buf);
  check_eq(read(c[0], buf, sizeof buf), 11, "tee left the source for the splice");
  check_eq(err(tee(a[0], a[1], 10, 0)), -EINVAL, "tee to the same pipe");
  check_eq(err(splice(a[0], NULL, a[1], NULL, 10, 0)), -EINVAL, "splice to the same pipe");
  check_eq(err(tee(a[0], b[1], 10, SPLICE_F_NONBLOCK)), -EAGAIN, "tee from an empty pipe, nonblock");
  check_eq(err(splice(a[0], NULL, b[1], NULL, 10, SPLICE_F_NONBLOCK)), -EAGAIN, "splice from an empty pipe, nonblock");
  fcntl(a[0], F_SETFL, O_NONBLOCK);
  check_eq(err(splice(a[0], NULL, b[1], NULL, 10, 0)), -EAGAIN, "splice from an empty O_NONBLOCK pipe");
  close(a[1]);
  check_eq(splice(a[0], NULL, b[1], NULL, 10, 0), 0, "splice from a pipe without writers is 0");
  check_eq(tee(a[0], b[1], 10, 0), 0, "tee from a pipe without writers is 0");
  close(a[0]);
  close(b[0]);
  close(b[1]);
  close(c[0]);
  close(c[1]);
}

static void vmsplice_both_ways(void) {
  int p[2];
  pipe(p);
  char one[] = "abc", two[] = "defgh";
  struct iovec iov[2] = {{one, 3}, {two, 5}};
  check_eq(vmsplice(p[1], iov, 2, 0), 8, "vmsplice into a pipe");
  char x[4] = {0}, y[8] = {0};
  struct iovec out[2] = {{x, 2}, {y, 8}};
  check_eq(vmsplice(p[0], out, 2, 0), 8, "vmsplice out of a pipe");
  check(memcmp(x, "ab", 2) == 0 && memcmp(y, "cdefgh", 6) == 0, "vmsplice bytes");
  check_eq(err(vmsplice(p[0], out, 2, SPLICE_F_NONBLOCK)), -EAGAIN, "vmsplice from an empty pipe, nonblock");
  check_eq(vmsplice(p[1], iov, 0, 0), 0, "vmsplice of no segments");
  check_eq(err(vmsplice(p[1], iov, 1, 0x100)), -EINVAL, "vmsplice flags");
  check_eq(err(vmsplice(p[1], iov, 2000, 0)), -EINVAL, "vmsplice over UIO_MAXIOV");
  struct iovec bad = {(void *)8, 10};
  check_eq(err(vmsplice(p[1], &bad, 1, 0)), -EFAULT, "vmsplice of unmapped memory");
  int fd = make_file("vm", "", 0);
  check_eq(err(vmsplice(fd, iov, 1, 0)), -EBADF, "vmsplice on a file");
  check_eq(vmsplice(fd, iov, 0, 0), 0, "vmsplice on a file with no segments");
  close(fd);
  /* Fill the pipe: one buffer per page touched, so 16 single-byte vmsplices fill it. */
  int n = 0;
  while (vmsplice(p[1], iov, 1, SPLICE_F_NONBLOCK) > 0 && n < 100) n++;
  check_eq(n, 16, "16 vmsplices fill a 16-buffer pipe");
  fcntl(p[1], F_SETFL, O_NONBLOCK);
  check_eq(err(write(p[1], "z", 1)), -EAGAIN, "a write does not merge into vmspliced buffers");
  close(p[0]);
  close(p[1]);
}

static void blocking_splice(void) {
  int p[2], q[2];
  pipe(p);
  pipe(q);
  pid_t child = fork();
  if (child == 0) {
    usleep(100000);
    write(p[1], "late", 4);
    _exit(0);
  }
  close(p[1]);
  check_eq(splice(p[0], NULL, q[1], NULL, 100, 0), 4, "blocked splice woken by a writer");
  char buf[8] = {0};
  check_eq(read(q[0], buf, sizeof buf), 4, "woken splice length");
  check(memcmp(buf, "late", 4) == 0, "woken splice bytes");
  int status;
  waitpid(child, &status, 0);
  check_eq(splice(p[0], NULL, q[1], NULL, 100, 0), 0, "splice after the writer left");
  /* A splice into a full pipe waits for a reader. */
  int r[2];
  pipe(r);
  fcntl(r[1], F_SETPIPE_SZ, 4096);
  char page[4096];
  memset(page, 'p', sizeof page);
  write(r[1], page, sizeof page);
  int f = make_file("blk", "0123456789", 10);
  check_eq(err(splice(f, NULL, r[1], NULL, 10, SPLICE_F_NONBLOCK)), -EAGAIN, "splice into a full pipe, nonblock");
  child = fork();
  if (child == 0) {
    usleep(100000);
    char sink[4096];
    read(r[0], sink, sizeof sink);
    _exit(0);
  }
  check_eq(splice(f, NULL, r[1], NULL, 10, 0), 10, "splice into a full pipe waits for a reader");
  waitpid(child, &status, 0);
  close(f);
  close(p[0]);
  close(q[0]);
  close(q[1]);
  close(r[0]);
  close(r[1]);
}

static void on_alarm(int sig) { (void)sig; }

static void interrupted_splice(void) {
  int p[2], q[2];
  pipe(p);
  pipe(q);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  ualarm(100000, 0);
  check_eq(err(splice(p[0], NULL, q[1], NULL, 10, 0)), -EINTR, "blocked splice interrupted by a handler");
  ualarm(100000, 0);
  char page[4] = "abc";
  struct iovec iov = {page, 3};
  check_eq(err(vmsplice(p[0], &iov, 1, 0)), -EINTR, "blocked vmsplice from a pipe interrupted");
  signal(SIGALRM, SIG_DFL);
  close(p[0]);
  close(p[1]);
  close(q[0]);
  close(q[1]);
}

static void splice_errors(void) {
  int p[2];
  pipe(p);
  int f = make_file("e1", "data", 4);
  int g = make_file("e2", "", 0);
  loff_t off = 0;
  check_eq(err(splice(f, NULL, g, NULL, 4, 0)), -EINVAL, "splice file->file");
  check_eq(err(splice(p[0], &off, g, NULL, 4, 0)), -ESPIPE, "off_in on a pipe");
  check_eq(err(splice(f, NULL, p[1], &off, 4, 0)), -ESPIPE, "off_out on a pipe");
  /* qemu reads the offset before calling the host, so only Linux's order is checked. */
  check_linux(err(splice(p[0], (loff_t *)8, g, NULL, 4, 0)) == -ESPIPE, "ESPIPE before EFAULT");
  check_eq(err(splice(f, (loff_t *)8, p[1], NULL, 4, 0)), -EFAULT, "bad off_in");
  check_eq(err(splice(f, NULL, p[1], NULL, 4, 0x10)), -EINVAL, "splice flags");
  check_eq(splice(f, NULL, p[1], NULL, 0, 0x10), 0, "len 0 before flags");
  check_eq(err(tee(p[0], p[1], 0, 0x10)), -EINVAL, "tee flags before len 0");
  check_eq(err(splice(p[1], NULL, g, NULL, 4, 0)), -EBADF, "splice from a write end");
  check_eq(err(splice(f, NULL, p[0], NULL, 4, 0)), -EBADF, "splice into a read end");
  check_eq(err(splice(99, NULL, p[1], NULL, 4, 0)), -EBADF, "splice from a closed fd");
  int ro = open("/proc/self/status", O_RDONLY);
  check_eq(err(splice(p[0], NULL, ro, NULL, 4, 0)), -EBADF, "splice into a read-only file");
  close(ro);
  int ap = make_file("ap", "", 0);
  fcntl(ap, F_SETFL, O_APPEND);
  write(p[1], "xyz", 3);
  check_eq(err(splice(p[0], NULL, ap, NULL, 3, 0)), -EINVAL, "splice to an O_APPEND file");
  off = -1;
  check_eq(err(splice(p[0], NULL, g, &off, 3, 0)), -EINVAL, "negative off_out");
  check_eq(err(tee(f, p[1], 3, 0)), -EINVAL, "tee from a file");
  close(ap);
  close(f);
  close(g);
  close(p[0]);
  close(p[1]);
}

static volatile int sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

static void no_reader(void) {
  int a[2], b[2];
  pipe(a);
  pipe(b);
  signal(SIGPIPE, on_sigpipe);
  write(a[1], "data", 4);
  close(b[0]);
  check_eq(err(splice(a[0], NULL, b[1], NULL, 4, 0)), -EPIPE, "splice pipe->pipe without a reader");
  check_eq(err(tee(a[0], b[1], 4, 0)), -EPIPE, "tee without a reader");
  struct iovec iov = {"x", 1};
  check_eq(err(vmsplice(b[1], &iov, 1, 0)), -EPIPE, "vmsplice without a reader");
  int f = make_file("nr", "abc", 3);
  check_eq(err(splice(f, NULL, b[1], NULL, 3, 0)), -EPIPE, "splice file->pipe without a reader");
  close(f);
  check_eq(sigpipes, 4, "each sent SIGPIPE");
  signal(SIGPIPE, SIG_DFL);
  close(a[0]);
  close(a[1]);
  close(b[1]);
}

static void sockets(void) {
  int sv[2], p[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  pipe(p);
  write(sv[0], "sockdata", 8);
  check_eq(splice(sv[1], NULL, p[1], NULL, 100, 0), 8, "splice socket->pipe");
  check_eq(splice(p[0], NULL, sv[1], NULL, 100, SPLICE_F_MORE), 8, "splice pipe->socket");
  char b[16] = {0};
  check_eq(read(sv[0], b, sizeof b), 8, "socket got the spliced bytes");
  check(memcmp(b, "sockdata", 8) == 0, "socket bytes");
  check_eq(err(splice(sv[1], NULL, p[1], NULL, 100, SPLICE_F_NONBLOCK)), -EAGAIN, "splice from an empty socket, nonblock");
  loff_t off = 0;
  check_eq(err(splice(sv[1], &off, p[1], NULL, 100, 0)), -EINVAL, "off_in on a socket");
  write(p[1], "x", 1);
  check_eq(err(splice(p[0], NULL, sv[1], &off, 1, 0)), -EINVAL, "off_out on a socket");
  check_eq(err(fgetxattr(sv[0], "user.x", b, sizeof b)), -ENODATA, "fgetxattr user.* on a socket");
  int fl = 0;
  check_eq(err(ioctl(sv[0], FS_IOC_GETFLAGS, &fl)), -ENOTTY, "FS_IOC_GETFLAGS on a socket");
  check_eq(err(ioctl(p[0], FS_IOC_GETFLAGS, &fl)), -ENOTTY, "FS_IOC_GETFLAGS on a pipe");
  check_eq(err(ioctl(p[1], FS_IOC_SETFLAGS, &fl)), -ENOTTY, "FS_IOC_SETFLAGS on a pipe");
  close(sv[0]);
  close(sv[1]);
  close(p[0]);
  close(p[1]);
}

static void xattr_common(void) {
  char v[64];
  int p[2];
  pipe(p);
  check_eq(err(fgetxattr(p[0], "user.x", v, sizeof v)), -ENODATA, "fgetxattr user.* on a pipe");
  check_eq(err(fsetxattr(p[1], "user.x", "1", 1, 0)), -EPERM, "fsetxattr user.* on a pipe");
  check_eq(err(fgetxattr(p[0], "security.x", v, sizeof v)), -EOPNOTSUPP, "fgetxattr security.* on a pipe");
  check_eq(err(flistxattr(p[0], v, sizeof v)), 0, "flistxattr on a pipe");
  check_eq(err(fremovexattr(p[1], "user.x")), -EPERM, "fremovexattr user.* on a pipe");
  close(p[0]);
  close(p[1]);
  check_eq(err(getxattr("/proc/self/status", "user.x", v, sizeof v)), -EOPNOTSUPP, "getxattr on /proc");
  check_eq(err(listxattr("/proc/self/status", v, sizeof v)), 0, "listxattr on /proc");
  check_eq(err(lgetxattr("/proc/self/exe", "user.x", v, sizeof v)), -ENODATA, "lgetxattr user.* on a /proc link");
  check_eq(err(getxattr("/nonexistent/x", "user.x", v, sizeof v)), -ENOENT, "getxattr ENOENT");
  check_eq(err(getxattr("/proc/self/status", "", v, sizeof v)), -ERANGE, "empty name");
  char longname[300];
  memset(longname, 'a', sizeof longname);
  memcpy(longname, "user.", 5);
  longname[299] = 0;
  check_eq(err(getxattr("/proc/self/status", longname, v, sizeof v)), -ERANGE, "name over 255 bytes");
  check_eq(err(getxattr("/proc/self/status", (char *)8, v, sizeof v)), -EFAULT, "unreadable name");
  check_eq(err(getxattr((char *)8, "user.x", v, sizeof v)), -EFAULT, "unreadable path first");
  /* Linux 6.1 looks the path up first; the host under qemu may be newer (flags first since 6.12). */
  check_linux(err(setxattr("/nonexistent/x", "user.x", "1", 1, 9)) == -ENOENT, "setxattr lookup before flags");
  check_eq(err(setxattr("/proc/self/status", "user.x", "1", 1, 9)), -EINVAL, "setxattr flags");
  check_eq(err(syscall(SYS_setxattr, "/proc/self/status", "user.x", "1", 70000, 0)), -E2BIG, "setxattr value over 64 KiB");
  check_eq(err(syscall(SYS_setxattr, "/proc/self/status", "user.x", 8L, 1, 0)), -EFAULT, "setxattr unreadable value");
  check_eq(err(fgetxattr(99, "user.x", v, sizeof v)), -EBADF, "fgetxattr EBADF");
  int opath = open("/proc/self/status", O_PATH);
  check_eq(err(fgetxattr(opath, "user.x", v, sizeof v)), -EBADF, "fgetxattr on O_PATH");
  close(opath);
}

int main(void) {
  strcpy(dir, "/tmp/splXXXXXX");
  if (mkdtemp(dir) == NULL) {
    printf("FAIL mkdtemp\n");
    return 2;
  }
  file_pipe_file();
  pipe_pipe_tee();
  vmsplice_both_ways();
  blocking_splice();
  interrupted_splice();
  splice_errors();
  no_reader();
  sockets();
  xattr_common();
  const char *names[] = {"in", "out", "vm", "blk", "e1", "e2", "ap", "nr"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    unlink(path);
  }
  rmdir(dir);
  return finish();
}
