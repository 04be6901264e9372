/*
 * ptrace data requests against a stopped child (PTRACE_TRACEME + raise(SIGSTOP)): PEEK/POKE of data
 * and text (a breakpoint-style patch of read-only code is private to the child), register sets,
 * siginfo, PEEKSIGINFO, GET_SYSCALL_INFO at entry and exit stops of native and compat-from-64
 * calls, changing and skipping a call with NT_ARM_SYSTEM_CALL, process_vm_readv/writev. Expected
 * values are Linux's (arm64); the child reports what it saw in its exit status.
 */
#define _GNU_SOURCE
#include <compat64/compat_syscall.h>
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#ifndef NT_ARM_SYSTEM_CALL
#define NT_ARM_SYSTEM_CALL 0x404
#endif
#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#ifndef PTRACE_PEEKSIGINFO
#define PTRACE_PEEKSIGINFO 0x4209
#endif
#define AUDIT_ARCH_AARCH64 0xc00000b7u
#define AUDIT_ARCH_ARM 0x40000028u

struct syscall_info {
  uint8_t op;
  uint8_t pad[3];
  uint32_t arch;
  uint64_t ip;
  uint64_t sp;
  union {
    struct {
      uint64_t nr;
      uint64_t args[6];
    } entry;
    struct {
      int64_t rval;
      uint8_t is_error;
    } exit;
  };
};

struct peek_args {
  uint64_t off;
  uint32_t flags;
  int32_t nr;
};

struct user_regs {
  uint64_t x[31];
  uint64_t sp, pc, pstate;
};

static volatile long g_word = 0x1111;
/* Buffers below 4 GiB (static data of a static binary) for the compat ptrace's 32-bit pointers. */
static unsigned char g_cbuf[512];
static uint32_t g_ciov[2];
static volatile long g_vm = 0;
static volatile unsigned long g_tls;

__attribute__((noinline)) static int probe(void) {
  __asm__ volatile("");
  return 1;
}
static int (*volatile probe_fn)(void) = probe;

static long pt(long req, pid_t pid, unsigned long addr, unsigned long data) {
  return syscall(SYS_ptrace, req, pid, addr, data);
}

static long regset(long req, pid_t pid, unsigned type, void *buf, size_t *len) {
  struct iovec iov = {buf, *len};
  long r = pt(req, pid, type, (unsigned long)&iov);
  *len = iov.iov_len;
  return r;
}

static int wait_stop(pid_t pid) {
  int st;
  while (waitpid(pid, &st, __WALL) < 0)
    if (errno != EINTR) return -1;
  return st;
}

static void child(void) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR1);
  sigaddset(&s, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &s, NULL);
  unsigned long tls;
  __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tls));
  g_tls = tls;
  ptrace(PTRACE_TRACEME, 0, 0, 0);
  raise(SIGSTOP);
  pid_t me = syscall(SYS_getpid);
  int bits = 0;
  if (probe_fn() == 42) bits |= 1;
  if (g_word == 0x5555) bits |= 2;
  if (g_vm == 0x77) bits |= 4;
  if (syscall(SYS_getppid, 0x1234, 2, 3, 4, 5, 6) == me) bits |= 8; /* turned into getpid */
  if (syscall(SYS_getppid, 7) == 777) bits |= 16;                   /* skipped, x0 = 777 */
  if (compat_syscall(__NR_compat_getppid, 0xabc) == me) bits |= 32;  /* turned into compat getpid */
  if (compat_syscall(__NR_compat_close, -1) == -EBADF) bits |= 64;
  _exit(bits);
}

static void at_signal_stop(pid_t pid) {
  siginfo_t si;
  memset(&si, 0, sizeof si);
  check_eq(pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si), 0, "GETSIGINFO at the SIGSTOP stop");
  check_eq(si.si_signo, SIGSTOP, "si_signo SIGSTOP");
  check_eq(si.si_code, SI_TKILL, "si_code SI_TKILL (raise)");
  check_eq(si.si_pid, pid, "si_pid is the child");
  si.si_errno = 0;
  check_eq(pt(PTRACE_SETSIGINFO, pid, 0, (unsigned long)&si), 0, "SETSIGINFO");

  /* PEEK/POKE of data: the child's copy only. */
  long w = 0;
  check_eq(pt(PTRACE_PEEKDATA, pid, (unsigned long)&g_word, (unsigned long)&w), 0, "PEEKDATA");
  check_eq(w, 0x1111, "PEEKDATA value");
  check_eq(pt(PTRACE_POKEDATA, pid, (unsigned long)&g_word, 0x5555), 0, "POKEDATA");
  check_eq(g_word, 0x1111, "POKEDATA leaves the tracer's copy alone");
  errno = 0;
  check(pt(PTRACE_PEEKDATA, pid, 0x10, (unsigned long)&w) == -1 && errno == EIO, "PEEKDATA of unmapped memory: EIO");
  check(pt(PTRACE_PEEKUSER, pid, 0, (unsigned long)&w) == -1 && errno == EIO, "PEEKUSER: EIO on arm64");
  check(pt(12 /* PTRACE_GETREGS */, pid, 0, (unsigned long)&w) == -1 && errno == EIO, "GETREGS: EIO on arm64");

  /* POKETEXT over read-only text: mov w0, #1 becomes mov w0, #42 in the child only. */
  unsigned long text = 0;
  check_eq(pt(PTRACE_PEEKTEXT, pid, (unsigned long)probe, (unsigned long)&text), 0, "PEEKTEXT");
  check_eq((long)(uint32_t)text, 0x52800020, "probe() starts with mov w0, #1");
  text = (text & ~0xffffffffUL) | 0x52800540;
  check_eq(pt(PTRACE_POKETEXT, pid, (unsigned long)probe, text), 0, "POKETEXT into read-only text");
  check_eq(probe_fn(), 1, "the tracer's text is unchanged");

  /* Register sets. */
  struct user_regs regs;
  size_t len = sizeof regs;
  check_eq(regset(PTRACE_GETREGSET, pid, NT_PRSTATUS, &regs, &len), 0, "GETREGSET NT_PRSTATUS");
  check_eq(len, 272, "NT_PRSTATUS is 272 bytes");
  unsigned char big[1024];
  len = sizeof big;
  check_eq(regset(PTRACE_GETREGSET, pid, NT_PRSTATUS, big, &len), 0, "GETREGSET with a long buffer");
  check_eq(len, 272, "iov_len cut to the set");
  len = 12;
  errno = 0;
  check(regset(PTRACE_GETREGSET, pid, NT_PRSTATUS, big, &len) == -1 && errno == EINVAL, "a partial register: EINVAL");
  unsigned long insn = 0;
  pt(PTRACE_PEEKTEXT, pid, regs.pc - 4, (unsigned long)&insn);
  check_eq((long)(uint32_t)insn, 0xd4000001, "pc is just past the svc of tgkill");
  check_eq(regs.pstate & 0xf, 0, "pstate is EL0t");
  len = sizeof big;
  check_eq(regset(PTRACE_GETREGSET, pid, NT_PRFPREG, big, &len), 0, "GETREGSET NT_PRFPREG");
  check_eq(len, 528, "NT_PRFPREG is 528 bytes");
  unsigned long tls[2] = {0, 0};
  len = sizeof tls;
  check_eq(regset(PTRACE_GETREGSET, pid, NT_ARM_TLS, tls, &len), 0, "GETREGSET NT_ARM_TLS");
  check_eq(len, 8, "NT_ARM_TLS is tpidr_el0 alone");
  unsigned long child_tls = 0;
  pt(PTRACE_PEEKDATA, pid, (unsigned long)&g_tls, (unsigned long)&child_tls);
  check_eq(tls[0], child_tls, "NT_ARM_TLS is the child's tpidr_el0");
  uint32_t dbg[66];
  len = sizeof dbg;
  check_eq(regset(PTRACE_GETREGSET, pid, NT_ARM_HW_BREAK, dbg, &len), 0, "GETREGSET NT_ARM_HW_BREAK");
  check_eq(len, 264, "user_hwdebug_state is 264 bytes");
  check((dbg[0] >> 8 & 0xff) >= 6, "dbg_info names an ARMv8 debug architecture");
  int nr = 0;
  len = sizeof nr;
  check_eq(regset(PTRACE_GETREGSET, pid, NT_ARM_SYSTEM_CALL, &nr, &len), 0, "GETREGSET NT_ARM_SYSTEM_CALL");
  check_eq(len, 4, "NT_ARM_SYSTEM_CALL is an int");

  /* The compat ptrace (26) from this 64-bit tracer: 4-byte words, compat_iovec, compat_siginfo. */
  memset(g_cbuf, 0xee, sizeof g_cbuf);
  check_eq(compat_syscall(26, PTRACE_PEEKDATA, pid, (unsigned long)&g_word, (unsigned long)g_cbuf), 0, "compat PEEKDATA");
  check(memcmp(g_cbuf, "\x55\x55\0\0\xee", 5) == 0, "compat PEEKDATA stores a 4-byte word");
  g_ciov[0] = (uint32_t)(unsigned long)g_cbuf;
  g_ciov[1] = 512;
  check_eq(compat_syscall(26, PTRACE_GETREGSET, pid, NT_PRSTATUS, (unsigned long)g_ciov), 0, "compat GETREGSET");
  check_eq(g_ciov[1], 272, "compat GETREGSET: the AArch64 view, length in the compat_iovec");
  check_eq(((struct user_regs *)g_cbuf)->sp, regs.sp, "compat GETREGSET: the 64-bit sp");
  check_eq(compat_syscall(26, PTRACE_GETSIGINFO, pid, 0, (unsigned long)g_cbuf), 0, "compat GETSIGINFO");
  uint32_t csig[4];
  memcpy(csig, g_cbuf, sizeof csig);
  check(csig[0] == SIGSTOP && (int)csig[2] == SI_TKILL && csig[3] == (uint32_t)pid, "compat_siginfo: si_pid at 12");

  /* Queued siginfo, blocked in the child: SIGUSR1 process-wide, SIGRTMIN to the thread. */
  kill(pid, SIGUSR1);
  syscall(SYS_tgkill, pid, pid, SIGRTMIN);
  siginfo_t q[4];
  struct peek_args pa = {0, 0, 4};
  check_eq(pt(PTRACE_PEEKSIGINFO, pid, (unsigned long)&pa, (unsigned long)q), 1, "PEEKSIGINFO: one thread signal");
  check(q[0].si_signo == SIGRTMIN && q[0].si_code == SI_TKILL, "PEEKSIGINFO: SIGRTMIN from tgkill");
  pa.flags = 1;
  check_eq(pt(PTRACE_PEEKSIGINFO, pid, (unsigned long)&pa, (unsigned long)q), 1, "PEEKSIGINFO SHARED: one process signal");
  check(q[0].si_signo == SIGUSR1 && q[0].si_code == SI_USER && q[0].si_pid == getpid(), "PEEKSIGINFO SHARED: SIGUSR1 from kill");
  pa.off = 1;
  check_eq(pt(PTRACE_PEEKSIGINFO, pid, (unsigned long)&pa, (unsigned long)q), 0, "PEEKSIGINFO past the end: 0");
  pa.flags = 2;
  errno = 0;
  check(pt(PTRACE_PEEKSIGINFO, pid, (unsigned long)&pa, (unsigned long)q) == -1 && errno == EINVAL, "PEEKSIGINFO unknown flag: EINVAL");

  /* GET_SYSCALL_INFO at a signal stop: op NONE, the 24-byte head. */
  struct syscall_info info;
  memset(&info, 0xee, sizeof info);
  check_eq(pt(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, (unsigned long)&info), 24, "GET_SYSCALL_INFO at a signal stop: 24");
  check(info.op == 0 && info.arch == AUDIT_ARCH_AARCH64 && info.ip == regs.pc && info.sp == regs.sp, "op NONE, AArch64, pc, sp");

  /* process_vm_readv/writev. */
  long got = 0;
  struct iovec local = {&got, sizeof got};
  struct iovec remote = {(void *)&g_word, sizeof got};
  check_eq(process_vm_readv(pid, &local, 1, &remote, 1, 0), 8, "process_vm_readv");
  check_eq(got, 0x5555, "process_vm_readv sees the poked word");
  long val = 0x77;
  struct iovec lw = {&val, sizeof val};
  struct iovec rw = {(void *)&g_vm, sizeof val};
  check_eq(process_vm_writev(pid, &lw, 1, &rw, 1, 0), 8, "process_vm_writev");
  struct iovec bad = {(void *)0x10, 8};
  errno = 0;
  check(process_vm_readv(pid, &local, 1, &bad, 1, 0) == -1 && errno == EFAULT, "process_vm_readv of unmapped memory: EFAULT");
  pid_t gone = fork();
  if (gone == 0) _exit(0);
  waitpid(gone, NULL, 0);
  errno = 0;
  check(process_vm_readv(gone, &local, 1, &remote, 1, 0) == -1 && errno == ESRCH, "process_vm_readv of a reaped pid: ESRCH");
}

/* Runs the child to its next syscall stop; returns the GET_SYSCALL_INFO size, 0 when it exited. */
static long next_stop(pid_t pid, struct syscall_info *info, int *status) {
  pt(PTRACE_SYSCALL, pid, 0, 0);
  *status = wait_stop(pid);
  if (!WIFSTOPPED(*status)) return 0;
  memset(info, 0, sizeof *info);
  return pt(PTRACE_GET_SYSCALL_INFO, pid, sizeof *info, (unsigned long)info);
}

static void syscall_stops(pid_t pid) {
  check_eq(pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD), 0, "SETOPTIONS TRACESYSGOOD");
  struct syscall_info info;
  int st;
  int seen = 0;
  long size;
  struct user_regs regs;
  size_t len;
  while ((size = next_stop(pid, &info, &st)) > 0) {
    if (WSTOPSIG(st) != (SIGTRAP | 0x80)) continue;
    if (info.op != 1) continue;
    if (info.arch == AUDIT_ARCH_AARCH64 && info.entry.nr == SYS_getppid && info.entry.args[0] == 0x1234) {
      seen |= 1;
      check_eq(size, 80, "entry stop: 80 bytes");
      check(info.entry.args[1] == 2 && info.entry.args[5] == 6, "entry args x1-x5");
      siginfo_t si;
      pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si);
      check_eq(si.si_code, SIGTRAP | 0x80, "syscall stop siginfo: si_code SIGTRAP|0x80");
      len = sizeof regs;
      regset(PTRACE_GETREGSET, pid, NT_PRSTATUS, &regs, &len);
      check_eq(regs.x[8], SYS_getppid, "x8 holds the number");
      check_eq(regs.x[7], 0, "x7 is 0 at the entry stop");
      int nr = 0;
      len = sizeof nr;
      regset(PTRACE_GETREGSET, pid, NT_ARM_SYSTEM_CALL, &nr, &len);
      check_eq(nr, SYS_getppid, "NT_ARM_SYSTEM_CALL at entry");
      nr = SYS_getpid;
      len = sizeof nr;
      check_eq(regset(PTRACE_SETREGSET, pid, NT_ARM_SYSTEM_CALL, &nr, &len), 0, "SETREGSET NT_ARM_SYSTEM_CALL getppid -> getpid");
      size = next_stop(pid, &info, &st);
      check_eq(size, 33, "exit stop: 33 bytes");
      check(info.op == 2 && info.exit.rval == pid && info.exit.is_error == 0, "exit rval: getpid's result");
      len = sizeof regs;
      regset(PTRACE_GETREGSET, pid, NT_PRSTATUS, &regs, &len);
      check_eq(regs.x[7], 1, "x7 is 1 at the exit stop");
    } else if (info.arch == AUDIT_ARCH_AARCH64 && info.entry.nr == SYS_getppid && info.entry.args[0] == 7) {
      seen |= 2;
      int nr = -1;
      len = sizeof nr;
      regset(PTRACE_SETREGSET, pid, NT_ARM_SYSTEM_CALL, &nr, &len);
      len = sizeof regs;
      regset(PTRACE_GETREGSET, pid, NT_PRSTATUS, &regs, &len);
      regs.x[0] = 777;
      len = sizeof regs;
      check_eq(regset(PTRACE_SETREGSET, pid, NT_PRSTATUS, &regs, &len), 0, "SETREGSET NT_PRSTATUS x0 = 777");
      size = next_stop(pid, &info, &st);
      check(info.op == 2 && info.exit.rval == 777, "a skipped call exits with the tracer's x0");
    } else if (info.arch == AUDIT_ARCH_ARM && info.entry.nr == 64) {
      seen |= 4;
      check_eq(info.entry.args[0], 0xabc, "compat entry: args zero-extended");
      len = sizeof regs;
      regset(PTRACE_GETREGSET, pid, NT_PRSTATUS, &regs, &len);
      check_eq(len, 272, "a compat call still shows the AArch64 view");
      check_eq(regs.x[8] & 0xffffffff, 0x80000040, "x8 holds the compat bit and number");
      int nr = 20; /* compat getpid */
      len = sizeof nr;
      check_eq(regset(PTRACE_SETREGSET, pid, NT_ARM_SYSTEM_CALL, &nr, &len), 0, "compat getppid -> compat getpid");
      size = next_stop(pid, &info, &st);
      check(info.op == 2 && info.arch == AUDIT_ARCH_ARM && info.exit.rval == pid, "compat exit: getpid's result, AUDIT_ARCH_ARM");
    } else if (info.arch == AUDIT_ARCH_ARM && info.entry.nr == 6) {
      seen |= 8;
      size = next_stop(pid, &info, &st);
      check(info.op == 2 && info.exit.rval == -EBADF && info.exit.is_error == 1, "compat exit: -EBADF sign-extended, is_error");
      len = sizeof regs;
      regset(PTRACE_GETREGSET, pid, NT_PRSTATUS, &regs, &len);
      check_eq(regs.x[0], 0xfffffff7UL, "compat result in x0 is zero-extended");
    }
  }
  check_eq(seen, 15, "every marked call was seen");
  check(WIFEXITED(st), "the child exited");
  check_eq(WEXITSTATUS(st), 127, "the child saw every change (bits)");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  pid_t pid = fork();
  if (pid == 0) child();
  int st = wait_stop(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "child stopped with SIGSTOP");
  at_signal_stop(pid);
  syscall_stops(pid);
  return finish();
}
