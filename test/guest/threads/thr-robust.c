/*
 * Robust mutexes: the kernel's robust-list walk when an owner dies (thread exit, process exit,
 * SIGKILL), for plain and priority-inheritance robust mutexes, with and without a waiter blocked
 * at the time; EOWNERDEAD, pthread_mutex_consistent and ENOTRECOVERABLE; get_robust_list; and the
 * compat robust list (compat set_robust_list, 12-byte head) walked at thread exit beside the native one.
 */
#include "check.h"

#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "../../../include/compat64/compat_syscall.h"

static long waiters_on(void *f) {
  return futex(f, FUTEX_REQUEUE, 0, (void *)(long)INT_MAX, f, 0);
}

static void init_robust(pthread_mutex_t *m, int pshared, int pi) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  if (pshared) pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
  if (pi) pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
  pthread_mutex_init(m, &a);
}

static void *lock_and_exit(void *p) {
  pthread_mutex_lock(p);
  return NULL;
}

struct blocked {
  pthread_mutex_t *m;
  int result;
};

static void *lock_blocking(void *p) {
  struct blocked *b = p;
  b->result = pthread_mutex_lock(b->m);
  if (b->result == EOWNERDEAD) pthread_mutex_consistent(b->m);
  pthread_mutex_unlock(b->m);
  return NULL;
}

static pthread_mutex_t *hand_over;
static void *lock_wait_for_waiter_exit(void *pi) {
  pthread_mutex_lock(hand_over);
  /*
   * Die holding the lock once the other thread sleeps in the kernel on it (FUTEX_REQUEUE counts the
   * waiters of a plain futex; a PI futex refuses it, there the waiter's FUTEX_WAITERS bit tells).
   */
  if (pi)
    while (!((unsigned)hand_over->__data.__lock & FUTEX_WAITERS)) sched_yield();
  else
    while (waiters_on(&hand_over->__data.__lock) < 1) sched_yield();
  return NULL;
}

static void thread_death(int pi, const char *tag) {
  char name[96];
  pthread_mutex_t m;
  init_robust(&m, 0, pi);
  pthread_t t;
  pthread_create(&t, NULL, lock_and_exit, &m);
  pthread_join(t, NULL);
  snprintf(name, sizeof name, "%s.owner_died_word", tag);
  check(((unsigned)m.__data.__lock & FUTEX_OWNER_DIED) != 0, name);
  snprintf(name, sizeof name, "%s.lock_eownerdead", tag);
  check_eq(pthread_mutex_lock(&m), EOWNERDEAD, name);
  snprintf(name, sizeof name, "%s.consistent", tag);
  check_eq(pthread_mutex_consistent(&m), 0, name);
  pthread_mutex_unlock(&m);
  snprintf(name, sizeof name, "%s.relock_ok", tag);
  check_eq(pthread_mutex_lock(&m), 0, name);
  pthread_mutex_unlock(&m);

  /* Not made consistent: unlocking makes it unusable. */
  pthread_create(&t, NULL, lock_and_exit, &m);
  pthread_join(t, NULL);
  pthread_mutex_lock(&m);
  pthread_mutex_unlock(&m);
  snprintf(name, sizeof name, "%s.enotrecoverable", tag);
  check_eq(pthread_mutex_lock(&m), ENOTRECOVERABLE, name);

  /* A waiter blocked in the kernel when the owner dies is woken (non-PI) or handed the lock (PI). */
  pthread_mutex_t m2;
  init_robust(&m2, 0, pi);
  hand_over = &m2;
  pthread_t owner, waiter;
  pthread_create(&owner, NULL, lock_wait_for_waiter_exit, (void *)(long)pi);
  while (m2.__data.__owner == 0) sched_yield();
  struct blocked b = {&m2, -1};
  pthread_create(&waiter, NULL, lock_blocking, &b);
  pthread_join(owner, NULL);
  pthread_join(waiter, NULL);
  snprintf(name, sizeof name, "%s.blocked_waiter_eownerdead", tag);
  check_eq(b.result, EOWNERDEAD, name);
}

static void process_death(int pi, int by_kill, const char *tag) {
  char name[96];
  pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  init_robust(m, 1, pi);
  int ready[2];
  if (pipe(ready) != 0) return;
  pid_t pid = fork();
  if (pid == 0) {
    pthread_mutex_lock(m);
    if (write(ready[1], "x", 1) != 1) _exit(3);
    if (by_kill)
      for (;;) pause();
    _exit(0);
  }
  char c;
  if (read(ready[0], &c, 1) != 1) check(0, "pipe");
  if (by_kill) kill(pid, SIGKILL);
  int st;
  waitpid(pid, &st, 0);
  snprintf(name, sizeof name, "%s.child_ended", tag);
  check(by_kill ? WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL : WIFEXITED(st), name);
  snprintf(name, sizeof name, "%s.lock_eownerdead", tag);
  check_eq(pthread_mutex_lock(m), EOWNERDEAD, name);
  pthread_mutex_consistent(m);
  pthread_mutex_unlock(m);
  close(ready[0]);
  close(ready[1]);
  munmap(m, 4096);
}

static void robust_list_calls(void) {
  void *head = NULL;
  size_t len = 0;
  check_eq(sysret(syscall(SYS_get_robust_list, 0, &head, &len)), 0, "get_robust_list.self");
  check(head != NULL && len == 24, "get_robust_list.glibc_registered_a_24_byte_head");
  check_eq(sysret(syscall(SYS_set_robust_list, head, 12)), -EINVAL, "set_robust_list.len_12_einval");
}

/* The compat list: a 12-byte head with 32-bit pointers; the futex word is entry + futex_offset. */
struct compat_head {
  uint32_t next;
  int32_t futex_offset;
  uint32_t pending;
};
struct compat_lock {
  uint32_t next;
  uint32_t word;
};
static struct compat_head chead;
static struct compat_lock clock1, clock2;

static void *compat_list_thread(void *p) {
  (void)p;
  uint32_t tid = (uint32_t)syscall(SYS_gettid);
  chead.next = (uint32_t)(uintptr_t)&clock1;
  chead.futex_offset = 4;
  chead.pending = (uint32_t)(uintptr_t)&clock2;
  clock1.next = (uint32_t)(uintptr_t)&chead;
  clock1.word = tid;
  clock2.word = tid | FUTEX_WAITERS;
  long r = (long)compat_syscall(__NR_compat_set_robust_list, &chead, 12);
  return (void *)r;
}

static void compat_list(void) {
  if ((uintptr_t)&chead > 0xfffff000u) {
    check(0, "compat_robust.static_data_below_4g");
    return;
  }
  pthread_t t;
  void *r;
  pthread_create(&t, NULL, compat_list_thread, NULL);
  pthread_join(t, &r);
  check_linux((long)r == 0, "compat_robust.set_len12");
  check_linux(clock1.word == FUTEX_OWNER_DIED, "compat_robust.entry_owner_died_at_exit");
  check_linux(clock2.word == (FUTEX_OWNER_DIED | FUTEX_WAITERS), "compat_robust.pending_owner_died_waiters_kept");
}

int main(void) {
  thread_death(0, "thread");
  thread_death(1, "thread_pi");
  process_death(0, 0, "process_exit");
  process_death(0, 1, "process_sigkill");
  process_death(1, 1, "process_sigkill_pi");
  robust_list_calls();
  compat_list();
  return finish();
}
