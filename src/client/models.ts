import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { ApiError, CodexError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import type { CodexHttp } from '../transport/http.js';

/**
 * The `client_version` we send to `GET {base}/models`. The backend may filter the list by client version, so
 * third-party clients send a recent official one: 0.169.0 is the official CLI (`@openai/codex`) release that
 * protocol notes were checked against (Nov 2026). Raise it when a newer official release is current.
 */
export const MODELS_CLIENT_VERSION = '0.169.0';
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
  /** Lower comes first. */
  priority: number;
  default_reasoning_level?: string;
  supports_reasoning_summaries?: boolean;
  /** Legacy built-in entries only: the model's maximum output tokens. */
  max_output_tokens?: number;
  /** Legacy API slugs that the Codex backend does not serve to ChatGPT accounts. */
  legacy?: boolean;
}

type BuiltinModel = Omit<ModelInfo, 'default' | 'source'>;

const FULL = ['low', 'medium', 'high'];
const XHIGH = [...FULL, 'xhigh'];
const TEXT_IMAGE = ['text', 'image'];
/** What the official client uses as the window of the GPT-5 family (the live list wins when it says more). */
const GPT5_CONTEXT = 272_000;

function current(id: string, display_name: string, reasoning_levels: string[], context_window = GPT5_CONTEXT): BuiltinModel {
  return { id, display_name, context_window, reasoning_levels, input_modalities: TEXT_IMAGE, hidden: false, priority: 0, supports_reasoning_summaries: true };
}

function legacy(
  id: string,
  display_name: string,
  context_window: number,
  max_output_tokens: number,
  reasoning_levels: string[],
  input_modalities = TEXT_IMAGE,
): BuiltinModel {
  return { id, display_name, context_window, max_output_tokens, reasoning_levels, input_modalities, hidden: true, priority: 0, legacy: true };
}

/**
 * Used when the live list cannot be had. The current slugs are those of protocol §8, in the order they are
 * offered; legacy API slugs stay as hidden entries so `-m gpt-4.1` gets a clear message.
 */
export const BUILTIN_MODELS: readonly BuiltinModel[] = [
  current('gpt-5.5', 'GPT-5.5', XHIGH),
  current('gpt-5.4', 'GPT-5.4', ['none', ...XHIGH]),
  current('gpt-5.4-mini', 'GPT-5.4 mini', ['none', ...XHIGH]),
  current('gpt-5.3-codex', 'GPT-5.3 Codex', XHIGH),
  current('gpt-5.2-codex', 'GPT-5.2 Codex', XHIGH),
  current('gpt-5.2', 'GPT-5.2', ['none', ...XHIGH]),
  current('gpt-5.1-codex-max', 'GPT-5.1 Codex Max', XHIGH),
  current('gpt-5.1-codex', 'GPT-5.1 Codex', FULL),
  current('gpt-5.1-codex-mini', 'GPT-5.1 Codex mini', ['medium', 'high']),
  current('gpt-5.1', 'GPT-5.1', ['none', ...FULL]),
  current('gpt-5-codex', 'GPT-5 Codex', FULL),
  current('gpt-5', 'GPT-5', ['minimal', ...FULL]),
  { ...current('codex-mini-latest', 'codex-mini-latest', FULL, 200_000), max_output_tokens: 100_000 },
  legacy('gpt-4.1', 'GPT-4.1', 1_047_576, 32_768, []),
  legacy('gpt-4.1-mini', 'GPT-4.1 mini', 1_047_576, 32_768, []),
  legacy('gpt-4.1-nano', 'GPT-4.1 nano', 1_047_576, 32_768, []),
  legacy('gpt-4o', 'GPT-4o', 128_000, 16_384, []),
  legacy('gpt-4o-mini', 'GPT-4o mini', 128_000, 16_384, []),
  legacy('o4-mini', 'o4-mini', 200_000, 100_000, FULL),
  legacy('o3', 'o3', 200_000, 100_000, FULL),
  legacy('o3-mini', 'o3-mini', 200_000, 100_000, FULL, ['text']),
].map((model, index) => ({ ...model, priority: index + 1 }));

const BUILTIN_BY_ID = new Map(BUILTIN_MODELS.map((model) => [model.id, model]));

export function builtinModels(defaultModel?: string): ModelInfo[] {
  return BUILTIN_MODELS.map((model) => ({ ...model, default: model.id === defaultModel, source: 'builtin' as const }));
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
export function normalizeLiveModel(model: LiveModel, defaultModel?: string): ModelInfo {
  const known = BUILTIN_BY_ID.get(model.slug);
  const levels = model.supported_reasoning_levels?.map((level) => (typeof level === 'string' ? level : level.effort));
  const summaries = model.supports_reasoning_summaries ?? known?.supports_reasoning_summaries;
  return {
    id: model.slug,
    display_name: model.display_name || known?.display_name || model.slug,
    context_window: model.context_window ?? known?.context_window ?? null,
    reasoning_levels: levels ?? known?.reasoning_levels ?? [],
    input_modalities: model.input_modalities ?? known?.input_modalities ?? ['text'],
    default: model.slug === defaultModel,
    source: 'live',
    hidden: model.visibility != null && model.visibility !== 'list',
    priority: model.priority ?? Number.MAX_SAFE_INTEGER,
    ...(model.default_reasoning_level ? { default_reasoning_level: model.default_reasoning_level } : {}),
    ...(summaries !== undefined ? { supports_reasoning_summaries: summaries } : {}),
  };
}

/** What `codex models` shows: by priority (stable for ties), hidden ones only with `all`. */
export function selectModels(models: readonly ModelInfo[], options: { all?: boolean } = {}): ModelInfo[] {
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
  /** Marked `default: true` (env CODEX_MODEL, config.json `model`, else DEFAULT_MODEL). */
  defaultModel?: string;
  nowMs?: number;
  ttlMs?: number;
  timeoutMs?: number;
  clientVersion?: string;
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
}

function cachePath(configDir: string): string {
  return join(configDir, MODELS_CACHE_FILE);
}

/** The cache, or undefined when it is missing, unreadable, for another backend or corrupt (never an error). */
export async function readModelsCache(configDir: string, baseUrl: string, log?: (message: string) => void): Promise<ModelsCache | undefined> {
  let text: string;
  try {
    text = await readFile(cachePath(configDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log?.(`cannot read the model cache: ${(error as Error).message}`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    log?.(`ignoring ${cachePath(configDir)}: not valid JSON`);
    return undefined;
  }
  const parsed = ModelsCacheSchema.safeParse(json);
  if (!parsed.success) {
    log?.(`ignoring ${cachePath(configDir)}: not a model cache`);
    return undefined;
  }
  if (parsed.data.base_url !== baseUrl) {
    log?.('ignoring the model cache: it was written for another backend');
    return undefined;
  }
  return parsed.data;
}

async function writeModelsCache(configDir: string, cache: ModelsCache, log?: (message: string) => void): Promise<void> {
  try {
    await mkdir(configDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(cachePath(configDir), `${JSON.stringify(cache)}\n`, 0o600);
  } catch (error) {
    log?.(`cannot write the model cache: ${(error as Error).message}`);
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
    const version = encodeURIComponent(options.clientVersion ?? MODELS_CLIENT_VERSION);
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
  const { configDir, baseUrl, defaultModel, log } = options;
  const cache = configDir ? await readModelsCache(configDir, baseUrl, log) : undefined;
  const fromCache = (entries: unknown[]) => liveEntries(entries, log).map((model) => normalizeLiveModel(model, defaultModel));

  // A timestamp in the future (clock changed) counts as stale.
  if (cache && cache.fetched_at_ms <= now && now - cache.fetched_at_ms < ttl) {
    log?.(`using the model list cached ${ago(now - cache.fetched_at_ms)}`);
    return { models: fromCache(cache.models), source: 'cache', fetchedAtMs: cache.fetched_at_ms };
  }

  try {
    const entries = await fetchLiveModels(options.http, { clientVersion: options.clientVersion, timeoutMs: options.timeoutMs });
    const valid = liveEntries(entries, log);
    if (valid.length === 0) throw new ApiError('server_error', 'the backend sent an empty model list');
    if (configDir) {
      await writeModelsCache(
        configDir,
        { version: 1, fetched_at_ms: now, base_url: baseUrl, client_version: options.clientVersion ?? MODELS_CLIENT_VERSION, models: valid },
        log,
      );
    }
    return { models: valid.map((model) => normalizeLiveModel(model, defaultModel)), source: 'live', fetchedAtMs: now };
  } catch (error) {
    // Any failure (not logged in, refresh refused, network, 5xx, odd answer) falls back; never an error.
    const reason = oneLine(error instanceof CodexError ? error.message : String((error as Error)?.message ?? error));
    if (cache) {
      const models = fromCache(cache.models);
      if (models.length > 0) {
        return {
          models,
          source: 'cache',
          fetchedAtMs: cache.fetched_at_ms,
          note: `showing the model list fetched ${ago(now - cache.fetched_at_ms)}; a fresh one could not be fetched: ${reason}`,
        };
      }
    }
    return { models: builtinModels(defaultModel), source: 'builtin', note: `showing the built-in model list; the live one could not be fetched: ${reason}` };
  }
}

/* ---------- Slug checks and suggestions ---------- */

/** Edit distance: insert, delete, substitute, or swap two neighbouring characters, 1 each (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row[j] = best;
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

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

/**
 * Checks `slug` against a fetched list: the model when it is known, undefined when the check is skipped (only
 * the built-in list was available), and a UsageError (exit 2) naming close matches when it is unknown.
 */
export function assertKnownModel(slug: string, result: FetchModelsResult): ModelInfo | undefined {
  if (result.source === 'builtin') return undefined;
  const found = result.models.find((model) => model.id === slug);
  if (found) return found;
  const visible = selectModels(result.models);
  const legacyEntry = BUILTIN_BY_ID.get(slug);
  if (legacyEntry?.legacy) {
    const instead = visible.find((model) => model.default) ?? visible[0];
    throw new UsageError(
      `model ${slug} is an API model that the Codex backend does not serve to ChatGPT accounts${instead ? `; try ${instead.id}` : ''} (\`codex models\` lists the available ones)`,
    );
  }
  const close = suggestModels(slug, selectModels(result.models, { all: true }));
  const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : '';
  throw new UsageError(`unknown model ${slug}${hint} (\`codex models\` lists the available ones)`);
}

/**
 * For `ask -m SLUG`: fetches the list (cached for an hour) and checks the slug against it. Returns the model's
 * details when known; undefined when the check was skipped because the list could not be fetched and no cache
 * exists; throws UsageError (exit 2) listing close matches for an unknown slug.
 */
export async function checkModelSlug(slug: string, options: FetchModelsOptions): Promise<ModelInfo | undefined> {
  const result = await fetchModels(options);
  if (result.note) options.log?.(result.note);
  return assertKnownModel(slug, result);
}
