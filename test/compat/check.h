/*
 * The conformance suite's checks: each prints one line, "PASS <name>" or "FAIL <name>: <detail>",
 * and the program ends with a summary line and exit status 0 only when nothing failed. A check a
 * platform cannot run prints "SKIP <name>: <why>" (the runner decides which skips it accepts).
 */
#ifndef COMPAT_CHECK_H
#define COMPAT_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat64/compat_syscall.h"

static int check_failures;
static int check_passes;

#define CHECK(name, cond, ...)                                                                      \
	do {                                                                                        \
		if (cond) {                                                                         \
			printf("PASS %s\n", name);                                                  \
			check_passes++;                                                             \
		} else {                                                                            \
			printf("FAIL %s: ", name);                                                  \
			printf(__VA_ARGS__);                                                        \
			printf("\n");                                                               \
			check_failures++;                                                           \
		}                                                                                   \
	} while (0)

/* Equality of two integers, shown in hex when it fails. */
#define CHECK_EQ(name, got, want)                                                                   \
	do {                                                                                        \
		unsigned long long check_g_ = (unsigned long long)(got);                            \
		unsigned long long check_w_ = (unsigned long long)(want);                           \
		CHECK(name, check_g_ == check_w_, "got 0x%llx, want 0x%llx", check_g_, check_w_);   \
	} while (0)

#define SKIP(name, why) printf("SKIP %s: %s\n", name, why)

/* The negated errno a compat call returns, as the zero-extended 32-bit x0 it leaves. */
#define COMPAT_ERR(e) ((unsigned long)(unsigned int)-(e))

static inline int check_done(void)
{
	printf("%d passed, %d failed\n", check_passes, check_failures);
	fflush(stdout);
	return check_failures ? 1 : 0;
}

#endif
