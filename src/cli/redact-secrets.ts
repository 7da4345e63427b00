import { maskTokens } from '../redact.js';

/** Last line of defence for diagnostics: any JWT-like run, URL userinfo, and every known secret, is masked. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = maskTokens(text);
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  return out;
}
