/*
 * Guest harness of the differential tester (test/diff/README.md), built static and freestanding for
 * aarch64 and run under qemu-aarch64. For every case read from stdin it loads the register state and
 * the sandbox, copies the instruction sequence to CODE_ADDR followed by BRK #0, and jumps there with
 * every register (X0-X30, SP, NZCV, FPCR, FPSR, TPIDR_EL0, V0-V31) holding the case's values. The
 * sequence ends in a signal — SIGTRAP from the final BRK, or SIGILL/SIGSEGV/SIGBUS/SIGFPE part-way —
 * and the handler (on an alternate stack, since SP is test data) takes the state from the signal
 * frame, so no register is spent on the harness. The handler then resumes the harness's loop.
 * No libc: the guest only needs read, write, mmap, sigaltstack, rt_sigaction and exit_group.
 */
#include "layout.h"

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long u64;

/* harness.S: jumps into the sequence (never returns normally) and the resume point. */
extern void enter_case(const u8 *state);
extern void resume_case(void);
extern u64 harness_sp;

static long syscall6(long nr, long a, long b, long c, long d, long e, long f) {
  register long x8 __asm__("x8") = nr;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  register long x5 __asm__("x5") = f;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
  return x0;
}

#define SYS_read 63
#define SYS_write 64
#define SYS_exit_group 94
#define SYS_sigaltstack 132
#define SYS_rt_sigaction 134
#define SYS_rt_sigreturn 139
#define SYS_mmap 222

static void copy(u8 *d, const u8 *s, u64 n) {
  for (u64 i = 0; i < n; i++) d[i] = s[i];
}

static void zero(u8 *d, u64 n) {
  for (u64 i = 0; i < n; i++) d[i] = 0;
}

static void die(int code) {
  syscall6(SYS_exit_group, code, 0, 0, 0, 0, 0);
  for (;;) {
  }
}

/* Reads exactly n bytes; returns 0 at a clean end of input before the first byte. */
static int read_full(u8 *p, u64 n) {
  u64 got = 0;
  while (got < n) {
    long r = syscall6(SYS_read, 0, (long)(p + got), (long)(n - got), 0, 0, 0);
    if (r <= 0) {
      if (got == 0 && r == 0) return 0;
      die(3);
    }
    got += (u64)r;
  }
  return 1;
}

static u8 outbuf[1 << 20];
static u64 outlen;

static void flush(void) {
  u64 off = 0;
  while (off < outlen) {
    long r = syscall6(SYS_write, 1, (long)(outbuf + off), (long)(outlen - off), 0, 0, 0);
    if (r <= 0) die(4);
    off += (u64)r;
  }
  outlen = 0;
}

static u8 *out_reserve(u64 n) {
  if (outlen + n > sizeof outbuf) flush();
  u8 *p = outbuf + outlen;
  outlen += n;
  return p;
}

static void put64(u8 *p, u64 v) {
  for (int i = 0; i < 8; i++) p[i] = (u8)(v >> (8 * i));
}

static void put32(u8 *p, u32 v) {
  for (int i = 0; i < 4; i++) p[i] = (u8)(v >> (8 * i));
}

static u32 get32(const u8 *p) {
  return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24);
}

/* The result of the running case, filled by the signal handler. */
static u8 result[RESULT_SIZE + STATE_SIZE];
static u8 state_in[STATE_SIZE] __attribute__((aligned(16)));

/* Offsets in the arm64 struct ucontext / struct sigcontext (arch/arm64/include/uapi/asm/sigcontext.h). */
#define UC_MCONTEXT 176
#define SC_FAULT_ADDRESS (UC_MCONTEXT + 0)
#define SC_REGS (UC_MCONTEXT + 8)
#define SC_SP (UC_MCONTEXT + 256)
#define SC_PC (UC_MCONTEXT + 264)
#define SC_PSTATE (UC_MCONTEXT + 272)
#define SC_RESERVED (UC_MCONTEXT + 288)
#define FPSIMD_MAGIC 0x46508001u

static void on_signal(int sig, void *info, void *ucv) {
  u8 *uc = (u8 *)ucv;
  u8 *si = (u8 *)info;
  u8 *r = result;
  put32(r + 0, (u32)sig);
  put32(r + 4, get32(si + 8)); /* si_code */
  put64(r + 8, *(u64 *)(uc + SC_PC));
  put64(r + 16, *(u64 *)(si + 16)); /* si_addr */
  put64(r + 24, 0);
  u8 *st = r + RESULT_SIZE;
  copy(st + ST_X, uc + SC_REGS, 31 * 8);
  put64(st + ST_SP, *(u64 *)(uc + SC_SP));
  put64(st + ST_NZCV, *(u64 *)(uc + SC_PSTATE) & 0xf0000000UL);
  u64 tpidr;
  __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tpidr));
  put64(st + ST_TPIDR, tpidr);
  /* Walk the __reserved records for the FP/SIMD context. */
  u8 *rec = uc + SC_RESERVED;
  put64(st + ST_FPCR, ~0UL);
  for (int guard = 0; guard < 64; guard++) {
    u32 magic = get32(rec);
    u32 size = get32(rec + 4);
    if (magic == 0 || size == 0) break;
    if (magic == FPSIMD_MAGIC) {
      put64(st + ST_FPSR, get32(rec + 8));
      put64(st + ST_FPCR, get32(rec + 12));
      copy(st + ST_V, rec + 16, 512);
      break;
    }
    rec += size;
  }
  /* Back to the harness loop, on the harness's own stack. */
  *(u64 *)(uc + SC_PC) = (u64)resume_case;
  *(u64 *)(uc + SC_SP) = harness_sp;
}

extern void sigreturn_trampoline(void);

static u8 altstack[65536] __attribute__((aligned(16)));

static void setup_signals(void) {
  u64 ss[3] = {(u64)altstack, 0, sizeof altstack};
  if (syscall6(SYS_sigaltstack, (long)ss, 0, 0, 0, 0, 0) != 0) die(5);
  /* struct sigaction (kernel): handler, flags, restorer, mask. SA_SIGINFO | SA_ONSTACK | SA_RESTORER. */
  u64 act[4] = {(u64)on_signal, 0x0c000004UL, (u64)sigreturn_trampoline, 0};
  static const int sigs[] = {4, 5, 7, 8, 11};
  for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    if (syscall6(SYS_rt_sigaction, sigs[i], (long)act, 0, 8, 0, 0) != 0) die(6);
}

static void map_fixed(u64 addr, u64 len, int prot) {
  /* MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED */
  long r = syscall6(SYS_mmap, (long)addr, (long)len, prot, 0x32, -1, 0);
  if ((u64)r != addr) die(7);
}

static u8 header[HEADER_SIZE];

void harness_main(void) {
  setup_signals();
  map_fixed(CODE_ADDR, CODE_SIZE, 7);
  map_fixed(SANDBOX_ADDR, SANDBOX_SIZE, 3);
  u8 *code = (u8 *)CODE_ADDR;
  u8 *sandbox = (u8 *)SANDBOX_ADDR;
  while (read_full(header, HEADER_SIZE)) {
    if (get32(header) != CASE_MAGIC) die(8);
    u32 ninsn = get32(header + 4);
    u32 sblen = get32(header + 8);
    if (ninsn * 4 + 4 > CODE_SIZE || (sblen != 0 && sblen != SANDBOX_SIZE)) die(9);
    read_full(state_in, STATE_SIZE);
    if (sblen) read_full(sandbox, sblen);
    zero(code, CODE_SIZE);
    read_full(code, (u64)ninsn * 4);
    put32(code + ninsn * 4, 0xd4200000u); /* brk #0 */
    zero(result, sizeof result);
    enter_case(state_in);
    /* resume_case returns here after the signal handler ran. */
    u8 *o = out_reserve(RESULT_SIZE + STATE_SIZE + sblen);
    copy(o, result, RESULT_SIZE + STATE_SIZE);
    if (sblen) copy(o + RESULT_SIZE + STATE_SIZE, sandbox, sblen);
  }
  flush();
  die(0);
}
