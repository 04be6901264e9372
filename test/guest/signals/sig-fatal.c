/*
 * Ways to die of a signal, one per run (argv[1] names it): the test compares the exit status (128 +
 * signal through the CLI) and the lines printed before death with qemu-aarch64.
 *   blocked-segv     a fault while SIGSEGV is blocked: force_sig unblocks it and resets the handler
 *   ignored-segv     a fault while SIGSEGV is ignored: the same, death by SIGSEGV
 *   segv-in-handler  a fault inside the SIGSEGV handler (SIGSEGV blocked there)
 *   abort            abort(): SIGABRT (134)
 *   abort-handler    abort() with a SIGABRT handler that returns: the handler runs, then death
 *   trap             __builtin_trap (BRK): SIGTRAP (133)
 *   ill              an undefined instruction: SIGILL (132)
 *   bus              a misaligned exclusive load: SIGBUS (135)
 *   kill-term        kill(getpid(), SIGTERM): 143
 *   sigkill          raise(SIGKILL), even with SIGKILL "blocked": 137
 *   resethand        SA_RESETHAND: the first SIGUSR1 runs the handler, the second kills (138)
 *   rt-default       a real-time signal's default action terminates (SIGRTMIN+2, 128+36)
 *   exit-in-handler  _exit(7) from a handler
 *   bad-fpsimd       a handler that breaks the fpsimd record: rt_sigreturn's bad frame is SIGSEGV
 *   alarm-spin       alarm(1) while computing: SIGALRM's default action (142)
 *   alarm-sleep      alarm(1) during sleep(10): woken and killed after ~1 s
 *   ignored-usr1     SIGUSR1 ignored: raise returns, exit 0
 */
#include <stdint.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

/* A pointer the compiler cannot see through, so a store to it is not folded away or flagged. */
static int *volatile bad_ptr = (int *)0x10;

static void say(const char *s) {
  printf("%s\n", s);
  fflush(stdout);
}

static void segv_again(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)si, (void)uc;
  say("in SIGSEGV handler, faulting again");
  *bad_ptr = 2;
}

static void count_handler(int sig, siginfo_t *si, void *uc) {
  (void)si, (void)uc;
  printf("handler for %d\n", sig);
  fflush(stdout);
}

static void exit_handler(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)si, (void)uc;
  say("exiting from the handler");
  _exit(7);
}

/* Finds the fpsimd record in the frame and corrupts its size: sigreturn must refuse the frame. */
static void break_fpsimd(int sig, siginfo_t *si, void *ctx) {
  (void)sig, (void)si;
  ucontext_t *uc = ctx;
  uint32_t *head = (uint32_t *)uc->uc_mcontext.__reserved;
  if (head[0] == 0x46508001) head[1] = 16;
  say("fpsimd record broken");
}

static void spin(void) {
  for (volatile unsigned long i = 0;; i++) {
  }
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  say(mode);
  if (strcmp(mode, "blocked-segv") == 0) {
    install(SIGSEGV, count_handler, 0);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGSEGV);
    sigprocmask(SIG_BLOCK, &s, NULL);
    *bad_ptr = 1;
  } else if (strcmp(mode, "ignored-segv") == 0) {
    signal(SIGSEGV, SIG_IGN);
    *bad_ptr = 1;
  } else if (strcmp(mode, "segv-in-handler") == 0) {
    install(SIGSEGV, segv_again, 0);
    *bad_ptr = 1;
  } else if (strcmp(mode, "abort") == 0) {
    abort();
  } else if (strcmp(mode, "abort-handler") == 0) {
    install(SIGABRT, count_handler, 0);
    abort();
  } else if (strcmp(mode, "trap") == 0) {
    __builtin_trap();
  } else if (strcmp(mode, "ill") == 0) {
    __asm__ volatile(".inst 0x00000000");
  } else if (strcmp(mode, "bus") == 0) {
    static long words[4];
    long v;
    __asm__ volatile("ldxr %0, [%1]" : "=r"(v) : "r"((char *)words + 4) : "memory");
    printf("loaded %ld\n", v);
  } else if (strcmp(mode, "kill-term") == 0) {
    kill(getpid(), SIGTERM);
  } else if (strcmp(mode, "sigkill") == 0) {
    sigset_t s;
    sigfillset(&s);
    sigprocmask(SIG_BLOCK, &s, NULL);
    raise(SIGKILL);
  } else if (strcmp(mode, "resethand") == 0) {
    install(SIGUSR1, count_handler, SA_RESETHAND);
    raise(SIGUSR1);
    say("after the first SIGUSR1");
    raise(SIGUSR1);
  } else if (strcmp(mode, "rt-default") == 0) {
    raise(SIGRTMIN + 2);
  } else if (strcmp(mode, "exit-in-handler") == 0) {
    install(SIGUSR2, exit_handler, 0);
    raise(SIGUSR2);
  } else if (strcmp(mode, "bad-fpsimd") == 0) {
    install(SIGUSR1, break_fpsimd, 0);
    raise(SIGUSR1);
  } else if (strcmp(mode, "alarm-spin") == 0) {
    alarm(1);
    spin();
  } else if (strcmp(mode, "alarm-sleep") == 0) {
    alarm(1);
    sleep(10);
  } else if (strcmp(mode, "ignored-usr1") == 0) {
    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    say("survived");
    return 0;
  } else {
    say("unknown mode");
    return 2;
  }
  say("FAIL still alive");
  return 1;
}
