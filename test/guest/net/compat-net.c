/*
 * Socket calls through the compat-syscall ABI from a 64-bit program (compat-abi.md §7): compat
 * sendmsg/recvmsg read the 28-byte compat_msghdr, 8-byte compat_iovec and 12-byte compat_cmsghdr
 * (data 4-aligned), sendmmsg/recvmmsg the 32-byte compat_mmsghdr, compat recvmmsg a 32-bit
 * timespec, compat get/setsockopt(SO_RCVTIMEO) an 8-byte timeval; the native calls in the same task
 * keep their own layouts. qemu-aarch64 lacks the series, so the expected values are the
 * specification's (Linux's compat structures), not a reference run's.
 */
#include "check.h"

#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "compat64/compat_syscall.h"

struct compat_iovec {
  uint32_t base, len;
};
struct compat_msghdr {
  uint32_t name;
  int32_t namelen;
  uint32_t iov, iovlen, control, controllen, flags;
};
struct compat_mmsghdr {
  struct compat_msghdr hdr;
  uint32_t len;
};
struct compat_cmsghdr {
  uint32_t len;
  int32_t level, type;
};
_Static_assert(sizeof(struct compat_msghdr) == 28, "compat_msghdr is 28 bytes");
_Static_assert(sizeof(struct compat_mmsghdr) == 32, "compat_mmsghdr is 32 bytes");

#define P32(p) ((uint32_t)(unsigned long)(p))

/* Everything a compat call points at lives below 4 GiB: static storage of this program. */
static int sv[2];
static char data[64], out[64];
static unsigned char ctl[128];
static struct compat_iovec iov[4];
static struct compat_msghdr mh;
static struct compat_mmsghdr mm[4];
static int32_t ts32[2];
static int64_t ts64[2];
static int32_t tv32[2];
static uint32_t optlen;

static long csys(long nr, long a, long b, long c, long d, long e) {
  return compat_syscall(nr, a, b, c, d, e);
}

static void send_rights(int n) {
  int fds[3] = {0, 1, 2};
  memset(ctl, 0, sizeof ctl);
  struct compat_cmsghdr *h = (struct compat_cmsghdr *)ctl;
  h->len = 12 + 4 * n;
  h->level = SOL_SOCKET;
  h->type = SCM_RIGHTS;
  memcpy(ctl + 12, fds, 4 * n);
  iov[0] = (struct compat_iovec){P32(data), 1};
  mh = (struct compat_msghdr){0, 0, P32(iov), 1, P32(ctl), 12 + 4 * n, 0};
}

int main(void) {
  check_eq(csys(__NR_compat_socketpair, AF_UNIX, SOCK_DGRAM, 0, P32(sv), 0), 0, "compat.socketpair");

  /* Two descriptions: cmsg_len 20, data right after the 12-byte header. */
  send_rights(2);
  check_eq(csys(__NR_compat_sendmsg, sv[0], P32(&mh), 0, 0, 0), 1, "compat.sendmsg_rights");
  memset(ctl, 0xee, sizeof ctl);
  iov[0] = (struct compat_iovec){P32(out), sizeof out};
  mh = (struct compat_msghdr){0, 0, P32(iov), 1, P32(ctl), sizeof ctl, 0};
  check_eq(csys(__NR_compat_recvmsg, sv[1], P32(&mh), 0, 0, 0), 1, "compat.recvmsg_rights");
  struct compat_cmsghdr *h = (struct compat_cmsghdr *)ctl;
  check(h->len == 20 && h->level == SOL_SOCKET && h->type == SCM_RIGHTS, "compat.cmsg_header_12_bytes");
  check_eq(mh.controllen, 20, "compat.controllen_4_aligned");
  int fd0, fd1;
  memcpy(&fd0, ctl + 12, 4);
  memcpy(&fd1, ctl + 16, 4);
  check(fd0 > 2 && fd1 == fd0 + 1, "compat.fds_installed");
  close(fd0);
  close(fd1);

  /* A 16-byte buffer holds a header and one fd: MSG_CTRUNC. */
  send_rights(2);
  csys(__NR_compat_sendmsg, sv[0], P32(&mh), 0, 0, 0);
  iov[0] = (struct compat_iovec){P32(out), sizeof out};
  mh = (struct compat_msghdr){0, 0, P32(iov), 1, P32(ctl), 16, 0};
  check_eq(csys(__NR_compat_recvmsg, sv[1], P32(&mh), 0, 0, 0), 1, "compat.recvmsg_short_control");
  check(mh.flags & MSG_CTRUNC, "compat.ctrunc");
  check_eq(mh.controllen, 16, "compat.ctrunc_controllen");
  memcpy(&fd0, ctl + 12, 4);
  close(fd0);

  /* A control buffer too small for one compat header is EINVAL (nothing to convert). */
  send_rights(1);
  mh.controllen = 8;
  check_eq(csys(__NR_compat_sendmsg, sv[0], P32(&mh), 0, 0, 0), -EINVAL, "compat.tiny_control_einval");

  /* SCM_CREDENTIALS: 12 + 12 bytes. */
  int on = 1;
  setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
  write(sv[0], "c", 1);
  iov[0] = (struct compat_iovec){P32(out), sizeof out};
  mh = (struct compat_msghdr){0, 0, P32(iov), 1, P32(ctl), sizeof ctl, 0};
  check_eq(csys(__NR_compat_recvmsg, sv[1], P32(&mh), 0, 0, 0), 1, "compat.recvmsg_creds");
  int32_t pid;
  memcpy(&pid, ctl + 12, 4);
  check(h->len == 24 && h->type == SCM_CREDENTIALS && pid == getpid() && mh.controllen == 24, "compat.creds_layout");
  on = 0;
  setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);

  /* The native recvmsg in the same task keeps 16-byte headers. */
  int fds[1] = {0};
  char nctl[CMSG_SPACE(sizeof fds)];
  struct iovec niov = {data, 1};
  struct msghdr nm = {.msg_iov = &niov, .msg_iovlen = 1, .msg_control = nctl, .msg_controllen = sizeof nctl};
  struct cmsghdr *c = CMSG_FIRSTHDR(&nm);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof fds);
  memcpy(CMSG_DATA(c), fds, sizeof fds);
  check_eq(sendmsg(sv[0], &nm, 0), 1, "native.sendmsg");
  char rctl[64];
  struct msghdr rm = {.msg_iov = &niov, .msg_iovlen = 1, .msg_control = rctl, .msg_controllen = sizeof rctl};
  check_eq(recvmsg(sv[1], &rm, 0), 1, "native.recvmsg");
  check(rm.msg_controllen == CMSG_SPACE(sizeof(int)) && CMSG_FIRSTHDR(&rm)->cmsg_len == CMSG_LEN(sizeof(int)),
        "native.cmsg_16_byte_header");
  memcpy(&fd0, CMSG_DATA(CMSG_FIRSTHDR(&rm)), sizeof fd0);
  close(fd0);

  /* sendmmsg / recvmmsg with 32-byte entries; msg_len at offset 28. */
  memset(mm, 0, sizeof mm);
  static const char *words[3] = {"a", "bb", "ccc"};
  for (int i = 0; i < 3; i++) {
    iov[i] = (struct compat_iovec){P32(words[i]), (uint32_t)strlen(words[i])};
    mm[i].hdr = (struct compat_msghdr){0, 0, P32(&iov[i]), 1, 0, 0, 0};
  }
  check_eq(csys(__NR_compat_sendmmsg, sv[0], P32(mm), 3, 0, 0), 3, "compat.sendmmsg");
  check(mm[0].len == 1 && mm[1].len == 2 && mm[2].len == 3, "compat.sendmmsg_lengths");
  memset(mm, 0, sizeof mm);
  for (int i = 0; i < 3; i++) {
    iov[i] = (struct compat_iovec){P32(out + 16 * i), 16};
    mm[i].hdr = (struct compat_msghdr){0, 0, P32(&iov[i]), 1, 0, 0, 0};
  }
  ts32[0] = 5;
  ts32[1] = 0;
  check_eq(csys(__NR_compat_recvmmsg, sv[1], P32(mm), 2, MSG_DONTWAIT, P32(ts32)), 2, "compat.recvmmsg_time32");
  check(mm[0].len == 1 && mm[1].len == 2, "compat.recvmmsg_lengths");
  check(ts32[0] <= 5 && ts32[0] >= 4, "compat.recvmmsg_timeout_32bit_written");
  ts64[0] = 5;
  ts64[1] = 0;
  check_eq(csys(__NR_compat_recvmmsg_time64, sv[1], P32(mm), 2, MSG_DONTWAIT, P32(ts64)), 1, "compat.recvmmsg_time64");
  check(mm[0].len == 3 && ts64[0] <= 5 && ts64[0] >= 4, "compat.recvmmsg_time64_timeout");

  /* SO_RCVTIMEO through compat calls: old_timeval32, 8 bytes. */
  tv32[0] = 1;
  tv32[1] = 500000;
  check_eq(csys(__NR_compat_setsockopt, sv[0], SOL_SOCKET, SO_RCVTIMEO, P32(tv32), 8), 0, "compat.set_rcvtimeo_8");
  tv32[0] = tv32[1] = 0;
  optlen = 16;
  check_eq(csys(__NR_compat_getsockopt, sv[0], SOL_SOCKET, SO_RCVTIMEO, P32(tv32), P32(&optlen)), 0,
           "compat.get_rcvtimeo");
  check(optlen == 8 && tv32[0] == 1 && tv32[1] == 500000, "compat.rcvtimeo_old_timeval32");
  struct timeval ntv;
  socklen_t nl = sizeof ntv;
  getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &ntv, &nl);
  check(nl == 16 && ntv.tv_sec == 1 && ntv.tv_usec == 500000, "native.rcvtimeo_16_bytes");
  check_err(setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, tv32, 8), EINVAL, "native.set_timeo_8_bytes_einval");

  /* send/recv (289/291) are sendto/recvfrom without an address. */
  check_eq(csys(__NR_compat_send, sv[0], P32("xyz"), 3, 0, 0), 3, "compat.send");
  check_eq(csys(__NR_compat_recv, sv[1], P32(out), sizeof out, 0, 0), 3, "compat.recv");
  close(sv[0]);
  close(sv[1]);
  return finish();
}
