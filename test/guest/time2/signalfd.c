/*
 * signalfd: the file (O_RDWR, flags, anon inode, /proc/self/fd name), reads of blocked signals as
 * signalfd_siginfo records (ssi_signo, ssi_code, ssi_pid, ssi_uid, ssi_int/ssi_ptr for sigqueue,
 * SI_KERNEL for ITIMER_REAL, SI_TIMER with ssi_overrun for a POSIX timer), several records per read
 * in dequeue order, O_NONBLOCK, blocking reads woken by a timer, a read interrupted by a handled
 * signal (EINTR, or restarted with SA_RESTART), a new mask through signalfd on the same fd, the
 * reader's own pending signals after fork, and the errors Linux gives.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../signals/check.h"

#define MS 1000000L

static sigset_t set_of(int a, int b) {
  sigset_t s;
  sigemptyset(&s);
  if (a) sigaddset(&s, a);
  if (b) sigaddset(&s, b);
  return s;
}

/* read(2) of up to n records into recs: the number read, or -errno. */
static long read_recs(int fd, struct signalfd_siginfo *recs, int n) {
  ssize_t r = read(fd, recs, n * sizeof *recs);
  if (r < 0) return -errno;
  return r % sizeof *recs == 0 ? (long)(r / sizeof *recs) : -1000;
}

static void sleep_ms(long ms) {
  struct timespec r = {ms / 1000, (ms % 1000) * MS};
  while (nanosleep(&r, &r) != 0) {
  }
}

static int is_pending(int sig) {
  sigset_t p;
  sigpending(&p);
  return sigismember(&p, sig);
}

static volatile int handled;
static void on_sig(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)si;
  (void)uc;
  handled++;
}

static void basics(void) {
  sigset_t m = set_of(SIGUSR1, SIGRTMIN + 2);
  int fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
  check(fd >= 0, "signalfd(-1, {SIGUSR1, SIGRTMIN+2}, SFD_NONBLOCK | SFD_CLOEXEC)");
  check(fcntl(fd, F_GETFL) == (O_RDWR | O_NONBLOCK), "F_GETFL: O_RDWR | O_NONBLOCK");
  check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "close-on-exec");
  struct stat st;
  check(fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == 0 && (st.st_mode & 0777) == 0600,
        "fstat: an anon inode, mode 0600 without a type");
  char link[64], path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(path, link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  check(strcmp(link, "anon_inode:[signalfd]") == 0, "/proc/self/fd names it anon_inode:[signalfd]");

  struct signalfd_siginfo r[8];
  check_eq(read_recs(fd, r, 1), -EAGAIN, "nothing pending, O_NONBLOCK: EAGAIN");
  errno = 0;
  check(read(fd, r, sizeof r[0] - 1) == -1 && errno == EINVAL, "a read smaller than one record: EINVAL");

  raise(SIGUSR1);
  check(is_pending(SIGUSR1), "raise of a blocked SIGUSR1: pending");
  check_eq(read_recs(fd, r, 8), 1, "one record");
  check(r[0].ssi_signo == SIGUSR1 && r[0].ssi_code == SI_TKILL, "ssi_signo SIGUSR1, ssi_code SI_TKILL");
  check(r[0].ssi_pid == (uint32_t)getpid() && r[0].ssi_uid == getuid(), "ssi_pid and ssi_uid of the sender");
  check(!is_pending(SIGUSR1), "the read took it off the pending set");

  kill(getpid(), SIGUSR1);
  check_eq(read_recs(fd, r, 1), 1, "kill: one record");
  check_eq(r[0].ssi_code, SI_USER, "kill: SI_USER");

  union sigval v;
  for (int i = 1; i <= 3; i++) {
    v.sival_ptr = (void *)(uintptr_t)(i * 10);
    sigqueue(getpid(), SIGRTMIN + 2, v);
  }
  v.sival_ptr = (void *)(uintptr_t)99;
  sigqueue(getpid(), SIGUSR1, v);
  raise(SIGUSR2);
  check_eq(read_recs(fd, r, 8), 4, "four records in one read; SIGUSR2 is not in the mask");
  check(r[0].ssi_signo == SIGUSR1 && r[0].ssi_code == SI_QUEUE && r[0].ssi_int == 99, "lowest signal first, with ssi_int");
  int order = 1;
  for (int i = 1; i <= 3; i++)
    order = order && r[i].ssi_signo == (uint32_t)(SIGRTMIN + 2) && r[i].ssi_int == i * 10 && r[i].ssi_ptr == (uint64_t)(i * 10);
  check(order, "real-time signals queued in order, ssi_int and ssi_ptr");
  check(is_pending(SIGUSR2), "SIGUSR2 stays pending");

  sigset_t m2 = set_of(SIGUSR2, 0);
  check(signalfd(fd, &m2, 0) == fd, "signalfd on the same fd: a new mask, the same fd");
  raise(SIGUSR1);
  check_eq(read_recs(fd, r, 8), 1, "the new mask reads SIGUSR2 only");
  check(r[0].ssi_signo == SIGUSR2, "SIGUSR2");
  check(is_pending(SIGUSR1), "SIGUSR1 is out of the mask now");
  sigset_t m3 = set_of(SIGUSR1, SIGKILL);
  check(signalfd(fd, &m3, 0) == fd, "SIGKILL in the mask is ignored");
  check_eq(read_recs(fd, r, 8), 1, "SIGUSR1 again");
  close(fd);
}

static void timers(void) {
  sigset_t m = set_of(SIGALRM, SIGUSR2);
  int fd = signalfd(-1, &m, 0);
  struct itimerval it = {{0, 0}, {0, 20000}};
  setitimer(ITIMER_REAL, &it, NULL);
  struct signalfd_siginfo r[4];
  check_eq(read_recs(fd, r, 4), 1, "a blocking read woken by ITIMER_REAL");
  check(r[0].ssi_signo == SIGALRM && r[0].ssi_code == SI_KERNEL, "SIGALRM with SI_KERNEL");

  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR2;
  ev.sigev_value.sival_int = 77;
  int id = -1;
  syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id);
  struct itimerspec its = {{0, 20 * MS}, {0, 20 * MS}};
  syscall(SYS_timer_settime, id, 0, &its, NULL);
  sleep_ms(105);
  check_eq(read_recs(fd, r, 4), 1, "a periodic POSIX timer: one record");
  check(r[0].ssi_signo == SIGUSR2 && r[0].ssi_code == SI_TIMER && r[0].ssi_int == 77, "SI_TIMER with ssi_int 77");
  check(r[0].ssi_overrun >= 4 && r[0].ssi_overrun < 1000, "ssi_overrun counts the expiries missed");
  check(syscall(SYS_timer_getoverrun, id) == (long)r[0].ssi_overrun, "timer_getoverrun agrees");
  check_linux(r[0].ssi_tid == (uint32_t)id, "ssi_tid is the timer id");
  syscall(SYS_timer_delete, id);
  fcntl(fd, F_SETFL, O_NONBLOCK);
  while (read_recs(fd, r, 4) > 0) {
  }
  close(fd);
}

static void interrupted(void) {
  sigset_t m = set_of(SIGUSR1, 0);
  int fd = signalfd(-1, &m, 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sig;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGALRM, &sa, NULL);
  sigset_t alrm = set_of(SIGALRM, 0);
  sigprocmask(SIG_UNBLOCK, &alrm, NULL);
  struct itimerval it = {{0, 0}, {0, 20000}};
  setitimer(ITIMER_REAL, &it, NULL);
  handled = 0;
  struct signalfd_siginfo r[2];
  check_eq(read_recs(fd, r, 2), -EINTR, "a blocking read interrupted by a handled signal: EINTR");
  check(handled == 1, "the handler ran");

  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR1;
  int id = -1;
  syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id);
  struct itimerspec its = {{0, 0}, {0, 80 * MS}};
  syscall(SYS_timer_settime, id, 0, &its, NULL);
  setitimer(ITIMER_REAL, &it, NULL);
  handled = 0;
  check_eq(read_recs(fd, r, 2), 1, "with SA_RESTART the read restarts and gets the timer's signal");
  check(handled == 1 && r[0].ssi_signo == SIGUSR1 && r[0].ssi_code == SI_TIMER, "after the handler ran");
  syscall(SYS_timer_delete, id);
  sigprocmask(SIG_BLOCK, &alrm, NULL);
  close(fd);
}

static void forked(void) {
  sigset_t m = set_of(SIGUSR1, 0);
  int fd = signalfd(-1, &m, 0);
  raise(SIGUSR1);
  pid_t pid = fork();
  if (pid == 0) {
    /* The child's own pending set starts empty: its read waits for the parent's kill. */
    struct signalfd_siginfo r;
    long n = read_recs(fd, &r, 1);
    _exit(n == 1 && r.ssi_signo == SIGUSR1 && r.ssi_code == SI_USER && r.ssi_pid == (uint32_t)getppid() ? 0 : 1);
  }
  kill(pid, SIGUSR1);
  int status = -1;
  waitpid(pid, &status, 0);
  check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a forked child reads its own signals from the shared signalfd");
  struct signalfd_siginfo r;
  check_eq(read_recs(fd, &r, 1), 1, "the parent's raise is still its own to read");
  check(r.ssi_code == SI_TKILL, "SI_TKILL");
  close(fd);
}

static void errors(void) {
  sigset_t m = set_of(SIGUSR1, 0);
  errno = 0;
  check_linux(syscall(SYS_signalfd4, -1, &m, 4, 0) == -1 && errno == EINVAL, "sizemask 4: EINVAL");
  errno = 0;
  check(syscall(SYS_signalfd4, -1, &m, 8, 1) == -1 && errno == EINVAL, "unknown flag: EINVAL");
  errno = 0;
  check(syscall(SYS_signalfd4, -1, NULL, 8, 0) == -1 && errno == EFAULT, "no mask: EFAULT");
  int p[2];
  pipe(p);
  errno = 0;
  check(signalfd(p[0], &m, 0) == -1 && errno == EINVAL, "signalfd on a pipe: EINVAL");
  errno = 0;
  check(signalfd(999, &m, 0) == -1 && errno == EBADF, "signalfd on no fd: EBADF");
  close(p[0]);
  close(p[1]);
}

int main(void) {
  sigset_t all;
  sigemptyset(&all);
  sigaddset(&all, SIGUSR1);
  sigaddset(&all, SIGUSR2);
  sigaddset(&all, SIGALRM);
  sigaddset(&all, SIGRTMIN + 2);
  sigprocmask(SIG_BLOCK, &all, NULL);
  basics();
  timers();
  interrupted();
  forked();
  errors();
  return finish();
}
