/*
 * Dispositions, masks and queues: SA_RESETHAND, SA_NODEFER, sa_mask, the order in which pending
 * signals are delivered, non-real-time signals merging and real-time ones queueing with their
 * values, si_code/si_pid/si_uid of raise, kill and sigqueue, sigpending, SIG_IGN discarding a
 * pending signal, sigsuspend, sigtimedwait/sigwaitinfo, and the argument checks of the calls.
 */
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

#define MAX_LOG 32
static volatile int log_sig[MAX_LOG];
static volatile int log_val[MAX_LOG];
static volatile int log_code[MAX_LOG];
static volatile int nlog;
static volatile int depth, max_depth;
static volatile int blocked_self, blocked_usr2;
static volatile int si_pid_seen, si_uid_seen;

static void logger(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  if (nlog < MAX_LOG) {
    log_sig[nlog] = sig;
    log_val[nlog] = si->si_value.sival_int;
    log_code[nlog] = si->si_code;
    nlog++;
  }
  si_pid_seen = si->si_pid;
  si_uid_seen = si->si_uid;
}

static void mask_probe(int sig, siginfo_t *si, void *uc) {
  (void)si, (void)uc;
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  blocked_self = sigismember(&cur, sig);
  blocked_usr2 = sigismember(&cur, SIGUSR2);
}

static volatile int raises_left;
static void nested(int sig, siginfo_t *si, void *uc) {
  (void)si, (void)uc;
  depth++;
  if (depth > max_depth) max_depth = depth;
  if (raises_left > 0) {
    raises_left--;
    raise(sig);
  }
  depth--;
}

static void raise_usr2_inside(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)si, (void)uc;
  raise(SIGUSR2);
  log_sig[nlog++] = 1000; /* marks the end of this handler */
}

static void clear_log(void) {
  nlog = 0;
}

static sigset_t only(int sig) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  return s;
}

int main(void) {
  struct sigaction sa, old;

  /* Argument checks of rt_sigaction and rt_sigprocmask. */
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_IGN;
  errno = 0;
  check(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL, "sigaction(SIGKILL): EINVAL");
  errno = 0;
  check(sigaction(SIGSTOP, &sa, NULL) == -1 && errno == EINVAL, "sigaction(SIGSTOP): EINVAL");
  check(sigaction(SIGKILL, NULL, &old) == 0 && old.sa_handler == SIG_DFL, "querying SIGKILL is allowed");
  check_eq(syscall(SYS_rt_sigaction, 65, NULL, &old, 8), -1, "rt_sigaction(65): -1");
  check_eq(errno, EINVAL, "rt_sigaction(65): EINVAL");
  check_eq(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 4), -1, "rt_sigaction sigsetsize 4: -1");
  check_eq(syscall(SYS_rt_sigprocmask, 7, &sa.sa_mask, NULL, 8), -1, "rt_sigprocmask how 7: -1");
  check_eq(errno, EINVAL, "rt_sigprocmask how 7: EINVAL");
  sigset_t all, cur;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &cur);
  sigprocmask(SIG_SETMASK, &cur, &all);
  check(!sigismember(&all, SIGKILL) && !sigismember(&all, SIGSTOP) && sigismember(&all, SIGUSR1),
        "SIGKILL and SIGSTOP cannot be blocked");

  /* SA_RESETHAND: the handler runs once with the signal blocked, then the action is SIG_DFL. */
  install(SIGUSR1, mask_probe, SA_RESETHAND);
  raise(SIGUSR1);
  check(blocked_self, "SA_RESETHAND: signal blocked inside the handler");
  check(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_DFL, "SA_RESETHAND: reset to SIG_DFL");

  /* sa_mask and the signal itself are blocked inside the handler; SA_NODEFER leaves the signal open. */
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = mask_probe;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGUSR2);
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  check(blocked_self && blocked_usr2, "sa_mask and the signal blocked inside the handler");
  sigprocmask(SIG_BLOCK, NULL, &cur);
  check(!sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGUSR2), "mask restored after the handler");
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  check(!blocked_self && blocked_usr2, "SA_NODEFER: signal not blocked, sa_mask still is");

  install(SIGUSR1, nested, SA_NODEFER);
  max_depth = 0;
  raises_left = 1;
  raise(SIGUSR1);
  check_eq(max_depth, 2, "SA_NODEFER: raising the signal in its handler nests");
  install(SIGUSR1, nested, 0);
  max_depth = 0;
  raises_left = 1;
  raise(SIGUSR1);
  check_eq(max_depth, 1, "without SA_NODEFER: the second one waits for the first to return");

  /* A signal raised in a handler while masked runs after the handler returns. */
  install(SIGUSR2, logger, 0);
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = raise_usr2_inside;
  sa.sa_flags = SA_SIGINFO;
  sigaddset(&sa.sa_mask, SIGUSR2);
  sigaction(SIGUSR1, &sa, NULL);
  clear_log();
  raise(SIGUSR1);
  check(nlog == 2 && log_sig[0] == 1000 && log_sig[1] == SIGUSR2, "masked signal delivered after the handler");

  /* Several pending signals: all delivered before the program continues, in Linux's order. */
  int order[] = {SIGUSR2, SIGRTMIN + 1, SIGHUP, SIGRTMIN, SIGUSR1};
  for (unsigned i = 0; i < 5; i++) install(order[i], logger, 0);
  sigprocmask(SIG_BLOCK, &all, &cur);
  for (unsigned i = 0; i < 5; i++) raise(order[i]);
  clear_log();
  sigprocmask(SIG_SETMASK, &cur, NULL);
  printf("delivery order:");
  for (int i = 0; i < nlog; i++) printf(" %d", log_sig[i]);
  printf("\n");
  check_eq(nlog, 5, "five pending signals, five deliveries");

  /* A non-real-time signal pending twice is delivered once; real-time ones queue in order. */
  sigprocmask(SIG_BLOCK, &all, &cur);
  raise(SIGUSR1);
  raise(SIGUSR1);
  union sigval v;
  for (int i = 1; i <= 3; i++) {
    v.sival_int = i * 11;
    sigqueue(getpid(), SIGRTMIN + 3, v);
  }
  install(SIGRTMIN + 3, logger, 0);
  clear_log();
  sigprocmask(SIG_SETMASK, &cur, NULL);
  int usr1 = 0, rt = 0, rtvals_ok = 1;
  for (int i = 0; i < nlog; i++) {
    if (log_sig[i] == SIGUSR1) usr1++;
    if (log_sig[i] == SIGRTMIN + 3) {
      rtvals_ok &= log_val[i] == (rt + 1) * 11 && log_code[i] == SI_QUEUE;
      rt++;
    }
  }
  check_eq(usr1, 1, "SIGUSR1 raised twice while blocked: delivered once");
  check_eq(rt, 3, "SIGRTMIN+3 queued three times: delivered three times");
  check(rtvals_ok, "real-time signals keep their order, values and SI_QUEUE");

  /* si_code and sender of raise (tgkill), kill and sigqueue. */
  install(SIGUSR1, logger, 0);
  clear_log();
  raise(SIGUSR1);
  check(nlog == 1 && log_code[0] == SI_TKILL, "raise: SI_TKILL");
  check(si_pid_seen == getpid() && (uid_t)si_uid_seen == getuid(), "raise: si_pid and si_uid");
  clear_log();
  kill(getpid(), SIGUSR1);
  check(nlog == 1 && log_code[0] == SI_USER, "kill: SI_USER");
  clear_log();
  v.sival_int = 4242;
  sigqueue(getpid(), SIGUSR1, v);
  check(nlog == 1 && log_code[0] == SI_QUEUE && log_val[0] == 4242, "sigqueue: SI_QUEUE with its value");

  /* kill/tgkill/tkill/rt_sigqueueinfo checks (no signal leaves this process). */
  check_eq(kill(getpid(), 0), 0, "kill(self, 0)");
  check_eq(kill(0, 0), 0, "kill(0, 0): own process group");
  errno = 0;
  check(kill(getpid(), 65) == -1 && errno == EINVAL, "kill(self, 65): EINVAL");
  errno = 0;
  check(syscall(SYS_tgkill, 0, getpid(), SIGUSR1) == -1 && errno == EINVAL, "tgkill(0, …): EINVAL");
  errno = 0;
  check(syscall(SYS_tkill, -5, SIGUSR1) == -1 && errno == EINVAL, "tkill(-5): EINVAL");
  errno = 0;
  check(syscall(SYS_tgkill, getpid(), getpid(), 70) == -1 && errno == EINVAL, "tgkill(self, 70): EINVAL");
  siginfo_t fake;
  memset(&fake, 0, sizeof fake);
  fake.si_code = SI_USER;
  errno = 0;
  check(syscall(SYS_rt_sigqueueinfo, 99999999, SIGUSR1, &fake) == -1 && errno == EPERM,
        "rt_sigqueueinfo pretending kill() to another pid: EPERM");
  fake.si_code = SI_QUEUE;
  fake.si_value.sival_int = 9;
  clear_log();
  check_eq(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &fake), 0, "rt_sigqueueinfo to self");
  check(nlog == 1 && log_code[0] == SI_QUEUE && log_val[0] == 9, "rt_sigqueueinfo: the given siginfo arrives");
  clear_log();
  fake.si_value.sival_int = 10;
  check_eq(syscall(SYS_rt_tgsigqueueinfo, getpid(), getpid(), SIGUSR1, &fake), 0, "rt_tgsigqueueinfo to self");
  check(nlog == 1 && log_val[0] == 10, "rt_tgsigqueueinfo: the given siginfo arrives");

  /* sigpending, and SIG_IGN discarding a pending signal. */
  sigset_t s1 = only(SIGUSR1), pend;
  sigprocmask(SIG_BLOCK, &s1, &cur);
  raise(SIGUSR1);
  sigpending(&pend);
  check(sigismember(&pend, SIGUSR1) && !sigismember(&pend, SIGUSR2), "sigpending shows the blocked signal");
  signal(SIGUSR1, SIG_IGN);
  sigpending(&pend);
  check(!sigismember(&pend, SIGUSR1), "SIG_IGN discards the pending signal");
  install(SIGUSR1, logger, 0);
  clear_log();
  sigprocmask(SIG_SETMASK, &cur, NULL);
  check_eq(nlog, 0, "nothing delivered after unblocking");
  sigprocmask(SIG_BLOCK, &s1, &cur);
  raise(SIGCHLD);
  sigset_t chld = only(SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  raise(SIGCHLD);
  sigpending(&pend);
  check(sigismember(&pend, SIGCHLD), "blocked SIGCHLD (default: ignore) is still pending");
  signal(SIGCHLD, SIG_DFL);
  sigpending(&pend);
  check(!sigismember(&pend, SIGCHLD), "setting SIG_DFL discards a pending default-ignored signal");
  sigprocmask(SIG_SETMASK, &cur, NULL);

  /* SIGCONT with a handler runs it. */
  install(SIGCONT, logger, 0);
  clear_log();
  raise(SIGCONT);
  check(nlog == 1 && log_sig[0] == SIGCONT, "SIGCONT handler runs");

  /* sigsuspend: takes a pending signal with its temporary mask, then restores the old one. */
  sigprocmask(SIG_BLOCK, &s1, &cur);
  raise(SIGUSR1);
  sigset_t none;
  sigemptyset(&none);
  clear_log();
  errno = 0;
  int r = sigsuspend(&none);
  check(r == -1 && errno == EINTR, "sigsuspend: -1 EINTR");
  check(nlog == 1 && log_sig[0] == SIGUSR1, "sigsuspend: the handler ran");
  sigset_t after;
  sigprocmask(SIG_BLOCK, NULL, &after);
  check(sigismember(&after, SIGUSR1), "sigsuspend: the old mask is back");
  sigprocmask(SIG_SETMASK, &cur, NULL);

  /* sigtimedwait/sigwaitinfo take blocked signals without running handlers. */
  sigset_t s2 = only(SIGUSR2);
  sigprocmask(SIG_BLOCK, &s2, &cur);
  raise(SIGUSR2);
  siginfo_t info;
  clear_log();
  struct timespec ts = {1, 0};
  check_eq(sigtimedwait(&s2, &info, &ts), SIGUSR2, "sigtimedwait returns the pending signal");
  /* glibc's sigtimedwait folds the kernel's SI_TKILL into SI_USER. */
  check(info.si_signo == SIGUSR2 && info.si_code == SI_USER && info.si_pid == getpid(), "sigtimedwait: siginfo");
  check_eq(nlog, 0, "sigtimedwait: no handler ran");
  ts.tv_sec = 0;
  ts.tv_nsec = 20 * 1000 * 1000;
  errno = 0;
  check(sigtimedwait(&s2, &info, &ts) == -1 && errno == EAGAIN, "sigtimedwait with nothing pending: EAGAIN");
  ts.tv_nsec = 0;
  errno = 0;
  check(sigtimedwait(&s2, &info, &ts) == -1 && errno == EAGAIN, "sigtimedwait with a zero timeout: EAGAIN");
  ts.tv_nsec = 1000000000;
  errno = 0;
  check(sigtimedwait(&s2, &info, &ts) == -1 && errno == EINVAL, "sigtimedwait with tv_nsec 1e9: EINVAL");
  sigset_t rtset = only(SIGRTMIN + 4);
  sigprocmask(SIG_BLOCK, &rtset, NULL);
  for (int i = 1; i <= 2; i++) {
    v.sival_int = 100 + i;
    sigqueue(getpid(), SIGRTMIN + 4, v);
  }
  int w1 = sigwaitinfo(&rtset, &info);
  int v1 = info.si_value.sival_int;
  int w2 = sigwaitinfo(&rtset, &info);
  check(w1 == SIGRTMIN + 4 && w2 == SIGRTMIN + 4 && v1 == 101 && info.si_value.sival_int == 102,
        "sigwaitinfo takes queued real-time signals in order");
  sigprocmask(SIG_SETMASK, &cur, NULL);

  /* SA_SIGINFO-less handler; sa_flags read back (unknown bits are cleared: SA_UNSUPPORTED probing). */
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sa.sa_flags = SA_RESTART | 0x400;
  sigaction(SIGUSR2, &sa, NULL);
  sigaction(SIGUSR2, NULL, &old);
  check((old.sa_flags & SA_RESTART) != 0, "sa_flags kept");
  check_linux((old.sa_flags & 0x400) == 0, "SA_UNSUPPORTED cleared");
  return finish();
}
