/*
 * Debian's liburing 2.3 (statically linked) on compat64: queue init with its feature checks, the
 * probe, vectored and fixed-buffer I/O, a poll completed by a write, a link with a timeout,
 * cancellation, socket messages, and io_uring_wait_cqe_timeout (EXT_ARG).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <liburing.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"

static char path[] = "/tmp/uring-liburing-XXXXXX";

/* Waits for one CQE; its res and user_data, or -9999. */
static int wait_one(struct io_uring *ring, uint64_t *data)
{
	struct io_uring_cqe *cqe;
	if (io_uring_wait_cqe(ring, &cqe) != 0)
		return -9999;
	int res = cqe->res;
	if (data)
		*data = cqe->user_data;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct io_uring ring;
	check_eq(io_uring_queue_init(8, &ring, 0), 0, "io_uring_queue_init");
	check((ring.features & IORING_FEAT_SINGLE_MMAP) && (ring.features & IORING_FEAT_EXT_ARG),
	      "features SINGLE_MMAP and EXT_ARG");
	struct io_uring_probe *probe = io_uring_get_probe_ring(&ring);
	check(probe != NULL, "io_uring_get_probe_ring");
	check(probe && io_uring_opcode_supported(probe, IORING_OP_READV) &&
		      io_uring_opcode_supported(probe, IORING_OP_SENDMSG) &&
		      io_uring_opcode_supported(probe, IORING_OP_LINK_TIMEOUT),
	      "probe: READV, SENDMSG, LINK_TIMEOUT supported");
	io_uring_free_probe(probe);

	int fd = mkstemp(path);
	struct io_uring_sqe *sqe;
	char a[] = "lib", b[] = "uring";
	struct iovec wv[2] = {{a, 3}, {b, 5}};
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_writev(sqe, fd, wv, 2, 0);
	io_uring_sqe_set_data64(sqe, 1);
	check_eq(io_uring_submit(&ring), 1, "submit writev");
	uint64_t data = 0;
	check_eq(wait_one(&ring, &data), 8, "writev");
	check_eq((long long)data, 1, "user_data");

	/* Fixed buffers. */
	static char fixed[4096];
	struct iovec reg = {fixed, sizeof fixed};
	check_eq(io_uring_register_buffers(&ring, &reg, 1), 0, "register_buffers");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, fixed, 8, 0, 0);
	io_uring_submit(&ring);
	check_eq(wait_one(&ring, NULL), 8, "read_fixed");
	check(memcmp(fixed, "liburing", 8) == 0, "read_fixed data");
	check_eq(io_uring_unregister_buffers(&ring), 0, "unregister_buffers");

	/* A poll completed by a write, and a link: write -> read. */
	int p[2];
	pipe(p);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_poll_add(sqe, p[0], POLLIN);
	io_uring_sqe_set_data64(sqe, 2);
	io_uring_submit(&ring);
	struct io_uring_cqe *cqe;
	check_eq(io_uring_peek_cqe(&ring, &cqe), -EAGAIN, "poll pending");
	write(p[1], "x", 1);
	check_eq(wait_one(&ring, &data), POLLIN, "poll completes POLLIN");
	char c;
	read(p[0], &c, 1);
	char rb[4] = {0};
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, p[1], "abc", 3, 0);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, p[0], rb, 3, 0);
	check_eq(io_uring_submit_and_wait(&ring, 2), 2, "submit_and_wait link");
	check_eq(wait_one(&ring, NULL), 3, "linked write");
	check_eq(wait_one(&ring, NULL), 3, "linked read");

	/* A read with a link timeout on an empty pipe. */
	struct __kernel_timespec ts = {0, 20 * 1000000};
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, p[0], rb, 3, 0);
	io_uring_sqe_set_data64(sqe, 3);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_link_timeout(sqe, &ts, 0);
	io_uring_sqe_set_data64(sqe, 4);
	io_uring_submit(&ring);
	int r1 = wait_one(&ring, &data);
	uint64_t d1 = data;
	int r2 = wait_one(&ring, &data);
	check((d1 == 3 && r1 == -ECANCELED && data == 4 && r2 == -ETIME) ||
		      (d1 == 4 && r1 == -ETIME && data == 3 && r2 == -ECANCELED),
	      "link timeout: read ECANCELED, timeout ETIME");

	/* Cancel a pending read. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, p[0], rb, 3, 0);
	io_uring_sqe_set_data64(sqe, 5);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_cancel64(sqe, 5, 0);
	io_uring_sqe_set_data64(sqe, 6);
	io_uring_submit(&ring);
	int got5 = -1, got6 = -1;
	for (int i = 0; i < 2; i++) {
		int res = wait_one(&ring, &data);
		if (data == 5)
			got5 = res;
		else if (data == 6)
			got6 = res;
	}
	check(got5 == -ECANCELED && got6 == 0, "cancel: read ECANCELED, cancel 0");

	/* Messages over a socketpair. */
	int sv[2];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	struct iovec siov = {"datagram", 8};
	struct msghdr smh = {.msg_iov = &siov, .msg_iovlen = 1};
	char mbuf[16] = {0};
	struct iovec riov = {mbuf, sizeof mbuf};
	struct msghdr rmh = {.msg_iov = &riov, .msg_iovlen = 1};
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_recvmsg(sqe, sv[1], &rmh, 0);
	io_uring_sqe_set_data64(sqe, 7);
	io_uring_submit(&ring);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_sendmsg(sqe, sv[0], &smh, 0);
	io_uring_sqe_set_data64(sqe, 8);
	io_uring_submit(&ring);
	int got7 = -1, got8 = -1;
	for (int i = 0; i < 2; i++) {
		int res = wait_one(&ring, &data);
		if (data == 7)
			got7 = res;
		else if (data == 8)
			got8 = res;
	}
	check(got7 == 8 && got8 == 8 && memcmp(mbuf, "datagram", 8) == 0, "recvmsg posted first, sendmsg completes it");

	/* io_uring_wait_cqe_timeout with nothing to come: -ETIME. */
	ts.tv_nsec = 10 * 1000000;
	check_eq(io_uring_wait_cqe_timeout(&ring, &cqe, &ts), -ETIME, "wait_cqe_timeout: ETIME");

	io_uring_queue_exit(&ring);
	unlink(path);
	return check_done();
}
