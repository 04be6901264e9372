/*
 * Scheduling policies (Linux 6.1 rules): sched_{set,get}scheduler/param/attr, priority ranges,
 * SCHED_RESET_ON_FORK and inheritance across fork, the unprivileged rules (RLIMIT_RTPRIO, owner,
 * reset-on-fork), sched_rr_get_interval, affinity, getcpu and membarrier. Run as root. Under the
 * qemu reference (SIG_REFERENCE=qemu: the host kernel, several CPUs) the facts that depend on the
 * CPU count or the host's configuration are not checked, so both runs print the same lines.
 */
#include "../process/check.h"
#include <linux/membarrier.h>
#include <sched.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif
#define SCHED_DEADLINE 6
#define SCHED_FLAG_RESET_ON_FORK 0x01
#define SCHED_FLAG_KEEP_POLICY 0x08
#define SCHED_FLAG_KEEP_PARAMS 0x10
#define SCHED_FLAG_UTIL_CLAMP_MIN 0x20

struct attr {
  uint32_t size, policy;
  uint64_t flags;
  int32_t nice;
  uint32_t priority;
  uint64_t runtime, deadline, period;
  uint32_t util_min, util_max;
  uint8_t tail[16];
};

static long setattr(pid_t pid, struct attr *a, unsigned flags) { return syscall(SYS_sched_setattr, pid, a, flags); }
static long getattr(pid_t pid, struct attr *a, unsigned size, unsigned flags) {
  return syscall(SYS_sched_getattr, pid, a, size, flags);
}
static long setsched(pid_t pid, int policy, int prio) {
  struct sched_param p = {.sched_priority = prio};
  return syscall(SYS_sched_setscheduler, pid, policy, &p);
}
static long err(long r) { return r < 0 ? -errno : r; }
static long getprio(pid_t pid) {
  struct sched_param p = {.sched_priority = -1};
  return syscall(SYS_sched_getparam, pid, &p) < 0 ? -errno : p.sched_priority;
}

/* Runs fn in a child and returns its exit status (the child's checks print their own lines). */
static int in_child(int (*fn)(void)) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    failures = 0;
    _exit(fn());
  }
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int child_policy(void) { return (int)syscall(SYS_sched_getscheduler, 0) & 0xff; }
static int child_reset_state(void) {
  int pol = (int)syscall(SYS_sched_getscheduler, 0);
  return pol == SCHED_OTHER && getpriority(PRIO_PROCESS, 0) == 0 ? 0 : 1;
}

static void ranges(void) {
  check_eq(sched_get_priority_max(SCHED_FIFO), 99, "max FIFO");
  check_eq(sched_get_priority_min(SCHED_FIFO), 1, "min FIFO");
  check_eq(sched_get_priority_max(SCHED_RR), 99, "max RR");
  check_eq(sched_get_priority_min(SCHED_RR), 1, "min RR");
  check_eq(sched_get_priority_max(SCHED_OTHER), 0, "max OTHER");
  check_eq(sched_get_priority_min(SCHED_BATCH), 0, "min BATCH");
  check_eq(sched_get_priority_max(SCHED_IDLE), 0, "max IDLE");
  check_eq(sched_get_priority_max(SCHED_DEADLINE), 0, "max DEADLINE");
  check_eq(err(sched_get_priority_max(4)), -EINVAL, "max of policy 4: EINVAL");
  check_eq(err(sched_get_priority_min(8)), -EINVAL, "min of policy 8: EINVAL");
}

static void policies(void) {
  check_eq(syscall(SYS_sched_getscheduler, 0), SCHED_OTHER, "starts SCHED_OTHER");
  check_eq(getprio(0), 0, "starts priority 0");
  check_eq(err(syscall(SYS_sched_getscheduler, -1)), -EINVAL, "getscheduler pid -1: EINVAL");
  check_eq(err(syscall(SYS_sched_getscheduler, 0x3fffffff)), -ESRCH, "getscheduler no such pid: ESRCH");
  check_eq(err(syscall(SYS_sched_getparam, 0, NULL)), -EINVAL, "getparam NULL: EINVAL");
  check_eq(err(setsched(0, SCHED_FIFO, 0)), -EINVAL, "FIFO priority 0: EINVAL");
  check_eq(err(setsched(0, SCHED_OTHER, 5)), -EINVAL, "OTHER priority 5: EINVAL");
  check_eq(err(setsched(0, SCHED_RR, 100)), -EINVAL, "RR priority 100: EINVAL");
  check_eq(err(setsched(0, 4, 0)), -EINVAL, "policy 4: EINVAL");
  check_eq(err(setsched(0, -1, 0)), -EINVAL, "policy -1: EINVAL");
  check_eq(err(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL)), -EINVAL, "setscheduler NULL param: EINVAL");
  check_eq(err(setsched(0x3fffffff, SCHED_OTHER, 0)), -ESRCH, "setscheduler no such pid: ESRCH");

  struct timespec ts = {9, 9};
  check_eq(setsched(0, SCHED_FIFO, 10), 0, "root sets FIFO 10");
  check_eq(syscall(SYS_sched_getscheduler, 0), SCHED_FIFO, "getscheduler FIFO");
  check_eq(getprio(0), 10, "getparam 10");
  check_eq(sched_rr_get_interval(0, &ts), 0, "rr_get_interval FIFO");
  check(ts.tv_sec == 0 && ts.tv_nsec == 0, "FIFO timeslice 0");
  check_eq(in_child(child_policy), SCHED_FIFO, "fork inherits FIFO");
  struct sched_param sp = {.sched_priority = 20};
  check_eq(sched_setparam(0, &sp), 0, "setparam 20");
  check_eq(getprio(0), 20, "getparam 20 after setparam");
  check_eq(syscall(SYS_sched_getscheduler, 0), SCHED_FIFO, "setparam keeps FIFO");

  check_eq(setsched(0, SCHED_RR | SCHED_RESET_ON_FORK, 5), 0, "RR | SCHED_RESET_ON_FORK");
  check_eq(syscall(SYS_sched_getscheduler, 0), SCHED_RR | SCHED_RESET_ON_FORK, "getscheduler shows reset-on-fork");
  check_eq(sched_rr_get_interval(0, &ts), 0, "rr_get_interval RR");
  check(ts.tv_sec == 0 && ts.tv_nsec == 100000000, "RR timeslice 100 ms");
  check_eq(in_child(child_reset_state), 0, "reset-on-fork child is SCHED_OTHER, nice 0");
  struct attr a = {.size = 56};
  check_eq(getattr(0, &a, 56, 0), 0, "getattr RR");
  check(a.policy == SCHED_RR && a.priority == 5 && a.flags == SCHED_FLAG_RESET_ON_FORK, "getattr RR 5 reset-on-fork");
  check_eq(setsched(0, SCHED_OTHER, 0), 0, "back to OTHER");
  check_eq(syscall(SYS_sched_getscheduler, 0), SCHED_OTHER, "OTHER, reset-on-fork cleared");

  /* SCHED_RESET_ON_FORK with a negative nice: the child gets nice 0. */
  check_eq(setpriority(PRIO_PROCESS, 0, -5), 0, "nice -5");
  check_eq(setsched(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0), 0, "OTHER | reset-on-fork");
  check_eq(in_child(child_reset_state), 0, "reset-on-fork resets a negative nice");
  check_eq(setsched(0, SCHED_OTHER, 0), 0, "OTHER again");
  check_eq(getpriority(PRIO_PROCESS, 0), -5, "nice kept by setscheduler");
  setpriority(PRIO_PROCESS, 0, 0);
}

static void attrs(void) {
  struct attr a;
  memset(&a, 0, sizeof a);
  a.size = 0; /* VER0 */
  a.policy = SCHED_OTHER;
  a.nice = 3;
  check_eq(setattr(0, &a, 0), 0, "setattr size 0 (VER0), nice 3");
  check_eq(getpriority(PRIO_PROCESS, 0), 3, "setattr nice shows in getpriority");
  a.size = 47;
  check_eq(err(setattr(0, &a, 0)), -E2BIG, "setattr size 47: E2BIG");
  check_eq(a.size, 56, "E2BIG writes the kernel's size");
  memset(&a, 0, sizeof a);
  a.size = 72;
  a.tail[4] = 1;
  check_eq(err(setattr(0, &a, 0)), -E2BIG, "setattr non-zero tail: E2BIG");
  a.tail[4] = 0;
  a.size = 72;
  a.nice = 50; /* clamped to 19 */
  check_eq(setattr(0, &a, 0), 0, "setattr zero tail, nice 50");
  check_eq(getpriority(PRIO_PROCESS, 0), 19, "nice clamped to 19");
  check_eq(err(setattr(0, &a, 1)), -EINVAL, "setattr flags 1: EINVAL");
  check_eq(err(setattr(-1, &a, 0)), -EINVAL, "setattr pid -1: EINVAL");
  check_eq(err(setattr(0, NULL, 0)), -EINVAL, "setattr NULL: EINVAL");
  a.size = 48;
  a.policy = SCHED_OTHER;
  a.flags = SCHED_FLAG_UTIL_CLAMP_MIN;
  check_eq(err(setattr(0, &a, 0)), -EINVAL, "util clamp with a VER0 size: EINVAL");
  a.flags = 1ULL << 40;
  check_eq(err(setattr(0, &a, 0)), -EINVAL, "unknown flag: EINVAL");
  a.flags = 0;
  a.policy = 0x80000000u;
  check_eq(err(setattr(0, &a, 0)), -EINVAL, "negative policy: EINVAL");

  memset(&a, 0xff, sizeof a);
  check_eq(err(getattr(0, &a, 47, 0)), -EINVAL, "getattr size 47: EINVAL");
  /* qemu-aarch64 clamps the size itself. */
  check_linux(err(getattr(0, &a, 4097, 0)) == -EINVAL, "getattr size 4097: EINVAL");
  check_eq(err(getattr(0, &a, 56, 1)), -EINVAL, "getattr flags 1: EINVAL");
  check_eq(getattr(0, &a, 48, 0), 0, "getattr size 48");
  check(a.size == 48 && a.policy == SCHED_OTHER && a.nice == 19 && a.priority == 0, "getattr VER0 content");
  check_linux(a.util_min == 0xffffffffu, "getattr size 48 leaves util_min alone");
  memset(&a, 0xff, sizeof a);
  check_eq(getattr(0, &a, 80, 0), 0, "getattr size 80");
  check_eq(a.size, 56, "getattr size 80 reports 56");
  check(a.tail[0] == 0xff, "getattr writes nothing past 56");

  memset(&a, 0, sizeof a);
  a.size = 56;
  a.policy = SCHED_IDLE;
  check_eq(setattr(0, &a, 0), 0, "setattr SCHED_IDLE");
  check_eq(syscall(SYS_sched_getscheduler, 0), SCHED_IDLE, "getscheduler IDLE");
  check_eq(getpriority(PRIO_PROCESS, 0), 19, "IDLE keeps nice");
  a.policy = SCHED_FIFO;
  a.priority = 7;
  a.flags = SCHED_FLAG_KEEP_POLICY;
  check_eq(err(setattr(0, &a, 0)), -EINVAL, "KEEP_POLICY with a priority for IDLE: EINVAL");
  a.flags = 0;
  check_eq(setattr(0, &a, 0), 0, "setattr FIFO 7");
  a.policy = SCHED_RR;
  a.priority = 0;
  a.flags = SCHED_FLAG_KEEP_PARAMS;
  check_eq(setattr(0, &a, 0), 0, "KEEP_PARAMS takes the priority");
  check_eq(getprio(0), 7, "KEEP_PARAMS: priority 7");
  a.policy = SCHED_OTHER;
  a.flags = 0;
  a.nice = 0;
  check_eq(setattr(0, &a, 0), 0, "setattr OTHER nice 0");
  check_eq(syscall(SYS_sched_getscheduler, 0), SCHED_OTHER, "OTHER");

  if (!reference_run()) {
    /* compat64 facts: no uclamp (EOPNOTSUPP), one CPU for the deadline bandwidth, EAGAIN at fork. */
    a.flags = SCHED_FLAG_UTIL_CLAMP_MIN;
    a.util_min = 10;
    check_eq(err(setattr(0, &a, 0)), -EOPNOTSUPP, "compat64: util clamp: EOPNOTSUPP (no CONFIG_UCLAMP_TASK)");
    memset(&a, 0, sizeof a);
    a.size = 56;
    a.policy = SCHED_DEADLINE;
    a.runtime = 10000000;
    a.deadline = 30000000;
    a.period = 100000000;
    a.flags = 0;
    check_eq(err(setattr(0, &a, 0)), 0, "compat64: setattr DEADLINE 10/30/100 ms");
    check_eq(syscall(SYS_sched_getscheduler, 0), SCHED_DEADLINE, "compat64: getscheduler DEADLINE");
    check_eq(err(fork()), -EAGAIN, "compat64: fork of a DEADLINE thread: EAGAIN");
    struct attr g = {0};
    check_eq(getattr(0, &g, 56, 0), 0, "compat64: getattr DEADLINE");
    check(g.runtime == 10000000 && g.deadline == 30000000 && g.period == 100000000, "compat64: DEADLINE parameters");
    struct timespec ts = {9, 9};
    check_eq(sched_rr_get_interval(0, &ts), 0, "compat64: rr_get_interval DEADLINE");
    check(ts.tv_sec == 0 && ts.tv_nsec == 0, "compat64: DEADLINE timeslice 0");
    a.runtime = 96000000;
    a.deadline = 100000000;
    check_eq(err(setattr(0, &a, 0)), -EBUSY, "compat64: 96% of the CPU: EBUSY");
    a.runtime = 1000;
    a.deadline = 30000000;
    check_eq(err(setattr(0, &a, 0)), -EINVAL, "compat64: runtime below 1024 ns: EINVAL");
    a.runtime = 40000000;
    check_eq(err(setattr(0, &a, 0)), -EINVAL, "compat64: runtime > deadline: EINVAL");
    memset(&a, 0, sizeof a);
    a.size = 56;
    check_eq(setattr(0, &a, 0), 0, "compat64: DEADLINE back to OTHER");
    struct timespec cfs;
    check_eq(sched_rr_get_interval(0, &cfs), 0, "compat64: rr_get_interval OTHER");
    check(cfs.tv_sec == 0 && cfs.tv_nsec == 4000000, "compat64: CFS slice alone on one CPU: 6 ms, one 4 ms jiffy");
  }
}

static int unprivileged(void) {
  struct rlimit rl = {10, 10};
  setrlimit(RLIMIT_RTPRIO, &rl);
  pid_t parent = getppid();
  if (setresuid(65534, 65534, 65534) != 0) return 99;
  /* The host refuses RT to users in its cgroup (RT group scheduling): checked under compat64 only. */
  check_linux(setsched(0, SCHED_FIFO, 5) == 0, "user: FIFO 5 under RLIMIT_RTPRIO 10");
  check_eq(err(setsched(0, SCHED_FIFO, 20)), -EPERM, "user: FIFO 20 over RLIMIT_RTPRIO: EPERM");
  check_linux(setsched(0, SCHED_FIFO, 3) == 0, "user: lower FIFO priority");
  check_eq(setsched(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0), 0, "user: back to OTHER, reset-on-fork");
  check_eq(err(setsched(0, SCHED_OTHER, 0)), -EPERM, "user: clearing reset-on-fork: EPERM");
  check_eq(err(setsched(parent, SCHED_OTHER, 0)), -EPERM, "user: another user's thread: EPERM");
  struct attr a = {.size = 56, .policy = SCHED_OTHER, .flags = SCHED_FLAG_RESET_ON_FORK, .nice = -1};
  check_eq(err(setattr(0, &a, 0)), -EPERM, "user: negative nice via setattr: EPERM");
  a.policy = SCHED_DEADLINE;
  a.runtime = 10000000;
  a.deadline = a.period = 100000000;
  check_eq(err(setattr(0, &a, 0)), -EPERM, "user: DEADLINE: EPERM");
  uint64_t mask = ~0ULL;
  check_eq(err(syscall(SYS_sched_setaffinity, parent, sizeof mask, &mask)), -EPERM, "user: another user's affinity: EPERM");
  a.policy = SCHED_IDLE;
  a.nice = 0;
  check_eq(setattr(0, &a, 0), 0, "user: SCHED_IDLE");
  a.policy = SCHED_OTHER;
  check_eq(err(setattr(0, &a, 0)), -EPERM, "user: IDLE back to OTHER without RLIMIT_NICE: EPERM");
  rl.rlim_cur = rl.rlim_max = 0;
  setrlimit(RLIMIT_RTPRIO, &rl);
  a.policy = SCHED_FIFO;
  a.priority = 1;
  check_eq(err(setattr(0, &a, 0)), -EPERM, "user: RLIMIT_RTPRIO 0: EPERM");
  return failures;
}

static void affinity(void) {
  uint64_t mask[16];
  memset(mask, 0, sizeof mask);
  long n = syscall(SYS_sched_getaffinity, 0, sizeof mask, mask);
  check(n > 0 && n % 8 == 0, "getaffinity returns a whole number of longs");
  check_eq(err(syscall(SYS_sched_getaffinity, 0, 7, mask)), -EINVAL, "getaffinity len 7: EINVAL");
  check_eq(err(syscall(SYS_sched_getaffinity, 0, 0, mask)), -EINVAL, "getaffinity len 0: EINVAL");
  check_eq(err(syscall(SYS_sched_getaffinity, 0x3fffffff, sizeof mask, mask)), -ESRCH, "getaffinity no such pid: ESRCH");
  check_eq(syscall(SYS_sched_setaffinity, 0, n, mask), 0, "setaffinity to the current mask");
  uint64_t none[16] = {0};
  check_eq(err(syscall(SYS_sched_setaffinity, 0, sizeof none, none)), -EINVAL, "empty mask: EINVAL");
  none[15] = 1ULL << 63;
  check_eq(err(syscall(SYS_sched_setaffinity, 0, sizeof none, none)), -EINVAL, "only CPU 1023: EINVAL");
  check_eq(err(syscall(SYS_sched_setaffinity, 0, 0, mask)), -EINVAL, "len 0: EINVAL");
  check_eq(err(syscall(SYS_sched_setaffinity, 0x3fffffff, n, mask)), -ESRCH, "setaffinity no such pid: ESRCH");
  unsigned cpu = 99, node = 99;
  check_eq(syscall(SYS_getcpu, &cpu, &node, NULL), 0, "getcpu");
  check(cpu < 1024 && node == 0, "getcpu: a CPU, node 0");
  check_eq(syscall(SYS_getcpu, NULL, NULL, NULL), 0, "getcpu NULLs");
  if (!reference_run()) {
    check(n == 8 && mask[0] == 1, "compat64: one CPU, mask {0}");
    check(cpu == 0, "compat64: cpu 0");
    uint64_t two = 2;
    check_eq(err(syscall(SYS_sched_setaffinity, 0, 8, &two)), -EINVAL, "compat64: mask without CPU 0: EINVAL");
    uint32_t small = 3;
    check_eq(syscall(SYS_sched_setaffinity, 0, 4, &small), 0, "compat64: a 4-byte mask with CPU 0");
    check_eq(sched_getcpu(), 0, "compat64: sched_getcpu 0");
  }
}

static int child_private_expedited(void) {
  return syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0 ? 0 : errno;
}

static void membarrier(void) {
  long q = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
  check_eq(q & 0x1ff, 0x1ff, "QUERY: every 6.1 command");
  if (!reference_run()) check_eq(q, 0x1ff, "compat64: QUERY is 6.1's mask");
  check_eq(err(syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 1, 0)), -EINVAL, "flags 1: EINVAL");
  check_eq(err(syscall(SYS_membarrier, 1 << 12, 0, 0)), -EINVAL, "unknown command: EINVAL");
  check_eq(syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0), 0, "GLOBAL");
  check_eq(syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0), 0, "GLOBAL_EXPEDITED unregistered");
  check_eq(err(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0)), -EPERM, "PRIVATE_EXPEDITED unregistered: EPERM");
  check_eq(err(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0)), -EPERM, "SYNC_CORE unregistered: EPERM");
  check_eq(err(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0, 0)), -EPERM, "RSEQ unregistered: EPERM");
  check_eq(err(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 2, 0)), -EINVAL, "RSEQ flags 2: EINVAL");
  check_eq(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0), 0, "REGISTER_PRIVATE_EXPEDITED");
  check_eq(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0), 0, "register twice");
  check_eq(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0), 0, "PRIVATE_EXPEDITED registered");
  check_eq(err(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0)), -EPERM, "SYNC_CORE still unregistered");
  check_eq(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0), 0, "REGISTER SYNC_CORE");
  check_eq(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0), 0, "SYNC_CORE registered");
  check_eq(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0), 0, "REGISTER RSEQ");
  check_eq(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0, 0), 0, "RSEQ registered");
  check_eq(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 1, 0), 0, "RSEQ on CPU 0");
  check_eq(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0), 0, "REGISTER GLOBAL_EXPEDITED");
  check_eq(in_child(child_private_expedited), 0, "fork keeps the registration");
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  ranges();
  policies();
  attrs();
  check_eq(in_child(unprivileged), 0, "unprivileged rules");
  affinity();
  membarrier();
  if (failures == 0) printf("ALL PASSED\n");
  return failures != 0;
}
