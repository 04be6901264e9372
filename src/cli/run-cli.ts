/**
 * The compat64 command line: the only code that prints to the user or sets the exit status.
 * `compat64 run [options] [--] PROG [ARGS…]` runs an arm64 Linux program like qemu-aarch64.
 */

import { type RunOptions, runProgram, StartError } from '../api/run-program.js';
import { EmulatorBug } from '../base/emulator-bug.js';
import { nodeWiring } from '../host/node/node-wiring.js';
import type { HugePagesOption } from '../kernel/mm/hugetlb.js';
import { StraceTracer } from '../kernel/trace/strace-tracer.js';
import { parseArgs, USAGE, UsageError } from './parse-args.js';
import { VERSION } from './version.js';

async function main(argv: string[]): Promise<number> {
  const cmd = parseArgs(argv);
  if (cmd.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (cmd.kind === 'version') {
    process.stdout.write(`compat64 ${VERSION}\n`);
    return 0;
  }
  const wiring = nodeWiring(cmd.root);
  // hugePages reaches the kernel's options, where the hugetlb pools read it (kernel/mm/hugetlb.ts).
  const options: RunOptions & HugePagesOption = {
    root: cmd.root,
    program: cmd.program,
    argv: [cmd.program, ...cmd.args],
    envp: cmd.env,
    cwd: wiring.guestCwd,
    seed: cmd.seed,
    compatSyscalls: cmd.compatSyscalls,
    memoryCap: cmd.memoryCap,
    hugePages: cmd.hugePages,
    tracer: cmd.strace ? () => new StraceTracer((s) => wiring.host.traceWrite(s)) : undefined,
  };
  const status = await runProgram(options, wiring);
  // Wait status → shell-style exit status: the code, or 128 + the signal.
  return (status & 0x7f) !== 0 ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
}

// Node ends when nothing is left to do: with the program still running, every guest task is parked
// on something no one can bring about (a futex no thread will wake, a pipe no process will write).
// Linux would let such a process sleep until killed; a diagnostic and an exit are more useful.
let settled = false;
process.on('beforeExit', () => {
  if (settled) return;
  process.stderr.write('compat64: every guest task is blocked and nothing can wake one (deadlock); exiting\n');
  process.exit(70);
});

main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exit(code);
  },
  (e: unknown) => {
    settled = true;
    if (e instanceof UsageError || e instanceof StartError) {
      process.stderr.write(`compat64: ${e.message}\n`);
      process.exitCode = e instanceof StartError ? e.exitStatus : 2;
    } else if (e instanceof EmulatorBug) {
      process.stderr.write(`compat64: internal error: ${e.message}\n`);
      process.exitCode = 70;
    } else {
      process.stderr.write(`compat64: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    }
  },
);
