import * as z from 'zod/mini';
import { DEFAULT_CLIENT_VERSION } from '../../config/resolve.js';
import { KeyedCache } from '../../store/keyed-cache.js';

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

const MISMATCH = {
  base_url: () => 'it was written for another backend',
  client_version: (cached: string) => `it was fetched as client version ${cached}`,
  account_id: () => 'it was fetched for another account',
};

/**
 * The live list as fetched earlier, per backend, client version (the list depends on it) and account (another
 * plan, another workspace): files written before a client version was recorded stand for the default one.
 */
export const modelsCache = new KeyedCache({
  file: MODELS_CACHE_FILE,
  schema: ModelsCacheSchema,
  label: 'the model cache',
  key: ['base_url', 'client_version', 'account_id'],
  keyDefaults: { client_version: DEFAULT_CLIENT_VERSION },
  stamp: 'fetched_at_ms',
  ttlMs: MODELS_CACHE_TTL_MS,
  mismatch: (field, cached) => MISMATCH[field as keyof typeof MISMATCH](cached),
});
