/*
 * compat-abi.md §7, time: the *_time32 calls use 8-byte old_timespec32/old_timeval32 (clock_gettime
 * 263, clock_getres 264, gettimeofday 78, nanosleep 162, clock_nanosleep 265, utimensat 348) and
 * write nothing past them; the time64 calls (403, 406, 407, 412) use 16-byte timespecs.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

static unsigned char buf[32];
static struct compat_timespec req32, times32[2];
static struct compat_timespec64 req64, times64[2];
static char path[] = "/tmp/c64-time-XXXXXX";

static int untouched(size_t from)
{
	for (size_t i = from; i < sizeof buf; i++)
		if (buf[i] != 0xaa) return 0;
	return 1;
}

static int64_t now_ns(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
	struct timespec nat;
	memset(buf, 0xaa, sizeof buf);
	clock_gettime(CLOCK_REALTIME, &nat);
	CHECK_EQ("time32.clock_gettime", compat_syscall(__NR_compat_clock_gettime, CLOCK_REALTIME, buf), 0);
	struct compat_timespec t32;
	memcpy(&t32, buf, sizeof t32);
	CHECK("time32.clock_gettime_sec", t32.tv_sec - (int32_t)nat.tv_sec <= 2 && t32.tv_sec >= (int32_t)nat.tv_sec,
	      "tv_sec %d, native %ld", t32.tv_sec, (long)nat.tv_sec);
	CHECK("time32.clock_gettime_nsec", t32.tv_nsec >= 0 && t32.tv_nsec < 1000000000, "tv_nsec %d", t32.tv_nsec);
	CHECK("time32.clock_gettime_8_bytes", untouched(8), "bytes past 8 were written");

	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("time64.clock_gettime64", compat_syscall(__NR_compat_clock_gettime64, CLOCK_MONOTONIC, buf), 0);
	struct compat_timespec64 t64;
	memcpy(&t64, buf, sizeof t64);
	int64_t mono = now_ns(CLOCK_MONOTONIC);
	int64_t got = t64.tv_sec * 1000000000LL + t64.tv_nsec;
	CHECK("time64.clock_gettime64_value", got <= mono && mono - got < 2000000000LL, "%lld vs %lld", (long long)got,
	      (long long)mono);
	CHECK("time64.clock_gettime64_16_bytes", untouched(16), "bytes past 16 were written");

	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("time32.clock_getres", compat_syscall(__NR_compat_clock_getres, CLOCK_MONOTONIC, buf), 0);
	CHECK("time32.clock_getres_value", ((int32_t *)buf)[0] == 0 && ((int32_t *)buf)[1] == 1 && untouched(8),
	      "res {%d, %d}", ((int32_t *)buf)[0], ((int32_t *)buf)[1]);
	struct timespec res;
	clock_getres(CLOCK_REALTIME_COARSE, &res);
	CHECK_EQ("time32.clock_getres_coarse", compat_syscall(__NR_compat_clock_getres, CLOCK_REALTIME_COARSE, buf), 0);
	CHECK_EQ("time32.clock_getres_coarse_value", ((int32_t *)buf)[1], res.tv_nsec);
	CHECK_EQ("time32.clock_getres_bad_clock", compat_syscall(__NR_compat_clock_getres, 99, buf), (unsigned long)-22L);
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("time64.clock_getres_time64", compat_syscall(__NR_compat_clock_getres_time64, CLOCK_MONOTONIC, buf), 0);
	CHECK("time64.clock_getres_time64_value", ((int64_t *)buf)[0] == 0 && ((int64_t *)buf)[1] == 1 && untouched(16),
	      "res {%lld, %lld}", (long long)((int64_t *)buf)[0], (long long)((int64_t *)buf)[1]);

	memset(buf, 0xaa, sizeof buf);
	time_t before = time(NULL);
	CHECK_EQ("time32.gettimeofday", compat_syscall(__NR_compat_gettimeofday, buf, buf + 16), 0);
	struct compat_timeval tv;
	memcpy(&tv, buf, sizeof tv);
	CHECK("time32.gettimeofday_value", tv.tv_sec >= (int32_t)before && tv.tv_sec - (int32_t)before <= 2 &&
						   tv.tv_usec >= 0 && tv.tv_usec < 1000000,
	      "{%d, %d}", tv.tv_sec, tv.tv_usec);
	CHECK("time32.gettimeofday_8_bytes", buf[8] == 0xaa && buf[15] == 0xaa, "bytes past 8 were written");
	CHECK("time32.gettimeofday_timezone", ((uint32_t *)(buf + 16))[0] == 0 && ((uint32_t *)(buf + 16))[1] == 0 &&
						      buf[24] == 0xaa,
	      "timezone not {0, 0}");

	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	req32 = (struct compat_timespec){ 0, 30000000 };
	CHECK_EQ("time32.nanosleep", compat_syscall(__NR_compat_nanosleep, &req32, 0), 0);
	CHECK("time32.nanosleep_slept", now_ns(CLOCK_MONOTONIC) - t0 >= 30000000, "slept %lld ns",
	      (long long)(now_ns(CLOCK_MONOTONIC) - t0));
	req32 = (struct compat_timespec){ 0, 1000000000 };
	CHECK_EQ("time32.nanosleep_einval", compat_syscall(__NR_compat_nanosleep, &req32, 0), (unsigned long)-22L);
	t0 = now_ns(CLOCK_MONOTONIC);
	int64_t until = t0 + 30000000;
	req32 = (struct compat_timespec){ (int32_t)(until / 1000000000), (int32_t)(until % 1000000000) };
	CHECK_EQ("time32.clock_nanosleep_abstime",
		 compat_syscall(__NR_compat_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &req32, 0), 0);
	CHECK("time32.clock_nanosleep_slept", now_ns(CLOCK_MONOTONIC) >= until, "woke early");
	t0 = now_ns(CLOCK_MONOTONIC);
	req64 = (struct compat_timespec64){ 0, 30000000 };
	CHECK_EQ("time64.clock_nanosleep_time64",
		 compat_syscall(__NR_compat_clock_nanosleep_time64, CLOCK_MONOTONIC, 0, &req64, 0), 0);
	CHECK("time64.clock_nanosleep_time64_slept", now_ns(CLOCK_MONOTONIC) - t0 >= 30000000, "woke early");

	int fd = mkstemp(path);
	times32[0] = (struct compat_timespec){ 1000000000, 0 };
	times32[1] = (struct compat_timespec){ 1234567890, 0 };
	CHECK_EQ("time32.utimensat", compat_syscall(__NR_compat_utimensat, AT_FDCWD, path, times32, 0), 0);
	struct stat st;
	stat(path, &st);
	CHECK("time32.utimensat_value", st.st_atime == 1000000000 && st.st_mtime == 1234567890, "atime %ld mtime %ld",
	      (long)st.st_atime, (long)st.st_mtime);
	times64[0] = (struct compat_timespec64){ 1100000000, 0 };
	times64[1] = (struct compat_timespec64){ 0x100000000LL, 0 }; /* past 2106: only time64 can say it */
	CHECK_EQ("time64.utimensat_time64", compat_syscall(__NR_compat_utimensat_time64, AT_FDCWD, path, times64, 0), 0);
	stat(path, &st);
	CHECK("time64.utimensat_time64_value", st.st_atime == 1100000000 && st.st_mtime == 0x100000000LL,
	      "atime %ld mtime %ld", (long)st.st_atime, (long)st.st_mtime);
	close(fd);
	unlink(path);
	return check_done();
}
