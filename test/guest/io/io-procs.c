/*
 * Pipes, poll, select and epoll between tasks: ping-pong between two processes, a megabyte through
 * a blocking pipe, PIPE_BUF atomicity with two writers, EOF when the last writer exits, a writer
 * killed by SIGPIPE, poll/select/epoll_wait in one process woken by another, and a thread (clone
 * with CLONE_VM | CLONE_THREAD, no futex needed) blocked in epoll_wait on an eventfd woken by the
 * main thread.
 */
#include "check.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>


#define RECORD 4096
#define RECORDS 200

static char buf[1 << 20];

/* read() until n bytes or EOF; the count. */
static long read_full(int fd, char *dst, long n) {
  long done = 0;
  while (done < n) {
    ssize_t r = read(fd, dst + done, n - done);
    if (r <= 0) return r < 0 ? -errno : done;
    done += r;
  }
  return done;
}

static int wait_status(pid_t pid) {
  int st = -1;
  return waitpid(pid, &st, 0) == pid ? st : -1;
}

static void ping_pong(void) {
  int to_child[2], to_parent[2];
  check(pipe(to_child) == 0 && pipe(to_parent) == 0, "ping-pong pipes");
  pid_t pid = fork();
  if (pid == 0) {
    close(to_child[1]);
    close(to_parent[0]);
    unsigned char v;
    while (read(to_child[0], &v, 1) == 1) {
      v++;
      if (write(to_parent[1], &v, 1) != 1) _exit(2);
    }
    _exit(0);
  }
  close(to_child[0]);
  close(to_parent[1]);
  int ok = 1;
  for (int i = 0; i < 500 && ok; i++) {
    unsigned char v = (unsigned char)i, back = 0;
    ok = write(to_child[1], &v, 1) == 1 && read(to_parent[0], &back, 1) == 1 && back == (unsigned char)(i + 1);
  }
  check(ok, "500 round trips between two processes");
  close(to_child[1]);
  check_eq(wait_status(pid), 0, "the child saw EOF and exited 0");
  close(to_parent[0]);
}

static void megabyte(void) {
  int p[2];
  check(pipe(p) == 0, "pipe for 1 MiB");
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    for (long i = 0; i < (long)sizeof buf; i++) buf[i] = (char)(i * 7);
    _exit(write(p[1], buf, sizeof buf) == (ssize_t)sizeof buf ? 0 : 1);
  }
  close(p[1]);
  memset(buf, 0, sizeof buf);
  check_eq(read_full(p[0], buf, sizeof buf), (long)sizeof buf, "1 MiB arrives through a 64 KiB pipe");
  int same = 1;
  for (long i = 0; i < (long)sizeof buf; i++) same &= buf[i] == (char)(i * 7);
  check(same, "byte for byte");
  check_eq(read(p[0], buf, 1), 0, "EOF once the writer exited");
  check_eq(wait_status(pid), 0, "the writer's one write() returned the whole megabyte");
  close(p[0]);
}

static void atomic_writers(void) {
  int p[2];
  check(pipe(p) == 0, "pipe for two writers");
  pid_t pids[2];
  for (int w = 0; w < 2; w++) {
    pids[w] = fork();
    if (pids[w] == 0) {
      close(p[0]);
      char rec[RECORD];
      memset(rec, 'A' + w, sizeof rec);
      for (int i = 0; i < RECORDS; i++)
        if (write(p[1], rec, sizeof rec) != RECORD) _exit(1);
      _exit(0);
    }
  }
  close(p[1]);
  int mixed = 0, counts[2] = {0, 0};
  char rec[RECORD];
  while (read_full(p[0], rec, RECORD) == RECORD) {
    int w = rec[0] - 'A';
    for (int i = 1; i < RECORD; i++) mixed |= rec[i] != rec[0];
    if (w == 0 || w == 1) counts[w]++;
  }
  check(!mixed, "PIPE_BUF-sized writes from two processes never interleave");
  check(counts[0] == RECORDS && counts[1] == RECORDS, "every record arrived");
  check(wait_status(pids[0]) == 0 && wait_status(pids[1]) == 0, "both writers exited 0");
  close(p[0]);
}

static void sigpipe_kills(void) {
  int p[2];
  check(pipe(p) == 0, "pipe for SIGPIPE");
  close(p[0]);
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    ssize_t r = write(p[1], "x", 1);
    _exit(r < 0 ? 10 : 11);
  }
  int st = wait_status(pid);
  check(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "a writer without a reader dies of SIGPIPE");
  close(p[1]);
}

/* Forks a child that sleeps ms then writes one byte to fd; the child's pid. */
static pid_t write_later(int fd, int ms) {
  pid_t pid = fork();
  if (pid == 0) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
    _exit(write(fd, "w", 1) == 1 ? 0 : 1);
  }
  return pid;
}

static void woken_by_another(void) {
  int p[2];
  char c;
  check(pipe(p) == 0, "pipe for wake-ups");
  pid_t pid = write_later(p[1], 30);
  struct pollfd r = {p[0], POLLIN, 0};
  check_eq(poll(&r, 1, 10000), 1, "poll woken by another process's write");
  check_eq(read(p[0], &c, 1), 1, "read it");
  check_eq(wait_status(pid), 0, "writer 1 done");

  pid = write_later(p[1], 30);
  fd_set in;
  FD_ZERO(&in);
  FD_SET(p[0], &in);
  check_eq(select(p[0] + 1, &in, NULL, NULL, NULL), 1, "select woken by another process's write");
  check_eq(read(p[0], &c, 1), 1, "read it");
  check_eq(wait_status(pid), 0, "writer 2 done");

  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 77};
  check_eq(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), 0, "epoll watches the pipe");
  pid = write_later(p[1], 30);
  struct epoll_event out;
  check(epoll_wait(ep, &out, 1, -1) == 1 && out.data.u64 == 77, "epoll_wait woken by another process's write");
  check_eq(wait_status(pid), 0, "writer 3 done");
  close(ep);
  close(p[0]);
  close(p[1]);
}

static int thread_efd;
static int thread_done[2];
static int thread_ep;
static volatile uint64_t thread_seen;

static int thread_main(void *arg) {
  (void)arg;
  struct epoll_event out;
  uint64_t v = 0;
  long n = syscall(SYS_epoll_pwait, thread_ep, &out, 1, -1, NULL, 8);
  if (n == 1 && syscall(SYS_read, thread_efd, &v, 8) == 8) thread_seen = v;
  syscall(SYS_write, thread_done[1], "t", 1);
  return 0;
}

static void thread_in_epoll_wait(void) {
  static char stack[64 * 1024] __attribute__((aligned(16)));
  thread_efd = eventfd(0, 0);
  thread_ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 1};
  check(thread_efd >= 0 && pipe(thread_done) == 0 && epoll_ctl(thread_ep, EPOLL_CTL_ADD, thread_efd, &ev) == 0,
        "eventfd, epoll and a pipe for the thread");
  int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
  check(clone(thread_main, stack + sizeof stack, flags, NULL) > 0, "clone a thread");
  struct timespec ts = {0, 30 * 1000000L};
  nanosleep(&ts, NULL);
  check_eq((long)thread_seen, 0, "the thread is still waiting");
  uint64_t v = 5;
  check_eq(write(thread_efd, &v, 8), 8, "main thread writes the eventfd");
  char c;
  check_eq(read(thread_done[0], &c, 1), 1, "the thread finished");
  check_eq((long)thread_seen, 5, "it was woken from epoll_wait and read 5");
}

int main(void) {
  ping_pong();
  megabyte();
  atomic_writers();
  sigpipe_kills();
  woken_by_another();
  thread_in_epoll_wait();
  return finish();
}
