/*
 * Kernel-internal declarations that no installed header exports, transcribed from the kernel
 * sources (named in each comment). Here the compiler checks the layout rules, not the facts.
 */
#include "layouts.h"

/* fs/readdir.c; compat_linux_dirent (compat_ulong_t members) on a 64-bit kernel. */
struct linux_dirent {
  unsigned long d_ino;
  unsigned long d_off;
  unsigned short d_reclen;
  char d_name[];
};

/* include/linux/dirent.h */
struct linux_dirent64 {
  unsigned long long d_ino;
  long long d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

#ifdef __arm__
/* arch/arm/include/asm/signal.h: the kernel's sigset_t (_NSIG 64, 32-bit words). */
typedef struct {
  unsigned long sig[2];
} kernel_sigset_t;

/* include/linux/signal_types.h with __ARCH_HAS_SA_RESTORER (arm64's compat_sigaction). */
struct kernel_sigaction {
  void (*sa_handler)(int);
  unsigned long sa_flags;
  void (*sa_restorer)(void);
  kernel_sigset_t sa_mask;
};
#endif

void layouts_mirror(void) {
  SIZE(linux_dirent, struct linux_dirent);
  OFF(linux_dirent, struct linux_dirent, d_ino);
  OFF(linux_dirent, struct linux_dirent, d_off);
  OFF(linux_dirent, struct linux_dirent, d_reclen);
  OFF(linux_dirent, struct linux_dirent, d_name);
  SIZE(linux_dirent64, struct linux_dirent64);
  OFF(linux_dirent64, struct linux_dirent64, d_name);
#ifdef __arm__
  SIZE(sigset_t, kernel_sigset_t);
  OFF(sigset_t, kernel_sigset_t, sig);
  SIZE(sigaction, struct kernel_sigaction);
  OFF(sigaction, struct kernel_sigaction, sa_handler);
  OFF(sigaction, struct kernel_sigaction, sa_flags);
  OFF(sigaction, struct kernel_sigaction, sa_restorer);
  OFF(sigaction, struct kernel_sigaction, sa_mask);
#endif
}
