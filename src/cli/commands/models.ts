import { type ModelInfo, selectModels } from '../../client/models/model-info.js';
import type { CliContext } from '../context.js';
import { openCodex } from '../open-codex.js';
import { writeOut } from '../render/write-out.js';

export interface ModelsOptions {
  json?: boolean;
  all?: boolean;
}

export async function runModels(ctx: CliContext, options: ModelsOptions): Promise<void> {
  const chosen = ctx.chosenModel();
  const codex = await openCodex(ctx, chosen !== undefined ? { model: chosen } : {});
  const result = await codex.fetchModels();
  if (result.note) ctx.warn(result.note);
  const models = selectModels(result.models, { all: options.all === true });

  let text: string;
  if (options.json === true) text = models.length === 0 ? '[]\n' : `[\n${models.map((model) => `  ${JSON.stringify(toJson(model))}`).join(',\n')}\n]\n`;
  else if (ctx.stdout.isTTY) text = formatModelsTable(models, { all: options.all === true });
  else text = models.map((model) => `${model.id}\n`).join('');
  await writeOut(ctx.stdout, text);
}

/** The contract's `--json` shape. */
export function toJson(model: ModelInfo) {
  return {
    id: model.id,
    display_name: model.display_name,
    context_window: model.context_window,
    reasoning_levels: model.reasoning_levels,
    input_modalities: model.input_modalities,
    default: model.default,
    source: model.source,
  };
}

/** 272000 → "272K", 1047576 → "1M"; unknown → "?". */
export function formatContext(tokens: number | null): string {
  if (tokens === null) return '?';
  if (tokens >= 1_000_000) return `${Number((tokens / 1_000_000).toFixed(1))}M`;
  if (tokens >= 1_000) return `${Math.round(tokens / 1_000)}K`;
  return String(tokens);
}

/** The table shown on a TTY: default marker, slug, name, context, reasoning levels (and hidden ones marked). */
export function formatModelsTable(models: readonly ModelInfo[], options: { all?: boolean } = {}): string {
  const rows = models.map((model) => [
    model.default ? '*' : ' ',
    model.id,
    model.display_name,
    formatContext(model.context_window),
    model.reasoning_levels.length > 0 ? model.reasoning_levels.join(',') : '-',
    ...(options.all ? [model.hidden ? 'hidden' : ''] : []),
  ]);
  const header = [' ', 'MODEL', 'NAME', 'CONTEXT', 'REASONING', ...(options.all ? ['VISIBILITY'] : [])];
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  const footer = models.some((model) => model.default) ? '\n* default (the catalog\'s top model unless -m, CODEX_MODEL or config.json "model" chooses)\n' : '';
  return `${all.map(line).join('\n')}\n${footer}`;
}
