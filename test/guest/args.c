/*
 * What execve hands a new program: argc/argv, the environment, and the auxiliary vector. The auxv is
 * found the way the C library finds it, by walking past the NULL that ends envp. Values that differ
 * between runs or hosts (addresses, random bytes, HWCAP bits beyond FP/ASIMD) are checked, not printed.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef HWCAP_FP
#define HWCAP_FP (1UL << 0)
#endif
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1UL << 1)
#endif

static int failures;

static int by_string(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void check(int ok, const char *name) {
  printf("%s %s\n", ok ? "PASS" : "FAIL", name);
  if (!ok) failures++;
}

int main(int argc, char **argv, char **envp) {
  printf("argc %d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d] \"%s\"\n", i, argv[i]);
  check(argv[argc] == NULL, "argv[argc] is NULL");

  int envc = 0;
  while (envp[envc]) envc++;
  printf("envc %d\n", envc);
  /* Printed sorted: qemu-aarch64 hands the environment over in reverse order, Linux in execve order. */
  char *sorted[256];
  int shown = envc < 256 ? envc : 256;
  memcpy(sorted, envp, shown * sizeof *sorted);
  qsort(sorted, shown, sizeof *sorted, by_string);
  for (int i = 0; i < shown; i++) printf("env \"%s\"\n", sorted[i]);

  Elf64_auxv_t *auxv = (Elf64_auxv_t *)(envp + envc + 1);
  uint64_t pagesz = 0, hwcap = 0, random = 0, execfn = 0, phdr = 0, phnum = 0, entry = 0;
  int has_hwcap = 0, entries = 0;
  for (Elf64_auxv_t *a = auxv; a->a_type != AT_NULL; a++) {
    entries++;
    switch (a->a_type) {
    case AT_PAGESZ: pagesz = a->a_un.a_val; break;
    case AT_HWCAP: hwcap = a->a_un.a_val; has_hwcap = 1; break;
    case AT_RANDOM: random = a->a_un.a_val; break;
    case AT_EXECFN: execfn = a->a_un.a_val; break;
    case AT_PHDR: phdr = a->a_un.a_val; break;
    case AT_PHNUM: phnum = a->a_un.a_val; break;
    case AT_ENTRY: entry = a->a_un.a_val; break;
    }
  }
  check(entries >= 8, "auxv has at least 8 entries before AT_NULL");
  printf("AT_PAGESZ %llu\n", (unsigned long long)pagesz);
  check(has_hwcap, "AT_HWCAP present");
  check((hwcap & (HWCAP_FP | HWCAP_ASIMD)) == (HWCAP_FP | HWCAP_ASIMD), "AT_HWCAP has FP and ASIMD");
  check(phdr != 0 && phnum > 0, "AT_PHDR and AT_PHNUM present");
  check(entry != 0, "AT_ENTRY present");

  check(random != 0, "AT_RANDOM present");
  if (random) {
    /* Reading all 16 bytes proves they are mapped; OR-ing them makes the reads observable. */
    const volatile unsigned char *r = (const unsigned char *)(uintptr_t)random;
    unsigned char any = 0;
    for (int i = 0; i < 16; i++) any |= r[i];
    check(any != 0, "AT_RANDOM 16 bytes readable and not all zero");
  }

  check(execfn != 0, "AT_EXECFN present");
  if (execfn) printf("AT_EXECFN \"%s\"\n", (const char *)(uintptr_t)execfn);
  return failures ? 1 : 0;
}
