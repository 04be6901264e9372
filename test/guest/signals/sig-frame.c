/*
 * The arm64 signal frame as Linux builds it (setup_rt_frame). A handler entered through a small
 * assembly shim records x29, x30 and sp at entry, then checks: siginfo at sp, the ucontext 128
 * bytes above it, uc_flags/uc_link/uc_stack, the records of __reserved (fpsimd_context 528 bytes,
 * esr_context for faults with the ESR's exception class and WnR, the terminator), the frame record
 * pushed just above the frame, x29 pointing at it, x30 at the sigreturn trampoline (the vDSO's
 * `mov x8, #139; svc #0`, preceded by a nop, in [vdso]), and that the fault information stays in
 * later frames until the next fault (Linux keeps thread.fault_code). Checks qemu-aarch64 does not
 * reproduce are Linux-only (check_linux).
 */
#include <setjmp.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

struct entry {
  uint64_t fp, lr, sp;
};
struct entry entry_regs;

static volatile int sig_seen;
static volatile struct {
  int aligned, uc_after_info, flags_link, stack_zero, ss_flags_zero, fpsimd_first, pstate_ok, fault_addr_ok;
  int has_esr, esr_ec, esr_wnr, esr_il, terminator, record_ok, x29_ok, sp_ok, tramp_ok, tramp_nop;
  uint64_t fault_address, lr;
} F;

extern char store_insn[];
static int *volatile target;
static sigjmp_buf jb;

__attribute__((noinline)) static void store_word(volatile int *p, int v) {
  __asm__ volatile(".globl store_insn\nstore_insn: str %w1, [%0]\n" : : "r"(p), "r"(v) : "memory");
}

void c_handler(int sig, siginfo_t *si, void *ctx);
void c_handler(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  char *frame = (char *)si;
  sig_seen = sig;
  memset((void *)&F, 0, sizeof F);
  F.aligned = ((uintptr_t)frame & 15) == 0;
  F.sp_ok = entry_regs.sp == (uintptr_t)frame;
  F.uc_after_info = (char *)uc == frame + 128;
  F.flags_link = uc->uc_flags == 0 && uc->uc_link == NULL;
  F.stack_zero = uc->uc_stack.ss_sp == NULL && uc->uc_stack.ss_size == 0;
  F.ss_flags_zero = uc->uc_stack.ss_flags == 0;
  F.pstate_ok = (uc->uc_mcontext.pstate & 0x3df) == 0;
  F.fault_address = uc->uc_mcontext.fault_address;
  F.fault_addr_ok = sig != SIGSEGV || uc->uc_mcontext.fault_address == (uintptr_t)si->si_addr;
  uint32_t *head = (uint32_t *)uc->uc_mcontext.__reserved;
  F.fpsimd_first = head[0] == 0x46508001 && head[1] == 528;
  uint32_t *next = (uint32_t *)((char *)head + 528);
  if (next[0] == 0x45535201 && next[1] == 16) {
    uint64_t esr = *(uint64_t *)(next + 2);
    F.has_esr = 1;
    F.esr_ec = (int)(esr >> 26) & 0x3f;
    F.esr_wnr = (int)(esr >> 6) & 1;
    F.esr_il = (int)(esr >> 25) & 1;
    next += 4;
  }
  F.terminator = next[0] == 0 && next[1] == 0;
  uint64_t *record = (uint64_t *)(frame + 4688);
  F.record_ok = record[0] == uc->uc_mcontext.regs[29] && record[1] == uc->uc_mcontext.regs[30];
  F.x29_ok = entry_regs.fp == (uintptr_t)record;
  uint32_t *lr = (uint32_t *)entry_regs.lr;
  F.lr = entry_regs.lr;
  F.tramp_ok = lr[0] == 0xd2801168 && lr[1] == 0xd4000001;
  F.tramp_nop = lr[-1] == 0xd503201f;
  if (sig == SIGSEGV) siglongjmp(jb, 1);
  if (sig == SIGILL) uc->uc_mcontext.pc += 4;
}

void probe_handler(int, siginfo_t *, void *);
__asm__(
    ".text\n"
    ".global probe_handler\n"
    ".type probe_handler, %function\n"
    "probe_handler:\n"
    "  adrp x9, entry_regs\n"
    "  add x9, x9, :lo12:entry_regs\n"
    "  stp x29, x30, [x9]\n"
    "  mov x10, sp\n"
    "  str x10, [x9, #16]\n"
    "  b c_handler\n"
    ".size probe_handler, .-probe_handler\n");

/* The line of /proc/self/maps that holds addr. */
static int mapping_name(uint64_t addr, char *out, size_t n) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[512];
  out[0] = 0;
  while (f && fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && addr >= lo && addr < hi) {
      char *name = strrchr(line, ' ');
      snprintf(out, n, "%s", name ? name + 1 : "");
      out[strcspn(out, "\n")] = 0;
      fclose(f);
      return 1;
    }
  }
  if (f) fclose(f);
  return 0;
}

void restorer(void);
__asm__(
    ".text\n"
    ".global restorer\n"
    ".type restorer, %function\n"
    "restorer:\n"
    "  mov x8, #139\n"
    "  svc #0\n"
    ".size restorer, .-restorer\n");

struct ksigaction {
  void *handler;
  unsigned long flags;
  void *restorer;
  unsigned long mask;
};

int main(void) {
  install(SIGSEGV, (void (*)(int, siginfo_t *, void *))probe_handler, 0);
  install(SIGUSR1, (void (*)(int, siginfo_t *, void *))probe_handler, 0);
  install(SIGILL, (void (*)(int, siginfo_t *, void *))probe_handler, 0);

  /* A write fault. */
  target = (int *)0x40;
  if (sigsetjmp(jb, 1) == 0) store_word(target, 1);
  check_eq(sig_seen, SIGSEGV, "write fault: handler ran");
  check(F.aligned, "frame 16-byte aligned");
  check(F.sp_ok, "sp at handler entry is the frame (siginfo first)");
  check(F.uc_after_info, "ucontext 128 bytes above the siginfo");
  check(F.flags_link, "uc_flags 0, uc_link NULL");
  check(F.stack_zero, "uc_stack: no alternate stack");
  check_linux(F.ss_flags_zero, "uc_stack.ss_flags: the task's sas_ss_flags (0)");
  check(F.pstate_ok, "pstate: EL0t, AArch64, no DAIF bits");
  check(F.fault_addr_ok, "sigcontext.fault_address = si_addr");
  check(F.fpsimd_first, "__reserved starts with fpsimd_context, 528 bytes");
  check_linux(F.has_esr, "write fault: esr_context follows");
  check_linux(F.esr_ec == 0x24 && F.esr_il, "write fault: ESR is a data abort from EL0 (EC 0x24, IL)");
  check_linux(F.esr_wnr, "write fault: ESR.WnR set");
  check_linux(F.terminator, "terminator record right after the contexts");
  check(F.record_ok, "frame record above the frame: interrupted x29 and x30");
  check(F.x29_ok, "x29 at handler entry points at the frame record");
  check(F.tramp_ok, "x30 at handler entry: mov x8, #139; svc #0");
  check_linux(F.tramp_nop, "the trampoline is preceded by a nop (as the vDSO's)");
  char name[128];
  check_linux(mapping_name(F.lr, name, sizeof name) && strcmp(name, "[vdso]") == 0, "the trampoline lies in [vdso]");

  /* A later signal's frame still carries the last fault (thread.fault_code and fault_address). */
  raise(SIGUSR1);
  check_eq(sig_seen, SIGUSR1, "raise: handler ran");
  check_linux(F.has_esr && F.esr_wnr, "a later frame keeps the last fault's esr_context");
  check_linux(F.fault_address == 0x40, "a later frame keeps the last fault_address");
  check_linux(F.terminator, "raise: terminator record");

  /* A read fault: WnR clear. */
  target = (int *)0x80;
  if (sigsetjmp(jb, 1) == 0) {
    volatile int x = *target;
    (void)x;
  }
  check_linux(F.has_esr && F.esr_ec == 0x24 && !F.esr_wnr, "read fault: ESR.WnR clear");

  /* SIGILL: force_signal_inject clears the fault information. */
  __asm__ volatile(".inst 0x00000000");
  check_eq(sig_seen, SIGILL, "undefined instruction: handler ran");
  check_linux(!F.has_esr, "SIGILL frame: no esr_context");
  check_linux(F.fault_address == 0, "SIGILL frame: fault_address 0");
  raise(SIGUSR1);
  check_linux(!F.has_esr, "after SIGILL: no esr_context in later frames");

  /* SA_RESTORER: x30 is the given restorer. */
  struct ksigaction ka = {(void *)probe_handler, SA_SIGINFO | 0x04000000, (void *)restorer, 0};
  check_eq(syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 8), 0, "rt_sigaction with SA_RESTORER");
  raise(SIGUSR1);
  check(F.lr == (uintptr_t)restorer, "SA_RESTORER: x30 is sa_restorer");
  check_eq(sig_seen, SIGUSR1, "SA_RESTORER: returned through the program's own restorer");
  return finish();
}
