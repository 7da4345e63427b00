// An AI SDK call's options as a CodexRequest: the prompt, tools, structured output, provider options, and a
// warning for every setting the backend cannot honour (never dropped silently).
import type { JSONSchema7, LanguageModelV4CallOptions, SharedV4Warning } from '@ai-sdk/provider';
import * as z from 'zod';
import type { CodexRequest } from '../library/codex.js';
import type { JsonSchema, JsonToolDefinition } from '../library/tool-definitions.js';
import { EFFORTS, type Effort } from '../shared/efforts.js';
import { UsageError } from '../shared/errors.js';
import { convertPrompt, PROVIDER_KEY, type PromptMessage } from './prompt.js';

/** `providerOptions.codex` of a call. */
export const CodexProviderOptionsSchema = z.object({
  /** One of the model's reasoning levels (wins over the call's `reasoning`). */
  effort: z.optional(z.enum(EFFORTS)),
  /** `text.verbosity`: low, medium or high, for models that support it. */
  verbosity: z.optional(z.enum(['low', 'medium', 'high'])),
  /** Ask for a reasoning summary (default true: it becomes the step's reasoning text). */
  reasoningSummary: z.optional(z.boolean()),
  /** The service tier: `priority` is the model's "Fast" tier (`service_tier: "priority"`); `auto`/`default` send none. */
  serviceTier: z.optional(z.enum(['auto', 'default', 'flex', 'priority'])),
  /** The "Fast" tier, as `serviceTier: "priority"`. */
  fast: z.optional(z.boolean()),
  /** Let the model search the web (`domains`: only these); the step's content gets `source` parts. */
  search: z.optional(z.union([z.boolean(), z.object({ domains: z.optional(z.array(z.string())) })])),
});
export type CodexProviderOptions = z.infer<typeof CodexProviderOptionsSchema>;

/** Settings the Codex backend refuses; they are not sent, and each one given is a warning. */
const UNSUPPORTED = ['maxOutputTokens', 'temperature', 'stopSequences', 'topP', 'topK', 'presencePenalty', 'frequencyPenalty', 'seed'] as const;

/** The spec-v4 `reasoning` levels the backend also knows (`provider-default` is the model's own). */
const REASONING_LEVELS = new Set<string>(EFFORTS);

export interface PreparedCall {
  request: CodexRequest;
  warnings: SharedV4Warning[];
}

function withoutDraftKey(schema: JSONSchema7 | undefined): JsonSchema {
  const { $schema: _drop, ...rest } = (schema ?? {}) as Record<string, unknown>;
  return rest;
}

function notRun(): never {
  throw new UsageError('the AI SDK runs the tools of a codex() model; the provider never does');
}

/** `options` as either spec version passes them (v3 has no `reasoning`). */
export function prepareCall(modelId: string, options: LanguageModelV4CallOptions): PreparedCall {
  const warnings: SharedV4Warning[] = [];
  for (const name of UNSUPPORTED) {
    if (options[name] !== undefined) warnings.push({ type: 'unsupported', feature: name, details: 'the Codex backend refuses it; it was not sent' });
  }
  const extraHeaders = Object.keys(options.headers ?? {}).filter((name) => name.toLowerCase() !== 'user-agent');
  if (extraHeaders.length > 0) warnings.push({ type: 'unsupported', feature: 'headers', details: `not sent: ${extraHeaders.join(', ')}` });

  const parsed = CodexProviderOptionsSchema.safeParse(options.providerOptions?.[PROVIDER_KEY] ?? {});
  if (!parsed.success) {
    throw new UsageError(`providerOptions.${PROVIDER_KEY}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`);
  }
  const own = parsed.data;
  if (own.serviceTier === 'flex')
    warnings.push({ type: 'unsupported', feature: 'serviceTier', details: 'flex: the Codex backend has no such tier; the default was used' });
  const fast = own.fast ?? (own.serviceTier !== undefined && own.serviceTier !== 'flex' ? own.serviceTier === 'priority' : undefined);

  let effort: Effort | undefined = own.effort;
  if (effort === undefined && options.reasoning !== undefined && options.reasoning !== 'provider-default') {
    if (REASONING_LEVELS.has(options.reasoning)) effort = options.reasoning as Effort;
    else warnings.push({ type: 'unsupported', feature: 'reasoning', details: `no reasoning level ${options.reasoning}` });
  }

  const tools: JsonToolDefinition[] = [];
  const choice = options.toolChoice?.type ?? 'auto';
  if (choice === 'required' || choice === 'tool') {
    warnings.push({ type: 'unsupported', feature: 'toolChoice', details: `${choice}: the backend takes only auto; the model decides` });
  }
  if (choice !== 'none') {
    for (const tool of options.tools ?? []) {
      if (tool.type !== 'function') {
        warnings.push({ type: 'unsupported', feature: `provider tool ${tool.name}`, details: 'only function tools are sent' });
        continue;
      }
      tools.push({
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: withoutDraftKey(tool.inputSchema),
        run: notRun,
      });
    }
  }

  let jsonSchema: JsonSchema | undefined;
  if (options.responseFormat?.type === 'json') {
    if (options.responseFormat.schema) jsonSchema = withoutDraftKey(options.responseFormat.schema);
    else warnings.push({ type: 'unsupported', feature: 'responseFormat', details: 'JSON without a schema: the answer is not constrained' });
  }

  const { instructions, input } = convertPrompt(options.prompt as unknown as PromptMessage[]);
  const request: CodexRequest = {
    model: modelId,
    input,
    reasoningSummary: own.reasoningSummary ?? true,
    ...(instructions !== undefined ? { instructions } : {}),
    ...(effort !== undefined ? { effort } : {}),
    ...(own.verbosity !== undefined ? { verbosity: own.verbosity } : {}),
    ...(fast ? { fast: true } : {}),
    ...(own.search !== undefined && own.search !== false
      ? { search: own.search === true ? true : { ...(own.search.domains ? { domains: own.search.domains } : {}) } }
      : {}),
    ...(tools.length > 0 ? { tools } : {}),
    ...(jsonSchema !== undefined ? { jsonSchema } : {}),
    ...(options.abortSignal ? { signal: options.abortSignal } : {}),
  };
  return { request, warnings };
}
