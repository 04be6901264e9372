/*
 * The mmap family as Linux/arm64 documents it: placement and hints, MAP_FIXED and
 * MAP_FIXED_NOREPLACE, flag checks, munmap and mprotect splitting, mremap (in place, MAYMOVE,
 * FIXED, DONTUNMAP), madvise, msync, mincore, the mlock family, brk and process_vm_readv/writev.
 */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define PG 4096UL
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static char *map(void *hint, size_t len, int prot, int flags) {
  return mmap(hint, len, prot, flags, -1, 0);
}

static void placement(void) {
  char *a = map(NULL, PG, PROT_READ | PROT_WRITE, ANON);
  char *b = map(NULL, PG, PROT_READ | PROT_WRITE, ANON);
  check(a != MAP_FAILED && b != MAP_FAILED, "anonymous mmap without a hint succeeds");
  if (!reference_run()) {
    check(b == a - PG, "the next mapping goes right below the previous one (top-down)");
    /* mmap_base = 2^48 - (8 MiB rlimit + 1 MiB guard + 1 GiB stack span) - up to 2^18 pages. */
    uintptr_t top = (uintptr_t)1 << 48;
    check((uintptr_t)a < top - 0x40900000UL && (uintptr_t)a > top - 0x80a00000UL, "mappings start just below mmap_base");
  }
  char *h = map((void *)0x200000000UL, PG, PROT_READ, ANON);
  check(h == (char *)0x200000000UL, "a free hint is honoured");
  char *h2 = map((void *)0x200000000UL, PG, PROT_READ, ANON);
  check(h2 != MAP_FAILED && h2 != h, "a taken hint falls back to the search");
  char *low = map((void *)0x1000, PG, PROT_READ, ANON);
  check(low != MAP_FAILED && (uintptr_t)low >= 0x8000, "a hint below mmap_min_addr is not taken below it");
  munmap(a, PG);
  munmap(b, PG);
  munmap(h, PG);
  munmap(h2, PG);
  munmap(low, PG);
}

static void flags(void) {
  CHECK_ERR(map(NULL, 0, PROT_READ, ANON), EINVAL, "mmap of length 0 is EINVAL");
  CHECK_ERR(map(NULL, PG, PROT_READ, MAP_ANONYMOUS), EINVAL, "mmap without MAP_SHARED or MAP_PRIVATE is EINVAL");
  CHECK_ERR(map((void *)0x300000001UL, PG, PROT_READ, ANON | MAP_FIXED), EINVAL, "MAP_FIXED at an unaligned address is EINVAL");
  CHECK_ERR(mmap(NULL, PG, PROT_READ, ANON, -1, 100), EINVAL, "an unaligned offset is EINVAL");
  CHECK_ERR(map(NULL, PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN), EINVAL,
            "MAP_GROWSDOWN with shared anonymous memory is EINVAL");
  if (getuid() != 0 && !reference_run())
    CHECK_ERR(map((void *)0, PG, PROT_READ, ANON | MAP_FIXED), EPERM, "MAP_FIXED at page 0 (below dac_mmap_min_addr) is EPERM");
  char *a = map(NULL, 2 * PG, PROT_READ | PROT_WRITE, ANON);
  a[0] = 1;
  LINUX_ONLY CHECK_ERR(map(a + PG, PG, PROT_READ, ANON | MAP_FIXED_NOREPLACE), EEXIST, "MAP_FIXED_NOREPLACE over a mapping is EEXIST");
  check(a[0] == 1, "a refused MAP_FIXED_NOREPLACE leaves memory alone");
  char *f = map(a + PG, PG, PROT_READ | PROT_WRITE, ANON | MAP_FIXED);
  check(f == a + PG && f[0] == 0, "MAP_FIXED replaces a page with a zero page");
  munmap(a, 2 * PG);
  char *p = map(NULL, 4 * PG, PROT_READ | PROT_WRITE, ANON | MAP_POPULATE);
  unsigned char vec[4];
  LINUX_ONLY check(p != MAP_FAILED && mincore(p, 4 * PG, vec) == 0 && vec[0] && vec[3], "MAP_POPULATE faults the pages in");
  munmap(p, 4 * PG);
  char *n = map(NULL, 1UL << 40, PROT_NONE, ANON | MAP_NORESERVE);
  check(n != MAP_FAILED, "a 1 TiB PROT_NONE MAP_NORESERVE reservation succeeds");
  check(munmap(n, 1UL << 40) == 0, "and unmaps");
  char *w = map(NULL, PG, PROT_WRITE, ANON);
  w[1] = 5;
  check(w[1] == 5, "PROT_WRITE memory is readable too (arm64)");
  munmap(w, PG);
}

static void unmap_protect(void) {
  char *a = map(NULL, 8 * PG, PROT_READ | PROT_WRITE, ANON);
  memset(a, 7, 8 * PG);
  check(munmap(a + 2 * PG, 2 * PG) == 0, "munmap of a middle range");
  check(a[PG] == 7 && a[4 * PG] == 7, "pages around the hole keep their data");
  CHECK_ERR(munmap(a + 1, PG), EINVAL, "munmap of an unaligned address is EINVAL");
  check(munmap(a + 2 * PG, 2 * PG) == 0, "munmap of an unmapped range succeeds");
  CHECK_ERR(munmap(a, 0), EINVAL, "munmap of length 0 is EINVAL");
  check(mprotect(a + 5 * PG, PG, PROT_READ) == 0, "mprotect of one page in the middle");
  CHECK_ERR(mprotect(a + 1, PG, PROT_READ), EINVAL, "mprotect of an unaligned address is EINVAL");
  CHECK_ERR(mprotect(a, PG, 0x100), EINVAL, "mprotect with unknown bits is EINVAL");
  CHECK_ERR(mprotect(a, 8 * PG, PROT_READ), ENOMEM, "mprotect over a hole is ENOMEM");
  if (!reference_run()) {
    /* Linux changes the VMAs before the hole and stops there: a is read-only now. */
    char x = 1;
    struct iovec l = {&x, 1}, r = {a, 1};
    CHECK_ERR(syscall(SYS_process_vm_writev, getpid(), &l, 1, &r, 1, 0), EFAULT,
              "mprotect over a hole changed the mapping before the hole");
  }
  LINUX_ONLY check(mprotect(a, 0, PROT_NONE) == 0, "mprotect of length 0 succeeds, whatever the address");
  munmap(a, 8 * PG);
  char *g = map(NULL, 4 * PG, PROT_READ | PROT_WRITE, ANON | MAP_GROWSDOWN);
  LINUX_ONLY check(g != MAP_FAILED && mprotect(g + 3 * PG, PG, PROT_READ | PROT_GROWSDOWN) == 0,
        "mprotect with PROT_GROWSDOWN applies down to the start of a MAP_GROWSDOWN mapping");
  CHECK_ERR(mprotect(g, PG, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), EINVAL, "PROT_GROWSDOWN|PROT_GROWSUP is EINVAL");
  munmap(g, 4 * PG);
}

static void remap(void) {
  char *a = map(NULL, 4 * PG, PROT_READ | PROT_WRITE, ANON);
  memset(a, 3, 4 * PG);
  munmap(a + 4 * PG, 4 * PG);
  char *r = mremap(a, 4 * PG, 8 * PG, 0);
  check(r == a || (r == MAP_FAILED && errno == ENOMEM), "mremap grows in place when it can, else ENOMEM");
  if (r == MAP_FAILED) r = mremap(a, 4 * PG, 8 * PG, MREMAP_MAYMOVE);
  check(r != MAP_FAILED && r[4 * PG - 1] == 3 && r[8 * PG - 1] == 0, "grown mapping keeps its data and is zero above");
  char *s = mremap(r, 8 * PG, 2 * PG, 0);
  check(s == r && s[PG] == 3, "mremap shrinks in place");
  char *blocker = map(s + 2 * PG, PG, PROT_READ, ANON | MAP_FIXED);
  CHECK_ERR(mremap(s, 2 * PG, 4 * PG, 0), ENOMEM, "mremap cannot grow into a mapping without MREMAP_MAYMOVE");
  char *m = mremap(s, 2 * PG, 4 * PG, MREMAP_MAYMOVE);
  check(m != MAP_FAILED && m != s && m[0] == 3, "MREMAP_MAYMOVE moves the pages");
  char *dst = map(NULL, 4 * PG, PROT_READ | PROT_WRITE, ANON);
  dst[3 * PG] = 9;
  char *f = mremap(m, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
  check(f == dst && f[0] == 3 && dst[3 * PG] == 9, "MREMAP_FIXED moves onto a given address");
  CHECK_ERR(mremap(dst, PG, PG, MREMAP_FIXED, dst + 8 * PG), EINVAL, "MREMAP_FIXED without MREMAP_MAYMOVE is EINVAL");
  CHECK_ERR(mremap(dst, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst + PG), EINVAL, "overlapping MREMAP_FIXED is EINVAL");
  CHECK_ERR(mremap((void *)0x7fff0000UL, PG, 2 * PG, MREMAP_MAYMOVE), EFAULT, "mremap of an unmapped address is EFAULT");
  if (reference_run()) {
    skip("MREMAP_DONTUNMAP", "not emulated by qemu");
    return;
  }
  char *d = mremap(dst, PG, PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
  check(d != MAP_FAILED && d != dst && d[0] == 3, "MREMAP_DONTUNMAP moves the pages");
  check(dst[0] == 0, "the old range stays mapped and reads zero");
  CHECK_ERR(mremap(d, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP), EINVAL, "MREMAP_DONTUNMAP cannot resize");
  char *sh = map(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
  sh[0] = 4;
  char *dup = mremap(sh, 0, PG, MREMAP_MAYMOVE);
  check(dup != MAP_FAILED && dup[0] == 4, "mremap with old_size 0 duplicates a shared mapping");
  if (dup != MAP_FAILED) {
    dup[0] = 5;
    check(sh[0] == 5, "the duplicate shares the pages");
  }
  munmap(blocker, PG);
}

static void advise(void) {
  if (reference_run()) {
    skip("madvise", "qemu accepts most advice as a no-op");
    return;
  }
  char *a = map(NULL, 4 * PG, PROT_READ | PROT_WRITE, ANON);
  memset(a, 1, 4 * PG);
  check(madvise(a, 4 * PG, MADV_DONTNEED) == 0 && a[0] == 0 && a[3 * PG] == 0, "MADV_DONTNEED zero-fills private anonymous memory");
  char *s = map(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
  s[0] = 6;
  check(madvise(s, PG, MADV_DONTNEED) == 0 && s[0] == 6, "MADV_DONTNEED keeps shared memory's data");
  CHECK_ERR(madvise(s, PG, MADV_FREE), EINVAL, "MADV_FREE of shared memory is EINVAL");
  check(madvise(a, PG, MADV_FREE) == 0, "MADV_FREE of private anonymous memory");
  check(madvise(s, PG, MADV_REMOVE) == 0 && s[0] == 0, "MADV_REMOVE punches a hole in shared memory");
  CHECK_ERR(madvise(a, PG, MADV_REMOVE), EINVAL, "MADV_REMOVE of private memory is EINVAL");
  check(madvise(a, 4 * PG, MADV_WILLNEED) == 0, "MADV_WILLNEED");
  check(madvise(a, PG, MADV_DONTFORK) == 0 && madvise(a, PG, MADV_DOFORK) == 0, "MADV_DONTFORK and MADV_DOFORK");
  check(madvise(a + PG, PG, MADV_WIPEONFORK) == 0 && madvise(a + PG, PG, MADV_KEEPONFORK) == 0, "MADV_WIPEONFORK and MADV_KEEPONFORK");
  CHECK_ERR(madvise(s, PG, MADV_WIPEONFORK), EINVAL, "MADV_WIPEONFORK of shared memory is EINVAL");
  CHECK_ERR(madvise(a + 1, PG, MADV_NORMAL), EINVAL, "madvise of an unaligned address is EINVAL");
  CHECK_ERR(madvise(a, PG, 12345), EINVAL, "unknown advice is EINVAL");
  munmap(a + 2 * PG, PG);
  CHECK_ERR(madvise(a, 4 * PG, MADV_NORMAL), ENOMEM, "madvise over a hole is ENOMEM");
  check(madvise(a, PG, MADV_POPULATE_WRITE) == 0, "MADV_POPULATE_WRITE");
  char *n = map(NULL, PG, PROT_NONE, ANON);
  CHECK_ERR(madvise(n, PG, MADV_POPULATE_WRITE), EINVAL, "MADV_POPULATE_WRITE of PROT_NONE memory is EINVAL");
}

static void sync_core(void) {
  char *a = map(NULL, 4 * PG, PROT_READ | PROT_WRITE, ANON);
  check(msync(a, 4 * PG, MS_SYNC) == 0, "msync of anonymous memory");
  CHECK_ERR(msync(a + 1, PG, MS_SYNC), EINVAL, "msync of an unaligned address is EINVAL");
  CHECK_ERR(msync(a, PG, MS_SYNC | MS_ASYNC), EINVAL, "MS_SYNC|MS_ASYNC is EINVAL");
  munmap(a + PG, PG);
  CHECK_ERR(msync(a, 4 * PG, MS_SYNC), ENOMEM, "msync over a hole is ENOMEM");
  unsigned char vec[4] = {9, 9, 9, 9};
  a[0] = 1;
  check(mincore(a, PG, vec) == 0 && vec[0] == 1, "mincore reports a touched page resident");
  check(mincore(a + 2 * PG, PG, vec) == 0 && vec[0] == 0, "mincore reports an untouched anonymous page absent");
  CHECK_ERR(mincore(a, 4 * PG, vec), ENOMEM, "mincore over a hole is ENOMEM");
  LINUX_ONLY CHECK_ERR(mincore(a + 1, PG, vec), EINVAL, "mincore of an unaligned address is EINVAL");
  CHECK_ERR(mincore(a, PG, (unsigned char *)16), EFAULT, "mincore into a bad vector is EFAULT");
}

static void locks(void) {
  struct rlimit old, lim = {8 * PG, 8 * PG};
  getrlimit(RLIMIT_MEMLOCK, &old);
  char *a = map(NULL, 16 * PG, PROT_READ | PROT_WRITE, ANON);
  if (getuid() == 0) {
    skip("mlock limits", "running as root (CAP_IPC_LOCK)");
  } else if (setrlimit(RLIMIT_MEMLOCK, &lim) == 0) {
    check(mlock(a + 100, 2 * PG) == 0, "mlock within RLIMIT_MEMLOCK");
    CHECK_ERR(mlock(a, 16 * PG), ENOMEM, "mlock beyond RLIMIT_MEMLOCK is ENOMEM");
    check(munlock(a, 16 * PG) == 0, "munlock");
    check(mlock(a, 8 * PG) == 0, "mlock up to the limit");
    struct rlimit zero = {0, 0};
    setrlimit(RLIMIT_MEMLOCK, &zero);
    CHECK_ERR(mlock(a + 8 * PG, PG), EPERM, "mlock with a zero RLIMIT_MEMLOCK is EPERM");
  }
  munlock(a, 16 * PG);
  CHECK_ERR(mlock((void *)0x7ffe0000UL, PG), ENOMEM, "mlock of unmapped memory is ENOMEM");
  LINUX_ONLY CHECK_ERR(syscall(SYS_mlock2, a, PG, 2), EINVAL, "mlock2 with unknown flags is EINVAL");
  CHECK_ERR(mlockall(0), EINVAL, "mlockall(0) is EINVAL");
  CHECK_ERR(mlockall(MCL_ONFAULT), EINVAL, "mlockall(MCL_ONFAULT) alone is EINVAL");
  check(munlockall() == 0, "munlockall");
}

static void breaks(void) {
  char *b0 = sbrk(0);
  check(brk(b0 + 3 * PG) == 0, "brk grows the heap");
  b0[3 * PG - 1] = 1;
  check(brk(b0 + PG) == 0 && sbrk(0) == b0 + PG, "brk shrinks the heap");
  check(brk(b0 + 3 * PG) == 0 && b0[3 * PG - 1] == 0, "memory given back and taken again reads zero");
  check((char *)syscall(SYS_brk, 0) == b0 + 3 * PG, "brk(0) returns the current break");
  check((char *)syscall(SYS_brk, 1) == b0 + 3 * PG, "brk below start_brk changes nothing");
  char *blk = map(b0 + 8 * PG, PG, PROT_READ, ANON | MAP_FIXED);
  LINUX_ONLY check((char *)syscall(SYS_brk, b0 + 8 * PG) == b0 + 3 * PG, "brk cannot grow into a mapping (needs one free page beyond)");
  munmap(blk, PG);
  brk(b0);
}

static void self_vm(void) {
  if (reference_run()) {
    skip("process_vm_readv/writev", "not implemented by qemu");
    return;
  }
  char src[64], dst[64];
  memset(src, 0x5a, sizeof src);
  memset(dst, 0, sizeof dst);
  struct iovec l = {dst, 40}, r[2] = {{src, 16}, {src + 16, 24}};
  check(syscall(SYS_process_vm_readv, getpid(), &l, 1, r, 2, 0) == 40 && dst[39] == 0x5a && dst[40] == 0,
        "process_vm_readv of this process");
  memset(src, 0, sizeof src);
  struct iovec w = {dst, 10}, wr = {src, 10};
  check(syscall(SYS_process_vm_writev, getpid(), &w, 1, &wr, 1, 0) == 10 && src[9] == 0x5a, "process_vm_writev of this process");
  CHECK_ERR(syscall(SYS_process_vm_readv, getpid(), &l, 1, r, 2, 1), EINVAL, "process_vm_readv with flags is EINVAL");
  struct iovec bad = {(void *)16, 8};
  CHECK_ERR(syscall(SYS_process_vm_readv, getpid(), &l, 1, &bad, 1, 0), EFAULT, "a bad remote address is EFAULT");
}

int main(void) {
  placement();
  flags();
  unmap_protect();
  remap();
  advise();
  sync_core();
  locks();
  breaks();
  self_vm();
  return finish();
}
