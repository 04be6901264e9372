/*
 * The ptrace guest tests report like the process tests (PASS/FAIL/SKIP lines, exit status 0 when no
 * check failed, SIG_REFERENCE=qemu for the reference run): one header, shared.
 */
#include "../process/check.h"
