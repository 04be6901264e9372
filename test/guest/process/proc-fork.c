/* fork, wait4/waitid, pipes between processes, job control, process groups and sessions,
 * reparenting, SIGCHLD, vfork, raw clone threads — compared with qemu-aarch64. */
#include "check.h"
#include <sched.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>

static volatile sig_atomic_t chld_count, chld_code, chld_status, chld_pid;

static void on_chld(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  chld_count++;
  chld_code = si->si_code;
  chld_status = si->si_status;
  chld_pid = si->si_pid;
}

static void test_exit_codes(void) {
  for (int code = 0; code < 3; code++) {
    pid_t p = fork();
    if (p == 0) _exit(code * 100);
    int st = -1;
    check_eq(waitpid(p, &st, 0), p, "waitpid returns the child");
    check(WIFEXITED(st) && WEXITSTATUS(st) == code * 100, "exit status");
  }
  pid_t p = fork();
  if (p == 0) {
    raise(SIGUSR1);
    _exit(0);
  }
  int st;
  waitpid(p, &st, 0);
  check(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1 && !WCOREDUMP(st), "killed by SIGUSR1");
  errno = 0;
  check(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD, "ECHILD with no children");
  check(waitpid(getpid(), &st, 0) == -1 && errno == ECHILD, "ECHILD for a non-child");
}

static void test_pipe_between(void) {
  int up[2], down[2];
  pipe(up);
  pipe(down);
  pid_t p = fork();
  if (p == 0) {
    close(up[0]);
    close(down[1]);
    char b[16];
    long sum = 0;
    for (;;) {
      ssize_t n = read(down[0], b, 1);
      if (n <= 0) break;
      sum += b[0];
      write(up[1], b, 1);
    }
    _exit(sum == 'a' * 1000 ? 0 : 1);
  }
  close(up[1]);
  close(down[0]);
  int ok = 1;
  for (int i = 0; i < 1000; i++) {
    char c = 'a', r = 0;
    write(down[1], &c, 1);
    if (read(up[0], &r, 1) != 1 || r != 'a') ok = 0;
  }
  close(down[1]);
  char r;
  check(read(up[0], &r, 1) == 0, "EOF after the child exits");
  int st;
  waitpid(p, &st, 0);
  check(ok && WIFEXITED(st) && WEXITSTATUS(st) == 0, "1000 round trips through two pipes");
  /* a big write wakes the reader repeatedly */
  pipe(up);
  p = fork();
  if (p == 0) {
    close(up[0]);
    static char big[300000];
    memset(big, 'x', sizeof big);
    _exit(write(up[1], big, sizeof big) == sizeof big ? 0 : 1);
  }
  close(up[1]);
  long total = 0;
  char buf[4096];
  ssize_t n;
  while ((n = read(up[0], buf, sizeof buf)) > 0) total += n;
  waitpid(p, &st, 0);
  check_eq(total, 300000, "300000 bytes through a pipe");
  close(up[0]);
}

static void test_wnohang_and_stop(void) {
  int go[2];
  pipe(go);
  pid_t p = fork();
  if (p == 0) {
    char c;
    read(go[0], &c, 1);
    _exit(9);
  }
  int st = 0;
  check_eq(waitpid(p, &st, WNOHANG), 0, "WNOHANG: 0 while the child runs");
  kill(p, SIGSTOP);
  check_eq(waitpid(p, &st, WUNTRACED), p, "WUNTRACED reports the stop");
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "stopped by SIGSTOP");
  check_eq(waitpid(p, &st, WUNTRACED | WNOHANG), 0, "a stop is reported once");
  kill(p, SIGCONT);
  check_eq(waitpid(p, &st, WCONTINUED), p, "WCONTINUED reports the continue");
  check(WIFCONTINUED(st), "WIFCONTINUED");
  write(go[1], "x", 1);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  check_eq(waitid(P_PID, p, &si, WEXITED | WNOWAIT), 0, "waitid WNOWAIT");
  check(si.si_pid == p && si.si_code == CLD_EXITED && si.si_status == 9 && si.si_signo == SIGCHLD, "waitid siginfo");
  memset(&si, 0, sizeof si);
  check_eq(waitid(P_ALL, 0, &si, WEXITED), 0, "waitid reaps after WNOWAIT");
  check(si.si_pid == p && si.si_status == 9, "same child again");
  memset(&si, 0xff, sizeof si);
  errno = 0;
  check(waitid(P_ALL, 0, &si, WEXITED | WNOHANG) == -1 && errno == ECHILD, "waitid ECHILD");
  check(waitid(P_ALL, 0, &si, WNOHANG) == -1 && errno == EINVAL, "waitid without WEXITED etc: EINVAL");
  close(go[0]);
  close(go[1]);
}

static void test_sigchld(void) {
  install(SIGCHLD, on_chld, SA_RESTART);
  chld_count = 0;
  pid_t p = fork();
  if (p == 0) _exit(42);
  int st;
  waitpid(p, &st, 0);
  check(chld_count == 1 && chld_code == CLD_EXITED && chld_status == 42 && chld_pid == p, "SIGCHLD siginfo for an exit");
  p = fork();
  if (p == 0) {
    pause();
    _exit(0);
  }
  kill(p, SIGKILL);
  waitpid(p, &st, 0);
  check(chld_code == CLD_KILLED && chld_status == SIGKILL, "SIGCHLD siginfo for a kill");
  signal(SIGCHLD, SIG_DFL);
  /* SA_NOCLDWAIT: children are reaped by the kernel and wait ends with ECHILD */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sa.sa_flags = SA_NOCLDWAIT;
  sigaction(SIGCHLD, &sa, NULL);
  p = fork();
  if (p == 0) _exit(1);
  errno = 0;
  check_linux(waitpid(p, &st, 0) == -1 && errno == ECHILD, "SA_NOCLDWAIT: no zombie");
  if (reference_run()) waitpid(p, &st, 0);
  sa.sa_flags = 0;
  sigaction(SIGCHLD, &sa, NULL);
}

static void test_groups(void) {
  pid_t me = getpid();
  check_eq(getpgid(0), getpgrp(), "getpgid(0) == getpgrp()");
  int sync[2];
  pipe(sync);
  pid_t p = fork();
  if (p == 0) {
    char c;
    read(sync[0], &c, 1);
    int ok = getpgrp() == getpid() && getppid() == me;
    /* a process-group leader cannot start a session */
    errno = 0;
    ok = ok && setsid() == -1 && errno == EPERM;
    if (fork() == 0) {
      pid_t s = setsid();
      _exit(s == getpid() && getsid(0) == getpid() && getpgrp() == getpid() ? 0 : 1);
    }
    int st2;
    wait(&st2);
    _exit(ok && WIFEXITED(st2) && WEXITSTATUS(st2) == 0 ? 0 : 1);
  }
  check_eq(setpgid(p, p), 0, "setpgid(child, child)");
  check_eq(getpgid(p), p, "child leads its group");
  write(sync[1], "x", 1);
  int st;
  waitpid(p, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child: own group; setsid EPERM for a leader, works in its child");
  errno = 0;
  check(getpgid(999999) == -1 && errno == ESRCH, "getpgid of nobody: ESRCH");
  /* kill(-pgid) reaches every member */
  p = fork();
  if (p == 0) {
    setpgid(0, 0);
    if (fork() == 0) {
      pause();
      _exit(0);
    }
    pause();
    _exit(0);
  }
  setpgid(p, p);
  usleep(100000);
  check_eq(kill(-p, SIGTERM), 0, "kill(-pgid)");
  waitpid(p, &st, 0);
  check(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "group leader got SIGTERM");
  close(sync[0]);
  close(sync[1]);
}

static void test_subreaper(void) {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int r;
  prctl(PR_GET_CHILD_SUBREAPER, &r);
  check_linux(r == 1, "PR_GET_CHILD_SUBREAPER");
  int fd[2];
  pipe(fd);
  pid_t mid = fork();
  if (mid == 0) {
    pid_t g = fork();
    if (g == 0) {
      /* wait until the middle process is gone, then report the new parent */
      while (getppid() == mid) usleep(1000);
      pid_t pp = getppid();
      write(fd[1], &pp, sizeof pp);
      _exit(5);
    }
    write(fd[1], &g, sizeof g);
    _exit(0);
  }
  int st;
  waitpid(mid, &st, 0);
  pid_t g = 0, pp = 0;
  read(fd[0], &g, sizeof g);
  read(fd[0], &pp, sizeof pp);
  check_linux(pp == getpid(), "orphan reparented to the subreaper");
  pid_t w = waitpid(g, &st, 0);
  check_linux(w == g && WEXITSTATUS(st) == 5, "subreaper reaps the grandchild");
  prctl(PR_SET_CHILD_SUBREAPER, 0);
  close(fd[0]);
  close(fd[1]);
}

static void test_pdeathsig(void) {
  int fd[2];
  pipe(fd);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  pid_t mid = fork();
  if (mid == 0) {
    pid_t g = fork();
    if (g == 0) {
      prctl(PR_SET_PDEATHSIG, SIGUSR2);
      int s;
      prctl(PR_GET_PDEATHSIG, &s);
      write(fd[1], &s, sizeof s);
      pause();
      _exit(0);
    }
    int s;
    read(fd[0], &s, sizeof s);
    write(fd[1], &g, sizeof g);
    _exit(s == SIGUSR2 ? 0 : 1);
  }
  int st;
  waitpid(mid, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "PR_GET_PDEATHSIG");
  /* the grandchild's pid (not wait(-1): as pid 1, compat64's test process also inherits other orphans) */
  pid_t g = 0;
  read(fd[0], &g, sizeof g);
  pid_t w = waitpid(g, &st, 0);
  check_linux(w > 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR2, "parent death sends PR_SET_PDEATHSIG's signal");
  prctl(PR_SET_CHILD_SUBREAPER, 0);
  close(fd[0]);
  close(fd[1]);
}

static int shared_var;

static void test_vfork(void) {
  shared_var = 1;
  pid_t p = vfork();
  if (p == 0) {
    shared_var = 2; /* the parent is suspended and shares memory */
    _exit(4);
  }
  check_linux(shared_var == 2, "vfork child shares memory, parent waited");
  int st;
  waitpid(p, &st, 0);
  check_eq(WEXITSTATUS(st), 4, "vfork child's status");
  /* fork copies: the child's writes stay in the child */
  shared_var = 1;
  p = fork();
  if (p == 0) {
    shared_var = 3;
    _exit(shared_var);
  }
  waitpid(p, &st, 0);
  check(shared_var == 1 && WEXITSTATUS(st) == 3, "fork: copy-on-write memory");
}

static void test_clone3(void) {
  struct clone_args ca;
  memset(&ca, 0, sizeof ca);
  ca.exit_signal = SIGCHLD;
  long p = syscall(SYS_clone3, &ca, sizeof ca);
  if (p == 0) _exit(8);
  int st;
  check_linux(p > 0 && waitpid(p, &st, 0) == p && WEXITSTATUS(st) == 8, "clone3 fork-style");
  ca.exit_signal = 0;
  ca.flags = CLONE_THREAD;
  errno = 0;
  check_linux(syscall(SYS_clone3, &ca, sizeof ca) == -1 && errno == EINVAL, "clone3 CLONE_THREAD without CLONE_SIGHAND: EINVAL");
  errno = 0;
  check_linux(syscall(SYS_clone3, &ca, 8) == -1 && errno == EINVAL, "clone3 size too small: EINVAL");
  /* clone(): CLONE_SIGHAND without CLONE_VM */
  errno = 0;
  check(syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0) == -1 && errno == EINVAL, "clone CLONE_SIGHAND without CLONE_VM");
  /* a __WCLONE child: exit signal other than SIGCHLD */
  signal(SIGUSR1, SIG_IGN);
  p = syscall(SYS_clone, SIGUSR1, 0, 0, 0, 0);
  if (p == 0) _exit(6);
  errno = 0;
  check(waitpid(p, &st, 0) == -1 && errno == ECHILD, "a clone child is invisible without __WCLONE");
  check_linux(waitpid(p, &st, __WCLONE) == p && WEXITSTATUS(st) == 6, "__WCLONE waits for it");
  if (reference_run()) waitpid(p, &st, __WALL);
  signal(SIGUSR1, SIG_DFL);
}

static void test_rusage(void) {
  pid_t p = fork();
  if (p == 0) {
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 20000000; i++) x += i;
    _exit(0);
  }
  struct rusage ru;
  memset(&ru, 0xff, sizeof ru);
  int st;
  check_eq(wait4(p, &st, 0, &ru), p, "wait4 with rusage");
  check(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000, "rusage times are sane");
  check(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0, "the busy child used some user time");
  struct rusage ch;
  getrusage(RUSAGE_CHILDREN, &ch);
  check(ch.ru_utime.tv_sec > 0 || ch.ru_utime.tv_usec > 0, "RUSAGE_CHILDREN counts reaped children");
}

static void test_zombie_kill(void) {
  pid_t p = fork();
  if (p == 0) _exit(0);
  usleep(100000);
  check_eq(kill(p, 0), 0, "kill(zombie, 0) succeeds");
  int st;
  waitpid(p, &st, 0);
  errno = 0;
  check(kill(p, 0) == -1 && errno == ESRCH, "reaped: ESRCH");
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  test_exit_codes();
  test_pipe_between();
  test_wnohang_and_stop();
  test_sigchld();
  test_groups();
  test_subreaper();
  test_pdeathsig();
  test_vfork();
  test_clone3();
  test_rusage();
  test_zombie_kill();
  return finish();
}
