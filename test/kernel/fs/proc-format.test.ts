/**
 * The /proc formatters against lines a Linux kernel printed (fs/proc/array.c, base.c, meminfo.c,
 * arch/arm64/kernel/cpuinfo.c). The reference texts were read from a Linux machine's /proc; lines
 * that appeared after 6.1 (Kthread, untag_mask: 6.4) are left out, since compat64 reports 6.1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { limitsText } from '../../../src/kernel/fs/proc-pid-files.js';
import { formatStat, formatStatus, type StatFields, type StatusFields } from '../../../src/kernel/fs/proc-pid-stat.js';
import { cpuinfoText, meminfoText } from '../../../src/kernel/fs/proc-system.js';
import { defaultRlimits } from '../../../src/kernel/task/task.js';
import { type Machine, makeMachine } from './fs-fixture.js';

let m: Machine;
before(() => {
  m = makeMachine();
});
after(() => m.dispose());

describe('/proc formats', () => {
  test('stat: the 52 fields of do_task_stat, space separated, comm in parentheses', () => {
    const linux =
      '22046 (cat) R 22036 22036 9050 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 1704737 3133440 380 ' +
      '18446744073709551615 94075467374592 94075467394473 140731035397696 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 ' +
      '94075467410480 94075467412096 94076118577152 140731035400929 140731035400949 140731035400949 ' +
      '140731035402219 0\n';
    const f: StatFields = {
      pid: 22046,
      comm: 'cat',
      state: 'R',
      ppid: 22036,
      pgrp: 22036,
      session: 9050,
      ttyNr: 0,
      tpgid: -1,
      flags: 4194304,
      minFlt: 100,
      cminFlt: 0,
      majFlt: 0,
      cmajFlt: 0,
      utime: 0,
      stime: 0,
      cutime: 0,
      cstime: 0,
      priority: 20,
      nice: 0,
      numThreads: 1,
      startTime: 1704737,
      vsize: 3133440,
      rss: 380,
      rsslim: Number.POSITIVE_INFINITY,
      startCode: 94075467374592,
      endCode: 94075467394473,
      startStack: 140731035397696,
      kstkEsp: 0,
      kstkEip: 0,
      signal: 0,
      blocked: 0,
      sigignore: 0,
      sigcatch: 0,
      wchan: 0,
      exitSignal: 17,
      processor: 1,
      rtPriority: 0,
      policy: 0,
      delayacctBlkioTicks: 0,
      guestTime: 0,
      cguestTime: 0,
      startData: 94075467410480,
      endData: 94075467412096,
      startBrk: 94076118577152,
      argStart: 140731035400929,
      argEnd: 140731035400949,
      envStart: 140731035400949,
      envEnd: 140731035402219,
      exitCode: 0,
    };
    assert.equal(formatStat(f), linux);
    assert.equal(formatStat(f).trimEnd().split(' ').length, 52);
  });

  const vm =
    'VmPeak:\t    3060 kB\nVmSize:\t    3060 kB\nVmLck:\t       0 kB\nVmPin:\t       0 kB\nVmHWM:\t    1704 kB\n' +
    'VmRSS:\t    1704 kB\nRssAnon:\t     116 kB\nRssFile:\t    1588 kB\nRssShmem:\t       0 kB\nVmData:\t     360 kB\n' +
    'VmStk:\t     132 kB\nVmExe:\t      20 kB\nVmLib:\t    1528 kB\nVmPTE:\t      44 kB\nVmSwap:\t       0 kB\n' +
    'HugetlbPages:\t       0 kB\n';
  const status: StatusFields = {
    name: 'cat',
    umask: 0o22,
    state: 'R',
    tgid: 22039,
    ngid: 0,
    pid: 22039,
    ppid: 22036,
    tracerPid: 0,
    uids: [0, 0, 0, 0],
    gids: [0, 0, 0, 0],
    fdSize: 256,
    groups: [],
    nsTgid: 22039,
    nsPid: 22039,
    nsPgid: 22036,
    nsSid: 9050,
    vm,
    coreDumping: 0,
    thpEnabled: 1,
    threads: 1,
    sigQ: [4, 96364],
    sigPnd: [0, 0],
    shdPnd: [0, 0],
    sigBlk: [0, 0],
    sigIgn: [0, 0],
    sigCgt: [0, 0],
    capInh: '0000000000000000',
    capPrm: '000001fffeffffff',
    capEff: '000001fffeffffff',
    capBnd: '000001fffeffffff',
    capAmb: '0000000000000000',
    noNewPrivs: 0,
    seccomp: 0,
    seccompFilters: 0,
    speculationStoreBypass: 'thread vulnerable',
    speculationIndirectBranch: 'conditional enabled',
    cpusAllowed: '3',
    cpusAllowedList: '0-1',
    memsAllowed: '00000000,00000001',
    memsAllowedList: '0',
    voluntaryCtxtSwitches: 0,
    nonvoluntaryCtxtSwitches: 0,
  };
  const linuxStatus =
    'Name:\tcat\nUmask:\t0022\nState:\tR (running)\nTgid:\t22039\nNgid:\t0\nPid:\t22039\nPPid:\t22036\n' +
    'TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t256\nGroups:\t \nNStgid:\t22039\nNSpid:\t22039\n' +
    `NSpgid:\t22036\nNSsid:\t9050\n${vm}CoreDumping:\t0\nTHP_enabled:\t1\nThreads:\t1\nSigQ:\t4/96364\n` +
    'SigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n' +
    'SigCgt:\t0000000000000000\nCapInh:\t0000000000000000\nCapPrm:\t000001fffeffffff\nCapEff:\t000001fffeffffff\n' +
    'CapBnd:\t000001fffeffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n' +
    'Speculation_Store_Bypass:\tthread vulnerable\nSpeculationIndirectBranch:\tconditional enabled\n' +
    'Cpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed:\t00000000,00000001\nMems_allowed_list:\t0\n' +
    'voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n';

  test('status: task_state, task_mem, task_sig, task_cap, task_seccomp, cpus and context switches in order', () => {
    assert.equal(formatStatus(status), linuxStatus);
  });

  test('status: Groups keeps its trailing space; signal sets print signal 64 first', () => {
    const s = formatStatus({ ...status, groups: [4, 24, 27], sigBlk: [0x200, 0], sigIgn: [0, 0x80000000] });
    assert.match(s, /\nGroups:\t4 24 27 \n/);
    assert.match(s, /\nSigBlk:\t0000000000000200\n/);
    assert.match(s, /\nSigIgn:\t8000000000000000\n/);
  });

  test('status of a zombie: no Umask once the fs is gone, no memory, CoreDumping or THP lines', () => {
    const s = formatStatus({ ...status, state: 'Z', umask: undefined, vm: undefined });
    assert.match(s, /^Name:\tcat\nState:\tZ \(zombie\)\n/);
    assert.doesNotMatch(s, /Vm|CoreDumping|THP_enabled/);
    assert.match(s, /\nNSsid:\t9050\nThreads:\t1\n/);
  });

  test('status Name escapes only newline and backslash', () => {
    assert.match(formatStatus({ ...status, name: 'a\\b\nc d\te' }), /^Name:\ta\\\\b\\nc d\te\n/);
  });

  test('limits: %-25s %-20s %-20s %-10s, and no unit column for the unitless limits', () => {
    const linux =
      'Limit                     Soft Limit           Hard Limit           Units     \n' +
      'Max cpu time              unlimited            unlimited            seconds   \n' +
      'Max file size             unlimited            unlimited            bytes     \n' +
      'Max data size             unlimited            unlimited            bytes     \n' +
      'Max stack size            8388608              unlimited            bytes     \n' +
      'Max core file size        0                    unlimited            bytes     \n' +
      'Max resident set          unlimited            unlimited            bytes     \n' +
      'Max processes             96364                96364                processes \n' +
      'Max open files            20000                20000                files     \n' +
      'Max locked memory         8388608              8388608              bytes     \n' +
      'Max address space         unlimited            unlimited            bytes     \n' +
      'Max file locks            unlimited            unlimited            locks     \n' +
      'Max pending signals       96364                96364                signals   \n' +
      'Max msgqueue size         819200               819200               bytes     \n' +
      'Max nice priority         0                    0                    \n' +
      'Max realtime priority     0                    0                    \n' +
      'Max realtime timeout      unlimited            unlimited            us        \n';
    const r = defaultRlimits();
    r[6] = [96364, 96364];
    r[7] = [20000, 20000];
    r[11] = [96364, 96364];
    m.task.rlimits = r;
    assert.equal(limitsText(m.task), linux);
  });

  test('meminfo: values in %8lu after 16-column labels; HardwareCorrupted and HugePages_* in %5lu after 19', () => {
    const text = meminfoText(m.kernel);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], 'MemTotal:          65536 kB');
    assert.ok(lines.includes('HardwareCorrupted:     0 kB'));
    assert.ok(lines.includes('HugePages_Surp:        0'));
    assert.ok(lines.includes('Hugepagesize:       2048 kB'));
    for (const l of lines) if (!/VmallocTotal/.test(l)) assert.equal(l.replace(/ kB$/, '').length, 24, l);
    const names = lines.map((l) => l.slice(0, l.indexOf(':')));
    assert.deepEqual(names.slice(0, 8), [
      'MemTotal',
      'MemFree',
      'MemAvailable',
      'Buffers',
      'Cached',
      'SwapCached',
      'Active',
      'Inactive',
    ]);
    assert.deepEqual(names.slice(-6), [
      'HugePages_Total',
      'HugePages_Free',
      'HugePages_Rsvd',
      'HugePages_Surp',
      'Hugepagesize',
      'Hugetlb',
    ]);
  });

  test('cpuinfo: one Cortex-A72 r0p3 with the advertised hwcaps (0x9fb) and BogoMIPS of a 62.5 MHz timer', () => {
    assert.equal(
      cpuinfoText(),
      'processor\t: 0\nBogoMIPS\t: 125.00\nFeatures\t: fp asimd aes pmull sha1 sha2 crc32 atomics cpuid\n' +
        'CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd08\nCPU revision\t: 3\n\n',
    );
  });
});
