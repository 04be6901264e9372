/*
 * Differential oracle for instruction tests: reads records from stdin, runs each record's instruction
 * word (copied into an executable buffer) on the record's register state, writes the state back.
 * Built static for aarch64 and run under qemu-aarch64 (or on real hardware).
 * Record (128 bytes, little-endian): u32 insn, u32 fpcr, u32 nzcv, u32 status (in: initial FPSR; out: 0 ok, 1 SIGILL),
 * u64 x[4], u8 q[4][16], u32 fpsr (out), u32 nzcv (out), 8 bytes pad.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct rec {
  uint32_t insn, fpcr, nzcv, status;
  uint64_t x[4];
  uint8_t q[4][16];
  uint32_t fpsr_out, nzcv_out;
  uint32_t pad[2];
};
struct state {
  uint32_t fpcr, nzcv, fpsr_in, pad;
  uint64_t x[4];
  uint8_t q[4][16];
  uint32_t fpsr, nzcv_out;
};

extern char tramp_start[], tramp_slot[], tramp_end[];
static sigjmp_buf jb;

static void on_ill(int sig) {
  (void)sig;
  siglongjmp(jb, 1);
}

int main(void) {
  size_t len = (size_t)(tramp_end - tramp_start);
  size_t slot = (size_t)(tramp_slot - tramp_start);
  char *buf = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (buf == MAP_FAILED) return 1;
  memcpy(buf, tramp_start, len);
  signal(SIGILL, on_ill);
  struct rec r;
  static struct state s;
  while (fread(&r, sizeof r, 1, stdin) == 1) {
    memcpy(buf + slot, &r.insn, 4);
    __builtin___clear_cache(buf, buf + len);
    s.fpcr = r.fpcr;
    s.nzcv = r.nzcv;
    s.fpsr_in = r.status;
    memcpy(s.x, r.x, sizeof s.x);
    memcpy(s.q, r.q, sizeof s.q);
    s.fpsr = 0;
    s.nzcv_out = 0;
    if (sigsetjmp(jb, 1) == 0) {
      ((void (*)(struct state *))buf)(&s);
      r.status = 0;
      memcpy(r.x, s.x, sizeof r.x);
      memcpy(r.q, s.q, sizeof r.q);
      r.fpsr_out = s.fpsr;
      r.nzcv_out = s.nzcv_out;
    } else {
      __asm__ volatile("msr fpcr, xzr");
      r.status = 1;
    }
    fwrite(&r, sizeof r, 1, stdout);
  }
  return 0;
}
