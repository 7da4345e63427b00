import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { ApiError, CodexError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { readCacheFile } from '../store/json-file.js';
import type { CodexHttp } from '../transport/http.js';
import { DEFAULT_CLIENT_VERSION, DEFAULT_MODEL } from '../config.js';
import { editDistance } from '../suggest.js';
import { errnoCode, messageOf } from '../error-info.js';

/** How long a fetched list is used before asking the backend again. */
export const MODELS_CACHE_TTL_MS = 60 * 60 * 1000;
export const MODELS_CACHE_FILE = 'models-cache.json';
/** The list must arrive within this long (per attempt budget as a whole), or the fallback is used. */
export const MODELS_FETCH_TIMEOUT_MS = 10_000;

/* ---------- The live answer (protocol §8), read leniently ---------- */

const ReasoningLevelSchema = z.union([z.string(), z.looseObject({ effort: z.string(), description: z.optional(z.nullable(z.string())) })]);

export const LiveModelSchema = z.looseObject({
  slug: z.string().check(z.minLength(1)),
  display_name: z.optional(z.nullable(z.string())),
  description: z.optional(z.nullable(z.string())),
  default_reasoning_level: z.optional(z.nullable(z.string())),
  supported_reasoning_levels: z.optional(z.nullable(z.array(ReasoningLevelSchema))),
  visibility: z.optional(z.nullable(z.string())),
  priority: z.optional(z.nullable(z.number())),
  context_window: z.optional(z.nullable(z.number())),
  input_modalities: z.optional(z.nullable(z.array(z.string()))),
  supports_parallel_tool_calls: z.optional(z.nullable(z.boolean())),
  supports_reasoning_summaries: z.optional(z.nullable(z.boolean())),
  minimal_client_version: z.optional(z.nullable(z.string())),
  default_reasoning_summary: z.optional(z.nullable(z.string())),
  support_verbosity: z.optional(z.nullable(z.boolean())),
  default_verbosity: z.optional(z.nullable(z.string())),
  use_responses_lite: z.optional(z.nullable(z.boolean())),
  base_instructions: z.optional(z.nullable(z.string())),
});
export type LiveModel = z.infer<typeof LiveModelSchema>;

/** Entries are checked one by one (see liveEntries), so one odd model does not lose the whole list. */
export const ModelsResponseSchema = z.looseObject({ models: z.array(z.unknown()) });

const ModelsCacheSchema = z.looseObject({
  version: z.literal(1),
  fetched_at_ms: z.number(),
  base_url: z.string(),
  client_version: z.optional(z.string()),
  account_id: z.optional(z.string()),
  models: z.array(z.unknown()),
});
type ModelsCache = z.infer<typeof ModelsCacheSchema>;

/* ---------- The normalised model ---------- */

export interface ModelInfo {
  id: string;
  display_name: string;
  /** Tokens; null when neither the backend nor the built-in registry knows it. */
  context_window: number | null;
  reasoning_levels: string[];
  input_modalities: string[];
  /** The model `ask` uses when no `-m` is given. */
  default: boolean;
  source: 'live' | 'builtin';
  hidden: boolean;
  /** Lower comes first; the lowest listed one is the default. */
  priority: number;
  default_reasoning_level?: string;
  supports_reasoning_summaries?: boolean;
  /** `none`: no reasoning summary unless one is shown (protocol §10). */
  default_reasoning_summary?: string;
  supports_verbosity?: boolean;
  default_verbosity?: string;
  /** The catalog's `use_responses_lite`: the request goes in the "responses lite" layout. */
  responses_lite?: boolean;
}

type BuiltinModel = Omit<ModelInfo, 'default' | 'source'>;

const TO_XHIGH = ['low', 'medium', 'high', 'xhigh'];
const TO_MAX = [...TO_XHIGH, 'max'];
const TO_ULTRA = [...TO_MAX, 'ultra'];
const TEXT_IMAGE = ['text', 'image'];

function current(
  id: string,
  display_name: string,
  priority: number,
  reasoning_levels: string[],
  default_reasoning_level: string,
  extra: Partial<BuiltinModel> = {},
): BuiltinModel {
  return {
    id,
    display_name,
    context_window: 272_000,
    reasoning_levels,
    input_modalities: TEXT_IMAGE,
    hidden: false,
    priority,
    default_reasoning_level,
    default_reasoning_summary: 'none',
    supports_verbosity: true,
    default_verbosity: 'low',
    responses_lite: true,
    ...extra,
  };
}

/**
 * Used when the live catalog cannot be had: the catalog of December 2026 (protocol §10), with its priorities, so
 * the fallback default is the backend's default too. The live catalog always wins.
 */
export const BUILTIN_MODELS: readonly BuiltinModel[] = [
  current('gpt-6.1-sol', 'GPT-6.1 Sol', 1, TO_ULTRA, 'low'),
  current('gpt-6-astra', 'GPT-6 Astra', 2, TO_ULTRA, 'low'),
  current('gpt-6-sol', 'GPT-6 Sol', 3, TO_ULTRA, 'medium'),
  current('gpt-6-luna', 'GPT-6 Luna', 4, TO_MAX, 'medium'),
  current('gpt-5.6-sol', 'GPT-5.6 Sol', 5, TO_ULTRA, 'low'),
  current('gpt-6.1-terra', 'GPT-6.1 Terra', 7, TO_ULTRA, 'low', { context_window: 500_000 }),
  current('gpt-5.6-terra', 'GPT-5.6 Terra', 8, TO_ULTRA, 'medium'),
  current('gpt-5.6-luna', 'GPT-5.6 Luna', 9, TO_MAX, 'medium'),
  current('gpt-5.5', 'GPT-5.5', 13, TO_XHIGH, 'medium', { responses_lite: false }),
  current('codex-auto-review', 'Codex Auto Review', 43, TO_MAX, 'medium', { hidden: true }),
];

/** Slugs the backend no longer serves to ChatGPT accounts, with the day they went when it is known. */
export const RETIRED_MODELS: readonly { id: string; retired?: string; api?: boolean }[] = [
  { id: 'gpt-5.4', retired: '2026-08-31' },
  { id: 'gpt-5.4-mini', retired: '2026-08-31' },
  { id: 'gpt-5.3-codex', retired: '2026-06-02' },
  { id: 'gpt-5.2', retired: '2026-06-02' },
  ...['gpt-5.2-codex', 'gpt-5.1-codex-max', 'gpt-5.1-codex', 'gpt-5.1-codex-mini', 'gpt-5.1', 'gpt-5-codex', 'gpt-5', 'codex-mini-latest'].map((id) => ({ id })),
  ...['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini', 'o4-mini', 'o3', 'o3-mini'].map((id) => ({ id, api: true })),
];

/** Every reasoning level any catalog entry has offered; a model the catalog does not describe is checked against these. */
export const KNOWN_EFFORTS = ['none', 'minimal', ...TO_ULTRA] as const;

const BUILTIN_BY_ID = new Map(BUILTIN_MODELS.map((model) => [model.id, model]));
const RETIRED_BY_ID = new Map(RETIRED_MODELS.map((model) => [model.id, model]));

/** The catalog's default: the listed model with the lowest priority (protocol §10). */
export function catalogDefault(models: readonly ModelInfo[] | readonly BuiltinModel[]): string | undefined {
  return selectModels(models as readonly ModelInfo[])[0]?.id;
}

/** Marks `chosen` (or, when nothing was chosen, the catalog's default) as the default. */
function markDefault<T extends BuiltinModel>(models: readonly T[], chosen: string | undefined): (T & { default: boolean })[] {
  const id = chosen ?? catalogDefault(models as readonly BuiltinModel[] as readonly ModelInfo[]);
  return models.map((model) => ({ ...model, default: model.id === id }));
}

export function builtinModels(defaultModel?: string): ModelInfo[] {
  return markDefault(BUILTIN_MODELS.map((model) => ({ ...model, source: 'builtin' as const })), defaultModel);
}

/** The entries of a live answer (or of the cache) that pass the schema; the rest are skipped. */
export function liveEntries(models: unknown[], log?: (message: string) => void): LiveModel[] {
  const out: LiveModel[] = [];
  for (const entry of models) {
    const parsed = LiveModelSchema.safeParse(entry);
    if (parsed.success) out.push(parsed.data);
    else log?.(`skipping a model entry the client cannot read: ${JSON.stringify(entry)?.slice(0, 120)}`);
  }
  return out;
}

/** A live entry in our shape; what the backend leaves out is taken from the built-in entry of the same slug. */
export function normalizeLiveModel(model: LiveModel): Omit<ModelInfo, 'default'> {
  const known = BUILTIN_BY_ID.get(model.slug);
  const levels = model.supported_reasoning_levels?.map((level) => (typeof level === 'string' ? level : level.effort));
  const summaries = model.supports_reasoning_summaries ?? known?.supports_reasoning_summaries;
  const optional = {
    default_reasoning_level: model.default_reasoning_level ?? known?.default_reasoning_level,
    supports_reasoning_summaries: summaries,
    default_reasoning_summary: model.default_reasoning_summary ?? known?.default_reasoning_summary,
    supports_verbosity: model.support_verbosity ?? known?.supports_verbosity,
    default_verbosity: model.default_verbosity ?? known?.default_verbosity,
    responses_lite: model.use_responses_lite ?? known?.responses_lite,
  };
  return {
    id: model.slug,
    display_name: model.display_name || known?.display_name || model.slug,
    context_window: model.context_window ?? known?.context_window ?? null,
    reasoning_levels: levels ?? known?.reasoning_levels ?? [],
    input_modalities: model.input_modalities ?? known?.input_modalities ?? ['text'],
    source: 'live',
    hidden: model.visibility != null && model.visibility !== 'list',
    priority: model.priority ?? Number.MAX_SAFE_INTEGER,
    ...(Object.fromEntries(Object.entries(optional).filter(([, value]) => value != null)) as Partial<ModelInfo>),
  };
}

/** What `codex models` shows: by priority (stable for ties), hidden ones only with `all`. */
export function selectModels<T extends Pick<ModelInfo, 'hidden' | 'priority'>>(models: readonly T[], options: { all?: boolean } = {}): T[] {
  return models
    .map((model, index) => ({ model, index }))
    .filter(({ model }) => options.all === true || !model.hidden)
    .sort((a, b) => a.model.priority - b.model.priority || a.index - b.index)
    .map(({ model }) => model);
}

/* ---------- Fetching, with the cache and the fallback ---------- */

export interface FetchModelsOptions {
  /** Shares auth headers, refresh and retries with every other call (give it a small retry budget). */
  http: Pick<CodexHttp, 'request'>;
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

function cachePath(configDir: string): string {
  return join(configDir, MODELS_CACHE_FILE);
}

/** The cache, or undefined when it is missing, unreadable, for another backend or corrupt (never an error). */
export async function readModelsCache(
  configDir: string,
  baseUrl: string,
  log?: (message: string) => void,
  clientVersion: string = DEFAULT_CLIENT_VERSION,
  accountId?: string,
): Promise<ModelsCache | undefined> {
  const path = cachePath(configDir);
  const cache = await readCacheFile(path, ModelsCacheSchema, (problem) => {
    if (problem.kind !== 'unreadable') log?.(`ignoring ${path}: ${problem.kind === 'not_json' ? 'not valid JSON' : 'not a model cache'}`);
    else if (errnoCode(problem.error) !== 'ENOENT') log?.(`cannot read the model cache: ${messageOf(problem.error)}`);
  });
  if (!cache) return undefined;
  if (cache.base_url !== baseUrl) {
    log?.('ignoring the model cache: it was written for another backend');
    return undefined;
  }
  if ((cache.client_version ?? DEFAULT_CLIENT_VERSION) !== clientVersion) {
    log?.(`ignoring the model cache: it was fetched as client version ${cache.client_version}`);
    return undefined;
  }
  if (accountId !== undefined && cache.account_id !== undefined && cache.account_id !== accountId) {
    log?.('ignoring the model cache: it was fetched for another account');
    return undefined;
  }
  return cache;
}

/** Forgets the cached list (the backend refused a model it listed): the next run fetches it again. */
export async function dropModelsCache(configDir: string): Promise<void> {
  const { rm } = await import('node:fs/promises');
  await rm(cachePath(configDir), { force: true }).catch(() => undefined);
}

async function writeModelsCache(configDir: string, cache: ModelsCache, log?: (message: string) => void): Promise<void> {
  try {
    await mkdir(configDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(cachePath(configDir), `${JSON.stringify(cache)}\n`, 0o600);
  } catch (error) {
    log?.(`cannot write the model cache: ${messageOf(error)}`);
  }
}

/** One `GET {base}/models?client_version=…`: the raw entries, or a CodexError. */
export async function fetchLiveModels(
  http: Pick<CodexHttp, 'request'>,
  options: { clientVersion?: string; timeoutMs?: number } = {},
): Promise<unknown[]> {
  const timeoutMs = options.timeoutMs ?? MODELS_FETCH_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new ApiError('network', `the model list did not arrive within ${Math.round(timeoutMs / 1000)} s`)),
    timeoutMs,
  );
  try {
    const version = encodeURIComponent(options.clientVersion ?? DEFAULT_CLIENT_VERSION);
    const { response } = await http.request({ method: 'GET', path: `/models?client_version=${version}`, signal: controller.signal });
    let json: unknown;
    try {
      json = await response.json();
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason as Error;
      throw new ApiError('server_error', 'the model list is not valid JSON', { status: response.status, cause: error });
    }
    const parsed = ModelsResponseSchema.safeParse(json);
    if (!parsed.success) throw new ApiError('server_error', 'the model list has an unexpected shape', { status: response.status });
    return parsed.data.models;
  } finally {
    clearTimeout(timer);
  }
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
  const ttl = options.ttlMs ?? MODELS_CACHE_TTL_MS;
  const clientVersion = options.clientVersion ?? DEFAULT_CLIENT_VERSION;
  const { configDir, baseUrl, defaultModel, log } = options;
  const cache = configDir ? await readModelsCache(configDir, baseUrl, log, clientVersion, options.accountId) : undefined;
  const done = (result: Omit<FetchModelsResult, 'defaultModel' | 'models'>, models: Omit<ModelInfo, 'default'>[]): FetchModelsResult => {
    const marked = markDefault(models, defaultModel);
    return { ...result, models: marked, defaultModel: defaultModel ?? catalogDefault(marked) ?? DEFAULT_MODEL };
  };
  const fromCache = (entries: unknown[]) => liveEntries(entries, log).map((model) => normalizeLiveModel(model));

  // A timestamp in the future (clock changed) counts as stale.
  if (cache && cache.fetched_at_ms <= now && now - cache.fetched_at_ms < ttl) {
    log?.(`using the model list cached ${ago(now - cache.fetched_at_ms)}`);
    return done({ source: 'cache', fetchedAtMs: cache.fetched_at_ms }, fromCache(cache.models));
  }

  try {
    const entries = await fetchLiveModels(options.http, { clientVersion, timeoutMs: options.timeoutMs });
    const valid = liveEntries(entries, log);
    if (valid.length === 0) throw new ApiError('server_error', 'the backend sent an empty model list');
    if (configDir) {
      const account = options.accountId !== undefined ? { account_id: options.accountId } : {};
      await writeModelsCache(configDir, { version: 1, fetched_at_ms: now, base_url: baseUrl, client_version: clientVersion, ...account, models: valid }, log);
    }
    return done({ source: 'live', fetchedAtMs: now }, valid.map((model) => normalizeLiveModel(model)));
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

/* ---------- Slug checks and suggestions ---------- */

export { editDistance } from '../suggest.js';

const squash = (slug: string) => slug.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Slugs close to `slug`, best first: the same letters and digits ignoring case and punctuation, then slugs that
 * start with what was typed, then a small edit distance (at most 2, or a third of the length for long slugs).
 * At most `limit`.
 */
export function suggestModels(slug: string, models: readonly (ModelInfo | string)[], limit = 3): string[] {
  const wanted = slug.trim().toLowerCase();
  if (wanted === '') return [];
  const ids = [...new Set(models.map((model) => (typeof model === 'string' ? model : model.id)))];
  const maxDistance = Math.max(2, Math.floor(wanted.length / 3));
  const scored: { id: string; score: number; index: number }[] = [];
  ids.forEach((id, index) => {
    const lower = id.toLowerCase();
    let score: number;
    if (lower === wanted) score = -2;
    else if (squash(lower) === squash(wanted)) score = -1;
    else if (wanted.length >= 3 && lower.startsWith(wanted)) score = 0.5;
    else score = editDistance(wanted, lower);
    if (score <= maxDistance) scored.push({ id, score, index });
  });
  return scored
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .slice(0, limit)
    .map((entry) => entry.id);
}

/** "gpt-6.1-sol, gpt-6-astra, gpt-6-sol, …": the first listed models, for messages. */
function currentModels(result: FetchModelsResult, count = 4): string {
  const visible = selectModels(result.models);
  return `${visible.slice(0, count).map((model) => model.id).join(', ')}${visible.length > count ? ', …' : ''}`;
}

/**
 * Checks `slug` against a fetched list: the model when it is known; a UsageError (exit 2) for a retired slug
 * (with its date and the current models) or an unknown one (with close matches). When only the built-in list was
 * to be had, a slug it does not know is let through (undefined): the backend may have newer models than we know.
 */
export function assertKnownModel(slug: string, result: FetchModelsResult): ModelInfo | undefined {
  const found = result.models.find((model) => model.id === slug);
  if (found) return found;
  const retired = RETIRED_BY_ID.get(slug);
  if (retired) {
    const what = retired.api
      ? `${slug} is an API model that the Codex backend does not serve to ChatGPT accounts`
      : `${slug} was retired${retired.retired ? ` on ${retired.retired}` : ''}`;
    throw new UsageError(`model ${what}; current models: ${currentModels(result)} (\`codex models\` lists them all)`);
  }
  if (result.source === 'builtin') return undefined;
  const close = suggestModels(slug, selectModels(result.models, { all: true }));
  const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : '';
  throw new UsageError(`unknown model ${slug}${hint} (\`codex models\` lists the available ones)`);
}
