/*
 * io_uring with several tasks: a READ completed by another thread's write while a third waits in
 * io_uring_enter; a ring shared with a forked child that submits to it; epoll on the ring fd; a
 * process that exits with requests pending; and a prep error that ends a submission.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/wait.h>

#include "check.h"
#include "uring.h"

static struct ring r;
static int p[2];
static volatile long waiter_ret = -12345;

static void *waiter(void *arg)
{
	(void)arg;
	waiter_ret = sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0);
	return NULL;
}

static void *writer(void *arg)
{
	(void)arg;
	usleep(30000);
	if (write(p[1], "thread", 6) != 6)
		return (void *)1;
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_eq(ring_init(&r, 8, 0), 0, "ring_init");
	check_eq(pipe(p), 0, "pipe");

	/* A READ pending; one thread waits for it in the kernel, another feeds the pipe. */
	char buf[16] = {0};
	prep(&r, IORING_OP_READ, p[0], buf, sizeof buf, 0, 1);
	check_eq(submit_wait(&r, 1, 0), 1, "READ submitted");
	pthread_t tw, tr;
	pthread_create(&tw, NULL, waiter, NULL);
	pthread_create(&tr, NULL, writer, NULL);
	pthread_join(tr, NULL);
	pthread_join(tw, NULL);
	check_eq(waiter_ret, 0, "the waiting thread woke with 0");
	forget();
	reap_all(&r);
	check_eq(res_of(1), 6, "the READ got the writer thread's bytes");
	check(memcmp(buf, "thread", 6) == 0, "READ data");

	/* epoll on the ring fd: readable when a CQE arrives. */
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 77};
	check_eq(epoll_ctl(ep, EPOLL_CTL_ADD, r.fd, &ev), 0, "epoll_ctl ADD the ring fd");
	prep(&r, IORING_OP_READ, p[0], buf, 3, 0, 2);
	submit_wait(&r, 1, 0);
	struct epoll_event out;
	check_eq(epoll_wait(ep, &out, 1, 0), 0, "not readable while the READ is pending");
	pthread_create(&tr, NULL, writer, NULL);
	check_eq(epoll_wait(ep, &out, 1, 5000), 1, "epoll_wait wakes at the completion");
	check_eq((long long)out.data.u64, 77, "the ring fd's event");
	pthread_join(tr, NULL);
	forget();
	reap_all(&r);
	check_eq(res_of(2), 3, "that READ");
	char rest[8];
	read(p[0], rest, 3);
	close(ep);

	/* A forked child submits to the shared ring; the parent reaps. */
	pid_t c = fork();
	if (c == 0) {
		prep(&r, IORING_OP_WRITE, p[1], "child", 5, 0, 3);
		prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 4);
		_exit(submit_wait(&r, 2, 2) == 2 ? 0 : 1);
	}
	int st = -1;
	waitpid(c, &st, 0);
	check_eq(st, 0, "the child submitted two SQEs");
	forget();
	reap_all(&r);
	check_eq(res_of(3), 5, "the child's WRITE completed in the shared CQ ring");
	check_eq(res_of(4), 0, "and its NOP");
	check_eq(read(p[0], buf, 5), 5, "the child's bytes are in the pipe");

	/* A process that exits with a READ pending (its ring goes with it). */
	c = fork();
	if (c == 0) {
		struct ring cr;
		if (ring_init(&cr, 4, 0) != 0)
			_exit(2);
		prep(&cr, IORING_OP_READ, p[0], buf, 4, 0, 5);
		struct __kernel_timespec ts = {100, 0};
		prep(&cr, IORING_OP_TIMEOUT, 0, &ts, 1, 0, 6);
		_exit(submit_wait(&cr, 2, 0) == 2 ? 0 : 1);
	}
	waitpid(c, &st, 0);
	check_eq(st, 0, "a child exits with a READ and a 100 s TIMEOUT pending");
	check_eq(write(p[1], "zz", 2), 2, "and its READ took nothing afterwards");
	check_eq(read(p[0], buf, 2), 2, "the bytes are still there");

	/* A prep error (POLL_ADD with addr set) fails its SQE and ends the submission. */
	prep(&r, IORING_OP_POLL_ADD, p[0], (void *)1, 0, 0, 7);
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 8);
	check_eq(submit_wait(&r, 2, 0), 1, "submission ends at the SQE that failed prep");
	forget();
	reap_all(&r);
	check_eq(res_of(7), -EINVAL, "POLL_ADD with addr: EINVAL");
	check_eq(submit_wait(&r, 1, 1), 1, "the NOP goes next time");
	reap_all(&r);
	check_eq(res_of(8), 0, "NOP");

	/* A failing member in the middle of a link: it gets its error, the head and the rest ECANCELED. */
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 9)->flags = IOSQE_IO_LINK;
	prep(&r, IORING_OP_POLL_ADD, p[0], (void *)1, 0, 0, 10)->flags = IOSQE_IO_LINK;
	prep(&r, IORING_OP_NOP, 0, 0, 0, 0, 11);
	check_eq(submit_wait(&r, 3, 0), 3, "the whole chain is consumed");
	forget();
	reap_all(&r);
	check_eq(res_of(9), -ECANCELED, "link head: ECANCELED");
	check_eq(res_of(10), -EINVAL, "failed member: its error");
	check_eq(res_of(11), -ECANCELED, "last: ECANCELED");
	ring_exit(&r);
	return check_done();
}
