/*
 * restart_syscall after SIGSTOP/SIGCONT: a relative 2 s sleep (nanosleep, clock_nanosleep, a futex
 * wait with a timeout) is stopped by another process 500 ms in and continued 300 ms later. No
 * handler runs, so the kernel restarts the call through restart_syscall with the original deadline:
 * the call returns as if nothing happened (0, or ETIMEDOUT for the futex), at 2 s, never EINTR.
 */
#include "../tty/check.h"
#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLEEP_MS 2000
/* How late the wake-up may be (a loaded machine). */
#define SLACK_MS 600

static void msleep(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* A child that stops its parent at 500 ms and continues it at 800 ms. */
static pid_t stopper(void) {
  pid_t parent = getpid();
  pid_t c = fork();
  if (c == 0) {
    msleep(500);
    kill(parent, SIGSTOP);
    msleep(300);
    kill(parent, SIGCONT);
    _exit(0);
  }
  return c;
}

static void reap(pid_t c, const char *name) {
  int st = 0;
  char what[128];
  snprintf(what, sizeof what, "%s: the stopper ran", name);
  check(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, what);
}

static int futex_word;
static volatile sig_atomic_t conts;

static void on_cont(int sig) {
  (void)sig;
  conts++;
}

int main(void) {
  struct timespec two = {SLEEP_MS / 1000, 0};
  char name[128];

  {
    struct timespec rem = {7, 7};
    pid_t c = stopper();
    long t0 = now_ms();
    int r = nanosleep(&two, &rem);
    long dt = now_ms() - t0;
    check_eq(r, 0, "nanosleep: returns 0 across stop/continue");
    snprintf(name, sizeof name, "nanosleep: wakes at the original deadline");
    check_range(dt, SLEEP_MS - 5, SLEEP_MS + SLACK_MS, name);
    reap(c, "nanosleep");
  }
  {
    pid_t c = stopper();
    long t0 = now_ms();
    int r = clock_nanosleep(CLOCK_MONOTONIC, 0, &two, NULL);
    long dt = now_ms() - t0;
    check_eq(r, 0, "clock_nanosleep MONOTONIC: returns 0 across stop/continue");
    check_range(dt, SLEEP_MS - 5, SLEEP_MS + SLACK_MS, "clock_nanosleep MONOTONIC: wakes at the original deadline");
    reap(c, "clock_nanosleep");
  }
  {
    pid_t c = stopper();
    long t0 = now_ms();
    int r = clock_nanosleep(CLOCK_REALTIME, 0, &two, NULL);
    long dt = now_ms() - t0;
    check_eq(r, 0, "clock_nanosleep REALTIME: returns 0 across stop/continue");
    check_range(dt, SLEEP_MS - 5, SLEEP_MS + SLACK_MS, "clock_nanosleep REALTIME: wakes at the original deadline");
    reap(c, "clock_nanosleep realtime");
  }
  {
    pid_t c = stopper();
    long t0 = now_ms();
    long r = syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, &two, NULL, 0);
    int e = errno;
    long dt = now_ms() - t0;
    errno = e;
    check_err(r, ETIMEDOUT, "futex wait: ETIMEDOUT, not EINTR, across stop/continue");
    check_range(dt, SLEEP_MS - 5, SLEEP_MS + SLACK_MS, "futex wait: times out at the original deadline");
    reap(c, "futex");
  }
  {
    /*
     * With a SIGCONT handler the handler runs and the sleep ends with EINTR. rem is what was left when
     * the stop interrupted the sleep (do_nanosleep writes it back then), not when the handler ran.
     */
    install(SIGCONT, on_cont, 0);
    struct timespec rem = {0, 0};
    pid_t c = stopper();
    int r = nanosleep(&two, &rem);
    int e = errno;
    long left = rem.tv_sec * 1000 + rem.tv_nsec / 1000000;
    errno = e;
    check_err(r, EINTR, "nanosleep with a SIGCONT handler: EINTR");
    check(conts == 1, "nanosleep with a SIGCONT handler: the handler ran");
    check_range(left, SLEEP_MS - 500 - SLACK_MS, SLEEP_MS - 500 + 5, "nanosleep with a SIGCONT handler: rem is the time left at the stop");
    reap(c, "nanosleep with a handler");
  }
  return finish();
}
