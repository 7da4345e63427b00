// Checking a chosen slug against a fetched list, with did-you-mean suggestions.

import { UsageError } from '../../shared/errors.js';
import { editDistance } from '../../shared/suggest.js';
import type { FetchModelsResult } from './fetch.js';
import { type ModelInfo, selectModels } from './model-info.js';
import { retiredModel } from './registry.js';

const squash = (slug: string) => slug.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Suggestions are looked for only for names up to this long (slugs are far shorter): the edit distance costs the
 * product of the two lengths, and a server must not spend seconds and gigabytes on a megabyte-long name.
 */
export const SUGGEST_MAX_LENGTH = 64;

/** A name as a message shows it: cut after SUGGEST_MAX_LENGTH characters. */
const shown = (slug: string) => (slug.length > SUGGEST_MAX_LENGTH ? `${slug.slice(0, SUGGEST_MAX_LENGTH)}… (${slug.length} characters)` : slug);

/**
 * Slugs close to `slug`, best first: the same letters and digits ignoring case and punctuation, then slugs that
 * start with what was typed, then a small edit distance (at most 2, or a third of the length for long slugs).
 * At most `limit`; none for a name over SUGGEST_MAX_LENGTH.
 */
export function suggestModels(slug: string, models: readonly (ModelInfo | string)[], limit = 3): string[] {
  const wanted = slug.trim().toLowerCase();
  if (wanted === '' || wanted.length > SUGGEST_MAX_LENGTH) return [];
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

/** "gpt-6.2-sol, gpt-6.2-astra, gpt-6.1-terra, …": the first listed models, for messages. */
function currentModels(result: FetchModelsResult, count = 4): string {
  const visible = selectModels(result.models);
  return `${visible
    .slice(0, count)
    .map((model) => model.id)
    .join(', ')}${visible.length > count ? ', …' : ''}`;
}

/**
 * Checks `slug` against a fetched list: the model when it is known; a UsageError (exit 2) for a retired slug
 * (with its date and the current models) or an unknown one (with close matches). When only the built-in list was
 * to be had, a slug it does not know is let through (undefined): the backend may have newer models than we know.
 */
export function assertKnownModel(slug: string, result: FetchModelsResult): ModelInfo | undefined {
  const found = result.models.find((model) => model.id === slug);
  if (found) return found;
  const retired = retiredModel(slug);
  if (retired) {
    const what = retired.api
      ? `${slug} is an API model that the Codex backend does not serve to ChatGPT accounts`
      : `${slug} was retired${retired.retired ? ` on ${retired.retired}` : ''}`;
    throw new UsageError(`model ${what}; current models: ${currentModels(result)} (\`codex models\` lists them all)`);
  }
  if (result.source === 'builtin') return undefined;
  const close = suggestModels(slug, selectModels(result.models, { all: true }));
  const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : '';
  throw new UsageError(`unknown model ${shown(slug)}${hint} (\`codex models\` lists the available ones)`);
}
