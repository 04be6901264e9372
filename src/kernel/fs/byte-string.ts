/**
 * Byte strings: the VFS keeps guest and host paths as JS strings with one char per byte (0–255),
 * so a file name that is not valid UTF-8 survives a round trip exactly. Text that starts as Unicode
 * (the command line, the host name) is encoded to UTF-8 bytes first.
 * (TextDecoder's 'latin1' is windows-1252 and would remap 0x80–0x9f, so it is not used.)
 */

const CHUNK = 8192;

export function bytesToByteString(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += CHUNK) s += String.fromCharCode(...b.subarray(i, i + CHUNK));
  return s;
}

export function byteStringToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/**
 * A Unicode string as the byte string of its UTF-8 encoding (lone surrogates become U+FFFD, as
 * TextEncoder would; written out because the core compiles without DOM or Node types).
 */
export function unicodeToByteString(s: string): string {
  let out = '';
  for (const ch of s) {
    let c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out += ch;
    else if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else
      out += String.fromCharCode(
        0xf0 | (c >> 18),
        0x80 | ((c >> 12) & 0x3f),
        0x80 | ((c >> 6) & 0x3f),
        0x80 | (c & 0x3f),
      );
  }
  return out;
}
