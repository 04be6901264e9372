/*
 * Job control on the controlling terminal, run on a pseudo-terminal as a session leader (pty-run.py):
 * TIOCGPGRP/TIOCGSID/TIOCSPGRP and their errors, SIGTTOU for a background tcsetattr and for a
 * background write with TOSTOP, SIGTTIN or EIO for a background read, TIOCNOTTY by a member and by the
 * leader (SIGHUP and SIGCONT to the foreground group), TIOCSCTTY, setsid dropping the terminal.
 * Every check prints PASS/FAIL; the same lines are expected under qemu-aarch64 and compat64.
 */
#include "check.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* Runs fn in a child placed in its own (background) process group; returns its wait status. */
static int in_background(int (*fn)(void), int untraced) {
  pid_t c = fork();
  if (c == 0) {
    setpgid(0, 0);
    _exit(fn());
  }
  setpgid(c, c);
  int st = 0;
  waitpid(c, &st, untraced ? WUNTRACED : 0);
  if (WIFSTOPPED(st)) {
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
  }
  return st;
}

static int bg_getpgrp(void) {
  return tcgetpgrp(0) == getppid() ? 0 : 1;
}

static int bg_tcsetattr(void) {
  struct termios t;
  tcgetattr(0, &t);
  return tcsetattr(0, TCSANOW, &t) == 0 ? 0 : 10 + errno;
}

static int bg_tcsetattr_ignored(void) {
  signal(SIGTTOU, SIG_IGN);
  return bg_tcsetattr();
}

static int bg_tcsetattr_blocked(void) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGTTOU);
  sigprocmask(SIG_BLOCK, &s, NULL);
  return bg_tcsetattr();
}

static int bg_read(void) {
  char b;
  return read(0, &b, 1) < 0 ? 10 + errno : 0;
}

static int bg_read_ignored(void) {
  signal(SIGTTIN, SIG_IGN);
  return bg_read();
}

static int bg_write(void) {
  return write(1, "", 0) == 0 && write(1, "bg write\n", 9) == 9 ? 0 : 10 + errno;
}

static int bg_tcsetpgrp_self(void) {
  return tcsetpgrp(0, getpgrp()) == 0 ? 0 : 10 + errno;
}

static int member_notty(void) {
  if (ioctl(0, TIOCNOTTY) != 0) return 1;
  if (tcgetpgrp(0) != -1 || errno != ENOTTY) return 2;
  return 0;
}

static int new_session(void) {
  pid_t ppgrp = getpgrp();
  if (setsid() < 0) return 1;
  if (tcgetpgrp(0) != -1 || errno != ENOTTY) return 2;
  pid_t sid;
  if (ioctl(0, TIOCGSID, &sid) != -1 || errno != ENOTTY) return 3;
  if (ioctl(0, TIOCNOTTY) != -1 || errno != ENOTTY) return 4;
  if (ioctl(0, TIOCSCTTY, 0) != -1 || errno != EPERM) return 5;
  if (tcsetpgrp(0, getpgrp()) != -1 || errno != ENOTTY) return 6;
  (void)ppgrp;
  /* Not a terminal of this session: reading and tcsetattr are not job-controlled. */
  struct termios t;
  if (tcgetattr(0, &t) != 0 || tcsetattr(0, TCSANOW, &t) != 0) return 7;
  return 0;
}

static volatile sig_atomic_t hups, conts;
static void on_hup(int s) {
  (void)s;
  hups++;
}
static void on_cont(int s) {
  (void)s;
  conts++;
}

int main(void) {
  pid_t me = getpid();
  check(getsid(0) == me, "the program leads its session");
  check_linux(tcgetsid(0) == me, "TIOCGSID: the session of the terminal (qemu-aarch64 lacks TIOCGSID)");
  check_eq(tcgetpgrp(0), getpgrp(), "TIOCGPGRP: the foreground group is ours");
  int p[2];
  if (pipe(p) != 0) return 2;
  errno = 0;
  check_err(tcgetpgrp(p[0]), ENOTTY, "TIOCGPGRP on a pipe: ENOTTY");
  check_err(tcsetpgrp(0, -1), EINVAL, "TIOCSPGRP -1: EINVAL");
  check_err(tcsetpgrp(0, 0x3ffffff), ESRCH, "TIOCSPGRP to a pid nobody has: ESRCH");
  check_eq(tcsetpgrp(0, getpgrp()), 0, "TIOCSPGRP to our own group: 0");

  int st = in_background(bg_getpgrp, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a background child sees our group in the foreground");
  st = in_background(bg_tcsetattr, 1);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU, "tcsetattr from the background: stopped by SIGTTOU");
  st = in_background(bg_tcsetattr_ignored, 1);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tcsetattr from the background, SIGTTOU ignored: done");
  st = in_background(bg_tcsetattr_blocked, 1);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tcsetattr from the background, SIGTTOU blocked: done");
  st = in_background(bg_read, 1);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN, "read from the background: stopped by SIGTTIN");
  st = in_background(bg_read_ignored, 1);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 10 + EIO, "read from the background, SIGTTIN ignored: EIO");
  st = in_background(bg_write, 1);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "write from the background without TOSTOP: written");
  st = in_background(bg_tcsetpgrp_self, 1);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU, "tcsetpgrp from the background: stopped by SIGTTOU");

  struct termios t, saved;
  tcgetattr(0, &saved);
  t = saved;
  t.c_lflag |= TOSTOP;
  check_eq(tcsetattr(0, TCSANOW, &t), 0, "TOSTOP set");
  st = in_background(bg_write, 1);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU, "write from the background with TOSTOP: stopped by SIGTTOU");
  tcsetattr(0, TCSANOW, &saved);

  /* Hand the terminal to a child's group and take it back with SIGTTOU blocked, as a shell does. */
  pid_t c = fork();
  if (c == 0) {
    setpgid(0, 0);
    raise(SIGSTOP);
    struct termios x;
    tcgetattr(0, &x);
    _exit(tcsetattr(0, TCSANOW, &x) == 0 && tcgetpgrp(0) == getpgrp() ? 0 : 1);
  }
  setpgid(c, c);
  waitpid(c, &st, WUNTRACED);
  check_eq(tcsetpgrp(0, c), 0, "TIOCSPGRP to a child's group: 0");
  check_eq(tcgetpgrp(0), c, "TIOCGPGRP: the child's group");
  kill(c, SIGCONT);
  waitpid(c, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the foreground child changes the terminal");
  sigset_t ttou, old;
  sigemptyset(&ttou);
  sigaddset(&ttou, SIGTTOU);
  sigprocmask(SIG_BLOCK, &ttou, &old);
  check_eq(tcsetpgrp(0, getpgrp()), 0, "taking the terminal back from the background with SIGTTOU blocked");
  sigprocmask(SIG_SETMASK, &old, NULL);
  check_eq(tcgetpgrp(0), getpgrp(), "our group is in the foreground again");

  st = in_background(member_notty, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "TIOCNOTTY by a member: it loses the terminal");
  check_eq(tcgetpgrp(0), getpgrp(), "the leader keeps it");

  /* A child in a new session: it has no controlling terminal, and its group is not ours to pick. */
  int sync[2];
  if (pipe(sync) != 0) return 2;
  c = fork();
  if (c == 0) {
    int r = new_session();
    char b;
    write(sync[1], "s", 1);
    read(p[0], &b, 1);
    _exit(r);
  }
  char b;
  read(sync[0], &b, 1);
  check_err(tcsetpgrp(0, c), EPERM, "TIOCSPGRP to a group of another session: EPERM");
  write(p[1], "x", 1);
  waitpid(c, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "after setsid: no controlling terminal (ENOTTY, EPERM)");

  /* The leader gives the terminal up: its foreground group (ours) gets SIGHUP and SIGCONT. */
  install(SIGHUP, on_hup, 0);
  install(SIGCONT, on_cont, 0);
  check_eq(ioctl(0, TIOCNOTTY), 0, "TIOCNOTTY by the leader: 0");
  check(hups == 1 && conts == 1, "TIOCNOTTY by the leader: SIGHUP and SIGCONT to the foreground group");
  check_err(tcgetpgrp(0), ENOTTY, "TIOCGPGRP after TIOCNOTTY: ENOTTY");
  check_err(ioctl(0, TIOCNOTTY), ENOTTY, "TIOCNOTTY again: ENOTTY");
  check_eq(ioctl(0, TIOCSCTTY, 0), 0, "TIOCSCTTY: the leader takes it again");
  check_eq(tcgetpgrp(0), getpgrp(), "TIOCGPGRP: our group in the foreground");
  check_linux(tcgetsid(0) == me, "TIOCGSID: our session");
  check_eq(ioctl(0, TIOCSCTTY, 0), 0, "TIOCSCTTY when it is already ours: 0");
  return finish();
}
