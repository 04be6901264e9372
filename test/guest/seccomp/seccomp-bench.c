/*
 * Cost of seccomp per syscall: getpid in a loop with no filter, with a 22-instruction allowlist
 * (arch check, 15 compares; its answer for getpid depends only on arch and nr, so compat64 caches
 * it), and with the same allowlist led by an argument load (no caching possible). Prints
 * "BENCH <case> <ns per call>". Not a test: run it by hand (see docs/seccomp.md).
 */
#include "check.h"

#include <time.h>

static double ns_per_call(long n) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; i++) syscall(__NR_getpid);
  clock_gettime(CLOCK_MONOTONIC, &b);
  return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
}

static long install_allowlist(int touch_args) {
  static const unsigned allowed[] = {
      __NR_read,         __NR_write,          __NR_close, __NR_fstat,         __NR_mmap,
      __NR_munmap,       __NR_brk,            __NR_rt_sigaction, __NR_rt_sigprocmask, __NR_clock_gettime,
      __NR_exit,         __NR_exit_group,     __NR_gettid, __NR_getppid,      __NR_getpid,
  };
  enum { N = sizeof allowed / sizeof allowed[0] };
  struct sock_filter f[5 + N + 2] = {
      LD(touch_args ? ARG_LO(0) : NR_OFF),
      LD(ARCH_OFF),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_AARCH64, 1, 0),
      RET(SECCOMP_RET_KILL_PROCESS),
      LD(NR_OFF),
  };
  /* Compare i jumps to the final RET ALLOW on a match. */
  for (int i = 0; i < N; i++) f[5 + i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, allowed[i], N - i, 0);
  f[5 + N] = (struct sock_filter)RET(SECCOMP_RET_ERRNO | EPERM);
  f[6 + N] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
  return install_flags(f, 5 + N + 2, 0);
}

/*
 * seccomp-bench [N]: the three cases, timed inside the guest (wall clock).
 * seccomp-bench N none|allowlist|args: one case only, for timing the whole run by CPU time outside.
 */
int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 200000;
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 2) {
    int mode = strcmp(argv[2], "none") == 0 ? 0 : strcmp(argv[2], "args") == 0 ? 2 : 1;
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (mode != 0 && install_allowlist(mode == 2) != 0) return 99;
    printf("BENCH %s %.0f\n", argv[2], ns_per_call(n));
    return 0;
  }
  ns_per_call(n / 10);
  printf("BENCH none %.0f\n", ns_per_call(n));
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (install_allowlist(1) != 0) _exit(99);
    ns_per_call(n / 10);
    printf("BENCH allowlist-loads-args %.0f\n", ns_per_call(n));
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  if (install_allowlist(0) != 0) return 99;
  ns_per_call(n / 10);
  printf("BENCH allowlist %.0f\n", ns_per_call(n));
  return 0;
}
