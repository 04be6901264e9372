/*
 * The ARM EABI structures compat syscalls read and write, written with fixed-width types so an
 * arm64 compiler lays them out exactly as an AArch32 one (64-bit members are 8-aligned in both).
 * Each size is asserted; the offsets the suite depends on are asserted too.
 */
#ifndef COMPAT_ABI_H
#define COMPAT_ABI_H

#include <stddef.h>
#include <stdint.h>

/* ARM's struct stat64 (glibc 2.1 layout): stat64, lstat64, fstat64, fstatat64. */
struct compat_stat64 {
	uint64_t st_dev;
	uint8_t __pad0[4];
	uint32_t __st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint8_t __pad3[4];
	int64_t st_size;
	uint32_t st_blksize;
	uint64_t st_blocks;
	uint32_t st_atime_;
	uint32_t st_atime_nsec;
	uint32_t st_mtime_;
	uint32_t st_mtime_nsec;
	uint32_t st_ctime_;
	uint32_t st_ctime_nsec;
	uint64_t st_ino;
};
_Static_assert(sizeof(struct compat_stat64) == 104, "stat64 is 104 bytes");
_Static_assert(offsetof(struct compat_stat64, st_size) == 48, "st_size at 48");
_Static_assert(offsetof(struct compat_stat64, st_blocks) == 64, "st_blocks at 64");
_Static_assert(offsetof(struct compat_stat64, st_ino) == 96, "st_ino at 96");

/* ARM's old struct stat (compat_stat): stat 106, lstat 107, fstat 108. */
struct compat_stat {
	uint32_t st_dev;
	uint32_t st_ino;
	uint16_t st_mode;
	uint16_t st_nlink;
	uint16_t st_uid;
	uint16_t st_gid;
	uint32_t st_rdev;
	int32_t st_size;
	int32_t st_blksize;
	int32_t st_blocks;
	int32_t st_atime_;
	uint32_t st_atime_nsec;
	int32_t st_mtime_;
	uint32_t st_mtime_nsec;
	int32_t st_ctime_;
	uint32_t st_ctime_nsec;
	uint32_t __unused4;
	uint32_t __unused5;
};
_Static_assert(sizeof(struct compat_stat) == 64, "compat_stat is 64 bytes");

/* struct statfs64 on ARM: packed, 4-aligned, 84 bytes. */
struct compat_statfs64 {
	uint32_t f_type;
	uint32_t f_bsize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_bavail;
	uint64_t f_files;
	uint64_t f_ffree;
	int32_t f_fsid[2];
	uint32_t f_namelen;
	uint32_t f_frsize;
	uint32_t f_flags;
	uint32_t f_spare[4];
} __attribute__((packed, aligned(4)));
_Static_assert(sizeof(struct compat_statfs64) == 84, "statfs64 is 84 bytes");

/* struct statfs on ARM (compat_statfs): 64 bytes of 32-bit words. */
struct compat_statfs {
	uint32_t f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	uint32_t f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct compat_statfs) == 64, "compat_statfs is 64 bytes");

struct compat_timespec {
	int32_t tv_sec;
	int32_t tv_nsec;
};
struct compat_timeval {
	int32_t tv_sec;
	int32_t tv_usec;
};
struct compat_timespec64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct compat_iovec {
	uint32_t iov_base;
	uint32_t iov_len;
};
_Static_assert(sizeof(struct compat_iovec) == 8, "compat_iovec is 8 bytes");

/* compat_linux_dirent: d_ino u32, d_off u32, d_reclen u16, name, NUL, d_type in the last byte. */
struct compat_linux_dirent {
	uint32_t d_ino;
	uint32_t d_off;
	uint16_t d_reclen;
	char d_name[];
};
_Static_assert(offsetof(struct compat_linux_dirent, d_name) == 10, "d_name at 10");

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

/*
 * compat_sigaction (rt_sigaction 174) and compat_old_sigaction (sigaction 67). Members are named
 * without the sa_ prefix: glibc's <signal.h> defines sa_handler as a macro.
 */
struct compat_sigaction {
	uint32_t handler;
	uint32_t flags;
	uint32_t restorer;
	uint32_t mask[2];
};
_Static_assert(sizeof(struct compat_sigaction) == 20, "compat_sigaction is 20 bytes");

struct compat_old_sigaction {
	uint32_t handler;
	uint32_t mask;
	uint32_t flags;
	uint32_t restorer;
};
_Static_assert(sizeof(struct compat_old_sigaction) == 16, "compat_old_sigaction is 16 bytes");

struct compat_stack {
	uint32_t ss_sp;
	int32_t ss_flags;
	uint32_t ss_size;
};
_Static_assert(sizeof(struct compat_stack) == 12, "compat_stack_t is 12 bytes");

struct compat_sysinfo {
	int32_t uptime;
	uint32_t loads[3];
	uint32_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t totalhigh, freehigh, mem_unit;
	char _f[8];
};
_Static_assert(sizeof(struct compat_sysinfo) == 64, "compat_sysinfo is 64 bytes");

struct compat_rlimit {
	uint32_t rlim_cur;
	uint32_t rlim_max;
};

struct compat_rusage {
	struct compat_timeval ru_utime, ru_stime;
	int32_t rest[14];
};
_Static_assert(sizeof(struct compat_rusage) == 72, "compat_rusage is 72 bytes");

struct compat_tms {
	int32_t tms_utime, tms_stime, tms_cutime, tms_cstime;
};

struct compat_flock {
	int16_t l_type, l_whence;
	int32_t l_start, l_len, l_pid;
};
_Static_assert(sizeof(struct compat_flock) == 16, "compat_flock is 16 bytes");

struct compat_flock64 {
	int16_t l_type, l_whence;
	int64_t l_start, l_len;
	int32_t l_pid;
};
_Static_assert(sizeof(struct compat_flock64) == 32, "compat_flock64 is 32 bytes");
_Static_assert(offsetof(struct compat_flock64, l_start) == 8, "flock64 l_start at 8");

/* ARM's fcntl64 lock commands. */
#define COMPAT_F_GETLK64 12
#define COMPAT_F_SETLK64 13
#define COMPAT_F_SETLKW64 14

/* compat_robust_list_head */
struct compat_robust_list_head {
	uint32_t next;
	int32_t futex_offset;
	uint32_t list_op_pending;
};

/* The lowest address a compat call may be given back, and the top of the compat range. */
#define COMPAT_TASK_SIZE_32 0xfffff000UL
/* mmap_compat_base without randomisation, and the span of its 11 random bits of pages. */
#define COMPAT_MMAP_BASE_MAX 0xf7ff0000UL
#define COMPAT_MMAP_BASE_MIN (0xf7ff0000UL - 0x7ffUL * 4096)

#endif
