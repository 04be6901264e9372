/*
 * seccomp and the compat-from-64 ABI (compat-abi.md §5): a compat call is filtered with
 * arch = AUDIT_ARCH_ARM, the compat number, arguments zero-extended from 32 bits; RET_ERRNO is
 * returned zero-extended; SIGSYS names the compat arch and number; a filter installed through
 * compat prctl (172) or compat seccomp (383) is read as compat_sock_fprog. And the classic bypass
 * checks: the compat bit does not get past a filter that kills every arch but AArch64, and a
 * native-only allowlist does not allow the same numbers through compat.
 */
#include "check.h"

#include <stdint.h>
#include <ucontext.h>

/* A native svc with a full 64-bit x0 (glibc's syscall() would pass it too, this makes it explicit). */
static unsigned long native_raw1(unsigned long nr, unsigned long a0) {
  register unsigned long x8 __asm__("x8") = nr;
  register unsigned long x0 __asm__("x0") = a0;
  __asm__ __volatile__("svc #0" : "+r"(x0) : "r"(x8) : "memory", "cc");
  return x0;
}

#define ZEXT_ERR(e) ((unsigned long)(unsigned int)-(e))

static int child_kill_non_native(void) {
  INSTALL(LD(ARCH_OFF), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_AARCH64, 1, 0), RET(SECCOMP_RET_KILL_PROCESS),
          RET(SECCOMP_RET_ALLOW));
  check(syscall(__NR_getpid) == getpid(), "native calls pass an AArch64-only filter");
  /* The compat bit must not get past it: syscall(0x80000000|20) dies of SIGSYS. */
  syscall(0x80000000UL | 20);
  return 50;
}

static int child_compat_data(void) {
  /* arch == ARM && nr == 20 (compat getpid) → ERRNO 77; native getpid (172) unaffected. */
  INSTALL(LD(ARCH_OFF), IF_EQ(AUDIT_ARCH_ARM), BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0), RET(SECCOMP_RET_ALLOW),
          LD(NR_OFF), IF_EQ(__NR_compat_getpid), RET(SECCOMP_RET_ERRNO | 77), RET(SECCOMP_RET_ALLOW));
  check(compat_syscall_raw(__NR_compat_getpid) == ZEXT_ERR(77), "compat call sees AUDIT_ARCH_ARM and nr 20; ERRNO zero-extended");
  check(syscall(__NR_getpid) == getpid(), "native getpid (172) not matched");
  check(compat_syscall(__NR_compat_getppid) == getppid(), "other compat calls run");
  return failures;
}

static int child_native_allowlist(void) {
  /* The usual allowlist with an arch check first: compat calls of allowed numbers stay denied. */
  INSTALL(LD(ARCH_OFF), IF_EQ(AUDIT_ARCH_AARCH64), BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0), RET(SECCOMP_RET_ERRNO | 13),
          LD(NR_OFF), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getpid, 5, 0),
          BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_write, 4, 0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 3, 0),
          BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit, 2, 0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prctl, 1, 0),
          RET(SECCOMP_RET_ERRNO | 1), RET(SECCOMP_RET_ALLOW));
  check(syscall(__NR_getpid) == getpid(), "native getpid allowed");
  CHECK_ERR(syscall(__NR_getppid), EPERM, "native getppid denied");
  /* compat 172 is prctl, compat 20 getpid: neither passes the arch check. */
  check(compat_syscall_raw(172, PR_GET_SECCOMP) == ZEXT_ERR(13), "compat 172 (prctl) denied by the arch check");
  check(compat_syscall_raw(__NR_compat_getpid) == ZEXT_ERR(13), "compat getpid denied");
  check(compat_syscall_raw(__NR_compat_write, 1, "", 0) == ZEXT_ERR(13), "compat write denied");
  return failures;
}

static int child_allowlist_without_arch(void) {
  /* A broken allowlist that forgets the arch: native 172 (getpid) allowed means compat 172 (prctl) too. */
  INSTALL(LD(NR_OFF), IF_EQ(__NR_getpid), RET(SECCOMP_RET_ALLOW), IF_EQ(__NR_write), RET(SECCOMP_RET_ALLOW),
          IF_EQ(__NR_exit_group), RET(SECCOMP_RET_ALLOW), RET(SECCOMP_RET_ERRNO | 1));
  check(compat_syscall(172, PR_GET_SECCOMP) == 2, "without an arch check compat 172 reaches prctl (why filters check arch)");
  return failures;
}

static int child_args(void) {
  /* Compat: args[0] high word must be 0; low word 5 → ERRNO 51. Native: high word 0xffffffff → ERRNO 52. */
  INSTALL(LD(ARCH_OFF), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_ARM, 0, 7),
          /* compat */
          LD(ARG_HI(0)), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), RET(SECCOMP_RET_ERRNO | 50),
          LD(ARG_LO(0)), IF_EQ(5), RET(SECCOMP_RET_ERRNO | 51), RET(SECCOMP_RET_ALLOW),
          /* native */
          LD(NR_OFF), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getpid, 0, 3), LD(ARG_HI(0)), IF_EQ(0xffffffff),
          RET(SECCOMP_RET_ERRNO | 52), RET(SECCOMP_RET_ALLOW));
  check(compat_syscall_raw(__NR_compat_getpid, 0xffffffff00000005UL) == ZEXT_ERR(51),
        "compat args are zero-extended x0-x5");
  check(native_raw1(__NR_getpid, 0xffffffff00000005UL) == (unsigned long)-52L, "native args are full 64-bit x0-x5");
  check(native_raw1(__NR_getpid, 5) == (unsigned long)getpid(), "native args with a zero high word");
  return failures;
}

static volatile siginfo_t trap_info;
static volatile unsigned long trap_pc;
static volatile int trap_count;

static void on_sigsys(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  trap_info = *si;
  trap_pc = ((ucontext_t *)uc)->uc_mcontext.pc;
  trap_count++;
}

static int child_trap(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, NULL);
  INSTALL(LD(ARCH_OFF), IF_EQ(AUDIT_ARCH_ARM), RET(SECCOMP_RET_TRAP | 0x123), RET(SECCOMP_RET_ALLOW));
  compat_syscall_raw(__NR_compat_getuid);
  check(trap_count == 1 && trap_info.si_code == 1, "compat RET_TRAP: SIGSYS SYS_SECCOMP");
  check(trap_info.si_arch == AUDIT_ARCH_ARM, "si_arch AUDIT_ARCH_ARM");
  check(trap_info.si_syscall == __NR_compat_getuid, "si_syscall = compat number");
  check(trap_info.si_errno == 0x123, "si_errno = RET_DATA");
  check((unsigned long)trap_info.si_call_addr == trap_pc, "si_call_addr = pc after the SVC");
  return failures;
}

/* A compat_sock_fprog: u16 len, pad, u32 filter pointer (8 bytes). */
struct compat_fprog {
  uint16_t len;
  uint16_t pad;
  uint32_t filter;
};

static struct sock_filter compat_prog[] = {LD(NR_OFF), IF_EQ(__NR_getppid), RET(SECCOMP_RET_ERRNO | 44),
                                           RET(SECCOMP_RET_ALLOW)};

static int child_compat_install(void) {
  if ((uintptr_t)compat_prog >> 32) return 98;
  /* Static: a compat pointer must be below 4 GiB, and the stack is not. */
  static struct compat_fprog cf;
  static unsigned a;
  cf.len = 4;
  cf.filter = (uint32_t)(uintptr_t)compat_prog;
  check(compat_syscall(172, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "compat prctl NNP");
  check(compat_syscall(172, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &cf) == 0, "compat prctl(PR_SET_SECCOMP) reads compat_sock_fprog");
  CHECK_ERR(syscall(__NR_getppid), 44, "the filter installed through compat prctl works");
  check(compat_syscall(172, PR_GET_SECCOMP) == 2, "compat PR_GET_SECCOMP 2");
  cf.len = 0;
  check(compat_syscall(383, SECCOMP_SET_MODE_FILTER, 0, &cf) == -EINVAL, "compat seccomp len 0: EINVAL");
  cf.len = 4;
  compat_prog[2].k = SECCOMP_RET_ERRNO | 45;
  check(compat_syscall(383, SECCOMP_SET_MODE_FILTER, 0, &cf) == 0, "compat seccomp (383) reads compat_sock_fprog");
  CHECK_ERR(syscall(__NR_getppid), 45, "newest filter's errno wins");
  a = SECCOMP_RET_LOG;
  check(compat_syscall(383, SECCOMP_GET_ACTION_AVAIL, 0, &a) == 0, "compat GET_ACTION_AVAIL");
  return failures;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int st = in_child(child_kill_non_native);
  if (!killed_by(st, SIGSYS)) printf("status %#x\n", st);
  check(killed_by(st, SIGSYS), "syscall(0x80000000|20) under an AArch64-only filter: killed by SIGSYS");
  check(exited_ok(in_child(child_compat_data)), "compat data child");
  check(exited_ok(in_child(child_native_allowlist)), "native allowlist child");
  check(exited_ok(in_child(child_allowlist_without_arch)), "allowlist without arch child");
  check(exited_ok(in_child(child_args)), "args child");
  st = in_child(child_trap);
  check(exited_ok(st), "compat trap child");
  if (!exited_ok(st)) printf("status %#x\n", st);
  check(exited_ok(in_child(child_compat_install)), "compat install child");
  return finish();
}
