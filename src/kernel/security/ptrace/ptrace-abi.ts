/** The ptrace uapi numbers (include/uapi/linux/ptrace.h, arch/arm64/include/uapi/asm/ptrace.h). */

export const PTRACE_TRACEME = 0;
export const PTRACE_PEEKTEXT = 1;
export const PTRACE_PEEKDATA = 2;
export const PTRACE_PEEKUSR = 3;
export const PTRACE_POKETEXT = 4;
export const PTRACE_POKEDATA = 5;
export const PTRACE_POKEUSR = 6;
export const PTRACE_CONT = 7;
export const PTRACE_KILL = 8;
export const PTRACE_SINGLESTEP = 9;
export const PTRACE_ATTACH = 16;
export const PTRACE_DETACH = 17;
export const PTRACE_SYSCALL = 24;
/** arm64 only (and x86): stop at entry, never run the call. */
export const PTRACE_SYSEMU = 31;
export const PTRACE_SYSEMU_SINGLESTEP = 32;
export const PTRACE_SETOPTIONS = 0x4200;
export const PTRACE_GETEVENTMSG = 0x4201;
export const PTRACE_GETSIGINFO = 0x4202;
export const PTRACE_SETSIGINFO = 0x4203;
export const PTRACE_GETREGSET = 0x4204;
export const PTRACE_SETREGSET = 0x4205;
export const PTRACE_SEIZE = 0x4206;
export const PTRACE_INTERRUPT = 0x4207;
export const PTRACE_LISTEN = 0x4208;
export const PTRACE_PEEKSIGINFO = 0x4209;
export const PTRACE_GETSIGMASK = 0x420a;
export const PTRACE_SETSIGMASK = 0x420b;
export const PTRACE_SECCOMP_GET_FILTER = 0x420c;
export const PTRACE_SECCOMP_GET_METADATA = 0x420d;
export const PTRACE_GET_SYSCALL_INFO = 0x420e;

/** PTRACE_O_* (SETOPTIONS, SEIZE's data). */
export const PTRACE_O_TRACESYSGOOD = 0x1;
export const PTRACE_O_TRACEFORK = 0x2;
export const PTRACE_O_TRACEVFORK = 0x4;
export const PTRACE_O_TRACECLONE = 0x8;
export const PTRACE_O_TRACEEXEC = 0x10;
export const PTRACE_O_TRACEVFORKDONE = 0x20;
export const PTRACE_O_TRACEEXIT = 0x40;
export const PTRACE_O_TRACESECCOMP = 0x80;
export const PTRACE_O_EXITKILL = 0x100000;
export const PTRACE_O_SUSPEND_SECCOMP = 0x200000;
export const PTRACE_O_MASK = 0xff | PTRACE_O_EXITKILL | PTRACE_O_SUSPEND_SECCOMP;

/** PTRACE_EVENT_*: status >> 16 of an event stop. */
export const PTRACE_EVENT_FORK = 1;
export const PTRACE_EVENT_VFORK = 2;
export const PTRACE_EVENT_CLONE = 3;
export const PTRACE_EVENT_EXEC = 4;
export const PTRACE_EVENT_VFORK_DONE = 5;
export const PTRACE_EVENT_EXIT = 6;
export const PTRACE_EVENT_SECCOMP = 7;
export const PTRACE_EVENT_STOP = 128;

/** The PTRACE_O_TRACE* option that enables an event (PT_EVENT_FLAG: 1 << event). */
export function eventOption(event: number): number {
  return 1 << event;
}

/** ptrace_message of syscall stops (PTRACE_EVENTMSG_SYSCALL_ENTRY/EXIT), read by GET_SYSCALL_INFO. */
export const PTRACE_EVENTMSG_SYSCALL_ENTRY = 1;
export const PTRACE_EVENTMSG_SYSCALL_EXIT = 2;

/** si_code of SIGCHLD for a ptrace stop. */
export const CLD_TRAPPED = 4;
/** si_code of SIGTRAP after a single step. */
export const TRAP_TRACE = 2;
