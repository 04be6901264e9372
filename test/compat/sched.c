/*
 * Scheduling calls through the compat table: sched_rr_get_interval (161) writes an 8-byte
 * old_timespec32 and nothing past it, its time64 twin (423) 16 bytes; sched_setaffinity (241) and
 * sched_getaffinity (242) take compat_ulong_t masks (4-byte lengths work); the calls whose structures
 * are the same in both ABIs (sched_*param, sched_*scheduler, sched_*attr, getcpu, membarrier, rseq,
 * capget) share the arm64 handlers. compat64 emulates one CPU (CPU 0).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <string.h>
#include <sys/rseq.h>

#include "check.h"
#include "compat-abi.h"

/* Compat pointers are 32-bit: everything passed lives in the (low) data segment, not on the stack. */
static unsigned char buf[32];
static int prio, got;
static uint32_t mask[2];
static unsigned cpu, node;
static uint32_t attr[14];
static struct __user_cap_header_struct h;
static struct __user_cap_data_struct d[2];

static int untouched(size_t from)
{
	for (size_t i = from; i < sizeof buf; i++)
		if (buf[i] != 0xaa) return 0;
	return 1;
}

int main(void)
{
	prio = 7;
	CHECK_EQ("sched.setscheduler_rr", compat_syscall(__NR_compat_sched_setscheduler, 0, SCHED_RR, &prio), 0);
	CHECK_EQ("sched.getscheduler", compat_syscall(__NR_compat_sched_getscheduler, 0), SCHED_RR);
	CHECK_EQ("sched.getparam", compat_syscall(__NR_compat_sched_getparam, 0, &got), 0);
	CHECK_EQ("sched.getparam_value", got, 7);
	CHECK_EQ("sched.priority_max", compat_syscall(__NR_compat_sched_get_priority_max, SCHED_FIFO), 99);
	CHECK_EQ("sched.priority_min", compat_syscall(__NR_compat_sched_get_priority_min, SCHED_RR), 1);

	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("sched.rr_get_interval32", compat_syscall(__NR_compat_sched_rr_get_interval, 0, buf), 0);
	struct compat_timespec t32;
	memcpy(&t32, buf, sizeof t32);
	CHECK("sched.rr_get_interval32_value", t32.tv_sec == 0 && t32.tv_nsec == 100000000, "%d.%09d", t32.tv_sec,
	      t32.tv_nsec);
	CHECK("sched.rr_get_interval32_8_bytes", untouched(8), "bytes past 8 written");
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("sched.rr_get_interval_time64", compat_syscall(__NR_compat_sched_rr_get_interval_time64, 0, buf), 0);
	struct compat_timespec64 t64;
	memcpy(&t64, buf, sizeof t64);
	CHECK("sched.rr_get_interval_time64_value", t64.tv_sec == 0 && t64.tv_nsec == 100000000, "%lld.%09lld",
	      (long long)t64.tv_sec, (long long)t64.tv_nsec);
	CHECK("sched.rr_get_interval_time64_16_bytes", untouched(16), "bytes past 16 written");
	prio = 0;
	CHECK_EQ("sched.setscheduler_other", compat_syscall(__NR_compat_sched_setscheduler, 0, SCHED_OTHER, &prio), 0);

	mask[0] = 1;
	CHECK_EQ("sched.setaffinity_4", compat_syscall(__NR_compat_sched_setaffinity, 0, 4, mask), 0);
	mask[0] = 2;
	CHECK_EQ("sched.setaffinity_no_cpu0", compat_syscall(__NR_compat_sched_setaffinity, 0, 4, mask), -EINVAL);
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("sched.getaffinity_4", compat_syscall(__NR_compat_sched_getaffinity, 0, 4, buf), 4);
	CHECK("sched.getaffinity_4_value", buf[0] == 1 && untouched(4), "mask %02x", buf[0]);

	cpu = node = 9;
	CHECK_EQ("sched.getcpu", compat_syscall(__NR_compat_getcpu, &cpu, &node, 0), 0);
	CHECK("sched.getcpu_value", cpu == 0 && node == 0, "cpu %u node %u", cpu, node);
	CHECK_EQ("sched.membarrier_query", compat_syscall(__NR_compat_membarrier, 0, 0, 0), 0x1ff);

	memset(attr, 0xff, sizeof attr);
	CHECK_EQ("sched.getattr", compat_syscall(__NR_compat_sched_getattr, 0, attr, 56, 0), 0);
	CHECK("sched.getattr_value", attr[0] == 56 && attr[1] == SCHED_OTHER, "size %u policy %u", attr[0], attr[1]);

	h.version = _LINUX_CAPABILITY_VERSION_3;
	CHECK_EQ("sched.capget", compat_syscall(__NR_compat_capget, &h, d), 0);
	h.version = 1;
	CHECK_EQ("sched.capget_bad_version", compat_syscall(__NR_compat_capget, &h, d), -EINVAL);
	CHECK_EQ("sched.capget_version_written", h.version, _LINUX_CAPABILITY_VERSION_3);

	struct rseq *area = (struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
	if (__rseq_size == 32)
		CHECK_EQ("sched.rseq_busy", compat_syscall(__NR_compat_rseq, area, 32, 0, RSEQ_SIG), -EBUSY);
	else
		SKIP("sched.rseq_busy", "glibc did not register rseq");
	return check_done();
}
