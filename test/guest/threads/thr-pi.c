/*
 * Priority-inheritance mutexes (PTHREAD_PRIO_INHERIT, FUTEX_LOCK_PI/UNLOCK_PI/TRYLOCK_PI/LOCK_PI2):
 * contention among threads, trylock and timed locks on both clocks, the futex word's FUTEX_WAITERS
 * bit and direct hand-over to the oldest waiter, a process-shared PI mutex across fork, and the
 * raw calls' errors (EDEADLK, EPERM, ESRCH, EAGAIN).
 */
#include "check.h"

#include <linux/futex.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>

static void init_pi(pthread_mutex_t *m, int pshared) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
  if (pshared) pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
  pthread_mutex_init(m, &a);
}

static pthread_mutex_t pm;
static long counter;

static void *count_up(void *p) {
  for (long i = 0; i < (long)p; i++) {
    pthread_mutex_lock(&pm);
    counter++;
    pthread_mutex_unlock(&pm);
  }
  return NULL;
}

static void *try_and_time(void *p) {
  (void)p;
  long r = pthread_mutex_trylock(&pm) == EBUSY;
  struct timespec dl = ns_to_ts(now_ns(CLOCK_REALTIME) + 30 * 1000000);
  r |= (pthread_mutex_timedlock(&pm, &dl) == ETIMEDOUT) << 1;
  dl = ns_to_ts(now_ns(CLOCK_MONOTONIC) + 30 * 1000000);
  r |= (pthread_mutex_clocklock(&pm, CLOCK_MONOTONIC, &dl) == ETIMEDOUT) << 2;
  return (void *)r;
}

static int order[3], order_n;
static void *lock_in_order(void *p) {
  pthread_mutex_lock(&pm);
  order[order_n++] = (int)(long)p;
  pthread_mutex_unlock(&pm);
  return NULL;
}

static void threads(void) {
  init_pi(&pm, 0);
  pthread_t t[4];
  for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, count_up, (void *)5000L);
  for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
  check_eq(counter, 20000, "pi.counter_exact");
  check_eq(pm.__data.__lock, 0, "pi.word_free_afterwards");

  pthread_mutex_lock(&pm);
  check_eq(pm.__data.__lock, syscall(SYS_gettid), "pi.word_is_owner_tid");
  void *r;
  pthread_create(&t[0], NULL, try_and_time, NULL);
  pthread_join(t[0], &r);
  check((long)r & 1, "pi.trylock_ebusy");
  check((long)r & 2, "pi.timedlock_realtime_etimedout");
  check((long)r & 4, "pi.clocklock_monotonic_etimedout");

  /* Two waiters queue behind the owner: the word gets FUTEX_WAITERS; unlock hands over in order. */
  pthread_create(&t[1], NULL, lock_in_order, (void *)1L);
  while (!((unsigned)pm.__data.__lock & FUTEX_WAITERS)) sched_yield();
  sleep_ms(50);
  pthread_create(&t[2], NULL, lock_in_order, (void *)2L);
  sleep_ms(50);
  check_eq((unsigned)pm.__data.__lock & FUTEX_TID_MASK, syscall(SYS_gettid), "pi.owner_kept_while_waiting");
  pthread_mutex_unlock(&pm);
  pthread_join(t[1], NULL);
  pthread_join(t[2], NULL);
  check(order_n == 2 && order[0] == 1 && order[1] == 2, "pi.fifo_hand_over");
}

static void raw_calls(void) {
  static uint32_t w;
  uint32_t tid = (uint32_t)syscall(SYS_gettid);
  check_eq(futex(&w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0), 0, "raw.lock_free");
  check_eq(w, tid, "raw.word_tid");
  check_eq(futex(&w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0), -EDEADLK, "raw.relock_edeadlk");
  check_eq(futex(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0), 0, "raw.unlock");
  check_eq(w, 0, "raw.word_zero");
  w = tid + 1;
  check_eq(futex(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0), -EPERM, "raw.unlock_not_owner_eperm");

  pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, NULL, 0);
  w = (uint32_t)pid;
  check_eq(futex(&w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0), -ESRCH, "raw.dead_owner_esrch");
  check_eq(w, (uint32_t)pid | FUTEX_WAITERS, "raw.waiters_bit_set_before_lookup");
  w = FUTEX_OWNER_DIED;
  check_eq(futex(&w, FUTEX_TRYLOCK_PI | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0), 0, "raw.trylock_owner_died_free");
  check_eq(w, FUTEX_OWNER_DIED | tid, "raw.owner_died_kept");
  check_eq(futex(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0), 0, "raw.unlock_clears_owner_died");
  check_eq(w, 0, "raw.word_zero_again");
  check_eq(futex(&w, FUTEX_LOCK_PI_PRIVATE | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0), -ENOSYS,
           "raw.lock_pi_clock_flag_enosys");
}

static void *trylock_thread(void *p) {
  return (void *)futex(p, FUTEX_TRYLOCK_PI | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0);
}

static void trylock_contended(void) {
  static uint32_t w;
  futex(&w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
  pthread_t t;
  void *r;
  pthread_create(&t, NULL, trylock_thread, &w);
  pthread_join(t, &r);
  check_eq((long)r, -EAGAIN, "raw.trylock_contended_eagain");
  check_eq(w & FUTEX_WAITERS, FUTEX_WAITERS, "raw.trylock_leaves_waiters_bit");
  check_eq(futex(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0), 0, "raw.unlock_with_no_waiters");
  check_eq(w, 0, "raw.word_zero_after_waiters_bit");
}

static void across_processes(void) {
  struct shared {
    pthread_mutex_t m;
    long n;
  } *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  init_pi(&s->m, 1);
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < 3000; i++) {
      pthread_mutex_lock(&s->m);
      s->n++;
      pthread_mutex_unlock(&s->m);
    }
    _exit(0);
  }
  for (int i = 0; i < 3000; i++) {
    pthread_mutex_lock(&s->m);
    s->n++;
    pthread_mutex_unlock(&s->m);
  }
  int st;
  waitpid(pid, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "pshared_pi.child_ok");
  check_eq(s->n, 6000, "pshared_pi.counter_exact");
}

int main(void) {
  threads();
  raw_calls();
  trylock_contended();
  across_processes();
  return finish();
}
