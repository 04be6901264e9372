/*
 * compat-abi.md §7, iovec width: readv, writev, preadv, pwritev and process_vm_readv/writev in a
 * compat call read 8-byte compat_iovec entries (u32 base, u32 len), where the same arm64 calls read
 * 16-byte struct iovec.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

static char path[] = "/tmp/c64-iovec-XXXXXX";
static char one[8] = "hello, ";
static char two[8] = "world";
static char in1[8], in2[8];
static char src[16] = "remote-bytes";
static char dst[16];
static struct compat_iovec iov[2], riov[1];

#define PTR32(p) ((uint32_t)(unsigned long)(p))

int main(void)
{
	int fds[2];
	if (pipe(fds) != 0) return 2;
	iov[0] = (struct compat_iovec){ PTR32(one), 7 };
	iov[1] = (struct compat_iovec){ PTR32(two), 5 };
	CHECK_EQ("iovec.writev", compat_syscall(__NR_compat_writev, fds[1], iov, 2), 12);
	char got[16] = { 0 };
	CHECK("iovec.writev_data", read(fds[0], got, sizeof got) == 12 && memcmp(got, "hello, world", 12) == 0,
	      "pipe holds '%s'", got);

	write(fds[1], "abcdefgh", 8);
	iov[0] = (struct compat_iovec){ PTR32(in1), 3 };
	iov[1] = (struct compat_iovec){ PTR32(in2), 5 };
	CHECK_EQ("iovec.readv", compat_syscall(__NR_compat_readv, fds[0], iov, 2), 8);
	CHECK("iovec.readv_scatter", memcmp(in1, "abc", 3) == 0 && memcmp(in2, "defgh", 5) == 0, "got '%.3s' '%.5s'",
	      in1, in2);

	/* The arm64 writev, in the same task, still reads 16-byte struct iovec. */
	struct iovec native[1] = { { one, 7 } };
	CHECK_EQ("iovec.native_writev_still_16_bytes", writev(fds[1], native, 1), 7);
	read(fds[0], got, sizeof got);

	int fd = mkstemp(path);
	write(fd, "0123456789", 10);
	iov[0] = (struct compat_iovec){ PTR32(one), 2 };
	iov[1] = (struct compat_iovec){ PTR32(two), 2 };
	CHECK_EQ("iovec.pwritev", compat_syscall(__NR_compat_pwritev, fd, iov, 2, 3, 0), 4);
	memset(got, 0, sizeof got);
	pread(fd, got, 10, 0);
	CHECK("iovec.pwritev_data", memcmp(got, "012hewo789", 10) == 0, "file holds '%.10s'", got);
	memset(in1, 0, sizeof in1);
	memset(in2, 0, sizeof in2);
	iov[0] = (struct compat_iovec){ PTR32(in1), 1 };
	iov[1] = (struct compat_iovec){ PTR32(in2), 3 };
	CHECK_EQ("iovec.preadv", compat_syscall(__NR_compat_preadv, fd, iov, 2, 6, 0), 4);
	CHECK("iovec.preadv_data", in1[0] == 'o' && memcmp(in2, "789", 3) == 0, "got '%.1s' '%.3s'", in1, in2);
	CHECK_EQ("iovec.too_many", compat_syscall(__NR_compat_writev, fds[1], iov, 1025), (unsigned long)-22L);

	iov[0] = (struct compat_iovec){ PTR32(dst), 12 };
	riov[0] = (struct compat_iovec){ PTR32(src), 12 };
	CHECK_EQ("iovec.process_vm_readv", compat_syscall(__NR_compat_process_vm_readv, getpid(), iov, 1, riov, 1, 0),
		 12);
	CHECK("iovec.process_vm_readv_data", memcmp(dst, "remote-bytes", 12) == 0, "got '%.12s'", dst);

	close(fd);
	unlink(path);
	return check_done();
}
