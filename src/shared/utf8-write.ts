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
