/*
 * Threads in /proc: a thread made with clone(CLONE_THREAD) (no pthreads: it only makes raw
 * syscalls) names itself and blocks reading a pipe. /proc/self/task lists both threads, each has its
 * own stat/status/comm, /proc/<tid> resolves without being listed in /proc, status counts the
 * threads, and after the thread exits (CLONE_CHILD_CLEARTID clears its tid word) it is gone.
 */
#include "check.h"
#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#define NF 64

static int pipe_fds[2];
static volatile pid_t thread_tid;
static volatile int named;
static volatile pid_t ctid_word;

/* The thread: raw syscalls only (it shares the main thread's TLS, so no errno-touching libc). */
static int thread_main(void *arg) {
  (void)arg;
  thread_tid = (pid_t)syscall(SYS_gettid);
  syscall(SYS_prctl, PR_SET_NAME, (unsigned long)"worker", 0, 0, 0);
  named = 1;
  char c;
  syscall(SYS_read, pipe_fds[0], &c, 1);
  return 0;
}

static void pause_ms(int ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static char wait_state(const char *path, char want) {
  char buf[4096];
  char *f[NF];
  char last = '?';
  for (int i = 0; i < 500; i++) {
    if (read_stat(path, buf, sizeof buf, f, NF) > 2) {
      last = f[2][0];
      if (last == want) return last;
    }
    pause_ms(10);
  }
  return last;
}

/* The numeric entries of a directory, sorted, into ids; the count. */
static int list_ids(const char *dir, long *ids, int max) {
  DIR *d = opendir(dir);
  if (d == NULL) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < max)
    if (e->d_name[0] >= '0' && e->d_name[0] <= '9') ids[n++] = atol(e->d_name);
  closedir(d);
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
      long t = ids[j];
      ids[j] = ids[j - 1];
      ids[j - 1] = t;
    }
  return n;
}

static int listed(const long *ids, int n, long id) {
  for (int i = 0; i < n; i++)
    if (ids[i] == id) return 1;
  return 0;
}

int main(void) {
  pid_t pid = getpid();
  if (pipe(pipe_fds) != 0) return 2;
  size_t stack_size = 64 * 1024;
  char *stack = malloc(stack_size);
  int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
              CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
  pid_t ptid = 0;
  pid_t tid = clone(thread_main, stack + stack_size, flags, NULL, &ptid, NULL, (pid_t *)&ctid_word);
  check(tid > 0 && tid != pid, "clone(CLONE_THREAD) makes a thread with its own tid");
  for (int i = 0; i < 500 && !named; i++) pause_ms(10);
  check_eq(thread_tid, tid, "the thread's gettid is clone's result");

  char path[128], buf[8192], num[32];
  char *f[NF];
  static long ids[4096];
  snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
  check(wait_state(path, 'S') == 'S', "the thread blocked in read is S");
  int n = list_ids("/proc/self/task", ids, 64);
  check(listed(ids, n, pid) && listed(ids, n, tid), "/proc/self/task lists the main thread and the new one");
  LINUX_ONLY check_eq(n, 2, "/proc/self/task lists exactly two threads");

  int nf = read_stat(path, buf, sizeof buf, f, NF);
  check_eq(nf, 52, "task/TID/stat has 52 fields");
  if (nf == 52) {
    check_eq(atol(f[0]), tid, "task/TID/stat field 1 is the tid");
    check_str(f[1], "worker", "task/TID/stat comm is the thread's own (PR_SET_NAME)");
    check_eq(atol(f[3]), getppid(), "a thread's ppid is its process's parent");
    check_eq(atol(f[37]), -1, "a thread's exit_signal is -1");
    check_eq(atol(f[34]), 1, "task/TID/stat wchan flag is 1 for the sleeping thread");
    LINUX_ONLY check_eq(atol(f[19]), 2, "task/TID/stat num_threads counts the process's threads");
  }
  snprintf(path, sizeof path, "/proc/self/task/%d/status", tid);
  slurp(path, buf, sizeof buf);
  snprintf(num, sizeof num, "%d", tid);
  check_str(field(buf, "Pid"), num, "task/TID/status Pid is the tid");
  snprintf(num, sizeof num, "%d", pid);
  check_str(field(buf, "Tgid"), num, "task/TID/status Tgid is the process");
  check_str(field(buf, "Name"), "worker", "task/TID/status Name is the thread's");
  check_str(field(buf, "State"), "S (sleeping)", "task/TID/status State");
  snprintf(path, sizeof path, "/proc/self/task/%d/wchan", tid);
  slurp(path, buf, sizeof buf);
  check(strcmp(buf, "pipe_read") == 0 || strcmp(buf, "anon_pipe_read") == 0, "the thread's wchan is pipe_read");

  LINUX_ONLY {
    slurp("/proc/self/status", buf, sizeof buf);
    check_str(field(buf, "Threads"), "2", "/proc/self/status Threads: 2");
    nf = read_stat("/proc/self/stat", buf, sizeof buf, f, NF);
    check(nf == 52 && atol(f[19]) == 2, "/proc/self/stat num_threads: 2");
    check(nf == 52 && f[2][0] == 'R', "the reading thread's process is R");
  }

  /* /proc/<tid> resolves (the process as seen from the thread) but /proc does not list it. */
  snprintf(path, sizeof path, "/proc/%d/status", tid);
  check(slurp(path, buf, sizeof buf) > 0, "/proc/TID resolves for a thread");
  snprintf(num, sizeof num, "%d", pid);
  check_str(field(buf, "Tgid"), num, "/proc/TID/status Tgid is the process");
  n = list_ids("/proc", ids, 4096);
  check(listed(ids, n, pid) && !listed(ids, n, tid), "/proc lists the process, not the thread");

  /* comm is per thread: the main thread keeps its name; writing a thread's comm renames it. */
  snprintf(path, sizeof path, "/proc/self/task/%d/comm", pid);
  slurp(path, buf, sizeof buf);
  LINUX_ONLY check_str(buf, "proc-threads\n", "the main thread keeps its comm"); /* qemu's is its own */
  snprintf(path, sizeof path, "/proc/self/task/%d/comm", tid);
  int fd = open(path, O_WRONLY);
  check(fd >= 0 && write(fd, "renamed", 7) == 7, "a thread's comm can be written by its process");
  close(fd);
  slurp(path, buf, sizeof buf);
  check_str(buf, "renamed\n", "the written comm reads back");
  fd = open("/proc/self/comm", O_WRONLY);
  check(fd >= 0 && write(fd, "a-name-longer-than-fifteen", 26) == 26, "a long comm write reports the whole count");
  close(fd);
  char name[17] = {0};
  prctl(PR_GET_NAME, name);
  check_str(name, "a-name-longer-t", "comm keeps the first 15 bytes (PR_GET_NAME agrees)");
  LINUX_ONLY {
    /* readlink /proc/thread-self from the main thread. */
    char link[64], want[64];
    ssize_t k = readlink("/proc/thread-self", link, sizeof link - 1);
    link[k > 0 ? k : 0] = 0;
    snprintf(want, sizeof want, "%d/task/%d", pid, pid);
    check_str(link, want, "/proc/thread-self of the main thread");
  }

  /* The thread exits: its tid word is cleared and it leaves task/. */
  if (write(pipe_fds[1], "x", 1) != 1) check(0, "wake the thread");
  for (int i = 0; i < 500 && ctid_word != 0; i++) pause_ms(10);
  check_eq(ctid_word, 0, "CLONE_CHILD_CLEARTID clears the tid word at thread exit");
  for (int i = 0; i < 100; i++) {
    n = list_ids("/proc/self/task", ids, 64);
    if (!listed(ids, n, tid)) break;
    pause_ms(10);
  }
  check(!listed(ids, n, tid), "an exited thread leaves /proc/self/task");
  snprintf(path, sizeof path, "/proc/%d", tid);
  struct stat st;
  errno = 0;
  check(stat(path, &st) == -1 && errno == ENOENT, "/proc/TID of an exited thread is ENOENT");
  LINUX_ONLY {
    slurp("/proc/self/status", buf, sizeof buf);
    check_str(field(buf, "Threads"), "1", "/proc/self/status Threads: 1 again");
  }
  return finish();
}
