/** Texts up to this long are copied by hand when they are ASCII: cheaper than a call into the encoder for a token. */
const BY_HAND_CHARS = 32;

/**
 * Writes `text` as UTF-8 into `bytes` at `at` and returns where it ends; the caller has made room (3 bytes a UTF-16
 * unit). A short ASCII text (a token, a token's JSON) is copied here, anything else goes to Buffer's encoder.
 */
export function writeUtf8(bytes: Buffer, at: number, text: string): number {
  if (text.length > BY_HAND_CHARS) return at + bytes.write(text, at);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return at + bytes.write(text, at);
    bytes[at + i] = code;
  }
  return at + text.length;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/**
 * What JSON.stringify escapes in a string: the quote, the backslash, control characters and lone surrogates (any
 * surrogate here: a pair goes the slow way, which keeps it as it is).
 */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * The most bytes writeJsonString writes for `text`: 3 a UTF-16 unit for a text that needs no escape, else 6 (`\u00XX`).
 * A token is not checked (its bound is small either way); a long text is, so a 1 MB delta does not reserve 6 MB.
 */
export function jsonStringMaxBytes(text: string): number {
  return text.length * (text.length > BY_HAND_CHARS && !NEEDS_ESCAPE.test(text) ? 3 : 6) + 2;
}

/**
 * Writes `text` as a JSON string into `bytes` at `at` (the same bytes as JSON.stringify(text) encoded as UTF-8) and
 * returns where it ends; the caller has made room (jsonStringMaxBytes). A short ASCII text that needs no escape (most
 * tokens) is checked and copied in one pass; only a text that needs escapes is stringified first.
 */
export function writeJsonString(bytes: Buffer, at: number, text: string): number {
  if (text.length <= BY_HAND_CHARS) {
    let i = 0;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code === QUOTE || code === BACKSLASH || code > 0x7e) break;
      bytes[at + 1 + i] = code;
    }
    if (i === text.length) {
      bytes[at] = QUOTE;
      bytes[at + 1 + i] = QUOTE;
      return at + i + 2;
    }
  }
  if (NEEDS_ESCAPE.test(text)) return writeUtf8(bytes, at, JSON.stringify(text));
  bytes[at] = QUOTE;
  const end = writeUtf8(bytes, at + 1, text);
  bytes[end] = QUOTE;
  return end + 1;
}

/** JSON.stringify's two-character escapes (`\b` … `\r`), by control character; 0 where it writes `\u00XX`. */
const SHORT_ESCAPES = new Uint8Array(32);
for (const [code, letter] of [
  [8, 'b'],
  [9, 't'],
  [10, 'n'],
  [12, 'f'],
  [13, 'r'],
] as const)
  SHORT_ESCAPES[code] = letter.charCodeAt(0);
const HEX = Buffer.from('0123456789abcdef');

/** The most bytes a latin1 character becomes inside a JSON string (`\u00XX`). */
export const LATIN1_JSON_MAX_BYTES = 6;

/**
 * Writes latin1 text (one byte a character) from `text[from]` on as the inside of a JSON string — escaped as
 * JSON.stringify escapes, encoded as UTF-8 — into `bytes` at `at`, byte by byte (no string of it is made), until the
 * text ends or fewer than LATIN1_JSON_MAX_BYTES are left before `limit`. Returns where the text and the bytes stopped.
 */
export function writeLatin1JsonChars(bytes: Buffer, at: number, limit: number, text: Uint8Array, from: number): { next: number; at: number } {
  let i = from;
  for (; i < text.length && at <= limit - LATIN1_JSON_MAX_BYTES; i++) {
    const code = text[i]!;
    if (code >= 0x80) {
      bytes[at++] = 0xc0 | (code >> 6);
      bytes[at++] = 0x80 | (code & 0x3f);
    } else if (code >= 0x20) {
      if (code === QUOTE || code === BACKSLASH) bytes[at++] = BACKSLASH;
      bytes[at++] = code;
    } else {
      bytes[at++] = BACKSLASH;
      const short = SHORT_ESCAPES[code]!;
      if (short !== 0) {
        bytes[at++] = short;
      } else {
        bytes[at++] = 0x75; // u
        bytes[at++] = 0x30;
        bytes[at++] = 0x30;
        bytes[at++] = HEX[code >> 4]!;
        bytes[at++] = HEX[code & 15]!;
      }
    }
  }
  return { next: i, at };
}
