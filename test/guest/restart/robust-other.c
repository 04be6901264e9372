/*
 * get_robust_list for another task: a thread's head read by its sibling, a child's by its parent
 * (same credentials: PTRACE_MODE_READ_REALCREDS allows it), ESRCH for a pid nobody has, EPERM for
 * a task of another user when the caller has no CAP_SYS_PTRACE (checked when the test runs as root,
 * from a child that drops to nobody).
 */
#include "../tty/check.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long get_list(pid_t pid, void **head, size_t *len) {
  return syscall(SYS_get_robust_list, pid, head, len);
}

static void *own_head;
static volatile pid_t thread_tid;
static volatile int thread_go;

static void *thread_main(void *arg) {
  (void)arg;
  size_t len = 0;
  get_list(0, &own_head, &len);
  thread_tid = (pid_t)syscall(SYS_gettid);
  while (!thread_go) usleep(1000);
  return NULL;
}

int main(void) {
  void *head = NULL;
  size_t len = 0;
  check_eq(get_list(0, &head, &len), 0, "own list: 0");
  check(head != NULL && len == 24, "own list: glibc's head, len 24");
  void *mine = head;
  check_eq(get_list(getpid(), &head, &len), 0, "own pid: 0");
  check(head == mine, "own pid: the same head");

  pthread_t th;
  pthread_create(&th, NULL, thread_main, NULL);
  while (thread_tid == 0) usleep(1000);
  head = NULL;
  len = 0;
  check_eq(get_list(thread_tid, &head, &len), 0, "a sibling thread: 0");
  check(head == own_head && head != mine && len == 24, "a sibling thread: its own head");
  thread_go = 1;
  pthread_join(th, NULL);

  int pfd[2], up[2];
  if (pipe(pfd) != 0 || pipe(up) != 0) return 2;
  pid_t c = fork();
  if (c == 0) {
    /* Linux gives a forked child no list; glibc's fork registers it again before returning. */
    char b;
    write(up[1], "r", 1);
    read(pfd[0], &b, 1);
    _exit(0);
  }
  char r;
  read(up[0], &r, 1);
  head = NULL;
  check_eq(get_list(c, &head, &len), 0, "a child: 0");
  check(head == mine, "a child: the head glibc registered again after fork");
  write(pfd[1], "x", 1);
  waitpid(c, NULL, 0);
  check_err(get_list(c, &head, &len), ESRCH, "a reaped child: ESRCH");
  check_err(get_list(0x3ffffff, &head, &len), ESRCH, "a pid nobody has: ESRCH");
  check_err(syscall(SYS_get_robust_list, 0, (void *)8, &len), EFAULT, "bad head pointer: EFAULT");

  if (getuid() == 0) {
    pid_t parent = getpid();
    c = fork();
    if (c == 0) {
      if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) _exit(3);
      _exit(get_list(parent, &head, &len) == -1 && errno == EPERM ? 0 : 1);
    }
    int st = 0;
    waitpid(c, &st, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
      printf("SKIP another user's task without CAP_SYS_PTRACE: EPERM (the child cannot change its ids)\n");
    else
      check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "another user's task without CAP_SYS_PTRACE: EPERM");
  } else {
    printf("SKIP another user's task without CAP_SYS_PTRACE: EPERM (not run as root)\n");
  }
  return finish();
}
