/*
 * What exec does to timers (begin_new_exec's exit_itimers): the POSIX timers of the process are
 * deleted (an armed SIGALRM timer never fires in the new program; its id is gone), a signal already
 * queued stays pending and is delivered (Linux 6.1; 6.13 and later drop a deleted timer's signal at
 * dequeue), and a timerfd or signalfd without close-on-exec keeps working. compat64 only: qemu-aarch64 cannot follow an arm64 exec here (it needs binfmt_misc).
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "../signals/check.h"

#define MS 1000000L

static void sleep_ms(long ms) {
  struct timespec r = {ms / 1000, (ms % 1000) * MS};
  while (nanosleep(&r, &r) != 0) {
  }
}

static int after_exec(char **argv) {
  int id = atoi(argv[2]), tfd = atoi(argv[3]), sfd = atoi(argv[4]);
  struct itimerspec its;
  errno = 0;
  check(syscall(SYS_timer_gettime, id, &its) == -1 && errno == EINVAL, "exec deleted the POSIX timer");
  sleep_ms(150);
  check(1, "the armed SIGALRM timer did not fire after exec (the process is alive)");
  sigset_t p;
  sigpending(&p);
  check(sigismember(&p, SIGUSR1), "a signal queued before exec stays pending");
  uint64_t n = 0;
  check(read(tfd, &n, 8) == 8 && n >= 1, "the timerfd still counts");
  struct signalfd_siginfo r;
  check(read(sfd, &r, sizeof r) == sizeof r && r.ssi_signo == SIGUSR1 && r.ssi_code == SI_TIMER,
        "the signalfd reads the signal the deleted timer queued");
  int id2 = -1;
  check(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &id2) == 0 && id2 > id,
        "ids carry on after exec (the process's counter survives)");
  return finish();
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "after") == 0) return after_exec(argv);
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigprocmask(SIG_BLOCK, &m, NULL);
  int alrm = -1, usr1 = -1;
  check(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &alrm) == 0, "a SIGALRM timer");
  struct itimerspec soon = {{0, 0}, {0, 50 * MS}};
  syscall(SYS_timer_settime, alrm, 0, &soon, NULL);
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR1;
  syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &usr1);
  struct itimerspec now = {{0, 0}, {0, 1}};
  syscall(SYS_timer_settime, usr1, 0, &now, NULL);
  sleep_ms(5);
  int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec tick = {{0, 10 * MS}, {0, 10 * MS}};
  timerfd_settime(tfd, 0, &tick, NULL);
  int sfd = signalfd(-1, &m, 0);
  char a[16], b[16], c[16];
  snprintf(a, sizeof a, "%d", alrm);
  snprintf(b, sizeof b, "%d", tfd);
  snprintf(c, sizeof c, "%d", sfd);
  char *args[] = {argv[0], "after", a, b, c, NULL};
  fflush(stdout);
  execv("/proc/self/exe", args);
  check(0, "execv");
  return finish();
}
