/*
 * compat-abi.md §1: 64-bit quantities in register pairs by the EABI rules, low word first in an
 * even/odd pair (a pad register before it where needed): pread64(fd, buf, count, pad, lo, hi),
 * truncate64(path, pad, lo, hi), ftruncate64(fd, pad, lo, hi), readahead(fd, pad, lo, hi, count),
 * arm_fadvise64_64(fd, advice, off lo/hi, len lo/hi), fallocate(fd, mode, off lo/hi, len lo/hi),
 * arm_sync_file_range(fd, flags, off lo/hi, nbytes lo/hi), preadv/pwritev(fd, iov, n, lo, hi),
 * preadv2/pwritev2(fd, iov, n, lo, hi, flags) and _llseek(fd, hi, lo, &result, whence), whose
 * high word comes first. compat lseek's offset is a 32-bit compat_off_t.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

/* Static buffers: compat calls take 32-bit pointers, and the stack of a 64-bit task is far above 4 GiB. */
static char path[] = "/tmp/c64-pairs-XXXXXX";
static char data[16] = "pairdata";
static char back[16];
static int64_t result;
static struct compat_iovec iov[2];

#define LO(v) ((unsigned long)((uint64_t)(v) & 0xffffffffu))
#define HI(v) ((unsigned long)((uint64_t)(v) >> 32))
#define PAD 0xdeadbeefUL

static int64_t size_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? st.st_size : -1;
}

int main(void)
{
	int fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		return 2;
	}
	const int64_t far = 0x100000010LL; /* 4 GiB + 16: needs both words */

	CHECK_EQ("pairs.pwrite64", compat_syscall(__NR_compat_pwrite64, fd, data, 8, PAD, LO(far), HI(far)), 8);
	memset(back, 0, sizeof back);
	CHECK("pairs.pwrite64_landed", pread(fd, back, 8, far) == 8 && memcmp(back, "pairdata", 8) == 0,
	      "native pread at 0x%llx read '%.8s'", (long long)far, back);
	memset(back, 0, sizeof back);
	CHECK_EQ("pairs.pread64", compat_syscall(__NR_compat_pread64, fd, back, 8, PAD, LO(far), HI(far)), 8);
	CHECK("pairs.pread64_data", memcmp(back, "pairdata", 8) == 0, "read '%.8s'", back);
	CHECK_EQ("pairs.pread64_negative_offset",
		 compat_syscall(__NR_compat_pread64, fd, back, 8, PAD, 0xfffffff0UL, 0xffffffffUL), (unsigned long)-22L);

	const int64_t len1 = 0x123456000LL;
	CHECK_EQ("pairs.ftruncate64", compat_syscall(__NR_compat_ftruncate64, fd, PAD, LO(len1), HI(len1)), 0);
	CHECK_EQ("pairs.ftruncate64_size", size_of(fd), len1);
	const int64_t len2 = 0x200000000LL;
	CHECK_EQ("pairs.truncate64", compat_syscall(__NR_compat_truncate64, path, PAD, LO(len2), HI(len2)), 0);
	CHECK_EQ("pairs.truncate64_size", size_of(fd), len2);

	CHECK_EQ("pairs.llseek_set", compat_syscall(__NR_compat__llseek, fd, HI(far), LO(far), &result, SEEK_SET), 0);
	CHECK_EQ("pairs.llseek_result", result, far);
	CHECK_EQ("pairs.llseek_position", lseek(fd, 0, SEEK_CUR), far);
	CHECK_EQ("pairs.llseek_end_minus_16",
		 compat_syscall(__NR_compat__llseek, fd, 0xffffffffUL, 0xfffffff0UL, &result, SEEK_END), 0);
	CHECK_EQ("pairs.llseek_end_result", result, len2 - 16);
	CHECK_EQ("pairs.llseek_bad_whence", compat_syscall(__NR_compat__llseek, fd, 0, 0, &result, 7),
		 (unsigned long)-22L);

	lseek(fd, 100, SEEK_SET);
	CHECK_EQ("pairs.lseek_compat_off_t_is_signed", compat_syscall(__NR_compat_lseek, fd, 0xfffffffcUL, SEEK_CUR), 96);

	iov[0].iov_base = (uint32_t)(unsigned long)back;
	iov[0].iov_len = 4;
	iov[1].iov_base = (uint32_t)(unsigned long)back + 4;
	iov[1].iov_len = 4;
	memset(back, 0, sizeof back);
	CHECK_EQ("pairs.preadv_pos_lo_hi", compat_syscall(__NR_compat_preadv, fd, iov, 2, LO(far), HI(far)), 8);
	CHECK("pairs.preadv_data", memcmp(back, "pairdata", 8) == 0, "read '%.8s'", back);
	memcpy(back, "V2V2V2V2", 8);
	const int64_t at = 0x100000000LL;
	CHECK_EQ("pairs.pwritev2", compat_syscall(__NR_compat_pwritev2, fd, iov, 1, LO(at), HI(at), 0), 4);
	memset(back, 0, sizeof back);
	CHECK("pairs.pwritev2_landed", pread(fd, back, 4, at) == 4 && memcmp(back, "V2V2", 4) == 0, "read '%.4s'",
	      back);
	CHECK_EQ("pairs.preadv2_flags_in_r5", compat_syscall(__NR_compat_preadv2, fd, iov, 1, LO(at), HI(at), 0x100),
		 (unsigned long)-95L /* RWF_* unknown: EOPNOTSUPP */);

	CHECK_EQ("pairs.readahead", compat_syscall(__NR_compat_readahead, fd, PAD, LO(far), HI(far), 4096), 0);

	CHECK_EQ("pairs.fadvise64_64", compat_syscall(__NR_compat_arm_fadvise64_64, fd, 3, LO(far), HI(far), 4096, 0), 0);
	CHECK_EQ("pairs.fadvise64_64_advice_in_r1",
		 compat_syscall(__NR_compat_arm_fadvise64_64, fd, 99, LO(far), HI(far), 4096, 0), (unsigned long)-22L);
	CHECK_EQ("pairs.fadvise64_64_len_in_r4_r5",
		 compat_syscall(__NR_compat_arm_fadvise64_64, fd, 0, 0, 0, 0xffffffffUL, 0xffffffffUL),
		 (unsigned long)-22L);

	const int64_t falloc_at = 0x200000000LL;
	CHECK_EQ("pairs.fallocate",
		 compat_syscall(__NR_compat_fallocate, fd, 0, LO(falloc_at), HI(falloc_at), 0x1000, 0), 0);
	CHECK_EQ("pairs.fallocate_size", size_of(fd), falloc_at + 0x1000);

	CHECK_EQ("pairs.sync_file_range2",
		 compat_syscall(__NR_compat_arm_sync_file_range, fd, 0, LO(far), HI(far), 4096, 0), 0);
	CHECK_EQ("pairs.sync_file_range2_flags_in_r1",
		 compat_syscall(__NR_compat_arm_sync_file_range, fd, 8, LO(far), HI(far), 4096, 0), (unsigned long)-22L);

	close(fd);
	unlink(path);
	return check_done();
}
