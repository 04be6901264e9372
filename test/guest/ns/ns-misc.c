/*
 * chroot, unshare, setns, kcmp and the UTS names, as Linux 6.1 answers them. Sections (argv[1]):
 *   core   rules any Linux kernel shares (also checked natively on a host kernel): chroot, unshare of
 *          the non-namespace flags, setns errors, kcmp;
 *   nons   compat64 answers as a kernel built without namespaces (a host kernel allows them);
 *   uts    sethostname/setdomainname (never run on a real machine: it would rename the host);
 *   view   what other parts show of these: uname and /proc/sys after sethostname, getcwd and
 *          /proc/self/root inside a chroot.
 */
#include "check.h"

#include <fcntl.h>
#include <linux/kcmp.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80
#endif

static long kcmp(pid_t a, pid_t b, int type, unsigned long i1, unsigned long i2) {
  return syscall(SYS_kcmp, a, b, type, i1, i2);
}
static int pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

static char dir[64];

static void setup(void) {
  strcpy(dir, "/tmp/c64-ns-XXXXXX");
  if (mkdtemp(dir) == NULL) exit(2);
  chmod(dir, 0755);
  char p[128];
  snprintf(p, sizeof p, "%s/f", dir);
  close(open(p, O_CREAT | O_WRONLY, 0644));
  snprintf(p, sizeof p, "%s/sub", dir);
  mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/abs", dir);
  if (symlink("/f", p) != 0) exit(2);
}

static void teardown(void) {
  char p[128];
  snprintf(p, sizeof p, "%s/f", dir);
  unlink(p);
  snprintf(p, sizeof p, "%s/abs", dir);
  unlink(p);
  snprintf(p, sizeof p, "%s/sub", dir);
  rmdir(p);
  rmdir(dir);
}

/* Runs fn in a child process; the child's exit status 0 is a pass. */
static void in_child(int (*fn)(void), const char *name) {
  pid_t c = fork();
  if (c == 0) _exit(fn());
  int st;
  waitpid(c, &st, 0);
  if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
    check(1, name);
  else {
    printf("FAIL %s (child status %#x)\n", name, st);
    failures++;
  }
}

static int drop_to_1000(void) { return setresgid(1000, 1000, 1000) == 0 && setresuid(1000, 1000, 1000) == 0; }

/* ---- chroot ---- */

static int chroot_unprivileged(void) {
  if (!drop_to_1000()) return 10;
  errno = 0;
  if (chroot("/nonexistent-c64") != -1 || errno != ENOENT) return 11;
  char p[128];
  snprintf(p, sizeof p, "%s/f", dir);
  if (chroot(p) != -1 || errno != ENOTDIR) return 12;
  if (chroot(dir) != -1 || errno != EPERM) return 13;
  return 0;
}

static int chroot_inside(void) {
  if (chroot(dir) != 0) return 20;
  if (access("/f", F_OK) != 0) return 21;
  if (access("/../../../f", F_OK) != 0) return 22;
  if (access("/abs", F_OK) != 0) return 23; /* an absolute link resolves inside the new root */
  if (access("/tmp", F_OK) == 0) return 24; /* the old tree is out of reach by absolute paths */
  if (chdir("/") != 0) return 25;
  for (int i = 0; i < 5; i++)
    if (chdir("..") != 0) return 26;
  if (access("f", F_OK) != 0) return 27; /* .. stopped at the new root */
  pid_t c = fork();
  if (c == 0) _exit(access("/f", F_OK) == 0 && access("/sub", F_OK) == 0 ? 0 : 1);
  int st;
  waitpid(c, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return 28; /* fork inherits the root */
  if (chroot("sub") != 0) return 29;                      /* relative to the cwd, nested */
  if (access("/f", F_OK) == 0) return 30;
  return 0;
}

static void test_chroot(void) {
  in_child(chroot_unprivileged, "chroot: ENOENT, ENOTDIR before EPERM for non-root");
  in_child(chroot_inside, "chroot: /, .., absolute links and fork stay inside");
  CHECK_ERR(chroot((const char *)8), EFAULT, "chroot(bad pointer) EFAULT");
  CHECK_ERR(chroot(""), ENOENT, "chroot(\"\") ENOENT");
}

/* ---- unshare ---- */

static volatile int thread_stage;
static int thread_fd = -1;
static int thread_result;
static void *unshare_thread(void *arg) {
  (void)arg;
  int r = 0;
  if (unshare(CLONE_FILES) != 0) r |= 1;
  if (close(thread_fd) != 0) r |= 2; /* closes only the thread's copy */
  if (unshare(CLONE_FS) != 0) r |= 4;
  if (chdir("/tmp") != 0) r |= 8;
  errno = 0;
  if (unshare(CLONE_THREAD) != -1 || errno != EINVAL) r |= 16;
  thread_result = r;
  thread_stage = 1;
  return NULL;
}

static void test_unshare(void) {
  check_eq(unshare(0), 0, "unshare(0)");
  /* Before any thread exists: a joined thread may still be leaving the group for a moment. */
  /* qemu-aarch64 runs threads of its own, so the guest is never single-threaded there. */
  check_linux(unshare(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM) == 0, "unshare(THREAD|SIGHAND|VM) single-threaded");
  char cwd[256];
  if (getcwd(cwd, sizeof cwd) == NULL) exit(2);
  thread_fd = open("/dev/null", O_RDONLY);
  pthread_t th;
  pthread_create(&th, NULL, unshare_thread, NULL);
  pthread_join(th, NULL);
  check_eq(thread_result, 0, "thread: unshare FILES/FS, then close and chdir privately; CLONE_THREAD EINVAL");
  check(fcntl(thread_fd, F_GETFD) >= 0, "main's fd survives the thread's close");
  char now[256];
  check(getcwd(now, sizeof now) != NULL && strcmp(now, cwd) == 0, "main's cwd unchanged by the thread's chdir");
  close(thread_fd);
  check_eq(unshare(CLONE_FILES | CLONE_FS | CLONE_SYSVSEM), 0, "unshare(FILES|FS|SYSVSEM) single-threaded");
  CHECK_ERR(unshare(0x1), EINVAL, "unshare(CSIGNAL bit) EINVAL");
  CHECK_ERR(unshare(CLONE_PARENT), EINVAL, "unshare(CLONE_PARENT) EINVAL");
}

/* ---- setns ---- */

static void test_setns(void) {
  CHECK_ERR(setns(-1, 0), EBADF, "setns(-1) EBADF");
  int p[2];
  if (pipe(p) != 0) exit(2);
  CHECK_ERR(setns(p[0], 0), EINVAL, "setns(pipe) EINVAL");
  close(p[0]);
  close(p[1]);
  int self = pidfd_open(getpid());
  CHECK_ERR(setns(self, 0), EINVAL, "setns(pidfd, 0) EINVAL");
  CHECK_ERR(setns(self, 1), EINVAL, "setns(pidfd, unknown flag) EINVAL");
  close(self);
}

/* ---- kcmp ---- */

static volatile int kcmp_stop;
static volatile pid_t kcmp_tid;
static void *kcmp_thread(void *arg) {
  (void)arg;
  kcmp_tid = (pid_t)syscall(SYS_gettid);
  while (!kcmp_stop) usleep(1000);
  return NULL;
}

static int kcmp_unprivileged(void) {
  pid_t parent = getppid();
  if (!drop_to_1000()) return 10;
  errno = 0;
  return kcmp(getpid(), parent, KCMP_VM, 0, 0) == -1 && errno == EPERM ? 0 : 11;
}

static void test_kcmp(void) {
  pid_t me = getpid();
  check_eq(kcmp(me, me, KCMP_VM, 0, 0), 0, "kcmp VM self");
  int a = open("/dev/null", O_RDONLY);
  int b = dup(a);
  int c = open("/dev/null", O_RDONLY);
  check_eq(kcmp(me, me, KCMP_FILE, a, b), 0, "kcmp FILE dup equal");
  long ac = kcmp(me, me, KCMP_FILE, a, c);
  long ca = kcmp(me, me, KCMP_FILE, c, a);
  check((ac == 1 && ca == 2) || (ac == 2 && ca == 1), "kcmp FILE different opens ordered both ways");
  CHECK_ERR(kcmp(me, me, KCMP_FILE, a, 999), EBADF, "kcmp FILE closed fd EBADF");
  CHECK_ERR(kcmp(me, me, 8, 0, 0), EINVAL, "kcmp type 8 EINVAL");
  CHECK_ERR(kcmp(me, me, -1, 0, 0), EINVAL, "kcmp type -1 EINVAL");
  CHECK_ERR(kcmp(me, 4000000, KCMP_VM, 0, 0), ESRCH, "kcmp no such pid ESRCH");

  pthread_t th;
  pthread_create(&th, NULL, kcmp_thread, NULL);
  while (kcmp_tid == 0) usleep(1000);
  check_eq(kcmp(me, kcmp_tid, KCMP_VM, 0, 0), 0, "kcmp VM thread equal");
  check_eq(kcmp(me, kcmp_tid, KCMP_FILES, 0, 0), 0, "kcmp FILES thread equal");
  check_eq(kcmp(me, kcmp_tid, KCMP_FS, 0, 0), 0, "kcmp FS thread equal");
  check_eq(kcmp(me, kcmp_tid, KCMP_SIGHAND, 0, 0), 0, "kcmp SIGHAND thread equal");
  check_eq(kcmp(me, kcmp_tid, KCMP_FILE, a, a), 0, "kcmp FILE through a thread equal");
  check_eq(kcmp(me, kcmp_tid, KCMP_SYSVSEM, 0, 0), 0, "kcmp SYSVSEM thread equal");
  kcmp_stop = 1;
  pthread_join(th, NULL);

  int go[2];
  if (pipe(go) != 0) exit(2);
  pid_t child = fork();
  if (child == 0) {
    char x;
    close(go[1]);
    if (read(go[0], &x, 1) < 0) _exit(1);
    _exit(0);
  }
  long vm = kcmp(me, child, KCMP_VM, 0, 0);
  long mv = kcmp(child, me, KCMP_VM, 0, 0);
  check((vm == 1 && mv == 2) || (vm == 2 && mv == 1), "kcmp VM child ordered both ways");
  check(kcmp(me, child, KCMP_FILES, 0, 0) > 0, "kcmp FILES child differs");
  check(kcmp(me, child, KCMP_SIGHAND, 0, 0) > 0, "kcmp SIGHAND child differs");
  check(kcmp(me, child, KCMP_FS, 0, 0) > 0, "kcmp FS child differs");
  check_eq(kcmp(me, child, KCMP_FILE, a, a), 0, "kcmp FILE inherited equal");
  check_eq(kcmp(me, child, KCMP_IO, 0, 0), 0, "kcmp IO (no io_context) equal");

  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN};
  epoll_ctl(ep, EPOLL_CTL_ADD, go[0], &ev);
  struct kcmp_epoll_slot slot = {.efd = (uint32_t)ep, .tfd = (uint32_t)go[0], .toff = 0};
  check_eq(kcmp(child, me, KCMP_EPOLL_TFD, go[0], (unsigned long)&slot), 0, "kcmp EPOLL_TFD same target");
  CHECK_ERR(kcmp(me, child, KCMP_EPOLL_TFD, go[0], (unsigned long)&slot), EBADF, "kcmp EPOLL_TFD efd of task 2 EBADF");
  check(kcmp(me, me, KCMP_EPOLL_TFD, a, (unsigned long)&slot) > 0, "kcmp EPOLL_TFD other file differs");
  slot.toff = 1;
  CHECK_ERR(kcmp(me, me, KCMP_EPOLL_TFD, go[0], (unsigned long)&slot), ENOENT, "kcmp EPOLL_TFD toff 1 ENOENT");
  slot.toff = 0;
  slot.tfd = (uint32_t)a;
  CHECK_ERR(kcmp(me, me, KCMP_EPOLL_TFD, go[0], (unsigned long)&slot), ENOENT, "kcmp EPOLL_TFD unwatched ENOENT");
  slot.efd = (uint32_t)a;
  CHECK_ERR(kcmp(me, me, KCMP_EPOLL_TFD, go[0], (unsigned long)&slot), EINVAL, "kcmp EPOLL_TFD not epoll EINVAL");
  slot.efd = 999;
  CHECK_ERR(kcmp(me, me, KCMP_EPOLL_TFD, go[0], (unsigned long)&slot), EBADF, "kcmp EPOLL_TFD bad efd EBADF");
  CHECK_ERR(kcmp(me, me, KCMP_EPOLL_TFD, go[0], 8), EFAULT, "kcmp EPOLL_TFD bad slot EFAULT");
  close(ep);
  close(go[1]);
  int st;
  waitpid(child, &st, 0);
  close(go[0]);
  in_child(kcmp_unprivileged, "kcmp of a root process by uid 1000 EPERM");
  close(a);
  close(b);
  close(c);
}

/* ---- a kernel without namespaces (compat64 only) ---- */

static int nons_unprivileged(void) {
  if (!drop_to_1000()) return 10;
  errno = 0;
  if (unshare(CLONE_NEWUTS) != -1 || errno != EPERM) return 11;
  if (unshare(CLONE_NEWNS) != -1 || errno != EPERM) return 12;
  if (unshare(CLONE_NEWUSER) != -1 || errno != EINVAL) return 13;
  int self = pidfd_open(getpid());
  if (setns(self, CLONE_NEWNS) != -1 || errno != EPERM) return 14;
  return 0;
}

static int setns_mnt(void) {
  int self = pidfd_open(getpid());
  if (chdir(dir) != 0) return 20;
  if (setns(self, CLONE_NEWNS) != 0) return 21;
  char cwd[64];
  return getcwd(cwd, sizeof cwd) != NULL && strcmp(cwd, "/") == 0 ? 0 : 22;
}

static void test_nons(void) {
  CHECK_ERR(unshare(CLONE_NEWUTS), EINVAL, "unshare(NEWUTS) EINVAL (no UTS namespaces)");
  CHECK_ERR(unshare(CLONE_NEWIPC), EINVAL, "unshare(NEWIPC) EINVAL");
  CHECK_ERR(unshare(CLONE_NEWNET), EINVAL, "unshare(NEWNET) EINVAL");
  CHECK_ERR(unshare(CLONE_NEWPID), EINVAL, "unshare(NEWPID) EINVAL");
  CHECK_ERR(unshare(CLONE_NEWCGROUP), EINVAL, "unshare(NEWCGROUP) EINVAL");
  CHECK_ERR(unshare(CLONE_NEWTIME), EINVAL, "unshare(NEWTIME) EINVAL");
  CHECK_ERR(unshare(CLONE_NEWUSER), EINVAL, "unshare(NEWUSER) EINVAL");
  CHECK_ERR(unshare(CLONE_NEWNS), EINVAL, "unshare(NEWNS) EINVAL (the mount namespace is not copied)");
  int self = pidfd_open(getpid());
  CHECK_ERR(setns(self, CLONE_NEWUTS), EINVAL, "setns(pidfd, NEWUTS) EINVAL");
  CHECK_ERR(setns(self, CLONE_NEWNS | CLONE_NEWUTS), EINVAL, "setns(pidfd, NEWNS|NEWUTS) EINVAL");
  close(self);
  in_child(nons_unprivileged, "non-root: EPERM before EINVAL, NEWUSER EINVAL, setns EPERM");
  in_child(setns_mnt, "setns(pidfd, NEWNS) joins the one mount namespace: cwd /");
}

/* ---- UTS names (compat64 only) ---- */

static int uts_unprivileged(void) {
  if (!drop_to_1000()) return 10;
  errno = 0;
  if (sethostname("x", 1) != -1 || errno != EPERM) return 11;
  if (setdomainname("x", 1) != -1 || errno != EPERM) return 12;
  if (syscall(SYS_sethostname, "x", 100) != -1 || errno != EPERM) return 13; /* the capability comes first */
  return 0;
}

static void test_uts(void) {
  check_eq(sethostname("c64-host", 8), 0, "sethostname");
  check_eq(setdomainname("c64.example", 11), 0, "setdomainname");
  char long_name[80];
  memset(long_name, 'a', sizeof long_name);
  check_eq(sethostname(long_name, 64), 0, "sethostname 64 bytes");
  CHECK_ERR(syscall(SYS_sethostname, long_name, 65), EINVAL, "sethostname 65 bytes EINVAL");
  CHECK_ERR(syscall(SYS_sethostname, long_name, -1), EINVAL, "sethostname len -1 EINVAL");
  CHECK_ERR(syscall(SYS_setdomainname, long_name, 65), EINVAL, "setdomainname 65 bytes EINVAL");
  CHECK_ERR(syscall(SYS_sethostname, 8, 4), EFAULT, "sethostname bad pointer EFAULT");
  CHECK_ERR(syscall(SYS_setdomainname, 8, 4), EFAULT, "setdomainname bad pointer EFAULT");
  check_eq(syscall(SYS_sethostname, NULL, 0), 0, "sethostname(NULL, 0): empty name");
  check_eq(sethostname("c64-host", 8), 0, "sethostname again");
  in_child(uts_unprivileged, "non-root: EPERM");
}

/* ---- what the rest of the system shows (needs the integrator's hooks) ---- */

static int read_text(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, size - 1);
  close(fd);
  if (n < 0) return -1;
  buf[n] = 0;
  return 0;
}

static int view_chroot(void) {
  if (chroot(dir) != 0 || chdir("/sub") != 0) return 30;
  char cwd[64];
  if (getcwd(cwd, sizeof cwd) == NULL || strcmp(cwd, "/sub") != 0) return 31;
  char link[64] = {0};
  if (readlink("/proc/self/root", link, sizeof link - 1) < 0) return 0; /* no /proc inside the new root */
  return strcmp(link, "/") == 0 ? 0 : 32;
}

static void test_view(void) {
  check_eq(sethostname("c64-view", 8), 0, "sethostname c64-view");
  check_eq(setdomainname("view.example", 12), 0, "setdomainname view.example");
  struct utsname u;
  check(uname(&u) == 0 && strcmp(u.nodename, "c64-view") == 0, "uname nodename follows sethostname");
  check(strcmp(u.domainname, "view.example") == 0, "uname domainname follows setdomainname");
  char buf[128];
  check(read_text("/proc/sys/kernel/hostname", buf, sizeof buf) == 0 && strcmp(buf, "c64-view\n") == 0,
        "/proc/sys/kernel/hostname");
  check(read_text("/proc/sys/kernel/domainname", buf, sizeof buf) == 0 && strcmp(buf, "view.example\n") == 0,
        "/proc/sys/kernel/domainname");
  in_child(view_chroot, "getcwd and /proc/self/root inside a chroot");
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *what = argc > 1 ? argv[1] : "core";
  setup();
  if (strcmp(what, "core") == 0) {
    test_chroot();
    test_unshare();
    test_setns();
    test_kcmp();
  } else if (strcmp(what, "nons") == 0) {
    test_nons();
  } else if (strcmp(what, "uts") == 0) {
    test_uts();
  } else if (strcmp(what, "view") == 0) {
    test_view();
  } else {
    printf("FAIL unknown section %s\n", what);
    failures++;
  }
  teardown();
  return finish();
}
