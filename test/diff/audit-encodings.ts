/**
 * Completeness audit of the encodings table: which instructions binutils knows that compat64 leaves
 * undefined. Walks a structured slice of the encoding space (every value of bits 10–31, bits 0–9
 * fixed; then every value of bits 0–9 and 16–20 under each top-bit pattern that decoded somewhere),
 * keeps the words compat64 treats as undefined, disassembles them with aarch64-linux-gnu-objdump and
 * groups them by mnemonic, with the architecture extension each belongs to where it is not ARMv8.0.
 * What is left unclassified is either an ARMv8.0 instruction compat64 lacks (a bug) or a new
 * extension to add to EXTENSIONS below.
 *
 *   node dist/test/diff/audit-encodings.js [--all]     (--all: also list the extension groups)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { undefinedInCompat64 } from './templates.js';

/**
 * Mnemonics (or operand shapes) of extensions compat64 does not advertise, with their FEAT_ name.
 * Matched against objdump's text: the first rule whose test matches names the group.
 */
const EXTENSIONS: readonly (readonly [string, RegExp])[] = [
  [
    'FEAT_SVE/SVE2/SME',
    /\bz\d+\.|\bp\d+\b|\bp\d+\/|\bza|\bzt0|\bpn\d+|\bmovprfx|\bsmstart|\bsmstop|\brdsvl|\baddvl|\baddpl|\brdvl|\bsetffr|\bwrffr|\brdffr|\bptrue|\bpfalse|\bctermeq|\bctermne|\bwhile|\bcntp|\bincp|\bdecp|\bsqincp|\bsqdecp|\buqincp|\buqdecp|\bcnt[bhwd]\b|\binc[bhwd]\b|\bdec[bhwd]\b|\bsqinc[bhwd]\b|\bsqdec[bhwd]\b|\buqinc[bhwd]\b|\buqdec[bhwd]\b|\bprf[bhwd]\b|\bldr\s+z|\bstr\s+z|\baddsvl|\baddspl|\bzero\b/,
  ],
  ['FEAT_FP16 (half-precision arithmetic)', /\bh\d+\b|\.[48]h\b.*\bf|\b(f\w*|[su]cvtf)\s+v\d+\.[48]h|\.h\[/],
  ['FEAT_BF16', /\bbf|\bbfcvt|\bbfdot|\bbfmmla|\bbfmlal/],
  ['FEAT_I8MM', /\busmmla|\bsmmla|\bummla|\busdot|\bsudot/],
  ['FEAT_DotProd', /\b[su]dot\b/],
  ['FEAT_RDM', /\bsqrdml[as]h\b/],
  ['FEAT_FCMA', /\bfcmla\b|\bfcadd\b/],
  ['FEAT_FHM', /\bfmlal2?\b|\bfmlsl2?\b/],
  ['FEAT_SHA512/SHA3', /\bsha512|\beor3\b|\brax1\b|\bxar\b|\bbcax\b/],
  ['FEAT_SM3/SM4', /\bsm3|\bsm4/],
  ['FEAT_JSCVT', /\bfjcvtzs\b/],
  ['FEAT_FRINTTS', /\bfrint(32|64)[xz]\b/],
  ['FEAT_FlagM/FlagM2', /\bcfinv\b|\brmif\b|\bsetf(8|16)\b|\baxflag\b|\bxaflag\b/],
  ['FEAT_LRCPC/LRCPC2/LRCPC3', /\bldapr|\bstlur|\bldapur|\bstilp|\bldiapp|\bstl1\b|\bldap1\b/],
  ['FEAT_PAuth', /\bpac|\baut|\bxpac|\bretaa|\bretab|\bbraa|\bbrab|\bblraa|\bblrab|\beretaa|\beretab|\bldraa|\bldrab/],
  [
    'FEAT_MTE',
    /\birg\b|\bgmi\b|\bsubp\b|\bsubps\b|\baddg\b|\bsubg\b|\bst2?g\b|\bstz2?g\b|\bstgp\b|\bldg\b|\bstgm\b|\bstzgm\b|\bldgm\b|\bcmpp\b/,
  ],
  ['FEAT_LS64', /\bld64b\b|\bst64b/],
  ['FEAT_MOPS', /\bcpy|\bset[pme]|\bsetg[pme]/],
  ['FEAT_CSSC', /\babs\s+[wx]|\bcnt\s+[wx]|\bctz\b|\b[su]max\s+[wx]|\b[su]min\s+[wx]/],
  ['FEAT_LSE128/THE/D128', /\bldclrp|\bldsetp|\bswpp|\brcw|\bsysp\b|\bmrrs\b|\bmsrr\b/],
  [
    'FEAT_CLRBHB/SB/SPECRES/WFxT/TME',
    /\bclrbhb\b|\bsb\b|\bcfp\b|\bdvp\b|\bcpp\b|\bwfet\b|\bwfit\b|\btstart|\btcommit|\btcancel|\bttest/,
  ],
  ['FEAT_BTI/GCS/CHK/PRFM-slc', /\bbti\b|\bgcs|\bchkfeat\b|\brprfm\b/],
  ['FEAT_FRINT/AFP/misc v8.x FP', /\bfmaxnmv?\s+h|\bfminnmv?\s+h/],
  ['FEAT_LOR', /\bldlar|\bstllr/],
  ['FEAT_HBC', /\bbc\.\w+/],
  ['FEAT_DPB/DPB2', /\bdc\s+cvad?p\b/],
  [
    'privileged (EL1+: not user mode)',
    /\beret\b|\bdrps\b|\bhvc\b|\bsmc\b|\bmsr\s+(pan|uao|dit|ssbs|tco|spsel|daif)|\bsys\b|\bsysl\b|\bat\b|\btlbi\b|\bdc\s+(ivac|isw|csw|cisw|gva|gzva|igvac|cgsw|cigsw)|\bic\s+(ialluis|iallu)|\bmrs\b|\bmsr\b|\bcfinv|\bdcps/,
  ],
];

function parseArgs(argv: readonly string[]): { all: boolean } {
  return { all: argv.includes('--all') };
}

/** The words of the slice compat64 leaves undefined. */
function undefinedWords(): number[] {
  const out: number[] = [];
  const topSeen = new Set<number>();
  // Pass 1: bits 10–31 free, Rn = 1, Rd/Rt = 2.
  const low = (1 << 5) | 2;
  for (let top = 0; top < 1 << 22; top++) {
    const w = (top << 10) | low | 0;
    if (undefinedInCompat64(w)) out.push(w);
    else topSeen.add(top >>> 11); // bits 21–31
  }
  // Pass 2: bits 0–9 free (fields like cond, op2, CRm/op2 of hints, Rt2 of pairs) under a few
  // values of the middle bits, for every bits 21–31 pattern with at least one decoded word.
  const mids = [0, 0x3ff, 0x155, 0x2aa, 0x0f0];
  for (const hi of topSeen) {
    for (const mid of mids) {
      for (let lo = 0; lo < 1 << 10; lo++) {
        const w = (hi << 21) | (mid << 10) | lo | 0;
        if (lo === low) continue;
        if (undefinedInCompat64(w)) out.push(w);
      }
    }
  }
  return out;
}

function disassemble(words: readonly number[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'audit-'));
  try {
    const bin = new Uint8Array(words.length * 4);
    const dv = new DataView(bin.buffer);
    for (let i = 0; i < words.length; i++) dv.setUint32(i * 4, words[i]! >>> 0, true);
    writeFileSync(join(dir, 'w.bin'), bin);
    const text = execFileSync(
      'aarch64-linux-gnu-objdump',
      ['-D', '-b', 'binary', '-m', 'aarch64', '--no-show-raw-insn', join(dir, 'w.bin')],
      { maxBuffer: 1 << 30, encoding: 'utf8' },
    );
    const lines: string[] = new Array(words.length).fill('');
    for (const line of text.split('\n')) {
      const m = /^\s*([0-9a-f]+):\s+(.*)$/.exec(line);
      if (!m) continue;
      lines[Number.parseInt(m[1]!, 16) / 4] = m[2]!.trim();
    }
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const { all } = parseArgs(process.argv.slice(2));
  const words = undefinedWords();
  const text = disassemble(words);
  const groups = new Map<string, Map<string, { n: number; example: number; text: string }>>();
  let unallocated = 0;
  for (let i = 0; i < words.length; i++) {
    const t = text[i]!;
    if (t === '' || t.startsWith('.inst') || t.startsWith('udf')) {
      unallocated++;
      continue;
    }
    const ext = EXTENSIONS.find(([, re]) => re.test(t));
    const group = ext ? ext[0] : 'UNCLASSIFIED (ARMv8.0? check against qemu -cpu cortex-a72)';
    const mnemonic = t.split(/\s+/)[0]!;
    let g = groups.get(group);
    if (!g) groups.set(group, (g = new Map()));
    const e = g.get(mnemonic);
    if (e) e.n++;
    else g.set(mnemonic, { n: 1, example: words[i]!, text: t });
  }
  process.stdout.write(
    `${words.length} words of the slice undefined in compat64; ${unallocated} unallocated for binutils too\n`,
  );
  for (const [group, g] of [...groups].sort()) {
    const total = [...g.values()].reduce((n, e) => n + e.n, 0);
    process.stdout.write(`\n${group}: ${total} words, ${g.size} mnemonics\n`);
    if (!all && !group.startsWith('UNCLASSIFIED')) continue;
    for (const [m, e] of [...g].sort((a, b) => b[1].n - a[1].n)) {
      process.stdout.write(
        `  ${m.padEnd(10)} ${String(e.n).padStart(7)}  e.g. 0x${(e.example >>> 0).toString(16).padStart(8, '0')}  ${e.text}\n`,
      );
    }
  }
}

main();
