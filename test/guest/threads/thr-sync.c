/*
 * glibc's pthread synchronisation on futexes, under load: mutexes (normal, recursive, errorcheck,
 * timed), condition variables (broadcast, a bounded queue, timed waits on both clocks), barriers,
 * rwlocks, semaphores (threads, timed, process-shared across fork), pthread_once and joins. Every
 * result printed is a count or an errno, so the output does not depend on scheduling.
 */
#include "check.h"

#include <pthread.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/wait.h>


#define THREADS 4

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_up(void *p) {
  long n = (long)p;
  for (long i = 0; i < n; i++) {
    pthread_mutex_lock(&mtx);
    counter++;
    pthread_mutex_unlock(&mtx);
  }
  return NULL;
}

static void mutexes(void) {
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, count_up, (void *)20000L);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  check_eq(counter, THREADS * 20000L, "mutex.counter_exact");

  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_t rec;
  pthread_mutex_init(&rec, &a);
  check(pthread_mutex_lock(&rec) == 0 && pthread_mutex_lock(&rec) == 0, "mutex.recursive_twice");
  check(pthread_mutex_unlock(&rec) == 0 && pthread_mutex_unlock(&rec) == 0, "mutex.recursive_unlock");
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_t ec;
  pthread_mutex_init(&ec, &a);
  pthread_mutex_lock(&ec);
  check_eq(pthread_mutex_lock(&ec), EDEADLK, "mutex.errorcheck_edeadlk");
  pthread_mutex_unlock(&ec);
  check_eq(pthread_mutex_unlock(&ec), EPERM, "mutex.errorcheck_unlock_eperm");

  pthread_mutex_lock(&mtx);
  check_eq(pthread_mutex_trylock(&mtx), EBUSY, "mutex.trylock_ebusy");
  struct timespec dl = ns_to_ts(now_ns(CLOCK_REALTIME) + 30 * 1000000);
  check_eq(pthread_mutex_timedlock(&mtx, &dl), ETIMEDOUT, "mutex.timedlock_etimedout");
  pthread_mutex_unlock(&mtx);
}

/* A bounded queue: producers and consumers on two condition variables. */
#define QCAP 8
static int queue[QCAP], qhead, qlen;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static long consumed_sum, consumed_n;
#define ITEMS 3000

static void *producer(void *p) {
  long base = (long)p;
  for (int i = 1; i <= ITEMS; i++) {
    pthread_mutex_lock(&mtx);
    while (qlen == QCAP) pthread_cond_wait(&not_full, &mtx);
    queue[(qhead + qlen++) % QCAP] = (int)(base + i);
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&mtx);
  }
  return NULL;
}

static void *consumer(void *p) {
  (void)p;
  for (;;) {
    pthread_mutex_lock(&mtx);
    while (qlen == 0) pthread_cond_wait(&not_empty, &mtx);
    int v = queue[qhead];
    qhead = (qhead + 1) % QCAP;
    qlen--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&mtx);
    if (v < 0) return NULL;
    __atomic_fetch_add(&consumed_sum, v, __ATOMIC_RELAXED);
    __atomic_fetch_add(&consumed_n, 1, __ATOMIC_RELAXED);
  }
}

static int go;
static int arrived;
static pthread_cond_t gate = PTHREAD_COND_INITIALIZER;

static void *wait_gate(void *p) {
  (void)p;
  pthread_mutex_lock(&mtx);
  arrived++;
  while (!go) pthread_cond_wait(&gate, &mtx);
  pthread_mutex_unlock(&mtx);
  return NULL;
}

static void condvars(void) {
  pthread_t prod[2], cons[2];
  for (int i = 0; i < 2; i++) pthread_create(&cons[i], NULL, consumer, NULL);
  for (int i = 0; i < 2; i++) pthread_create(&prod[i], NULL, producer, (void *)(long)(i * 100000));
  for (int i = 0; i < 2; i++) pthread_join(prod[i], NULL);
  for (int i = 0; i < 2; i++) {
    pthread_mutex_lock(&mtx);
    while (qlen == QCAP) pthread_cond_wait(&not_full, &mtx);
    queue[(qhead + qlen++) % QCAP] = -1;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&mtx);
  }
  for (int i = 0; i < 2; i++) pthread_join(cons[i], NULL);
  long want = 0;
  for (int p = 0; p < 2; p++)
    for (int i = 1; i <= ITEMS; i++) want += p * 100000 + i;
  check_eq(consumed_n, 2 * ITEMS, "cond.queue_items");
  check_eq(consumed_sum, want, "cond.queue_sum");

  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, wait_gate, NULL);
  for (;;) {
    pthread_mutex_lock(&mtx);
    int n = arrived;
    pthread_mutex_unlock(&mtx);
    if (n == THREADS) break;
    sched_yield();
  }
  pthread_mutex_lock(&mtx);
  go = 1;
  pthread_cond_broadcast(&gate);
  pthread_mutex_unlock(&mtx);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  check(1, "cond.broadcast_releases_all");

  pthread_cond_t c = PTHREAD_COND_INITIALIZER;
  pthread_mutex_lock(&mtx);
  struct timespec dl = ns_to_ts(now_ns(CLOCK_REALTIME) + 30 * 1000000);
  check_eq(pthread_cond_timedwait(&c, &mtx, &dl), ETIMEDOUT, "cond.timedwait_realtime");
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_t cm;
  pthread_cond_init(&cm, &ca);
  int64_t t0 = now_ns(CLOCK_MONOTONIC);
  dl = ns_to_ts(t0 + 30 * 1000000);
  check_eq(pthread_cond_timedwait(&cm, &mtx, &dl), ETIMEDOUT, "cond.timedwait_monotonic");
  check(now_ns(CLOCK_MONOTONIC) - t0 >= 30 * 1000000, "cond.timedwait_waited");
  pthread_mutex_unlock(&mtx);
}

static pthread_barrier_t barrier;
static int round_seen[THREADS];
static atomic_int barrier_errors, serial_count;

static void *barrier_rounds(void *p) {
  long me = (long)p;
  for (int r = 1; r <= 200; r++) {
    round_seen[me] = r;
    if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) atomic_fetch_add(&serial_count, 1);
    for (int i = 0; i < THREADS; i++)
      if (round_seen[i] < r) atomic_fetch_add(&barrier_errors, 1);
    pthread_barrier_wait(&barrier);
  }
  return NULL;
}

static void barriers(void) {
  pthread_barrier_init(&barrier, NULL, THREADS);
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, barrier_rounds, (void *)i);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  check_eq(atomic_load(&barrier_errors), 0, "barrier.nobody_passes_early");
  check_eq(atomic_load(&serial_count), 200, "barrier.one_serial_thread_per_round");
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_value;
static atomic_int rw_torn;

static void *rw_worker(void *p) {
  long me = (long)p;
  for (int i = 0; i < 3000; i++) {
    if ((i + me) % 4 == 0) {
      pthread_rwlock_wrlock(&rw);
      rw_value++;
      rw_value++;
      pthread_rwlock_unlock(&rw);
    } else {
      pthread_rwlock_rdlock(&rw);
      if (rw_value % 2) atomic_fetch_add(&rw_torn, 1);
      pthread_rwlock_unlock(&rw);
    }
  }
  return NULL;
}

static void rwlocks(void) {
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, rw_worker, (void *)i);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  check_eq(rw_value, 2 * THREADS * 750L, "rwlock.writes_counted");
  check_eq(atomic_load(&rw_torn), 0, "rwlock.readers_never_see_a_half_write");
  pthread_rwlock_rdlock(&rw);
  check_eq(pthread_rwlock_trywrlock(&rw), EBUSY, "rwlock.trywrlock_ebusy_under_reader");
  pthread_rwlock_unlock(&rw);
}

static sem_t items, slots;
static long sem_sum;

static void *sem_producer(void *p) {
  (void)p;
  for (int i = 1; i <= 2000; i++) {
    sem_wait(&slots);
    __atomic_fetch_add(&sem_sum, i, __ATOMIC_RELAXED);
    sem_post(&items);
  }
  return NULL;
}

static void semaphores(void) {
  sem_init(&items, 0, 0);
  sem_init(&slots, 0, 4);
  pthread_t t[2];
  for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, sem_producer, NULL);
  for (int i = 0; i < 4000; i++) {
    sem_wait(&items);
    sem_post(&slots);
  }
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  check_eq(sem_sum, 2 * 2000L * 2001 / 2, "sem.producer_consumer_sum");
  check(sem_trywait(&items) == -1 && errno == EAGAIN, "sem.trywait_eagain");
  struct timespec dl = ns_to_ts(now_ns(CLOCK_REALTIME) + 30 * 1000000);
  check(sem_timedwait(&items, &dl) == -1 && errno == ETIMEDOUT, "sem.timedwait_etimedout");
  dl = ns_to_ts(now_ns(CLOCK_MONOTONIC) + 30 * 1000000);
  check(sem_clockwait(&items, CLOCK_MONOTONIC, &dl) == -1 && errno == ETIMEDOUT, "sem.clockwait_monotonic");

  /* A process-shared semaphore in MAP_SHARED memory: shared futexes across fork. */
  sem_t *ps = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  sem_t *back = ps + 1;
  sem_init(ps, 1, 0);
  sem_init(back, 1, 0);
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < 200; i++) {
      sem_wait(ps);
      sem_post(back);
    }
    _exit(0);
  }
  for (int i = 0; i < 200; i++) {
    sem_post(ps);
    sem_wait(back);
  }
  int st;
  waitpid(pid, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sem.pshared_ping_pong_200");
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int once_runs;
static void once_fn(void) {
  sleep_ms(5);
  atomic_fetch_add(&once_runs, 1);
}
static void *call_once(void *p) {
  (void)p;
  pthread_once(&once, once_fn);
  return (void *)(long)atomic_load(&once_runs);
}

static void once_and_join(void) {
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, call_once, NULL);
  long seen = 0;
  for (int i = 0; i < THREADS; i++) {
    void *r;
    pthread_join(t[i], &r);
    seen += (long)r;
  }
  check_eq(atomic_load(&once_runs), 1, "once.ran_once");
  check_eq(seen, THREADS, "once.everyone_saw_it_done");
}

int main(void) {
  mutexes();
  condvars();
  barriers();
  rwlocks();
  semaphores();
  once_and_join();
  return finish();
}
