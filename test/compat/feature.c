/*
 * compat-abi.md §1, feature detection. Run as `feature present` on a kernel with the series and
 * `feature absent` on one without (compat64 --no-compat-syscalls): compat getpid (bit 31 | 20)
 * returns the pid with the series; without it every number with bit 31 set gives the 64-bit
 * -ENOSYS, and syscall(-1) is an ordinary failing native call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

int main(int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "present") != 0 && strcmp(argv[1], "absent") != 0)) {
		fprintf(stderr, "usage: feature present|absent\n");
		return 2;
	}
	int want = strcmp(argv[1], "present") == 0;
	unsigned long r = compat_syscall_raw(__NR_compat_getpid);
	int present = r == (unsigned long)getpid();
	printf("compat syscalls: %s\n", present ? "present" : "absent");
	CHECK("feature.detected", present == want, "compat getpid gave 0x%lx", r);
	if (want) {
		CHECK_EQ("feature.present.enosys_is_32_bit", compat_syscall_raw(7), 0xffffffdaUL);
	} else {
		CHECK_EQ("feature.absent.getpid_enosys_64", r, (unsigned long)-ENOSYS);
		CHECK_EQ("feature.absent.mmap2_enosys_64", compat_syscall_raw(__NR_compat_mmap2, 0, 4096, 3, 0x22, -1, 0),
			 (unsigned long)-ENOSYS);
		errno = 0;
		long s = syscall(-1);
		CHECK("feature.absent.syscall_minus_1", s == -1 && errno == ENOSYS, "syscall(-1) = %ld, errno %d", s,
		      errno);
	}
	return check_done();
}
