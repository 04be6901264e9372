/*
 * The other synchronous signals, each caught by a handler that checks si_code, si_addr and the saved
 * pc and then resumes after the instruction: SIGTRAP from BRK and __builtin_trap (TRAP_BRKPT, si_addr
 * = pc), SIGILL from an undefined instruction and HLT (ILL_ILLOPC), SIGBUS from a misaligned
 * exclusive load and a misaligned branch target (BUS_ADRALN) and from a file mapping past its end
 * (BUS_ADRERR). Integer division by zero raises nothing on arm64.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

#ifndef TRAP_BRKPT
#define TRAP_BRKPT 1
#endif

static volatile int got_sig, got_code;
static volatile uintptr_t got_addr, got_pc;
/* Where the handler resumes: 0 = the next instruction, else this address; or a siglongjmp. */
static volatile uintptr_t resume_at;
static volatile int jump_out;
static sigjmp_buf jb;

static void handler(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  got_sig = sig;
  got_code = si->si_code;
  got_addr = (uintptr_t)si->si_addr;
  got_pc = uc->uc_mcontext.pc;
  if (jump_out) siglongjmp(jb, 1);
  /* Only a fault stops on its instruction; a sent signal already resumes after its syscall. */
  if (si->si_code > 0) uc->uc_mcontext.pc = resume_at != 0 ? resume_at : uc->uc_mcontext.pc + 4;
}

static void reset(void) {
  got_sig = got_code = 0;
  got_addr = got_pc = 0;
  resume_at = 0;
  jump_out = 0;
}

extern char brk_insn[], trap_after[], udf_insn[], hlt_insn[], ldxr_insn[], br_insn[], br_back[];

int main(void) {
  install(SIGTRAP, handler, 0);
  install(SIGILL, handler, 0);
  install(SIGBUS, handler, 0);
  install(SIGFPE, handler, 0);

  reset();
  __asm__ volatile(".globl brk_insn\nbrk_insn: brk #0x7\n");
  check_eq(got_sig, SIGTRAP, "brk: SIGTRAP");
  check_eq(got_code, TRAP_BRKPT, "brk: TRAP_BRKPT");
  check(got_addr == (uintptr_t)brk_insn && got_pc == (uintptr_t)brk_insn, "brk: si_addr and pc are the BRK");

  /* __builtin_trap does not return (the compiler puts nothing usable after it): jump out. */
  reset();
  jump_out = 1;
  if (sigsetjmp(jb, 1) == 0) __builtin_trap();
  check(got_sig == SIGTRAP && got_code == TRAP_BRKPT && got_addr == got_pc, "__builtin_trap: SIGTRAP at its pc");
  check_eq(*(uint32_t *)got_pc, 0xd4207d00, "__builtin_trap is BRK #0x3e8");

  reset();
  __asm__ volatile(".globl udf_insn\nudf_insn: .inst 0x00000000\n");
  check_eq(got_sig, SIGILL, "undefined instruction: SIGILL");
  /* qemu-aarch64 reports ILL_ILLOPN; Linux's do_el0_undef sends ILL_ILLOPC. */
  check_linux(got_code == ILL_ILLOPC, "undefined instruction: ILL_ILLOPC");
  check(got_addr == (uintptr_t)udf_insn && got_pc == (uintptr_t)udf_insn, "undefined instruction: si_addr and pc");

  reset();
  __asm__ volatile(".globl hlt_insn\nhlt_insn: hlt #0\n");
  check(got_sig == SIGILL && got_addr == (uintptr_t)hlt_insn, "hlt: SIGILL at the HLT");
  check_linux(got_code == ILL_ILLOPC, "hlt: ILL_ILLOPC");

  static uint64_t words[4];
  uint64_t v;
  reset();
  __asm__ volatile(".globl ldxr_insn\nldxr_insn: ldxr %0, [%1]\n" : "=r"(v) : "r"((char *)words + 4) : "memory");
  check_eq(got_sig, SIGBUS, "misaligned ldxr: SIGBUS");
  check_eq(got_code, BUS_ADRALN, "misaligned ldxr: BUS_ADRALN");
  check(got_addr == (uintptr_t)words + 4, "misaligned ldxr: si_addr is the address");
  check(got_pc == (uintptr_t)ldxr_insn, "misaligned ldxr: pc is the load");

  reset();
  resume_at = (uintptr_t)br_back;
  __asm__ volatile(
      "adr x9, br_back\n"
      "add x9, x9, #2\n"
      ".globl br_insn\nbr_insn: br x9\n"
      "brk #1\n"
      ".globl br_back\nbr_back:\n"
      :
      :
      : "x9", "memory");
  check_eq(got_sig, SIGBUS, "branch to a misaligned address: SIGBUS");
  check_eq(got_code, BUS_ADRALN, "branch to a misaligned address: BUS_ADRALN");
  check(got_addr == (uintptr_t)br_back + 2, "branch to a misaligned address: si_addr is the target");
  check(got_pc == (uintptr_t)br_back + 2, "branch to a misaligned address: pc is the target");

  /* A file mapping past the end of its file. */
  char path[] = "/tmp/sig-traps-XXXXXX";
  int fd = mkstemp(path);
  if (write(fd, "0123456789", 10) != 10) check(0, "write the file");
  char *m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
  unlink(path);
  reset();
  jump_out = 1;
  volatile char c = 0;
  if (sigsetjmp(jb, 1) == 0) c = m[4096 + 12];
  (void)c;
  check_eq(got_sig, SIGBUS, "read past the end of a mapped file: SIGBUS");
  check_eq(got_code, BUS_ADRERR, "read past the end of a mapped file: BUS_ADRERR");
  check(got_addr == (uintptr_t)m + 4096 + 12, "read past the end of a mapped file: si_addr");
  check(m[3] == '3', "the page with file data reads fine");
  close(fd);

  /* arm64 raises nothing for integer division by zero: the quotient is 0. */
  reset();
  volatile int num = 7, den = 0;
  int q = num / den;
  check(q == 0 && got_sig == 0, "integer division by zero: 0, no SIGFPE");
  reset();
  raise(SIGFPE);
  check(got_sig == SIGFPE && got_code == SI_TKILL, "raise(SIGFPE) reaches its handler");
  return finish();
}
