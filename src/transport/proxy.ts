import { UsageError } from '../shared/errors.js';
import { maskTokens } from '../shared/redact.js';
import { proxyConfigured } from './proxy-env.js';

type Env = Record<string, string | undefined>;

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

export { proxyConfigured };

/**
 * Routes Node's global fetch through HTTPS_PROXY/HTTP_PROXY, honouring NO_PROXY. undici is loaded only when a
 * proxy variable is set: it costs ~50 ms of start-up, and Node's fetch is undici already.
 */
export async function installProxyFromEnv(env: Env): Promise<boolean> {
  if (!proxyConfigured(env)) return false;
  checkProxyVariables(env);
  if (['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].some((name) => /^socks5?:/i.test(env[name] ?? ''))) quietSocksWarning();
  const [{ setGlobalDispatcher }, { boundedProxyAgent }] = await Promise.all([import('./undici.js'), import('./proxy-dispatcher.js')]);
  setGlobalDispatcher(boundedProxyAgent());
  return true;
}

/**
 * undici prints "SOCKS5 proxy support is experimental" to stderr the first time it makes a SOCKS agent: noise in
 * a CLI whose stderr is one line per error. That one warning is dropped; every other warning still shows.
 */
function quietSocksWarning(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning?.message;
    if (typeof text === 'string' && text.startsWith('SOCKS5 proxy support is experimental')) return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}

const PROXY_PROTOCOLS = new Set(['http:', 'https:', 'socks:', 'socks5:']);

/** A proxy variable that is not a proxy URL is a usage error naming it (undici would fail with "Invalid URL"). */
function checkProxyVariables(env: Env): void {
  for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) {
    const value = env[name];
    if (!value) continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || !PROXY_PROTOCOLS.has(url.protocol) || url.hostname === '') {
      throw new UsageError(`${name} is not a proxy URL such as http://proxy.example:3128: ${maskTokens(value)}`);
    }
  }
}

/**
 * The proxy a request to `url` goes through, by the rules of undici's EnvHttpProxyAgent (lower-case variables
 * first; https falls back to the http proxy; NO_PROXY by host suffix and optional port, `*` for all), with any
 * password masked; undefined when the request goes direct. For error messages: a refused proxy must not read
 * as an unreachable backend.
 */
export function proxyFor(url: string, env: Env): string | undefined {
  if (!proxyConfigured(env)) return undefined;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return undefined;
  }
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY;
  const proxy = target.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY) || httpProxy : httpProxy;
  if (!proxy) return undefined;
  const host = target.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(target.port, 10) || DEFAULT_PORTS[target.protocol] || 0;
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  if (noProxy === '*') return undefined;
  for (const entry of noProxy.split(/[,\s]/)) {
    if (!entry) continue;
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const entryHost = (parsed ? parsed[1]! : entry).replace(/^\*?\./, '').toLowerCase();
    if (parsed && Number(parsed[2]) !== port) continue;
    if (host === entryHost || host.endsWith(`.${entryHost}`)) return undefined;
  }
  return maskPassword(proxy);
}

function maskPassword(proxy: string): string {
  try {
    const url = new URL(proxy);
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, '');
  } catch {
    return proxy;
  }
}
