/*
 * timerfd: the file (O_RDWR, close-on-exec, anon inode mode 0600, /proc/self/fd name), O_NONBLOCK
 * reads (EAGAIN), a blocking read returning the u64 expiration count, a periodic timer counting its
 * missed periods, timerfd_gettime/settime values (interval, time left, the old value, 0 disarming,
 * ticks dropped by a new setting), TFD_TIMER_ABSTIME on CLOCK_REALTIME and CLOCK_MONOTONIC, a read
 * interrupted by a handled signal (EINTR; restarted with SA_RESTART), a timerfd shared with a forked
 * child, and the errors Linux gives.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../signals/check.h"

#define MS 1000000L

static long ns_of(const struct timespec *t) { return t->tv_sec * 1000000000L + t->tv_nsec; }

static long mono_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return ns_of(&t);
}

static void sleep_ms(long ms) {
  struct timespec r = {ms / 1000, (ms % 1000) * MS};
  while (nanosleep(&r, &r) != 0) {
  }
}

static int arm(int fd, int flags, long isec, long insec, long vsec, long vnsec, struct itimerspec *old) {
  struct itimerspec its = {{isec, insec}, {vsec, vnsec}};
  return timerfd_settime(fd, flags, &its, old);
}

/* read(2) of the count: the count, or -errno. */
static long read_count(int fd) {
  uint64_t n = 0;
  ssize_t r = read(fd, &n, sizeof n);
  if (r < 0) return -errno;
  return r == 8 ? (long)n : -1000 - r;
}

static void set_nonblock(int fd, int on) {
  int fl = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

static volatile int alarms;
static void on_alarm(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)si;
  (void)uc;
  alarms++;
}

static void the_file(void) {
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  check(fd >= 0, "timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)");
  check(fcntl(fd, F_GETFL) == (O_RDWR | O_NONBLOCK), "F_GETFL: O_RDWR | O_NONBLOCK");
  check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "close-on-exec");
  struct stat st;
  check(fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == 0 && (st.st_mode & 0777) == 0600,
        "fstat: an anon inode, mode 0600 without a type");
  char link[64], path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(path, link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  check(strcmp(link, "anon_inode:[timerfd]") == 0, "/proc/self/fd names it anon_inode:[timerfd]");
  check_eq(read_count(fd), -EAGAIN, "nothing expired, O_NONBLOCK: EAGAIN");
  struct itimerspec its;
  check(timerfd_gettime(fd, &its) == 0 && its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0 &&
            its.it_interval.tv_sec == 0 && its.it_interval.tv_nsec == 0,
        "never set: timerfd_gettime reads zeros");
  uint32_t small;
  errno = 0;
  check(read(fd, &small, 4) == -1 && errno == EINVAL, "a read of 4 bytes: EINVAL");
  uint64_t v;
  errno = 0;
  check(pread(fd, &v, 8, 0) == -1 && errno == ESPIPE, "pread: ESPIPE");
  close(fd);
}

static void counting(void) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  long t0 = mono_ns();
  arm(fd, 0, 0, 0, 0, 30 * MS, NULL);
  check_eq(read_count(fd), 1, "a blocking read returns one expiration");
  check(mono_ns() - t0 >= 30 * MS, "not before the 30 ms set");
  struct itimerspec its;
  timerfd_gettime(fd, &its);
  check(its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0, "an expired one-shot timer reads 0");
  set_nonblock(fd, 1);
  check_eq(read_count(fd), -EAGAIN, "read again: EAGAIN");

  arm(fd, 0, 0, 20 * MS, 0, 20 * MS, NULL);
  sleep_ms(105);
  long c = read_count(fd);
  check(c >= 5 && c < 100, "periodic 20 ms: the read counts every expiry since (at least 5 in 105 ms)");
  timerfd_gettime(fd, &its);
  check(its.it_interval.tv_sec == 0 && its.it_interval.tv_nsec == 20 * MS, "timerfd_gettime: the interval");
  check(its.it_value.tv_sec == 0 && its.it_value.tv_nsec > 0 && its.it_value.tv_nsec <= 20 * MS,
        "timerfd_gettime: re-armed within a period");
  set_nonblock(fd, 0);
  c = read_count(fd);
  check(c >= 1 && c < 100, "the next blocking read: at least 1");
  sleep_ms(50);
  struct itimerspec old;
  check(arm(fd, 0, 0, 0, 10, 0, &old) == 0, "timerfd_settime returns the old setting");
  check(old.it_interval.tv_nsec == 20 * MS && old.it_value.tv_sec == 0 && old.it_value.tv_nsec > 0 &&
            old.it_value.tv_nsec <= 20 * MS,
        "old setting: interval and time left");
  set_nonblock(fd, 1);
  check_eq(read_count(fd), -EAGAIN, "a new setting drops the expirations not read");
  arm(fd, 0, 0, 0, 0, 0, &old);
  check(old.it_value.tv_sec == 9 || old.it_value.tv_sec == 10, "old value: about 10 s");
  timerfd_gettime(fd, &its);
  check(its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0 && its.it_interval.tv_nsec == 0, "0 disarms");
  close(fd);
}

static void absolute(void) {
  int fd = timerfd_create(CLOCK_REALTIME, 0);
  struct timespec rt;
  clock_gettime(CLOCK_REALTIME, &rt);
  long at = ns_of(&rt) + 30 * MS;
  check(arm(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, 0, 0, at / 1000000000L, at % 1000000000L, NULL) == 0,
        "TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET on CLOCK_REALTIME");
  check_eq(read_count(fd), 1, "expires once at the absolute time");
  clock_gettime(CLOCK_REALTIME, &rt);
  check(ns_of(&rt) >= at, "not before it");
  close(fd);
  fd = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK);
  arm(fd, TFD_TIMER_ABSTIME, 0, 0, 0, 1, NULL);
  check_eq(read_count(fd), 1, "an absolute time already passed (1 ns after boot): expired at once");
  close(fd);
}

static void interrupted(void) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  install(SIGALRM, on_alarm, 0);
  struct itimerval it = {{0, 0}, {0, 20000}};
  setitimer(ITIMER_REAL, &it, NULL);
  alarms = 0;
  check_eq(read_count(fd), -EINTR, "a blocking read interrupted by a handled signal: EINTR");
  check(alarms == 1, "the handler ran");
  install(SIGALRM, on_alarm, SA_RESTART);
  setitimer(ITIMER_REAL, &it, NULL);
  arm(fd, 0, 0, 0, 0, 80 * MS, NULL);
  alarms = 0;
  check_eq(read_count(fd), 1, "with SA_RESTART the read restarts and gets its expiration");
  check(alarms == 1, "after the handler ran");
  close(fd);
}

static void forked(void) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  arm(fd, 0, 0, 0, 0, 20 * MS, NULL);
  pid_t pid = fork();
  if (pid == 0) _exit(read_count(fd) == 1 ? 0 : 1);
  int status = -1;
  waitpid(pid, &status, 0);
  check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a forked child reads the shared timerfd");
  set_nonblock(fd, 1);
  check_eq(read_count(fd), -EAGAIN, "the child took the expiration");
  close(fd);
}

static void errors(void) {
  errno = 0;
  check(timerfd_create(CLOCK_MONOTONIC, 1) == -1 && errno == EINVAL, "unknown create flag: EINVAL");
  errno = 0;
  check(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0) == -1 && errno == EINVAL, "CLOCK_PROCESS_CPUTIME_ID: EINVAL");
  errno = 0;
  check(timerfd_create(CLOCK_MONOTONIC_RAW, 0) == -1 && errno == EINVAL, "CLOCK_MONOTONIC_RAW: EINVAL");
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  errno = 0;
  check(arm(fd, 4, 0, 0, 1, 0, NULL) == -1 && errno == EINVAL, "unknown settime flag: EINVAL");
  errno = 0;
  check(arm(fd, 0, 0, 0, 0, 1000000000L, NULL) == -1 && errno == EINVAL, "tv_nsec 1e9: EINVAL");
  errno = 0;
  check(timerfd_settime(fd, 0, NULL, NULL) == -1 && errno == EFAULT, "no new value: EFAULT");
  int p[2];
  pipe(p);
  struct itimerspec its;
  errno = 0;
  check(timerfd_gettime(p[0], &its) == -1 && errno == EINVAL, "timerfd_gettime of a pipe: EINVAL");
  errno = 0;
  check(arm(p[0], 0, 0, 0, 1, 0, NULL) == -1 && errno == EINVAL, "timerfd_settime of a pipe: EINVAL");
  errno = 0;
  check(timerfd_gettime(999, &its) == -1 && errno == EBADF, "timerfd_gettime of no fd: EBADF");
  close(p[0]);
  close(p[1]);
  close(fd);
}

int main(void) {
  the_file();
  counting();
  absolute();
  interrupted();
  forked();
  errors();
  return finish();
}
