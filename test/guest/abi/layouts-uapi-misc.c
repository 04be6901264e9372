/* Process, I/O, socket and IPC structures from the kernel's uapi headers. */
#include <asm/ipcbuf.h>
#include <asm/poll.h>
#include <asm/shmbuf.h>
#include <asm/termbits.h>
#include <asm/termios.h>
#include <linux/aio_abi.h>
#include <linux/eventpoll.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/netlink.h>
#include <linux/ptrace.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/sched/types.h>
#include <linux/seccomp.h>
#include <linux/sysinfo.h>
#include <linux/uio.h>
#include <linux/un.h>
#include <linux/utsname.h>

#include "layouts.h"

static void process_layouts(void) {
  SIZE(rusage, struct rusage);
  OFF(rusage, struct rusage, ru_utime);
  OFF(rusage, struct rusage, ru_stime);
  OFF(rusage, struct rusage, ru_stime.tv_usec);
  OFF(rusage, struct rusage, ru_maxrss);
  OFF(rusage, struct rusage, ru_ixrss);
  OFF(rusage, struct rusage, ru_idrss);
  OFF(rusage, struct rusage, ru_isrss);
  OFF(rusage, struct rusage, ru_minflt);
  OFF(rusage, struct rusage, ru_majflt);
  OFF(rusage, struct rusage, ru_nswap);
  OFF(rusage, struct rusage, ru_inblock);
  OFF(rusage, struct rusage, ru_oublock);
  OFF(rusage, struct rusage, ru_msgsnd);
  OFF(rusage, struct rusage, ru_msgrcv);
  OFF(rusage, struct rusage, ru_nsignals);
  OFF(rusage, struct rusage, ru_nvcsw);
  OFF(rusage, struct rusage, ru_nivcsw);
  SIZE(rlimit, struct rlimit);
  OFF(rlimit, struct rlimit, rlim_cur);
  OFF(rlimit, struct rlimit, rlim_max);
  SIZE(rlimit64, struct rlimit64);
  OFF(rlimit64, struct rlimit64, rlim_cur);
  OFF(rlimit64, struct rlimit64, rlim_max);
  SIZE(sysinfo, struct sysinfo);
  OFF(sysinfo, struct sysinfo, uptime);
  OFF(sysinfo, struct sysinfo, loads);
  OFF(sysinfo, struct sysinfo, loads[2]);
  OFF(sysinfo, struct sysinfo, totalram);
  OFF(sysinfo, struct sysinfo, freeram);
  OFF(sysinfo, struct sysinfo, sharedram);
  OFF(sysinfo, struct sysinfo, bufferram);
  OFF(sysinfo, struct sysinfo, totalswap);
  OFF(sysinfo, struct sysinfo, freeswap);
  OFF(sysinfo, struct sysinfo, procs);
  OFF(sysinfo, struct sysinfo, pad);
  OFF(sysinfo, struct sysinfo, totalhigh);
  OFF(sysinfo, struct sysinfo, freehigh);
  OFF(sysinfo, struct sysinfo, mem_unit);
  OFF(sysinfo, struct sysinfo, _f);
  SIZE(new_utsname, struct new_utsname);
  OFF(new_utsname, struct new_utsname, sysname);
  OFF(new_utsname, struct new_utsname, nodename);
  OFF(new_utsname, struct new_utsname, release);
  OFF(new_utsname, struct new_utsname, version);
  OFF(new_utsname, struct new_utsname, machine);
  OFF(new_utsname, struct new_utsname, domainname);
  SIZE(clone_args, struct clone_args);
  OFF(clone_args, struct clone_args, flags);
  OFF(clone_args, struct clone_args, pidfd);
  OFF(clone_args, struct clone_args, child_tid);
  OFF(clone_args, struct clone_args, parent_tid);
  OFF(clone_args, struct clone_args, exit_signal);
  OFF(clone_args, struct clone_args, stack);
  OFF(clone_args, struct clone_args, stack_size);
  OFF(clone_args, struct clone_args, tls);
  OFF(clone_args, struct clone_args, set_tid);
  OFF(clone_args, struct clone_args, set_tid_size);
  OFF(clone_args, struct clone_args, cgroup);
  SIZE(sched_param, struct sched_param);
  OFF(sched_param, struct sched_param, sched_priority);
  SIZE(robust_list, struct robust_list);
  SIZE(robust_list_head, struct robust_list_head);
  OFF(robust_list_head, struct robust_list_head, list);
  OFF(robust_list_head, struct robust_list_head, list.next);
  OFF(robust_list_head, struct robust_list_head, futex_offset);
  OFF(robust_list_head, struct robust_list_head, list_op_pending);
  SIZE(futex_waitv, struct futex_waitv);
  OFF(futex_waitv, struct futex_waitv, val);
  OFF(futex_waitv, struct futex_waitv, uaddr);
  OFF(futex_waitv, struct futex_waitv, flags);
  OFF(futex_waitv, struct futex_waitv, __reserved);
  SIZE(seccomp_data, struct seccomp_data);
  OFF(seccomp_data, struct seccomp_data, nr);
  OFF(seccomp_data, struct seccomp_data, arch);
  OFF(seccomp_data, struct seccomp_data, instruction_pointer);
  OFF(seccomp_data, struct seccomp_data, args);
  OFF(seccomp_data, struct seccomp_data, args[5]);
  SIZE(ptrace_syscall_info, struct ptrace_syscall_info);
  OFF(ptrace_syscall_info, struct ptrace_syscall_info, op);
  OFF(ptrace_syscall_info, struct ptrace_syscall_info, pad);
  OFF(ptrace_syscall_info, struct ptrace_syscall_info, arch);
  OFF(ptrace_syscall_info, struct ptrace_syscall_info, instruction_pointer);
  OFF(ptrace_syscall_info, struct ptrace_syscall_info, stack_pointer);
  OFF(ptrace_syscall_info, struct ptrace_syscall_info, entry);
  OFF(ptrace_syscall_info, struct ptrace_syscall_info, entry.nr);
  OFF(ptrace_syscall_info, struct ptrace_syscall_info, entry.args[5]);
  OFF(ptrace_syscall_info, struct ptrace_syscall_info, exit.rval);
  OFF(ptrace_syscall_info, struct ptrace_syscall_info, exit.is_error);
  OFF(ptrace_syscall_info, struct ptrace_syscall_info, seccomp.nr);
  OFF(ptrace_syscall_info, struct ptrace_syscall_info, seccomp.args);
  OFF(ptrace_syscall_info, struct ptrace_syscall_info, seccomp.ret_data);
}

static void io_layouts(void) {
  SIZE(epoll_event, struct epoll_event);
  OFF(epoll_event, struct epoll_event, events);
  OFF(epoll_event, struct epoll_event, data);
  SIZE(pollfd, struct pollfd);
  OFF(pollfd, struct pollfd, fd);
  OFF(pollfd, struct pollfd, events);
  OFF(pollfd, struct pollfd, revents);
  SIZE(io_event, struct io_event);
  OFF(io_event, struct io_event, data);
  OFF(io_event, struct io_event, obj);
  OFF(io_event, struct io_event, res);
  OFF(io_event, struct io_event, res2);
  SIZE(iocb, struct iocb);
  OFF(iocb, struct iocb, aio_data);
  OFF(iocb, struct iocb, aio_key);
  OFF(iocb, struct iocb, aio_rw_flags);
  OFF(iocb, struct iocb, aio_lio_opcode);
  OFF(iocb, struct iocb, aio_reqprio);
  OFF(iocb, struct iocb, aio_fildes);
  OFF(iocb, struct iocb, aio_buf);
  OFF(iocb, struct iocb, aio_nbytes);
  OFF(iocb, struct iocb, aio_offset);
  OFF(iocb, struct iocb, aio_reserved2);
  OFF(iocb, struct iocb, aio_flags);
  OFF(iocb, struct iocb, aio_resfd);
  SIZE(winsize, struct winsize);
  OFF(winsize, struct winsize, ws_row);
  OFF(winsize, struct winsize, ws_col);
  OFF(winsize, struct winsize, ws_xpixel);
  OFF(winsize, struct winsize, ws_ypixel);
  SIZE(termios, struct termios);
  OFF(termios, struct termios, c_iflag);
  OFF(termios, struct termios, c_oflag);
  OFF(termios, struct termios, c_cflag);
  OFF(termios, struct termios, c_lflag);
  OFF(termios, struct termios, c_line);
  OFF(termios, struct termios, c_cc);
  OFF(termios, struct termios, c_cc[18]);
  SIZE(termios2, struct termios2);
  OFF(termios2, struct termios2, c_cc);
  OFF(termios2, struct termios2, c_ispeed);
  OFF(termios2, struct termios2, c_ospeed);
}

static void net_layouts(void) {
  SIZE(iovec, struct iovec);
  OFF(iovec, struct iovec, iov_base);
  OFF(iovec, struct iovec, iov_len);
  SIZE(in_addr, struct in_addr);
  SIZE(sockaddr_in, struct sockaddr_in);
  OFF(sockaddr_in, struct sockaddr_in, sin_family);
  OFF(sockaddr_in, struct sockaddr_in, sin_port);
  OFF(sockaddr_in, struct sockaddr_in, sin_addr);
  OFF(sockaddr_in, struct sockaddr_in, sin_addr.s_addr);
  OFF(sockaddr_in, struct sockaddr_in, __pad);
  SIZE(in6_addr, struct in6_addr);
  SIZE(sockaddr_in6, struct sockaddr_in6);
  OFF(sockaddr_in6, struct sockaddr_in6, sin6_family);
  OFF(sockaddr_in6, struct sockaddr_in6, sin6_port);
  OFF(sockaddr_in6, struct sockaddr_in6, sin6_flowinfo);
  OFF(sockaddr_in6, struct sockaddr_in6, sin6_addr);
  OFF(sockaddr_in6, struct sockaddr_in6, sin6_scope_id);
  SIZE(sockaddr_un, struct sockaddr_un);
  OFF(sockaddr_un, struct sockaddr_un, sun_family);
  OFF(sockaddr_un, struct sockaddr_un, sun_path);
  SIZE(sockaddr_nl, struct sockaddr_nl);
  OFF(sockaddr_nl, struct sockaddr_nl, nl_family);
  OFF(sockaddr_nl, struct sockaddr_nl, nl_pad);
  OFF(sockaddr_nl, struct sockaddr_nl, nl_pid);
  OFF(sockaddr_nl, struct sockaddr_nl, nl_groups);
  SIZE(sock_filter, struct sock_filter);
  OFF(sock_filter, struct sock_filter, code);
  OFF(sock_filter, struct sock_filter, jt);
  OFF(sock_filter, struct sock_filter, jf);
  OFF(sock_filter, struct sock_filter, k);
  SIZE(sock_fprog, struct sock_fprog);
  OFF(sock_fprog, struct sock_fprog, len);
  OFF(sock_fprog, struct sock_fprog, filter);
}

/* ARM's ipc64_perm and shmid64_ds are arm64's compat_ipc64_perm and compat_shmid64_ds. */
#ifdef __aarch64__
#define IPC64_PERM ipc64_perm
#define SHMID64_DS shmid64_ds
#else
#define IPC64_PERM compat_ipc64_perm
#define SHMID64_DS compat_shmid64_ds
#endif

/* Expand the name macro before OFF/SIZE stringize it. */
#define SIZE_X(name, type) SIZE(name, type)
#define OFF_X(name, type, member) OFF(name, type, member)

static void ipc_layouts(void) {
  SIZE_X(IPC64_PERM, struct ipc64_perm);
  OFF_X(IPC64_PERM, struct ipc64_perm, key);
  OFF_X(IPC64_PERM, struct ipc64_perm, uid);
  OFF_X(IPC64_PERM, struct ipc64_perm, gid);
  OFF_X(IPC64_PERM, struct ipc64_perm, cuid);
  OFF_X(IPC64_PERM, struct ipc64_perm, cgid);
  OFF_X(IPC64_PERM, struct ipc64_perm, mode);
  OFF_X(IPC64_PERM, struct ipc64_perm, __pad1);
  OFF_X(IPC64_PERM, struct ipc64_perm, seq);
  OFF_X(IPC64_PERM, struct ipc64_perm, __pad2);
  OFF_X(IPC64_PERM, struct ipc64_perm, __unused1);
  OFF_X(IPC64_PERM, struct ipc64_perm, __unused2);
  SIZE_X(SHMID64_DS, struct shmid64_ds);
  OFF_X(SHMID64_DS, struct shmid64_ds, shm_perm);
  OFF_X(SHMID64_DS, struct shmid64_ds, shm_segsz);
  OFF_X(SHMID64_DS, struct shmid64_ds, shm_atime);
  OFF_X(SHMID64_DS, struct shmid64_ds, shm_dtime);
  OFF_X(SHMID64_DS, struct shmid64_ds, shm_ctime);
#ifdef __arm__
  OFF_X(SHMID64_DS, struct shmid64_ds, shm_atime_high);
  OFF_X(SHMID64_DS, struct shmid64_ds, shm_dtime_high);
  OFF_X(SHMID64_DS, struct shmid64_ds, shm_ctime_high);
#endif
  OFF_X(SHMID64_DS, struct shmid64_ds, shm_cpid);
  OFF_X(SHMID64_DS, struct shmid64_ds, shm_lpid);
  OFF_X(SHMID64_DS, struct shmid64_ds, shm_nattch);
  OFF_X(SHMID64_DS, struct shmid64_ds, __unused4);
  OFF_X(SHMID64_DS, struct shmid64_ds, __unused5);
}

void layouts_uapi_misc(void) {
  SIZE(__kernel_fsid_t, __kernel_fsid_t);
  process_layouts();
  io_layouts();
  net_layouts();
  ipc_layouts();
}
