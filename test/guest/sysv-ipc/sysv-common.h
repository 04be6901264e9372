/*
 * Helpers shared by the System V IPC guest tests: fork a child that runs a function and exits with
 * its result, wait for it, and poll a condition for a bounded time (children block, the parent
 * waits until the kernel reports them blocked). Nothing printed depends on ids, keys or pids.
 */
#ifndef SYSV_COMMON_H
#define SYSV_COMMON_H
#include "../process/check.h"
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Forks; the child exits with fn(arg) & 0xff. */
__attribute__((unused)) static pid_t spawn(int (*fn)(long), long arg) {
  fflush(stdout);
  pid_t p = fork();
  if (p == 0) _exit(fn(arg) & 0xff);
  return p;
}

/* The child's exit status, or -1 when it did not exit normally. */
__attribute__((unused)) static int reap(pid_t p) {
  int st = 0;
  if (waitpid(p, &st, 0) != p) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

__attribute__((unused)) static void nap_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

__attribute__((unused)) static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* Polls cond(arg) every 10 ms for up to 5 s. */
__attribute__((unused)) static int wait_until(int (*cond)(long), long arg) {
  for (int i = 0; i < 500; i++) {
    if (cond(arg)) return 1;
    nap_ms(10);
  }
  return 0;
}

/* An errno-style result: -errno on failure, else the value. */
#define ERR(call) ((call) < 0 ? -errno : 0)


/* True once /proc/<pid>/stat shows the task sleeping (state S): a child parked in a blocking call. */
__attribute__((unused)) static int sleeping(long pid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  FILE *f = fopen(path, "r");
  if (f == NULL) return 0;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  return p != NULL && p[1] == ' ' && p[2] == 'S';
}

/* Waits until the child sleeps, then a little longer so it is surely parked in its call. */
__attribute__((unused)) static int parked(pid_t p) {
  int ok = wait_until(sleeping, p);
  nap_ms(50);
  return ok;
}
#endif
