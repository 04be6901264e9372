/*
 * rseq (Linux 6.1): glibc 2.36's start-up registration, the registration rules (EBUSY/EINVAL/EPERM,
 * size 32, alignment, signature, RSEQ_FLAG_UNREGISTER), cpu_id_start/cpu_id, the critical-section
 * abort on signal delivery (the frame saves abort_ip) and on preemption, SIGSEGV for a bad
 * signature, inheritance across fork and the reset at exec. qemu-aarch64 does not register rseq for
 * its guests (glibc's registration fails there): under SIG_REFERENCE=qemu only the lines are printed.
 */
#include "../process/check.h"
#include <stddef.h>
#include <stdint.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

extern char cs_abort[]; /* global: a local label's GOT entry is wrong in a static link */

static struct rseq *glibc_area(void) { return (struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset); }

static long sys_rseq(void *area, unsigned len, int flags, unsigned sig) {
  long r = syscall(SYS_rseq, area, len, flags, sig);
  return r < 0 ? -errno : r;
}

/* Spins inside a critical section until *stop (or until the kernel moves the pc to cs_abort). */
__attribute__((noinline)) static int spin_in_cs(struct rseq *rs, volatile int *stop) {
  int aborted = 0;
  __asm__ volatile(
      "adrp x9, cs_desc\n\t"
      "add x9, x9, :lo12:cs_desc\n\t"
      "str x9, [%[rs], #8]\n\t"
      ".globl cs_abort\n\t"
      "cs_start:\n\t"
      "ldr w10, [%[stop]]\n\t"
      "cbz w10, cs_start\n\t"
      "cs_post:\n\t"
      "b 2f\n\t"
      ".long 0xd428bc00\n\t"
      "cs_abort:\n\t"
      "mov %w[ab], #1\n\t"
      "2:\n\t"
      ".pushsection .data\n\t"
      ".balign 32\n\t"
      "cs_desc: .long 0, 0\n\t"
      ".quad cs_start, cs_post - cs_start, cs_abort\n\t"
      ".popsection\n\t"
      : [ab] "+r"(aborted)
      : [rs] "r"(rs), [stop] "r"(stop)
      : "x9", "x10", "memory");
  return aborted;
}

/* The same with a wrong signature before the abort handler. */
__attribute__((noinline)) static int spin_bad_sig(struct rseq *rs, volatile int *stop) {
  int aborted = 0;
  __asm__ volatile(
      "adrp x9, bad_desc\n\t"
      "add x9, x9, :lo12:bad_desc\n\t"
      "str x9, [%[rs], #8]\n\t"
      "bad_start:\n\t"
      "ldr w10, [%[stop]]\n\t"
      "cbz w10, bad_start\n\t"
      "bad_post:\n\t"
      "b 2f\n\t"
      ".long 0x12345678\n\t"
      "bad_abort:\n\t"
      "mov %w[ab], #1\n\t"
      "2:\n\t"
      ".pushsection .data\n\t"
      ".balign 32\n\t"
      "bad_desc: .long 0, 0\n\t"
      ".quad bad_start, bad_post - bad_start, bad_abort\n\t"
      ".popsection\n\t"
      : [ab] "+r"(aborted)
      : [rs] "r"(rs), [stop] "r"(stop)
      : "x9", "x10", "memory");
  return aborted;
}

static volatile int stop, alarms, give_up_after = 20;
static volatile uintptr_t saved_pc;

static void on_alarm(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)si;
  saved_pc = ((ucontext_t *)uc)->uc_mcontext.pc;
  if (++alarms >= give_up_after) stop = 1; /* give up: the section was not aborted */
}

static void start_timer(long usec) {
  struct itimerval it = {{0, usec}, {0, usec}};
  setitimer(ITIMER_REAL, &it, NULL);
}

static void stop_timer(void) {
  struct itimerval it = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &it, NULL);
}

static struct rseq mine __attribute__((aligned(32)));

static void registration(void) {
  struct rseq *g = glibc_area();
  check_eq(__rseq_size, 32, "glibc registered rseq at start-up (size 32)");
  check_eq(g->cpu_id, 0, "cpu_id 0");
  check_eq(g->cpu_id_start, 0, "cpu_id_start 0");
  check_eq(sys_rseq(g, 32, 0, RSEQ_SIG), -EBUSY, "same registration again: EBUSY");
  check_eq(sys_rseq(g, 32, 0, RSEQ_SIG + 1), -EPERM, "other signature: EPERM");
  check_eq(sys_rseq(&mine, 32, 0, RSEQ_SIG), -EINVAL, "other area: EINVAL");
  check_eq(sys_rseq(g, 32, 2, RSEQ_SIG), -EINVAL, "unknown flag: EINVAL");
  check_eq(sys_rseq(g, 32, RSEQ_FLAG_UNREGISTER | 2, RSEQ_SIG), -EINVAL, "unregister + unknown flag: EINVAL");
  check_eq(sys_rseq(&mine, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG), -EINVAL, "unregister another area: EINVAL");
  check_eq(sys_rseq(g, 64, RSEQ_FLAG_UNREGISTER, RSEQ_SIG), -EINVAL, "unregister another length: EINVAL");
  check_eq(sys_rseq(g, 32, RSEQ_FLAG_UNREGISTER, 1), -EPERM, "unregister with another signature: EPERM");
  check_eq(sys_rseq(g, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG), 0, "unregister");
  check_eq(g->cpu_id, (uint32_t)RSEQ_CPU_ID_UNINITIALIZED, "cpu_id after unregister: -1");
  check_eq(sys_rseq(g, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG), -EINVAL, "unregister twice: EINVAL");
  check_eq(sys_rseq((char *)&mine + 8, 32, 0, RSEQ_SIG), -EINVAL, "misaligned: EINVAL");
  check_eq(sys_rseq(&mine, 31, 0, RSEQ_SIG), -EINVAL, "length 31: EINVAL");
  check_eq(sys_rseq(&mine, 64, 0, RSEQ_SIG), -EINVAL, "length 64 (6.1 knows 32 only): EINVAL");
  mine.cpu_id = 77;
  mine.cpu_id_start = 77;
  check_eq(sys_rseq(&mine, 32, 0, RSEQ_SIG), 0, "register our own area");
  check(mine.cpu_id == 0 && mine.cpu_id_start == 0, "cpu ids written before the return");
}

static void abort_on_signal(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_alarm;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  stop = 0;
  alarms = 0;
  /* 1 ms: before compat64's first host turn (10 ms), which preempts (and so aborts) as well. */
  start_timer(1000);
  int ab = spin_in_cs(&mine, &stop);
  stop_timer();
  check(ab == 1, "a signal aborts the critical section");
  check(saved_pc == (uintptr_t)cs_abort, "the signal frame saved abort_ip");
  check(mine.rseq_cs == 0, "rseq_cs cleared by the abort");
}


static void abort_on_preemption(void) {
  /* A busy child shares the one CPU: the parent's section is preempted within a slice or two. */
  pid_t busy = fork();
  if (busy == 0) {
    for (;;) __asm__ volatile("" ::: "memory");
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_alarm;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGALRM, &sa, NULL);
  stop = 0;
  alarms = 0;
  give_up_after = 1;
  alarm(5); /* fallback if nothing preempts */
  int ab = spin_in_cs(&mine, &stop);
  alarm(0);
  kill(busy, SIGKILL);
  waitpid(busy, NULL, 0);
  give_up_after = 20;
  check(ab == 1 && alarms == 0, "preemption aborts the critical section");
}

static void bad_signature(void) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_alarm;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGALRM, &sa, NULL);
    start_timer(20000);
    spin_bad_sig(&mine, &stop);
    _exit(3);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "a bad signature before abort_ip: SIGSEGV");
}

static void fork_and_exec(const char *self) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    int busy = sys_rseq(&mine, 32, 0, RSEQ_SIG) == -EBUSY;
    _exit(busy ? 0 : 1);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork keeps the registration");
  pid = fork();
  if (pid == 0) {
    execl(self, self, "exec", (char *)NULL);
    _exit(2);
  }
  waitpid(pid, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec starts unregistered (glibc registers again)");
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc > 1) return __rseq_size == 32 && glibc_area()->cpu_id == 0 ? 0 : 1;
  if (reference_run()) {
    /* qemu-aarch64: the registration fails and glibc runs without rseq. */
    printf("qemu: __rseq_size %u, rseq() = %ld\n", __rseq_size, sys_rseq(&mine, 32, 0, RSEQ_SIG));
    return 0;
  }
  registration();
  abort_on_signal();
  abort_on_preemption();
  bad_signature();
  fork_and_exec(argv[0]);
  if (failures == 0) printf("ALL PASSED\n");
  return failures != 0;
}
