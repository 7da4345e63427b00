import type { ModelInfo } from '../../client/models/model-info.js';
import { assertKnownModel } from '../../client/models/suggestions.js';
import { internal } from '../../library/internal.js';
import { CodexError, UsageError } from '../../shared/errors.js';
import type { CliContext } from '../context.js';
import { openCodex } from '../open-codex.js';

/**
 * Checks a model about to be saved (`config set model`, `template set -m`, chat's `/model`) against the catalog:
 * the cached list or a live one. An unknown or retired slug is exit 2 with suggestions. When no list can be had
 * (offline, not signed in), the slug is accepted with a warning: the backend may know models we do not.
 */
export async function checkModelChoice(ctx: CliContext, slug: string, what: string): Promise<ModelInfo | undefined> {
  let note: string | undefined;
  try {
    const codex = await openCodex(ctx);
    // Not signed in: no list of this account can be had (and nothing is sent anywhere).
    await codex[internal].tokens.current();
    const result = await codex.fetchModels({ signal: AbortSignal.timeout(10_000) });
    if (result.source === 'live' || result.source === 'cache') return assertKnownModel(slug, { ...result, source: result.source });
    note = result.note;
    const known = result.models.find((model) => model.id === slug);
    if (known) return known;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (!(error instanceof CodexError) && !(error instanceof Error)) throw error;
    note = error.message;
  }
  ctx.warn(`${what}: could not check ${slug} against the model list (${note ?? 'none could be fetched'}); accepted as it is`);
  return undefined;
}
