/*
 * compat-abi.md §1: entry and dispatch. Bit 31 of w8 selects the AArch32 EABI table whatever the
 * SVC immediate and the upper half of x8; arguments are x0-x5 narrowed to 32 bits; x0 is the
 * 32-bit result zero-extended and every other register is preserved; unassigned numbers, numbers
 * past the table and the ARM-private range give -ENOSYS (no SIGILL); syscall(-1) is compat
 * 0x7fffffff and gives 0x00000000ffffffda.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

#define ENOSYS_32 0xffffffdaUL

/* One SVC with x8 and x0-x2 exactly as given (upper halves included). */
static unsigned long svc3(unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2)
{
	register unsigned long x8 __asm__("x8") = nr;
	register unsigned long x0 __asm__("x0") = a0;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	__asm__ __volatile__("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}

/* Linux ignores the SVC immediate: these must behave as svc #0. */
static unsigned long svc_imm1(unsigned long nr)
{
	register unsigned long x8 __asm__("x8") = nr;
	register unsigned long x0 __asm__("x0") = 0;
	__asm__ __volatile__("svc #1" : "+r"(x0) : "r"(x8) : "memory");
	return x0;
}

static unsigned long svc_imm_ffff(unsigned long nr)
{
	register unsigned long x8 __asm__("x8") = nr;
	register unsigned long x0 __asm__("x0") = 0;
	__asm__ __volatile__("svc #0xffff" : "+r"(x0) : "r"(x8) : "memory");
	return x0;
}

#define PAT(n) (0x0101010101010101UL * (n))

/* Runs compat getpid with patterns in x1-x7 and reports how many of them (and x8) changed. */
static int clobbered_low(void)
{
	register unsigned long x0 __asm__("x0") = 0x0123456789abcdefUL;
	register unsigned long x1 __asm__("x1") = PAT(1);
	register unsigned long x2 __asm__("x2") = PAT(2);
	register unsigned long x3 __asm__("x3") = PAT(3);
	register unsigned long x4 __asm__("x4") = PAT(4);
	register unsigned long x5 __asm__("x5") = PAT(5);
	register unsigned long x6 __asm__("x6") = PAT(6);
	register unsigned long x7 __asm__("x7") = PAT(7);
	register unsigned long x8 __asm__("x8") = 0xfeed000080000014UL; /* compat getpid */
	__asm__ __volatile__("svc #0"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7),
			       "+r"(x8)
			     :
			     : "memory");
	return (x1 != PAT(1)) + (x2 != PAT(2)) + (x3 != PAT(3)) + (x4 != PAT(4)) + (x5 != PAT(5)) +
	       (x6 != PAT(6)) + (x7 != PAT(7)) + (x8 != 0xfeed000080000014UL) +
	       (x0 != (unsigned long)getpid() ? 100 : 0);
}

/* The same for x9-x17. */
static int clobbered_high(void)
{
	register unsigned long x0 __asm__("x0") = 0;
	register unsigned long x8 __asm__("x8") = 0x80000014UL;
	register unsigned long x9 __asm__("x9") = PAT(9);
	register unsigned long x10 __asm__("x10") = PAT(10);
	register unsigned long x11 __asm__("x11") = PAT(11);
	register unsigned long x12 __asm__("x12") = PAT(12);
	register unsigned long x13 __asm__("x13") = PAT(13);
	register unsigned long x14 __asm__("x14") = PAT(14);
	register unsigned long x15 __asm__("x15") = PAT(15);
	register unsigned long x16 __asm__("x16") = PAT(16);
	register unsigned long x17 __asm__("x17") = PAT(17);
	__asm__ __volatile__("svc #0"
			     : "+r"(x0), "+r"(x8), "+r"(x9), "+r"(x10), "+r"(x11), "+r"(x12), "+r"(x13), "+r"(x14),
			       "+r"(x15), "+r"(x16), "+r"(x17)
			     :
			     : "memory");
	return (x9 != PAT(9)) + (x10 != PAT(10)) + (x11 != PAT(11)) + (x12 != PAT(12)) + (x13 != PAT(13)) +
	       (x14 != PAT(14)) + (x15 != PAT(15)) + (x16 != PAT(16)) + (x17 != PAT(17)) +
	       (x8 != 0x80000014UL);
}

int main(void)
{
	unsigned long pid = (unsigned long)getpid();

	/* Dispatch. */
	CHECK_EQ("entry.compat_getpid", compat_syscall_raw(__NR_compat_getpid), pid);
	CHECK_EQ("entry.x8_upper_half_ignored", svc3(0xdeadbeef80000014UL, 0, 0, 0), pid);
	CHECK_EQ("entry.svc_immediate_1", svc_imm1(0x80000014UL), pid);
	CHECK_EQ("entry.svc_immediate_ffff", svc_imm_ffff(0x80000014UL), pid);
	CHECK_EQ("entry.registers_preserved_x0_x8", clobbered_low(), 0);
	CHECK_EQ("entry.registers_preserved_x9_x17", clobbered_high(), 0);

	/* Numbering: AArch32 numbers, not arm64 ones. */
	CHECK_EQ("numbering.gettid_224", compat_syscall_raw(__NR_compat_gettid), (unsigned long)gettid());
	CHECK_EQ("numbering.getuid32_199", compat_syscall_raw(__NR_compat_getuid32), (unsigned long)getuid());
	CHECK_EQ("numbering.getppid_64", compat_syscall_raw(__NR_compat_getppid), (unsigned long)getppid());
	mode_t old = umask(022);
	CHECK_EQ("numbering.umask_60", compat_syscall_raw(__NR_compat_umask, 077), 022);
	CHECK_EQ("numbering.umask_60_readback", umask(old), 077);

	/* Narrowing: garbage in the upper halves of x0-x2 is ignored. */
	int fds[2];
	if (pipe(fds) != 0) {
		perror("pipe");
		return 2;
	}
	static const char msg[] = "narrowed";
	unsigned long w = svc3(0x80000000UL | __NR_compat_write, 0xffffffff00000000UL | (unsigned)fds[1],
			       0xa5a5a5a500000000UL | (unsigned long)(unsigned)(unsigned long)msg,
			       0x1234567800000000UL | 8);
	char back[16] = { 0 };
	CHECK_EQ("narrowing.write_result", w, 8);
	CHECK("narrowing.write_data", read(fds[0], back, sizeof back) == 8 && memcmp(back, msg, 8) == 0,
	      "read back '%.8s'", back);

	/* Results: 32 bits, zero-extended; native results stay sign-extended. */
	CHECK_EQ("results.compat_close_ebadf", compat_syscall_raw(__NR_compat_close, -1), COMPAT_ERR(9));
	CHECK_EQ("results.native_close_ebadf_after_compat", svc3(__NR_close, (unsigned long)-1, 0, 0),
		 (unsigned long)-9);
	CHECK_EQ("results.compat_syscall_helper_errno", compat_syscall(__NR_compat_close, -1), (unsigned long)-9L);

	/* -ENOSYS, zero-extended, and no SIGILL. */
	static const unsigned long enosys[] = { 7,	 13,	  402,	   415,	    447,     451,
						0x7ffff, 0xf0000, 0xf0001, 0xf0002, 0xf0005, 0xf0006,
						0xf07ff, 0xf0800, 0x100000 };
	for (unsigned i = 0; i < sizeof enosys / sizeof enosys[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "enosys.compat_0x%lx", enosys[i]);
		CHECK_EQ(name, compat_syscall_raw(enosys[i]), ENOSYS_32);
	}
	CHECK_EQ("enosys.syscall_minus_1_raw", svc3(~0UL, 0, 0, 0), ENOSYS_32);
	errno = 0;
	long r = syscall(-1);
	CHECK("enosys.syscall_minus_1_glibc", r == 4294967258L && errno == 0,
	      "syscall(-1) = %ld, errno %d (glibc sees a large positive result)", r, errno);

	return check_done();
}
