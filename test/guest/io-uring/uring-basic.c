/*
 * io_uring through raw syscalls: setup and its params, the rings mapped at the three offsets,
 * every implemented opcode group, blocking completions fed by a forked child, polls, timeouts,
 * links, drains, cancellation, registered buffers/files/eventfd, the probe, CQ overflow, and the
 * io_uring_enter wait (EXT_ARG timeout, sigmask, -EINTR). Each check compares with Linux 6.1.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "check.h"
#include "uring.h"

static char path[] = "/tmp/uring-basic-XXXXXX";

static void test_setup(void)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	check_eq(sys_setup(0, &p), -EINVAL, "setup: 0 entries is EINVAL");
	memset(&p, 0, sizeof p);
	p.flags = 1u << 20;
	check_eq(sys_setup(4, &p), -EINVAL, "setup: unknown flag is EINVAL");
	memset(&p, 0, sizeof p);
	p.resv[1] = 1;
	check_eq(sys_setup(4, &p), -EINVAL, "setup: resv must be 0");
	memset(&p, 0, sizeof p);
	check_eq(sys_setup(40000, &p), -EINVAL, "setup: more than 32768 entries without CLAMP");
	memset(&p, 0, sizeof p);
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 2;
	check_eq(sys_setup(4, &p), -EINVAL, "setup: CQSIZE below the SQ size");
	memset(&p, 0, sizeof p);
	p.flags = IORING_SETUP_TASKRUN_FLAG;
	check_eq(sys_setup(4, &p), -EINVAL, "setup: TASKRUN_FLAG needs COOP_TASKRUN");
	memset(&p, 0, sizeof p);
	p.flags = IORING_SETUP_DEFER_TASKRUN;
	check_eq(sys_setup(4, &p), -EINVAL, "setup: DEFER_TASKRUN needs SINGLE_ISSUER");
	check_eq(sys_setup(4, (void *)8), -EFAULT, "setup: bad params pointer");

	memset(&p, 0, sizeof p);
	p.flags = IORING_SETUP_ATTACH_WQ;
	p.wq_fd = 999;
	check_eq(sys_setup(4, &p), -ENXIO, "setup: ATTACH_WQ to a closed fd: ENXIO");
	memset(&p, 0, sizeof p);
	p.flags = IORING_SETUP_ATTACH_WQ;
	p.wq_fd = 1;
	check_eq(sys_setup(4, &p), -EINVAL, "setup: ATTACH_WQ to a non-ring fd: EINVAL");
	memset(&p, 0, sizeof p);
	p.flags = IORING_SETUP_SQ_AFF;
	check_eq(sys_setup(4, &p), -EINVAL, "setup: SQ_AFF without SQPOLL: EINVAL");
	memset(&p, 0, sizeof p);
	p.flags = IORING_SETUP_CLAMP | IORING_SETUP_CQSIZE;
	p.cq_entries = 100000;
	long fd = sys_setup(50000, &p);
	check(fd >= 0, "setup: CLAMP clamps");
	check_eq(p.sq_entries, 32768, "setup: clamped sq_entries");
	check_eq(p.cq_entries, 65536, "setup: clamped cq_entries");
	close((int)fd);

	memset(&p, 0, sizeof p);
	fd = sys_setup(3, &p);
	check(fd >= 0, "setup: 3 entries");
	check_eq(p.sq_entries, 4, "setup: sq_entries rounded up to a power of two");
	check_eq(p.cq_entries, 8, "setup: cq_entries twice that");
	unsigned want = IORING_FEAT_SINGLE_MMAP | IORING_FEAT_NODROP | IORING_FEAT_SUBMIT_STABLE |
			IORING_FEAT_RW_CUR_POS | IORING_FEAT_FAST_POLL | IORING_FEAT_EXT_ARG;
	check((p.features & want) == want, "setup: features include SINGLE_MMAP NODROP SUBMIT_STABLE RW_CUR_POS FAST_POLL EXT_ARG");
	check_eq(p.sq_off.head, 0, "sq_off.head");
	check_eq(p.sq_off.tail, 64, "sq_off.tail");
	check_eq(p.cq_off.head, 128, "cq_off.head");
	check_eq(p.cq_off.tail, 192, "cq_off.tail");
	check_eq(p.sq_off.ring_mask, 256, "sq_off.ring_mask");
	check_eq(p.cq_off.ring_mask, 260, "cq_off.ring_mask");
	check_eq(p.sq_off.ring_entries, 264, "sq_off.ring_entries");
	check_eq(p.cq_off.ring_entries, 268, "cq_off.ring_entries");
	check_eq(p.sq_off.dropped, 272, "sq_off.dropped");
	check_eq(p.sq_off.flags, 276, "sq_off.flags");
	check_eq(p.cq_off.flags, 280, "cq_off.flags");
	check_eq(p.cq_off.overflow, 284, "cq_off.overflow");
	check_eq(p.cq_off.cqes, 320, "cq_off.cqes");
	check_eq(p.sq_off.array, 448, "sq_off.array after 8 CQEs, cache-line aligned");
	check_eq(fcntl((int)fd, F_GETFD), FD_CLOEXEC, "setup: the fd is close-on-exec");
	char link[64] = {0};
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%ld", fd);
	readlink(proc, link, sizeof link - 1);
	check(strcmp(link, "anon_inode:[io_uring]") == 0, "setup: /proc/self/fd shows anon_inode:[io_uring]");
	char c;
	check_eq(read((int)fd, &c, 1) < 0 ? -errno : 0, -EINVAL, "read(2) of the ring fd is EINVAL");
	/* Both ring offsets show the same memory (SINGLE_MMAP): the masks read the same through each. */
	unsigned *sqr = mmap(0, 4096, PROT_READ, MAP_SHARED, (int)fd, IORING_OFF_SQ_RING);
	unsigned *cqr = mmap(0, 4096, PROT_READ, MAP_SHARED, (int)fd, IORING_OFF_CQ_RING);
	check(sqr != MAP_FAILED && cqr != MAP_FAILED, "mmap of SQ_RING and CQ_RING");
	check_eq(sqr[256 / 4], 3, "SQ ring mask through SQ_RING");
	check_eq(cqr[260 / 4], 7, "CQ ring mask through CQ_RING");
	check_eq(cqr[264 / 4], 4, "SQ entries through CQ_RING");
	munmap(sqr, 4096);
	munmap(cqr, 4096);
	/* io_uring_validate_mmap_request: an unknown region offset, or more than the region, is EINVAL. */
	void *bad = mmap(0, 4096, PROT_READ, MAP_SHARED, (int)fd, 0x4000000);
	check(bad == MAP_FAILED && errno == EINVAL, "mmap of an unknown ring offset: EINVAL");
	bad = mmap(0, 1 << 20, PROT_READ, MAP_SHARED, (int)fd, IORING_OFF_SQES);
	check(bad == MAP_FAILED && errno == EINVAL, "mmap past the SQE array: EINVAL");
	close((int)fd);
	check_eq(sys_enter(0, 0, 0, 0, NULL, 0), -EOPNOTSUPP, "enter on a non-ring fd: EOPNOTSUPP");
	check_eq(sys_enter(999, 0, 0, 0, NULL, 0), -EBADF, "enter on a closed fd: EBADF");
	check_eq(sys_register(0, IORING_REGISTER_PROBE, NULL, 0), -EOPNOTSUPP, "register on a non-ring fd: EOPNOTSUPP");
}

static void test_nop_and_errors(void)
{
	struct ring r;
	check_eq(ring_init(&r, 8, 0), 0, "ring_init");
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 0xdeadbeefcafef00dULL);
	check_eq(submit_wait(&r, 1, 1), 1, "NOP submitted");
	struct io_uring_cqe c;
	check(reap(&r, &c) && c.user_data == 0xdeadbeefcafef00dULL && c.res == 0 && c.flags == 0,
	      "NOP: user_data round trip, res 0");
	check_eq(*r.sq_head, 1, "SQ head advanced");

	/* An unknown opcode fails its request and ends the submission (no SUBMIT_ALL). */
	prep(&r, IORING_OP_LAST, 0, 0, 0, 0, 1);
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 2);
	check_eq(submit_wait(&r, 2, 0), 1, "submission stops at the failed SQE");
	forget();
	reap_all(&r);
	check_eq(res_of(1), -EINVAL, "unknown opcode: EINVAL");
	check_eq(res_of(2), -9999, "the next SQE was not consumed");
	check_eq(submit_wait(&r, 1, 1), 1, "the next SQE goes with the next enter");
	forget();
	reap_all(&r);
	check_eq(res_of(2), 0, "and completes");

	struct io_uring_sqe *s = prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 3);
	s->flags = 0x80;
	s = prep(&r, IORING_OP_READ, 999, 0, 0, 0, 4);
	s = prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 5);
	s->ioprio = 1;
	s = prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 6);
	s->flags = IOSQE_CQE_SKIP_SUCCESS;
	s = prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 7);
	s->personality = 5;
	sys_enter(r.fd, 1, 0, 0, NULL, 0);
	sys_enter(r.fd, 1, 0, 0, NULL, 0);
	sys_enter(r.fd, 1, 0, 0, NULL, 0);
	sys_enter(r.fd, 1, 0, 0, NULL, 0);
	sys_enter(r.fd, 1, 0, 0, NULL, 0);
	forget();
	reap_all(&r);
	check_eq(res_of(3), -EINVAL, "unknown SQE flag: EINVAL");
	check_eq(res_of(4), -EBADF, "READ of a closed fd: EBADF");
	check_eq(res_of(5), -EINVAL, "NOP with ioprio: EINVAL");
	check_eq(res_of(6), -9999, "CQE_SKIP_SUCCESS: no CQE");
	check_eq(res_of(7), -EINVAL, "unknown personality: EINVAL");
	check_eq(sys_enter(r.fd, 0, 0, 1u << 7, NULL, 0), -EINVAL, "enter: unknown flag");

	/* An SQ array entry out of range is dropped and counted. */
	unsigned tail = *r.sq_tail;
	r.sq_array[tail & *r.sq_mask] = 100;
	*r.sq_tail = tail + 1;
	check_eq(sys_enter(r.fd, 1, 0, 0, NULL, 0), 0, "an invalid SQ index submits nothing");
	check_eq(*r.sq_dropped, 1, "and is counted in sq_dropped");
	ring_exit(&r);
}

static void test_rw(void)
{
	struct ring r;
	ring_init(&r, 8, 0);
	int fd = mkstemp(path);
	char a[] = "hello ", b[] = "uring!";
	struct iovec wv[2] = {{a, 6}, {b, 6}};
	prep(&r, IORING_OP_WRITEV, fd, wv, 2, 0, 10);
	check_eq(submit_wait(&r, 1, 1), 1, "WRITEV submitted");
	forget();
	reap_all(&r);
	check_eq(res_of(10), 12, "WRITEV wrote 12 bytes");
	char x[6] = {0}, y[7] = {0};
	struct iovec rv[2] = {{x, 5}, {y, 6}};
	prep(&r, IORING_OP_READV, fd, rv, 2, 1, 11);
	submit_wait(&r, 1, 1);
	forget();
	reap_all(&r);
	check_eq(res_of(11), 11, "READV at offset 1 read 11 bytes");
	check(memcmp(x, "ello ", 5) == 0 && memcmp(y, "uring!", 6) == 0, "READV scattered the bytes");

	/* off -1: the file position, which moves (IORING_FEAT_RW_CUR_POS). */
	lseek(fd, 6, SEEK_SET);
	char z[4] = {0};
	prep(&r, IORING_OP_READ, fd, z, 3, (uint64_t)-1, 12);
	submit_wait(&r, 1, 1);
	forget();
	reap_all(&r);
	check_eq(res_of(12), 3, "READ at the file position");
	check(memcmp(z, "uri", 3) == 0, "READ got the bytes there");
	check_eq(lseek(fd, 0, SEEK_CUR), 9, "the position moved");
	prep(&r, IORING_OP_WRITE, fd, "XY", 2, 0, 13);
	prep(&r, IORING_OP_FSYNC, fd, 0, 0, 0, 14);
	submit_wait(&r, 2, 2);
	forget();
	reap_all(&r);
	check_eq(res_of(13), 2, "WRITE at offset 0");
	check_eq(res_of(14), 0, "FSYNC");
	char all[13] = {0};
	pread(fd, all, 12, 0);
	check(strcmp(all, "XYllo uring!") == 0, "the file holds what was written");
	prep(&r, IORING_OP_READ, fd, z, 3, 100, 15);
	submit_wait(&r, 1, 1);
	forget();
	reap_all(&r);
	check_eq(res_of(15), 0, "READ past the end: 0");

	/* Registered buffers. */
	static char fixed[8192];
	struct iovec reg = {fixed, sizeof fixed};
	check_eq(sys_register(r.fd, IORING_REGISTER_BUFFERS, &reg, 1), 0, "REGISTER_BUFFERS");
	check_eq(sys_register(r.fd, IORING_REGISTER_BUFFERS, &reg, 1), -EBUSY, "REGISTER_BUFFERS again: EBUSY");
	memcpy(fixed + 100, "fixed", 5);
	struct io_uring_sqe *s = prep(&r, IORING_OP_WRITE_FIXED, fd, fixed + 100, 5, 20, 16);
	s->buf_index = 0;
	s = prep(&r, IORING_OP_READ_FIXED, fd, fixed + 4000, 12, 0, 17);
	s = prep(&r, IORING_OP_READ_FIXED, fd, fixed + 8190, 12, 0, 18);
	s = prep(&r, IORING_OP_READ_FIXED, fd, fixed, 12, 0, 19);
	s->buf_index = 1;
	submit_wait(&r, 4, 4);
	forget();
	reap_all(&r);
	check_eq(res_of(16), 5, "WRITE_FIXED");
	check_eq(res_of(17), 12, "READ_FIXED");
	check(memcmp(fixed + 4000, "XYllo uring!", 12) == 0, "READ_FIXED filled the registered buffer");
	check_eq(res_of(18), -EFAULT, "READ_FIXED beyond the buffer: EFAULT");
	check_eq(res_of(19), -EFAULT, "READ_FIXED with a bad buf_index: EFAULT");
	check_eq(sys_register(r.fd, IORING_UNREGISTER_BUFFERS, NULL, 0), 0, "UNREGISTER_BUFFERS");
	check_eq(sys_register(r.fd, IORING_UNREGISTER_BUFFERS, NULL, 0), -ENXIO, "UNREGISTER_BUFFERS again: ENXIO");
	struct iovec bad = {(void *)0x10, 4096};
	check_eq(sys_register(r.fd, IORING_REGISTER_BUFFERS, &bad, 1), -EFAULT, "REGISTER_BUFFERS of unmapped memory");

	/* Provided buffers: group 3 holds four 16-byte buffers with ids 7..10. */
	static char pool[4][16];
	s = prep(&r, IORING_OP_PROVIDE_BUFFERS, 4, pool, 16, 7, 180);
	s->buf_group = 3;
	s = prep(&r, IORING_OP_READ, fd, 0, 5, 0, 181);
	s->flags = IOSQE_BUFFER_SELECT;
	s->buf_group = 3;
	struct iovec one = {0, 3};
	s = prep(&r, IORING_OP_READV, fd, &one, 1, 2, 182);
	s->flags = IOSQE_BUFFER_SELECT;
	s->buf_group = 3;
	s = prep(&r, IORING_OP_READ, fd, 0, 5, 0, 183);
	s->flags = IOSQE_BUFFER_SELECT;
	s->buf_group = 9;
	submit_wait(&r, 4, 4);
	forget();
	reap_all(&r);
	check_eq(res_of(180), 0, "PROVIDE_BUFFERS");
	int i181 = order_of(181), i182 = order_of(182);
	check(res_of(181) == 5 && i181 >= 0 && seen[i181].flags == (IORING_CQE_F_BUFFER | (7u << IORING_CQE_BUFFER_SHIFT)) &&
		      memcmp(pool[0], "XYllo", 5) == 0,
	      "READ with BUFFER_SELECT took buffer 7");
	check(res_of(182) == 3 && i182 >= 0 && seen[i182].flags == (IORING_CQE_F_BUFFER | (8u << IORING_CQE_BUFFER_SHIFT)) &&
		      memcmp(pool[1], "llo", 3) == 0,
	      "READV with BUFFER_SELECT: one iovec's length, buffer 8");
	check_eq(res_of(183), -ENOBUFS, "BUFFER_SELECT from an empty group: ENOBUFS");
	int dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	s = prep(&r, IORING_OP_READ, dfd, 0, 4, 0, 184);
	s->flags = IOSQE_BUFFER_SELECT;
	s->buf_group = 3;
	s = prep(&r, IORING_OP_READ, fd, 0, 2, 0, 185);
	s->flags = IOSQE_BUFFER_SELECT;
	s->buf_group = 3;
	submit_wait(&r, 2, 2);
	forget();
	reap_all(&r);
	int i184 = order_of(184), i185 = order_of(185);
	check(res_of(184) == -EISDIR && i184 >= 0 && seen[i184].flags == 0, "a failed READ reports no buffer");
	check(res_of(185) == 2 && i185 >= 0 && seen[i185].flags == (IORING_CQE_F_BUFFER | (9u << IORING_CQE_BUFFER_SHIFT)),
	      "and gave buffer 9 back to the next one");
	close(dfd);
	s = prep(&r, IORING_OP_REMOVE_BUFFERS, 10, 0, 0, 0, 186);
	s->buf_group = 3;
	s = prep(&r, IORING_OP_REMOVE_BUFFERS, 1, 0, 0, 0, 187);
	s->buf_group = 3;
	submit_wait(&r, 2, 2);
	forget();
	reap_all(&r);
	check_eq(res_of(186), 1, "REMOVE_BUFFERS: the one left");
	check_eq(res_of(187), 0, "REMOVE_BUFFERS of an emptied group: 0");
	s = prep(&r, IORING_OP_REMOVE_BUFFERS, 1, 0, 0, 0, 188);
	s->buf_group = 100;
	submit_wait(&r, 1, 1);
	reap_all(&r);
	check_eq(res_of(188), -ENOENT, "REMOVE_BUFFERS of a group never provided (above 63): ENOENT");

	/* Registered files. */
	int files[3] = {-1, fd, -1};
	check_eq(sys_register(r.fd, IORING_REGISTER_FILES, files, 3), 0, "REGISTER_FILES");
	s = prep(&r, IORING_OP_READ, 1, z, 2, 0, 20);
	s->flags = IOSQE_FIXED_FILE;
	s = prep(&r, IORING_OP_READ, 0, z, 2, 0, 21);
	s->flags = IOSQE_FIXED_FILE;
	s = prep(&r, IORING_OP_READ, 7, z, 2, 0, 22);
	s->flags = IOSQE_FIXED_FILE;
	submit_wait(&r, 3, 3);
	forget();
	reap_all(&r);
	check_eq(res_of(20), 2, "READ of fixed file 1");
	check_eq(res_of(21), -EBADF, "READ of an empty fixed slot: EBADF");
	check_eq(res_of(22), -EBADF, "READ of a fixed slot out of range: EBADF");
	int upd_fds[1] = {fd};
	struct io_uring_files_update up = {.offset = 2, .fds = (uint64_t)(uintptr_t)upd_fds};
	check_eq(sys_register(r.fd, IORING_REGISTER_FILES_UPDATE, &up, 1), 1, "REGISTER_FILES_UPDATE of slot 2");
	up.offset = 3;
	check_eq(sys_register(r.fd, IORING_REGISTER_FILES_UPDATE, &up, 1), -EINVAL, "REGISTER_FILES_UPDATE beyond the table");
	prep(&r, IORING_OP_FILES_UPDATE, -1, upd_fds, 1, 0, 26);
	s = prep(&r, IORING_OP_READ, 2, z, 2, 0, 27);
	s->flags = IOSQE_FIXED_FILE;
	s = prep(&r, IORING_OP_READ, 0, z, 2, 0, 28);
	s->flags = IOSQE_FIXED_FILE;
	submit_wait(&r, 3, 3);
	forget();
	reap_all(&r);
	check_eq(res_of(26), 1, "FILES_UPDATE op fills slot 0");
	check_eq(res_of(27), 2, "READ of the updated fixed slot 2");
	check_eq(res_of(28), 2, "READ of fixed slot 0 filled by the op");
	check_eq(sys_register(r.fd, IORING_UNREGISTER_FILES, NULL, 0), 0, "UNREGISTER_FILES");
	int self[1] = {r.fd};
	check_eq(sys_register(r.fd, IORING_REGISTER_FILES, self, 1), -EBADF, "REGISTER_FILES of a ring fd: EBADF");

	/* Eventfd: signalled at each completion. */
	int efd = eventfd(0, EFD_NONBLOCK);
	check_eq(sys_register(r.fd, IORING_REGISTER_EVENTFD, &efd, 1), 0, "REGISTER_EVENTFD");
	check_eq(sys_register(r.fd, IORING_REGISTER_EVENTFD, &efd, 1), -EBUSY, "REGISTER_EVENTFD again: EBUSY");
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 23);
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 24);
	submit_wait(&r, 2, 2);
	reap_all(&r);
	uint64_t ev = 0;
	check_eq(read(efd, &ev, 8), 8, "the eventfd is readable");
	check_eq((long long)ev, 2, "one count per completion");
	*(unsigned *)((char *)r.rings + r.p.cq_off.flags) = IORING_CQ_EVENTFD_DISABLED;
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 25);
	submit_wait(&r, 1, 1);
	reap_all(&r);
	check_eq(read(efd, &ev, 8) < 0 ? -errno : 0, -EAGAIN, "IORING_CQ_EVENTFD_DISABLED silences the eventfd");
	*(unsigned *)((char *)r.rings + r.p.cq_off.flags) = 0;
	check_eq(sys_register(r.fd, IORING_UNREGISTER_EVENTFD, NULL, 0), 0, "UNREGISTER_EVENTFD");
	close(efd);
	close(fd);
	ring_exit(&r);
}

static void test_ops(void)
{
	struct ring r;
	ring_init(&r, 8, 0);
	/* OPENAT, STATX, CLOSE. */
	prep(&r, IORING_OP_OPENAT, AT_FDCWD, path, 0, 0, 30)->open_flags = O_RDONLY;
	submit_wait(&r, 1, 1);
	forget();
	reap_all(&r);
	int fd = res_of(30);
	check(fd >= 0, "OPENAT returns an fd");
	check((fcntl(fd, F_GETFL) & 0400000) != 0, "OPENAT adds O_LARGEFILE");
	struct statx stx;
	memset(&stx, 0, sizeof stx);
	struct io_uring_sqe *s = prep(&r, IORING_OP_STATX, AT_FDCWD, path, STATX_SIZE, (uint64_t)(uintptr_t)&stx, 31);
	s->statx_flags = 0;
	prep(&r, IORING_OP_CLOSE, fd, 0, 0, 0, 32);
	prep(&r, IORING_OP_CLOSE, r.fd, 0, 0, 0, 33);
	submit_wait(&r, 3, 3);
	forget();
	reap_all(&r);
	check_eq(res_of(31), 0, "STATX");
	check_eq((long long)stx.stx_size, 25, "STATX size");
	check_eq(res_of(32), 0, "CLOSE");
	check_eq(fcntl(fd, F_GETFD) < 0 ? -errno : 0, -EBADF, "the fd is closed");
	check_eq(res_of(33), -EBADF, "CLOSE of the ring fd itself: EBADF");

	/* Path and advice opcodes, each one syscall. */
	char dir[64], moved[64], link1[64], link2[64];
	snprintf(dir, sizeof dir, "%s.d", path);
	snprintf(moved, sizeof moved, "%s.m", path);
	snprintf(link1, sizeof link1, "%s.s", path);
	snprintf(link2, sizeof link2, "%s.h", path);
	prep(&r, IORING_OP_MKDIRAT, AT_FDCWD, dir, 0700, 0, 34);
	prep(&r, IORING_OP_RENAMEAT, AT_FDCWD, dir, AT_FDCWD, (uint64_t)(uintptr_t)moved, 35);
	prep(&r, IORING_OP_SYMLINKAT, AT_FDCWD, path, 0, (uint64_t)(uintptr_t)link1, 36);
	prep(&r, IORING_OP_LINKAT, AT_FDCWD, path, AT_FDCWD, (uint64_t)(uintptr_t)link2, 37);
	submit_wait(&r, 4, 4);
	forget();
	reap_all(&r);
	struct stat st;
	check(res_of(34) == 0 && res_of(35) == 0 && stat(moved, &st) == 0 && S_ISDIR(st.st_mode), "MKDIRAT, RENAMEAT");
	char tgt[64] = {0};
	readlink(link1, tgt, sizeof tgt - 1);
	check(res_of(36) == 0 && strcmp(tgt, path) == 0, "SYMLINKAT");
	check(res_of(37) == 0 && stat(path, &st) == 0 && st.st_nlink == 2, "LINKAT");
	prep(&r, IORING_OP_UNLINKAT, AT_FDCWD, moved, 0, 0, 38)->unlink_flags = AT_REMOVEDIR;
	prep(&r, IORING_OP_UNLINKAT, AT_FDCWD, link1, 0, 0, 39);
	prep(&r, IORING_OP_UNLINKAT, AT_FDCWD, link2, 0, 0, 140);
	prep(&r, IORING_OP_UNLINKAT, AT_FDCWD, link2, 0, 0, 141);
	submit_wait(&r, 4, 4);
	forget();
	reap_all(&r);
	check(res_of(38) == 0 && res_of(39) == 0 && res_of(140) == 0 && stat(moved, &st) < 0, "UNLINKAT (AT_REMOVEDIR too)");
	check_eq(res_of(141), -ENOENT, "UNLINKAT of what is gone: ENOENT");
	int wfd = open(path, O_RDWR);
	prep(&r, IORING_OP_FALLOCATE, wfd, (void *)8192, 0, 0, 142);
	prep(&r, IORING_OP_FADVISE, wfd, 0, 100, 0, 143)->fadvise_advice = POSIX_FADV_SEQUENTIAL;
	prep(&r, IORING_OP_SYNC_FILE_RANGE, wfd, 0, 0, 0, 144);
	prep(&r, IORING_OP_MADVISE, 0, path, 4096, 0, 145)->fadvise_advice = MADV_NORMAL;
	submit_wait(&r, 4, 4);
	forget();
	reap_all(&r);
	check_eq(res_of(142), 0, "FALLOCATE");
	check(fstat(wfd, &st) == 0 && st.st_size == 8192, "FALLOCATE grew the file");
	check_eq(res_of(143), 0, "FADVISE");
	check_eq(res_of(144), 0, "SYNC_FILE_RANGE");
	check_eq(res_of(145), -EINVAL, "MADVISE of an unaligned address: EINVAL");
	ftruncate(wfd, 25);
	close(wfd);
	prep(&r, IORING_OP_SOCKET, AF_UNIX, 0, 0, SOCK_STREAM | SOCK_CLOEXEC, 146);
	submit_wait(&r, 1, 1);
	forget();
	reap_all(&r);
	int so = res_of(146);
	check(so >= 0 && fcntl(so, F_GETFD) == FD_CLOEXEC, "SOCKET with SOCK_CLOEXEC");
	int ep = epoll_create1(0);
	struct epoll_event eev = {.events = EPOLLOUT, .data.u64 = 5};
	prep(&r, IORING_OP_EPOLL_CTL, ep, &eev, EPOLL_CTL_ADD, so, 147);
	prep(&r, IORING_OP_SHUTDOWN, so, 0, SHUT_RDWR, 0, 148);
	submit_wait(&r, 2, 2);
	forget();
	reap_all(&r);
	check_eq(res_of(147), 0, "EPOLL_CTL ADD");
	check_eq(epoll_ctl(ep, EPOLL_CTL_ADD, so, &eev) < 0 ? -errno : 0, -EEXIST, "the fd is in the epoll set");
	int so2 = socket(AF_UNIX, SOCK_STREAM, 0);
	check_eq(res_of(148), shutdown(so2, SHUT_RDWR) < 0 ? -errno : 0, "SHUTDOWN answers as shutdown(2)");
	check_eq(res_of(148), 0, "(AF_UNIX: 0 even unconnected)");
	close(so2);
	close(ep);
	close(so);

	/* Socket operations over a socketpair. */
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	char m1[] = "abc", m2[] = "defgh";
	struct iovec siov[2] = {{m1, 3}, {m2, 5}};
	struct msghdr mh;
	memset(&mh, 0, sizeof mh);
	mh.msg_iov = siov;
	mh.msg_iovlen = 2;
	prep(&r, IORING_OP_SENDMSG, sv[0], &mh, 0, 0, 40);
	char rb[16] = {0};
	struct iovec riov = {rb, sizeof rb};
	struct msghdr rh;
	memset(&rh, 0, sizeof rh);
	rh.msg_iov = &riov;
	rh.msg_iovlen = 1;
	prep(&r, IORING_OP_RECVMSG, sv[1], &rh, 0, 0, 41);
	submit_wait(&r, 2, 2);
	forget();
	reap_all(&r);
	check_eq(res_of(40), 8, "SENDMSG");
	check_eq(res_of(41), 8, "RECVMSG");
	check(memcmp(rb, "abcdefgh", 8) == 0, "RECVMSG got the bytes");
	prep(&r, IORING_OP_SEND, sv[1], "pong", 4, 0, 42);
	char pb[8] = {0};
	prep(&r, IORING_OP_RECV, sv[0], pb, sizeof pb, 0, 43);
	submit_wait(&r, 2, 2);
	forget();
	reap_all(&r);
	check_eq(res_of(42), 4, "SEND");
	check_eq(res_of(43), 4, "RECV");
	check(memcmp(pb, "pong", 4) == 0, "RECV got the bytes");
	s = prep(&r, IORING_OP_RECV, sv[0], pb, sizeof pb, 0, 44);
	s->msg_flags = MSG_DONTWAIT;
	submit_wait(&r, 1, 1);
	forget();
	reap_all(&r);
	check_eq(res_of(44), -EAGAIN, "RECV with MSG_DONTWAIT on an empty socket: EAGAIN");
	/* A RECV that waits for data sent later. */
	prep(&r, IORING_OP_RECV, sv[0], pb, sizeof pb, 0, 45);
	check_eq(submit_wait(&r, 1, 0), 1, "RECV on an empty socket submitted");
	check_eq(cq_ready(&r), 0, "and pending");
	check_eq(write(sv[1], "late", 4), 4, "data arrives");
	check_eq(sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0), 0, "GETEVENTS");
	forget();
	reap_all(&r);
	check_eq(res_of(45), 4, "the RECV completed");
	close(sv[0]);
	close(sv[1]);

	/* ACCEPT and CONNECT. */
	int ls = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	strcpy(sa.sun_path + 1, "uring-basic-listen");
	socklen_t salen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen("uring-basic-listen");
	check_eq(bind(ls, (struct sockaddr *)&sa, salen), 0, "bind");
	listen(ls, 4);
	struct sockaddr_un peer;
	socklen_t plen = sizeof peer;
	s = prep(&r, IORING_OP_ACCEPT, ls, &peer, 0, (uint64_t)(uintptr_t)&plen, 50);
	s->accept_flags = SOCK_CLOEXEC;
	check_eq(submit_wait(&r, 1, 0), 1, "ACCEPT submitted");
	check_eq(cq_ready(&r), 0, "ACCEPT waits for a connection");
	int cs = socket(AF_UNIX, SOCK_STREAM, 0);
	prep(&r, IORING_OP_CONNECT, cs, &sa, 0, salen, 51);
	submit_wait(&r, 1, 2);
	forget();
	reap_all(&r);
	check_eq(res_of(51), 0, "CONNECT");
	int as = res_of(50);
	check(as >= 0, "ACCEPT returned an fd");
	check_eq(fcntl(as, F_GETFD), FD_CLOEXEC, "ACCEPT honoured SOCK_CLOEXEC");
	check_eq(write(cs, "z", 1), 1, "the connection works");
	char zc = 0;
	check_eq(read(as, &zc, 1), 1, "read on the accepted socket");
	close(as);
	close(cs);
	close(ls);
	ring_exit(&r);
}

static void test_blocking_and_poll(void)
{
	struct ring r;
	ring_init(&r, 8, 0);
	int p[2];
	pipe(p);
	char buf[16] = {0};
	prep(&r, IORING_OP_READ, p[0], buf, sizeof buf, 0, 60);
	check_eq(submit_wait(&r, 1, 0), 1, "READ of an empty pipe submitted");
	check_eq(cq_ready(&r), 0, "READ pending");
	pid_t child = fork();
	if (child == 0) {
		usleep(20000);
		write(p[1], "hello", 5);
		_exit(0);
	}
	check_eq(submit_wait(&r, 0, 1), 0, "GETEVENTS waits for the child's write");
	forget();
	reap_all(&r);
	check_eq(res_of(60), 5, "the READ completed with the child's bytes");
	check(memcmp(buf, "hello", 5) == 0, "READ data");
	waitpid(child, NULL, 0);

	/* POLL_ADD: ready now, later, removed. */
	prep(&r, IORING_OP_POLL_ADD, p[1], 0, 0, 0, 61)->poll32_events = POLLOUT;
	prep(&r, IORING_OP_POLL_ADD, p[0], 0, 0, 0, 62)->poll32_events = POLLIN;
	submit_wait(&r, 2, 1);
	forget();
	reap_all(&r);
	check_eq(res_of(61), POLLOUT, "POLL_ADD POLLOUT on a pipe: ready at once");
	check_eq(res_of(62), -9999, "POLL_ADD POLLIN on an empty pipe: pending");
	write(p[1], "x", 1);
	forget();
	reap_all(&r);
	check_eq(res_of(62), POLLIN, "POLL_ADD completes when the pipe becomes readable");
	read(p[0], buf, 1);
	prep(&r, IORING_OP_POLL_ADD, p[0], 0, 0, 0, 63)->poll32_events = POLLIN;
	prep(&r, IORING_OP_POLL_REMOVE, 0, (void *)63, 0, 0, 64);
	prep(&r, IORING_OP_POLL_REMOVE, 0, (void *)12345, 0, 0, 65);
	submit_wait(&r, 3, 3);
	forget();
	reap_all(&r);
	check_eq(res_of(63), -ECANCELED, "POLL_REMOVE cancels the poll");
	check_eq(res_of(64), 0, "POLL_REMOVE: 0");
	check_eq(res_of(65), -ENOENT, "POLL_REMOVE of nothing: ENOENT");

	/* Multishot poll: a CQE with IORING_CQE_F_MORE at each wake-up with the pipe readable. */
	const uint64_t big = 0xfedcba9876543210ULL;
	prep(&r, IORING_OP_POLL_ADD, p[0], 0, IORING_POLL_ADD_MULTI, 0, big)->poll32_events = POLLIN;
	submit_wait(&r, 1, 0);
	forget();
	check_eq(reap_all(&r), 0, "multishot POLL_ADD: nothing while the pipe is empty");
	write(p[1], "a", 1);
	write(p[1], "b", 1);
	reap_all(&r);
	check(nseen == 2 && seen[0].user_data == big && seen[0].res == POLLIN && (seen[0].flags & IORING_CQE_F_MORE) &&
		      seen[1].user_data == big && (seen[1].flags & IORING_CQE_F_MORE),
	      "multishot POLL_ADD: one CQE with F_MORE per write");
	read(p[0], buf, 2);
	prep(&r, IORING_OP_POLL_REMOVE, 0, (void *)big, 0, 0, 160);
	submit_wait(&r, 1, 1);
	forget();
	reap_all(&r);
	check(res_of(big) == -ECANCELED && res_of(160) == 0 && !(seen[order_of(big)].flags & IORING_CQE_F_MORE),
	      "POLL_REMOVE by a 64-bit user_data ends the multishot poll without F_MORE");
	/* POLL_REMOVE updating events and user_data re-arms the poll. */
	prep(&r, IORING_OP_POLL_ADD, p[0], 0, 0, 0, 161)->poll32_events = POLLPRI;
	struct io_uring_sqe *u = prep(&r, IORING_OP_POLL_REMOVE, 0, (void *)161,
				      IORING_POLL_UPDATE_EVENTS | IORING_POLL_UPDATE_USER_DATA, 162, 163);
	u->poll32_events = POLLIN;
	submit_wait(&r, 2, 1);
	forget();
	reap_all(&r);
	check(res_of(163) == 0 && res_of(161) == -9999 && res_of(162) == -9999, "POLL_REMOVE update: 0, poll still armed");
	write(p[1], "c", 1);
	reap_all(&r);
	check_eq(res_of(162), POLLIN, "the updated poll completes under its new user_data");
	read(p[0], buf, 1);

	/* ASYNC_CANCEL of a pending read. */
	prep(&r, IORING_OP_READ, p[0], buf, 4, 0, 0x8000000000000066ULL);
	prep(&r, IORING_OP_ASYNC_CANCEL, 0, (void *)0x8000000000000066ULL, 0, 0, 67);
	prep(&r, IORING_OP_ASYNC_CANCEL, 0, (void *)4242, 0, 0, 68);
	submit_wait(&r, 3, 3);
	forget();
	reap_all(&r);
	check_eq(res_of(0x8000000000000066ULL), -ECANCELED, "ASYNC_CANCEL by a 64-bit user_data: the read ends with ECANCELED");
	check_eq(res_of(67), 0, "ASYNC_CANCEL: 0");
	check_eq(res_of(68), -ENOENT, "ASYNC_CANCEL of nothing: ENOENT");

	/* A pending READ holds its file: closing the fd does not end it, the pipe keeps a reader. */
	int q[2];
	pipe(q);
	prep(&r, IORING_OP_READ, q[0], buf, 4, 0, 170);
	submit_wait(&r, 1, 0);
	close(q[0]);
	signal(SIGPIPE, SIG_IGN);
	check_eq(write(q[1], "ok", 2), 2, "the pipe still has a reader after close(2) of its fd");
	submit_wait(&r, 0, 1);
	forget();
	reap_all(&r);
	check_eq(res_of(170), 2, "the pending READ completes");
	check_eq(write(q[1], "x", 1) < 0 ? -errno : 0, -EPIPE, "and then the reader is gone");
	close(q[1]);

	/* A ring whose fd is closed lives on while mapped: a pending READ still completes into it. */
	{
		struct ring m;
		ring_init(&m, 4, 0);
		int q2[2];
		pipe(q2);
		prep(&m, IORING_OP_READ, q2[0], buf, 4, 0, 171);
		submit_wait(&m, 1, 0);
		close(m.fd);
		write(q2[1], "map", 3);
		struct io_uring_cqe c;
		check(reap(&m, &c) && c.user_data == 171 && c.res == 3, "a closed but mapped ring still receives CQEs");
		munmap(m.rings, m.rings_size);
		munmap(m.sqes, m.p.sq_entries * sizeof(struct io_uring_sqe));
		close(q2[0]);
		close(q2[1]);
	}

	/* The ring fd polls readable while CQEs wait. */
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 69);
	submit_wait(&r, 1, 0);
	struct pollfd pf = {r.fd, POLLIN, 0};
	check_eq(poll(&pf, 1, 0), 1, "poll(2) on the ring: readable with a CQE waiting");
	reap_all(&r);
	pf.revents = 0;
	check_eq(poll(&pf, 1, 0), 0, "and not after it is reaped");
	close(p[0]);
	close(p[1]);
	ring_exit(&r);
}

static void test_timeouts_links(void)
{
	struct ring r;
	ring_init(&r, 16, 0);
	struct __kernel_timespec ts = {0, 20 * 1000000};
	struct __kernel_timespec big = {10, 0};
	prep(&r, IORING_OP_TIMEOUT, 0, &ts, 1, 0, 70);
	check_eq(submit_wait(&r, 1, 1), 1, "TIMEOUT waited");
	forget();
	reap_all(&r);
	check_eq(res_of(70), -ETIME, "TIMEOUT fires: ETIME");
	/* Counted: completes after one other completion. */
	prep(&r, IORING_OP_TIMEOUT, 0, &big, 1, 1, 71);
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 72);
	submit_wait(&r, 2, 2);
	forget();
	reap_all(&r);
	check_eq(res_of(71), 0, "counted TIMEOUT: 0 after one completion");
	prep(&r, IORING_OP_TIMEOUT, 0, &big, 1, 0, 73);
	prep(&r, IORING_OP_TIMEOUT_REMOVE, 0, (void *)73, 0, 0, 74);
	submit_wait(&r, 2, 2);
	forget();
	reap_all(&r);
	check_eq(res_of(73), -ECANCELED, "TIMEOUT_REMOVE cancels");
	check_eq(res_of(74), 0, "TIMEOUT_REMOVE: 0");
	prep(&r, IORING_OP_TIMEOUT, 0, &ts, 2, 0, 75);
	submit_wait(&r, 1, 1);
	forget();
	reap_all(&r);
	check_eq(res_of(75), -EINVAL, "TIMEOUT with len != 1: EINVAL");

	/* TIMEOUT_REMOVE with IORING_TIMEOUT_UPDATE re-arms a 10 s timeout to 20 ms. */
	prep(&r, IORING_OP_TIMEOUT, 0, &big, 1, 0, 76);
	prep(&r, IORING_OP_TIMEOUT_REMOVE, 0, (void *)76, 0, (uint64_t)(uintptr_t)&ts, 77)->timeout_flags =
		IORING_TIMEOUT_UPDATE;
	prep(&r, IORING_OP_TIMEOUT_REMOVE, 0, (void *)999, 0, (uint64_t)(uintptr_t)&ts, 78)->timeout_flags =
		IORING_TIMEOUT_UPDATE;
	check_eq(submit_wait(&r, 3, 2), 3, "TIMEOUT and two updates");
	forget();
	reap_all(&r);
	check(res_of(77) == 0 && res_of(78) == -ENOENT && res_of(76) == -9999, "TIMEOUT update: 0; of nothing: ENOENT");
	struct __kernel_timespec two = {2, 0};
	struct io_uring_getevents_arg ga = {0, 0, 0, (uint64_t)(uintptr_t)&two};
	check_eq(sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &ga, sizeof ga), 0,
		 "the updated TIMEOUT fires well before 2 s");
	reap_all(&r);
	check_eq(res_of(76), -ETIME, "with ETIME");
	prep(&r, IORING_OP_TIMEOUT_REMOVE, 0, (void *)76, 0, 0, 79)->timeout_flags = IORING_TIMEOUT_ABS;
	submit_wait(&r, 1, 1);
	reap_all(&r);
	check_eq(res_of(79), -EINVAL, "TIMEOUT_REMOVE with a flag but no update: EINVAL");

	/* Links. */
	int p[2];
	pipe(p);
	char buf[8] = {0};
	prep(&r, IORING_OP_WRITE, p[1], "link", 4, 0, 80)->flags = IOSQE_IO_LINK;
	prep(&r, IORING_OP_READ, p[0], buf, 4, 0, 81);
	submit_wait(&r, 2, 2);
	forget();
	reap_all(&r);
	check(res_of(80) == 4 && res_of(81) == 4 && order_of(80) < order_of(81), "WRITE then linked READ");
	prep(&r, IORING_OP_READ, 999, buf, 4, 0, 82)->flags = IOSQE_IO_LINK;
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 83)->flags = IOSQE_IO_LINK;
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 84);
	submit_wait(&r, 3, 3);
	forget();
	reap_all(&r);
	check_eq(res_of(82), -EBADF, "failed link head");
	check_eq(res_of(83), -ECANCELED, "the rest of the chain is cancelled");
	check_eq(res_of(84), -ECANCELED, "to its end");
	prep(&r, IORING_OP_READ, 999, buf, 4, 0, 85)->flags = IOSQE_IO_HARDLINK;
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 86);
	submit_wait(&r, 2, 2);
	forget();
	reap_all(&r);
	check(res_of(85) == -EBADF && res_of(86) == 0, "HARDLINK: the chain goes on after a failure");
	/* A short read fails the link. */
	write(p[1], "ab", 2);
	prep(&r, IORING_OP_READ, p[0], buf, 4, 0, 87)->flags = IOSQE_IO_LINK;
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 88);
	submit_wait(&r, 2, 2);
	forget();
	reap_all(&r);
	check(res_of(87) == 2 && res_of(88) == -ECANCELED, "a short READ breaks the link");
	/* LINK_TIMEOUT: a read that never completes is cancelled. */
	prep(&r, IORING_OP_READ, p[0], buf, 4, 0, 89)->flags = IOSQE_IO_LINK;
	prep(&r, IORING_OP_LINK_TIMEOUT, 0, &ts, 1, 0, 90);
	submit_wait(&r, 2, 2);
	forget();
	reap_all(&r);
	check_eq(res_of(89), -ECANCELED, "LINK_TIMEOUT cancels the read");
	check_eq(res_of(90), -ETIME, "LINK_TIMEOUT: ETIME");
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 91)->flags = IOSQE_IO_LINK;
	prep(&r, IORING_OP_LINK_TIMEOUT, 0, &big, 1, 0, 92);
	submit_wait(&r, 2, 2);
	forget();
	reap_all(&r);
	check(res_of(91) == 0 && res_of(92) == -ECANCELED, "LINK_TIMEOUT after a quick NOP: ECANCELED");
	prep(&r, IORING_OP_LINK_TIMEOUT, 0, &big, 1, 0, 93);
	submit_wait(&r, 1, 1);
	forget();
	reap_all(&r);
	check_eq(res_of(93), -EINVAL, "LINK_TIMEOUT without a request before it: EINVAL");

	/* DRAIN: the NOP waits for the pending read. */
	prep(&r, IORING_OP_READ, p[0], buf, 1, 0, 94);
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 95)->flags = IOSQE_IO_DRAIN;
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 96);
	submit_wait(&r, 3, 0);
	forget();
	reap_all(&r);
	check(res_of(95) == -9999 && res_of(96) == -9999, "DRAIN holds the NOP and what follows");
	write(p[1], "d", 1);
	sys_enter(r.fd, 0, 3, IORING_ENTER_GETEVENTS, NULL, 0);
	reap_all(&r);
	check(res_of(94) == 1 && res_of(95) == 0 && res_of(96) == 0, "all three complete");
	check(order_of(94) < order_of(95) && order_of(95) < order_of(96), "in order");
	close(p[0]);
	close(p[1]);
	ring_exit(&r);
}

static volatile int alarms;
static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void test_wait(void)
{
	struct ring r;
	ring_init(&r, 4, 0);
	/* EXT_ARG timeout. */
	struct __kernel_timespec ts = {0, 30 * 1000000};
	struct io_uring_getevents_arg arg = {0, 0, 0, (uint64_t)(uintptr_t)&ts};
	check_eq(sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &arg, sizeof arg), -ETIME,
		 "EXT_ARG timeout: ETIME");
	check_eq(sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &arg, 16), -EINVAL,
		 "EXT_ARG of the wrong size: EINVAL");
	arg.pad = 1;
	check_eq(sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &arg, sizeof arg), -EINVAL,
		 "EXT_ARG pad: EINVAL");
	arg.pad = 0;
	/* A signal ends the wait: EINTR. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 0}, {0, 20000}};
	setitimer(ITIMER_REAL, &it, NULL);
	check_eq(sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0), -EINTR, "a signal ends the wait: EINTR");
	check_eq(alarms, 1, "the handler ran");
	/* The enter sigmask blocks SIGALRM during the wait: the timeout ends it, the signal comes after. */
	sigset_t blk;
	sigemptyset(&blk);
	sigaddset(&blk, SIGALRM);
	arg.sigmask = (uint64_t)(uintptr_t)&blk;
	arg.sigmask_sz = 8;
	ts.tv_nsec = 60 * 1000000;
	setitimer(ITIMER_REAL, &it, NULL);
	check_eq(sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &arg, sizeof arg), -ETIME,
		 "sigmask: SIGALRM blocked during the wait");
	check_eq(alarms, 2, "and delivered after it");
	check_eq(sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS, &blk, 4), -EINVAL, "sigmask of the wrong size: EINVAL");
	/* min_complete 0 returns at once. */
	check_eq(sys_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0), 0, "min_complete 0 returns at once");
	ring_exit(&r);
}

static void test_overflow_and_flags(void)
{
	struct ring r;
	ring_init(&r, 2, 0);
	/* CQ of 4: six NOPs in three batches; two overflow and are flushed later in order. */
	for (int i = 0; i < 3; i++) {
		prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 100 + 2 * i);
		prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 101 + 2 * i);
		check_eq(submit_wait(&r, 2, 0), 2, "NOP batch");
	}
	check_eq(cq_ready(&r), 4, "the CQ ring is full");
	check((*r.sq_flags & IORING_SQ_CQ_OVERFLOW) != 0, "IORING_SQ_CQ_OVERFLOW set");
	check_eq(*r.cq_overflow, 0, "nothing dropped (NODROP)");
	forget();
	reap_all(&r);
	check_eq(sys_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0), 0, "enter flushes the overflow");
	reap_all(&r);
	check_eq(nseen, 6, "all six CQEs arrive");
	check(order_of(104) == 4 && order_of(105) == 5, "in order");
	check((*r.sq_flags & IORING_SQ_CQ_OVERFLOW) == 0, "IORING_SQ_CQ_OVERFLOW cleared");
	ring_exit(&r);

	/* SUBMIT_ALL: a failed SQE does not end the submission. */
	check_eq(ring_init(&r, 4, IORING_SETUP_SUBMIT_ALL), 0, "SUBMIT_ALL ring");
	prep(&r, IORING_OP_LAST, 0, 0, 0, 0, 110);
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 111);
	check_eq(submit_wait(&r, 2, 2), 2, "SUBMIT_ALL: both consumed");
	forget();
	reap_all(&r);
	check(res_of(110) == -EINVAL && res_of(111) == 0, "SUBMIT_ALL: both complete");
	ring_exit(&r);

	/* R_DISABLED until ENABLE_RINGS. */
	check_eq(ring_init(&r, 4, IORING_SETUP_R_DISABLED), 0, "R_DISABLED ring");
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 120);
	check_eq(submit_wait(&r, 1, 1), -EBADFD, "enter on a disabled ring: EBADFD");
	check_eq(sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0), 0, "ENABLE_RINGS");
	check_eq(submit_wait(&r, 1, 1), 1, "enter works after it");
	check_eq(sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0), -EBADFD, "ENABLE_RINGS again: EBADFD");
	ring_exit(&r);

	/* COOP_TASKRUN, SINGLE_ISSUER|DEFER_TASKRUN and CQE32 rings work. */
	check_eq(ring_init(&r, 4, IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG), 0, "COOP_TASKRUN ring");
	ring_exit(&r);
	check_eq(ring_init(&r, 4, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN), 0, "DEFER_TASKRUN ring");
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 121);
	check_eq(submit_wait(&r, 1, 1), 1, "NOP on a DEFER_TASKRUN ring");
	ring_exit(&r);

	/* Probe. */
	ring_init(&r, 4, 0);
	static struct {
		struct io_uring_probe p;
		struct io_uring_probe_op ops[64];
	} pr;
	check_eq(sys_register(r.fd, IORING_REGISTER_PROBE, &pr, 64), 0, "REGISTER_PROBE");
	check_eq(pr.p.last_op, IORING_OP_LAST - 1, "probe: last_op");
	check_eq(pr.p.ops_len, IORING_OP_LAST, "probe: ops_len clamped to IORING_OP_LAST");
	int ok = 1;
	int want[] = {IORING_OP_NOP, IORING_OP_READV, IORING_OP_WRITEV, IORING_OP_FSYNC, IORING_OP_READ_FIXED,
		      IORING_OP_WRITE_FIXED, IORING_OP_POLL_ADD, IORING_OP_POLL_REMOVE, IORING_OP_SENDMSG,
		      IORING_OP_RECVMSG, IORING_OP_TIMEOUT, IORING_OP_TIMEOUT_REMOVE, IORING_OP_ACCEPT,
		      IORING_OP_ASYNC_CANCEL, IORING_OP_LINK_TIMEOUT, IORING_OP_CONNECT, IORING_OP_OPENAT,
		      IORING_OP_CLOSE, IORING_OP_STATX, IORING_OP_READ, IORING_OP_WRITE, IORING_OP_SEND, IORING_OP_RECV,
		      IORING_OP_MKDIRAT, IORING_OP_RENAMEAT, IORING_OP_UNLINKAT, IORING_OP_SYMLINKAT, IORING_OP_LINKAT,
		      IORING_OP_FALLOCATE, IORING_OP_FADVISE, IORING_OP_MADVISE, IORING_OP_SYNC_FILE_RANGE,
		      IORING_OP_SHUTDOWN, IORING_OP_SOCKET, IORING_OP_EPOLL_CTL, IORING_OP_FILES_UPDATE,
		      IORING_OP_PROVIDE_BUFFERS, IORING_OP_REMOVE_BUFFERS};
	for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++)
		if (pr.ops[want[i]].op != want[i] || !(pr.ops[want[i]].flags & IO_URING_OP_SUPPORTED))
			ok = 0;
	check(ok, "probe: every opcode used here is supported");
	pr.p.resv = 1;
	check_eq(sys_register(r.fd, IORING_REGISTER_PROBE, &pr, 64), -EINVAL, "probe: a non-zero buffer is EINVAL");
	check_eq(sys_register(r.fd, 9999, NULL, 0), -EINVAL, "register: unknown opcode EINVAL");
	ring_exit(&r);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_setup();
	test_nop_and_errors();
	test_rw();
	test_ops();
	test_blocking_and_poll();
	test_timeouts_links();
	test_wait();
	test_overflow_and_flags();
	unlink(path);
	return check_done();
}
