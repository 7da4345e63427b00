// One JSON cache file in a folder: an entry written for one key (a backend, an account, a client version, a
// registry) and read back only for the same key, fresh for a TTL after its time stamp. Checked with its schema;
// written atomically (0600, the folder 0700). A cache only saves a request: a file that cannot be read or
// written costs the next run that request, never an error.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type * as z from 'zod/mini';
import { errnoCode, messageOf } from '../shared/error-info.js';
import { writeFileAtomic } from './atomic-write.js';
import { readCacheFile } from './json-file.js';

type Entry = Record<string, unknown> & { version: 1 };

export interface KeyedCacheSpec<T extends Entry> {
  /** The file's name in the folder. */
  file: string;
  /** The whole file: `version: 1`, the key fields, the time stamp and what is kept. */
  schema: z.ZodMiniType<T>;
  /** What diagnostics call it (`the model cache`). */
  label: string;
  /** The fields that must match the key asked for; one missing on either side is not compared. */
  key: readonly string[];
  /** The value a file written before a key field existed stands for. */
  keyDefaults?: Record<string, string>;
  /** When the entry was written (unix ms); without it an entry never goes stale. */
  stamp?: string;
  /** How long an entry is fresh (per entry: a failed lookup may be kept a shorter time). */
  ttlMs?: number | ((entry: T) => number);
  /** Why an entry of another key is ignored, for diagnostics (default: the field's name). */
  mismatch?: (field: string, cached: string) => string;
}

export interface CacheOptions {
  /** Diagnostics: why an entry was ignored, or could not be written. */
  log?: (message: string) => void;
  nowMs?: number;
  /** Instead of the spec's TTL (0: never fresh). */
  ttlMs?: number;
}

export interface CachedEntry<T> {
  entry: T;
  /** Within the TTL (a time stamp in the future, after a clock change, is stale). */
  fresh: boolean;
  /** Since the time stamp (0 without one). */
  ageMs: number;
}

export class KeyedCache<T extends Entry> {
  constructor(private readonly spec: KeyedCacheSpec<T>) {}

  path(dir: string): string {
    return join(dir, this.spec.file);
  }

  /** The entry for this key, fresh or stale, or undefined (no file, unreadable, corrupt, another key's). */
  async read(dir: string, key: Record<string, string | undefined>, options: CacheOptions = {}): Promise<CachedEntry<T> | undefined> {
    const { spec } = this;
    const { log } = options;
    const path = this.path(dir);
    const entry = await readCacheFile(path, spec.schema, (problem) => {
      if (problem.kind !== 'unreadable') log?.(`ignoring ${path}: ${problem.kind === 'not_json' ? 'not valid JSON' : `not a ${spec.label.replace(/^the /, '')}`}`);
      else if (errnoCode(problem.error) !== 'ENOENT') log?.(`cannot read ${spec.label}: ${messageOf(problem.error)}`);
    });
    if (!entry) return undefined;
    for (const field of spec.key) {
      const wanted = key[field];
      const cached = (entry[field] as string | undefined) ?? spec.keyDefaults?.[field];
      if (wanted !== undefined && cached !== undefined && cached !== wanted) {
        log?.(`ignoring ${spec.label}: ${spec.mismatch?.(field, cached) ?? `it was written for another ${field}`}`);
        return undefined;
      }
    }
    if (spec.stamp === undefined) return { entry, fresh: true, ageMs: 0 };
    const now = options.nowMs ?? Date.now();
    const at = entry[spec.stamp] as number;
    const ttl = options.ttlMs ?? (typeof spec.ttlMs === 'function' ? spec.ttlMs(entry) : (spec.ttlMs ?? Number.POSITIVE_INFINITY));
    return { entry, fresh: at <= now && now - at < ttl, ageMs: now - at };
  }

  /** Best effort: a folder that cannot be written is told to `log` and otherwise ignored. */
  async write(dir: string, entry: T, options: Pick<CacheOptions, 'log'> = {}): Promise<void> {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.path(dir), `${JSON.stringify(entry)}\n`, 0o600);
    } catch (error) {
      options.log?.(`cannot write ${this.spec.label}: ${messageOf(error)}`);
    }
  }

  /** Forgets the entry (the next run asks again). */
  async drop(dir: string): Promise<void> {
    await rm(this.path(dir), { force: true }).catch(() => undefined);
  }
}
