/*
 * The compat (AArch32 EABI) timer calls from a 64-bit task through bit 31 of x8: timer_create (257)
 * with a 16-byte-read compat_sigevent (sival_int only: si_value's upper half is 0), timer_settime/
 * gettime (258/259) and timerfd_settime/gettime (353/354) with the 16-byte old_itimerspec32, their
 * time64 twins (408/409, 410/411) with 32 bytes and the upper half of tv_nsec ignored, timer_getoverrun
 * (260), timer_delete (261), timerfd_create (350), signalfd (349) and signalfd4 (355) with the 8-byte
 * compat_sigset_t, and clock_gettime/clock_getres (263/264) of the CPU-time clocks. Errors come back
 * as zero-extended 32-bit values. compat64 only: qemu-aarch64 has no compat-syscall ABI.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "../../compat/check.h"

#define MS 1000000
#define SIGEV_SIGNAL_ 0

struct ts32 {
	int32_t tv_sec;
	int32_t tv_nsec;
};
struct its32 {
	struct ts32 it_interval;
	struct ts32 it_value;
};
struct ts64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};
struct its64 {
	struct ts64 it_interval;
	struct ts64 it_value;
};
/* compat_sigevent: 64 bytes, sigval is 4 bytes. */
struct sigevent32 {
	int32_t sigev_value;
	int32_t sigev_signo;
	int32_t sigev_notify;
	int32_t tid;
	int32_t pad[12];
};
_Static_assert(sizeof(struct its32) == 16, "old_itimerspec32 is 16 bytes");
_Static_assert(sizeof(struct its64) == 32, "__kernel_itimerspec is 32 bytes");
_Static_assert(sizeof(struct sigevent32) == 64, "compat_sigevent is 64 bytes");

static unsigned char buf[64];
static struct sigevent32 ev;
static int32_t timer_id[2];
static struct its32 set32;
static struct its64 set64;
static uint64_t mask;

static int untouched(size_t from)
{
	for (size_t i = from; i < sizeof buf; i++)
		if (buf[i] != 0xaa) return 0;
	return 1;
}

static siginfo_t wait_for(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	struct timespec limit = {5, 0};
	siginfo_t si;
	memset(&si, 0, sizeof si);
	if (sigtimedwait(&s, &si, &limit) < 0) si.si_signo = 0;
	return si;
}

static void posix_timers(void)
{
	ev.sigev_value = 0x55;
	ev.sigev_signo = SIGUSR1;
	ev.sigev_notify = SIGEV_SIGNAL_;
	memset(ev.pad, 0xff, sizeof ev.pad);
	timer_id[1] = 0x12345678;
	CHECK_EQ("timers.create", compat_syscall(__NR_compat_timer_create, CLOCK_MONOTONIC, &ev, &timer_id[0]), 0);
	CHECK_EQ("timers.create_id_4_bytes", timer_id[1], 0x12345678);
	int id = timer_id[0];

	set32 = (struct its32){{0, 20 * MS}, {0, 20 * MS}};
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("timers.settime32", compat_syscall(__NR_compat_timer_settime, id, 0, &set32, buf), 0);
	struct its32 old;
	memcpy(&old, buf, sizeof old);
	CHECK("timers.settime32_old", old.it_value.tv_sec == 0 && old.it_value.tv_nsec == 0 &&
				   old.it_interval.tv_nsec == 0 && untouched(16),
	      "old {%d, %d} or bytes past 16 written", old.it_value.tv_sec, old.it_value.tv_nsec);

	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("timers.gettime32", compat_syscall(__NR_compat_timer_gettime, id, buf), 0);
	struct its32 g32;
	memcpy(&g32, buf, sizeof g32);
	CHECK("timers.gettime32_value", g32.it_interval.tv_sec == 0 && g32.it_interval.tv_nsec == 20 * MS &&
				     g32.it_value.tv_sec == 0 && g32.it_value.tv_nsec > 0 &&
				     g32.it_value.tv_nsec <= 20 * MS && untouched(16),
	      "interval %d, value %d", g32.it_interval.tv_nsec, g32.it_value.tv_nsec);

	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("timers.gettime64", compat_syscall(__NR_compat_timer_gettime64, id, buf), 0);
	struct its64 g64;
	memcpy(&g64, buf, sizeof g64);
	CHECK("timers.gettime64_value", g64.it_interval.tv_nsec == 20 * MS && g64.it_value.tv_sec == 0 &&
				     g64.it_value.tv_nsec > 0 && g64.it_value.tv_nsec <= 20 * MS && untouched(32),
	      "interval %lld", (long long)g64.it_interval.tv_nsec);

	siginfo_t si = wait_for(SIGUSR1);
	CHECK("timers.signal", si.si_signo == SIGUSR1 && si.si_code == SI_TIMER, "si_signo %d si_code %d", si.si_signo,
	      si.si_code);
	CHECK_EQ("timers.sigval_upper_half_zero", (uintptr_t)si.si_value.sival_ptr, 0x55);
	CHECK_EQ("timers.si_timerid", si.si_timerid, id);
	CHECK_EQ("timers.getoverrun", compat_syscall(__NR_compat_timer_getoverrun, id), si.si_overrun);

	/* time64: the upper half of tv_nsec is padding in a compat call. */
	set64 = (struct its64){{0, 0}, {0, 10 * MS}};
	set64.it_value.tv_nsec |= (int64_t)0x7eadbeef << 32;
	CHECK_EQ("timers.settime64_nsec_padding", compat_syscall(__NR_compat_timer_settime64, id, 0, &set64, 0), 0);
	si = wait_for(SIGUSR1);
	CHECK_EQ("timers.settime64_fires", si.si_signo, SIGUSR1);
	set32.it_value.tv_nsec = 1000000000;
	CHECK_EQ("timers.settime32_einval", compat_syscall_raw(__NR_compat_timer_settime, id, 0, &set32, 0),
		 COMPAT_ERR(22));
	CHECK_EQ("timers.delete", compat_syscall(__NR_compat_timer_delete, id), 0);
	CHECK_EQ("timers.delete_again", compat_syscall_raw(__NR_compat_timer_delete, id), COMPAT_ERR(22));
}

static void timerfds(void)
{
	long fd = compat_syscall(__NR_compat_timerfd_create, CLOCK_MONOTONIC, 0);
	CHECK("timerfd.create", fd >= 0, "fd %ld", fd);
	set32 = (struct its32){{0, 0}, {0, 10 * MS}};
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("timerfd.settime32", compat_syscall(__NR_compat_timerfd_settime, fd, 0, &set32, buf), 0);
	CHECK("timerfd.settime32_old_16_bytes", untouched(16) && ((int32_t *)buf)[3] == 0, "bytes past 16 written");
	uint64_t n = 0;
	CHECK("timerfd.read", read((int)fd, &n, 8) == 8 && n == 1, "count %llu", (unsigned long long)n);
	set32 = (struct its32){{1, 0}, {2, 0}};
	compat_syscall(__NR_compat_timerfd_settime, fd, 0, &set32, 0);
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("timerfd.gettime32", compat_syscall(__NR_compat_timerfd_gettime, fd, buf), 0);
	struct its32 g32;
	memcpy(&g32, buf, sizeof g32);
	CHECK("timerfd.gettime32_value", g32.it_interval.tv_sec == 1 && g32.it_interval.tv_nsec == 0 &&
				      (g32.it_value.tv_sec == 1 || (g32.it_value.tv_sec == 2 && g32.it_value.tv_nsec == 0)) &&
				      untouched(16),
	      "interval %d.%09d value %d.%09d", g32.it_interval.tv_sec, g32.it_interval.tv_nsec, g32.it_value.tv_sec,
	      g32.it_value.tv_nsec);
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("timerfd.gettime64", compat_syscall(__NR_compat_timerfd_gettime64, fd, buf), 0);
	struct its64 g64;
	memcpy(&g64, buf, sizeof g64);
	CHECK("timerfd.gettime64_value", g64.it_interval.tv_sec == 1 && untouched(32), "interval %lld",
	      (long long)g64.it_interval.tv_sec);
	set64 = (struct its64){{0, 0}, {0, 5 * MS}};
	set64.it_value.tv_nsec |= (int64_t)0x12345678 << 32;
	CHECK_EQ("timerfd.settime64_nsec_padding", compat_syscall(__NR_compat_timerfd_settime64, fd, 0, &set64, 0), 0);
	CHECK("timerfd.settime64_read", read((int)fd, &n, 8) == 8 && n == 1, "count %llu", (unsigned long long)n);
	CHECK_EQ("timerfd.create_einval", compat_syscall_raw(__NR_compat_timerfd_create, CLOCK_MONOTONIC, 1),
		 COMPAT_ERR(22));
	close((int)fd);
}

static void signalfds(void)
{
	mask = 1ull << (SIGUSR2 - 1);
	long fd = compat_syscall(__NR_compat_signalfd, -1, &mask, 8);
	CHECK("signalfd.create", fd >= 0, "fd %ld", fd);
	raise(SIGUSR2);
	struct signalfd_siginfo r;
	CHECK("signalfd.read", read((int)fd, &r, sizeof r) == 128 && r.ssi_signo == SIGUSR2 && r.ssi_code == SI_TKILL,
	      "ssi_signo %u", r.ssi_signo);
	CHECK_EQ("signalfd.sizemask_4", compat_syscall_raw(__NR_compat_signalfd, -1, &mask, 4), COMPAT_ERR(22));
	long fd4 = compat_syscall(__NR_compat_signalfd4, -1, &mask, 8, SFD_NONBLOCK);
	CHECK("signalfd4.create", fd4 >= 0, "fd %ld", fd4);
	CHECK("signalfd4.nonblock", read((int)fd4, &r, sizeof r) == -1 && errno == EAGAIN, "errno %d", errno);
	CHECK_EQ("signalfd4.flags_einval", compat_syscall_raw(__NR_compat_signalfd4, -1, &mask, 8, 1), COMPAT_ERR(22));
	CHECK_EQ("signalfd4.same_fd", compat_syscall(__NR_compat_signalfd4, fd4, &mask, 8, 0), fd4);
	close((int)fd);
	close((int)fd4);
}

static void cpu_clocks(void)
{
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("clocks.process_cputime32", compat_syscall(__NR_compat_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, buf), 0);
	CHECK("clocks.process_cputime32_8_bytes", untouched(8) && ((int32_t *)buf)[1] >= 0, "bytes past 8 written");
	int32_t pid_clock = (int32_t)((~(uint32_t)getpid() << 3) | 2);
	CHECK_EQ("clocks.pid_clock", compat_syscall(__NR_compat_clock_gettime, pid_clock, buf), 0);
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("clocks.getres_prof", compat_syscall(__NR_compat_clock_getres, (int32_t)(~0u << 3), buf), 0);
	CHECK("clocks.getres_prof_tick", ((int32_t *)buf)[0] == 0 && ((int32_t *)buf)[1] == 4000000 && untouched(8),
	      "res {%d, %d}", ((int32_t *)buf)[0], ((int32_t *)buf)[1]);
	CHECK_EQ("clocks.cpuclock_max", compat_syscall_raw(__NR_compat_clock_gettime, (int32_t)(~0u << 3 | 7), buf),
		 COMPAT_ERR(22));
}

int main(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	posix_timers();
	timerfds();
	signalfds();
	cpu_clocks();
	return check_done();
}
