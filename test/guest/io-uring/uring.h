/*
 * A minimal raw-syscall io_uring (no liburing): setup, one mmap of the rings (IORING_FEAT_SINGLE_MMAP)
 * and one of the SQEs, getting SQEs, submitting, and reaping CQEs.
 */
#ifndef URING_H
#define URING_H
#define _GNU_SOURCE
#include <errno.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ring {
	int fd;
	struct io_uring_params p;
	void *rings;
	size_t rings_size;
	struct io_uring_sqe *sqes;
	unsigned *sq_head, *sq_tail, *sq_mask, *sq_array, *sq_flags, *sq_dropped;
	unsigned *cq_head, *cq_tail, *cq_mask, *cq_overflow;
	struct io_uring_cqe *cqes;
};

/* The raw calls return -errno, as the kernel does. */
static inline long sys_setup(unsigned entries, struct io_uring_params *p)
{
	long r = syscall(__NR_io_uring_setup, entries, p);
	return r < 0 ? -errno : r;
}

static inline long sys_enter(int fd, unsigned submit, unsigned wait, unsigned flags, void *arg, size_t argsz)
{
	long r = syscall(__NR_io_uring_enter, fd, submit, wait, flags, arg, argsz);
	return r < 0 ? -errno : r;
}

static inline long sys_register(int fd, unsigned op, void *arg, unsigned nr)
{
	long r = syscall(__NR_io_uring_register, fd, op, arg, nr);
	return r < 0 ? -errno : r;
}

/* Maps what setup described; 0 or -errno. */
static inline int ring_map(struct ring *r)
{
	struct io_uring_params *p = &r->p;
	size_t sq = p->sq_off.array + p->sq_entries * sizeof(unsigned);
	size_t cq = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	r->rings_size = sq > cq ? sq : cq;
	r->rings = mmap(0, r->rings_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (r->rings == MAP_FAILED)
		return -errno;
	r->sqes = mmap(0, p->sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -errno;
	char *b = r->rings;
	r->sq_head = (unsigned *)(b + p->sq_off.head);
	r->sq_tail = (unsigned *)(b + p->sq_off.tail);
	r->sq_mask = (unsigned *)(b + p->sq_off.ring_mask);
	r->sq_array = (unsigned *)(b + p->sq_off.array);
	r->sq_flags = (unsigned *)(b + p->sq_off.flags);
	r->sq_dropped = (unsigned *)(b + p->sq_off.dropped);
	r->cq_head = (unsigned *)(b + p->cq_off.head);
	r->cq_tail = (unsigned *)(b + p->cq_off.tail);
	r->cq_mask = (unsigned *)(b + p->cq_off.ring_mask);
	r->cq_overflow = (unsigned *)(b + p->cq_off.overflow);
	r->cqes = (struct io_uring_cqe *)(b + p->cq_off.cqes);
	return 0;
}

/* 0 or -errno. */
static inline int ring_init(struct ring *r, unsigned entries, unsigned flags)
{
	memset(r, 0, sizeof *r);
	r->p.flags = flags;
	long fd = sys_setup(entries, &r->p);
	if (fd < 0)
		return (int)fd;
	r->fd = (int)fd;
	return ring_map(r);
}

static inline void ring_exit(struct ring *r)
{
	munmap(r->rings, r->rings_size);
	munmap(r->sqes, r->p.sq_entries * sizeof(struct io_uring_sqe));
	close(r->fd);
}

/* The next SQE, zeroed, already placed in the SQ array (the tail moves at once). */
static inline struct io_uring_sqe *get_sqe(struct ring *r)
{
	unsigned tail = *r->sq_tail;
	unsigned idx = tail & *r->sq_mask;
	struct io_uring_sqe *s = &r->sqes[idx];
	memset(s, 0, sizeof *s);
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	return s;
}

static inline struct io_uring_sqe *prep(struct ring *r, int op, int fd, const void *addr, unsigned len, uint64_t off,
					uint64_t data)
{
	struct io_uring_sqe *s = get_sqe(r);
	s->opcode = op;
	s->fd = fd;
	s->addr = (uint64_t)(uintptr_t)addr;
	s->len = len;
	s->off = off;
	s->user_data = data;
	return s;
}

static inline unsigned cq_ready(struct ring *r)
{
	return __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) - *r->cq_head;
}

/* Takes one CQE; 0 when the CQ ring is empty. */
static inline int reap(struct ring *r, struct io_uring_cqe *out)
{
	unsigned head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return 0;
	*out = r->cqes[head & *r->cq_mask];
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return 1;
}

/* Submits what is queued and waits for `wait` completions. */
static inline long submit_wait(struct ring *r, unsigned n, unsigned wait)
{
	return sys_enter(r->fd, n, wait, wait ? IORING_ENTER_GETEVENTS : 0, NULL, 0);
}

/* The CQEs reaped so far by reap_all (a test looks results up by user_data). */
static struct io_uring_cqe seen[64];
static int nseen;

/* Moves every CQE in the ring to seen[]; returns how many came. */
static inline int reap_all(struct ring *r)
{
	int n = 0;
	struct io_uring_cqe c;
	while (reap(r, &c)) {
		if (nseen < 64)
			seen[nseen++] = c;
		n++;
	}
	return n;
}

/* The res of the CQE of user_data `data` among seen[], or -9999 if none came. */
static inline int res_of(uint64_t data)
{
	for (int i = 0; i < nseen; i++)
		if (seen[i].user_data == data)
			return seen[i].res;
	return -9999;
}

/* The position of the CQE of user_data `data` in seen[] (completion order), or -1. */
static inline int order_of(uint64_t data)
{
	for (int i = 0; i < nseen; i++)
		if (seen[i].user_data == data)
			return i;
	return -1;
}

static inline void forget(void)
{
	nseen = 0;
}

#endif
