/*
 * Filters as libseccomp (Debian's libseccomp 2.5, linked statically) builds them: its API-level probe
 * (GET_ACTION_AVAIL, flags), argument comparisons on 64-bit values (split into two 32-bit words),
 * masked compares, a filter covering both AArch64 and ARM (compat calls matched by their compat
 * number), and libseccomp's bad-arch action for a compat call the filter does not cover.
 */
#include "check.h"

#include <seccomp.h>

static int child_both_arches(void) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == NULL) return 90;
  if (seccomp_arch_add(ctx, SCMP_ARCH_ARM) != 0) return 91;
  /* Rules by name: libseccomp resolves each name per arch (getppid: 173 native, 64 compat). */
  if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getppid), 0) != 0) return 92;
  if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(42), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1234)) != 0) return 93;
  if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(43), SCMP_SYS(getpgid), 1,
                       SCMP_A0(SCMP_CMP_MASKED_EQ, 0xff00000000ULL, 0x1200000000ULL)) != 0)
    return 94;
  if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(44), SCMP_SYS(dup3), 1, SCMP_A2(SCMP_CMP_GT, 0x100000000ULL)) != 0) return 95;
  if (seccomp_load(ctx) != 0) return 96;
  seccomp_release(ctx);
  CHECK_ERR(syscall(__NR_getppid), EPERM, "libseccomp rule: native getppid");
  check(compat_syscall_raw(__NR_compat_getppid) == (unsigned int)-EPERM, "libseccomp ARM arch: compat getppid (64)");
  check(compat_syscall(__NR_compat_getpid) == getpid(), "compat getpid allowed");
  CHECK_ERR(syscall(__NR_dup, 1234), 42, "A0 == 1234");
  CHECK_ERR(syscall(__NR_dup, 1234 + (1L << 32)), EBADF, "A0 with another high word is not 1234");
  CHECK_ERR(syscall(__NR_getpgid, 0x12345678abL), 43, "masked compare on a 64-bit argument");
  check(syscall(__NR_getpgid, 0) == getpgid(0), "masked compare misses");
  CHECK_ERR(syscall(__NR_dup3, 999, 998, 0x100000001L), 44, "64-bit GT");
  CHECK_ERR(syscall(__NR_dup3, 999, 998, 0), EBADF, "64-bit GT misses");
  return failures;
}

static int child_native_only(void) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == NULL) return 90;
  if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getppid), 0) != 0) return 92;
  if (seccomp_load(ctx) != 0) return 96;
  check(syscall(__NR_getpid) == getpid(), "native calls pass");
  /* The filter does not know ARM: libseccomp's bad-arch action (KILL) applies to compat calls. */
  compat_syscall(__NR_compat_getpid);
  return 50;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  check(seccomp_api_get() == 6, "libseccomp API level 6 (every flag and action probed)");
  check(exited_ok(in_child(child_both_arches)), "both-arches child");
  check(killed_by(in_child(child_native_only), SIGSYS), "a compat call outside the filter's arches is killed");
  return finish();
}
