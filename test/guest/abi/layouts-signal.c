/* Signal structures from the kernel's uapi headers. */
#include <asm/siginfo.h>
#include <asm/signal.h>

#include "layouts.h"

#define SI(member, cmember) OFF_AS(siginfo, member, siginfo_t, cmember)

static void siginfo_layouts(void) {
  SIZE(siginfo, siginfo_t);
  SI(si_signo, si_signo);
  SI(si_errno, si_errno);
  SI(si_code, si_code);
  SI(_sifields, _sifields);
  SI(_sifields._kill._pid, si_pid);
  SI(_sifields._kill._uid, si_uid);
  SI(_sifields._timer._tid, si_tid);
  SI(_sifields._timer._overrun, si_overrun);
  SI(_sifields._timer._sigval, _sifields._timer._sigval);
  SI(_sifields._timer._sys_private, si_sys_private);
  SI(_sifields._rt._pid, _sifields._rt._pid);
  SI(_sifields._rt._uid, _sifields._rt._uid);
  SI(_sifields._rt._sigval, si_value);
  SI(_sifields._rt._sigval.sival_ptr, si_ptr);
  SI(_sifields._sigchld._pid, _sifields._sigchld._pid);
  SI(_sifields._sigchld._status, si_status);
  SI(_sifields._sigchld._utime, si_utime);
  SI(_sifields._sigchld._stime, si_stime);
  SI(_sifields._sigfault._addr, si_addr);
  SI(_sifields._sigfault._trapno, si_trapno);
  SI(_sifields._sigfault._addr_lsb, si_addr_lsb);
  SI(_sifields._sigfault._addr_bnd._lower, si_lower);
  SI(_sifields._sigfault._addr_bnd._upper, si_upper);
  SI(_sifields._sigfault._addr_pkey._pkey, si_pkey);
  SI(_sifields._sigfault._perf._data, si_perf_data);
  SI(_sifields._sigfault._perf._type, si_perf_type);
  SI(_sifields._sigfault._perf._flags, si_perf_flags);
  SI(_sifields._sigpoll._band, si_band);
  SI(_sifields._sigpoll._fd, si_fd);
  SI(_sifields._sigsys._call_addr, si_call_addr);
  SI(_sifields._sigsys._syscall, si_syscall);
  SI(_sifields._sigsys._arch, si_arch);
  SI(_si_pad, _si_pad);
  SIZE(__sifields, union __sifields);
  SIZE(sigval, sigval_t);
  OFF(sigval, sigval_t, sival_int);
  OFF(sigval, sigval_t, sival_ptr);
  SIZE(sigevent, sigevent_t);
  OFF(sigevent, sigevent_t, sigev_value);
  OFF(sigevent, sigevent_t, sigev_signo);
  OFF(sigevent, sigevent_t, sigev_notify);
  OFF(sigevent, sigevent_t, _sigev_un);
  OFF(sigevent, sigevent_t, _sigev_un._tid);
  OFF(sigevent, sigevent_t, _sigev_un._sigev_thread._function);
  OFF(sigevent, sigevent_t, _sigev_un._sigev_thread._attribute);
}

static void sigaction_layouts(void) {
#ifdef __aarch64__
  /* arm64's uapi struct sigaction is the one rt_sigaction reads. */
  SIZE(sigset_t, sigset_t);
  OFF(sigset_t, sigset_t, sig);
  SIZE(sigaction, struct sigaction);
  OFF(sigaction, struct sigaction, sa_handler);
  OFF(sigaction, struct sigaction, sa_flags);
  OFF(sigaction, struct sigaction, sa_restorer);
  OFF(sigaction, struct sigaction, sa_mask);
#else
  /* ARM's uapi struct sigaction is the old one (sigaction, 67); the rt one is in layouts-mirror.c. */
  SIZE(old_sigaction, struct sigaction);
  OFF_AS(old_sigaction, sa_handler, struct sigaction, sa_handler);
  OFF(old_sigaction, struct sigaction, sa_mask);
  OFF(old_sigaction, struct sigaction, sa_flags);
  OFF(old_sigaction, struct sigaction, sa_restorer);
#endif
  SIZE(stack_t, stack_t);
  OFF(stack_t, stack_t, ss_sp);
  OFF(stack_t, stack_t, ss_flags);
  OFF(stack_t, stack_t, ss_size);
}

void layouts_signal(void) {
  siginfo_layouts();
  sigaction_layouts();
}
