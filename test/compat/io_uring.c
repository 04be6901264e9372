/*
 * io_uring through compat calls (compat-abi.md §7): a ring made by a compat io_uring_setup (425)
 * is a compat ring for life. Its rings are mapped with compat mmap2 (192), which places them below
 * 4 GiB; READV/WRITEV read 8-byte compat_iovecs and SENDMSG/RECVMSG the 28-byte compat_msghdr
 * (12-byte cmsg headers) — also when a native io_uring_enter submits them — and
 * IORING_REGISTER_BUFFERS reads compat_iovecs. io_uring_enter's sigmask is a compat_sigset_t when
 * the enter call is compat. A native ring in the same process keeps 16-byte iovecs, even when a
 * compat io_uring_enter submits to it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

#define P32(p) ((uint32_t)(uintptr_t)(p))

/* The ARM EABI struct msghdr (compat_msghdr) and cmsghdr (compat_cmsghdr). */
struct compat_msghdr {
	uint32_t msg_name;
	int32_t msg_namelen;
	uint32_t msg_iov;
	uint32_t msg_iovlen;
	uint32_t msg_control;
	uint32_t msg_controllen;
	uint32_t msg_flags;
};
_Static_assert(sizeof(struct compat_msghdr) == 28, "compat_msghdr is 28 bytes");
struct compat_cmsghdr {
	uint32_t cmsg_len;
	int32_t cmsg_level;
	int32_t cmsg_type;
};
_Static_assert(sizeof(struct compat_cmsghdr) == 12, "compat_cmsghdr is 12 bytes");
_Static_assert(sizeof(struct io_uring_params) == 120, "io_uring_params is 120 bytes in both ABIs");
_Static_assert(sizeof(struct io_uring_sqe) == 64, "io_uring_sqe is 64 bytes in both ABIs");
_Static_assert(sizeof(struct io_uring_cqe) == 16, "io_uring_cqe is 16 bytes in both ABIs");

struct ring {
	int fd;
	int compat_mapped;
	struct io_uring_params p;
	char *rings;
	struct io_uring_sqe *sqes;
};

static char path[] = "/tmp/c64-uring-XXXXXX";
static struct ring cr, nr;
static struct compat_iovec iov32[2];
static struct iovec iov64[2];
static char wa[6] = "AAAAAA", wb[6] = "BBBBBB", ra[4], rb[8];
static char fixed[4096];
static struct compat_msghdr smh, rmh;
static char ctl[16], rctl[32];
static char sbuf[5] = "hello", rbuf2[16];
static volatile int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

#define U32(r, off) ((unsigned *)((r)->rings + (off)))

static long compat_mmap2(unsigned len, int fd, unsigned pgoff)
{
	return compat_syscall(__NR_compat_mmap2, 0, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, pgoff);
}

static int map_ring(struct ring *r, int compat)
{
	size_t len = r->p.sq_off.array + r->p.sq_entries * 4;
	size_t sqes = r->p.sq_entries * sizeof(struct io_uring_sqe);
	if (compat) {
		long a = compat_mmap2(len, r->fd, IORING_OFF_SQ_RING / 4096);
		long b = compat_mmap2(sqes, r->fd, IORING_OFF_SQES / 4096);
		if (a < 0 || b < 0) return -1;
		r->rings = (char *)(uintptr_t)a;
		r->sqes = (struct io_uring_sqe *)(uintptr_t)b;
	} else {
		r->rings = mmap(0, len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, IORING_OFF_SQ_RING);
		r->sqes = mmap(0, sqes, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, IORING_OFF_SQES);
		if (r->rings == MAP_FAILED || r->sqes == MAP_FAILED) return -1;
	}
	r->compat_mapped = compat;
	return 0;
}

static struct io_uring_sqe *prep(struct ring *r, int op, int fd, const void *addr, unsigned len, uint64_t off,
				 uint64_t data)
{
	unsigned tail = *U32(r, r->p.sq_off.tail);
	unsigned idx = tail & *U32(r, r->p.sq_off.ring_mask);
	struct io_uring_sqe *s = &r->sqes[idx];
	memset(s, 0, sizeof *s);
	s->opcode = op;
	s->fd = fd;
	s->addr = (uint64_t)(uintptr_t)addr;
	s->len = len;
	s->off = off;
	s->user_data = data;
	U32(r, r->p.sq_off.array)[idx] = idx;
	__atomic_store_n(U32(r, r->p.sq_off.tail), tail + 1, __ATOMIC_RELEASE);
	return s;
}

/* The res of the next CQE (and its user_data in *data), or -9999 when the CQ ring is empty. */
static int next_cqe(struct ring *r, uint64_t *data)
{
	unsigned head = *U32(r, r->p.cq_off.head);
	if (head == __atomic_load_n(U32(r, r->p.cq_off.tail), __ATOMIC_ACQUIRE)) return -9999;
	struct io_uring_cqe *c =
		(struct io_uring_cqe *)(r->rings + r->p.cq_off.cqes) + (head & *U32(r, r->p.cq_off.ring_mask));
	int res = c->res;
	if (data) *data = c->user_data;
	__atomic_store_n(U32(r, r->p.cq_off.head), head + 1, __ATOMIC_RELEASE);
	return res;
}

static long center(struct ring *r, unsigned submit, unsigned wait, const void *sig, unsigned sigsz)
{
	return compat_syscall(__NR_compat_io_uring_enter, r->fd, submit, wait, wait ? IORING_ENTER_GETEVENTS : 0, sig,
			      sigsz);
}

static long nenter(struct ring *r, unsigned submit, unsigned wait)
{
	long v = syscall(__NR_io_uring_enter, r->fd, submit, wait, wait ? IORING_ENTER_GETEVENTS : 0, NULL, 0);
	return v < 0 ? -errno : v;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int fd = mkstemp(path);
	if (fd < 0) return 1;

	/* Setup: the same params layout and offsets as a native ring. */
	CHECK_EQ("setup.zero_entries_einval", compat_syscall_raw(__NR_compat_io_uring_setup, 0, &cr.p), COMPAT_ERR(EINVAL));
	memset(&cr.p, 0, sizeof cr.p);
	long rfd = compat_syscall(__NR_compat_io_uring_setup, 4, &cr.p);
	CHECK("setup.compat_ok", rfd >= 0, "fd %ld", rfd);
	cr.fd = (int)rfd;
	CHECK("setup.params", cr.p.sq_entries == 4 && cr.p.cq_entries == 8 && cr.p.sq_off.tail == 64 &&
				      cr.p.cq_off.cqes == 320 && (cr.p.features & IORING_FEAT_SINGLE_MMAP),
	      "sq %u cq %u tail %u cqes %u features 0x%x", cr.p.sq_entries, cr.p.cq_entries, cr.p.sq_off.tail,
	      cr.p.cq_off.cqes, cr.p.features);
	CHECK_EQ("mmap2.rings_ok", map_ring(&cr, 1), 0);
	CHECK("mmap2.rings_below_4g",
	      (uintptr_t)cr.rings < COMPAT_TASK_SIZE_32 && (uintptr_t)cr.sqes < COMPAT_TASK_SIZE_32 &&
		      ((uintptr_t)cr.rings & 0xfff) == 0,
	      "rings %p sqes %p", (void *)cr.rings, (void *)cr.sqes);
	CHECK_EQ("mmap2.ring_mask_visible", *U32(&cr, cr.p.sq_off.ring_mask), 3);

	/* WRITEV with two 8-byte compat_iovecs, submitted by a compat enter. */
	iov32[0].iov_base = P32(wa);
	iov32[0].iov_len = sizeof wa;
	iov32[1].iov_base = P32(wb);
	iov32[1].iov_len = sizeof wb;
	prep(&cr, IORING_OP_WRITEV, fd, iov32, 2, 0, 0x1111000000000001ULL);
	CHECK_EQ("writev.submitted", center(&cr, 1, 1, NULL, 0), 1);
	uint64_t data = 0;
	CHECK_EQ("writev.compat_iovecs_res", next_cqe(&cr, &data), 12);
	CHECK_EQ("writev.user_data", data, 0x1111000000000001ULL);
	char back[13] = {0};
	CHECK_EQ("writev.file", pread(fd, back, 12, 0), 12);
	CHECK("writev.content", memcmp(back, "AAAAAABBBBBB", 12) == 0, "'%.12s'", back);

	/* READV with compat_iovecs, submitted by a NATIVE enter: the ring's ABI was latched at setup. */
	iov32[0].iov_base = P32(ra);
	iov32[0].iov_len = sizeof ra;
	iov32[1].iov_base = P32(rb);
	iov32[1].iov_len = sizeof rb;
	prep(&cr, IORING_OP_READV, fd, iov32, 2, 2, 2);
	CHECK_EQ("readv.native_enter_submitted", nenter(&cr, 1, 1), 1);
	CHECK_EQ("readv.latched_compat_iovecs", next_cqe(&cr, NULL), 10);
	CHECK("readv.content", memcmp(ra, "AAAA", 4) == 0 && memcmp(rb, "BBBBBB", 6) == 0, "'%.4s' '%.6s'", ra, rb);

	/* SENDMSG/RECVMSG with the 28-byte compat_msghdr and a 12-byte-header SCM_RIGHTS cmsg. */
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 1;
	iov32[0].iov_base = P32(sbuf);
	iov32[0].iov_len = sizeof sbuf;
	smh.msg_iov = P32(iov32);
	smh.msg_iovlen = 1;
	struct compat_cmsghdr *cm = (struct compat_cmsghdr *)ctl;
	cm->cmsg_len = 16;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	memcpy(ctl + 12, &fd, 4);
	smh.msg_control = P32(ctl);
	smh.msg_controllen = 16;
	prep(&cr, IORING_OP_SENDMSG, sv[0], &smh, 0, 0, 3);
	static struct compat_iovec riov32[1];
	riov32[0].iov_base = P32(rbuf2);
	riov32[0].iov_len = sizeof rbuf2;
	rmh.msg_iov = P32(riov32);
	rmh.msg_iovlen = 1;
	rmh.msg_control = P32(rctl);
	rmh.msg_controllen = sizeof rctl;
	prep(&cr, IORING_OP_RECVMSG, sv[1], &rmh, 0, 0, 4);
	CHECK_EQ("msg.submitted", center(&cr, 2, 2, NULL, 0), 2);
	CHECK_EQ("sendmsg.compat_msghdr_res", next_cqe(&cr, NULL), 5);
	CHECK_EQ("recvmsg.compat_msghdr_res", next_cqe(&cr, NULL), 5);
	CHECK("recvmsg.data", memcmp(rbuf2, "hello", 5) == 0, "'%.5s'", rbuf2);
	struct compat_cmsghdr *rc = (struct compat_cmsghdr *)rctl;
	CHECK("recvmsg.compat_cmsg", rmh.msg_controllen == 16 && rc->cmsg_len == 16 && rc->cmsg_level == SOL_SOCKET &&
					     rc->cmsg_type == SCM_RIGHTS,
	      "controllen %u len %u level %d type %d", rmh.msg_controllen, rc->cmsg_len, rc->cmsg_level,
	      rc->cmsg_type);
	int got;
	memcpy(&got, rctl + 12, 4);
	CHECK("recvmsg.fd_passed", got > fd && lseek(got, 0, SEEK_END) == 12, "fd %d", got);
	close(got);
	close(sv[0]);
	close(sv[1]);

	/* REGISTER_BUFFERS with compat_iovecs (compat register call), then READ_FIXED. */
	iov32[0].iov_base = P32(fixed);
	iov32[0].iov_len = sizeof fixed;
	CHECK_EQ("register.compat_iovecs", compat_syscall(__NR_compat_io_uring_register, cr.fd, IORING_REGISTER_BUFFERS,
							   iov32, 1),
		 0);
	prep(&cr, IORING_OP_READ_FIXED, fd, fixed + 100, 12, 0, 5);
	prep(&cr, IORING_OP_READ_FIXED, fd, fixed + 4090, 12, 0, 6);
	CHECK_EQ("read_fixed.submitted", center(&cr, 2, 2, NULL, 0), 2);
	CHECK_EQ("read_fixed.in_buffer", next_cqe(&cr, NULL), 12);
	CHECK("read_fixed.content", memcmp(fixed + 100, "AAAAAABBBBBB", 12) == 0, "'%.12s'", fixed + 100);
	CHECK_EQ("read_fixed.beyond_buffer_efault", next_cqe(&cr, NULL), -EFAULT);
	CHECK_EQ("register.unregister", compat_syscall(__NR_compat_io_uring_register, cr.fd, IORING_UNREGISTER_BUFFERS,
							0, 0),
		 0);
	/* A NATIVE register call on the compat ring still reads compat_iovecs (latched). */
	iov32[0].iov_base = P32(fixed);
	iov32[0].iov_len = 64;
	iov32[1].iov_base = P32(fixed + 1024);
	iov32[1].iov_len = 64;
	CHECK_EQ("register.native_call_latched", syscall(__NR_io_uring_register, cr.fd, IORING_REGISTER_BUFFERS, iov32, 2),
		 0);
	prep(&cr, IORING_OP_READ_FIXED, fd, fixed + 1024, 6, 6, 7)->buf_index = 1;
	prep(&cr, IORING_OP_READ_FIXED, fd, fixed + 1024, 80, 0, 8)->buf_index = 1;
	CHECK_EQ("read_fixed2.submitted", center(&cr, 2, 2, NULL, 0), 2);
	CHECK_EQ("read_fixed2.second_buffer", next_cqe(&cr, NULL), 6);
	CHECK_EQ("read_fixed2.longer_than_64_efault", next_cqe(&cr, NULL), -EFAULT);

	/* READV with IOSQE_BUFFER_SELECT reads one compat_iovec (its length caps the read) on a compat ring. */
	static char pool[16];
	struct io_uring_sqe *ps = prep(&cr, IORING_OP_PROVIDE_BUFFERS, 1, pool, sizeof pool, 5, 20);
	ps->buf_group = 1;
	iov32[0].iov_base = 0;
	iov32[0].iov_len = 4;
	iov32[1].iov_base = 0;
	iov32[1].iov_len = 0;
	ps = prep(&cr, IORING_OP_READV, fd, iov32, 1, 0, 21);
	ps->flags = IOSQE_BUFFER_SELECT;
	ps->buf_group = 1;
	CHECK_EQ("bufsel.submitted", center(&cr, 2, 2, NULL, 0), 2);
	CHECK_EQ("bufsel.provide", next_cqe(&cr, NULL), 0);
	CHECK_EQ("bufsel.readv_compat_iovec_len", next_cqe(&cr, NULL), 4);
	CHECK("bufsel.data", memcmp(pool, "AAAA", 4) == 0 && pool[4] == 0, "'%.5s'", pool);

	/* The compat enter's sigmask is a compat_sigset_t: SIGALRM blocked while waiting for a TIMEOUT. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	static uint32_t set32[2];
	set32[0] = 1u << (SIGALRM - 1);
	static struct __kernel_timespec ts = {0, 60 * 1000 * 1000};
	prep(&cr, IORING_OP_TIMEOUT, 0, &ts, 1, 0, 9);
	struct itimerval it = {{0, 0}, {0, 15000}};
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_EQ("sigmask.wait_ends_with_timeout", center(&cr, 1, 1, set32, 8), 1);
	CHECK_EQ("sigmask.timeout_cqe", next_cqe(&cr, NULL), -ETIME);
	CHECK_EQ("sigmask.alarm_after_the_wait", alarms, 1);
	CHECK_EQ("sigmask.size_4_einval", compat_syscall_raw(__NR_compat_io_uring_enter, cr.fd, 0, 1,
							      IORING_ENTER_GETEVENTS, set32, 4),
		 COMPAT_ERR(EINVAL));
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_EQ("sigmask.none_eintr", center(&cr, 0, 1, NULL, 0), -EINTR);
	CHECK_EQ("sigmask.alarm_ended_wait", alarms, 2);

	/* A native ring in the same process: 16-byte iovecs, whichever ABI enters. */
	long nfd = syscall(__NR_io_uring_setup, 4, &nr.p);
	CHECK("native.setup", nfd >= 0, "fd %ld", nfd);
	nr.fd = (int)nfd;
	CHECK_EQ("native.mmap", map_ring(&nr, 0), 0);
	CHECK("native.rings_above_4g", (uintptr_t)nr.rings > 0xffffffffUL, "rings %p", (void *)nr.rings);
	memset(ra, 0, sizeof ra);
	memset(rb, 0, sizeof rb);
	iov64[0].iov_base = ra;
	iov64[0].iov_len = 3;
	iov64[1].iov_base = rb;
	iov64[1].iov_len = 5;
	prep(&nr, IORING_OP_READV, fd, iov64, 2, 4, 10);
	CHECK_EQ("native.compat_enter_submitted", center(&nr, 1, 1, NULL, 0), 1);
	CHECK_EQ("native.readv_16_byte_iovecs", next_cqe(&nr, NULL), 8);
	CHECK("native.readv_content", memcmp(ra, "AAB", 3) == 0 && memcmp(rb, "BBBBB", 5) == 0, "'%.3s' '%.5s'", ra,
	      rb);

	/* The compat probe. */
	static struct {
		struct io_uring_probe p;
		struct io_uring_probe_op ops[IORING_OP_LAST];
	} pr;
	CHECK_EQ("probe.compat", compat_syscall(__NR_compat_io_uring_register, cr.fd, IORING_REGISTER_PROBE, &pr,
						IORING_OP_LAST),
		 0);
	CHECK("probe.readv_supported", pr.p.last_op == IORING_OP_LAST - 1 &&
					       (pr.ops[IORING_OP_READV].flags & IO_URING_OP_SUPPORTED) &&
					       (pr.ops[IORING_OP_SENDMSG].flags & IO_URING_OP_SUPPORTED),
	      "last_op %u", pr.p.last_op);
	CHECK_EQ("close.compat_ring", close(cr.fd), 0);
	CHECK_EQ("close.native_ring", close(nr.fd), 0);
	unlink(path);
	return check_done();
}
