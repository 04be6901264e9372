import * as A from '../kernel/abi/auxv.js';
import { MAP_GROWSDOWN, MAP_PRIVATE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../kernel/abi/mman.js';
import type { MemoryMap } from '../kernel/mm/memory-map.js';
import type { Random } from '../kernel/random.js';
import type { LoadedImage } from './load-elf.js';

const PAGE = 4096;
/** Linux reserves this much below the argument pages when it sets up the stack (stack_expand). */
const STACK_EXPAND = 128 * 1024;

export interface StackParams {
  argv: readonly string[];
  envp: readonly string[];
  execfn: string;
  hwcap: number;
  hwcap2: number;
  uid: number;
  euid: number;
  gid: number;
  egid: number;
  secure: boolean;
  minSigStkSz: number;
  randomize: boolean;
}

export interface InitialStack {
  sp: number;
  /** Addresses of interest for /proc (arg_start…env_end) and AT_RANDOM. */
  argStart: number;
  argEnd: number;
  envStart: number;
  envEnd: number;
  auxv: [number, number][];
}

const enc = new TextEncoder();

/**
 * Builds the initial stack as Linux/arm64's exec does (fs/exec.c, create_elf_tables): strings at
 * the top (execfn, then envp, then argv), a random sub-page offset, the platform string, 16 bytes
 * for AT_RANDOM, then argc, argv[], envp[] and the auxiliary vector, with sp 16-byte aligned.
 */
export function buildInitialStack(mm: MemoryMap, img: LoadedImage, p: StackParams, random: Random): InitialStack {
  const top = mm.layout.stackTop;
  const as = mm.as;
  const strings = [...p.argv, ...p.envp].map((s) => enc.encode(`${s}\0`));
  const execfn = enc.encode(`${p.execfn}\0`);
  const stringBytes = strings.reduce((n, s) => n + s.length, 0) + execfn.length;
  const lowest = top - 8 - stringBytes - PAGE - 256 - 16 * (p.argv.length + p.envp.length + 64);
  const vmaStart = Math.floor((lowest - STACK_EXPAND) / PAGE) * PAGE;
  const prot = PROT_READ | PROT_WRITE | (img.execStack ? PROT_EXEC : 0);
  if (!mm.map(vmaStart, top - vmaStart, prot, MAP_PRIVATE | MAP_GROWSDOWN, undefined, 0, '[stack]'))
    throw new Error('cannot map the stack');

  let pos = top - 8;
  const put = (b: Uint8Array): number => {
    pos -= b.length;
    as.writeBytes(pos, b, 0, b.length);
    return pos;
  };
  const execfnAddr = put(execfn);
  const envAddrs: number[] = [];
  for (let i = p.envp.length - 1; i >= 0; i--) envAddrs.unshift(put(strings[p.argv.length + i]!));
  const envEnd = execfnAddr;
  const argAddrs: number[] = [];
  for (let i = p.argv.length - 1; i >= 0; i--) argAddrs.unshift(put(strings[i]!));
  const argStart = pos;
  const argEnd = envAddrs[0] ?? envEnd;
  const envStart = argEnd;

  // arch_align_stack: a random offset below the strings, then 16-byte alignment.
  if (p.randomize) pos -= random.u32() % PAGE;
  pos = Math.floor(pos / 16) * 16;
  const platformAddr = put(enc.encode('aarch64\0'));
  const rnd = new Uint8Array(16);
  random.fill(rnd);
  const randomAddr = put(rnd);

  const auxv: [number, number][] = [
    [A.AT_MINSIGSTKSZ, p.minSigStkSz],
    [A.AT_HWCAP, p.hwcap],
    [A.AT_PAGESZ, PAGE],
    [A.AT_CLKTCK, 100],
    [A.AT_PHDR, img.phdrAddr],
    [A.AT_PHENT, 56],
    [A.AT_PHNUM, img.phnum],
    [A.AT_BASE, img.interpBase],
    [A.AT_FLAGS, 0],
    [A.AT_ENTRY, img.progEntry],
    [A.AT_UID, p.uid],
    [A.AT_EUID, p.euid],
    [A.AT_GID, p.gid],
    [A.AT_EGID, p.egid],
    [A.AT_SECURE, p.secure ? 1 : 0],
    [A.AT_RANDOM, randomAddr],
    [A.AT_HWCAP2, p.hwcap2],
    [A.AT_EXECFN, execfnAddr],
    [A.AT_PLATFORM, platformAddr],
    [A.AT_NULL, 0],
  ];
  const words = 1 + argAddrs.length + 1 + envAddrs.length + 1 + auxv.length * 2;
  const sp = Math.floor((pos - words * 8) / 16) * 16;
  const table = new DataView(new ArrayBuffer(words * 8));
  let w = 0;
  const word = (v: number) => {
    table.setBigUint64(8 * w++, BigInt(v), true);
  };
  word(p.argv.length);
  for (const a of argAddrs) word(a);
  word(0);
  for (const e of envAddrs) word(e);
  word(0);
  for (const [k, v] of auxv) {
    word(k);
    word(v);
  }
  as.writeBytes(sp, new Uint8Array(table.buffer), 0, words * 8);
  return { sp, argStart, argEnd, envStart, envEnd, auxv };
}
