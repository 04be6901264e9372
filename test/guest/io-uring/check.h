/*
 * PASS/FAIL reporting for the io_uring guest tests: one line per check, "ALL PASSED" and exit status 0
 * when no check failed.
 */
#ifndef URING_CHECK_H
#define URING_CHECK_H
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

static int failures;

__attribute__((unused)) static void check(int ok, const char *name)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", name);
	fflush(stdout);
	if (!ok)
		failures++;
}

/* A check whose detail (two numbers) is printed on failure. */
__attribute__((unused)) static void check_eq(long long got, long long want, const char *name)
{
	if (got == want)
		printf("PASS %s\n", name);
	else {
		printf("FAIL %s (got %lld, want %lld)\n", name, got, want);
		failures++;
	}
	fflush(stdout);
}

__attribute__((unused)) static int check_done(void)
{
	if (failures == 0)
		printf("ALL PASSED\n");
	else
		printf("%d FAILED\n", failures);
	fflush(stdout);
	return failures ? 1 : 0;
}

#endif
