import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { DEFAULT_CLIENT_VERSION } from '../../config/resolve.js';
import { errnoCode, messageOf } from '../../shared/error-info.js';
import { writeFileAtomic } from '../../store/atomic-write.js';
import { readCacheFile } from '../../store/json-file.js';

/** How long a fetched list is used before asking the backend again. */
export const MODELS_CACHE_TTL_MS = 60 * 60 * 1000;
export const MODELS_CACHE_FILE = 'models-cache.json';
const ModelsCacheSchema = z.looseObject({
  version: z.literal(1),
  fetched_at_ms: z.number(),
  base_url: z.string(),
  client_version: z.optional(z.string()),
  account_id: z.optional(z.string()),
  models: z.array(z.unknown()),
});
export type ModelsCache = z.infer<typeof ModelsCacheSchema>;

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

export async function writeModelsCache(configDir: string, cache: ModelsCache, log?: (message: string) => void): Promise<void> {
  try {
    await mkdir(configDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(cachePath(configDir), `${JSON.stringify(cache)}\n`, 0o600);
  } catch (error) {
    log?.(`cannot write the model cache: ${messageOf(error)}`);
  }
}
