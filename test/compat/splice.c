/*
 * splice-family and friends in compat calls: compat vmsplice (343) reads 8-byte compat_iovecs in both
 * directions, compat splice (340) shares the native handler (loff_t pointers are 8 bytes in both
 * ABIs), compat process_madvise (440) reads compat_iovecs, compat ioctl maps FS_IOC32_GETFLAGS/
 * SETFLAGS to the native commands (compat64 answers them as tmpfs: a fresh file has no flags,
 * NODUMP can be set), and an O_APPEND write on a description without O_LARGEFILE stops at
 * 2 GiB − 1 like any other write (its position is the end of the file). Needs a /tmp that keeps
 * sparse files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

#define MAX_NON_LFS 0x7fffffffL
#define FS_IOC32_GETFLAGS_ _IOR('f', 1, int)
#define FS_IOC32_SETFLAGS_ _IOW('f', 2, int)

static char dir[] = "/tmp/c64-splice-XXXXXX";
static char path[128], edge[128];
/* Static data of a static binary lies below 4 GiB, where a compat_iovec can point. */
static char one[4] = "abc", two[8] = "defgh", got1[4], got2[8];
static char area[3 * 4096] __attribute__((aligned(4096)));
static struct compat_iovec iov32[2];
static int flags32;
static loff_t off;

static uint32_t low(const void *p) { return (uint32_t)(uintptr_t)p; }

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!mkdtemp(dir)) {
		printf("mkdtemp failed\n");
		return 1;
	}
	snprintf(path, sizeof path, "%s/f", dir);
	snprintf(edge, sizeof edge, "%s/edge", dir);

	/* vmsplice with compat_iovecs, into a pipe and out of it. */
	int p[2];
	pipe(p);
	iov32[0] = (struct compat_iovec){low(one), 3};
	iov32[1] = (struct compat_iovec){low(two), 5};
	CHECK_EQ("vmsplice.to_pipe", compat_syscall(__NR_compat_vmsplice, p[1], iov32, 2, 0), 8);
	iov32[0] = (struct compat_iovec){low(got1), 2};
	iov32[1] = (struct compat_iovec){low(got2), 8};
	CHECK_EQ("vmsplice.to_user", compat_syscall(__NR_compat_vmsplice, p[0], iov32, 2, 0), 8);
	CHECK("vmsplice.bytes", memcmp(got1, "ab", 2) == 0 && memcmp(got2, "cdefgh", 6) == 0, "got %.2s %.6s", got1,
	      got2);
	iov32[0] = (struct compat_iovec){low(one), 0x80000000u};
	CHECK_EQ("vmsplice.iov_len_2g_einval", compat_syscall_raw(__NR_compat_vmsplice, p[1], iov32, 1, 0),
		 COMPAT_ERR(EINVAL));
	iov32[0].iov_len = 3;
	CHECK_EQ("vmsplice.nonblock_empty", compat_syscall_raw(__NR_compat_vmsplice, p[0], iov32, 1, SPLICE_F_NONBLOCK),
		 COMPAT_ERR(EAGAIN));

	/* compat splice from a file with an 8-byte loff_t. */
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "0123456789", 10);
	off = 4;
	CHECK_EQ("splice.file_to_pipe", compat_syscall(__NR_compat_splice, fd, &off, p[1], 0, 3, 0), 3);
	CHECK_EQ("splice.off_in_advanced", off, 7);
	char b[4] = {0};
	CHECK_EQ("splice.read_back", read(p[0], b, sizeof b), 3);
	CHECK("splice.bytes", memcmp(b, "456", 3) == 0, "got %.3s", b);
	CHECK_EQ("splice.no_pipe_einval", compat_syscall_raw(__NR_compat_splice, fd, 0, fd, 0, 3, 0), COMPAT_ERR(EINVAL));

	/* FS_IOC32_GETFLAGS/SETFLAGS are the native commands. */
	flags32 = -1;
	CHECK_EQ("getflags32.fresh_file", compat_syscall(__NR_compat_ioctl, fd, FS_IOC32_GETFLAGS_, &flags32), 0);
	CHECK_EQ("getflags32.no_flags", flags32, 0);
	flags32 = FS_NODUMP_FL;
	CHECK_EQ("setflags32.nodump", compat_syscall(__NR_compat_ioctl, fd, FS_IOC32_SETFLAGS_, &flags32), 0);
	int nflags = -1;
	CHECK_EQ("getflags.native_sees_it", ioctl(fd, FS_IOC_GETFLAGS, &nflags), 0);
	CHECK_EQ("getflags.native_nodump", nflags, FS_NODUMP_FL);
	CHECK_EQ("getflags32.pipe_enotty", compat_syscall_raw(__NR_compat_ioctl, p[0], FS_IOC32_GETFLAGS_, &flags32),
		 COMPAT_ERR(ENOTTY));
	close(fd);
	close(p[0]);
	close(p[1]);

	/* process_madvise with compat_iovecs on one's own pidfd (CAP_SYS_NICE: root). */
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd < 0) {
		SKIP("process_madvise", "no pidfd_open");
	} else {
		area[0] = 1;
		iov32[0] = (struct compat_iovec){low(area), 2 * 4096};
		iov32[1] = (struct compat_iovec){low(area + 2 * 4096), 4096};
		long want = geteuid() == 0 ? 3 * 4096 : -EPERM;
		CHECK_EQ("process_madvise.compat_iovecs",
			 compat_syscall(__NR_compat_process_madvise, pidfd, iov32, 2, MADV_COLD, 0), want);
		CHECK_EQ("process_madvise.bad_advice",
			 compat_syscall_raw(__NR_compat_process_madvise, pidfd, iov32, 2, MADV_DONTNEED, 0),
			 COMPAT_ERR(EINVAL));
		CHECK_EQ("process_madvise.not_pidfd", compat_syscall_raw(__NR_compat_process_madvise, 0, iov32, 2, MADV_COLD, 0),
			 COMPAT_ERR(EBADF));
		close(pidfd);
	}

	/* O_APPEND on a description without O_LARGEFILE: the end of the file is the position. */
	fd = open(edge, O_CREAT | O_RDWR, 0644);
	CHECK_EQ("setup.edge_minus_3", ftruncate(fd, MAX_NON_LFS - 3), 0);
	close(fd);
	long cfd = compat_syscall(__NR_compat_open, edge, O_WRONLY | O_APPEND, 0);
	CHECK("append.opens", cfd >= 0, "got %ld", cfd);
	if (cfd >= 0) {
		CHECK_EQ("append.crossing_cut_short", compat_syscall(__NR_compat_write, cfd, "abcdef", 6), 3);
		CHECK_EQ("append.at_limit_efbig", compat_syscall_raw(__NR_compat_write, cfd, "x", 1), COMPAT_ERR(EFBIG));
		CHECK_EQ("append.native_write_efbig", write(cfd, "x", 1) < 0 ? errno : 0, EFBIG);
		CHECK_EQ("append.pwrite_appends_efbig", pwrite(cfd, "x", 1, 0) < 0 ? errno : 0, EFBIG);
		struct stat st;
		fstat(cfd, &st);
		CHECK_EQ("append.size_is_limit", st.st_size, MAX_NON_LFS);
		close(cfd);
	}
	/* F_SETFL O_APPEND later on a compat-opened description. */
	cfd = compat_syscall(__NR_compat_open, edge, O_WRONLY, 0);
	if (cfd >= 0) {
		compat_syscall(__NR_compat_fcntl64, cfd, F_SETFL, O_APPEND);
		CHECK_EQ("setfl_append.write_efbig", compat_syscall_raw(__NR_compat_write, cfd, "x", 1), COMPAT_ERR(EFBIG));
		close(cfd);
	}

	/* splice into a description without O_LARGEFILE stops at 2 GiB − 1 like write. */
	cfd = compat_syscall(__NR_compat_open, edge, O_WRONLY, 0);
	if (cfd >= 0) {
		int q[2];
		pipe(q);
		write(q[1], "abcdef", 6);
		off = MAX_NON_LFS - 3;
		CHECK_EQ("splice_nonlfs.pipe_offset_espipe", splice(q[0], &off, (int)cfd, &off, 6, 0) < 0 ? -errno : 0,
			 -ESPIPE);
		CHECK_EQ("splice_nonlfs.crossing_cut_short", splice(q[0], NULL, (int)cfd, &off, 6, 0), 3);
		CHECK_EQ("splice_nonlfs.off_out_at_limit", off, MAX_NON_LFS);
		CHECK_EQ("splice_nonlfs.at_limit_efbig", splice(q[0], NULL, (int)cfd, &off, 3, 0) < 0 ? errno : 0, EFBIG);
		close(q[0]);
		close(q[1]);
		close(cfd);
	}

	unlink(path);
	unlink(edge);
	rmdir(dir);
	return check_done();
}
