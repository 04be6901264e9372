/*
 * Linux AIO through compat calls (compat_sys_io_*): io_setup (243) reads and writes a u32 context
 * and maps the ring (32-byte header, magic 0xa10a10a1) below 4 GiB; io_submit (246) reads u32 iocb
 * pointers, and its PREADV/PWRITEV compat iovecs; io_getevents (245) takes an old_timespec32.
 * The ring is read directly, as libaio does. A native context lies above 4 GiB and cannot be named
 * by a compat call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

struct aio_ring {
	uint32_t id, nr, head, tail, magic, compat_features, incompat_features, header_length;
};
_Static_assert(sizeof(struct iocb) == 64, "iocb is 64 bytes in both ABIs");
_Static_assert(sizeof(struct io_event) == 32, "io_event is 32 bytes in both ABIs");

#define P32(p) ((uint32_t)(uintptr_t)(p))

static char path[] = "/tmp/c64-aio-XXXXXX";
static uint32_t ctx32;
static struct iocb cbs[4];
static uint32_t list32[4];
static struct io_event evs[8];
static struct compat_timespec ts32;
static char rbuf[16], wa[8] = "AAAAAAAA", wb[4] = "BBBB", back[12];
static struct compat_iovec iov32[2];
static int pfd[2];
static uint64_t evcount;
static volatile int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static struct aio_ring *ring(void)
{
	return (struct aio_ring *)(uintptr_t)ctx32;
}

static void prep(struct iocb *cb, int op, int fd, void *buf, uint64_t n, int64_t off, uint64_t data)
{
	memset(cb, 0, sizeof *cb);
	cb->aio_lio_opcode = op;
	cb->aio_fildes = fd;
	cb->aio_buf = (uint64_t)(uintptr_t)buf;
	cb->aio_nbytes = n;
	cb->aio_offset = off;
	cb->aio_data = data;
	cb->aio_key = 0xdeadbeef;
}

static long getevents(long min, long nr, long sec, long nsec)
{
	ts32.tv_sec = sec;
	ts32.tv_nsec = nsec;
	return compat_syscall(__NR_compat_io_getevents, ctx32, min, nr, evs, &ts32);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int fd = mkstemp(path);
	if (fd < 0) return 1;
	if (write(fd, "0123456789abcdefghijklmnopqrstuv", 32) != 32) return 1;

	ctx32 = 1;
	CHECK_EQ("setup.nonzero_ctx_einval", compat_syscall_raw(__NR_compat_io_setup, 8, &ctx32), COMPAT_ERR(EINVAL));
	ctx32 = 0;
	CHECK_EQ("setup.zero_events_einval", compat_syscall_raw(__NR_compat_io_setup, 0, &ctx32), COMPAT_ERR(EINVAL));
	CHECK_EQ("setup.ok", compat_syscall(__NR_compat_io_setup, 8, &ctx32), 0);
	CHECK("setup.ring_below_4g", ctx32 != 0 && ctx32 < COMPAT_TASK_SIZE_32 && (ctx32 & 0xfff) == 0, "ctx 0x%x",
	      ctx32);
	struct aio_ring *r = ring();
	CHECK("ring.header", r->magic == 0xa10a10a1 && r->header_length == 32 && r->compat_features == 1 &&
				     r->incompat_features == 0 && r->head == 0 && r->tail == 0 && r->id == 0,
	      "magic 0x%x hl %u features %u/%u head %u tail %u id %u", r->magic, r->header_length,
	      r->compat_features, r->incompat_features, r->head, r->tail, r->id);
	CHECK("ring.nr_fills_pages", r->nr >= 18 && (32 + r->nr * 32) % 4096 == 0, "nr %u", r->nr);

	/* PREAD, PWRITEV with two compat iovecs, FSYNC: all in one compat io_submit. */
	prep(&cbs[0], IOCB_CMD_PREAD, fd, rbuf, sizeof rbuf, 4, 0x1111000000000001ULL);
	iov32[0].iov_base = P32(wa);
	iov32[0].iov_len = sizeof wa;
	iov32[1].iov_base = P32(wb);
	iov32[1].iov_len = sizeof wb;
	prep(&cbs[1], IOCB_CMD_PWRITEV, fd, iov32, 2, 100, 0x2222000000000002ULL);
	prep(&cbs[2], IOCB_CMD_FSYNC, fd, NULL, 0, 0, 3);
	for (int i = 0; i < 3; i++) list32[i] = P32(&cbs[i]);
	CHECK_EQ("submit.three", compat_syscall(__NR_compat_io_submit, ctx32, 3, list32), 3);
	CHECK_EQ("submit.aio_key_zeroed", cbs[0].aio_key, 0);
	memset(evs, 0xa5, sizeof evs);
	CHECK_EQ("getevents.three", getevents(3, 8, 1, 0), 3);
	CHECK("getevents.pread", evs[0].data == 0x1111000000000001ULL && evs[0].obj == (uint64_t)(uintptr_t)&cbs[0] &&
					 evs[0].res == 16 && evs[0].res2 == 0,
	      "data 0x%llx obj 0x%llx res %lld", (unsigned long long)evs[0].data, (unsigned long long)evs[0].obj,
	      (long long)evs[0].res);
	CHECK("getevents.pread_bytes", memcmp(rbuf, "456789abcdefghij", 16) == 0, "read '%.16s'", rbuf);
	CHECK("getevents.pwritev_compat_iovecs", evs[1].data == 0x2222000000000002ULL && evs[1].res == 12,
	      "data 0x%llx res %lld", (unsigned long long)evs[1].data, (long long)evs[1].res);
	CHECK_EQ("getevents.fsync", evs[2].res, 0);
	CHECK("getevents.only_three_written", evs[3].data == 0xa5a5a5a5a5a5a5a5ULL, "4th event written");
	CHECK_EQ("pwritev.bytes_in_file", pread(fd, back, 12, 100), 12);
	CHECK("pwritev.content", memcmp(back, "AAAAAAAABBBB", 12) == 0, "'%.12s'", back);
	CHECK("ring.consumed", r->head == 3 && r->tail == 3, "head %u tail %u", r->head, r->tail);

	/* Submission errors: the first request's errno when none was accepted, else the count. */
	prep(&cbs[0], 6 /* IOCB_CMD_NOOP */, fd, NULL, 0, 0, 0);
	CHECK_EQ("submit.noop_einval", compat_syscall_raw(__NR_compat_io_submit, ctx32, 1, list32), COMPAT_ERR(EINVAL));
	prep(&cbs[0], IOCB_CMD_PREAD, fd, rbuf, 4, 0, 0);
	cbs[0].aio_reserved2 = 1;
	CHECK_EQ("submit.reserved2_einval", compat_syscall_raw(__NR_compat_io_submit, ctx32, 1, list32),
		 COMPAT_ERR(EINVAL));
	prep(&cbs[0], IOCB_CMD_PREAD, 999, rbuf, 4, 0, 0);
	CHECK_EQ("submit.bad_fd_ebadf", compat_syscall_raw(__NR_compat_io_submit, ctx32, 1, list32), COMPAT_ERR(EBADF));
	prep(&cbs[0], IOCB_CMD_PREAD, fd, rbuf, 4, 0, 7);
	prep(&cbs[1], 6, fd, NULL, 0, 0, 0);
	CHECK_EQ("submit.partial_count", compat_syscall(__NR_compat_io_submit, ctx32, 2, list32), 1);
	CHECK_EQ("submit.bad_ctx_einval", compat_syscall_raw(__NR_compat_io_submit, ctx32 + 4096, 1, list32),
		 COMPAT_ERR(EINVAL));
	CHECK_EQ("submit.negative_nr_einval", compat_syscall_raw(__NR_compat_io_submit, ctx32, -1, list32),
		 COMPAT_ERR(EINVAL));
	/* The accepted PREAD's event, read from the ring directly as libaio does. */
	struct io_event *ev = (struct io_event *)(uintptr_t)(ctx32 + 32);
	CHECK("ring.direct_read", r->tail == 4 && ev[3].data == 7 && ev[3].res == 4, "tail %u data %llu res %lld",
	      r->tail, (unsigned long long)ev[3].data, (long long)ev[3].res);
	r->head = r->tail;
	CHECK_EQ("getevents.none_after_user_consumed", getevents(0, 8, 0, 0), 0);
	CHECK_EQ("getevents.min_gt_nr_einval", compat_syscall_raw(__NR_compat_io_getevents, ctx32, 2, 1, evs, 0),
		 COMPAT_ERR(EINVAL));

	/* POLL: not ready, times out with nothing; ready once the pipe has data. */
	if (pipe(pfd) != 0) return 1;
	prep(&cbs[0], IOCB_CMD_POLL, pfd[0], NULL, 0, 0, 0x50);
	cbs[0].aio_buf = POLLIN;
	CHECK_EQ("poll.submitted", compat_syscall(__NR_compat_io_submit, ctx32, 1, list32), 1);
	CHECK_EQ("poll.times_out_empty", getevents(1, 1, 0, 50 * 1000 * 1000), 0);
	CHECK_EQ("poll.write", write(pfd[1], "x", 1), 1);
	CHECK_EQ("poll.completes", getevents(1, 1, 1, 0), 1);
	CHECK("poll.res_pollin", evs[0].data == 0x50 && evs[0].res == POLLIN, "data 0x%llx res 0x%llx",
	      (unsigned long long)evs[0].data, (unsigned long long)evs[0].res);

	/* io_cancel of a pending POLL: -EINPROGRESS, and the event still arrives. */
	char c;
	if (read(pfd[0], &c, 1) != 1) return 1;
	prep(&cbs[0], IOCB_CMD_POLL, pfd[0], NULL, 0, 0, 0x51);
	cbs[0].aio_buf = POLLIN;
	CHECK_EQ("cancel.submitted", compat_syscall(__NR_compat_io_submit, ctx32, 1, list32), 1);
	CHECK_EQ("cancel.einprogress", compat_syscall_raw(__NR_compat_io_cancel, ctx32, &cbs[0], &evs[7]),
		 COMPAT_ERR(EINPROGRESS));
	CHECK_EQ("cancel.event_delivered", getevents(1, 1, 1, 0), 1);
	CHECK("cancel.event", evs[0].data == 0x51 && evs[0].res == 0, "data 0x%llx res %lld",
	      (unsigned long long)evs[0].data, (long long)evs[0].res);
	CHECK_EQ("cancel.twice_einval", compat_syscall_raw(__NR_compat_io_cancel, ctx32, &cbs[0], &evs[7]),
		 COMPAT_ERR(EINVAL));

	/* IOCB_FLAG_RESFD: the eventfd counts completions. */
	int efd = eventfd(0, 0);
	prep(&cbs[0], IOCB_CMD_PREAD, fd, rbuf, 4, 0, 9);
	cbs[0].aio_flags = IOCB_FLAG_RESFD;
	cbs[0].aio_resfd = efd;
	CHECK_EQ("resfd.submitted", compat_syscall(__NR_compat_io_submit, ctx32, 1, list32), 1);
	CHECK_EQ("resfd.eventfd_read", read(efd, &evcount, 8), 8);
	CHECK_EQ("resfd.count_1", evcount, 1);
	CHECK_EQ("resfd.event", getevents(1, 1, 1, 0), 1);

	/* io_pgetevents (399, old_timespec32) and io_pgetevents_time64 (416): a compat __aio_sigset. */
	prep(&cbs[0], IOCB_CMD_PREAD, fd, rbuf, 4, 0, 11);
	CHECK_EQ("pgetevents.submitted", compat_syscall(__NR_compat_io_submit, ctx32, 1, list32), 1);
	sigset_t blockusr1;
	sigemptyset(&blockusr1);
	sigaddset(&blockusr1, SIGUSR1);
	static uint32_t usig32[2];
	static uint64_t mask64;
	memcpy(&mask64, &blockusr1, 8);
	usig32[0] = P32(&mask64);
	usig32[1] = 4;
	ts32.tv_sec = 1;
	ts32.tv_nsec = 0;
	CHECK_EQ("pgetevents.sigsetsize_4_einval",
		 compat_syscall_raw(__NR_compat_io_pgetevents, ctx32, 1, 1, evs, &ts32, usig32), COMPAT_ERR(EINVAL));
	usig32[1] = 8;
	CHECK_EQ("pgetevents.one", compat_syscall(__NR_compat_io_pgetevents, ctx32, 1, 1, evs, &ts32, usig32), 1);
	CHECK_EQ("pgetevents.event", evs[0].data, 11);
	static struct compat_timespec64 ts64;
	ts64.tv_sec = 0;
	ts64.tv_nsec = 20 * 1000 * 1000;
	CHECK_EQ("pgetevents_time64.times_out", compat_syscall(__NR_compat_io_pgetevents_time64, ctx32, 1, 1, evs, &ts64, 0), 0);
	/* A signal with a handler ends the wait: -ERESTARTNOHAND becomes -EINTR, zero-extended. */
	signal(SIGALRM, on_alarm);
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_EQ("pgetevents.eintr", compat_syscall_raw(__NR_compat_io_pgetevents, ctx32, 1, 1, evs, 0, usig32),
		 COMPAT_ERR(EINTR));
	CHECK_EQ("pgetevents.handler_ran", alarms, 1);
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK_EQ("pgetevents.mask_restored", sigismember(&now, SIGUSR1), 0);

	/* A native context: above 4 GiB; a compat call cannot name it. */
	aio_context_t nctx = 0;
	CHECK_EQ("native.setup", syscall(SYS_io_setup, 4, &nctx), 0);
	CHECK("native.ring_above_4g", nctx > 0xffffffffUL, "ctx 0x%lx", (unsigned long)nctx);
	CHECK_EQ("native.id_1", ((struct aio_ring *)nctx)->id, 1);
	struct iocb *nlist[1] = { &cbs[0] };
	prep(&cbs[0], IOCB_CMD_PREAD, fd, rbuf, 4, 8, 10);
	CHECK_EQ("native.submit", syscall(SYS_io_submit, nctx, 1, nlist), 1);
	struct io_event nev;
	struct timespec nts = { 1, 0 };
	CHECK_EQ("native.getevents", syscall(SYS_io_getevents, nctx, 1, 1, &nev, &nts), 1);
	CHECK("native.event", nev.data == 10 && nev.res == 4 && memcmp(rbuf, "89ab", 4) == 0, "res %lld",
	      (long long)nev.res);
	CHECK_EQ("native.compat_cannot_name_it",
		 compat_syscall_raw(__NR_compat_io_destroy, (uint32_t)nctx), COMPAT_ERR(EINVAL));
	CHECK_EQ("native.destroy", syscall(SYS_io_destroy, nctx), 0);

	CHECK_EQ("destroy.ok", compat_syscall(__NR_compat_io_destroy, ctx32), 0);
	CHECK_EQ("destroy.twice_einval", compat_syscall_raw(__NR_compat_io_destroy, ctx32), COMPAT_ERR(EINVAL));
	CHECK_EQ("destroy.getevents_einval", compat_syscall_raw(__NR_compat_io_getevents, ctx32, 0, 1, evs, 0),
		 COMPAT_ERR(EINVAL));
	unlink(path);
	return check_done();
}
