/*
 * ptrace events and tracer/tracee relations against Linux's documented behaviour (ptrace(2)):
 * PTRACE_O_TRACEFORK/VFORK/VFORKDONE/CLONE/EXEC/EXIT (event stops, GETEVENTMSG, auto-attached children
 * starting with SIGSTOP or PTRACE_EVENT_STOP), the post-exec SIGTRAP, CLONE_UNTRACED, a traced child's
 * exit reported to its tracer before its real parent, EXITKILL, the tracer's exit detaching, and
 * SEIZE group-stops with PTRACE_LISTEN and SIGCONT notification.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>

#include "check.h"
#include "ptrace-util.h"

static const char *self_exe = "/proc/self/exe";

#define EVENT_STATUS(ev) ((SIGTRAP | ((ev) << 8)))
static int is_event(int st, int ev) { return WIFSTOPPED(st) && (st >> 8) == EVENT_STATUS(ev); }

static unsigned long eventmsg(pid_t pid) {
  unsigned long msg = 0xdead;
  pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
  return msg;
}

/* Waits for pid to end, passing every signal-delivery stop (SIGCHLD…) on to it. */
static int wait_end(pid_t pid) {
  for (;;) {
    int st = wait_status(pid);
    if (!WIFSTOPPED(st)) return st;
    pt(PTRACE_CONT, pid, 0, PT_EVENT(st) == 0 ? WSTOPSIG(st) : 0);
  }
}

static int body_fork(void) {
  pid_t c = fork();
  if (c == 0) _exit(3);
  int st = 0;
  if (waitpid(c, &st, 0) != c) return 1;
  return WIFEXITED(st) && WEXITSTATUS(st) == 3 ? 0 : 2;
}

static void test_fork(void) {
  pid_t pid = fork_traceme(body_fork);
  wait_status(pid);
  check_eq(pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEFORK), 0, "fork: SETOPTIONS TRACEFORK");
  pt(PTRACE_CONT, pid, 0, 0);
  int st = wait_status(pid);
  check(is_event(st, PTRACE_EVENT_FORK), "fork: PTRACE_EVENT_FORK stop");
  pid_t gc = (pid_t)eventmsg(pid);
  check(gc > 0 && gc != pid, "fork: GETEVENTMSG is the new pid");
  st = wait_status(gc);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "fork: the new child is traced and starts with SIGSTOP");
  check_eq(proc_status_field(gc, "TracerPid"), getpid(), "fork: the new child's TracerPid");
  pt(PTRACE_CONT, pid, 0, 0);
  pt(PTRACE_CONT, gc, 0, 0);
  st = wait_status(gc);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 3, "fork: the tracer (not the parent) sees the child's exit first");
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGCHLD, "fork: the real parent's SIGCHLD comes after the tracer's wait");
  pt(PTRACE_CONT, pid, 0, SIGCHLD);
  st = wait_end(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork: then the real parent reaps it with its status");
}

static int body_vfork(void) {
  pid_t c = vfork();
  if (c == 0) _exit(4);
  int st = 0;
  if (waitpid(c, &st, 0) != c) return 1;
  return WIFEXITED(st) && WEXITSTATUS(st) == 4 ? 0 : 2;
}

static void test_vfork(void) {
  pid_t pid = fork_traceme(body_vfork);
  wait_status(pid);
  pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEVFORK | PTRACE_O_TRACEVFORKDONE);
  pt(PTRACE_CONT, pid, 0, 0);
  int st = wait_status(pid);
  check(is_event(st, PTRACE_EVENT_VFORK), "vfork: PTRACE_EVENT_VFORK stop");
  pid_t gc = (pid_t)eventmsg(pid);
  st = wait_status(gc);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "vfork: the vfork child starts stopped");
  pt(PTRACE_CONT, pid, 0, 0);
  pt(PTRACE_CONT, gc, 0, 0);
  st = wait_status(gc);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 4, "vfork: child exits 4");
  st = wait_status(pid);
  check(is_event(st, PTRACE_EVENT_VFORK_DONE), "vfork: PTRACE_EVENT_VFORK_DONE once the child let go");
  check_eq((long)eventmsg(pid), gc, "vfork: VFORK_DONE's message is the child's pid");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_end(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "vfork: parent exits 0");
}

static void *thread_fn(void *arg) { return arg; }

static int body_clone(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, thread_fn, NULL) != 0) return 1;
  return pthread_join(t, NULL) == 0 ? 0 : 2;
}

static void test_clone(void) {
  pid_t pid = fork_traceme(body_clone);
  wait_status(pid);
  pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACECLONE);
  pt(PTRACE_CONT, pid, 0, 0);
  int st = wait_status(pid);
  check(is_event(st, PTRACE_EVENT_CLONE), "clone: PTRACE_EVENT_CLONE for a thread");
  pid_t tid = (pid_t)eventmsg(pid);
  check(tid > pid, "clone: the message is the thread's tid");
  st = wait_status(tid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "clone: the thread starts stopped (waitpid by tid)");
  pt(PTRACE_CONT, tid, 0, 0);
  st = wait_status(tid);
  check(WIFEXITED(st), "clone: the thread's exit is reported to the tracer");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "clone: pthread_join works, process exits 0");
}

static int body_exec(void) {
  execl(self_exe, "ptrace-events", "exec-child", (char *)NULL);
  return 1;
}

static void test_exec(void) {
  pid_t pid = fork_traceme(body_exec);
  wait_status(pid);
  pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXEC);
  pt(PTRACE_CONT, pid, 0, 0);
  int st = wait_status(pid);
  check(is_event(st, PTRACE_EVENT_EXEC), "exec: PTRACE_EVENT_EXEC stop");
  check_eq((long)eventmsg(pid), pid, "exec: the message is the former tid");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 6, "exec: the new program runs");

  pid = fork_traceme(body_exec);
  wait_status(pid);
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP && PT_EVENT(st) == 0, "exec: without TRACEEXEC, a plain SIGTRAP after exec");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 6, "exec: SIGTRAP suppressed, the program runs");
}

static void *exec_thread(void *arg) {
  (void)arg;
  execl(self_exe, "ptrace-events", "exec-child", (char *)NULL);
  return NULL;
}

static int body_thread_exec(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, exec_thread, NULL) != 0) return 1;
  pthread_join(t, NULL);
  return 2;
}

static void test_thread_exec(void) {
  pid_t pid = fork_traceme(body_thread_exec);
  wait_status(pid);
  pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC);
  pt(PTRACE_CONT, pid, 0, 0);
  int st = wait_status(pid);
  check(is_event(st, PTRACE_EVENT_CLONE), "thread-exec: the thread's CLONE event");
  pid_t tid = (pid_t)eventmsg(pid);
  wait_status(tid);
  pt(PTRACE_CONT, tid, 0, 0);
  pt(PTRACE_CONT, pid, 0, 0);
  int w = waitpid(-1, &st, __WALL);
  check_eq(w, pid, "thread-exec: the exec is reported under the leader's pid");
  check(is_event(st, PTRACE_EVENT_EXEC), "thread-exec: PTRACE_EVENT_EXEC");
  check_eq((long)eventmsg(pid), tid, "thread-exec: its message is the exec'ing thread's former tid");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 6, "thread-exec: the new program runs as the process");
  errno = 0;
  check(waitpid(tid, &st, __WALL | WNOHANG) == -1 && errno == ECHILD, "thread-exec: the former tid is gone");
}

static void *blocked_thread(void *arg) {
  int *fds = arg;
  char c;
  /* Parks in read until main writes: a group-stop must interrupt it (and the read restarts). */
  return read(fds[0], &c, 1) == 1 ? NULL : (void *)1;
}

static int body_thread_stop(void) {
  static int fds[2];
  if (pipe(fds) != 0) return 1;
  pthread_t t;
  if (pthread_create(&t, NULL, blocked_thread, fds) != 0) return 2;
  syscall(SYS_kill, syscall(SYS_getpid), SIGUSR2); /* marker: the thread exists */
  syscall(SYS_kill, syscall(SYS_getpid), SIGSTOP);
  if (write(fds[1], "x", 1) != 1) return 3;
  void *r;
  pthread_join(t, &r);
  return r == NULL ? 0 : 4;
}

static void test_thread_group_stop(void) {
  pid_t pid = fork_traceme(body_thread_stop);
  wait_status(pid);
  pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACECLONE);
  pt(PTRACE_CONT, pid, 0, 0);
  int st = wait_status(pid);
  check(is_event(st, PTRACE_EVENT_CLONE), "thread-stop: CLONE event");
  pid_t tid = (pid_t)eventmsg(pid);
  wait_status(tid);
  pt(PTRACE_CONT, tid, 0, 0);
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR2, "thread-stop: marker");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "thread-stop: SIGSTOP's signal-delivery stop");
  pt(PTRACE_CONT, pid, 0, SIGSTOP);
  int leader = 0, thread = 0;
  for (int i = 0; i < 2; i++) {
    int w = waitpid(-1, &st, __WALL);
    if (w == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP) leader++;
    if (w == tid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP) thread++;
  }
  check(leader == 1 && thread == 1, "thread-stop: both traced threads report the group-stop (the blocked one too)");
  check_eq(proc_state(tid), 't', "thread-stop: the thread is in a tracing stop");
  pt(PTRACE_CONT, tid, 0, 0);
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(tid);
  check(WIFEXITED(st), "thread-stop: the thread's read restarted and it finished");
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "thread-stop: the process exits 0");
}

static int body_exit5(void) { return 5; }

static void test_exit(void) {
  pid_t pid = fork_traceme(body_exit5);
  wait_status(pid);
  pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXIT);
  pt(PTRACE_CONT, pid, 0, 0);
  int st = wait_status(pid);
  check(is_event(st, PTRACE_EVENT_EXIT), "exit: PTRACE_EVENT_EXIT stop");
  check_eq((long)eventmsg(pid), 5 << 8, "exit: the message is the wait status");
  check_eq(proc_state(pid), 't', "exit: still there, in a tracing stop");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 5, "exit: then it exits 5");
}

static int body_untraced(void) {
  long c = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
  if (c == 0) _exit(2);
  int st = 0;
  waitpid((pid_t)c, &st, 0);
  return WIFEXITED(st) && WEXITSTATUS(st) == 2 ? 0 : 1;
}

static void test_untraced(void) {
  pid_t pid = fork_traceme(body_untraced);
  wait_status(pid);
  pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEFORK);
  pt(PTRACE_CONT, pid, 0, 0);
  int st, events = 0;
  for (;;) {
    st = wait_status(pid);
    if (!WIFSTOPPED(st)) break;
    if (PT_EVENT(st) != 0) events++;
    pt(PTRACE_CONT, pid, 0, PT_EVENT(st) == 0 ? WSTOPSIG(st) : 0);
  }
  check_eq(events, 0, "untraced: CLONE_UNTRACED makes no fork event");
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "untraced: the child is not traced and exits 2 to its parent");
}

static int body_clone_ptrace(void) {
  long c = syscall(SYS_clone, CLONE_PTRACE | SIGCHLD, 0, 0, 0, 0);
  if (c == 0) _exit(12);
  int st = 0;
  waitpid((pid_t)c, &st, 0);
  return WIFEXITED(st) && WEXITSTATUS(st) == 12 ? 0 : 1;
}

static void test_clone_ptrace(void) {
  pid_t pid = fork_traceme(body_clone_ptrace);
  wait_status(pid);
  pt(PTRACE_CONT, pid, 0, 0);
  /* No event without TRACEFORK, but the child is traced: its first stop is SIGSTOP. */
  int st = 0, child_stops = 0, parent_events = 0;
  for (;;) {
    pid_t w = waitpid(-1, &st, __WALL);
    if (w < 0) break;
    if (w == pid) {
      if (!WIFSTOPPED(st)) break;
      if (PT_EVENT(st) != 0) parent_events++;
      pt(PTRACE_CONT, pid, 0, PT_EVENT(st) == 0 ? WSTOPSIG(st) : 0);
    } else if (WIFSTOPPED(st)) {
      if (WSTOPSIG(st) == SIGSTOP) child_stops++;
      pt(PTRACE_CONT, w, 0, 0);
    }
  }
  check_eq(parent_events, 0, "clone-ptrace: CLONE_PTRACE makes no event stop");
  check_eq(child_stops, 1, "clone-ptrace: the CLONE_PTRACE child is traced and starts with SIGSTOP");
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "clone-ptrace: the parent reaps the child's exit 12");
}

static pid_t spawn_pauser(void) {
  pid_t v = fork();
  if (v == 0) {
    for (;;) pause();
  }
  return v;
}

static void test_exitkill(void) {
  pid_t v = spawn_pauser();
  pid_t t = fork();
  if (t == 0) {
    if (pt(PTRACE_SEIZE, v, 0, PTRACE_O_EXITKILL) != 0) _exit(1);
    _exit(0);
  }
  int st = wait_status(t);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exitkill: a sibling seizes with EXITKILL and exits");
  st = wait_status(v);
  check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "exitkill: the tracee dies of SIGKILL with its tracer");

  v = spawn_pauser();
  t = fork();
  if (t == 0) {
    if (pt(PTRACE_ATTACH, v, 0, 0) != 0) _exit(1);
    int s = wait_status(v);
    _exit(WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP ? 0 : 2);
  }
  st = wait_status(t);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "detach-on-exit: a sibling attaches, sees the stop, exits");
  usleep(20000);
  check_eq(proc_status_field(v, "TracerPid"), 0, "detach-on-exit: the tracee is detached");
  check(proc_state(v) == 'S', "detach-on-exit: and runs again (its SIGSTOP was reported, so not delivered)");
  kill(v, SIGTERM);
  st = wait_status(v);
  check(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "detach-on-exit: it dies of SIGTERM");
}

static void test_listen(void) {
  pid_t v = spawn_pauser();
  check_eq(pt(PTRACE_SEIZE, v, 0, 0), 0, "listen: SEIZE");
  kill(v, SIGSTOP);
  int st = wait_status(v);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP && PT_EVENT(st) == 0, "listen: SIGSTOP's signal-delivery stop");
  pt(PTRACE_CONT, v, 0, SIGSTOP);
  st = wait_status(v);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP && PT_EVENT(st) == PTRACE_EVENT_STOP, "listen: group-stop as PTRACE_EVENT_STOP");
  check_eq(pt(PTRACE_LISTEN, v, 0, 0), 0, "listen: PTRACE_LISTEN");
  check_eq(waitpid(v, &st, WNOHANG | __WALL), 0, "listen: a listener is not reported again");
  errno = 0;
  check(pt(PTRACE_CONT, v, 0, 0) == -1 && errno == ESRCH, "listen: a listener takes no requests (ESRCH)");
  kill(v, SIGCONT);
  st = wait_status(v);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP && PT_EVENT(st) == PTRACE_EVENT_STOP, "listen: SIGCONT makes it trap (EVENT_STOP, SIGTRAP)");
  pt(PTRACE_CONT, v, 0, 0);
  st = wait_status(v);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGCONT, "listen: then SIGCONT's signal-delivery stop");
  pt(PTRACE_CONT, v, 0, 0);
  check_eq(pt(PTRACE_INTERRUPT, v, 0, 0), 0, "listen: INTERRUPT");
  st = wait_status(v);
  check(WIFSTOPPED(st) && PT_EVENT(st) == PTRACE_EVENT_STOP && WSTOPSIG(st) == SIGTRAP, "listen: INTERRUPT traps");
  pt(PTRACE_KILL, v, 0, 0);
  st = wait_status(v);
  check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "listen: KILL");
}

static void test_seize_fork(void) {
  int p[2];
  if (pipe(p) != 0) return;
  pid_t v = fork();
  if (v == 0) {
    char c;
    close(p[1]);
    if (read(p[0], &c, 1) != 1) _exit(9);
    pid_t g = fork();
    if (g == 0) _exit(8);
    int s = 0;
    waitpid(g, &s, 0);
    _exit(WIFEXITED(s) && WEXITSTATUS(s) == 8 ? 0 : 1);
  }
  close(p[0]);
  check_eq(pt(PTRACE_SEIZE, v, 0, PTRACE_O_TRACEFORK), 0, "seize-fork: SEIZE with TRACEFORK");
  if (write(p[1], "x", 1) != 1) return;
  int st = wait_status(v);
  check(is_event(st, PTRACE_EVENT_FORK), "seize-fork: PTRACE_EVENT_FORK");
  pid_t gc = (pid_t)eventmsg(v);
  st = wait_status(gc);
  check(WIFSTOPPED(st) && PT_EVENT(st) == PTRACE_EVENT_STOP && WSTOPSIG(st) == SIGTRAP,
        "seize-fork: a seized tracee's child starts with PTRACE_EVENT_STOP");
  pt(PTRACE_CONT, gc, 0, 0);
  pt(PTRACE_CONT, v, 0, 0);
  st = wait_status(gc);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 8, "seize-fork: child exits 8");
  st = wait_end(v);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "seize-fork: parent reaps it");
  close(p[1]);
}

static void test_attach_stopped(void) {
  pid_t v = spawn_pauser();
  kill(v, SIGSTOP);
  int st = 0;
  check_eq(waitpid(v, &st, WUNTRACED), v, "attach-stopped: the real parent sees the group-stop");
  check_eq(pt(PTRACE_ATTACH, v, 0, 0), 0, "attach-stopped: ATTACH to a stopped process");
  st = wait_status(v);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "attach-stopped: the tracer sees it stopped at once");
  pt(PTRACE_CONT, v, 0, 0);
  st = wait_status(v);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "attach-stopped: then ATTACH's own SIGSTOP");
  pt(PTRACE_KILL, v, 0, 0);
  st = wait_status(v);
  check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "attach-stopped: KILL");
}

static volatile sig_atomic_t detach_sig;
static void on_detach_sig(int sig) { detach_sig = sig; }

static int body_detach_signal(void) {
  signal(SIGUSR1, on_detach_sig);
  signal(SIGUSR2, on_detach_sig);
  syscall(SYS_kill, syscall(SYS_getpid), SIGUSR1);
  return detach_sig == SIGUSR2 ? 0 : 1;
}

static void test_detach_signal(void) {
  pid_t pid = fork_traceme(body_detach_signal);
  wait_status(pid);
  pt(PTRACE_CONT, pid, 0, 0);
  int st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR1, "detach-signal: SIGUSR1 stop");
  check_eq(pt(PTRACE_DETACH, pid, 0, SIGUSR2), 0, "detach-signal: DETACH with SIGUSR2");
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "detach-signal: the detached task gets SIGUSR2 instead");
}

static void test_tracer_dies_before_reaping(void) {
  pid_t v = fork();
  if (v == 0) {
    usleep(50000);
    _exit(11);
  }
  pid_t t = fork();
  if (t == 0) {
    if (pt(PTRACE_SEIZE, v, 0, 0) != 0) _exit(1);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    /* WNOWAIT: see the exit without collecting it, then leave the zombie to the real parent. */
    if (waitid(P_PID, v, &si, WEXITED | WNOWAIT) != 0) _exit(2);
    _exit(si.si_code == CLD_EXITED && si.si_status == 11 ? 0 : 3);
  }
  int st = wait_status(t);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tracer-dies: the tracer sees the tracee's exit (WNOWAIT) and exits");
  st = wait_status(v);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 11, "tracer-dies: the real parent then reaps the zombie");
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "exec-child") == 0) return 6;
  setvbuf(stdout, NULL, _IONBF, 0);
  test_fork();
  test_vfork();
  test_clone();
  test_exec();
  test_thread_exec();
  test_thread_group_stop();
  test_exit();
  test_untraced();
  test_clone_ptrace();
  test_exitkill();
  test_listen();
  test_seize_fork();
  test_attach_stopped();
  test_detach_signal();
  test_tracer_dies_before_reaping();
  return finish();
}
