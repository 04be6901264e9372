/**
 * ELF64 headers as the loader needs them. Parsing is strict: anything that is not a well-formed
 * little-endian AArch64 executable is rejected with the errno Linux's execve gives (ENOEXEC, EINVAL…)
 * and a one-line reason.
 */
export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PT_GNU_STACK = 0x6474e551;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const EM_AARCH64 = 183;
export const EM_ARM = 40;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface ElfImage {
  type: number;
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  phdrs: ProgramHeader[];
  interp: string | undefined;
}

export class ElfError extends Error {
  constructor(
    message: string,
    readonly errno: 'ENOEXEC' | 'EINVAL' | 'EIO' | 'ENOMEM' | 'EACCES' | 'ELIBBAD',
  ) {
    super(message);
  }
}

/** Parses the ELF header and program headers from the start of a file (at least the header page). */
export function parseElf(
  head: Uint8Array,
  fileSize: number,
  readAt: (pos: number, len: number) => Uint8Array,
): ElfImage {
  if (head.length < 4 || head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46)
    throw new ElfError('not an ELF file (exec format error)', 'ENOEXEC');
  if (head.length < 64) throw new ElfError('truncated ELF header', 'ENOEXEC');
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const cls = head[4];
  const data = head[5];
  const machine = dv.getUint16(18, data !== 2);
  if (cls === 1) {
    const what = machine === EM_ARM ? '32-bit ARM' : '32-bit';
    throw new ElfError(`${what} ELF is not supported (compat64 runs AArch64 programs): exec format error`, 'ENOEXEC');
  }
  if (cls !== 2) throw new ElfError('bad ELF class (exec format error)', 'ENOEXEC');
  if (data !== 1) throw new ElfError('big-endian ELF is not supported: exec format error', 'ENOEXEC');
  if (machine !== EM_AARCH64)
    throw new ElfError(`ELF for machine ${machine}, not AArch64: exec format error`, 'ENOEXEC');
  const type = dv.getUint16(16, true);
  if (type !== ET_EXEC && type !== ET_DYN)
    throw new ElfError(`ELF type ${type} is not executable: exec format error`, 'ENOEXEC');
  const entry = Number(dv.getBigUint64(24, true));
  const phoff = Number(dv.getBigUint64(32, true));
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  if (phentsize !== 56) throw new ElfError('bad program header size: exec format error', 'ENOEXEC');
  if (phnum < 1 || phnum > 65536 / 56) throw new ElfError('bad program header count: exec format error', 'ENOEXEC');
  if (phoff + phnum * 56 > fileSize) throw new ElfError('truncated program headers: exec format error', 'ENOEXEC');
  const ph = readAt(phoff, phnum * 56);
  if (ph.length < phnum * 56) throw new ElfError('truncated program headers: exec format error', 'ENOEXEC');
  const pv = new DataView(ph.buffer, ph.byteOffset, ph.byteLength);
  const phdrs: ProgramHeader[] = [];
  let interp: string | undefined;
  for (let i = 0; i < phnum; i++) {
    const o = i * 56;
    const p: ProgramHeader = {
      type: pv.getUint32(o, true),
      flags: pv.getUint32(o + 4, true),
      offset: Number(pv.getBigUint64(o + 8, true)),
      vaddr: Number(pv.getBigUint64(o + 16, true)),
      filesz: Number(pv.getBigUint64(o + 32, true)),
      memsz: Number(pv.getBigUint64(o + 40, true)),
      align: Number(pv.getBigUint64(o + 48, true)),
    };
    if (p.type === PT_LOAD) {
      if (p.filesz > p.memsz) throw new ElfError('PT_LOAD with filesz > memsz: exec format error', 'EINVAL');
      if (p.filesz > 0 && p.offset + p.filesz > fileSize)
        throw new ElfError('PT_LOAD beyond end of file (truncated ELF)', 'EIO');
      if (p.vaddr % 4096 !== p.offset % 4096) throw new ElfError('misaligned PT_LOAD: exec format error', 'EINVAL');
      if (p.vaddr + p.memsz >= 2 ** 48) throw new ElfError('PT_LOAD outside the 48-bit address space', 'EINVAL');
    }
    if (p.type === PT_INTERP) {
      if (p.filesz < 2 || p.filesz > 4096 || p.offset + p.filesz > fileSize)
        throw new ElfError('bad PT_INTERP: exec format error', 'ENOEXEC');
      const s = readAt(p.offset, p.filesz);
      const nul = s.indexOf(0);
      if (nul !== p.filesz - 1) throw new ElfError('bad PT_INTERP string: exec format error', 'ENOEXEC');
      interp = new TextDecoder().decode(s.subarray(0, nul));
    }
    phdrs.push(p);
  }
  if (!phdrs.some((p) => p.type === PT_LOAD)) throw new ElfError('no PT_LOAD segment: exec format error', 'ENOEXEC');
  return { type, entry, phoff, phentsize, phnum, phdrs, interp };
}
