/*
 * compat-abi.md §4: compat rt_sigaction (174) and sigaction (67) read and write the compat
 * structures, and the handler they install still runs as AArch64 code with the native frame;
 * sigprocmask (126) works on the low word, sigaltstack (186) on compat_stack_t. Compat sigreturn
 * (119) and rt_sigreturn (173) from a 64-bit task raise a forced SIGSEGV with si_addr = x13,
 * SEGV_MAPERR when no mapping ends above x13, SEGV_ACCERR otherwise.
 *   signals             the checks above (a SIGSEGV handler catches the forced signal)
 *   signals fatal N     compat sigreturn (N = 119 or 173) without a handler: the task dies by SIGSEGV
 *   signals blocked N   the same with SIGSEGV blocked: forced signals are unblocked, so it still dies
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

static struct compat_sigaction act, oact;
static struct compat_old_sigaction oldact, oldoact;
static uint32_t mask32, omask32;
static uint32_t mask64[2], omask64[2];
static struct compat_stack ss, oss;
static char altstack[16384];
static volatile sig_atomic_t usr1_hits;
static volatile unsigned long usr1_sp;
static sigjmp_buf env;
static volatile unsigned long segv_addr;
static volatile int segv_code;
static unsigned long mapped_word;

static void on_usr1(int sig)
{
	unsigned long sp;
	__asm__ __volatile__("mov %0, sp" : "=r"(sp));
	usr1_sp = sp;
	usr1_hits += sig == SIGUSR1;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	segv_addr = (unsigned long)si->si_addr;
	segv_code = si->si_code;
	siglongjmp(env, 1);
}

/* A compat sigreturn with x13 (the AArch32 sp) set: it never returns normally. */
static unsigned long compat_sigreturn_at(unsigned long nr, unsigned long x13_value)
{
	register unsigned long x8 __asm__("x8") = 0x80000000UL | nr;
	register unsigned long x13 __asm__("x13") = x13_value;
	register unsigned long x0 __asm__("x0") = 0x1234;
	__asm__ __volatile__("svc #0" : "+r"(x0) : "r"(x8), "r"(x13) : "memory");
	return x0;
}

static int fatal(int blocked, unsigned long nr)
{
	if (blocked) {
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGSEGV);
		sigprocmask(SIG_BLOCK, &set, NULL);
	}
	printf("INFO calling compat %lu\n", nr);
	fflush(stdout);
	compat_sigreturn_at(nr, 0x1000);
	printf("FAIL sigreturn.fatal: survived\n");
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 3) return fatal(strcmp(argv[1], "blocked") == 0, strtoul(argv[2], NULL, 0));

	/* rt_sigaction with compat_sigaction: read back through the native call. */
	act.handler = (uint32_t)(unsigned long)on_usr1;
	act.flags = SA_ONSTACK;
	act.mask[0] = 1u << (SIGUSR2 - 1);
	act.mask[1] = 1u; /* signal 33 */
	CHECK_EQ("rt_sigaction.compat", compat_syscall(__NR_compat_rt_sigaction, SIGUSR1, &act, &oact, 8), 0);
	CHECK_EQ("rt_sigaction.old_was_default", oact.handler, 0);
	struct sigaction k;
	sigaction(SIGUSR1, NULL, &k);
	CHECK("rt_sigaction.native_view", k.sa_handler == on_usr1 && sigismember(&k.sa_mask, SIGUSR2) &&
						 sigismember(&k.sa_mask, 33) && (k.sa_flags & SA_ONSTACK),
	      "handler %p flags 0x%x", (void *)k.sa_handler, (unsigned)k.sa_flags);
	CHECK_EQ("rt_sigaction.sigsetsize_16_einval", compat_syscall(__NR_compat_rt_sigaction, SIGUSR1, 0, &oact, 16),
		 (unsigned long)-22L);
	CHECK_EQ("rt_sigaction.sigkill_einval", compat_syscall(__NR_compat_rt_sigaction, SIGKILL, &act, 0, 8),
		 (unsigned long)-22L);
	CHECK_EQ("rt_sigaction.readback", compat_syscall(__NR_compat_rt_sigaction, SIGUSR1, 0, &oact, 8), 0);
	CHECK("rt_sigaction.readback_value", oact.handler == act.handler && oact.mask[0] == act.mask[0] &&
						     oact.mask[1] == 1u && (oact.flags & SA_ONSTACK),
	      "handler 0x%x mask 0x%x 0x%x", oact.handler, oact.mask[0], oact.mask[1]);

	/* sigaltstack with compat_stack_t; the handler then runs there, as AArch64 code. */
	ss = (struct compat_stack){ (uint32_t)(unsigned long)altstack, 0, sizeof altstack };
	CHECK_EQ("sigaltstack.compat", compat_syscall(__NR_compat_sigaltstack, &ss, &oss), 0);
	stack_t nss;
	sigaltstack(NULL, &nss);
	CHECK("sigaltstack.native_view", nss.ss_sp == altstack && nss.ss_size == sizeof altstack, "sp %p size %zu",
	      nss.ss_sp, nss.ss_size);
	CHECK_EQ("sigaltstack.readback", compat_syscall(__NR_compat_sigaltstack, 0, &oss), 0);
	CHECK("sigaltstack.readback_value", oss.ss_sp == ss.ss_sp && oss.ss_size == sizeof altstack && oss.ss_flags == 0,
	      "sp 0x%x size %u flags %d", oss.ss_sp, oss.ss_size, oss.ss_flags);
	static struct compat_stack small;
	small = (struct compat_stack){ (uint32_t)(unsigned long)altstack, 0, 1024 };
	CHECK_EQ("sigaltstack.enomem_below_2048", compat_syscall(__NR_compat_sigaltstack, &small, 0),
		 (unsigned long)-12L);
	raise(SIGUSR1);
	CHECK_EQ("delivery.compat_installed_handler_ran", usr1_hits, 1);
	CHECK("delivery.on_the_compat_altstack",
	      usr1_sp >= (unsigned long)altstack && usr1_sp < (unsigned long)altstack + sizeof altstack,
	      "handler sp 0x%lx", (unsigned long)usr1_sp);

	/* The old sigaction (67): handler, one mask word, flags, restorer. */
	oldact = (struct compat_old_sigaction){ (uint32_t)(unsigned long)on_usr1, 1u << (SIGUSR1 - 1), SA_RESTART, 0 };
	CHECK_EQ("sigaction.old", compat_syscall(__NR_compat_sigaction, SIGUSR2, &oldact, 0), 0);
	CHECK_EQ("sigaction.old_readback", compat_syscall(__NR_compat_sigaction, SIGUSR2, 0, &oldoact), 0);
	CHECK("sigaction.old_readback_value", oldoact.handler == oldact.handler &&
						      oldoact.mask == oldact.mask && (oldoact.flags & SA_RESTART),
	      "handler 0x%x mask 0x%x flags 0x%x", oldoact.handler, oldoact.mask, oldoact.flags);
	sigaction(SIGUSR2, NULL, &k);
	CHECK("sigaction.old_native_view", k.sa_handler == on_usr1 && sigismember(&k.sa_mask, SIGUSR1) &&
						   !sigismember(&k.sa_mask, 33),
	      "handler %p", (void *)k.sa_handler);

	/* sigprocmask (126): the low 32 signals; rt_sigprocmask (175): all 64 in two words. */
	mask32 = 1u << (SIGUSR1 - 1);
	CHECK_EQ("sigprocmask.block", compat_syscall(__NR_compat_sigprocmask, SIG_BLOCK, &mask32, &omask32), 0);
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK("sigprocmask.native_view", sigismember(&cur, SIGUSR1), "SIGUSR1 not blocked");
	mask32 = 1u << (SIGKILL - 1);
	CHECK_EQ("sigprocmask.setmask", compat_syscall(__NR_compat_sigprocmask, SIG_SETMASK, &mask32, &omask32), 0);
	CHECK_EQ("sigprocmask.old_word", omask32, 1u << (SIGUSR1 - 1));
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK("sigprocmask.sigkill_never_blocked", !sigismember(&cur, SIGKILL) && !sigismember(&cur, SIGUSR1),
	      "mask wrong");
	CHECK_EQ("sigprocmask.bad_how", compat_syscall(__NR_compat_sigprocmask, 7, &mask32, 0), (unsigned long)-22L);
	mask64[0] = 0;
	mask64[1] = 1u << (40 - 33);
	CHECK_EQ("rt_sigprocmask.compat", compat_syscall(__NR_compat_rt_sigprocmask, SIG_SETMASK, mask64, omask64, 8), 0);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK("rt_sigprocmask.native_view", sigismember(&cur, 40), "signal 40 not blocked");
	sigemptyset(&cur);
	sigprocmask(SIG_SETMASK, &cur, NULL);

	/* Compat sigreturn from a 64-bit task: SIGSEGV at x13. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	static const unsigned long nrs[] = { __NR_compat_sigreturn, __NR_compat_rt_sigreturn };
	for (int i = 0; i < 2; i++) {
		char name[64];
		const char *which = i == 0 ? "sigreturn" : "rt_sigreturn";
		/* Far above every mapping: nothing ends above it. */
		segv_addr = 0;
		if (sigsetjmp(env, 1) == 0) compat_sigreturn_at(nrs[i], 0xfffffffff000UL);
		snprintf(name, sizeof name, "%s.si_addr_is_x13", which);
		CHECK_EQ(name, segv_addr, 0xfffffffff000UL);
		snprintf(name, sizeof name, "%s.segv_maperr", which);
		CHECK_EQ(name, segv_code, SEGV_MAPERR);
		/* A mapped address: a mapping ends above it. */
		if (sigsetjmp(env, 1) == 0) compat_sigreturn_at(nrs[i], (unsigned long)&mapped_word);
		snprintf(name, sizeof name, "%s.si_addr_mapped", which);
		CHECK_EQ(name, segv_addr, (unsigned long)&mapped_word);
		snprintf(name, sizeof name, "%s.segv_accerr", which);
		CHECK_EQ(name, segv_code, SEGV_ACCERR);
	}
	return check_done();
}
