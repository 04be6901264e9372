/*
 * SIGSEGV delivered to handlers: si_code and si_addr for unmapped and protected memory, the saved
 * pc naming the faulting instruction, a handler that repairs the mapping and returns (the access is
 * retried), instruction fetch faults, siglongjmp out of a handler, the mask inside a handler.
 */
#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

static sigjmp_buf jb;
static volatile int hits;
static volatile int last_code;
static void *volatile last_addr;
static volatile uintptr_t last_pc;
static volatile uintptr_t last_fault_address;
static volatile int segv_blocked_inside;
static volatile int usr1_blocked_inside;
/* When set, the handler makes this page writable and returns instead of jumping out. */
static void *volatile repair_page;

/* A store at a known address, so the handler can check the pc it was given. */
extern char store_insn[];
__attribute__((noinline)) static void store_word(volatile int *p, int v) {
  __asm__ volatile(
      ".globl store_insn\n"
      "store_insn: str %w1, [%0]\n"
      :
      : "r"(p), "r"(v)
      : "memory");
}

extern char load_insn[];
__attribute__((noinline)) static int load_word(volatile int *p) {
  int v;
  __asm__ volatile(
      ".globl load_insn\n"
      "load_insn: ldr %w0, [%1]\n"
      : "=r"(v)
      : "r"(p)
      : "memory");
  return v;
}

static void on_segv(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  segv_blocked_inside = sigismember(&cur, SIGSEGV);
  usr1_blocked_inside = sigismember(&cur, SIGUSR1);
  hits++;
  last_code = si->si_code;
  last_addr = si->si_addr;
  last_pc = uc->uc_mcontext.pc;
  last_fault_address = uc->uc_mcontext.fault_address;
  if (sig != SIGSEGV || si->si_signo != SIGSEGV) _exit(3);
  if (repair_page != NULL) {
    mprotect(repair_page, 4096, PROT_READ | PROT_WRITE);
    repair_page = NULL;
    return;
  }
  siglongjmp(jb, 1);
}

static void reset(void) {
  hits = 0;
  last_code = 0;
  last_addr = NULL;
  last_pc = 0;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGUSR1);
  check(sigaction(SIGSEGV, &sa, NULL) == 0, "sigaction SIGSEGV");

  /* Unmapped address: SEGV_MAPERR at exactly that address, pc at the store. */
  reset();
  if (sigsetjmp(jb, 1) == 0) store_word((volatile int *)0x18, 1);
  check_eq(hits, 1, "store to unmapped: handler ran once");
  check_eq(last_code, SEGV_MAPERR, "store to unmapped: SEGV_MAPERR");
  check(last_addr == (void *)0x18, "store to unmapped: si_addr");
  check(last_pc == (uintptr_t)store_insn, "store to unmapped: saved pc is the store");
  check(last_fault_address == 0x18, "store to unmapped: sigcontext.fault_address");
  check(segv_blocked_inside, "SIGSEGV blocked inside its handler");
  check(usr1_blocked_inside, "sa_mask (SIGUSR1) blocked inside the handler");
  sigset_t after;
  sigprocmask(SIG_BLOCK, NULL, &after);
  check(!sigismember(&after, SIGSEGV) && !sigismember(&after, SIGUSR1), "siglongjmp(…, 1) restored the mask");

  /* Read-only page: SEGV_ACCERR. */
  char *ro = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  reset();
  if (sigsetjmp(jb, 1) == 0) store_word((volatile int *)(ro + 4100), 2);
  check_eq(last_code, SEGV_ACCERR, "store to read-only: SEGV_ACCERR");
  check(last_addr == ro + 4100, "store to read-only: si_addr");

  /* PROT_NONE: a load faults with SEGV_ACCERR too. */
  char *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  reset();
  if (sigsetjmp(jb, 1) == 0) load_word((volatile int *)(none + 8));
  check_eq(last_code, SEGV_ACCERR, "load from PROT_NONE: SEGV_ACCERR");
  check(last_addr == none + 8, "load from PROT_NONE: si_addr");
  check(last_pc == (uintptr_t)load_insn, "load from PROT_NONE: saved pc is the load");

  /* A handler that repairs the page and returns: the store runs again and succeeds. */
  reset();
  repair_page = ro;
  store_word((volatile int *)(ro + 16), 77);
  check_eq(hits, 1, "repairing handler ran once");
  check_eq(*(volatile int *)(ro + 16), 77, "the store was retried after the handler returned");

  /* Instruction fetch from a page without PROT_EXEC: SEGV_ACCERR at the page, pc there. */
  uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  code[0] = 0xd65f03c0; /* ret */
  reset();
  if (sigsetjmp(jb, 1) == 0) ((void (*)(void))code)();
  check_eq(last_code, SEGV_ACCERR, "jump to non-executable page: SEGV_ACCERR");
  check(last_addr == code, "jump to non-executable page: si_addr");
  check(last_pc == (uintptr_t)code, "jump to non-executable page: saved pc");

  /* Jump into nothing: SEGV_MAPERR. */
  reset();
  if (sigsetjmp(jb, 1) == 0) ((void (*)(void))0x7000)();
  check_eq(last_code, SEGV_MAPERR, "jump to unmapped address: SEGV_MAPERR");
  check(last_addr == (void *)0x7000, "jump to unmapped address: si_addr");

  /* munmap, then touch: SEGV_MAPERR. */
  munmap(ro, 8192);
  reset();
  if (sigsetjmp(jb, 1) == 0) load_word((volatile int *)(ro + 100));
  check_eq(last_code, SEGV_MAPERR, "load from unmapped-again page: SEGV_MAPERR");

  /* The handler stays installed (no SA_RESETHAND): a second fault runs it again. */
  reset();
  if (sigsetjmp(jb, 1) == 0) store_word((volatile int *)0x20, 3);
  if (sigsetjmp(jb, 1) == 0) store_word((volatile int *)0x28, 4);
  check_eq(hits, 2, "two faults, two handler runs");
  return finish();
}
