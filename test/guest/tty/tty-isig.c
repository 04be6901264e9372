/*
 * Terminal signals from the keyboard, on a pseudo-terminal (pty-run.py types the characters after
 * each READY line): ^C interrupts a read in canonical and in non-canonical mode (SIGINT, EINTR
 * without SA_RESTART, the read goes on with it), ^\ sends SIGQUIT, ^C is plain input once ISIG is
 * off, and ^Z stops a foreground child (SIGTSTP) and its parent hears of it.
 */
#include "check.h"
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t ints, quits;
static void on_int(int s) {
  (void)s;
  ints++;
}
static void on_quit(int s) {
  (void)s;
  quits++;
}

static void ready(const char *what) {
  printf("READY-%s\n", what);
  fflush(stdout);
}

static void set_mode(const struct termios *base, int canon, int isig) {
  struct termios t = *base;
  if (canon)
    t.c_lflag |= ICANON | ECHO;
  else
    t.c_lflag &= ~(ICANON | ECHO);
  if (isig)
    t.c_lflag |= ISIG;
  else
    t.c_lflag &= ~ISIG;
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  tcsetattr(0, TCSANOW, &t);
}

int main(void) {
  struct termios saved;
  tcgetattr(0, &saved);
  char buf[64];

  install(SIGINT, on_int, 0);
  set_mode(&saved, 1, 1);
  ready("INT-COOKED");
  long r = read(0, buf, sizeof buf);
  check_err(r, EINTR, "^C in canonical mode: the read ends with EINTR");
  check_eq(ints, 1, "^C in canonical mode: SIGINT");

  set_mode(&saved, 0, 1);
  ready("INT-RAW");
  r = read(0, buf, sizeof buf);
  check_err(r, EINTR, "^C in non-canonical mode with ISIG: EINTR");
  check_eq(ints, 2, "^C in non-canonical mode with ISIG: SIGINT");

  install(SIGINT, on_int, SA_RESTART);
  ready("INT-RESTART");
  r = read(0, buf, sizeof buf);
  check_eq(r, 1, "^C with SA_RESTART: the read goes on and returns the next key");
  check(r == 1 && buf[0] == 'k', "^C with SA_RESTART: the key");
  check_eq(ints, 3, "^C with SA_RESTART: SIGINT");

  install(SIGQUIT, on_quit, 0);
  ready("QUIT");
  r = read(0, buf, sizeof buf);
  check_err(r, EINTR, "^\\ : EINTR");
  check_eq(quits, 1, "^\\ : SIGQUIT");

  set_mode(&saved, 0, 0);
  ready("NOISIG");
  r = read(0, buf, sizeof buf);
  check(r == 1 && buf[0] == 3, "^C with ISIG off: read as a character");
  check_eq(ints, 3, "^C with ISIG off: no signal");

  /* ^Z stops the foreground child; the shell-like parent sees it stopped and takes the terminal back. */
  for (int canon = 1; canon >= 0; canon--) {
    set_mode(&saved, canon, 1);
    sigset_t ttou, old;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_BLOCK, &ttou, &old);
    int go[2];
    if (pipe(go) != 0) return 2;
    pid_t c = fork();
    if (c == 0) {
      setpgid(0, 0);
      char b;
      read(go[0], &b, 1);
      ready(canon ? "TSTP-COOKED" : "TSTP-RAW");
      read(0, buf, sizeof buf);
      _exit(7);
    }
    setpgid(c, c);
    tcsetpgrp(0, c);
    write(go[1], "g", 1);
    int st = 0;
    waitpid(c, &st, WUNTRACED);
    check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP,
          canon ? "^Z in canonical mode: the foreground child stops" : "^Z in non-canonical mode: the child stops");
    check_eq(tcsetpgrp(0, getpgrp()), 0, "the parent takes the terminal back");
    sigprocmask(SIG_SETMASK, &old, NULL);
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    close(go[0]);
    close(go[1]);
  }
  tcsetattr(0, TCSANOW, &saved);
  return finish();
}
