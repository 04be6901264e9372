/*
 * futex(2) through raw syscalls between threads and processes: the value check, timeouts on both
 * clocks, bitsets, REQUEUE/CMP_REQUEUE, WAKE_OP's operations, private vs shared keys across fork,
 * signals during a wait (EINTR, SA_RESTART, the timed wait's restart block), futex_waitv.
 *
 * "Is the other thread asleep yet?" is asked of the kernel, not guessed with sleeps:
 * FUTEX_REQUEUE(f, 0, INT_MAX, f) moves nobody and returns the number of waiters on f.
 */
#include "check.h"

#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "../../../include/compat64/compat_syscall.h"


#define PRIV(op) ((op) | FUTEX_PRIVATE_FLAG)

static long waiters_on(uint32_t *f, int private_op) {
  return futex(f, private_op ? PRIV(FUTEX_REQUEUE) : FUTEX_REQUEUE, 0, (void *)(long)INT_MAX, f, 0);
}

/* Spins (yielding) until n tasks wait on f. */
static void gather(uint32_t *f, long n, int private_op) {
  while (waiters_on(f, private_op) < n) sched_yield();
}

struct waiter {
  pthread_t thread;
  uint32_t *word;
  uint32_t val;
  int op;
  uint32_t bitset;
  const struct timespec *timeout;
  long result;
  atomic_int done;
};

static void *wait_thread(void *p) {
  struct waiter *w = p;
  w->result = futex(w->word, w->op, w->val, w->timeout, NULL, w->bitset);
  atomic_store(&w->done, 1);
  return NULL;
}

static void start_timed(struct waiter *w, uint32_t *word, uint32_t val, int op, uint32_t bitset,
                        const struct timespec *timeout) {
  w->timeout = timeout;
  w->word = word;
  w->val = val;
  w->op = op;
  w->bitset = bitset;
  w->result = 1;
  atomic_store(&w->done, 0);
  pthread_create(&w->thread, NULL, wait_thread, w);
}

static void start(struct waiter *w, uint32_t *word, uint32_t val, int op, uint32_t bitset) {
  start_timed(w, word, val, op, bitset, NULL);
}

static long join(struct waiter *w) {
  pthread_join(w->thread, NULL);
  return w->result;
}

static void basics(void) {
  static uint32_t w = 5;
  check_eq(futex(&w, PRIV(FUTEX_WAIT), 6, NULL, NULL, 0), -EAGAIN, "wait.value_differs_eagain");
  check_eq(futex((char *)&w + 2, PRIV(FUTEX_WAIT), 5, NULL, NULL, 0), -EINVAL, "wait.misaligned_einval");
  check_eq(futex((void *)16, PRIV(FUTEX_WAIT), 0, NULL, NULL, 0), -EFAULT, "wait.bad_address_efault");
  check_eq(futex(&w, PRIV(FUTEX_WAKE), 1, NULL, NULL, 0), 0, "wake.nobody");
  check_eq(futex(&w, PRIV(FUTEX_WAIT) | FUTEX_CLOCK_REALTIME, 5, NULL, NULL, 0), -ENOSYS,
           "wait.clock_realtime_enosys");
  check_eq(futex(&w, PRIV(FUTEX_WAIT_BITSET), 5, NULL, NULL, 0), -EINVAL, "wait_bitset.zero_einval");
  check_eq(futex(&w, 0x7f, 5, NULL, NULL, 0), -ENOSYS, "unknown_op_enosys");
}

static void timeouts(void) {
  static uint32_t w;
  struct timespec rel = {0, 30 * 1000000};
  int64_t t0 = now_ns(CLOCK_MONOTONIC);
  check_eq(futex(&w, PRIV(FUTEX_WAIT), 0, &rel, NULL, 0), -ETIMEDOUT, "wait.relative_timeout");
  check(now_ns(CLOCK_MONOTONIC) - t0 >= 30 * 1000000, "wait.relative_timeout_waited");
  struct timespec bad = {0, 1000000000};
  check_eq(futex(&w, PRIV(FUTEX_WAIT), 0, &bad, NULL, 0), -EINVAL, "wait.tv_nsec_einval");
  struct timespec neg = {-1, 0};
  check_eq(futex(&w, PRIV(FUTEX_WAIT), 0, &neg, NULL, 0), -EINVAL, "wait.negative_einval");
  check_eq(futex(&w, PRIV(FUTEX_WAIT), 0, (void *)16, NULL, 0), -EFAULT, "wait.timeout_efault");
  struct timespec zero = {0, 0};
  check_eq(futex(&w, PRIV(FUTEX_WAIT), 1, &zero, NULL, 0), -EAGAIN, "wait.value_before_timeout");
  int64_t dl = now_ns(CLOCK_MONOTONIC) + 20 * 1000000;
  struct timespec abs = ns_to_ts(dl);
  check_eq(futex(&w, PRIV(FUTEX_WAIT_BITSET), 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY), -ETIMEDOUT,
           "wait_bitset.absolute_monotonic");
  check(now_ns(CLOCK_MONOTONIC) >= dl, "wait_bitset.absolute_monotonic_waited");
  dl = now_ns(CLOCK_REALTIME) + 20 * 1000000;
  abs = ns_to_ts(dl);
  check_eq(futex(&w, PRIV(FUTEX_WAIT_BITSET) | FUTEX_CLOCK_REALTIME, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY),
           -ETIMEDOUT, "wait_bitset.absolute_realtime");
  check(now_ns(CLOCK_REALTIME) >= dl, "wait_bitset.absolute_realtime_waited");
  abs = ns_to_ts(1); /* 1 ns after boot */
  check_eq(futex(&w, PRIV(FUTEX_WAIT_BITSET), 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY), -ETIMEDOUT,
           "wait_bitset.deadline_in_the_past");
}

static void wake_and_bitsets(void) {
  static uint32_t w;
  struct waiter a, b, c;
  start(&a, &w, 0, PRIV(FUTEX_WAIT), 0);
  gather(&w, 1, 1);
  check_eq(futex(&w, PRIV(FUTEX_WAKE), 1, NULL, NULL, 0), 1, "wake.one");
  check_eq(join(&a), 0, "wait.woken");
  start(&a, &w, 0, PRIV(FUTEX_WAIT_BITSET), 1);
  gather(&w, 1, 1);
  start(&b, &w, 0, PRIV(FUTEX_WAIT_BITSET), 2);
  gather(&w, 2, 1);
  start(&c, &w, 0, PRIV(FUTEX_WAIT), 0);
  gather(&w, 3, 1);
  /* c waits with FUTEX_BITSET_MATCH_ANY: every wake bitset reaches it. */
  check_eq(futex(&w, PRIV(FUTEX_WAKE_BITSET), INT_MAX, NULL, NULL, 4), 1, "wake_bitset.only_match_any");
  check_eq(join(&c), 0, "wake_bitset.match_any_woken");
  check_eq(futex(&w, PRIV(FUTEX_WAKE_BITSET), INT_MAX, NULL, NULL, 2), 1, "wake_bitset.bit1_wakes_b");
  check_eq(join(&b), 0, "wake_bitset.b_woken");
  check(!atomic_load(&a.done), "wake_bitset.a_still_waits");
  check_eq(futex(&w, PRIV(FUTEX_WAKE), 0, NULL, NULL, 0), 1, "wake.nr_zero_wakes_one");
  check_eq(join(&a), 0, "wake_bitset.a_woken");
  check_eq(futex(&w, FUTEX_WAKE, 1, NULL, NULL, 0), 0, "wake.shared_finds_none");
}

static void requeue(void) {
  static uint32_t f1, f2, f3;
  struct waiter w[3];
  for (int i = 0; i < 3; i++) start(&w[i], &f1, 0, PRIV(FUTEX_WAIT), 0);
  long moved = 0;
  while (moved < 3) moved += futex(&f1, PRIV(FUTEX_CMP_REQUEUE), 0, (void *)(long)INT_MAX, &f2, 0);
  check_eq(waiters_on(&f2, 1), 3, "requeue.all_moved");
  check_eq(futex(&f2, PRIV(FUTEX_CMP_REQUEUE), 1, (void *)1L, &f3, 1), -EAGAIN, "cmp_requeue.value_differs");
  check_eq(futex(&f2, PRIV(FUTEX_CMP_REQUEUE), 1, (void *)1L, &f3, 0), 2, "cmp_requeue.wake1_move1");
  check_eq(waiters_on(&f2, 1), 1, "cmp_requeue.one_left");
  check_eq(waiters_on(&f3, 1), 1, "cmp_requeue.one_moved");
  check_eq(futex(&f2, PRIV(FUTEX_REQUEUE), -1, (void *)1L, &f3, 0), -EINVAL, "requeue.negative_nr_wake");
  check_eq(futex(&f2, PRIV(FUTEX_REQUEUE), 0, (void *)-1L, &f3, 0), -EINVAL, "requeue.negative_nr_requeue");
  check_eq(futex(&f2, PRIV(FUTEX_WAKE), INT_MAX, NULL, NULL, 0), 1, "requeue.wake_rest_f2");
  check_eq(futex(&f3, PRIV(FUTEX_WAKE), INT_MAX, NULL, NULL, 0), 1, "requeue.wake_rest_f3");
  for (int i = 0; i < 3; i++) check_eq(join(&w[i]), 0, "requeue.waiter_returns_0");
}

static uint32_t op_result(uint32_t start_val, int op, int oparg, int cmp, int cmparg, long *ret) {
  static uint32_t f1, f2;
  f2 = start_val;
  *ret = futex(&f1, PRIV(FUTEX_WAKE_OP), 1, (void *)1L, &f2, FUTEX_OP(op, oparg, cmp, cmparg));
  return f2;
}

static void wake_op(void) {
  long r;
  check_eq(op_result(5, FUTEX_OP_SET, 9, FUTEX_OP_CMP_EQ, 5, &r), 9, "wake_op.set");
  check_eq(op_result(5, FUTEX_OP_ADD, -1, FUTEX_OP_CMP_EQ, 5, &r), 4, "wake_op.add_negative");
  check_eq(op_result(8, FUTEX_OP_OR, 3, FUTEX_OP_CMP_EQ, 5, &r), 11, "wake_op.or");
  check_eq(op_result(15, FUTEX_OP_ANDN, 5, FUTEX_OP_CMP_EQ, 5, &r), 10, "wake_op.andn");
  check_eq(op_result(15, FUTEX_OP_XOR, 5, FUTEX_OP_CMP_EQ, 5, &r), 10, "wake_op.xor");
  check_eq(op_result(0, FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 31, FUTEX_OP_CMP_EQ, 5, &r), 0x80000000u,
           "wake_op.oparg_shift");
  check_eq(r, 0, "wake_op.nobody_woken");
  check_eq(op_result(3, 6, 1, FUTEX_OP_CMP_EQ, 0, &r), 3, "wake_op.bad_op_unchanged");
  check_eq(r, -ENOSYS, "wake_op.bad_op_enosys");
  check_eq(op_result(3, FUTEX_OP_SET, 1, 9, 0, &r), 1, "wake_op.bad_cmp_still_writes");
  check_eq(r, -ENOSYS, "wake_op.bad_cmp_enosys");

  static uint32_t f1, f2;
  struct waiter a, b;
  start(&a, &f1, 0, PRIV(FUTEX_WAIT), 0);
  start(&b, &f2, 0, PRIV(FUTEX_WAIT), 0);
  gather(&f1, 1, 1);
  gather(&f2, 1, 1);
  /* *f2 += 1, wake f2 too if the old value was > 0: it was 0. */
  check_eq(futex(&f1, PRIV(FUTEX_WAKE_OP), 1, (void *)1L, &f2, FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 0)), 1,
           "wake_op.cmp_false_wakes_uaddr1_only");
  check_eq(f2, 1, "wake_op.uaddr2_updated");
  check_eq(join(&a), 0, "wake_op.a_woken");
  check(!atomic_load(&b.done), "wake_op.b_still_waits");
  check_eq(futex(&f1, PRIV(FUTEX_WAKE_OP), 1, (void *)1L, &f2, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 1)), 1,
           "wake_op.cmp_true_wakes_uaddr2");
  check_eq(join(&b), 0, "wake_op.b_woken");
}

static atomic_int handled;
static void on_usr1(int sig) {
  (void)sig;
  atomic_fetch_add(&handled, 1);
}

static void interrupted(void) {
  static uint32_t w;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  struct waiter a;
  start(&a, &w, 0, PRIV(FUTEX_WAIT), 0);
  gather(&w, 1, 1);
  pthread_kill(a.thread, SIGUSR1);
  check_eq(join(&a), -EINTR, "signal.untimed_wait_eintr");
  check_eq(atomic_load(&handled), 1, "signal.handler_ran");

  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, NULL);
  start(&a, &w, 0, PRIV(FUTEX_WAIT), 0);
  gather(&w, 1, 1);
  pthread_kill(a.thread, SIGUSR1);
  while (atomic_load(&handled) < 2) sched_yield();
  gather(&w, 1, 1);
  check(!atomic_load(&a.done), "signal.sa_restart_restarts_wait");
  check_eq(futex(&w, PRIV(FUTEX_WAKE), 1, NULL, NULL, 0), 1, "signal.restarted_wait_woken");
  check_eq(join(&a), 0, "signal.restarted_wait_returns_0");

  /* A timed wait returns -ERESTART_RESTARTBLOCK: EINTR with a handler, even with SA_RESTART. */
  static struct timespec ten_s = {10, 0};
  start_timed(&a, &w, 0, PRIV(FUTEX_WAIT), 0, &ten_s);
  gather(&w, 1, 1);
  pthread_kill(a.thread, SIGUSR1);
  check_eq(join(&a), -EINTR, "signal.timed_wait_eintr_despite_sa_restart");
  signal(SIGUSR1, SIG_DFL);
}

/* A stop and continue (no handler) restarts a timed wait through restart_syscall, same deadline. */
static void stopped(void) {
  static uint32_t w;
  static struct timespec rel = {0, 300 * 1000000};
  struct waiter a;
  int64_t t0 = now_ns(CLOCK_MONOTONIC);
  start_timed(&a, &w, 0, PRIV(FUTEX_WAIT), 0, &rel);
  gather(&w, 1, 1);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    kill(parent, SIGSTOP);
    sleep_ms(20);
    kill(parent, SIGCONT);
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  check_eq(join(&a), -ETIMEDOUT, "stop_cont.timed_wait_resumes_and_times_out");
  int64_t waited = now_ns(CLOCK_MONOTONIC) - t0;
  check(waited >= 300 * 1000000 && waited < 5000LL * 1000000, "stop_cont.deadline_kept");
}

static void across_fork(void) {
  uint32_t *shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  pid_t pid = fork();
  if (pid == 0) _exit(futex(shm, FUTEX_WAIT, 0, NULL, NULL, 0) == 0 ? 0 : 1);
  gather(shm, 1, 0);
  check_eq(futex(shm, PRIV(FUTEX_WAKE), 1, NULL, NULL, 0), 0, "fork.private_wake_misses_child");
  check_eq(futex(shm, FUTEX_WAKE, 1, NULL, NULL, 0), 1, "fork.shared_wake_reaches_child");
  int st;
  waitpid(pid, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork.child_woken");

  /* Private anonymous memory is copied at fork: the child's word is another futex. */
  static uint32_t priv;
  pid = fork();
  if (pid == 0) {
    struct timespec t = {0, 200 * 1000000};
    _exit(futex(&priv, FUTEX_WAIT, 0, &t, NULL, 0) == -ETIMEDOUT ? 0 : 1);
  }
  long woke = 0;
  for (int i = 0; i < 20; i++) {
    woke += futex(&priv, FUTEX_WAKE, 1, NULL, NULL, 0);
    sleep_ms(5);
  }
  check_eq(woke, 0, "fork.private_memory_not_shared");
  waitpid(pid, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork.child_timed_out");
  munmap(shm, 4096);
}

struct futex_waitv_entry {
  uint64_t val;
  uint64_t uaddr;
  uint32_t flags;
  uint32_t reserved;
};
#define FUTEX2_SIZE_U32_ 0x02
#define FUTEX2_PRIVATE_ 128

static struct futex_waitv_entry wv[2];
static long waitv_result;
static void *waitv_thread(void *p) {
  (void)p;
  waitv_result = sysret(syscall(449, wv, 2, 0, NULL, 0));
  return NULL;
}

static void waitv(void) {
  static uint32_t f1, f2;
  wv[0] = (struct futex_waitv_entry){0, (uintptr_t)&f1, FUTEX2_SIZE_U32_ | FUTEX2_PRIVATE_, 0};
  wv[1] = (struct futex_waitv_entry){0, (uintptr_t)&f2, FUTEX2_SIZE_U32_ | FUTEX2_PRIVATE_, 0};
  long probe = sysret(syscall(449, wv, 0, 0, NULL, 0));
  if (probe == -ENOSYS && reference_run()) {
    /* qemu-aarch64 7.2 has no futex_waitv: print what Linux gives. */
    const char *names[] = {"waitv.no_entries_einval", "waitv.woken_index", "waitv.value_differs",
                           "waitv.size_u64_einval", "waitv.timeout"};
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) check(1, names[i]);
    return;
  }
  check_eq(probe, -EINVAL, "waitv.no_entries_einval");
  pthread_t t;
  pthread_create(&t, NULL, waitv_thread, NULL);
  gather(&f2, 1, 1);
  futex(&f2, PRIV(FUTEX_WAKE), 1, NULL, NULL, 0);
  pthread_join(t, NULL);
  check_eq(waitv_result, 1, "waitv.woken_index");
  f1 = 1;
  check_eq(sysret(syscall(449, wv, 2, 0, NULL, 0)), -EAGAIN, "waitv.value_differs");
  f1 = 0;
  wv[0].flags = 0x03;
  check_eq(sysret(syscall(449, wv, 2, 0, NULL, 0)), -EINVAL, "waitv.size_u64_einval");
  wv[0].flags = FUTEX2_SIZE_U32_ | FUTEX2_PRIVATE_;
  struct timespec abs = ns_to_ts(now_ns(CLOCK_MONOTONIC) + 20 * 1000000);
  check_eq(sysret(syscall(449, wv, 2, 0, &abs, CLOCK_MONOTONIC)), -ETIMEDOUT, "waitv.timeout");
}

/* Compat futex calls from this 64-bit task (compat-abi.md): old_timespec32, time64 padding, 32-bit val2. */
static void compat_calls(void) {
  static uint32_t w;
  static struct {
    int32_t sec, nsec;
  } t32;
  static struct {
    int64_t sec;
    uint32_t nsec, nsec_pad;
  } t64;
  t32.sec = 0;
  t32.nsec = 20 * 1000000;
  check_linux(compat_syscall(__NR_compat_futex, &w, FUTEX_WAIT_PRIVATE, 0, &t32, 0, 0) == -ETIMEDOUT,
              "compat.futex_old_timespec32_timeout");
  t32.nsec = 1000000000;
  check_linux(compat_syscall(__NR_compat_futex, &w, FUTEX_WAIT_PRIVATE, 0, &t32, 0, 0) == -EINVAL,
              "compat.futex_old_timespec32_einval");
  t64.sec = 0;
  t64.nsec = 20 * 1000000;
  t64.nsec_pad = 0xdeadbeef;
  check_linux(compat_syscall(__NR_compat_futex_time64, &w, FUTEX_WAIT_PRIVATE, 0, &t64, 0, 0) == -ETIMEDOUT,
              "compat.futex_time64_ignores_tv_nsec_padding");
  check_linux(compat_syscall(__NR_compat_futex, &w, FUTEX_REQUEUE_PRIVATE, 0, 0xffffffffUL, &w, 0) == -EINVAL,
              "compat.requeue_val2_is_a_32_bit_int");
  struct waiter a;
  start(&a, &w, 0, PRIV(FUTEX_WAIT), 0);
  gather(&w, 1, 1);
  long r = compat_syscall(__NR_compat_futex, &w, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
  /* qemu has no compat calls: wake the waiter natively there. */
  if (r != 1) futex(&w, PRIV(FUTEX_WAKE), 1, NULL, NULL, 0);
  check_linux(r == 1, "compat.wake_reaches_a_native_waiter");
  check_eq(join(&a), 0, "compat.native_waiter_woken");
}

int main(void) {
  basics();
  timeouts();
  wake_and_bitsets();
  requeue();
  wake_op();
  interrupted();
  stopped();
  across_fork();
  waitv();
  compat_calls();
  return finish();
}
