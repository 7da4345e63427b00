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
