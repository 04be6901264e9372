/**
 * An error in the emulator itself (never a guest error: those are signals or errno values).
 * Carries what is needed to report it: the guest pc, the instruction word and the syscall, when known.
 */
export class EmulatorBug extends Error {
  constructor(
    message: string,
    readonly guestPc?: number,
    readonly insn?: number,
    readonly syscall?: string,
  ) {
    const where: string[] = [];
    if (guestPc !== undefined) where.push(`pc=0x${guestPc.toString(16)}`);
    if (insn !== undefined) where.push(`insn=0x${(insn >>> 0).toString(16).padStart(8, '0')}`);
    if (syscall !== undefined) where.push(`syscall=${syscall}`);
    super(where.length ? `${message} (${where.join(' ')})` : message);
    this.name = 'EmulatorBug';
  }
}
