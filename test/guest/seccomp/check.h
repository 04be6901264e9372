/*
 * PASS/FAIL reporting and seccomp helpers for the seccomp guest tests. Each check prints one line;
 * the program prints ALL PASSED and exits 0 when no check failed. qemu-aarch64 has no seccomp, so
 * these programs check compat64 against Linux's documented rules, not against qemu.
 */
#ifndef SECCOMP_CHECK_H
#define SECCOMP_CHECK_H
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../../include/compat64/compat_syscall.h"

static int failures;

__attribute__((unused)) static void check(int ok, const char *name) {
  if (ok) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (errno %d %s)\n", name, errno, strerror(errno));
    failures++;
  }
  fflush(stdout);
}

#define CHECK_ERR(expr, err, name)        \
  do {                                    \
    errno = 0;                            \
    long r_ = (long)(expr);               \
    int e_ = errno;                       \
    check(r_ == -1 && e_ == (err), name); \
  } while (0)

__attribute__((unused)) static int finish(void) {
  printf(failures ? "SOME CHECKS FAILED\n" : "ALL PASSED\n");
  return failures ? 1 : 0;
}

#define NR_OFF offsetof(struct seccomp_data, nr)
#define ARCH_OFF offsetof(struct seccomp_data, arch)
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)
#define LD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
/* If A == k fall through to the next instruction, else skip one. */
#define IF_EQ(k) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), 0, 1)

/* seccomp(SECCOMP_SET_MODE_FILTER, flags, prog) through the native syscall. */
__attribute__((unused)) static long install_flags(struct sock_filter *f, unsigned short n, unsigned flags) {
  struct sock_fprog prog = {.len = n, .filter = f};
  return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

#define INSTALL(...)                                                              \
  do {                                                                            \
    struct sock_filter f_[] = {__VA_ARGS__};                                      \
    if (install_flags(f_, sizeof f_ / sizeof f_[0], 0) != 0) {                    \
      printf("FAIL install filter at line %d (errno %d)\n", __LINE__, errno);     \
      fflush(stdout);                                                             \
      _exit(99);                                                                  \
    }                                                                             \
  } while (0)

/* A filter that answers `ret` for syscall nr (either arch) and allows everything else. */
__attribute__((unused)) static long install_for_nr(unsigned nr, unsigned ret, unsigned flags) {
  struct sock_filter f[] = {LD(NR_OFF), IF_EQ(nr), RET(ret), RET(SECCOMP_RET_ALLOW)};
  return install_flags(f, 4, flags);
}

/* Runs fn in a forked child (which sets no_new_privs first) and returns its wait status. */
__attribute__((unused)) static int in_child(int (*fn)(void)) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(98);
    _exit(fn());
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return status;
}

__attribute__((unused)) static int killed_by(int status, int sig) {
  return WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

__attribute__((unused)) static int exited_ok(int status) {
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
#endif
