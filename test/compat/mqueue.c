/*
 * Compat POSIX message queues: mq_open (274) and mq_getsetattr (279) with the 32-byte compat_mq_attr
 * (four signed 32-bit longs and four reserved ones; nothing written past 32 bytes, the reserved
 * words zeroed; compat mq_open reads it only with O_CREAT), mq_timedsend/mq_timedreceive (276/277)
 * with the 8-byte old_timespec32 and the time64 pair (418/419, whose tv_nsec counts only its low
 * half), mq_notify (278) with compat_sigevent (sival_int, signo, notify; the SIGEV_THREAD cookie is
 * compat_ptr(sival_int)), and mq_unlink (275). The same queue is checked through native calls.
 * Pointers handed to compat calls are static data, below 4 GiB.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

struct compat_mq_attr {
	int32_t mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs;
	int32_t reserved[4];
};
_Static_assert(sizeof(struct compat_mq_attr) == 32, "compat_mq_attr is 32 bytes");

/* compat_sigevent: sigval (4 bytes), signo, notify, then the union (tid first); 64 bytes. */
struct compat_sigevent {
	int32_t sival_int;
	int32_t signo;
	int32_t notify;
	int32_t tid;
	int32_t pad[12];
};
_Static_assert(sizeof(struct compat_sigevent) == 64, "compat_sigevent is 64 bytes");

static char name[64];
static unsigned char attrbuf[32 + 32];
static struct compat_mq_attr cattr;
static struct compat_sigevent cev;
static struct compat_timespec ts32;
static struct compat_timespec64 ts64;
static char msg[64];
static unsigned int prio;
static char cookie[32];

static int untouched(const unsigned char *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (p[i] != 0xa5) return 0;
	return 1;
}

static void attrs(long fd)
{
	memset(attrbuf, 0xa5, sizeof attrbuf);
	CHECK_EQ("mq_getsetattr.get", compat_syscall(__NR_compat_mq_getsetattr, fd, 0, attrbuf), 0);
	struct compat_mq_attr got;
	memcpy(&got, attrbuf, sizeof got);
	CHECK("mq_getsetattr.fields", got.mq_flags == 0 && got.mq_maxmsg == 3 && got.mq_msgsize == 24 && got.mq_curmsgs == 0,
	      "flags %d maxmsg %d msgsize %d curmsgs %d", got.mq_flags, got.mq_maxmsg, got.mq_msgsize, got.mq_curmsgs);
	CHECK("mq_getsetattr.reserved_zeroed", got.reserved[0] == 0 && got.reserved[1] == 0 && got.reserved[2] == 0 && got.reserved[3] == 0,
	      "reserved words not zeroed");
	CHECK("mq_getsetattr.32_bytes_only", untouched(attrbuf, 32, sizeof attrbuf), "bytes after compat_mq_attr written");

	memset(&cattr, 0, sizeof cattr);
	cattr.mq_flags = O_NONBLOCK;
	cattr.mq_maxmsg = 99;
	memset(attrbuf, 0xa5, sizeof attrbuf);
	CHECK_EQ("mq_getsetattr.set_nonblock", compat_syscall(__NR_compat_mq_getsetattr, fd, &cattr, attrbuf), 0);
	memcpy(&got, attrbuf, sizeof got);
	CHECK_EQ("mq_getsetattr.old_flags", got.mq_flags, 0);
	struct mq_attr native;
	mq_getattr(fd, &native);
	CHECK("mq_getsetattr.seen_natively", native.mq_flags == O_NONBLOCK && native.mq_maxmsg == 3,
	      "flags %ld maxmsg %ld", native.mq_flags, native.mq_maxmsg);
	cattr.mq_flags = -1;
	CHECK_EQ("mq_getsetattr.negative_flags_einval", compat_syscall(__NR_compat_mq_getsetattr, fd, &cattr, 0), -EINVAL);
	cattr.mq_flags = 0;
	CHECK_EQ("mq_getsetattr.clear_nonblock", compat_syscall(__NR_compat_mq_getsetattr, fd, &cattr, 0), 0);
	CHECK_EQ("mq_getsetattr.bad_pointer", compat_syscall(__NR_compat_mq_getsetattr, fd, 8, 0), -EFAULT);
}

static void timeouts(long fd)
{
	/* old_timespec32: an absolute CLOCK_REALTIME deadline. */
	ts32.tv_sec = 1;
	ts32.tv_nsec = 0;
	CHECK_EQ("mq_timedreceive.time32_past", compat_syscall(__NR_compat_mq_timedreceive, fd, msg, 24, 0, &ts32), -ETIMEDOUT);
	ts32.tv_nsec = 1000000000;
	CHECK_EQ("mq_timedreceive.time32_bad_nsec", compat_syscall(__NR_compat_mq_timedreceive, fd, msg, 24, 0, &ts32), -EINVAL);
	ts32.tv_sec = -1;
	ts32.tv_nsec = 0;
	CHECK_EQ("mq_timedreceive.time32_negative_sec", compat_syscall(__NR_compat_mq_timedreceive, fd, msg, 24, 0, &ts32), -EINVAL);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	ts32.tv_sec = (int32_t)now.tv_sec;
	ts32.tv_nsec = (int32_t)now.tv_nsec;
	ts32.tv_nsec += 100000000;
	if (ts32.tv_nsec >= 1000000000) {
		ts32.tv_sec++;
		ts32.tv_nsec -= 1000000000;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ("mq_timedreceive.time32_future", compat_syscall(__NR_compat_mq_timedreceive, fd, msg, 24, 0, &ts32), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK("mq_timedreceive.time32_waited", ms >= 50 && ms < 3000, "waited %ld ms", ms);

	ts64.tv_sec = 1;
	ts64.tv_nsec = (int64_t)0x7eadbeef00000005LL;
	CHECK_EQ("mq_timedreceive_time64.nsec_low_half_only",
		 compat_syscall(__NR_compat_mq_timedreceive_time64, fd, msg, 24, 0, &ts64), -ETIMEDOUT);
	ts64.tv_nsec = 1000000000;
	CHECK_EQ("mq_timedreceive_time64.bad_nsec", compat_syscall(__NR_compat_mq_timedreceive_time64, fd, msg, 24, 0, &ts64), -EINVAL);

	/* Fill the queue (3 messages), then a send times out. */
	for (int i = 0; i < 3; i++) {
		msg[0] = (char)('a' + i);
		compat_syscall(__NR_compat_mq_timedsend, fd, msg, 1, (unsigned)i, 0);
	}
	ts32.tv_sec = 1;
	ts32.tv_nsec = 0;
	CHECK_EQ("mq_timedsend.time32_full_past", compat_syscall(__NR_compat_mq_timedsend, fd, msg, 1, 0, &ts32), -ETIMEDOUT);
	ts64.tv_sec = 1;
	ts64.tv_nsec = 0;
	CHECK_EQ("mq_timedsend_time64.full_past", compat_syscall(__NR_compat_mq_timedsend_time64, fd, msg, 1, 0, &ts64), -ETIMEDOUT);
	CHECK_EQ("mq_timedsend.prio_32768", compat_syscall(__NR_compat_mq_timedsend, fd, msg, 1, 32768, 0), -EINVAL);
	CHECK_EQ("mq_timedsend.emsgsize", compat_syscall(__NR_compat_mq_timedsend, fd, msg, 25, 0, 0), -EMSGSIZE);

	prio = 99;
	memset(msg, 0, sizeof msg);
	long n = compat_syscall(__NR_compat_mq_timedreceive, fd, msg, 24, &prio, 0);
	CHECK("mq_timedreceive.highest_first", n == 1 && msg[0] == 'c' && prio == 2, "n %ld msg %c prio %u", n, msg[0], prio);
	CHECK_EQ("mq_timedreceive.emsgsize", compat_syscall(__NR_compat_mq_timedreceive, fd, msg, 23, 0, 0), -EMSGSIZE);
	char buf[24];
	mq_receive(fd, buf, sizeof buf, NULL);
	mq_receive(fd, buf, sizeof buf, NULL);
}

static void notify(long fd)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	memset(&cev, 0, sizeof cev);
	cev.sival_int = 0x1234abcd;
	cev.signo = SIGRTMIN + 2;
	cev.notify = SIGEV_SIGNAL;
	CHECK_EQ("mq_notify.compat_sigevent", compat_syscall(__NR_compat_mq_notify, fd, &cev), 0);
	CHECK_EQ("mq_notify.ebusy", compat_syscall(__NR_compat_mq_notify, fd, &cev), -EBUSY);
	mq_send(fd, "n", 1, 0);
	siginfo_t si;
	struct timespec wait = {5, 0};
	memset(&si, 0, sizeof si);
	int sig = sigtimedwait(&set, &si, &wait);
	CHECK_EQ("mq_notify.signal", sig, SIGRTMIN + 2);
	CHECK_EQ("mq_notify.si_code", si.si_code, SI_MESGQ);
	CHECK_EQ("mq_notify.si_pid", si.si_pid, getpid());
	CHECK_EQ("mq_notify.si_value", (uintptr_t)si.si_value.sival_ptr, 0x1234abcdUL);
	char buf[24];
	mq_receive(fd, buf, sizeof buf, NULL);
	CHECK_EQ("mq_notify.unregister_null", compat_syscall(__NR_compat_mq_notify, fd, 0), 0);

	/* SIGEV_THREAD: compat_ptr(sival_int) is the cookie; a native read would see signo as the upper half. */
	cev.sival_int = (int32_t)(uintptr_t)cookie;
	cev.notify = SIGEV_THREAD;
	int p[2];
	if (pipe(p) != 0) return;
	cev.signo = p[0];
	CHECK_EQ("mq_notify.thread_cookie_compat_ptr_enotsock", compat_syscall(__NR_compat_mq_notify, fd, &cev), -ENOTSOCK);
	cev.sival_int = 8;
	CHECK_EQ("mq_notify.thread_bad_cookie", compat_syscall(__NR_compat_mq_notify, fd, &cev), -EFAULT);
	close(p[0]);
	close(p[1]);
	cev.notify = 7;
	CHECK_EQ("mq_notify.bad_notify", compat_syscall(__NR_compat_mq_notify, fd, &cev), -EINVAL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	snprintf(name, sizeof name, "c64-compat-%d", (int)getpid());
	memset(&cattr, 0, sizeof cattr);
	cattr.mq_maxmsg = 3;
	cattr.mq_msgsize = 24;
	long fd = compat_syscall(__NR_compat_mq_open, name, O_CREAT | O_EXCL | O_RDWR, 0600, &cattr);
	CHECK("mq_open.compat_attr", fd >= 0, "result %ld", fd);
	if (fd < 0) return check_done();
	struct mq_attr native;
	mq_getattr(fd, &native);
	CHECK("mq_open.sizes_seen_natively", native.mq_maxmsg == 3 && native.mq_msgsize == 24, "maxmsg %ld msgsize %ld",
	      native.mq_maxmsg, native.mq_msgsize);
	long fd2 = compat_syscall(__NR_compat_mq_open, name, O_RDWR, 0, 8);
	CHECK("mq_open.attr_ignored_without_creat", fd2 >= 0, "result %ld", fd2);
	if (fd2 >= 0) close(fd2);
	CHECK_EQ("mq_open.attr_read_with_creat", compat_syscall(__NR_compat_mq_open, name, O_CREAT | O_RDWR, 0600, 8), -EFAULT);
	cattr.mq_maxmsg = -1;
	CHECK_EQ("mq_open.negative_maxmsg", compat_syscall(__NR_compat_mq_open, "c64-compat-neg", O_CREAT | O_RDWR, 0600, &cattr), -EINVAL);
	CHECK_EQ("mq_open.exists", compat_syscall(__NR_compat_mq_open, name, O_CREAT | O_EXCL | O_RDWR, 0600, 0), -EEXIST);
	attrs(fd);
	timeouts(fd);
	notify(fd);
	close(fd);
	CHECK_EQ("mq_unlink.compat", compat_syscall(__NR_compat_mq_unlink, name), 0);
	CHECK_EQ("mq_unlink.gone", compat_syscall(__NR_compat_mq_unlink, name), -ENOENT);
	return check_done();
}
