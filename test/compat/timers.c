/*
 * Compat getitimer/setitimer (105/104) with the 16-byte old_itimerval32, and the NTP query calls
 * adjtimex (124) and clock_adjtime (372) with the 128-byte old_timex32, clock_adjtime64 (405) with
 * the 208-byte __kernel_timex. Only queries are made (modes 0 or ADJ_OFFSET_SS_READ): a modes
 * word that changes the clock needs CAP_SYS_TIME, so that check runs only for an unprivileged user.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

/* old_itimerval32: it_interval then it_value, each an 8-byte old_timeval32. */
struct compat_itimerval {
	struct compat_timeval it_interval, it_value;
};
_Static_assert(sizeof(struct compat_itimerval) == 16, "old_itimerval32 is 16 bytes");

/* struct old_timex32 (ARM EABI): 32-bit longs, an 8-byte timeval at 36, 11 reserved ints. */
struct compat_timex {
	uint32_t modes;
	int32_t offset, freq, maxerror, esterror;
	int32_t status;
	int32_t constant, precision, tolerance;
	struct compat_timeval time;
	int32_t tick, ppsfreq, jitter;
	int32_t shift;
	int32_t stabil, jitcnt, calcnt, errcnt, stbcnt;
	int32_t tai;
	int32_t reserved[11];
};
_Static_assert(sizeof(struct compat_timex) == 128, "old_timex32 is 128 bytes");
_Static_assert(offsetof(struct compat_timex, time) == 36, "time at 36");
_Static_assert(offsetof(struct compat_timex, tick) == 44, "tick at 44");
_Static_assert(offsetof(struct compat_timex, tai) == 80, "tai at 80");
_Static_assert(sizeof(struct timex) == 208, "the arm64 timex (= __kernel_timex) is 208 bytes");

#define ADJ_OFFSET_SS_READ_ 0xa001
#define ADJ_ADJTIME_ONLY 0x8000
#define USER_TICK_USEC 10000 /* USER_HZ 100 */
#define TOLERANCE_500PPM (500 << 16)

static unsigned char itv[16 + 16];
static unsigned char oitv[16 + 16];
static unsigned char tx[128 + 16];
static unsigned char tx64[208 + 16];

static int untouched(const unsigned char *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (p[i] != 0xa5) return 0;
	return 1;
}

static void itimers(void)
{
	struct compat_itimerval v = { { 0, 0 }, { 5, 250000 } };
	memset(itv, 0xa5, sizeof itv);
	memcpy(itv, &v, sizeof v);
	memset(oitv, 0xa5, sizeof oitv);
	CHECK_EQ("itimer.set_real", compat_syscall(__NR_compat_setitimer, ITIMER_REAL, itv, oitv), 0);
	struct compat_itimerval o;
	memcpy(&o, oitv, sizeof o);
	CHECK("itimer.old_value_zero", o.it_value.tv_sec == 0 && o.it_value.tv_usec == 0 && o.it_interval.tv_sec == 0,
	      "old %d.%06d", o.it_value.tv_sec, o.it_value.tv_usec);
	CHECK("itimer.old_16_bytes_only", untouched(oitv, 16, sizeof oitv), "bytes after old_itimerval32 written");

	memset(oitv, 0xa5, sizeof oitv);
	CHECK_EQ("itimer.get_real", compat_syscall(__NR_compat_getitimer, ITIMER_REAL, oitv), 0);
	memcpy(&o, oitv, sizeof o);
	CHECK("itimer.get_value", (o.it_value.tv_sec == 5 || o.it_value.tv_sec == 4) && o.it_value.tv_usec >= 0 &&
					  o.it_value.tv_usec < 1000000 && o.it_interval.tv_sec == 0 &&
					  o.it_interval.tv_usec == 0,
	      "value %d.%06d interval %d.%06d", o.it_value.tv_sec, o.it_value.tv_usec, o.it_interval.tv_sec,
	      o.it_interval.tv_usec);
	CHECK("itimer.get_16_bytes_only", untouched(oitv, 16, sizeof oitv), "bytes after old_itimerval32 written");

	/* The same timer seen through the native 32-byte itimerval. */
	struct itimerval n;
	getitimer(ITIMER_REAL, &n);
	CHECK("itimer.native_sees_it", n.it_value.tv_sec == 5 || n.it_value.tv_sec == 4, "native value %ld.%06ld",
	      (long)n.it_value.tv_sec, (long)n.it_value.tv_usec);

	struct compat_itimerval bad = { { 0, 0 }, { 1, 1000000 } };
	memcpy(itv, &bad, sizeof bad);
	CHECK_EQ("itimer.usec_1e6_einval", compat_syscall_raw(__NR_compat_setitimer, ITIMER_REAL, itv, 0),
		 COMPAT_ERR(EINVAL));
	CHECK_EQ("itimer.which_3_einval", compat_syscall_raw(__NR_compat_getitimer, 3, oitv), COMPAT_ERR(EINVAL));

	/* Disarm through compat; the old value comes back in the compat layout. */
	memset(itv, 0, 16);
	memset(oitv, 0xa5, sizeof oitv);
	CHECK_EQ("itimer.disarm", compat_syscall(__NR_compat_setitimer, ITIMER_REAL, itv, oitv), 0);
	memcpy(&o, oitv, sizeof o);
	CHECK("itimer.disarm_old", o.it_value.tv_sec == 5 || o.it_value.tv_sec == 4, "old %d.%06d", o.it_value.tv_sec,
	      o.it_value.tv_usec);
	getitimer(ITIMER_REAL, &n);
	CHECK("itimer.disarmed", n.it_value.tv_sec == 0 && n.it_value.tv_usec == 0, "still %ld", (long)n.it_value.tv_sec);
}

/* Fields every kernel reports the same way whatever the NTP state. */
static void check_timex32(const char *name, long r, const struct compat_timex *t, time_t now)
{
	char n[96];
	snprintf(n, sizeof n, "%s.result", name);
	CHECK(n, r >= 0 && r <= 5, "result %ld (want a TIME_* state 0..5)", r);
	snprintf(n, sizeof n, "%s.constants", name);
	CHECK(n, t->tick == USER_TICK_USEC && t->precision == 1 && t->tolerance == TOLERANCE_500PPM,
	      "tick %d precision %d tolerance %d", t->tick, t->precision, t->tolerance);
	snprintf(n, sizeof n, "%s.time", name);
	long usec_max = (t->status & STA_NANO) ? 1000000000 : 1000000;
	CHECK(n, t->time.tv_sec >= now - 2 && t->time.tv_sec <= now + 2 && t->time.tv_usec >= 0 &&
			 t->time.tv_usec < usec_max,
	      "time %d.%d, now %ld", t->time.tv_sec, t->time.tv_usec, (long)now);
	int zero = 1;
	for (int i = 0; i < 11; i++) zero = zero && t->reserved[i] == 0;
	snprintf(n, sizeof n, "%s.reserved_zeroed", name);
	CHECK(n, zero, "put_old_timex32 writes the reserved words as 0");
	snprintf(n, sizeof n, "%s.128_bytes_only", name);
	CHECK(n, untouched(tx, 128, sizeof tx), "bytes after old_timex32 written");
}

static long timex32_call(int nr, int clock, uint32_t modes, struct compat_timex *out)
{
	memset(tx, 0xa5, sizeof tx);
	memcpy(tx, &modes, 4);
	long r = nr == __NR_compat_adjtimex ? compat_syscall(nr, tx) : compat_syscall(nr, clock, tx);
	memcpy(out, tx, sizeof *out);
	return r;
}

static void timex(void)
{
	struct compat_timex t;
	time_t now = time(NULL);
	long r = timex32_call(__NR_compat_adjtimex, 0, 0, &t);
	check_timex32("adjtimex", r, &t, now);

	/* The native call agrees on the state (result and status), in its own 208-byte layout. */
	struct timex nt;
	memset(&nt, 0, sizeof nt);
	int nr = adjtimex(&nt);
	CHECK("adjtimex.same_state_as_native", nr == r && nt.status == t.status && nt.tick == t.tick &&
						      nt.constant == t.constant && nt.maxerror == t.maxerror,
	      "native %d status 0x%x, compat %ld status 0x%x", nr, nt.status, r, t.status);

	r = timex32_call(__NR_compat_adjtimex, 0, ADJ_OFFSET_SS_READ_, &t);
	CHECK("adjtimex.ss_read_allowed", r >= 0 && r <= 5 && t.modes == ADJ_OFFSET_SS_READ_, "result %ld modes 0x%x",
	      r, t.modes);
	CHECK_EQ("adjtimex.adjtime_without_singleshot_einval",
		 timex32_call(__NR_compat_adjtimex, 0, ADJ_ADJTIME_ONLY, &t), -EINVAL);
	if (geteuid() != 0)
		CHECK_EQ("adjtimex.set_needs_cap_sys_time", timex32_call(__NR_compat_adjtimex, 0, ADJ_OFFSET, &t),
			 -EPERM);
	else
		SKIP("adjtimex.set_needs_cap_sys_time", "running as root: a modes word would change the clock");

	r = timex32_call(__NR_compat_clock_adjtime, CLOCK_REALTIME, 0, &t);
	check_timex32("clock_adjtime", r, &t, now);
	CHECK_EQ("clock_adjtime.monotonic_eopnotsupp", timex32_call(__NR_compat_clock_adjtime, CLOCK_MONOTONIC, 0, &t),
		 -EOPNOTSUPP);
	CHECK_EQ("clock_adjtime.clock_10_einval", timex32_call(__NR_compat_clock_adjtime, 10, 0, &t), -EINVAL);
	CHECK_EQ("clock_adjtime.clock_16_einval", timex32_call(__NR_compat_clock_adjtime, 16, 0, &t), -EINVAL);

	/* clock_adjtime64: the 208-byte __kernel_timex, the arm64 layout. */
	memset(tx64, 0xa5, sizeof tx64);
	memset(tx64, 0, 4);
	r = compat_syscall(__NR_compat_clock_adjtime64, CLOCK_REALTIME, tx64);
	memcpy(&nt, tx64, sizeof nt);
	CHECK("clock_adjtime64.kernel_timex", r >= 0 && r <= 5 && nt.tick == USER_TICK_USEC && nt.precision == 1 &&
						      nt.tolerance == TOLERANCE_500PPM && nt.time.tv_sec >= now - 2 &&
						      nt.time.tv_sec <= now + 2,
	      "result %ld tick %ld time %ld", r, (long)nt.tick, (long)nt.time.tv_sec);
	CHECK("clock_adjtime64.208_bytes_only", untouched(tx64, 208, sizeof tx64), "bytes after __kernel_timex written");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	itimers();
	timex();
	return check_done();
}
