/**
 * Masks what must never reach an error line or a log, whole or in part: any run that starts like a JWT (`eyJ`,
 * base64url of `{"`), however it was cut (header only, header and payload, …), and the userinfo of any URL
 * (`http://user:password@host` becomes `http://host`). Core code masks before it cuts a text short, so a cut
 * can never leave a readable piece of a token behind; the CLI applies it once more to everything it prints.
 */
const JWT_RUN = /eyJ[\w-]*(?:\.[\w-]*)*/g;
const URL_USERINFO = /\b([a-z][a-z\d+.-]*:\/\/)[^\s/?#@]*@/gi;

export function maskTokens(text: string): string {
  return text.replace(JWT_RUN, '[redacted-jwt]').replace(URL_USERINFO, '$1');
}

/** The shortest piece of a known secret that is masked wherever it turns up (a cut-short echo of a token). */
export const SECRET_PIECE_MIN = 12;

/**
 * Masks every secret whole, and any run of SECRET_PIECE_MIN or more characters that is a piece of one: a server
 * that echoes the first part of a refresh token, or a message cut short in the middle of one, shows none of it.
 */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const list = [...secrets];
  let out = text;
  for (const secret of list) if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  const pieces = piecesOf(list);
  if (pieces.size === 0 || out.length < SECRET_PIECE_MIN) return out;
  const covered = new Uint8Array(out.length);
  let any = false;
  for (let i = 0; i + SECRET_PIECE_MIN <= out.length; i++) {
    if (pieces.has(out.slice(i, i + SECRET_PIECE_MIN))) {
      covered.fill(1, i, i + SECRET_PIECE_MIN);
      any = true;
    }
  }
  if (!any) return out;
  let masked = '';
  for (let i = 0; i < out.length; i++) {
    if (covered[i] === 0) masked += out[i];
    else if (i === 0 || covered[i - 1] === 0) masked += '[redacted]';
  }
  return masked;
}

/**
 * The pieces of the last secrets asked for, kept: a token of 2 KB has ≈ 2,000 of them, and `codex serve` masks every
 * access-log line with the same few secrets (making them anew was 0.1 ms a line).
 */
let lastPieces: { secrets: string[]; pieces: Set<string> } | undefined;

function piecesOf(secrets: string[]): Set<string> {
  const last = lastPieces;
  if (last !== undefined && last.secrets.length === secrets.length && last.secrets.every((secret, i) => secret === secrets[i])) return last.pieces;
  const pieces = new Set<string>();
  for (const secret of secrets) for (let i = 0; i + SECRET_PIECE_MIN <= secret.length; i++) pieces.add(secret.slice(i, i + SECRET_PIECE_MIN));
  lastPieces = { secrets, pieces };
  return pieces;
}
