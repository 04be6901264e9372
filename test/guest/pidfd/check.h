/*
 * PASS/FAIL reporting for the pidfd guest tests: the process tests' check.h. SIG_REFERENCE=qemu in
 * the environment marks a run under qemu-aarch64, which passes these calls to the host kernel: where
 * that kernel is not Linux 6.1 (newer pidfs behaviour) the check is a Linux-6.1 fact checked under
 * compat64 only (check_linux prints PASS under qemu).
 */
#include "../process/check.h"
