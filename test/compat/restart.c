/*
 * compat-abi.md §3: a compat call interrupted by a handled signal.
 * - rt_sigsuspend (179, -ERESTARTNOHAND): the handler runs and -EINTR comes back zero-extended
 *   (0x00000000fffffffc) like every compat error [choice].
 * - A compat read of an empty pipe interrupted by SIGALRM (setitimer): with SA_RESTART the call is
 *   re-issued with x8 untouched, so it runs again as a compat call (a later -EBADF is zero-extended);
 *   without SA_RESTART it fails with the zero-extended -EINTR. Skipped where setitimer is -ENOSYS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"

static int fds[2];
static char ch;
static volatile sig_atomic_t hits;
static volatile int close_in_handler;
static uint32_t empty_mask[2];

static void on_signal(int sig)
{
	(void)sig;
	hits++;
	if (close_in_handler) close(fds[0]);
	else write(fds[1], "r", 1);
}

static void handle(int sig, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

/* SIGALRM in 50 ms; 0, or -1 when the kernel has no setitimer. */
static int alarm_50ms(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	return (int)syscall(SYS_setitimer, ITIMER_REAL, &it, NULL);
}

int main(void)
{
	if (pipe(fds) != 0) return 2;

	/* A signal pending behind the mask is delivered when rt_sigsuspend opens the mask. */
	handle(SIGUSR1, SA_RESTART);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	raise(SIGUSR1);
	unsigned long r = compat_syscall_raw(__NR_compat_rt_sigsuspend, empty_mask, 8);
	CHECK_EQ("restart.sigsuspend_handler_ran", hits, 1);
	CHECK_EQ("restart.eintr_zero_extended", r, 0xfffffffcUL);
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	CHECK("restart.sigsuspend_mask_restored", sigismember(&now, SIGUSR1), "SIGUSR1 no longer blocked");
	read(fds[0], &ch, 1);

	handle(SIGALRM, SA_RESTART);
	hits = 0;
	if (alarm_50ms() != 0) {
		SKIP("restart.sa_restart_reissued", "setitimer is ENOSYS");
		SKIP("restart.read_eintr_zero_extended", "setitimer is ENOSYS");
		SKIP("restart.reissued_as_compat", "setitimer is ENOSYS");
		return check_done();
	}
	r = compat_syscall_raw(__NR_compat_read, fds[0], &ch, 1);
	CHECK("restart.sa_restart_reissued", hits == 1 && r == 1 && ch == 'r', "hits %d, read gave 0x%lx",
	      (int)hits, r);

	handle(SIGALRM, 0);
	hits = 0;
	alarm_50ms();
	r = compat_syscall_raw(__NR_compat_read, fds[0], &ch, 1);
	CHECK("restart.read_eintr_zero_extended", hits == 1 && r == 0xfffffffcUL, "hits %d, read gave 0x%lx",
	      (int)hits, r);
	read(fds[0], &ch, 1);

	/* The re-issued call is compat again: the handler closes the fd, and -EBADF comes back zero-extended. */
	handle(SIGALRM, SA_RESTART);
	hits = 0;
	close_in_handler = 1;
	alarm_50ms();
	r = compat_syscall_raw(__NR_compat_read, fds[0], &ch, 1);
	CHECK("restart.reissued_as_compat", hits == 1 && r == 0xfffffff7UL, "hits %d, read gave 0x%lx", (int)hits, r);
	return check_done();
}
