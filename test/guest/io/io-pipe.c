/*
 * Pipes in one task: capacity in pages (small writes straddling page ends hold less), PIPE_BUF
 * atomicity and partial non-blocking writes, O_DIRECT packets, F_SETPIPE_SZ, FIONREAD, EOF, and
 * EPIPE with SIGPIPE delivered to a handler (si_code SI_USER, si_pid the writer).
 */
#include "check.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>


static char buf[1 << 17];
static volatile int sigpipes;
static volatile int sigpipe_code = 99;
static volatile int sigpipe_pid;

static void on_sigpipe(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)uc;
  sigpipes++;
  sigpipe_code = si->si_code;
  sigpipe_pid = si->si_pid;
}

/* Writes chunks of n bytes until EAGAIN; the total. */
static long fill(int fd, size_t n) {
  long total = 0;
  for (;;) {
    ssize_t w = write(fd, buf, n);
    if (w < 0) return errno == EAGAIN ? total : -errno;
    total += w;
  }
}

int main(void) {
  int p[2];
  memset(buf, 'a', sizeof buf);

  check(pipe2(p, O_NONBLOCK) == 0, "pipe2 O_NONBLOCK");
  check_eq(fcntl(p[1], F_GETPIPE_SZ), 65536, "F_GETPIPE_SZ is 64 KiB");
  check_eq(fill(p[1], 1), 65536, "1-byte writes fill 65536 bytes");
  close(p[0]);
  close(p[1]);

  check(pipe2(p, O_NONBLOCK) == 0, "pipe2 again");
  check_eq(fill(p[1], 100), 64000, "100-byte writes fill 16 pages of 4000");
  int queued = -1;
  check(ioctl(p[0], FIONREAD, &queued) == 0 && queued == 64000, "FIONREAD counts the bytes");
  close(p[0]);
  close(p[1]);

  check(pipe2(p, O_NONBLOCK) == 0, "pipe2 for partial writes");
  check_eq(write(p[1], buf, 15 * 4096 + 10), 15 * 4096 + 10, "15 pages and 10 bytes");
  check_eq(write(p[1], buf, 5000), 904, "5000 bytes: the tail merged, no page left for the rest");
  check_err(write(p[1], buf, 4096), EAGAIN, "PIPE_BUF bytes need a free page: EAGAIN, nothing written");
  check_eq(read(p[0], buf, sizeof buf), 15 * 4096 + 10 + 904, "a read takes everything queued");
  check_err(read(p[0], buf, 10), EAGAIN, "empty: EAGAIN");
  close(p[1]);
  check_eq(read(p[0], buf, 10), 0, "no writer left: EOF");
  close(p[0]);

  check(pipe2(p, O_NONBLOCK | O_DIRECT) == 0, "pipe2 O_DIRECT");
  check_eq(write(p[1], "first", 5), 5, "packet 1");
  check_eq(write(p[1], "second", 6), 6, "packet 2");
  char small[8] = {0};
  check_eq(read(p[0], small, sizeof small), 5, "a read returns one packet");
  check(memcmp(small, "first", 5) == 0, "the first packet");
  check_eq(read(p[0], small, 3), 3, "a short read takes part of the next");
  check_err(read(p[0], small, sizeof small), EAGAIN, "the rest of that packet is dropped");
  close(p[0]);
  close(p[1]);

  check(pipe2(p, O_NONBLOCK) == 0, "pipe2 for F_SETPIPE_SZ");
  check_eq(write(p[1], buf, 3), 3, "3 bytes");
  check_eq(write(p[1], buf, 4096), 4096, "a page");
  check_err(fcntl(p[1], F_SETPIPE_SZ, 4096), EBUSY, "fewer pages than in use: EBUSY");
  check_eq(fcntl(p[1], F_SETPIPE_SZ, 5000), 8192, "5000 rounds up to 2 pages");
  check_err(write(p[1], buf, 1), EAGAIN, "two pages in use and the newest full");
  check_eq(read(p[0], buf, 3), 3, "the first page read");
  check_eq(write(p[1], buf, 1), 1, "a page free again");
  close(p[0]);
  close(p[1]);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigpipe;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGPIPE, &sa, NULL);
  check(pipe(p) == 0, "pipe for SIGPIPE");
  close(p[0]);
  check_err(write(p[1], "x", 1), EPIPE, "no reader: EPIPE");
  check_eq(sigpipes, 1, "SIGPIPE delivered once");
  check_eq(sigpipe_code, SI_USER, "si_code SI_USER");
  check_eq(sigpipe_pid, getpid(), "si_pid is the writer");
  signal(SIGPIPE, SIG_IGN);
  check_err(write(p[1], "x", 1), EPIPE, "ignored SIGPIPE: EPIPE only");
  check_eq(sigpipes, 1, "no second handler call");
  close(p[1]);
  return finish();
}
