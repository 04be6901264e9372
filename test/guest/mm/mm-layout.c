/*
 * Linux/arm64's address-space layout, whatever the randomisation: the stack just below 2^48 (at most
 * 1 GiB lower), mmap_base below it by RLIMIT_STACK + 1 MiB guard + the stack's 1 GiB random span
 * (and up to 1 GiB of its own randomisation), brk one page or more above the program (a static PIE's
 * at ELF_ET_DYN_BASE instead), at most 1 GiB higher. Built twice: static (ET_EXEC) and static-pie.
 */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

extern char end; /* the linker's end of .bss */

int main(void) {
  if (reference_run()) {
    skip("layout", "qemu lays out the address space its own way");
    return finish();
  }
  const uintptr_t top = (uintptr_t)1 << 48, G = 1UL << 30, M = 1UL << 20;
  int on_stack;
  uintptr_t sp = (uintptr_t)&on_stack;
  check(sp < top && sp > top - G - 16 * M, "the stack is within 1 GiB below 2^48");
  uintptr_t m = (uintptr_t)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  uintptr_t base_hi = top - (8 * M + M + (0x3ffffUL << 12)); /* mmap_base without mmap randomisation */
  check(m < base_hi && m >= base_hi - G - 64 * M, "mmap without a hint lands below mmap_base");
  uintptr_t brk0 = (uintptr_t)sbrk(0);
  uintptr_t prog_end = ((uintptr_t)&end + 4095) & ~4095UL;
  if (prog_end > 0x400000000000UL) {
    /* A static PIE: brk moved to ELF_ET_DYN_BASE (2/3 of 2^48, page aligned up), then randomised. */
    uintptr_t et = ((top * 2 / 3) + 4095) & ~4095UL;
    check(brk0 >= et && brk0 < et + G + 64 * M, "a static PIE's brk starts at ELF_ET_DYN_BASE, up to 1 GiB higher");
    check(prog_end > base_hi - 2 * G && prog_end < base_hi, "a static PIE is loaded in the mmap area");
  } else {
    check(brk0 >= prog_end + 4096 && brk0 < prog_end + 4096 + G + 64 * M, "brk starts a page or more after the program, up to 1 GiB higher");
  }
  return finish();
}
