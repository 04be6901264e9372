/* System V shared memory: shmget, shmat (SHM_RND, SHM_RDONLY, SHM_REMAP), shmdt, shmctl. */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#define PG 4096UL

int main(void) {
  int id = shmget(IPC_PRIVATE, 3 * PG + 10, IPC_CREAT | 0600);
  if (id < 0 && errno == ENOSYS) {
    skip("SysV shm", "shmget is not implemented");
    return finish();
  }
  check(id >= 0, "shmget(IPC_PRIVATE)");
  char *a = shmat(id, NULL, 0);
  char *b = shmat(id, NULL, 0);
  check(a != (char *)-1 && b != (char *)-1 && a != b, "two attaches of one segment");
  a[100] = 42;
  check(b[100] == 42, "they share the bytes");
  check(a[4 * PG - 1] == 0, "the last page is whole and zero");
  struct shmid_ds ds;
  check(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_segsz == 3 * PG + 10 && ds.shm_nattch == 2 && ds.shm_cpid == getpid(),
        "IPC_STAT: size, attach count, creator");
  check((ds.shm_perm.mode & 0777) == 0600, "IPC_STAT: mode");
  CHECK_ERR(shmdt(a + PG), EINVAL, "shmdt of an address that is not an attach is EINVAL");
  check(shmdt(b) == 0, "shmdt");
  CHECK_ERR(shmdt(b), EINVAL, "shmdt twice is EINVAL");
  CHECK_ERR(shmat(id, (void *)0x40000123, 0), EINVAL, "shmat at an unaligned address is EINVAL");
  char *r = shmat(id, (void *)0x40000123, SHM_RND);
  check(r == (char *)0x40000000, "SHM_RND rounds down to SHMLBA");
  CHECK_ERR(shmat(id, (void *)0x40000000, 0), EINVAL, "shmat over a mapping without SHM_REMAP is EINVAL");
  char *rr = shmat(id, (void *)0x40000000, SHM_REMAP);
  check(rr == (char *)0x40000000, "SHM_REMAP replaces it");
  check(rr[100] == 42, "the remapped attach sees the data");
  char *ro = shmat(id, NULL, SHM_RDONLY);
  check(ro != (char *)-1 && ro[100] == 42, "SHM_RDONLY attach reads");
  CHECK_ERR(mprotect(ro, PG, PROT_READ | PROT_WRITE), EACCES, "a SHM_RDONLY attach cannot be made writable");
  check(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID while attached");
  check(shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & SHM_DEST) && ds.shm_perm.__key == 0,
        "the segment is marked SHM_DEST with a private key");
  check(a[100] == 42, "attached memory stays usable");
  shmdt(a);
  shmdt(rr);
  shmdt(ro);
  CHECK_ERR(shmctl(id, IPC_STAT, &ds), EINVAL, "after the last detach the segment is gone");
  int k = shmget(0x4d4d0001, PG, IPC_CREAT | IPC_EXCL | 0600);
  check(k >= 0, "shmget with a key and IPC_EXCL");
  check(shmget(0x4d4d0001, PG, 0) == k, "the key finds it again");
  CHECK_ERR(shmget(0x4d4d0001, PG, IPC_CREAT | IPC_EXCL), EEXIST, "IPC_EXCL on an existing key is EEXIST");
  CHECK_ERR(shmget(0x4d4d0001, 2 * PG, 0), EINVAL, "asking for more than the segment's size is EINVAL");
  CHECK_ERR(shmget(0x4d4d0002, PG, 0), ENOENT, "a missing key without IPC_CREAT is ENOENT");
  CHECK_ERR(shmget(IPC_PRIVATE, 0, IPC_CREAT), EINVAL, "size 0 is EINVAL");
  check(shmctl(k, IPC_RMID, NULL) == 0, "IPC_RMID of an unattached segment");
  CHECK_ERR(shmctl(k, IPC_STAT, &ds), EINVAL, "it is gone at once");
  struct shminfo info;
  check(shmctl(0, IPC_INFO, (struct shmid_ds *)&info) >= 0 && info.shmmni == 4096, "IPC_INFO: SHMMNI 4096");
  return finish();
}
