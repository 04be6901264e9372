/* Inter-task round trips for the benchmark: `pipe N` bounces a byte between two processes through
 * two pipes N times; `futex N` bounces a turn between two threads with FUTEX_WAIT/FUTEX_WAKE N
 * times; `spawn N [INTERP]` forks, execs this program (`exit` mode) and waits N times — through
 * INTERP when given (`INTERP PROG exit`, what the kernel's binfmt_misc does for a registered
 * interpreter: the benchmark passes qemu-aarch64 there, as a binfmt_misc registration would). */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long rounds;
static _Atomic int turn;

static void futex_wait(_Atomic int *addr, int val) {
  syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(_Atomic int *addr) {
  syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *other(void *arg) {
  (void)arg;
  for (long i = 0; i < rounds; i++) {
    while (atomic_load(&turn) != 1) futex_wait(&turn, 0);
    atomic_store(&turn, 0);
    futex_wake(&turn);
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  if (strcmp(argv[1], "exit") == 0) return 0;
  rounds = argc > 2 ? atol(argv[2]) : 10000;
  if (strcmp(argv[1], "pipe") == 0) {
    int a[2], b[2];
    if (pipe(a) || pipe(b)) return 1;
    pid_t p = fork();
    if (p == 0) {
      char c;
      close(a[1]);
      close(b[0]);
      while (read(a[0], &c, 1) == 1) write(b[1], &c, 1);
      _exit(0);
    }
    char c = 'x';
    for (long i = 0; i < rounds; i++) {
      write(a[1], &c, 1);
      read(b[0], &c, 1);
    }
    close(a[1]);
    waitpid(p, NULL, 0);
  } else if (strcmp(argv[1], "futex") == 0) {
    pthread_t t;
    pthread_create(&t, NULL, other, NULL);
    for (long i = 0; i < rounds; i++) {
      atomic_store(&turn, 1);
      futex_wake(&turn);
      while (atomic_load(&turn) != 0) futex_wait(&turn, 1);
    }
    pthread_join(t, NULL);
  } else if (strcmp(argv[1], "spawn") == 0) {
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return 1;
    self[n] = 0;
    for (long i = 0; i < rounds; i++) {
      pid_t p = fork();
      if (p == 0) {
        if (argc > 3) execl(argv[3], argv[3], self, "exit", (char *)NULL);
        else execl(self, self, "exit", (char *)NULL);
        _exit(127);
      }
      int st;
      waitpid(p, &st, 0);
      if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return 1;
    }
  } else {
    return 2;
  }
  printf("%s %ld rounds\n", argv[1], rounds);
  return 0;
}
