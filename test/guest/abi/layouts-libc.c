/*
 * Socket and directory structures as glibc declares them: the kernel's uapi does not export
 * struct msghdr (it is user_msghdr inside the kernel), cmsghdr, mmsghdr, sockaddr, ucred, linger.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sys/socket.h>
#include <time.h>

#include "layouts.h"

void layouts_libc(void) {
  SIZE(msghdr, struct msghdr);
  OFF(msghdr, struct msghdr, msg_name);
  OFF(msghdr, struct msghdr, msg_namelen);
  OFF(msghdr, struct msghdr, msg_iov);
  OFF(msghdr, struct msghdr, msg_iovlen);
  OFF(msghdr, struct msghdr, msg_control);
  OFF(msghdr, struct msghdr, msg_controllen);
  OFF(msghdr, struct msghdr, msg_flags);
  SIZE(cmsghdr, struct cmsghdr);
  OFF(cmsghdr, struct cmsghdr, cmsg_len);
  OFF(cmsghdr, struct cmsghdr, cmsg_level);
  OFF(cmsghdr, struct cmsghdr, cmsg_type);
  SIZE(mmsghdr, struct mmsghdr);
  OFF(mmsghdr, struct mmsghdr, msg_hdr);
  OFF(mmsghdr, struct mmsghdr, msg_hdr.msg_flags);
  OFF(mmsghdr, struct mmsghdr, msg_len);
  SIZE(sockaddr, struct sockaddr);
  OFF(sockaddr, struct sockaddr, sa_family);
  OFF(sockaddr, struct sockaddr, sa_data);
  SIZE(ucred, struct ucred);
  OFF(ucred, struct ucred, pid);
  OFF(ucred, struct ucred, uid);
  OFF(ucred, struct ucred, gid);
  SIZE(linger, struct linger);
  OFF(linger, struct linger, l_onoff);
  OFF(linger, struct linger, l_linger);
  /* glibc's dirent64 shares the header of the kernel's linux_dirent64 (its d_name is fixed-size). */
  OFF(linux_dirent64, struct dirent64, d_ino);
  OFF(linux_dirent64, struct dirent64, d_off);
  OFF(linux_dirent64, struct dirent64, d_reclen);
  OFF(linux_dirent64, struct dirent64, d_type);
  OFF(linux_dirent64, struct dirent64, d_name);
#ifdef __arm__
  /* Without _TIME_BITS=64, ARM glibc's itimerspec is the kernel's old_itimerspec32. */
  SIZE(old_itimerspec32, struct itimerspec);
  OFF(old_itimerspec32, struct itimerspec, it_interval);
  OFF(old_itimerspec32, struct itimerspec, it_value);
  OFF(old_itimerspec32, struct itimerspec, it_value.tv_nsec);
#endif
}
