/**
 * Cookies a host set, kept in memory for the process and sent back to that host only, as the official client
 * keeps chatgpt.com's Cloudflare cookies (protocol §11). Host-only: a `Domain` attribute is not widened to
 * sibling hosts; `Path` is ignored (every backend path is under `/`).
 */
interface Cookie {
  value: string;
  /** ms since the epoch; undefined: for the process. */
  expiresAt?: number;
  secure: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class CookieJar {
  private readonly hosts = new Map<string, Map<string, Cookie>>();

  /** Forgets every cookie: the jar of a new process (tests that run commands in-process start each run so). */
  clear(): void {
    this.hosts.clear();
  }

  /** Keeps the cookies of one response's `Set-Cookie` headers. */
  store(url: URL, setCookies: readonly string[], now = Date.now()): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let expiresAt: number | undefined;
      let secure = false;
      for (const attribute of attributes) {
        const [key = '', ...rest] = attribute.split('=');
        const lower = key.trim().toLowerCase();
        const arg = rest.join('=').trim();
        if (lower === 'secure') secure = true;
        else if (lower === 'max-age' && /^-?\d+$/.test(arg)) expiresAt = now + Number(arg) * 1000;
        else if (lower === 'expires' && expiresAt === undefined) {
          const at = Date.parse(arg);
          if (!Number.isNaN(at)) expiresAt = at;
        }
      }
      let cookies = this.hosts.get(url.host);
      if (expiresAt !== undefined && expiresAt <= now) {
        cookies?.delete(name);
        continue;
      }
      if (!cookies) {
        cookies = new Map();
        this.hosts.set(url.host, cookies);
      }
      cookies.set(name, { value, secure, ...(expiresAt !== undefined ? { expiresAt } : {}) });
    }
  }

  /** The `Cookie` header for a request to `url`, if the host set any that are still valid. */
  header(url: URL, now = Date.now()): string | undefined {
    const cookies = this.hosts.get(url.host);
    if (!cookies) return undefined;
    // Loopback counts as secure, as browsers treat it (the test backend speaks plain HTTP).
    const secureChannel = url.protocol === 'https:' || LOOPBACK.has(url.hostname);
    const pairs: string[] = [];
    for (const [name, cookie] of cookies) {
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) {
        cookies.delete(name);
        continue;
      }
      if (cookie.secure && !secureChannel) continue;
      pairs.push(`${name}=${cookie.value}`);
    }
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }
}
