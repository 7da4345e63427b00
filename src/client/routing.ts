import * as z from 'zod/mini';
import { endpointProblem } from '../shared/endpoint-url.js';
import { messageOf } from '../shared/error-info.js';
import { ApiError } from '../shared/errors.js';
import { KeyedCache } from '../store/keyed-cache.js';
import type { BackendHttp } from '../transport/backend-http.js';
import { MODELS_CACHE_TTL_MS } from './models/cache.js';
import type { Routing } from './responses-client.js';

export const ROUTING_CACHE_FILE = 'routing-cache.json';
/** Overrides that move a workspace's requests (protocol §10); `NO_CONSTRAINT` and none leave them as they are. */
const ROUTED_OVERRIDES = new Set(['us', 'us_cr']);
const DISCOVERY_TIMEOUT_MS = 5_000;
/** A failed check is not asked again for this long, so a slow or refusing endpoint costs one run, not every run. */
const FAILED_CHECK_TTL_MS = 10 * 60 * 1000;

const AccountsCheckSchema = z.looseObject({
  accounts: z.array(
    z.looseObject({
      id: z.string(),
      account_routing_override: z.optional(z.nullable(z.string())),
      workspace_backend_origin: z.optional(z.nullable(z.string())),
    }),
  ),
});

const RoutingCacheSchema = z.looseObject({
  version: z.literal(1),
  fetched_at_ms: z.number(),
  base_url: z.string(),
  account_id: z.string(),
  routing: z.nullable(z.looseObject({ override: z.string(), origin: z.optional(z.string()) })),
  failed: z.optional(z.boolean()),
});

/** `https://chatgpt.com/backend-api/codex` and `usage` → `https://chatgpt.com/backend-api/wham/usage`. */
export function whamUrl(baseUrl: string, endpoint: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  const api = path.endsWith('/codex') ? path.slice(0, -'/codex'.length) : '/backend-api';
  return `${url.origin}${api}/wham/${endpoint}`;
}

/** `https://chatgpt.com/backend-api/codex` → `https://chatgpt.com/backend-api/wham/accounts/check`. */
export function accountsCheckUrl(baseUrl: string): string {
  return whamUrl(baseUrl, 'accounts/check');
}

/** A workspace origin we may send the bearer token to: https, or plain http on loopback only (tests). */
export function acceptableOrigin(value: string): string | undefined {
  return endpointProblem(value) === undefined ? new URL(value).origin : undefined;
}

/** What the answer says of one account, or undefined for no routing. */
export function routingFor(json: unknown, accountId: string, log?: (message: string) => void): Routing | undefined {
  const parsed = AccountsCheckSchema.safeParse(json);
  if (!parsed.success) throw new ApiError('server_error', 'the workspace check has an unexpected shape');
  const account = parsed.data.accounts.find((entry) => entry.id === accountId);
  const override = account?.account_routing_override;
  if (!override || !ROUTED_OVERRIDES.has(override)) return undefined;
  const given = account.workspace_backend_origin;
  if (!given) return { override };
  const origin = acceptableOrigin(given);
  if (!origin) {
    log?.(`ignoring the workspace backend origin ${JSON.stringify(given)}: only https is used`);
    return { override };
  }
  return { override, origin };
}

export interface DiscoverRoutingOptions {
  http: Pick<BackendHttp, 'request'>;
  baseUrl: string;
  accountId: string;
  configDir?: string;
  nowMs?: number;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** Per backend and account, for an hour (a failed check for ten minutes). */
const routingCache = new KeyedCache({
  file: ROUTING_CACHE_FILE,
  schema: RoutingCacheSchema,
  label: 'the routing cache',
  key: ['base_url', 'account_id'],
  stamp: 'fetched_at_ms',
  ttlMs: (cache) => (cache.failed ? FAILED_CHECK_TTL_MS : MODELS_CACHE_TTL_MS),
});

async function readCache(options: DiscoverRoutingOptions, now: number): Promise<{ routing: Routing | undefined } | undefined> {
  if (!options.configDir) return undefined;
  const cached = await routingCache.read(options.configDir, { base_url: options.baseUrl, account_id: options.accountId }, { nowMs: now });
  if (!cached?.fresh) return undefined;
  const cache = cached.entry;
  const origin = cache.routing?.origin ? acceptableOrigin(cache.routing.origin) : undefined;
  return { routing: cache.routing ? { override: cache.routing.override, ...(origin ? { origin } : {}) } : undefined };
}

/**
 * The signed-in workspace's routing (protocol §10), from the hour-long cache or one `wham/accounts/check`.
 * Never throws: personal accounts need none, and a failed discovery must not block them.
 */
export async function discoverRouting(options: DiscoverRoutingOptions): Promise<Routing | undefined> {
  const now = options.nowMs ?? Date.now();
  const cached = await readCache(options, now);
  if (cached) return cached.routing;
  const timeout = AbortSignal.timeout(DISCOVERY_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const remember = async (routing: Routing | undefined, failed: boolean) => {
    if (!options.configDir) return;
    const cache = {
      version: 1 as const,
      fetched_at_ms: now,
      base_url: options.baseUrl,
      account_id: options.accountId,
      routing: routing ? { ...routing } : null,
      ...(failed ? { failed } : {}),
    };
    // A cache that cannot be written only costs the next run a check.
    await routingCache.write(options.configDir, cache);
  };
  try {
    const { response } = await options.http.request({ method: 'GET', path: '', url: accountsCheckUrl(options.baseUrl), signal, noRefreshOn401: true });
    const routing = routingFor(await response.json(), options.accountId, options.log);
    if (routing) options.log?.(`workspace routing: ${routing.override}${routing.origin ? ` via ${routing.origin}` : ''}`);
    await remember(routing, false);
    return routing;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    options.log?.(`workspace routing unknown (${messageOf(error)}); using the default backend`);
    await remember(undefined, true);
    return undefined;
  }
}
