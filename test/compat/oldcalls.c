/*
 * The AArch32-only calls with no arm64 twin, run with compat semantics: getgroups/setgroups (80/81)
 * with 16-bit ids (0xffff is (gid_t)-1 going in, ids above 65535 come back as 65534), nice (34),
 * sigpending (73) writing a 32-bit old_sigset_t, sigsuspend (72, ARM's three-argument form with a
 * 32-bit mask) and pause (29), both ending in -EINTR after a handled signal; utimes (269) and
 * futimesat (326) with old_timeval32 pairs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

#define NR_PAUSE 29
#define NR_NICE 34
#define NR_SIGSUSPEND 72
#define NR_SIGPENDING 73
#define NR_GETGROUPS16 80
#define NR_SETGROUPS16 81
#define NR_UTIMES 269
#define NR_FUTIMESAT 326

/* Static buffers: compat calls take 32-bit pointers, and the stack of a 64-bit task is far above 4 GiB. */
static uint16_t g16[8];
static unsigned char set32[8];
static volatile sig_atomic_t alarms;
static int32_t tv32[4];
static char path[64] = "oldcalls-utimes";
static char name[64] = "oldcalls-utimes";

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void arm_timer(void)
{
	struct itimerval it = {.it_value = {.tv_usec = 100000}};
	setitimer(ITIMER_REAL, &it, 0);
}

int main(void)
{
	/* Groups: root may set them; 0xffff means (gid_t)-1, which comes back as the overflow id. */
	g16[0] = 5;
	g16[1] = 0xffff;
	CHECK_EQ("setgroups16", compat_syscall(NR_SETGROUPS16, 2, g16), 0);
	gid_t g32[4] = {0};
	CHECK_EQ("setgroups16.native_count", getgroups(4, g32), 2);
	CHECK("setgroups16.native_ids", g32[0] == 5 && g32[1] == 0xffffffffu, "got %u %u", g32[0], g32[1]);
	CHECK_EQ("getgroups16.count", compat_syscall(NR_GETGROUPS16, 0, 0), 2);
	memset(g16, 0xaa, sizeof g16);
	CHECK_EQ("getgroups16", compat_syscall(NR_GETGROUPS16, 8, g16), 2);
	CHECK("getgroups16.ids", g16[0] == 5 && g16[1] == 65534 && g16[2] == 0xaaaa, "got %u %u %#x", g16[0], g16[1],
	      g16[2]);
	CHECK_EQ("getgroups16.too_small", compat_syscall(NR_GETGROUPS16, 1, g16), -EINVAL);
	CHECK_EQ("setgroups16.clear", compat_syscall(NR_SETGROUPS16, 0, 0), 0);
	CHECK_EQ("setgroups16.cleared", getgroups(0, 0), 0);

	/* nice: +5 then -5 (root may lower it); getpriority's raw value is 20 - nice. */
	CHECK_EQ("nice.up", compat_syscall(NR_NICE, 5), 0);
	CHECK_EQ("nice.up_seen", syscall(SYS_getpriority, PRIO_PROCESS, 0), 15);
	CHECK_EQ("nice.down", compat_syscall(NR_NICE, -5), 0);
	CHECK_EQ("nice.down_seen", syscall(SYS_getpriority, PRIO_PROCESS, 0), 20);
	CHECK_EQ("nice.clamped", compat_syscall(NR_NICE, 100), 0);
	CHECK_EQ("nice.clamped_seen", syscall(SYS_getpriority, PRIO_PROCESS, 0), 1);
	compat_syscall(NR_NICE, -39);

	/* sigpending: SIGUSR1 blocked and raised; 4 bytes written. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	raise(SIGUSR1);
	memset(set32, 0xaa, sizeof set32);
	CHECK_EQ("sigpending", compat_syscall(NR_SIGPENDING, set32), 0);
	uint32_t w;
	memcpy(&w, set32, 4);
	CHECK_EQ("sigpending.sigusr1", w, 1u << (SIGUSR1 - 1));
	CHECK("sigpending.4_bytes", set32[4] == 0xaa && set32[7] == 0xaa, "bytes past 4 were written");
	signal(SIGUSR1, SIG_IGN);
	sigprocmask(SIG_SETMASK, &old, 0);

	/* sigsuspend with a mask that unblocks SIGALRM: -EINTR after the handler, the old mask back. */
	struct sigaction sa = {.sa_handler = on_alarm};
	sigaction(SIGALRM, &sa, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, 0);
	arm_timer();
	CHECK_EQ("sigsuspend.eintr", compat_syscall(NR_SIGSUSPEND, 0, 0, 0), -EINTR);
	CHECK_EQ("sigsuspend.handler_ran", alarms, 1);
	sigset_t now;
	sigprocmask(SIG_BLOCK, 0, &now);
	CHECK("sigsuspend.mask_restored", sigismember(&now, SIGALRM) == 1, "SIGALRM no longer blocked");

	/* pause: sleeps until the handled SIGALRM, then -EINTR. */
	sigprocmask(SIG_UNBLOCK, &block, 0);
	arm_timer();
	CHECK_EQ("pause.eintr", compat_syscall(NR_PAUSE), -EINTR);
	CHECK_EQ("pause.handler_ran", alarms, 2);
	/* utimes/futimesat: two old_timeval32 (seconds, microseconds) in the current directory. */
	close(open(path, O_CREAT | O_WRONLY, 0600));
	/* Microseconds that are exact binary fractions: the host's utimes takes seconds as a double. */
	tv32[0] = 1000000000;
	tv32[1] = 250000;
	tv32[2] = 1100000000;
	tv32[3] = 500000;
	CHECK_EQ("utimes", compat_syscall(NR_UTIMES, path, tv32), 0);
	struct stat st;
	stat(path, &st);
	CHECK("utimes.atime", st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 250000000, "atime %ld.%09ld",
	      (long)st.st_atim.tv_sec, st.st_atim.tv_nsec);
	CHECK("utimes.mtime", st.st_mtim.tv_sec == 1100000000 && st.st_mtim.tv_nsec == 500000000, "mtime %ld.%09ld",
	      (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	tv32[1] = 1000000;
	CHECK_EQ("utimes.usec_einval", compat_syscall(NR_UTIMES, path, tv32), -EINVAL);
	tv32[1] = 0;
	tv32[3] = 0;
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_EQ("futimesat", compat_syscall(NR_FUTIMESAT, dfd, name, tv32), 0);
	stat(path, &st);
	CHECK_EQ("futimesat.mtime", st.st_mtim.tv_sec, 1100000000);
	CHECK_EQ("utimes.now", compat_syscall(NR_UTIMES, path, 0), 0);
	stat(path, &st);
	CHECK("utimes.now_set", st.st_mtim.tv_sec > 1600000000, "mtime %ld", (long)st.st_mtim.tv_sec);
	close(dfd);
	unlink(path);
	return check_done();
}
