/* File and time structures from the kernel's uapi headers. */
#include <asm/stat.h>
#include <asm/statfs.h>
#include <linux/stat.h>
#include <linux/time.h>
#include <linux/time_types.h>
#include <linux/timex.h>
#include <linux/times.h>
#include <linux/utime.h>

#include "layouts.h"

static void statx_layouts(void) {
  SIZE(statx_timestamp, struct statx_timestamp);
  OFF(statx_timestamp, struct statx_timestamp, tv_sec);
  OFF(statx_timestamp, struct statx_timestamp, tv_nsec);
  OFF(statx_timestamp, struct statx_timestamp, __reserved);
  SIZE(statx, struct statx);
  OFF(statx, struct statx, stx_mask);
  OFF(statx, struct statx, stx_blksize);
  OFF(statx, struct statx, stx_attributes);
  OFF(statx, struct statx, stx_nlink);
  OFF(statx, struct statx, stx_uid);
  OFF(statx, struct statx, stx_gid);
  OFF(statx, struct statx, stx_mode);
  OFF(statx, struct statx, __spare0);
  OFF(statx, struct statx, stx_ino);
  OFF(statx, struct statx, stx_size);
  OFF(statx, struct statx, stx_blocks);
  OFF(statx, struct statx, stx_attributes_mask);
  OFF(statx, struct statx, stx_atime);
  OFF(statx, struct statx, stx_btime);
  OFF(statx, struct statx, stx_ctime);
  OFF(statx, struct statx, stx_mtime);
  OFF(statx, struct statx, stx_mtime.tv_nsec);
  OFF(statx, struct statx, stx_rdev_major);
  OFF(statx, struct statx, stx_rdev_minor);
  OFF(statx, struct statx, stx_dev_major);
  OFF(statx, struct statx, stx_dev_minor);
  OFF(statx, struct statx, stx_mnt_id);
  OFF(statx, struct statx, stx_dio_mem_align);
  OFF(statx, struct statx, stx_dio_offset_align);
  OFF(statx, struct statx, __spare3);
}

#define STATFS_FIELDS(name, type)       \
  SIZE(name, type);                     \
  OFF(name, type, f_type);              \
  OFF(name, type, f_bsize);             \
  OFF(name, type, f_blocks);            \
  OFF(name, type, f_bfree);             \
  OFF(name, type, f_bavail);            \
  OFF(name, type, f_files);             \
  OFF(name, type, f_ffree);             \
  OFF(name, type, f_fsid);              \
  OFF(name, type, f_fsid.val[1]);       \
  OFF(name, type, f_namelen);           \
  OFF(name, type, f_frsize);            \
  OFF(name, type, f_flags);             \
  OFF(name, type, f_spare);             \
  OFF(name, type, f_spare[3])

static void statfs_layouts(void) {
  STATFS_FIELDS(statfs, struct statfs);
#ifdef __aarch64__
  STATFS_FIELDS(statfs64, struct statfs64);
  STATFS_FIELDS(compat_statfs64, struct compat_statfs64);
#else
  /* ARM's own statfs64 is what arm64 calls compat_statfs64 (ARCH_PACK_STATFS64). */
  STATFS_FIELDS(compat_statfs64, struct statfs64);
#endif
}

static void stat_layouts(void) {
#ifdef __aarch64__
  SIZE(stat, struct stat);
  OFF(stat, struct stat, st_dev);
  OFF(stat, struct stat, st_ino);
  OFF(stat, struct stat, st_mode);
  OFF(stat, struct stat, st_nlink);
  OFF(stat, struct stat, st_uid);
  OFF(stat, struct stat, st_gid);
  OFF(stat, struct stat, st_rdev);
  OFF(stat, struct stat, __pad1);
  OFF(stat, struct stat, st_size);
  OFF(stat, struct stat, st_blksize);
  OFF(stat, struct stat, __pad2);
  OFF(stat, struct stat, st_blocks);
  OFF(stat, struct stat, st_atime);
  OFF(stat, struct stat, st_atime_nsec);
  OFF(stat, struct stat, st_mtime);
  OFF(stat, struct stat, st_mtime_nsec);
  OFF(stat, struct stat, st_ctime);
  OFF(stat, struct stat, st_ctime_nsec);
  OFF(stat, struct stat, __unused4);
  OFF(stat, struct stat, __unused5);
#else
  SIZE(stat64, struct stat64);
  OFF(stat64, struct stat64, st_dev);
  OFF(stat64, struct stat64, __pad0);
  OFF(stat64, struct stat64, __st_ino);
  OFF(stat64, struct stat64, st_mode);
  OFF(stat64, struct stat64, st_nlink);
  OFF(stat64, struct stat64, st_uid);
  OFF(stat64, struct stat64, st_gid);
  OFF(stat64, struct stat64, st_rdev);
  OFF(stat64, struct stat64, __pad3);
  OFF(stat64, struct stat64, st_size);
  OFF(stat64, struct stat64, st_blksize);
  OFF(stat64, struct stat64, st_blocks);
  OFF(stat64, struct stat64, st_atime);
  OFF(stat64, struct stat64, st_atime_nsec);
  OFF(stat64, struct stat64, st_mtime);
  OFF(stat64, struct stat64, st_mtime_nsec);
  OFF(stat64, struct stat64, st_ctime);
  OFF(stat64, struct stat64, st_ctime_nsec);
  OFF(stat64, struct stat64, st_ino);
  /* ARM's old struct stat is arm64's compat_stat. */
  SIZE(compat_stat, struct stat);
  OFF(compat_stat, struct stat, st_dev);
  OFF(compat_stat, struct stat, st_ino);
  OFF(compat_stat, struct stat, st_mode);
  OFF(compat_stat, struct stat, st_nlink);
  OFF(compat_stat, struct stat, st_uid);
  OFF(compat_stat, struct stat, st_gid);
  OFF(compat_stat, struct stat, st_rdev);
  OFF(compat_stat, struct stat, st_size);
  OFF(compat_stat, struct stat, st_blksize);
  OFF(compat_stat, struct stat, st_blocks);
  OFF(compat_stat, struct stat, st_atime);
  OFF(compat_stat, struct stat, st_atime_nsec);
  OFF(compat_stat, struct stat, st_mtime);
  OFF(compat_stat, struct stat, st_mtime_nsec);
  OFF(compat_stat, struct stat, st_ctime);
  OFF(compat_stat, struct stat, st_ctime_nsec);
  OFF(compat_stat, struct stat, __unused4);
  OFF(compat_stat, struct stat, __unused5);
#endif
}

static void time_layouts(void) {
  SIZE(__kernel_timespec, struct __kernel_timespec);
  OFF(__kernel_timespec, struct __kernel_timespec, tv_sec);
  OFF(__kernel_timespec, struct __kernel_timespec, tv_nsec);
  SIZE(__kernel_itimerspec, struct __kernel_itimerspec);
  OFF(__kernel_itimerspec, struct __kernel_itimerspec, it_interval);
  OFF(__kernel_itimerspec, struct __kernel_itimerspec, it_value);
  OFF(__kernel_itimerspec, struct __kernel_itimerspec, it_value.tv_nsec);
  SIZE(__kernel_old_timeval, struct __kernel_old_timeval);
  OFF(__kernel_old_timeval, struct __kernel_old_timeval, tv_sec);
  OFF(__kernel_old_timeval, struct __kernel_old_timeval, tv_usec);
  SIZE(__kernel_old_itimerval, struct __kernel_old_itimerval);
  OFF(__kernel_old_itimerval, struct __kernel_old_itimerval, it_interval);
  OFF(__kernel_old_itimerval, struct __kernel_old_itimerval, it_value);
  OFF(__kernel_old_itimerval, struct __kernel_old_itimerval, it_value.tv_usec);
#ifdef __arm__
  /* On ARM the "old" (long-based) timespec is the kernel's old_timespec32. */
  SIZE(old_timespec32, struct __kernel_old_timespec);
  OFF(old_timespec32, struct __kernel_old_timespec, tv_sec);
  OFF(old_timespec32, struct __kernel_old_timespec, tv_nsec);
#endif
  SIZE(timezone, struct timezone);
  OFF(timezone, struct timezone, tz_minuteswest);
  OFF(timezone, struct timezone, tz_dsttime);
  SIZE(tms, struct tms);
  OFF(tms, struct tms, tms_utime);
  OFF(tms, struct tms, tms_stime);
  OFF(tms, struct tms, tms_cutime);
  OFF(tms, struct tms, tms_cstime);
  SIZE(utimbuf, struct utimbuf);
  OFF(utimbuf, struct utimbuf, actime);
  OFF(utimbuf, struct utimbuf, modtime);
}

#define TIMEX_FIELDS(name, type) \
  SIZE(name, type);              \
  OFF(name, type, modes);        \
  OFF(name, type, offset);       \
  OFF(name, type, freq);         \
  OFF(name, type, maxerror);     \
  OFF(name, type, esterror);     \
  OFF(name, type, status);       \
  OFF(name, type, constant);     \
  OFF(name, type, precision);    \
  OFF(name, type, tolerance);    \
  OFF(name, type, time);         \
  OFF(name, type, time.tv_usec); \
  OFF(name, type, tick);         \
  OFF(name, type, ppsfreq);      \
  OFF(name, type, jitter);       \
  OFF(name, type, shift);        \
  OFF(name, type, stabil);       \
  OFF(name, type, jitcnt);       \
  OFF(name, type, calcnt);       \
  OFF(name, type, errcnt);       \
  OFF(name, type, stbcnt);       \
  OFF(name, type, tai)

static void timex_layouts(void) {
  TIMEX_FIELDS(timex, struct timex);
  TIMEX_FIELDS(__kernel_timex, struct __kernel_timex);
  SIZE(__kernel_timex_timeval, struct __kernel_timex_timeval);
}

void layouts_uapi_fs(void) {
  stat_layouts();
  statx_layouts();
  statfs_layouts();
  time_layouts();
  timex_layouts();
}
