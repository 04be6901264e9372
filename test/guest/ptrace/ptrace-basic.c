/*
 * ptrace core against Linux's documented behaviour (ptrace(2)): TRACEME, ATTACH, SEIZE, INTERRUPT,
 * CONT, SYSCALL stops (TRACESYSGOOD, GETEVENTMSG entry/exit), SYSEMU, signal-delivery stops
 * (suppress, change), group-stops, DETACH, KILL, SIGKILL of a stopped tracee, SINGLESTEP, the
 * errors, wait semantics and /proc's tracing-stop state and TracerPid.
 */
#include <pthread.h>

#include "check.h"
#include "ptrace-util.h"

static volatile sig_atomic_t got_usr1, got_usr2;
static void on_usr1(int sig, siginfo_t *si, void *uc) { (void)sig, (void)si, (void)uc, got_usr1++; }
static void on_usr2(int sig, siginfo_t *si, void *uc) { (void)sig, (void)si, (void)uc, got_usr2++; }

static int body_exit7(void) { return 7; }

static void test_traceme(void) {
  pid_t pid = fork_traceme(body_exit7);
  int st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "traceme: child's raise(SIGSTOP) is a signal-delivery stop");
  check_eq(proc_state(pid), 't', "traceme: /proc/PID/stat state is t");
  char state[32];
  proc_status_state(pid, state, sizeof state);
  check(strcmp(state, "t (tracing stop)") == 0, "traceme: /proc/PID/status State is t (tracing stop)");
  check_eq(proc_status_field(pid, "TracerPid"), getpid(), "traceme: TracerPid is the parent");
  check_eq(pt(PTRACE_CONT, pid, 0, 0), 0, "traceme: PTRACE_CONT");
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "traceme: child runs on and exits 7");
}

static int body_traceme_twice(void) {
  errno = 0;
  long r = pt(PTRACE_TRACEME, 0, 0, 0);
  return r == -1 && errno == EPERM ? 0 : 1;
}

static void test_errors(void) {
  pid_t pid = fork_traceme(body_traceme_twice);
  int st = wait_status(pid);
  check(WIFSTOPPED(st), "errors: tracee stopped");
  errno = 0;
  check(pt(PTRACE_ATTACH, pid, 0, 0) == -1 && errno == EPERM, "errors: ATTACH to a traced task: EPERM");
  errno = 0;
  check(pt(0x4299, pid, 0, 0) == -1 && errno == EIO, "errors: unknown request on a stopped tracee: EIO");
  errno = 0;
  check(pt(PTRACE_SETOPTIONS, pid, 0, 0x80000000ul) == -1 && errno == EINVAL, "errors: SETOPTIONS unknown bit: EINVAL");
  errno = 0;
  check(pt(PTRACE_CONT, pid, 0, 65) == -1 && errno == EIO, "errors: CONT with signal 65: EIO");
  errno = 0;
  check(pt(PTRACE_LISTEN, pid, 0, 0) == -1 && errno == EIO, "errors: LISTEN on an ATTACH-style tracee: EIO");
  errno = 0;
  check(pt(PTRACE_INTERRUPT, pid, 0, 0) == -1 && errno == EIO, "errors: INTERRUPT on an ATTACH-style tracee: EIO");
  long r = pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_SUSPEND_SECCOMP);
  if (geteuid() == 0) {
    check_eq(r, 0, "errors: SUSPEND_SECCOMP allowed with CAP_SYS_ADMIN");
    pt(PTRACE_SETOPTIONS, pid, 0, 0);
  } else {
    check(r == -1 && errno == EPERM, "errors: SUSPEND_SECCOMP without CAP_SYS_ADMIN: EPERM");
  }
  check_eq(pt(PTRACE_CONT, pid, 0, 0), 0, "errors: CONT");
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "errors: second TRACEME fails with EPERM");
  errno = 0;
  check(pt(PTRACE_ATTACH, getpid(), 0, 0) == -1 && errno == EPERM, "errors: ATTACH to oneself: EPERM");
  errno = 0;
  check(pt(PTRACE_CONT, getppid() > 0 ? 999999 : 999999, 0, 0) == -1 && errno == ESRCH, "errors: no such pid: ESRCH");
  errno = 0;
  check(pt(PTRACE_SEIZE, getpid(), 1, 0) == -1 && errno == EIO, "errors: SEIZE with addr != 0: EIO");
}

static int body_not_traced_loop(void) {
  for (;;) pause();
  return 0;
}

static void test_attach(void) {
  pid_t pid = fork();
  if (pid == 0) {
    for (;;) pause();
  }
  errno = 0;
  check(pt(PTRACE_CONT, pid, 0, 0) == -1 && errno == ESRCH, "attach: CONT on an untraced task: ESRCH");
  check_eq(pt(PTRACE_ATTACH, pid, 0, 0), 0, "attach: PTRACE_ATTACH");
  int st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "attach: the tracee stops with SIGSTOP");
  check_eq(proc_state(pid), 't', "attach: state t");
  check_eq(pt(PTRACE_DETACH, pid, 0, 0), 0, "attach: DETACH");
  check_eq(proc_status_field(pid, "TracerPid"), 0, "attach: TracerPid 0 after DETACH");
  errno = 0;
  check(pt(PTRACE_CONT, pid, 0, 0) == -1 && errno == ESRCH, "attach: CONT after DETACH: ESRCH");
  kill(pid, SIGTERM);
  st = wait_status(pid);
  check(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "attach: the detached task runs (dies of SIGTERM)");
}

static void test_seize_interrupt(void) {
  pid_t pid = fork();
  if (pid == 0) _exit(body_not_traced_loop());
  check_eq(pt(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESYSGOOD), 0, "seize: PTRACE_SEIZE");
  int st = 0;
  usleep(20000);
  check_eq(waitpid(pid, &st, WNOHANG | __WALL), 0, "seize: no stop after SEIZE");
  errno = 0;
  check(pt(PTRACE_CONT, pid, 0, 0) == -1 && errno == ESRCH, "seize: CONT on a running tracee: ESRCH");
  check_eq(pt(PTRACE_INTERRUPT, pid, 0, 0), 0, "seize: PTRACE_INTERRUPT");
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP && PT_EVENT(st) == PTRACE_EVENT_STOP,
        "seize: INTERRUPT stops with PTRACE_EVENT_STOP, SIGTRAP");
  check_eq(pt(PTRACE_CONT, pid, 0, 0), 0, "seize: CONT");
  check_eq(pt(PTRACE_KILL, pid, 0, 0), 0, "seize: PTRACE_KILL on a running tracee");
  st = wait_status(pid);
  check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "seize: KILL kills");
}

static int body_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr1;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_sigaction = on_usr2;
  sigaction(SIGUSR2, &sa, NULL);
  kill(getpid(), SIGUSR1); /* the tracer suppresses it */
  int a = got_usr1 == 0 && got_usr2 == 0;
  kill(getpid(), SIGUSR1); /* the tracer changes it into SIGUSR2 */
  int b = got_usr1 == 0 && got_usr2 == 1;
  kill(getpid(), SIGUSR1); /* the tracer lets it through */
  int c = got_usr1 == 1;
  return (a ? 0 : 1) | (b ? 0 : 2) | (c ? 0 : 4);
}

static void test_signal_stops(void) {
  pid_t pid = fork_traceme(body_signals);
  int st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "signals: first stop");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR1, "signals: SIGUSR1 goes to the tracer first");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR1, "signals: second SIGUSR1 stop");
  pt(PTRACE_CONT, pid, 0, SIGUSR2);
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR1, "signals: third SIGUSR1 stop");
  pt(PTRACE_CONT, pid, 0, SIGUSR1);
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "signals: suppressed, changed and delivered as the tracer said");
  if (WIFEXITED(st) && WEXITSTATUS(st) != 0) printf("  (exit %d)\n", WEXITSTATUS(st));
}

static int body_group_stop(void) {
  raise(SIGSTOP); /* re-delivered by the tracer: a group-stop */
  return 5;
}

static void test_group_stop(void) {
  pid_t pid = fork_traceme(body_group_stop);
  int st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "group-stop: first signal-delivery stop");
  pt(PTRACE_CONT, pid, 0, 0); /* suppressed */
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "group-stop: second SIGSTOP signal-delivery stop");
  pt(PTRACE_CONT, pid, 0, SIGSTOP); /* delivered: the process stops */
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP && PT_EVENT(st) == 0, "group-stop: reported as SIGSTOP (ATTACH style)");
  check_eq(proc_state(pid), 't', "group-stop: traced group-stop shows t");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 5, "group-stop: PTRACE_CONT resumes a traced group-stop");
}

static int body_kill_stopped(void) {
  for (;;) pause();
  return 0;
}

static void test_kill_stopped(void) {
  pid_t pid = fork_traceme(body_kill_stopped);
  int st = wait_status(pid);
  check(WIFSTOPPED(st), "kill: tracee stopped");
  check_eq(kill(pid, SIGKILL), 0, "kill: kill(SIGKILL) a tracee in a ptrace stop");
  st = wait_status(pid);
  check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "kill: it dies of SIGKILL");
  pid = fork_traceme(body_kill_stopped);
  wait_status(pid);
  kill(pid, SIGTERM); /* stays pending: a ptrace stop ignores it */
  usleep(20000);
  check_eq(proc_state(pid), 't', "kill: SIGTERM leaves the tracee in its stop");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTERM, "kill: SIGTERM then reported to the tracer");
  pt(PTRACE_CONT, pid, 0, SIGTERM);
  st = wait_status(pid);
  check(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "kill: delivered SIGTERM kills");
}

static int body_syscalls(void) {
  syscall(SYS_getppid);
  syscall(SYS_getppid);
  return 3;
}

static void test_syscall_stops(void) {
  pid_t pid = fork_traceme(body_syscalls);
  int st = wait_status(pid);
  check_eq(pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD), 0, "syscall: SETOPTIONS TRACESYSGOOD");
  int stops = 0, good = 1, order = 1;
  for (;;) {
    pt(PTRACE_SYSCALL, pid, 0, 0);
    st = wait_status(pid);
    if (!WIFSTOPPED(st)) break;
    if (WSTOPSIG(st) != (SIGTRAP | 0x80)) good = 0;
    unsigned long msg = 0;
    pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
    if (msg != (stops % 2 == 0 ? PTRACE_EVENTMSG_SYSCALL_ENTRY : PTRACE_EVENTMSG_SYSCALL_EXIT)) order = 0;
    stops++;
    if (stops > 100) break;
  }
  check(good, "syscall: stops are SIGTRAP|0x80 with TRACESYSGOOD");
  check(order, "syscall: GETEVENTMSG alternates entry (1) and exit (2)");
  /* 2 x getppid, exit_group's entry: 4 + 1. */
  check_eq(stops, 5, "syscall: entry and exit stops of every call, exit_group's entry only");
  check(WIFEXITED(st) && WEXITSTATUS(st) == 3, "syscall: tracee exits 3");
}

static int body_sysemu(void) {
  syscall(SYS_kill, syscall(SYS_getpid), SIGUSR2); /* tells the tracer where we are */
  long r = syscall(SYS_kill, 4242, 0);
  long q = syscall(SYS_getppid);
  return (r == 4242 ? 0 : 1) | (q == getppid() ? 0 : 2);
}

static void test_sysemu(void) {
  pid_t pid = fork_traceme(body_sysemu);
  int st = wait_status(pid);
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR2, "sysemu: marker signal stop");
  check_eq(pt(PTRACE_SYSEMU, pid, 0, 0), 0, "sysemu: PTRACE_SYSEMU (suppressing the marker)");
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP, "sysemu: entry stop (SIGTRAP without TRACESYSGOOD)");
  unsigned long msg = 0;
  pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
  check_eq(msg, PTRACE_EVENTMSG_SYSCALL_ENTRY, "sysemu: it is an entry stop");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFEXITED(st), "sysemu: tracee exits (no exit stop)");
  check_eq(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0, "sysemu: the emulated call is skipped (x0 kept), the next one runs");
}

static void test_singlestep(void) {
  pid_t pid = fork_traceme(body_exit7);
  int st = wait_status(pid);
  int ok = 1;
  for (int i = 0; i < 5; i++) {
    if (pt(PTRACE_SINGLESTEP, pid, 0, 0) != 0) ok = 0;
    st = wait_status(pid);
    if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP) ok = 0;
  }
  check(ok, "singlestep: each SINGLESTEP stops with SIGTRAP");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "singlestep: CONT runs to the end");
}

static void test_waitid(void) {
  pid_t pid = fork_traceme(body_exit7);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  check_eq(waitid(P_PID, pid, &si, WEXITED), 0, "waitid: a ptrace stop is reported even with WEXITED only");
  check(si.si_code == CLD_TRAPPED && si.si_status == SIGSTOP && si.si_pid == pid, "waitid: CLD_TRAPPED, si_status SIGSTOP");
  int st = 0;
  check_eq(waitpid(pid, &st, WNOHANG), 0, "waitid: the stop is reported once");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFEXITED(st), "waitid: child exits");
}

static pid_t other_thread_child;
static int other_thread_status, other_thread_cont_errno;

static void *other_thread(void *arg) {
  (void)arg;
  other_thread_status = wait_status(other_thread_child);
  errno = 0;
  if (pt(PTRACE_CONT, other_thread_child, 0, 0) == -1) other_thread_cont_errno = errno;
  return NULL;
}

static void test_other_thread(void) {
  other_thread_child = fork_traceme(body_exit7);
  pthread_t t;
  pthread_create(&t, NULL, other_thread, NULL);
  pthread_join(t, NULL);
  check(WIFSTOPPED(other_thread_status) && WSTOPSIG(other_thread_status) == SIGSTOP,
        "other-thread: another thread of the tracer's process waits for the tracee's stop");
  check_eq(other_thread_cont_errno, ESRCH, "other-thread: but only the tracing thread may make requests (ESRCH)");
  pt(PTRACE_CONT, other_thread_child, 0, 0);
  int st = wait_status(other_thread_child);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "other-thread: the tracing thread resumes it");
}

static void test_sigchld_ignored(void) {
  signal(SIGCHLD, SIG_IGN);
  pid_t pid = fork_traceme(body_exit7);
  wait_status(pid);
  pt(PTRACE_CONT, pid, 0, 0);
  int st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "sigchld-ignored: a traced child is not auto-reaped behind its tracer");
  signal(SIGCHLD, SIG_DFL);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  test_traceme();
  test_errors();
  test_attach();
  test_seize_interrupt();
  test_signal_stops();
  test_group_stop();
  test_kill_stopped();
  test_syscall_stops();
  test_sysemu();
  test_singlestep();
  test_waitid();
  test_other_thread();
  test_sigchld_ignored();
  return finish();
}
