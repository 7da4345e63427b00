import { DEFAULT_CLIENT_VERSION, DEFAULT_MODEL } from '../../config/resolve.js';
import { messageOf } from '../../shared/error-info.js';
import { ApiError, CodexError } from '../../shared/errors.js';
import type { BackendHttp } from '../../transport/backend-http.js';
import { readJson, withDeadline } from '../../transport/read-json.js';
import { modelsCache } from './cache.js';
import { liveEntries, ModelsResponseSchema, normalizeLiveModel } from './live-list.js';
import { catalogDefault, type ModelInfo, markDefault } from './model-info.js';
import { BUILTIN_MODELS } from './registry.js';

/** The list must arrive within this long (per attempt budget as a whole), or the fallback is used. */
export const MODELS_FETCH_TIMEOUT_MS = 10_000;

export interface FetchModelsOptions {
  /** Shares auth headers, refresh and retries with every other call (give it a small retry budget). */
  http: Pick<BackendHttp, 'request'>;
  /** Where `models-cache.json` lives; no cache when absent. */
  configDir?: string;
  /** The backend base URL; a cache written for another backend is not used. */
  baseUrl: string;
  /** The model someone chose (flag, env CODEX_MODEL, config.json `model`): marked `default: true`; else the catalog's default. */
  defaultModel?: string;
  nowMs?: number;
  ttlMs?: number;
  timeoutMs?: number;
  clientVersion?: string;
  /** The signed-in account: another account's cached list (another plan, another workspace) is not used. */
  accountId?: string;
  log?: (message: string) => void;
}

export interface FetchModelsResult {
  /** Every model known (hidden ones too), in the order received; selectModels() sorts and filters. */
  models: ModelInfo[];
  /** `cache`: the live list as fetched earlier (fresh, or stale when the backend could not be reached). */
  source: 'live' | 'cache' | 'builtin';
  fetchedAtMs?: number;
  /** One line for stderr when a fallback was used. */
  note?: string;
  /** The model used when none is chosen: the chosen one, else the catalog's top listed model. */
  defaultModel: string;
}

/** One `GET {base}/models?client_version=…`: the raw entries, or a CodexError. */
export async function fetchLiveModels(http: Pick<BackendHttp, 'request'>, options: { clientVersion?: string; timeoutMs?: number } = {}): Promise<unknown[]> {
  const what = 'the model list';
  const signal = withDeadline(undefined, options.timeoutMs ?? MODELS_FETCH_TIMEOUT_MS, what);
  const version = encodeURIComponent(options.clientVersion ?? DEFAULT_CLIENT_VERSION);
  const { response } = await http.request({ method: 'GET', path: `/models?client_version=${version}`, signal });
  const parsed = ModelsResponseSchema.safeParse(await readJson(response, what, signal));
  if (!parsed.success) throw new ApiError('server_error', 'the model list has an unexpected shape', { status: response.status });
  return parsed.data.models;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function ago(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/**
 * The model list: the cached live list while it is fresh, else the live list (then cached); when that fails,
 * the stale cache or the built-in registry, with a note saying why. Never throws for a failed fetch.
 */
export async function fetchModels(options: FetchModelsOptions): Promise<FetchModelsResult> {
  const now = options.nowMs ?? Date.now();
  const clientVersion = options.clientVersion ?? DEFAULT_CLIENT_VERSION;
  const { configDir, baseUrl, defaultModel, log } = options;
  const cached = configDir
    ? await modelsCache.read(
        configDir,
        { base_url: baseUrl, client_version: clientVersion, ...(options.accountId !== undefined ? { account_id: options.accountId } : {}) },
        { nowMs: now, ...(options.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {}), ...(log ? { log } : {}) },
      )
    : undefined;
  const cache = cached?.entry;
  const done = (result: Omit<FetchModelsResult, 'defaultModel' | 'models'>, models: Omit<ModelInfo, 'default'>[]): FetchModelsResult => {
    const marked = markDefault(models, defaultModel);
    return { ...result, models: marked, defaultModel: defaultModel ?? catalogDefault(marked) ?? DEFAULT_MODEL };
  };
  const fromCache = (entries: unknown[]) => liveEntries(entries, log).map((model) => normalizeLiveModel(model));

  // A timestamp in the future (clock changed) counts as stale.
  if (cache && cached.fresh) {
    log?.(`using the model list cached ${ago(now - cache.fetched_at_ms)}`);
    return done({ source: 'cache', fetchedAtMs: cache.fetched_at_ms }, fromCache(cache.models));
  }

  try {
    const entries = await fetchLiveModels(options.http, { clientVersion, timeoutMs: options.timeoutMs });
    const valid = liveEntries(entries, log);
    if (valid.length === 0) throw new ApiError('server_error', 'the backend sent an empty model list');
    if (configDir) {
      const account = options.accountId !== undefined ? { account_id: options.accountId } : {};
      await modelsCache.write(
        configDir,
        { version: 1, fetched_at_ms: now, base_url: baseUrl, client_version: clientVersion, ...account, models: valid },
        log ? { log } : {},
      );
    }
    return done(
      { source: 'live', fetchedAtMs: now },
      valid.map((model) => normalizeLiveModel(model)),
    );
  } catch (error) {
    // Any failure (not logged in, refresh refused, network, 5xx, odd answer) falls back; never an error.
    const reason = oneLine(error instanceof CodexError ? error.message : messageOf(error));
    if (cache) {
      const models = fromCache(cache.models);
      if (models.length > 0) {
        return done(
          {
            source: 'cache',
            fetchedAtMs: cache.fetched_at_ms,
            note: `showing the model list fetched ${ago(now - cache.fetched_at_ms)}; a fresh one could not be fetched: ${reason}`,
          },
          models,
        );
      }
    }
    return done(
      { source: 'builtin', note: `showing the built-in model list; the live one could not be fetched: ${reason}` },
      BUILTIN_MODELS.map((model) => ({ ...model, source: 'builtin' as const })),
    );
  }
}
