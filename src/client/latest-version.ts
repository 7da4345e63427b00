// The newest official Codex CLI release, from the npm registry: asked only after the backend answered "requires a
// newer version of Codex" (protocol §10), cached a day, with a short deadline. Offline, there is no answer.
import * as z from 'zod/mini';
import { CLIENT_VERSION_PATTERN } from '../config/resolve.js';
import { messageOf } from '../shared/error-info.js';
import { KeyedCache } from '../store/keyed-cache.js';
import { createSend, type Send } from '../transport/http-send.js';

export const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org';
export const LATEST_VERSION_TTL_MS = 24 * 60 * 60 * 1000;
export const LATEST_VERSION_TIMEOUT_MS = 3_000;
const CACHE_FILE = 'client-version-cache.json';
const PACKAGE = '@openai/codex';

const DistTagsSchema = z.looseObject({ latest: z.string() });
const CacheSchema = z.looseObject({ version: z.literal(1), checked_at_ms: z.number(), registry: z.string(), latest: z.string() });
const latestCache = new KeyedCache({
  file: CACHE_FILE,
  schema: CacheSchema,
  label: 'the client version cache',
  key: ['registry'],
  stamp: 'checked_at_ms',
  ttlMs: LATEST_VERSION_TTL_MS,
});

export interface LatestVersionOptions {
  /** Where the answer is cached for a day (none: asked every time). */
  cacheDir?: string;
  /** Default: the public npm registry (`npmRegistry(env)` honours CODEX_NPM_REGISTRY). */
  registry?: string;
  timeoutMs?: number;
  send?: Send;
  log?: (message: string) => void;
  nowMs?: number;
}

/** CODEX_NPM_REGISTRY of `env`, else the public npm registry. */
export function npmRegistry(env: Record<string, string | undefined>): string {
  return (env.CODEX_NPM_REGISTRY || DEFAULT_NPM_REGISTRY).replace(/\/+$/, '');
}

/** `1.2.3` compared with `1.10.0`: negative, 0 or positive. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (left[i] !== right[i]) return (left[i] ?? 0) - (right[i] ?? 0);
  return 0;
}

/** The `latest` version of @openai/codex, or undefined when the registry cannot say (offline, slow, odd answer). */
export async function latestCodexVersion(options: LatestVersionOptions = {}): Promise<string | undefined> {
  const registry = (options.registry ?? DEFAULT_NPM_REGISTRY).replace(/\/+$/, '');
  const now = options.nowMs ?? Date.now();
  if (options.cacheDir) {
    const cached = await latestCache.read(options.cacheDir, { registry }, { nowMs: now });
    if (cached?.fresh) return cached.entry.latest;
  }
  const url = `${registry}/-/package/${encodeURIComponent(PACKAGE)}/dist-tags`;
  let latest: string;
  try {
    const response = await (options.send ?? createSend())(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? LATEST_VERSION_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    latest = DistTagsSchema.parse(JSON.parse(text)).latest;
    if (!CLIENT_VERSION_PATTERN.test(latest)) throw new Error(`an odd version ${JSON.stringify(latest.slice(0, 40))}`);
  } catch (error) {
    options.log?.(`cannot ask ${registry} for the newest ${PACKAGE}: ${messageOf(error)}`);
    return undefined;
  }
  if (options.cacheDir) await latestCache.write(options.cacheDir, { version: 1, checked_at_ms: now, registry, latest }, options.log ? { log: options.log } : {});
  return latest;
}
