/*
 * PASS/FAIL reporting for the namespace-related guest tests (openat2, chroot, unshare, setns, kcmp,
 * UTS names): the process tests' check.h and CHECK_ERR. SIG_REFERENCE=qemu in the environment marks
 * a run under qemu-aarch64, which passes these calls to the host kernel: where that kernel is not
 * Linux 6.1 or allows what compat64 does not emulate, the check is a Linux-6.1 fact checked under
 * compat64 only (check_linux prints PASS under qemu).
 */
#ifndef NS_CHECK_H
#define NS_CHECK_H
#include "../process/check.h"

/* expr must fail with errno err. */
#define CHECK_ERR(expr, err, name)                                                  \
  do {                                                                              \
    errno = 0;                                                                      \
    long r_ = (long)(expr);                                                         \
    int e_ = errno;                                                                 \
    if (r_ == -1 && e_ == (err))                                                    \
      check(1, name);                                                               \
    else {                                                                          \
      printf("FAIL %s (got %ld errno %d, want errno %d)\n", name, r_, e_, (err)); \
      failures++;                                                                   \
    }                                                                               \
  } while (0)

#endif
