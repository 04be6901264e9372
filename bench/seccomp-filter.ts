/**
 * seccomp filter cost without the emulator around it: a 21-instruction allowlist (the one of
 * test/guest/seccomp/seccomp-bench.c without its leading argument load) run on one seccomp_data, compiled and interpreted, and the
 * kernel's per-(arch, nr) ALLOW cache in front of it. Prints nanoseconds per evaluation.
 *
 *   node dist/bench/seccomp-filter.js
 */
import { bpfCheckClassic } from '../src/bpf/bpf-check.js';
import {
  BPF_ABS,
  BPF_JEQ,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_RET,
  BPF_W,
  decodeProgram,
  encodeProgram,
  type Insn,
  jump,
  stmt,
} from '../src/bpf/bpf-insn.js';
import { seccompCheckFilter } from '../src/bpf/seccomp-check.js';
import { compileSeccomp, interpretSeccomp, SECCOMP_DATA_WORDS } from '../src/bpf/seccomp-run.js';

const AUDIT_ARCH_AARCH64 = 0xc00000b7;
const ALLOW = 0x7fff0000;
const GETPID = 172;
const allowed = [63, 64, 57, 80, 222, 215, 214, 134, 135, 113, 93, 94, 178, 173, GETPID];
const insns: Insn[] = [
  stmt(BPF_LD | BPF_W | BPF_ABS, 4),
  jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_AARCH64, 1, 0),
  stmt(BPF_RET | BPF_K, 0x80000000),
  stmt(BPF_LD | BPF_W | BPF_ABS, 0),
  ...allowed.map((nr, i) => jump(BPF_JMP | BPF_JEQ | BPF_K, nr, allowed.length - i, 0)),
  stmt(BPF_RET | BPF_K, 0x50001),
  stmt(BPF_RET | BPF_K, ALLOW),
];
const prog = decodeProgram(encodeProgram(insns), insns.length);
if (bpfCheckClassic(prog) !== 0 || seccompCheckFilter(prog) !== 0) throw new Error('invalid benchmark filter');
const compiled = compileSeccomp(prog);
const d = new Uint32Array(SECCOMP_DATA_WORDS);
d[0] = GETPID;
d[1] = AUDIT_ARCH_AARCH64;
const cache = new Uint8Array(2048);

function time(name: string, n: number, f: () => number): void {
  for (let i = 0; i < n / 10; i++) f();
  const t0 = process.hrtime.bigint();
  let acc = 0;
  for (let i = 0; i < n; i++) acc += f() & 1;
  const ns = Number(process.hrtime.bigint() - t0) / n;
  const r = (f() >>> 0).toString(16);
  console.log(`${name.padEnd(12)} ${ns.toFixed(1)} ns/eval (${insns.length} insns, result 0x${r}, ${acc})`);
}

const M = new Uint32Array(16);
time('interpreted', 2_000_000, () => interpretSeccomp(prog, d, M));
time('compiled', 10_000_000, () => compiled(d));
time('cached', 10_000_000, () => {
  if (cache[GETPID] === 1) return ALLOW;
  const r = compiled(d);
  if (r === ALLOW) cache[GETPID] = 1;
  return r;
});
