// Request planning: a facade request checked and turned into the client's request, with the model settings
// chosen from the catalog, the tools normalized, images read, and a conversation's history put before it.
import { imageUrlFor } from '../client/images.js';
import type { AskRequest } from '../client/request.js';
import { settingsFor } from '../client/settings.js';
import { searchOptions } from '../client/web-search.js';
import { UsageError } from '../shared/errors.js';
import type { Parts } from './assembly.js';
import type { Catalog } from './catalog.js';
import type { PlannedRequest, PlanOptions } from './internal.js';
import type { CodexRequest } from './types.js';

/**
 * Responses Lite takes only inline images (protocol §11): remote ones of the request (and of the earlier turns
 * a conversation sends back) are fetched, once each, and sent as data: URLs.
 */
async function inlineImages(ask: AskRequest, signal: AbortSignal | undefined): Promise<void> {
  const remote = /^https?:\/\//i;
  if (!(ask.images ?? []).some((url) => remote.test(url)) && !/"image_url":"https?:/i.test(JSON.stringify(ask.input ?? []))) return;
  const { fetchImageAsDataUrl, inlineRemoteImages } = await import('../client/remote-image.js');
  const fetched = new Map<string, Promise<string>>();
  const fetchImage = (url: string) => {
    const known = fetched.get(url);
    if (known) return known;
    const pending = fetchImageAsDataUrl(url, signal ? { signal } : {});
    fetched.set(url, pending);
    return pending;
  };
  if (ask.images) ask.images = await Promise.all(ask.images.map((url) => (remote.test(url) ? fetchImage(url) : url)));
  if (ask.input) ask.input = await inlineRemoteImages(ask.input, fetchImage);
}

/**
 * The core request (without tool specs) and the tools, checked; model settings from the catalog (the first call
 * fetches it, and looks up the workspace routing beside it). `sources` names where the settings came from in the
 * errors that refuse them; `streaming` asks for a reasoning summary unless the request says otherwise; a
 * `conversation` puts the earlier turns that fit before the request.
 */
export async function planRequest(parts: Parts, catalog: Catalog, request: CodexRequest, options: PlanOptions = {}): Promise<PlannedRequest> {
  const { streaming = false, sources = {}, conversation } = options;
  if (request === null || typeof request !== 'object') throw new UsageError('a request object is needed');
  const hasPrompt = typeof request.prompt === 'string' && request.prompt.trim() !== '';
  const hasInput = Array.isArray(request.input) && request.input.length > 0;
  if (!hasPrompt && !hasInput) throw new UsageError('the request needs a prompt or input');
  if (request.maxTurns !== undefined && !(Number.isInteger(request.maxTurns) && request.maxTurns >= 1)) {
    throw new UsageError('maxTurns must be a whole number ≥ 1');
  }
  // Loaded only for a request with tools or a schema: it brings zod's JSON Schema conversion.
  const definitions = request.tools !== undefined || request.jsonSchema !== undefined ? await import('./tool-definitions.js') : undefined;
  const tools = definitions ? (request.tools ?? []).map(definitions.normalizeTool) : [];
  const names = new Set<string>();
  for (const tool of tools) {
    if (names.has(tool.name)) throw new UsageError(`two tools are named ${tool.name}`);
    names.add(tool.name);
  }
  let images: string[] | undefined;
  if (request.images && request.images.length > 0) {
    images = await Promise.all(request.images.map((source) => imageUrlFor(source)));
  }
  const models = await catalog.current();
  const chosen = request.model ?? parts.options.model;
  const settings = settingsFor(
    { ...models, source: models.source === 'registry' ? 'builtin' : models.source },
    {
      ...(chosen !== undefined ? { model: chosen, ...(sources.model !== undefined ? { modelSource: sources.model } : {}) } : {}),
      ...(request.effort !== undefined ? { effort: request.effort } : {}),
      ...(request.verbosity !== undefined ? { verbosity: request.verbosity, ...(sources.verbosity !== undefined ? { verbositySource: sources.verbosity } : {}) } : {}),
      ...(request.fast === true ? { fast: true, ...(sources.fast !== undefined ? { fastSource: sources.fast } : {}) } : {}),
      showReasoning: request.reasoningSummary ?? streaming,
      layout: parts.options.responsesLayout ?? 'auto',
      effortSource: sources.effort ?? 'effort',
    },
  );
  const ask: AskRequest = {
    model: settings.model!,
    ...(settings.effort ? { effort: settings.effort } : {}),
    ...(settings.verbosity ? { verbosity: settings.verbosity } : {}),
    ...(settings.reasoningSummary && request.reasoningSummary !== false ? { reasoningSummary: settings.reasoningSummary } : {}),
    ...(settings.layout ? { layout: settings.layout } : {}),
    ...(settings.serviceTier ? { serviceTier: settings.serviceTier } : {}),
    ...(hasPrompt ? { prompt: request.prompt } : {}),
    ...(hasInput ? { input: request.input } : {}),
    ...(images ? { images } : {}),
    ...(request.instructions !== undefined ? { instructions: request.instructions } : {}),
    ...(request.defaultInstructions === false ? { defaultInstructions: false } : {}),
    ...(request.toolChoice !== undefined && request.toolChoice !== 'auto' ? { toolChoice: request.toolChoice } : {}),
    ...(request.promptCacheKey ? { promptCacheKey: request.promptCacheKey } : {}),
    ...(request.jsonSchema !== undefined ? { jsonSchema: definitions!.toJsonSchema(request.jsonSchema, 'jsonSchema') } : {}),
    ...(request.search ? { search: searchOptions(request.search) } : {}),
  };
  if (typeof ask.toolChoice === 'object' && ask.layout === 'lite') {
    throw new UsageError(
      `tool_choice naming a function is not supported with ${ask.model}: its responses-lite layout sends no top-level tools, where the backend looks the name up (use "required", or a classic-layout model)`,
    );
  }
  if (conversation) {
    const newBytes = Buffer.byteLength(JSON.stringify([ask.prompt ?? '', ask.input ?? [], ask.images ?? [], ask.instructions ?? '']));
    const history = conversation.history(settings.info?.context_window, newBytes);
    if (history.length > 0) ask.input = [...history, ...(ask.input ?? [])];
    ask.promptCacheKey = conversation.promptCacheKey;
  }
  if (ask.layout === 'lite') await inlineImages(ask, request.signal);
  return { ask, tools, ...(settings.info ? { info: settings.info } : {}) };
}
