import { maskSecrets, maskTokens } from '../../shared/redact.js';

/** Last line of defence for diagnostics: any JWT-like run, URL userinfo, and every known secret or piece of one (12+ characters), is masked. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  return maskSecrets(maskTokens(text), secrets);
}
