/*
 * rt_sigreturn restores the whole user state: an assembly probe loads x0–x30, v0–v31, FPCR, FPSR
 * and NZCV with patterns, sends itself SIGUSR1 with a bare tkill SVC, and stores every register
 * after the call. The handler checks the frame (sigcontext and fpsimd_context hold the patterns),
 * then clobbers the registers (all 128 bits of the V registers, FPCR, NZCV); after sigreturn the
 * probe must see its patterns again. A second handler edits the frame instead, and the edits must
 * take effect.
 */
#include <stdint.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

struct probe {
  uint64_t x[31];
  uint8_t v[32][16];
  uint64_t fpcr, nzcv, fpsr;
  uint64_t ox[31];
  uint8_t ov[32][16];
  uint64_t ofpcr, onzcv, ofpsr;
};
_Static_assert(__builtin_offsetof(struct probe, fpcr) == 760, "probe layout");
_Static_assert(__builtin_offsetof(struct probe, ox) == 784, "probe layout");

void regs_probe(struct probe *p);
extern char probe_after_svc[];

__asm__(
    ".text\n"
    ".global regs_probe\n"
    ".type regs_probe, %function\n"
    "regs_probe:\n"
    "  stp x29, x30, [sp, #-176]!\n"
    "  mov x29, sp\n"
    "  stp x19, x20, [sp, #16]\n"
    "  stp x21, x22, [sp, #32]\n"
    "  stp x23, x24, [sp, #48]\n"
    "  stp x25, x26, [sp, #64]\n"
    "  stp x27, x28, [sp, #80]\n"
    "  stp d8, d9, [sp, #96]\n"
    "  stp d10, d11, [sp, #112]\n"
    "  stp d12, d13, [sp, #128]\n"
    "  stp d14, d15, [sp, #144]\n"
    "  str x0, [sp, #160]\n"
    "  add x1, x0, #248\n"
    "  ld1 {v0.16b-v3.16b}, [x1], #64\n"
    "  ld1 {v4.16b-v7.16b}, [x1], #64\n"
    "  ld1 {v8.16b-v11.16b}, [x1], #64\n"
    "  ld1 {v12.16b-v15.16b}, [x1], #64\n"
    "  ld1 {v16.16b-v19.16b}, [x1], #64\n"
    "  ld1 {v20.16b-v23.16b}, [x1], #64\n"
    "  ld1 {v24.16b-v27.16b}, [x1], #64\n"
    "  ld1 {v28.16b-v31.16b}, [x1], #64\n"
    "  ldr x2, [x0, #760]\n"
    "  msr fpcr, x2\n"
    "  ldr x2, [x0, #776]\n"
    "  msr fpsr, x2\n"
    "  ldr x2, [x0, #768]\n"
    "  msr nzcv, x2\n"
    "  ldp x2, x3, [x0, #16]\n"
    "  ldp x4, x5, [x0, #32]\n"
    "  ldp x6, x7, [x0, #48]\n"
    "  ldp x8, x9, [x0, #64]\n"
    "  ldp x10, x11, [x0, #80]\n"
    "  ldp x12, x13, [x0, #96]\n"
    "  ldp x14, x15, [x0, #112]\n"
    "  ldp x16, x17, [x0, #128]\n"
    "  ldp x18, x19, [x0, #144]\n"
    "  ldp x20, x21, [x0, #160]\n"
    "  ldp x22, x23, [x0, #176]\n"
    "  ldp x24, x25, [x0, #192]\n"
    "  ldp x26, x27, [x0, #208]\n"
    "  ldp x28, x29, [x0, #224]\n"
    "  ldr x30, [x0, #240]\n"
    "  ldp x0, x1, [x0]\n"
    "  svc #0\n"
    ".global probe_after_svc\n"
    "probe_after_svc:\n"
    "  sub sp, sp, #784\n"
    "  stp x0, x1, [sp, #0]\n"
    "  stp x2, x3, [sp, #16]\n"
    "  stp x4, x5, [sp, #32]\n"
    "  stp x6, x7, [sp, #48]\n"
    "  stp x8, x9, [sp, #64]\n"
    "  stp x10, x11, [sp, #80]\n"
    "  stp x12, x13, [sp, #96]\n"
    "  stp x14, x15, [sp, #112]\n"
    "  stp x16, x17, [sp, #128]\n"
    "  stp x18, x19, [sp, #144]\n"
    "  stp x20, x21, [sp, #160]\n"
    "  stp x22, x23, [sp, #176]\n"
    "  stp x24, x25, [sp, #192]\n"
    "  stp x26, x27, [sp, #208]\n"
    "  stp x28, x29, [sp, #224]\n"
    "  str x30, [sp, #240]\n"
    "  mrs x0, nzcv\n"
    "  str x0, [sp, #768]\n"
    "  mrs x0, fpcr\n"
    "  str x0, [sp, #760]\n"
    "  mrs x0, fpsr\n"
    "  str x0, [sp, #776]\n"
    "  add x0, sp, #248\n"
    "  st1 {v0.16b-v3.16b}, [x0], #64\n"
    "  st1 {v4.16b-v7.16b}, [x0], #64\n"
    "  st1 {v8.16b-v11.16b}, [x0], #64\n"
    "  st1 {v12.16b-v15.16b}, [x0], #64\n"
    "  st1 {v16.16b-v19.16b}, [x0], #64\n"
    "  st1 {v20.16b-v23.16b}, [x0], #64\n"
    "  st1 {v24.16b-v27.16b}, [x0], #64\n"
    "  st1 {v28.16b-v31.16b}, [x0], #64\n"
    "  ldr x2, [sp, #944]\n" /* 784 + 160: the probe pointer */
    "  add x2, x2, #784\n"
    "  mov x3, #0\n"
    "1:\n"
    "  ldr x4, [sp, x3]\n"
    "  str x4, [x2, x3]\n"
    "  add x3, x3, #8\n"
    "  cmp x3, #784\n"
    "  b.lo 1b\n"
    "  add sp, sp, #784\n"
    "  ldp x19, x20, [sp, #16]\n"
    "  ldp x21, x22, [sp, #32]\n"
    "  ldp x23, x24, [sp, #48]\n"
    "  ldp x25, x26, [sp, #64]\n"
    "  ldp x27, x28, [sp, #80]\n"
    "  ldp d8, d9, [sp, #96]\n"
    "  ldp d10, d11, [sp, #112]\n"
    "  ldp d12, d13, [sp, #128]\n"
    "  ldp d14, d15, [sp, #144]\n"
    "  ldp x29, x30, [sp], #176\n"
    "  ret\n"
    ".size regs_probe, .-regs_probe\n");

static struct probe P;
static volatile int frame_regs_ok, frame_pc_ok, frame_pstate_ok, frame_fp_ok, frame_fpcr_ok, frame_fpsr_ok, frame_sp_ok;

struct fpsimd_record {
  uint32_t magic, size, fpsr, fpcr;
  uint8_t vregs[32][16];
};

static struct fpsimd_record *find_fpsimd(ucontext_t *uc) {
  uint8_t *p = uc->uc_mcontext.__reserved;
  for (unsigned off = 0; off + 8 <= sizeof uc->uc_mcontext.__reserved;) {
    uint32_t *h = (uint32_t *)(p + off);
    if (h[0] == 0x46508001) return (struct fpsimd_record *)h;
    if (h[0] == 0 || h[1] == 0) return NULL;
    off += h[1];
  }
  return NULL;
}

/* Checks the frame, then destroys every register the probe loaded. */
static void clobber(int sig, siginfo_t *si, void *ctx) {
  (void)sig, (void)si;
  ucontext_t *uc = ctx;
  int ok = uc->uc_mcontext.regs[0] == 0; /* tkill's result */
  for (int i = 1; i < 31; i++) ok &= uc->uc_mcontext.regs[i] == P.x[i];
  frame_regs_ok = ok;
  frame_pc_ok = uc->uc_mcontext.pc == (uintptr_t)probe_after_svc;
  frame_pstate_ok = (uc->uc_mcontext.pstate & 0xf0000000) == P.nzcv;
  frame_sp_ok = uc->uc_mcontext.sp % 16 == 0 && uc->uc_mcontext.sp > (uintptr_t)uc;
  struct fpsimd_record *fp = find_fpsimd(uc);
  frame_fp_ok = fp != NULL && fp->size == 528 && memcmp(fp->vregs, P.v, sizeof P.v) == 0;
  frame_fpcr_ok = fp != NULL && fp->fpcr == P.fpcr;
  frame_fpsr_ok = fp != NULL && fp->fpsr == P.fpsr;
  __asm__ volatile(
      "movi v0.16b, #0xee\n movi v1.16b, #0xee\n movi v2.16b, #0xee\n movi v3.16b, #0xee\n"
      "movi v4.16b, #0xee\n movi v5.16b, #0xee\n movi v6.16b, #0xee\n movi v7.16b, #0xee\n"
      "movi v8.16b, #0xee\n movi v9.16b, #0xee\n movi v10.16b, #0xee\n movi v11.16b, #0xee\n"
      "movi v12.16b, #0xee\n movi v13.16b, #0xee\n movi v14.16b, #0xee\n movi v15.16b, #0xee\n"
      "movi v16.16b, #0xee\n movi v17.16b, #0xee\n movi v18.16b, #0xee\n movi v19.16b, #0xee\n"
      "movi v20.16b, #0xee\n movi v21.16b, #0xee\n movi v22.16b, #0xee\n movi v23.16b, #0xee\n"
      "movi v24.16b, #0xee\n movi v25.16b, #0xee\n movi v26.16b, #0xee\n movi v27.16b, #0xee\n"
      "movi v28.16b, #0xee\n movi v29.16b, #0xee\n movi v30.16b, #0xee\n movi v31.16b, #0xee\n"
      "msr fpcr, xzr\n msr fpsr, xzr\n msr nzcv, xzr\n"
      "mov x9, #1\n mov x10, #2\n mov x11, #3\n mov x12, #4\n mov x13, #5\n mov x14, #6\n mov x15, #7\n"
      "mov x16, #8\n mov x17, #9\n mov x18, #10\n"
      :
      :
      : "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15",
        "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30",
        "v31", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "cc", "memory");
}

/* Edits the frame: sigreturn must load the edited values. */
static void edit(int sig, siginfo_t *si, void *ctx) {
  (void)sig, (void)si;
  ucontext_t *uc = ctx;
  uc->uc_mcontext.regs[0] = 77;
  uc->uc_mcontext.regs[19] = 0xabcdef;
  uc->uc_mcontext.pstate = (uc->uc_mcontext.pstate & ~0xf0000000ULL) | 0x40000000; /* Z only */
  struct fpsimd_record *fp = find_fpsimd(uc);
  if (fp != NULL) {
    memset(fp->vregs[20], 0x5a, 16);
    fp->fpcr = 0;
  }
}

static void fill(void) {
  memset(&P, 0, sizeof P);
  for (int i = 0; i < 31; i++) P.x[i] = 0x0102030405060708ULL * (uint64_t)(i + 1) ^ 0x8000000000000000ULL;
  P.x[0] = (uint64_t)syscall(SYS_gettid);
  P.x[1] = SIGUSR1;
  P.x[8] = SYS_tkill;
  for (int r = 0; r < 32; r++)
    for (int b = 0; b < 16; b++) P.v[r][b] = (uint8_t)(r * 16 + b + 1);
  P.fpcr = 0x01400000; /* FZ, round towards plus infinity */
  P.fpsr = 0x08000001; /* QC, IOC */
  P.nzcv = 0x90000000; /* N, V */
}

int main(void) {
  install(SIGUSR1, clobber, 0);
  fill();
  regs_probe(&P);
  check(frame_regs_ok, "frame: x0 = syscall result, x1-x30 as loaded");
  check(frame_pc_ok, "frame: pc after the SVC");
  check(frame_pstate_ok, "frame: NZCV in pstate");
  check(frame_sp_ok, "frame: sp saved, 16-byte aligned, above the frame");
  check(frame_fp_ok, "frame: fpsimd_context (528 bytes) holds v0-v31");
  check(frame_fpcr_ok, "frame: fpsimd_context.fpcr");
  check(frame_fpsr_ok, "frame: fpsimd_context.fpsr");
  int ok = P.ox[0] == 0;
  for (int i = 1; i < 31; i++) ok &= P.ox[i] == P.x[i];
  check(ok, "after sigreturn: x0 = 0, x1-x30 restored");
  check(memcmp(P.ov, P.v, sizeof P.v) == 0, "after sigreturn: all 128 bits of v0-v31 restored");
  check_eq((long)P.ofpcr, (long)P.fpcr, "after sigreturn: FPCR restored");
  check_eq((long)P.ofpsr, (long)P.fpsr, "after sigreturn: FPSR restored");
  check_eq((long)P.onzcv, (long)P.nzcv, "after sigreturn: NZCV restored");

  install(SIGUSR1, edit, 0);
  fill();
  regs_probe(&P);
  check_eq((long)P.ox[0], 77, "edited frame: x0");
  check_eq((long)P.ox[19], 0xabcdef, "edited frame: x19");
  check_eq((long)P.onzcv, 0x40000000, "edited frame: NZCV");
  uint8_t want[16];
  memset(want, 0x5a, 16);
  /* qemu-aarch64 7.2 does not load an edited V register back: a Linux-only check. */
  check_linux(memcmp(P.ov[20], want, 16) == 0, "edited frame: v20");
  check(memcmp(P.ov[21], P.v[21], 16) == 0, "edited frame: v21 untouched");
  check_eq((long)P.ofpcr, 0, "edited frame: FPCR");
  check(P.ox[20] == P.x[20], "edited frame: other registers as before");
  return finish();
}
