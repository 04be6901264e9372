/** Why the CPU stopped running guest code: a value returned to the kernel loop, never an exception. */
export const enum Exit {
  None = 0,
  /** SVC: npc is after the instruction; exitInfo = the immediate. */
  Svc = 1,
  /** Memory fault: details in the AddressSpace (faultAddr, faultAccess, faultResult); pc = the faulting instruction. */
  Fault = 2,
  /** Undefined or unimplemented encoding: SIGILL ILL_ILLOPC at pc. */
  Undefined = 3,
  /** BRK #imm: SIGTRAP; exitInfo = imm. */
  Breakpoint = 4,
  /** The instruction budget ran out (time slice over). */
  Quantum = 5,
  /** Branch to a misaligned address: SIGBUS BUS_ADRALN with si_addr = the target (exitInfo). */
  PcAlign = 6,
  /** Misaligned SP or exclusive/atomic access: SIGBUS BUS_ADRALN; exitInfo = the address. */
  DataAlign = 7,
  /** WFI/WFE/YIELD: a hint that the task could give up its slice. */
  Yield = 8,
  /** HLT or other debug instruction: SIGILL under Linux. */
  Halt = 9,
}
