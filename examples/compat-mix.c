/*
 * One 64-bit arm64 program using both syscall ABIs, the way a translator (FEX-, Tango-like) does:
 * native calls with svc #0, AArch32 compat calls with svc #0 and bit 31 of x8 set
 * (include/compat64/compat_syscall.h). Run it under compat64:
 *
 *   node dist/compat64.mjs run examples/compat-mix
 *   node dist/compat64.mjs run --strace examples/compat-mix      (compat calls named from the AArch32 table)
 *   node dist/compat64.mjs run --no-compat-syscalls examples/compat-mix
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compat64/compat_syscall.h"

/* Compat calls take 32-bit pointers: static data of a non-PIE static program sits below 4 GiB. */
static const char hello[] = "compat write(1, ...): hello from the AArch32 table\n";
static char self[] = "/proc/self/exe";
static unsigned char st64[104];
static int32_t ts32[2];

int main(void)
{
	/* Feature detection: compat getpid answers only on a kernel with the series. */
	unsigned long raw = compat_syscall_raw(__NR_compat_getpid);
	if (raw != (unsigned long)getpid()) {
		printf("no compat syscalls here: compat getpid gave x0 = 0x%lx (64-bit -ENOSYS)\n", raw);
		return 0;
	}
	printf("native getpid() = %d, compat getpid (AArch32 nr %d) = %lu\n", getpid(), __NR_compat_getpid, raw);

	fflush(stdout);
	compat_syscall(__NR_compat_write, 1, hello, sizeof hello - 1);

	/* Memory: a compat mmap2 is placed below 4 GiB, a native mmap in the 48-bit layout. */
	unsigned long low = compat_syscall_raw(__NR_compat_mmap2, 0, 65536, PROT_READ | PROT_WRITE,
					       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *high = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("compat mmap2 -> 0x%08lx (below 0xfffff000)\nnative mmap  -> %p\n", low, high);
	strcpy((char *)low, "written through a 32-bit address");
	printf("  %s\n", (char *)low);

	/* Structures: ARM's 104-byte stat64 (st_size at 48, st_ino at 96) next to arm64's struct stat. */
	struct stat st;
	stat(self, &st);
	long r = compat_syscall(__NR_compat_stat64, self, st64);
	int64_t size;
	uint64_t ino;
	memcpy(&size, st64 + 48, 8);
	memcpy(&ino, st64 + 96, 8);
	printf("compat stat64 = %ld: st_size %lld, st_ino %llu (native stat: %lld, %llu)\n", r, (long long)size,
	       (unsigned long long)ino, (long long)st.st_size, (unsigned long long)st.st_ino);

	/* Time: clock_gettime (263) writes an 8-byte old_timespec32. */
	compat_syscall(__NR_compat_clock_gettime, CLOCK_REALTIME, ts32);
	printf("compat clock_gettime: {tv_sec %d, tv_nsec %d}; native time(): %ld\n", ts32[0], ts32[1],
	       (long)time(NULL));

	/* Errors: a compat result is 32 bits, zero-extended; the helper turns it into -errno. */
	unsigned long bad = compat_syscall_raw(__NR_compat_close, -1);
	printf("compat close(-1): x0 = 0x%016lx (compat_syscall() gives %ld)\n", bad, compat_syscall_result(bad));
	return 0;
}
