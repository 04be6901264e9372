/*
 * Large files and compat opens: compat open (5) and openat (322) do not add O_LARGEFILE, so a
 * regular file larger than 2 GiB − 1 is -EOVERFLOW, and a description opened without it cannot
 * be written at or past 2 GiB − 1 (-EFBIG; a write crossing it is cut short), through compat or
 * native calls alike. The 64-bit open and compat creat (8) force O_LARGEFILE. A compat_iovec's
 * iov_len is a compat_ssize_t: 2^31 and more is -EINVAL for compat readv/writev.
 * Needs a /tmp that keeps sparse files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

#define ARM_O_LARGEFILE 0400000 /* the same bit on arm64 and ARM */
#define MAX_NON_LFS 0x7fffffffL

static char dir[] = "/tmp/c64-lfs-XXXXXX";
static char big[128], edge[128], made[128];
static unsigned char data[16] = "0123456789abcdef";
static unsigned char rbuf[16];
static struct compat_iovec iov32[2];

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!mkdtemp(dir)) {
		printf("mkdtemp failed\n");
		return 1;
	}
	snprintf(big, sizeof big, "%s/big", dir);
	snprintf(edge, sizeof edge, "%s/edge", dir);
	snprintf(made, sizeof made, "%s/made", dir);

	int fd = open(big, O_CREAT | O_RDWR, 0644);
	CHECK_EQ("setup.big_3gib", ftruncate(fd, 3L << 30), 0);
	close(fd);
	fd = open(edge, O_CREAT | O_RDWR, 0644);
	CHECK_EQ("setup.edge_2gib_minus_1", ftruncate(fd, MAX_NON_LFS), 0);
	close(fd);

	/* Native: O_LARGEFILE is forced, F_GETFL shows it. */
	fd = open(big, O_RDONLY);
	CHECK("native.open_big", fd >= 0, "errno %d", errno);
	CHECK("native.largefile_forced", (fcntl(fd, F_GETFL) & ARM_O_LARGEFILE) != 0, "F_GETFL 0x%x",
	      fcntl(fd, F_GETFL));
	close(fd);

	CHECK_EQ("open.big_eoverflow", compat_syscall_raw(__NR_compat_open, big, O_RDONLY, 0), COMPAT_ERR(EOVERFLOW));
	CHECK_EQ("openat.big_eoverflow", compat_syscall_raw(__NR_compat_openat, AT_FDCWD, big, O_RDONLY, 0),
		 COMPAT_ERR(EOVERFLOW));
	CHECK_EQ("openat.big_rdwr_eoverflow", compat_syscall_raw(__NR_compat_openat, AT_FDCWD, big, O_RDWR, 0),
		 COMPAT_ERR(EOVERFLOW));
	CHECK_EQ("open.big_trunc_eoverflow", compat_syscall_raw(__NR_compat_open, big, O_WRONLY | O_TRUNC, 0),
		 COMPAT_ERR(EOVERFLOW));
	struct stat bst;
	stat(big, &bst);
	CHECK_EQ("open.big_trunc_left_whole", bst.st_size, 3L << 30);
	long cfd = compat_syscall(__NR_compat_open, big, O_RDONLY | O_PATH, 0);
	CHECK("open.big_o_path_allowed", cfd >= 0, "got %ld", cfd);
	if (cfd >= 0) close(cfd);
	cfd = compat_syscall(__NR_compat_open, big, O_RDONLY | ARM_O_LARGEFILE, 0);
	CHECK("open.big_with_largefile", cfd >= 0, "got %ld", cfd);
	if (cfd >= 0) {
		CHECK("open.largefile_kept", (compat_syscall(__NR_compat_fcntl64, cfd, F_GETFL, 0) & ARM_O_LARGEFILE) != 0,
		      "F_GETFL");
		close(cfd);
	}

	/* 2 GiB − 1 still opens; the description has no O_LARGEFILE, so writes stop at 2 GiB − 1. */
	cfd = compat_syscall(__NR_compat_openat, AT_FDCWD, edge, O_RDWR, 0);
	CHECK("openat.edge_opens", cfd >= 0, "got %ld", cfd);
	if (cfd >= 0) {
		CHECK_EQ("openat.no_largefile_flag", compat_syscall(__NR_compat_fcntl64, cfd, F_GETFL, 0) & ARM_O_LARGEFILE, 0);
		CHECK_EQ("pwrite64.at_limit_efbig",
			 compat_syscall_raw(__NR_compat_pwrite64, cfd, data, 4, 0, (uint32_t)MAX_NON_LFS, 0), COMPAT_ERR(EFBIG));
		CHECK_EQ("pwrite64.crossing_cut_short",
			 compat_syscall(__NR_compat_pwrite64, cfd, data, 4, 0, (uint32_t)(MAX_NON_LFS - 1), 0), 1);
		CHECK_EQ("native_pwrite.same_description_efbig", pwrite(cfd, data, 4, MAX_NON_LFS) < 0 ? errno : 0, EFBIG);
		CHECK_EQ("native_write.at_limit_efbig",
			 (lseek(cfd, MAX_NON_LFS, SEEK_SET), write(cfd, data, 4) < 0 ? errno : 0), EFBIG);
		CHECK_EQ("write.zero_bytes_at_limit", compat_syscall(__NR_compat_write, cfd, data, 0), 0);
		struct stat st;
		fstat(cfd, &st);
		CHECK_EQ("edge.size_unchanged", st.st_size, MAX_NON_LFS);
		close(cfd);
	}

	/* compat creat: sys_creat forces O_LARGEFILE even for a compat caller. */
	cfd = compat_syscall(__NR_compat_creat, made, 0644);
	CHECK("creat.opens", cfd >= 0, "got %ld", cfd);
	if (cfd >= 0) {
		CHECK("creat.largefile_forced", (compat_syscall(__NR_compat_fcntl64, cfd, F_GETFL, 0) & ARM_O_LARGEFILE) != 0,
		      "F_GETFL");
		CHECK_EQ("creat.write_past_2gib", pwrite(cfd, data, 4, 3L << 30), 4);
		close(cfd);
	}

	/* compat_iovec iov_len is a compat_ssize_t. */
	fd = open(made, O_RDWR);
	iov32[0].iov_base = (uint32_t)(uintptr_t)rbuf;
	iov32[0].iov_len = 0x80000000u;
	CHECK_EQ("readv.iov_len_2g_einval", compat_syscall_raw(__NR_compat_readv, fd, iov32, 1), COMPAT_ERR(EINVAL));
	CHECK_EQ("writev.iov_len_2g_einval", compat_syscall_raw(__NR_compat_writev, fd, iov32, 1), COMPAT_ERR(EINVAL));
	iov32[0].iov_len = 4;
	iov32[1].iov_base = (uint32_t)(uintptr_t)rbuf;
	iov32[1].iov_len = 0xffffffffu;
	CHECK_EQ("readv.second_iov_len_max_einval", compat_syscall_raw(__NR_compat_readv, fd, iov32, 2),
		 COMPAT_ERR(EINVAL));
	iov32[0].iov_len = sizeof rbuf;
	CHECK_EQ("readv.small_len_reads", compat_syscall(__NR_compat_readv, fd, iov32, 1), sizeof rbuf);
	close(fd);

	unlink(big);
	unlink(edge);
	unlink(made);
	rmdir(dir);
	return check_done();
}
