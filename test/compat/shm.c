/*
 * compat-abi.md §7 (ARM EABI layouts) for System V shared memory: compat shmctl (308) is ARM's
 * old_shmctl, so IPC_64 in cmd selects compat_shmid64_ds (84 bytes on ARM EABI: ipc64_perm of 36,
 * then u32 words with the time high halves) and its absence the old compat_shmid_ds (48 bytes:
 * 16-bit ids in compat_ipc_perm, 32-bit segsz and times, 16-bit pids and nattch), nothing written
 * past either; IPC_SET reads the same layout the command names.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

#define IPC_64_FLAG 0x100

/* Static buffer: compat calls take 32-bit pointers, and the stack of a 64-bit task is far above 4 GiB. */
static unsigned char buf[128];

static uint32_t u32(size_t off)
{
	uint32_t v;
	memcpy(&v, buf + off, 4);
	return v;
}

static uint16_t u16(size_t off)
{
	uint16_t v;
	memcpy(&v, buf + off, 2);
	return v;
}

/* No byte from `from` on was written. */
static int untouched(size_t from)
{
	for (size_t i = from; i < sizeof buf; i++)
		if (buf[i] != 0xaa) return 0;
	return 1;
}

int main(void)
{
	long id = compat_syscall(__NR_compat_shmget, IPC_PRIVATE, 8192, IPC_CREAT | 0600);
	CHECK("shm.get", id >= 0, "shmget = %ld", id);
	if (id < 0) return check_done();

	/* compat_shmid64_ds (IPC_64). */
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("shm.stat64", compat_syscall(__NR_compat_shmctl, id, IPC_STAT | IPC_64_FLAG, buf), 0);
	CHECK("shm.stat64_84_bytes", untouched(84), "bytes past 84 were written");
	CHECK_EQ("shm.stat64_uid", u32(4), geteuid());
	CHECK_EQ("shm.stat64_mode_u16", u16(20), 0600);
	CHECK_EQ("shm.stat64_segsz", u32(36), 8192);
	CHECK_EQ("shm.stat64_cpid", u32(64), getpid());
	CHECK_EQ("shm.stat64_nattch", u32(72), 0);

	/* The old compat_shmid_ds (no IPC_64): 48 bytes. */
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("shm.stat_old", compat_syscall(__NR_compat_shmctl, id, IPC_STAT, buf), 0);
	CHECK("shm.stat_old_48_bytes", untouched(48), "bytes past 48 were written");
	CHECK_EQ("shm.stat_old_uid_u16", u16(4), geteuid() & 0xffff);
	CHECK_EQ("shm.stat_old_mode", u16(12), 0600);
	CHECK_EQ("shm.stat_old_segsz", u32(16), 8192);
	CHECK("shm.stat_old_ctime", u32(28) > 1000000000, "ctime %u", u32(28));
	CHECK_EQ("shm.stat_old_cpid_u16", u16(32), getpid() & 0xffff);
	CHECK_EQ("shm.stat_old_nattch", u16(36), 0);
	CHECK_EQ("shm.stat_old_unused", u16(38) | u32(40) | u32(44), 0);

	/* IPC_SET through the old layout: mode 0640. */
	memset(buf, 0, sizeof buf);
	compat_syscall(__NR_compat_shmctl, id, IPC_STAT, buf);
	buf[12] = 0640 & 0xff;
	buf[13] = 0640 >> 8;
	CHECK_EQ("shm.set_old", compat_syscall(__NR_compat_shmctl, id, IPC_SET, buf), 0);
	memset(buf, 0xaa, sizeof buf);
	compat_syscall(__NR_compat_shmctl, id, IPC_STAT | IPC_64_FLAG, buf);
	CHECK_EQ("shm.set_old_mode", u16(20), 0640);

	CHECK_EQ("shm.rmid", compat_syscall(__NR_compat_shmctl, id, IPC_RMID, 0), 0);
	return check_done();
}
