/*
 * seccomp(2) and prctl(PR_SET_SECCOMP) as Linux documents them: the operations and their errors,
 * no_new_privs, every filter action, precedence across stacked filters, inheritance across fork and
 * exec, strict mode (native and compat numbers). Run with the argument "exec-child" it is the
 * program a filtered process execs.
 */
#include "check.h"

#include <fcntl.h>
#include <ucontext.h>

static const unsigned all_actions[] = {
    SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP, SECCOMP_RET_ERRNO,
    SECCOMP_RET_USER_NOTIF,   SECCOMP_RET_TRACE,       SECCOMP_RET_LOG,  SECCOMP_RET_ALLOW,
};

/* The value of a "Name:\t<n>" line of /proc/self/status, or -1. */
static long status_field(const char *name) {
  FILE *f = fopen("/proc/self/status", "r");
  if (f == NULL) return -1;
  char line[256];
  long v = -1;
  size_t n = strlen(name);
  while (fgets(line, sizeof line, f) != NULL)
    if (strncmp(line, name, n) == 0 && line[n] == ':') v = strtol(line + n + 1, NULL, 10);
  fclose(f);
  return v;
}

static void test_operations(void) {
  for (unsigned i = 0; i < sizeof all_actions / sizeof all_actions[0]; i++) {
    unsigned a = all_actions[i];
    check(syscall(__NR_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &a) == 0, "GET_ACTION_AVAIL knows every action");
  }
  unsigned bogus = 0x00010000;
  CHECK_ERR(syscall(__NR_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &bogus), EOPNOTSUPP, "GET_ACTION_AVAIL unknown: EOPNOTSUPP");
  CHECK_ERR(syscall(__NR_seccomp, SECCOMP_GET_ACTION_AVAIL, 1, &bogus), EINVAL, "GET_ACTION_AVAIL flags: EINVAL");
  CHECK_ERR(syscall(__NR_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, NULL), EFAULT, "GET_ACTION_AVAIL NULL: EFAULT");
  struct seccomp_notif_sizes sizes = {0};
  check(syscall(__NR_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) == 0 && sizes.seccomp_notif == 80 &&
            sizes.seccomp_notif_resp == 24 && sizes.seccomp_data == 64,
        "GET_NOTIF_SIZES 80/24/64");
  CHECK_ERR(syscall(__NR_seccomp, 99, 0, NULL), EINVAL, "unknown op: EINVAL");
  CHECK_ERR(syscall(__NR_seccomp, SECCOMP_SET_MODE_STRICT, 1, NULL), EINVAL, "STRICT with flags: EINVAL");
  CHECK_ERR(syscall(__NR_seccomp, SECCOMP_SET_MODE_STRICT, 0, &sizes), EINVAL, "STRICT with args: EINVAL");
  check(prctl(PR_GET_SECCOMP) == 0, "PR_GET_SECCOMP 0 before any filter");
}

static int child_bad_filters(void) {
  struct sock_filter ok[] = {RET(SECCOMP_RET_ALLOW)};
  CHECK_ERR(install_flags(ok, 1, 64), EINVAL, "unknown filter flag: EINVAL");
  CHECK_ERR(install_flags(ok, 1, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_NEW_LISTENER), EINVAL,
            "TSYNC|NEW_LISTENER without TSYNC_ESRCH: EINVAL");
  CHECK_ERR(install_flags(ok, 1, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV), EINVAL,
            "WAIT_KILLABLE_RECV without NEW_LISTENER: EINVAL");
  CHECK_ERR(install_flags(ok, 0, 0), EINVAL, "len 0: EINVAL");
  CHECK_ERR(install_flags(ok, 4097, 0), EINVAL, "len 4097: EINVAL");
  CHECK_ERR(syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, NULL), EFAULT, "NULL fprog: EFAULT");
  struct sock_fprog badptr = {.len = 1, .filter = (struct sock_filter *)8};
  CHECK_ERR(syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &badptr), EFAULT, "bad filter pointer: EFAULT");
  struct sock_filter noret[] = {LD(NR_OFF)};
  CHECK_ERR(install_flags(noret, 1, 0), EINVAL, "no final RET: EINVAL");
  struct sock_filter unaligned[] = {LD(2), RET(SECCOMP_RET_ALLOW)};
  CHECK_ERR(install_flags(unaligned, 2, 0), EINVAL, "unaligned load: EINVAL");
  struct sock_filter past[] = {LD(64), RET(SECCOMP_RET_ALLOW)};
  CHECK_ERR(install_flags(past, 2, 0), EINVAL, "load past seccomp_data: EINVAL");
  struct sock_filter half[] = {BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0), RET(SECCOMP_RET_ALLOW)};
  CHECK_ERR(install_flags(half, 2, 0), EINVAL, "16-bit load: EINVAL");
  struct sock_filter mod[] = {BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 3), RET(SECCOMP_RET_ALLOW)};
  CHECK_ERR(install_flags(mod, 2, 0), EINVAL, "BPF_MOD: EINVAL");
  struct sock_filter div0[] = {BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), RET(SECCOMP_RET_ALLOW)};
  CHECK_ERR(install_flags(div0, 2, 0), EINVAL, "division by constant 0: EINVAL");
  struct sock_filter mem[] = {BPF_STMT(BPF_ST, 16), RET(SECCOMP_RET_ALLOW)};
  CHECK_ERR(install_flags(mem, 2, 0), EINVAL, "scratch index 16: EINVAL");
  struct sock_filter jump[] = {BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), RET(SECCOMP_RET_ALLOW)};
  CHECK_ERR(install_flags(jump, 2, 0), EINVAL, "jump past the end: EINVAL");
  struct sock_filter op[] = {BPF_STMT(0xff, 0), RET(SECCOMP_RET_ALLOW)};
  CHECK_ERR(install_flags(op, 2, 0), EINVAL, "unknown opcode: EINVAL");
  check(prctl(PR_GET_SECCOMP) == 0, "rejected filters leave mode 0");
  return failures;
}

/* Without no_new_privs only CAP_SYS_ADMIN may install a filter (compat64: root). */
static void test_nnp(void) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    struct sock_filter ok[] = {RET(SECCOMP_RET_ALLOW)};
    if (geteuid() != 0) {
      CHECK_ERR(install_flags(ok, 1, 0), EACCES, "no NNP, no CAP_SYS_ADMIN: EACCES");
      CHECK_ERR(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &(struct sock_fprog){1, ok}), EACCES,
                "prctl without NNP: EACCES");
    } else {
      check(install_flags(ok, 1, 0) == 0, "root (CAP_SYS_ADMIN) installs without NNP");
      check(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0, "installing did not set NNP");
    }
    _exit(failures);
  }
  int st;
  waitpid(pid, &st, 0);
  check(exited_ok(st), "NNP rule child");
}

static int child_status(void) {
  INSTALL(RET(SECCOMP_RET_ALLOW));
  struct sock_filter f[] = {RET(SECCOMP_RET_ALLOW)};
  check(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &(struct sock_fprog){1, f}) == 0, "prctl(PR_SET_SECCOMP) filter");
  check(prctl(PR_GET_SECCOMP) == 2, "PR_GET_SECCOMP 2");
  check(status_field("Seccomp") == 2, "/proc/self/status Seccomp: 2");
  check(status_field("Seccomp_filters") == 2, "/proc/self/status Seccomp_filters: 2");
  check(status_field("NoNewPrivs") == 1, "/proc/self/status NoNewPrivs: 1");
  CHECK_ERR(syscall(__NR_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL), EINVAL, "filter mode then strict: EINVAL");
  return failures;
}

static int child_errno(void) {
  if (install_for_nr(__NR_getppid, SECCOMP_RET_ERRNO | 33, 0) != 0) return 99;
  CHECK_ERR(syscall(__NR_getppid), 33, "RET_ERRNO 33");
  check(syscall(__NR_getpid) == getpid(), "other calls run");
  if (install_for_nr(__NR_getuid, SECCOMP_RET_ERRNO | 5000, 0) != 0) return 99;
  CHECK_ERR(syscall(__NR_getuid), 4095, "RET_ERRNO capped at MAX_ERRNO 4095");
  return failures;
}

static volatile siginfo_t trap_info;
static volatile unsigned long trap_pc;
static volatile int trap_count;

static void on_sigsys(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  trap_info = *si;
  trap_pc = ((ucontext_t *)uc)->uc_mcontext.pc;
  trap_count++;
}

static void catch_sigsys(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, NULL);
}

static int child_trap(void) {
  catch_sigsys();
  if (install_for_nr(__NR_getppid, SECCOMP_RET_TRAP | 0x42, 0) != 0) return 99;
  syscall(__NR_getppid);
  check(trap_count == 1, "RET_TRAP raises SIGSYS");
  check(trap_info.si_signo == SIGSYS && trap_info.si_code == 1, "si_code SYS_SECCOMP");
  check(trap_info.si_errno == 0x42, "si_errno = RET_DATA");
  check(trap_info.si_syscall == __NR_getppid, "si_syscall = nr");
  check(trap_info.si_arch == AUDIT_ARCH_AARCH64, "si_arch AUDIT_ARCH_AARCH64");
  check((unsigned long)trap_info.si_call_addr == trap_pc, "si_call_addr = pc after the SVC");
  return failures;
}

static int child_kill_process(void) {
  if (install_for_nr(__NR_getppid, SECCOMP_RET_KILL_PROCESS, 0) != 0) return 99;
  syscall(__NR_getppid);
  return 50;
}

static int child_kill_thread(void) {
  if (install_for_nr(__NR_getppid, SECCOMP_RET_KILL_THREAD, 0) != 0) return 99;
  syscall(__NR_getppid);
  return 50;
}

static int child_kill_blocked_sigsys(void) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGSYS);
  sigprocmask(SIG_BLOCK, &s, NULL);
  signal(SIGSYS, SIG_IGN);
  if (install_for_nr(__NR_getppid, SECCOMP_RET_KILL_PROCESS, 0) != 0) return 99;
  syscall(__NR_getppid);
  return 50;
}

static int child_trace_log_allow(void) {
  if (install_for_nr(__NR_getppid, SECCOMP_RET_TRACE | 7, 0) != 0) return 99;
  CHECK_ERR(syscall(__NR_getppid), ENOSYS, "RET_TRACE without a tracer: ENOSYS");
  if (install_for_nr(__NR_getuid, SECCOMP_RET_LOG, SECCOMP_FILTER_FLAG_LOG) != 0) return 99;
  check(syscall(__NR_getuid) == (long)getuid(), "RET_LOG runs the call");
  if (install_for_nr(__NR_getgid, SECCOMP_RET_ALLOW | 9, SECCOMP_FILTER_FLAG_SPEC_ALLOW) != 0) return 99;
  check(syscall(__NR_getgid) == (long)getgid(), "RET_ALLOW with data runs the call; SPEC_ALLOW accepted");
  if (install_for_nr(__NR_geteuid, SECCOMP_RET_USER_NOTIF, 0) != 0) return 99;
  CHECK_ERR(syscall(__NR_geteuid), ENOSYS, "RET_USER_NOTIF without a listener: ENOSYS");
  return failures;
}

static int child_precedence(void) {
  catch_sigsys();
  /* getppid: older ERRNO, newer TRAP: TRAP wins. */
  if (install_for_nr(__NR_getppid, SECCOMP_RET_ERRNO | 7, 0) != 0) return 99;
  if (install_for_nr(__NR_getppid, SECCOMP_RET_TRAP | 1, 0) != 0) return 99;
  syscall(__NR_getppid);
  check(trap_count == 1, "TRAP beats ERRNO");
  /* getuid: older ERRNO 7, newer ERRNO 5: same action, the newest value stands. */
  if (install_for_nr(__NR_getuid, SECCOMP_RET_ERRNO | 7, 0) != 0) return 99;
  if (install_for_nr(__NR_getuid, SECCOMP_RET_ERRNO | 5, 0) != 0) return 99;
  CHECK_ERR(syscall(__NR_getuid), 5, "equal actions: the newest filter's data");
  /* getgid: ERRNO beats TRACE, LOG and USER_NOTIF. */
  if (install_for_nr(__NR_getgid, SECCOMP_RET_TRACE, 0) != 0) return 99;
  if (install_for_nr(__NR_getgid, SECCOMP_RET_ERRNO | 9, 0) != 0) return 99;
  if (install_for_nr(__NR_getgid, SECCOMP_RET_USER_NOTIF, 0) != 0) return 99;
  if (install_for_nr(__NR_getgid, SECCOMP_RET_LOG, 0) != 0) return 99;
  CHECK_ERR(syscall(__NR_getgid), 9, "ERRNO beats TRACE/USER_NOTIF/LOG");
  /* geteuid: USER_NOTIF beats TRACE and LOG (no listener: ENOSYS; LOG would run it). */
  if (install_for_nr(__NR_geteuid, SECCOMP_RET_LOG, 0) != 0) return 99;
  if (install_for_nr(__NR_geteuid, SECCOMP_RET_USER_NOTIF, 0) != 0) return 99;
  CHECK_ERR(syscall(__NR_geteuid), ENOSYS, "USER_NOTIF beats LOG");
  /* getegid: TRACE beats LOG (no tracer: ENOSYS). */
  if (install_for_nr(__NR_getegid, SECCOMP_RET_LOG, 0) != 0) return 99;
  if (install_for_nr(__NR_getegid, SECCOMP_RET_TRACE, 0) != 0) return 99;
  CHECK_ERR(syscall(__NR_getegid), ENOSYS, "TRACE beats LOG");
  /* gettid: an older KILL_PROCESS beats every newer filter. */
  if (install_for_nr(__NR_gettid, SECCOMP_RET_KILL_PROCESS, 0) != 0) return 99;
  if (install_for_nr(__NR_gettid, SECCOMP_RET_TRAP, 0) != 0) return 99;
  if (install_for_nr(__NR_gettid, SECCOMP_RET_KILL_THREAD, 0) != 0) return 99;
  fflush(stdout);
  syscall(__NR_gettid);
  return 50;
}

static int child_fork_inherit(void) {
  if (install_for_nr(__NR_getppid, SECCOMP_RET_ERRNO | 11, 0) != 0) return 99;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    CHECK_ERR(syscall(__NR_getppid), 11, "a forked child keeps the filter");
    check(status_field("Seccomp_filters") == 1, "child Seccomp_filters: 1");
    _exit(failures);
  }
  int st;
  waitpid(pid, &st, 0);
  check(exited_ok(st), "fork-inherit grandchild");
  return failures;
}

static int exec_child(void) {
  CHECK_ERR(syscall(__NR_getppid), 12, "the filter survives exec");
  check(prctl(PR_GET_SECCOMP) == 2, "mode 2 after exec");
  check(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1, "NNP after exec");
  return failures;
}

static int child_exec(void) {
  if (install_for_nr(__NR_getppid, SECCOMP_RET_ERRNO | 12, 0) != 0) return 99;
  fflush(stdout);
  execl("/proc/self/exe", "seccomp-actions", "exec-child", (char *)NULL);
  return 97;
}

static int child_strict(void) {
  static const char msg[] = "PASS strict mode allows write\n";
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) != 0) return 99;
  write(1, msg, sizeof msg - 1);
  syscall(__NR_getpid);
  syscall(__NR_exit, 50);
  return 50;
}

static int child_strict_compat(void) {
  static const char msg[] = "PASS strict mode allows compat write (4)\n";
  if (syscall(__NR_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL) != 0) return 99;
  compat_syscall(__NR_compat_write, 1, msg, sizeof msg - 1);
  /* Native exit (93) is allowed; exit_group (glibc's _exit) would be killed. */
  syscall(__NR_exit, 0);
  return 50;
}

static int child_strict_compat_getpid(void) {
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) != 0) return 99;
  compat_syscall(__NR_compat_getpid);
  syscall(__NR_exit, 50);
  return 50;
}

static int child_strict_exit_group(void) {
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) != 0) return 99;
  syscall(__NR_exit_group, 50);
  return 50;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 1 && strcmp(argv[1], "exec-child") == 0) return exec_child();
  test_operations();
  check(exited_ok(in_child(child_bad_filters)), "bad filters child");
  test_nnp();
  check(exited_ok(in_child(child_status)), "status child");
  check(exited_ok(in_child(child_errno)), "errno child");
  check(exited_ok(in_child(child_trap)), "trap child");
  int st = in_child(child_kill_process);
  check(killed_by(st, SIGSYS), "RET_KILL_PROCESS: killed by SIGSYS");
  st = in_child(child_kill_thread);
  check(killed_by(st, SIGSYS), "RET_KILL_THREAD of a single thread: killed by SIGSYS");
  st = in_child(child_kill_blocked_sigsys);
  check(killed_by(st, SIGSYS), "RET_KILL_PROCESS with SIGSYS blocked and ignored: killed");
  check(exited_ok(in_child(child_trace_log_allow)), "trace/log/allow child");
  st = in_child(child_precedence);
  check(killed_by(st, SIGSYS), "KILL_PROCESS beats newer TRAP and KILL_THREAD");
  check(exited_ok(in_child(child_fork_inherit)), "fork-inherit child");
  check(exited_ok(in_child(child_exec)), "exec child");
  st = in_child(child_strict);
  check(killed_by(st, SIGKILL), "strict mode: getpid killed by SIGKILL");
  st = in_child(child_strict_compat);
  check(exited_ok(st), "strict mode: compat write and native exit allowed");
  st = in_child(child_strict_compat_getpid);
  check(killed_by(st, SIGKILL), "strict mode: compat getpid killed by SIGKILL");
  st = in_child(child_strict_exit_group);
  check(killed_by(st, SIGKILL), "strict mode: exit_group killed by SIGKILL");
  return finish();
}
