/**
 * Just enough Tcl to read the GCC testsuite's DejaGnu directives (`{ dg-options "-fwrapv" }`) and the
 * `.x` side files of the torture tests: splitting a script into commands and a command into words.
 * A word keeps its delimiters ("…", {…}, […]) so the reader can tell a quoted string from a list or a
 * command substitution; `unquote` strips them.
 */

/** Splits a script into commands (newline or `;` separated; `#` comments at a command's start dropped). */
export function commands(script: string): string[][] {
  const out: string[][] = [];
  let words: string[] = [];
  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i]!;
    if (c === '\n' || c === ';') {
      if (words.length > 0) out.push(words);
      words = [];
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '\\' && script[i + 1] === '\n') {
      i += 2;
    } else if (c === '#' && words.length === 0) {
      while (i < n && script[i] !== '\n') i++;
    } else {
      const end = wordEnd(script, i);
      words.push(script.slice(i, end));
      i = end;
    }
  }
  if (words.length > 0) out.push(words);
  return out;
}

/** The words of one command (newlines count as spaces). */
export function words(text: string): string[] {
  return commands(text.replace(/[\n;]/g, ' ')).flat();
}

/** Index just past the word starting at i. */
function wordEnd(s: string, i: number): number {
  const c = s[i];
  if (c === '{') return matching(s, i, '{', '}');
  if (c === '"') {
    let j = i + 1;
    while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, s.length);
  }
  let j = i;
  while (j < s.length && !/[\s;]/.test(s[j]!)) {
    if (s[j] === '[') j = matching(s, j, '[', ']');
    else j += s[j] === '\\' ? 2 : 1;
  }
  return j;
}

/** Index just past the bracket closing the one at i (nesting counted, backslash escapes skipped). */
export function matching(s: string, i: number, open: string, close: string): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return j + 1;
  }
  return s.length;
}

/** A word without its quotes or braces. */
export function unquote(word: string): string {
  if ((word.startsWith('"') && word.endsWith('"')) || (word.startsWith('{') && word.endsWith('}'))) {
    return word.slice(1, -1);
  }
  return word;
}

/** The elements of a word read as a Tcl list ("a b" and {a b} both give [a, b]), each unquoted. */
export function listOf(word: string): string[] {
  return words(unquote(word)).map(unquote);
}
