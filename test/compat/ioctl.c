/*
 * compat ioctl (54) dispatch (compat_sys_ioctl): the generic commands of do_vfs_ioctl work on every
 * file (FIOCLEX, FIONCLEX, FIONBIO, FIONREAD, which a pipe answers through its native ioctl);
 * FS_IOC32_GETFLAGS is FS_IOC_GETFLAGS; a file without a compat view answers -ENOTTY (a timerfd's
 * TFD_IOC_SET_TICKS works natively but not in a compat call); a terminal's termios and winsize
 * have the same layout in both ABIs (checked when stdin is a terminal).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <termios.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

#define TFD_IOC_SET_TICKS_ _IOW('T', 0, uint64_t)
#define FS_IOC32_GETFLAGS_ _IOR('f', 1, int)

static int pfd[2];
static int avail32, on32 = 1;
static uint64_t ticks = 5;
static char path[] = "/tmp/c64-ioctl-XXXXXX";
static int flags32;
static unsigned char tios32[64], tios64[64];
static struct winsize ws32;

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(pfd) != 0) return 1;
	if (write(pfd[1], "abc", 3) != 3) return 1;
	CHECK_EQ("fionread.pipe", compat_syscall(__NR_compat_ioctl, pfd[0], FIONREAD, &avail32), 0);
	CHECK_EQ("fionread.pipe_value", avail32, 3);
	CHECK_EQ("fionbio.pipe", compat_syscall(__NR_compat_ioctl, pfd[0], FIONBIO, &on32), 0);
	CHECK("fionbio.set", (fcntl(pfd[0], F_GETFL) & O_NONBLOCK) != 0, "O_NONBLOCK not set");
	CHECK_EQ("fioclex.pipe", compat_syscall(__NR_compat_ioctl, pfd[0], FIOCLEX, 0), 0);
	CHECK_EQ("fioclex.set", fcntl(pfd[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ("fionclex.pipe", compat_syscall(__NR_compat_ioctl, pfd[0], FIONCLEX, 0), 0);
	CHECK_EQ("fionclex.clear", fcntl(pfd[0], F_GETFD), 0);
	CHECK_EQ("unknown.pipe_enotty", compat_syscall_raw(__NR_compat_ioctl, pfd[0], TCGETS, tios32), COMPAT_ERR(ENOTTY));
	CHECK_EQ("badfd.ebadf", compat_syscall_raw(__NR_compat_ioctl, 999, FIONREAD, &avail32), COMPAT_ERR(EBADF));

	/* A timerfd has no compat view: TFD_IOC_SET_TICKS is native only. */
	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	CHECK_EQ("timerfd.compat_set_ticks_enotty", compat_syscall_raw(__NR_compat_ioctl, tfd, TFD_IOC_SET_TICKS_, &ticks),
		 COMPAT_ERR(ENOTTY));
	CHECK_EQ("timerfd.native_set_ticks", ioctl(tfd, TFD_IOC_SET_TICKS_, &ticks), 0);
	uint64_t got = 0;
	CHECK_EQ("timerfd.native_ticks_read", read(tfd, &got, 8), 8);
	CHECK_EQ("timerfd.ticks", got, 5);
	CHECK_EQ("timerfd.compat_fionclex_generic", compat_syscall(__NR_compat_ioctl, tfd, FIONCLEX, 0), 0);

	/* FS_IOC32_GETFLAGS is FS_IOC_GETFLAGS: the same answer as the native call. */
	int fd = mkstemp(path);
	int nflags = 0;
	long nr = ioctl(fd, FS_IOC_GETFLAGS, &nflags) < 0 ? -errno : 0;
	long cr = compat_syscall(__NR_compat_ioctl, fd, FS_IOC32_GETFLAGS_, &flags32);
	CHECK("getflags32.same_as_native", cr == nr && (cr < 0 || flags32 == nflags), "compat %ld flags 0x%x, native %ld flags 0x%x",
	      cr, flags32, nr, nflags);
	CHECK_EQ("unknown.regular_enotty", compat_syscall_raw(__NR_compat_ioctl, fd, TCGETS, tios32), COMPAT_ERR(ENOTTY));
	unlink(path);

	/* A terminal: struct termios (36 bytes) and winsize are the same in both ABIs. */
	if (isatty(0)) {
		memset(tios32, 0xa5, sizeof tios32);
		memset(tios64, 0xa5, sizeof tios64);
		CHECK_EQ("tty.tcgets", compat_syscall(__NR_compat_ioctl, 0, TCGETS, tios32), 0);
		ioctl(0, TCGETS, tios64);
		CHECK("tty.tcgets_same_bytes", memcmp(tios32, tios64, sizeof tios32) == 0, "termios differs");
		CHECK_EQ("tty.tiocgwinsz", compat_syscall(__NR_compat_ioctl, 0, TIOCGWINSZ, &ws32), 0);
	} else {
		SKIP("tty.tcgets", "stdin is not a terminal");
	}
	return check_done();
}
