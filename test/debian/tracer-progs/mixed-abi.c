/* Native and compat-from-64 syscalls in one program, for strace's personality switch (compat-abi.md §5). */
#include <compat64/compat_syscall.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  syscall(SYS_write, 1, "native\n", 7);
  compat_syscall(__NR_compat_write, 1, "compat\n", 7);
  compat_syscall(__NR_compat_getppid);
  syscall(SYS_getppid);
  compat_syscall(__NR_compat_close, -1);
  syscall(SYS_exit_group, 0);
  return 0;
}
