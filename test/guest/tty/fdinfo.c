/*
 * /proc/self/fdinfo/N of timerfd, signalfd, epoll and eventfd: the lines each file adds after the
 * common pos/flags/mnt_id/ino, printed with what depends on the host masked (inode and device
 * numbers, the system-wide eventfd id, nanoseconds of a running timer). qemu-aarch64 maps these
 * files 1:1 onto host ones and passes fdinfo through, so its output is the host kernel's.
 */
#include "check.h"
#include <ctype.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

static int is_hex(const char *s, const char *end) {
  if (s == end) return 0;
  for (; s < end; s++)
    if (!isxdigit((unsigned char)*s)) return 0;
  return 1;
}

static int by_text(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Linux lists epoll items in its tree's order (by file address): they are printed sorted by fd. */
static void show(const char *what, int fd) {
  char *tfds[16];
  int ntfd = 0;
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
  int f = open(path, O_RDONLY);
  long n = f < 0 ? -1 : read(f, buf, sizeof buf - 1);
  if (f >= 0) close(f);
  if (n <= 0) {
    printf("FAIL %s: no fdinfo\n", what);
    failures++;
    return;
  }
  buf[n] = 0;
  printf("-- %s\n", what);
  for (char *line = strtok(buf, "\n"); line != NULL; line = strtok(NULL, "\n")) {
    if (!strncmp(line, "pos:", 4) || !strncmp(line, "flags:", 6) || !strncmp(line, "mnt_id:", 7) ||
        !strncmp(line, "ino:", 4))
      continue;
    if (!strncmp(line, "eventfd-id: ", 12)) {
      printf("eventfd-id: %s\n", isdigit((unsigned char)line[12]) ? "N" : "?");
      continue;
    }
    if (!strncmp(line, "it_value: (", 11)) {
      long sec = strtol(line + 11, NULL, 10);
      printf("it_value: (%ld, *)\n", sec);
      continue;
    }
    char *ino = strstr(line, " ino:");
    if (!strncmp(line, "tfd:", 4) && ino != NULL) {
      char *sdev = strstr(ino, " sdev:");
      int ok = sdev != NULL && is_hex(ino + 5, sdev) && is_hex(sdev + 6, sdev + strlen(sdev));
      char *t = malloc(strlen(line) + 16);
      sprintf(t, "%.*s ino:%s sdev:%s", (int)(ino - line), line, ok ? "X" : "?", ok ? "X" : "?");
      if (ntfd < 16) tfds[ntfd++] = t;
      continue;
    }
    printf("%s\n", line);
  }
  qsort(tfds, ntfd, sizeof tfds[0], by_text);
  for (int i = 0; i < ntfd; i++) {
    printf("%s\n", tfds[i]);
    free(tfds[i]);
  }
}

int main(void) {
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  show("timerfd, never set", tfd);
  struct itimerspec its = {{1, 500000000}, {100, 0}};
  timerfd_settime(tfd, 0, &its, NULL);
  show("timerfd, 100 s then every 1.5 s", tfd);
  int tfd2 = timerfd_create(CLOCK_REALTIME, 0);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  struct itimerspec past = {{0, 0}, {now.tv_sec - 10, 0}};
  timerfd_settime(tfd2, TFD_TIMER_ABSTIME, &past, NULL);
  usleep(20000);
  show("timerfd REALTIME, absolute, expired once", tfd2);

  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigaddset(&m, SIGINT);
  sigaddset(&m, SIGKILL);
  int sfd = signalfd(-1, &m, SFD_NONBLOCK);
  show("signalfd SIGINT SIGUSR1 (SIGKILL dropped)", sfd);

  int efd = eventfd(5, EFD_SEMAPHORE);
  show("eventfd 5, semaphore", efd);
  uint64_t big = 0xfffffffffffffffeULL - 5;
  write(efd, &big, 8);
  show("eventfd full", efd);
  int efd2 = eventfd(0, 0);
  show("eventfd 0", efd2);

  int p[2];
  if (pipe(p) != 0) return 2;
  int ep = epoll_create1(0);
  show("epoll, empty", ep);
  struct epoll_event ev = {EPOLLIN, {.u64 = 0x1234}};
  epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
  ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
  ev.data.u64 = ~0ULL;
  epoll_ctl(ep, EPOLL_CTL_ADD, efd2, &ev);
  ev.events = EPOLLOUT | EPOLLONESHOT;
  ev.data.u64 = 7;
  epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev);
  show("epoll, three items", ep);
  struct epoll_event out[4];
  int n = epoll_wait(ep, out, 4, 0);
  check_eq(n, 2, "epoll_wait: the write end and the eventfd");
  show("epoll, after the one-shot fired", ep);
  return finish();
}
