/*
 * pidfds and the calls near them through the compat table: pidfd_open (434), pidfd_send_signal
 * (424) with a 128-byte compat_siginfo (si_pid at 12, si_uid at 16, si_value at 20, read through
 * copy_siginfo_from_user32), pidfd_getfd (438), openat2 (437, the same 24-byte open_how), kcmp
 * (378) and sethostname (74, checked for its errors only).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

/* compat_siginfo for a queued signal (SI_QUEUE): the rt member of the union starts at 12. */
struct compat_siginfo_rt {
	int32_t c_signo;
	int32_t c_errno;
	int32_t c_code;
	int32_t c_pid;
	uint32_t c_uid;
	int32_t c_value;
	uint8_t pad[128 - 24];
};
_Static_assert(sizeof(struct compat_siginfo_rt) == 128, "compat_siginfo is 128 bytes");

/* Compat pointers are 32 bits: everything a call points to lives in the image, below 4 GiB. */
static struct compat_siginfo_rt csi;
static uint64_t how[3];

static volatile int got_pid, got_uid, got_value, got_code;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_uid = (int)si->si_uid;
	got_value = si->si_value.sival_int;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	long self = compat_syscall(__NR_compat_pidfd_open, getpid(), 0);
	CHECK("pidfd_open.self", self >= 0, "got %ld", self);
	CHECK_EQ("pidfd_open.bad_flags", compat_syscall(__NR_compat_pidfd_open, getpid(), 1), -EINVAL);

	int ready[2];
	if (pipe(ready) != 0)
		return 2;
	pid_t child = fork();
	if (child == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_usr1;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGUSR1, &sa, NULL);
		alarm(20); /* never outlive a parent whose signal did not come */
		if (write(ready[1], "r", 1) != 1)
			_exit(3);
		while (got_code == 0)
			pause();
		_exit(got_code == SI_QUEUE && got_pid == 4242 && got_uid == 777 && got_value == 0x1234 ? 0 : 1);
	}
	char c;
	if (read(ready[0], &c, 1) != 1)
		return 2;
	long fd = compat_syscall(__NR_compat_pidfd_open, child, 0);
	CHECK("pidfd_open.child", fd >= 0, "got %ld", fd);

	memset(&csi, 0, sizeof csi);
	csi.c_signo = SIGUSR2;
	csi.c_code = SI_QUEUE;
	CHECK_EQ("pidfd_send_signal.signo_mismatch", compat_syscall(__NR_compat_pidfd_send_signal, fd, SIGUSR1, &csi, 0),
		 -EINVAL);
	csi.c_signo = SIGUSR1;
	csi.c_code = SI_USER;
	CHECK_EQ("pidfd_send_signal.si_user_eperm", compat_syscall(__NR_compat_pidfd_send_signal, fd, SIGUSR1, &csi, 0),
		 -EPERM);
	CHECK_EQ("pidfd_send_signal.flags", compat_syscall(__NR_compat_pidfd_send_signal, fd, SIGUSR1, 0, 1), -EINVAL);
	CHECK_EQ("pidfd_send_signal.efault", compat_syscall(__NR_compat_pidfd_send_signal, fd, SIGUSR1, 8, 0), -EFAULT);
	csi.c_code = SI_QUEUE;
	csi.c_pid = 4242;
	csi.c_uid = 777;
	csi.c_value = 0x1234;
	CHECK_EQ("pidfd_send_signal.compat_siginfo", compat_syscall(__NR_compat_pidfd_send_signal, fd, SIGUSR1, &csi, 0),
		 0);
	/* Wait at most 5 s: a child the signal never reached is killed, and the check fails. */
	int st = 0;
	pid_t w = 0;
	for (int i = 0; i < 500 && w == 0; i++) {
		w = waitpid(child, &st, WNOHANG);
		if (w == 0)
			usleep(10000);
	}
	if (w == 0) {
		kill(child, SIGKILL);
		waitpid(child, &st, 0);
	}
	CHECK("pidfd_send_signal.delivered_fields", WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "child status %#x (si_pid/si_uid/si_value not read from the compat offsets)", st);
	CHECK_EQ("pidfd_send_signal.reaped_esrch", compat_syscall(__NR_compat_pidfd_send_signal, fd, SIGUSR1, 0, 0),
		 -ESRCH);
	close((int)fd);

	int nul = open("/dev/null", O_RDONLY);
	long got = compat_syscall(__NR_compat_pidfd_getfd, self, nul, 0);
	CHECK("pidfd_getfd.self", got >= 0 && fcntl((int)got, F_GETFD) == FD_CLOEXEC, "got %ld", got);
	CHECK_EQ("kcmp.file_equal", compat_syscall(__NR_compat_kcmp, getpid(), getpid(), 0, nul, got), 0);
	close((int)got);
	close((int)self);

	how[0] = O_RDONLY;
	how[2] = 0x08; /* RESOLVE_BENEATH */
	long o = compat_syscall(__NR_compat_openat2, AT_FDCWD, "/dev/null", how, 24);
	CHECK_EQ("openat2.beneath_absolute_exdev", o, -EXDEV);
	how[2] = 0;
	o = compat_syscall(__NR_compat_openat2, AT_FDCWD, "/dev/null", how, 24);
	/* A compat open does not force O_LARGEFILE (force_o_largefile is false). */
	CHECK("openat2.no_forced_largefile", o >= 0 && !(fcntl((int)o, F_GETFL) & 0400000), "got %ld", o);
	if (o >= 0)
		close((int)o);
	CHECK_EQ("openat2.size_23", compat_syscall(__NR_compat_openat2, AT_FDCWD, "/dev/null", how, 23), -EINVAL);
	CHECK_EQ("sethostname.size_65", compat_syscall(__NR_compat_sethostname, "x", 65),
		 getuid() == 0 ? -EINVAL : -EPERM);
	close(nul);
	return check_done();
}
