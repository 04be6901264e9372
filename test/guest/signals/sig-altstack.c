/*
 * sigaltstack: argument checks, SA_ONSTACK handlers running on the alternate stack, SS_ONSTACK
 * reported while on it (and EPERM for changing it then), uc_stack in the frame, a stack overflow
 * caught on the alternate stack, SS_DISABLE and SS_AUTODISARM.
 */
#include <setjmp.h>
#include <stdint.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

#define ALT_SIZE (64 * 1024)
static char *alt;
static volatile uintptr_t handler_local;
static volatile int query_flags;
static volatile int change_errno;
static volatile uintptr_t frame_ss_sp;
static volatile size_t frame_ss_size;
static volatile int frame_ss_flags;
static sigjmp_buf jb;

static int on_alt(uintptr_t p) {
  return p >= (uintptr_t)alt && p < (uintptr_t)alt + ALT_SIZE;
}

static void on_usr1(int sig, siginfo_t *si, void *ctx) {
  (void)sig, (void)si;
  ucontext_t *uc = ctx;
  volatile int local = 0;
  handler_local = (uintptr_t)&local;
  stack_t cur;
  sigaltstack(NULL, &cur);
  query_flags = cur.ss_flags;
  stack_t again = {.ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0};
  errno = 0;
  change_errno = sigaltstack(&again, NULL) == 0 ? 0 : errno;
  frame_ss_sp = (uintptr_t)uc->uc_stack.ss_sp;
  frame_ss_size = uc->uc_stack.ss_size;
  frame_ss_flags = uc->uc_stack.ss_flags;
}

static void on_segv(int sig, siginfo_t *si, void *ctx) {
  (void)sig, (void)si, (void)ctx;
  volatile int local = 0;
  handler_local = (uintptr_t)&local;
  siglongjmp(jb, 1);
}

/* Recurses until the stack runs out (the depth limit is never reached first). */
static volatile long depth_limit = 1L << 40;
__attribute__((noinline)) static int recurse(volatile char *prev, long depth) {
  volatile char buf[256];
  buf[0] = prev ? prev[0] + 1 : 0;
  if (depth >= depth_limit) return buf[0];
  return recurse(buf, depth + 1) + buf[1];
}

int main(void) {
  stack_t ss, old;
  check(sigaltstack(NULL, &old) == 0, "query with no alternate stack");
  check_eq(old.ss_flags, SS_DISABLE, "initially SS_DISABLE");
  check(old.ss_sp == NULL && old.ss_size == 0, "initially no stack");

  alt = malloc(ALT_SIZE);
  ss.ss_sp = alt;
  ss.ss_flags = 0;
  ss.ss_size = 1024;
  errno = 0;
  check(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM, "size below MINSIGSTKSZ: ENOMEM");
  ss.ss_size = ALT_SIZE;
  ss.ss_flags = 4;
  errno = 0;
  check(sigaltstack(&ss, NULL) == -1 && errno == EINVAL, "unknown flags: EINVAL");
  ss.ss_flags = 0;
  check(sigaltstack(&ss, &old) == 0, "install a 64 KiB alternate stack");
  check_eq(old.ss_flags, SS_DISABLE, "old value: SS_DISABLE");
  check(sigaltstack(NULL, &old) == 0 && old.ss_sp == alt && old.ss_size == ALT_SIZE && old.ss_flags == 0,
        "query: the new stack, flags 0 while not on it");

  /* Without SA_ONSTACK the handler runs on the normal stack. */
  install(SIGUSR1, on_usr1, 0);
  raise(SIGUSR1);
  check(!on_alt(handler_local), "no SA_ONSTACK: handler on the normal stack");
  check_eq(query_flags, 0, "no SA_ONSTACK: sigaltstack reports 0");

  /* With SA_ONSTACK it runs on the alternate stack. */
  install(SIGUSR1, on_usr1, SA_ONSTACK);
  raise(SIGUSR1);
  check(on_alt(handler_local), "SA_ONSTACK: handler on the alternate stack");
  check_eq(query_flags, SS_ONSTACK, "SA_ONSTACK: sigaltstack reports SS_ONSTACK");
  check_eq(change_errno, EPERM, "changing the stack while on it: EPERM");
  check(frame_ss_sp == (uintptr_t)alt && frame_ss_size == ALT_SIZE, "uc_stack holds the alternate stack");
  check_eq(frame_ss_flags, 0, "uc_stack.ss_flags");
  check(sigaltstack(NULL, &old) == 0 && old.ss_flags == 0, "back on the normal stack: flags 0 again");

  /* A stack overflow cannot run its handler on the overflowing stack. */
  install(SIGSEGV, on_segv, SA_ONSTACK);
  handler_local = 0;
  if (sigsetjmp(jb, 1) == 0) recurse(NULL, 0);
  check(on_alt(handler_local), "stack overflow: SIGSEGV handled on the alternate stack");

  /*
   * SS_AUTODISARM: the stack is disarmed while the handler runs and comes back with sigreturn.
   * (qemu-aarch64 7.2 refuses the flag: Linux-only checks.)
   */
  ss.ss_flags = SS_AUTODISARM;
  check_linux(sigaltstack(&ss, NULL) == 0, "install with SS_AUTODISARM");
  check_linux(sigaltstack(NULL, &old) == 0 && (unsigned)old.ss_flags == SS_AUTODISARM, "query shows SS_AUTODISARM");
  raise(SIGUSR1);
  check(on_alt(handler_local), "SS_AUTODISARM: handler on the alternate stack");
  check_linux(query_flags == SS_DISABLE, "SS_AUTODISARM: disarmed inside the handler");
  check_linux(change_errno == 0, "SS_AUTODISARM: the stack may be changed inside the handler");
  check_linux(sigaltstack(NULL, &old) == 0 && old.ss_sp == alt && (unsigned)old.ss_flags == SS_AUTODISARM,
        "SS_AUTODISARM: armed again after the handler returned");

  /* SS_DISABLE. */
  ss.ss_flags = SS_DISABLE;
  check(sigaltstack(&ss, NULL) == 0, "disable");
  check(sigaltstack(NULL, &old) == 0 && old.ss_flags == SS_DISABLE && old.ss_size == 0, "disabled: SS_DISABLE");
  raise(SIGUSR1);
  check(!on_alt(handler_local), "disabled: SA_ONSTACK handler on the normal stack");
  return finish();
}
