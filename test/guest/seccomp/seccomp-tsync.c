/*
 * SECCOMP_FILTER_FLAG_TSYNC: the caller's new chain goes to every thread of the process (with
 * no_new_privs), and fails with the tid of a thread whose filters are not an ancestor of the
 * caller's (or ESRCH with TSYNC_ESRCH). Also: a filter installed by one thread alone stays its own,
 * and RET_KILL_THREAD in a multi-threaded process ends only that thread.
 */
#include "check.h"

#include <pthread.h>
#include <semaphore.h>

static sem_t go, done;
static volatile long thread_tid;
static volatile int thread_result;

/* Waits for `go`, then runs getppid and reports errno (or 0) through thread_result. */
static void *probe_thread(void *arg) {
  (void)arg;
  thread_tid = syscall(__NR_gettid);
  sem_post(&done);
  sem_wait(&go);
  errno = 0;
  long r = syscall(__NR_getppid);
  thread_result = r == -1 ? errno : 0;
  sem_post(&done);
  sem_wait(&go);
  thread_result = prctl(PR_GET_SECCOMP);
  sem_post(&done);
  return NULL;
}

static int child_tsync(void) {
  pthread_t t;
  sem_init(&go, 0, 0);
  sem_init(&done, 0, 0);
  pthread_create(&t, NULL, probe_thread, NULL);
  sem_wait(&done);
  check(install_for_nr(__NR_getppid, SECCOMP_RET_ERRNO | 21, SECCOMP_FILTER_FLAG_TSYNC) == 0, "TSYNC install");
  sem_post(&go);
  sem_wait(&done);
  check(thread_result == 21, "the other thread got the filter");
  sem_post(&go);
  sem_wait(&done);
  check(thread_result == 2, "the other thread is in filter mode");
  pthread_join(t, NULL);
  return failures;
}

static void *own_filter_thread(void *arg) {
  (void)arg;
  thread_tid = syscall(__NR_gettid);
  thread_result = (int)install_for_nr(__NR_getuid, SECCOMP_RET_ERRNO | 22, 0);
  sem_post(&done);
  sem_wait(&go);
  return NULL;
}

static int child_tsync_fail(void) {
  pthread_t t;
  sem_init(&go, 0, 0);
  sem_init(&done, 0, 0);
  pthread_create(&t, NULL, own_filter_thread, NULL);
  sem_wait(&done);
  check(thread_result == 0, "a thread installs a filter of its own");
  check(syscall(__NR_getuid) == (long)getuid(), "the thread's filter is not the main thread's");
  long r = install_for_nr(__NR_getppid, SECCOMP_RET_ERRNO | 23, SECCOMP_FILTER_FLAG_TSYNC);
  check(r == thread_tid, "TSYNC fails with the tid of the thread that cannot sync");
  CHECK_ERR(install_for_nr(__NR_getppid, SECCOMP_RET_ERRNO | 23, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH),
            ESRCH, "with TSYNC_ESRCH: ESRCH");
  check(prctl(PR_GET_SECCOMP) == 0, "nothing attached after the failures");
  sem_post(&go);
  pthread_join(t, NULL);
  return failures;
}

static void *kill_thread(void *arg) {
  (void)arg;
  syscall(__NR_getppid);
  return (void *)1;
}

static int child_kill_one_thread(void) {
  if (install_for_nr(__NR_getppid, SECCOMP_RET_KILL_THREAD, 0) != 0) return 99;
  pthread_t t;
  pthread_create(&t, NULL, kill_thread, NULL);
  /* The killed thread never returns; its tid is cleared for the join all the same. */
  pthread_join(t, NULL);
  check(1, "RET_KILL_THREAD ends only the calling thread");
  return failures;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  check(exited_ok(in_child(child_tsync)), "tsync child");
  check(exited_ok(in_child(child_tsync_fail)), "tsync failure child");
  check(exited_ok(in_child(child_kill_one_thread)), "kill-thread child");
  return finish();
}
