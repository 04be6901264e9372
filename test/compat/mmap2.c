/*
 * compat-abi.md §6: inside a compat call every kernel-chosen address uses the compat limits:
 * top-down below mmap_compat_base (0xf7ff0000 - rnd, rnd < 2^11 pages), never reaching
 * TASK_SIZE_32 = 0xfffff000; a hint is honoured only when addr + len <= 0xfffff000 and the range
 * is free. mmap2's offset is in 4096-byte units; mremap moves stay below 4 GiB. A native call
 * after a compat one is native again (the state ends on return to user mode).
 * Prints "INFO compat_base <addr>" (the end of the first compat mapping) for the runner, which
 * compares runs with different seeds.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

#define MREMAP_MAYMOVE 1
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)
#define IS_ERR(a) ((a) >= 0xfffff001UL)

static char path[] = "/tmp/c64-mmap2-XXXXXX";
static char page[4096];

static int below_4g(unsigned long addr, unsigned long len)
{
	return !IS_ERR(addr) && addr + len <= COMPAT_TASK_SIZE_32;
}

int main(void)
{
	/* Placement: the first compat mapping ends exactly at mmap_compat_base. */
	unsigned long a = compat_syscall_raw(__NR_compat_mmap2, 0, 0x10000, RW, ANON, -1, 0);
	CHECK("mmap2.below_task_size_32", below_4g(a, 0x10000), "mmap2 gave 0x%lx", a);
	unsigned long end = a + 0x10000;
	CHECK("mmap2.in_compat_base_range", end >= COMPAT_MMAP_BASE_MIN && end <= COMPAT_MMAP_BASE_MAX,
	      "first mapping ends at 0x%lx, outside [0x%lx, 0x%lx]", end, COMPAT_MMAP_BASE_MIN, COMPAT_MMAP_BASE_MAX);
	CHECK_EQ("mmap2.page_aligned", end & 0xfff, 0);
	printf("INFO compat_base 0x%lx\n", end);
	if (!IS_ERR(a)) {
		memset((void *)a, 0x5a, 0x10000);
		CHECK_EQ("mmap2.usable", ((unsigned char *)a)[0xffff], 0x5a);
	}
	unsigned long b = compat_syscall_raw(__NR_compat_mmap2, 0, 0x3000, RW, ANON, -1, 0);
	CHECK("mmap2.top_down", below_4g(b, 0x3000) && b + 0x3000 <= a, "second mapping 0x%lx, first 0x%lx", b, a);

	/* Native calls around it still use the 64-bit layout. */
	void *n = mmap(NULL, 0x10000, RW, ANON, -1, 0);
	CHECK("mmap2.native_after_compat_is_high", (unsigned long)n > 0xffffffffUL, "native mmap gave %p", n);

	/* The offset counts 4096-byte units. */
	int fd = mkstemp(path);
	memset(page, 'A', sizeof page);
	write(fd, page, sizeof page);
	memset(page, 'B', sizeof page);
	write(fd, page, sizeof page);
	unsigned long f = compat_syscall_raw(__NR_compat_mmap2, 0, 4096, PROT_READ, MAP_PRIVATE, fd, 1);
	CHECK("mmap2.file_below_4g", below_4g(f, 4096), "file mapping 0x%lx", f);
	if (!IS_ERR(f)) CHECK_EQ("mmap2.pgoff_in_4096_units", ((unsigned char *)f)[0], 'B');

	/* Hints. */
	unsigned long h = compat_syscall_raw(__NR_compat_mmap2, 0x20000000, 0x2000, RW, ANON, -1, 0);
	CHECK_EQ("mmap2.hint_below_4g_honoured", h, 0x20000000);
	unsigned long h2 = compat_syscall_raw(__NR_compat_mmap2, 0x100000000UL, 0x2000, RW, ANON, -1, 0);
	CHECK("mmap2.hint_above_4g_ignored", below_4g(h2, 0x2000) && h2 != 0, "got 0x%lx", h2);
	unsigned long h3 = compat_syscall_raw(__NR_compat_mmap2, 0xffffe000UL, 0x2000, RW, ANON, -1, 0);
	CHECK("mmap2.hint_past_task_size_32_ignored", below_4g(h3, 0x2000) && h3 != 0xffffe000UL, "got 0x%lx", h3);
	unsigned long h4 = compat_syscall_raw(__NR_compat_mmap2, 0x20000000, 0x2000, RW, ANON, -1, 0);
	CHECK("mmap2.busy_hint_moves", below_4g(h4, 0x2000) && h4 != 0x20000000, "got 0x%lx", h4);
	unsigned long fx = compat_syscall_raw(__NR_compat_mmap2, 0x30000000, 0x1000, RW, ANON | MAP_FIXED, -1, 0);
	CHECK_EQ("mmap2.map_fixed", fx, 0x30000000);

	/* mremap moving a compat mapping stays below 4 GiB. */
	unsigned long m = compat_syscall_raw(__NR_compat_mmap2, 0x31000000, 0x2000, RW, ANON, -1, 0);
	unsigned long blocker = compat_syscall_raw(__NR_compat_mmap2, 0x31002000, 0x1000, RW, ANON | MAP_FIXED, -1, 0);
	CHECK("mremap.setup", m == 0x31000000 && blocker == 0x31002000, "0x%lx 0x%lx", m, blocker);
	((unsigned char *)m)[0x1fff] = 0x77;
	unsigned long moved = compat_syscall_raw(__NR_compat_mremap, m, 0x2000, 0x40000, MREMAP_MAYMOVE, 0);
	CHECK("mremap.moved_below_4g", below_4g(moved, 0x40000) && moved != m, "mremap gave 0x%lx", moved);
	if (below_4g(moved, 0x40000)) CHECK_EQ("mremap.contents_moved", ((unsigned char *)moved)[0x1fff], 0x77);

	CHECK_EQ("munmap.compat", compat_syscall_raw(__NR_compat_munmap, a, 0x10000), 0);
	CHECK_EQ("brk.compat_query", compat_syscall_raw(__NR_compat_brk, 0), (unsigned long)sbrk(0));

	/* shmat: attached below 4 GiB (when the kernel has SysV shared memory). */
	unsigned long id = compat_syscall_raw(__NR_compat_shmget, IPC_PRIVATE, 0x4000, IPC_CREAT | 0600);
	if (id == 0xffffffdaUL) {
		SKIP("shmat.below_4g", "shmget is ENOSYS");
	} else {
		unsigned long at = compat_syscall_raw(__NR_compat_shmat, id, 0, 0);
		CHECK("shmat.below_4g", below_4g(at, 0x4000), "shmat gave 0x%lx", at);
		compat_syscall_raw(__NR_compat_shmctl, id, IPC_RMID, 0);
	}

	close(fd);
	unlink(path);
	return check_done();
}
