/*
 * compat-abi.md §7, time: the compat *_time64 calls read a 16-byte __kernel_timespec whose tv_nsec
 * counts only its low 32 bits (get_timespec64 zeroes the upper half in a compat call), so garbage
 * there behaves as the clean value; the same garbage in a native call fails timespec64_valid
 * (-EINVAL). Covered: clock_nanosleep_time64 (407), timer_settime64 (409), timerfd_settime64
 * (411), utimensat_time64 (412), pselect6_time64 (413), ppoll_time64 (414), io_pgetevents_time64
 * (416), recvmmsg_time64 (417), rt_sigtimedwait_time64 (421), futex_time64 (422).
 * (semtimedop_time64 and mq_timed*_time64 are checked in sysv_ipc.c and mqueue.c.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

/* Garbage for the upper half of tv_nsec. */
#define UPPER(ns) ((int64_t)(0x5a5a5a5aULL << 32) | (ns))
#define MS 1000000LL

static struct compat_timespec64 ts, times64[2], its[2], got[2];
static uint32_t futex_word, timer_id, aio_ctx;
static uint64_t wait_set = 1ULL << (SIGUSR2 - 1);
static char path[] = "/tmp/c64-t64-XXXXXX";
static unsigned char sev[64], evs[64], info[128];
static char rbuf[8];
/* compat_iovec, then compat_mmsghdr: compat_msghdr (7 u32) and msg_len. */
static struct compat_iovec riov;
static uint32_t mmsg[8];

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* errno of a failed native call, 0 if it succeeded. */
static long native_err(long r)
{
	return r == -1 ? errno : 0;
}

static void sleeps(void)
{
	int64_t t0 = now_ns();
	ts = (struct compat_timespec64){ 0, UPPER(20 * MS) };
	CHECK_EQ("clock_nanosleep_time64.upper_nsec",
		 compat_syscall(__NR_compat_clock_nanosleep_time64, CLOCK_MONOTONIC, 0, &ts, 0), 0);
	CHECK("clock_nanosleep_time64.slept", now_ns() - t0 >= 20 * MS, "slept %lld ns", (long long)(now_ns() - t0));
	CHECK_EQ("clock_nanosleep.native_upper_nsec",
		 native_err(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, 0)), EINVAL);
	/* Only the low half is ignored: an invalid low half stays invalid. */
	ts.tv_nsec = UPPER(1000000000);
	CHECK_EQ("clock_nanosleep_time64.low_half_invalid",
		 compat_syscall(__NR_compat_clock_nanosleep_time64, CLOCK_MONOTONIC, 0, &ts, 0), -EINVAL);
	ts.tv_nsec = (int64_t)0x00000000ffffffffULL | (1LL << 32);
	CHECK_EQ("clock_nanosleep_time64.low_half_zero_extended",
		 compat_syscall(__NR_compat_clock_nanosleep_time64, CLOCK_MONOTONIC, 0, &ts, 0), -EINVAL);
}

static void timers(void)
{
	/* compat_sigevent: sigev_notify (offset 8) = SIGEV_NONE. */
	memset(sev, 0, sizeof sev);
	sev[8] = SIGEV_NONE;
	CHECK_EQ("timer_create", compat_syscall(__NR_compat_timer_create, CLOCK_MONOTONIC, sev, &timer_id), 0);
	its[0] = (struct compat_timespec64){ 1, UPPER(5) };  /* it_interval */
	its[1] = (struct compat_timespec64){ 10, UPPER(7) }; /* it_value */
	CHECK_EQ("timer_settime64.upper_nsec", compat_syscall(__NR_compat_timer_settime64, timer_id, 0, its, 0), 0);
	CHECK_EQ("timer_gettime64", compat_syscall(__NR_compat_timer_gettime64, timer_id, got), 0);
	CHECK("timer_settime64.armed", got[0].tv_sec == 1 && got[0].tv_nsec == 5 && got[1].tv_sec >= 9 && got[1].tv_sec <= 10,
	      "interval {%lld, %lld} value {%lld, %lld}", (long long)got[0].tv_sec, (long long)got[0].tv_nsec,
	      (long long)got[1].tv_sec, (long long)got[1].tv_nsec);
	compat_syscall(__NR_compat_timer_delete, timer_id);

	timer_t nt;
	struct sigevent nsev = { .sigev_notify = SIGEV_NONE };
	timer_create(CLOCK_MONOTONIC, &nsev, &nt);
	CHECK_EQ("timer_settime.native_upper_nsec", native_err(syscall(SYS_timer_settime, nt, 0, its, 0)), EINVAL);
	timer_delete(nt);

	long tfd = compat_syscall(__NR_compat_timerfd_create, CLOCK_MONOTONIC, 0);
	CHECK("timerfd_create", tfd >= 0, "result %ld", tfd);
	CHECK_EQ("timerfd_settime64.upper_nsec", compat_syscall(__NR_compat_timerfd_settime64, tfd, 0, its, 0), 0);
	memset(got, 0, sizeof got);
	CHECK_EQ("timerfd_gettime64", compat_syscall(__NR_compat_timerfd_gettime64, tfd, got), 0);
	CHECK("timerfd_settime64.armed", got[0].tv_sec == 1 && got[0].tv_nsec == 5 && got[1].tv_sec >= 9 && got[1].tv_sec <= 10,
	      "interval {%lld, %lld} value {%lld, %lld}", (long long)got[0].tv_sec, (long long)got[0].tv_nsec,
	      (long long)got[1].tv_sec, (long long)got[1].tv_nsec);
	CHECK_EQ("timerfd_settime.native_upper_nsec", native_err(syscall(SYS_timerfd_settime, tfd, 0, its, 0)), EINVAL);
	close(tfd);
}

/* Host-backed files keep microseconds: the values are whole microseconds. */
static void utimes_ns(void)
{
	int fd = mkstemp(path);
	times64[0] = (struct compat_timespec64){ 1000000000, UPPER(123000) };
	times64[1] = (struct compat_timespec64){ 1200000000, UPPER(456000) };
	CHECK_EQ("utimensat_time64.upper_nsec",
		 compat_syscall(__NR_compat_utimensat_time64, AT_FDCWD, path, times64, 0), 0);
	struct stat st;
	stat(path, &st);
	CHECK("utimensat_time64.value",
	      st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123000 && st.st_mtim.tv_sec == 1200000000 &&
		      st.st_mtim.tv_nsec == 456000,
	      "atime {%ld, %ld} mtime {%ld, %ld}", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec,
	      st.st_mtim.tv_nsec);
	/* UTIME_OMIT in the low half: the time is left as it is. */
	times64[0] = (struct compat_timespec64){ 5, UPPER(UTIME_OMIT) };
	times64[1] = (struct compat_timespec64){ 1300000000, UPPER(0) };
	CHECK_EQ("utimensat_time64.omit_upper",
		 compat_syscall(__NR_compat_utimensat_time64, AT_FDCWD, path, times64, 0), 0);
	stat(path, &st);
	CHECK("utimensat_time64.omit_value", st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1300000000,
	      "atime %ld mtime %ld", (long)st.st_atim.tv_sec, (long)st.st_mtim.tv_sec);
	CHECK_EQ("utimensat.native_upper_nsec", native_err(syscall(SYS_utimensat, AT_FDCWD, path, times64, 0)), EINVAL);
	close(fd);
	unlink(path);
}

static void waits(void)
{
	int64_t t0 = now_ns();
	ts = (struct compat_timespec64){ 0, UPPER(10 * MS) };
	CHECK_EQ("ppoll_time64.upper_nsec", compat_syscall(__NR_compat_ppoll_time64, 0, 0, &ts, 0, 8), 0);
	CHECK("ppoll_time64.waited", now_ns() - t0 >= 10 * MS, "waited %lld ns", (long long)(now_ns() - t0));
	ts = (struct compat_timespec64){ 0, UPPER(10 * MS) };
	CHECK_EQ("ppoll.native_upper_nsec", native_err(syscall(SYS_ppoll, 0, 0, &ts, 0, 8)), EINVAL);

	t0 = now_ns();
	ts = (struct compat_timespec64){ 0, UPPER(10 * MS) };
	CHECK_EQ("pselect6_time64.upper_nsec", compat_syscall(__NR_compat_pselect6_time64, 0, 0, 0, 0, &ts, 0), 0);
	CHECK("pselect6_time64.waited", now_ns() - t0 >= 10 * MS, "waited %lld ns", (long long)(now_ns() - t0));
	ts = (struct compat_timespec64){ 0, UPPER(10 * MS) };
	CHECK_EQ("pselect6.native_upper_nsec", native_err(syscall(SYS_pselect6, 0, 0, 0, 0, &ts, 0)), EINVAL);

	t0 = now_ns();
	ts = (struct compat_timespec64){ 0, UPPER(10 * MS) };
	CHECK_EQ("futex_time64.upper_nsec",
		 compat_syscall(__NR_compat_futex_time64, &futex_word, FUTEX_WAIT_PRIVATE, 0, &ts, 0, 0), -ETIMEDOUT);
	CHECK("futex_time64.waited", now_ns() - t0 >= 10 * MS, "waited %lld ns", (long long)(now_ns() - t0));
	CHECK_EQ("futex.native_upper_nsec",
		 native_err(syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, &ts, 0, 0)), EINVAL);

	t0 = now_ns();
	CHECK_EQ("rt_sigtimedwait_time64.upper_nsec",
		 compat_syscall(__NR_compat_rt_sigtimedwait_time64, &wait_set, info, &ts, 8), -EAGAIN);
	CHECK("rt_sigtimedwait_time64.waited", now_ns() - t0 >= 10 * MS, "waited %lld ns",
	      (long long)(now_ns() - t0));
	CHECK_EQ("rt_sigtimedwait.native_upper_nsec", native_err(syscall(SYS_rt_sigtimedwait, &wait_set, info, &ts, 8)),
		 EINVAL);
	ts.tv_nsec = UPPER(1000000000);
	CHECK_EQ("rt_sigtimedwait_time64.low_half_invalid",
		 compat_syscall(__NR_compat_rt_sigtimedwait_time64, &wait_set, info, &ts, 8), -EINVAL);
}

static void aio(void)
{
	CHECK_EQ("io_setup", compat_syscall(__NR_compat_io_setup, 4, &aio_ctx), 0);
	/* Linux does not validate this timeout: unmasked, the upper half would make it ~72 days. */
	int64_t t0 = now_ns();
	ts = (struct compat_timespec64){ 0, UPPER(10 * MS) };
	CHECK_EQ("io_pgetevents_time64.upper_nsec",
		 compat_syscall(__NR_compat_io_pgetevents_time64, aio_ctx, 1, 1, evs, &ts, 0), 0);
	CHECK("io_pgetevents_time64.waited", now_ns() - t0 >= 10 * MS, "waited %lld ns", (long long)(now_ns() - t0));
	compat_syscall(__NR_compat_io_destroy, aio_ctx);
}

static void recvmmsg64(void)
{
	int sv[2];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	write(sv[1], "ping", 4);
	riov = (struct compat_iovec){ (uint32_t)(uintptr_t)rbuf, sizeof rbuf };
	memset(mmsg, 0, sizeof mmsg);
	mmsg[2] = (uint32_t)(uintptr_t)&riov; /* msg_iov */
	mmsg[3] = 1;			       /* msg_iovlen */
	ts = (struct compat_timespec64){ 5, UPPER(0) };
	CHECK_EQ("recvmmsg_time64.upper_nsec", compat_syscall(__NR_compat_recvmmsg_time64, sv[0], mmsg, 1, 0, &ts), 1);
	CHECK("recvmmsg_time64.received", mmsg[7] == 4 && memcmp(rbuf, "ping", 4) == 0, "msg_len %u", mmsg[7]);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	sleeps();
	timers();
	utimes_ns();
	waits();
	aio();
	recvmmsg64();
	return check_done();
}
