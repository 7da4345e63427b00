import { UsageError } from '../shared/errors.js';

/** The lease of the Redis credential lock: renewed while held, so only a holder that died loses it. */
export const DEFAULT_LEASE_MS = 15_000;
const MIN_LEASE_MS = 200;
const MAX_LEASE_MS = 600_000;
const KEY_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** A Redis (or Valkey) credential store: `redis://[user:pass@]host:port/db` or `rediss://` (TLS). */
export interface RedisStoreSpec {
  kind: 'redis';
  /** The URL as given, secrets included: for the client only, never for output. */
  url: string;
  tls: boolean;
  /** The URL without its password, for messages. */
  display: string;
  db: number;
  leaseMs: number;
  /** Keys are `<prefix>:auth:<profile>` and `<prefix>:lock:<profile>`. */
  prefix: string;
}

/**
 * `credential_store` / CODEX_CREDENTIAL_STORE: undefined (or `file`) for the file store, a Redis spec otherwise. A
 * value that is neither is refused, naming `source`: a typo must not quietly become a local auth.json.
 */
export function parseStoreUrl(value: string | undefined, source: string): RedisStoreSpec | undefined {
  if (value === undefined || value === '' || value === 'file') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${source} must be \`file\` or a redis:// or rediss:// URL, not ${JSON.stringify(redacted(value))}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UsageError(`${source} must be \`file\` or a redis:// or rediss:// URL, not a ${url.protocol.replace(/:$/, '')} URL`);
  }
  if (url.hostname === '') throw new UsageError(`${source}: the Redis URL names no host`);
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,2}$/.test(path)) throw new UsageError(`${source}: the Redis database is a number, as in redis://host:6379/0`);
  const db = path === '' ? 0 : Number(path);
  let leaseMs = DEFAULT_LEASE_MS;
  let prefix = 'codex-oauth';
  for (const [name, raw] of url.searchParams) {
    if (name === 'lease_ms') {
      const ms = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!(ms >= MIN_LEASE_MS && ms <= MAX_LEASE_MS))
        throw new UsageError(`${source}: lease_ms must be a number of milliseconds from ${MIN_LEASE_MS} to ${MAX_LEASE_MS}`);
      leaseMs = ms;
    } else if (name === 'prefix') {
      if (!KEY_PREFIX.test(raw)) throw new UsageError(`${source}: prefix must be 1 to 64 letters, digits, '.', '_', ':' or '-'`);
      prefix = raw;
    } else {
      throw new UsageError(`${source}: unknown option ${JSON.stringify(name)} in the Redis URL (known: lease_ms, prefix)`);
    }
  }
  const clientUrl = new URL(url.href);
  clientUrl.search = '';
  return { kind: 'redis', url: clientUrl.href, tls: url.protocol === 'rediss:', display: redacted(clientUrl.href), db, leaseMs, prefix };
}

/** The URL with its password replaced by `***` (also for a value that is not a URL at all). */
export function redacted(value: string): string {
  try {
    const url = new URL(value);
    if (url.password !== '') url.password = '***';
    return url.href;
  } catch {
    return value.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}
