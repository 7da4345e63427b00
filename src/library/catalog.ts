// The model catalog of one transport: the live list (cached in the config dir), its fallbacks (the `models`
// option, the built-in registry), kept in memory for the TTL; and the workspace routing looked up beside it.
import { MODELS_CACHE_TTL_MS, modelsCache } from '../client/models/cache.js';
import { fetchModels } from '../client/models/fetch.js';
import { type ModelInfo, selectModels } from '../client/models/model-info.js';
import { builtinModels } from '../client/models/registry.js';
import { discoverRouting } from '../client/routing.js';
import { DEFAULT_MODEL } from '../config/resolve.js';
import { abortError } from '../shared/errors.js';
import { signalOf } from '../shared/signals.js';
import type { Parts } from './assembly.js';
import type { ModelSpec, ModelsResult } from './types.js';

function registryModels(specs: readonly ModelSpec[], defaultModel: string): ModelInfo[] {
  const builtin = new Map(builtinModels(defaultModel).map((model) => [model.id, model]));
  return specs.map((spec, index): ModelInfo => {
    const given = typeof spec === 'string' ? { id: spec } : spec;
    const known = builtin.get(given.id);
    return {
      display_name: given.id,
      context_window: null,
      reasoning_levels: [],
      input_modalities: ['text'],
      hidden: false,
      ...known,
      ...given,
      priority: given.priority ?? index + 1,
      default: given.default ?? given.id === defaultModel,
      source: 'builtin',
    };
  });
}

export class Catalog {
  private kept?: Promise<ModelsResult>;
  private keptAtMs = 0;
  private routingLookup?: Promise<void>;

  constructor(private readonly parts: Parts) {}

  /**
   * The live list (cached for an hour in the config dir), else the stale cache, else the `models` registry or the
   * built-in one. Never throws for a failed fetch; a failing `onAuthRefresh` is still thrown.
   */
  async fetch(options: { signal?: AbortSignal; fresh?: boolean } = {}): Promise<ModelsResult> {
    const { parts } = this;
    const { options: given, host } = parts;
    const http = parts.sideHttp();
    const signal = signalOf(given.signal, options.signal);
    const failures = parts.seen.callbackFailures;
    let callbackError: unknown;
    // The cache is per account; no refresh just to learn which (the fetch refreshes when it must), and no read
    // of the file when a call has just read it.
    const accountId =
      parts.seen.accountId ??
      (await parts.tokens.current().then(
        (credentials) => credentials.account_id,
        () => undefined,
      ));
    const result = await fetchModels({
      ...(accountId !== undefined ? { accountId } : {}),
      http: {
        request: async (request, onRetry) => {
          try {
            return await http.request({ ...request, signal: signalOf(request.signal, signal) }, onRetry);
          } catch (error) {
            if (parts.seen.callbackFailures !== failures) callbackError ??= error;
            throw error;
          }
        },
      },
      baseUrl: parts.baseUrl,
      clientVersion: parts.clientVersion,
      ...(options.fresh ? { ttlMs: 0 } : {}),
      ...(given.model ? { defaultModel: given.model } : {}),
      ...(host.configDir ? { configDir: host.configDir } : {}),
      ...(given.log ? { log: given.log } : {}),
    });
    if (callbackError !== undefined) throw callbackError;
    if (signal?.aborted) throw abortError(signal);
    if (result.source === 'builtin' && given.models) {
      const models = registryModels(given.models, parts.model);
      return {
        ...result,
        models,
        source: 'registry',
        note: result.note?.replace('built-in', 'given'),
        defaultModel: given.model ?? selectModels(models)[0]?.id ?? DEFAULT_MODEL,
      };
    }
    return result;
  }

  /**
   * The catalog for a request: kept for an hour; a fallback (built-in or the `models` option) is not kept, so the
   * next request tries the live list again. The workspace routing is looked up beside it, the first time.
   */
  async current(): Promise<ModelsResult> {
    const now = Date.now();
    if (!this.kept || now - this.keptAtMs >= MODELS_CACHE_TTL_MS) {
      this.keptAtMs = now;
      this.kept = Promise.all([this.fetch(), this.routing()]).then(([catalog]) => catalog);
    }
    try {
      const catalog = await this.kept;
      if (catalog.source === 'builtin' || catalog.source === 'registry') this.kept = undefined;
      return catalog;
    } catch (error) {
      this.kept = undefined;
      throw error;
    }
  }

  /** Forgets the catalog, kept and cached (the backend refused a model it listed). */
  async forget(): Promise<void> {
    this.kept = undefined;
    if (this.parts.host.configDir) await modelsCache.drop(this.parts.host.configDir);
  }

  private routing(): Promise<void> {
    const { parts } = this;
    this.routingLookup ??= (async () => {
      const credentials = await parts.tokens.valid();
      // Kept per profile: each profile's account has its own workspace.
      const cacheDir = parts.host.authDir ?? parts.host.configDir;
      const routing = await discoverRouting({
        http: parts.sideHttp(),
        baseUrl: parts.baseUrl,
        accountId: credentials.account_id,
        ...(cacheDir ? { configDir: cacheDir } : {}),
        ...(parts.options.log ? { log: parts.options.log } : {}),
      });
      if (routing) parts.client.useRouting(routing);
    })().catch(() => undefined);
    return this.routingLookup;
  }
}
