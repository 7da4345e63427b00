/** The Responses request body (protocol §5, §10). */
import { type TextPiece, withTextPieces } from './text-pieces.js';

export const DEFAULT_INSTRUCTIONS = 'You are a helpful assistant answering from a command line. Answer directly; use Markdown only where it helps.';

/** Sent with the "responses lite" layout (protocol §10). */
export const RESPONSES_LITE_HEADER = 'x-openai-internal-codex-responses-lite';

export type InputContent =
  | { type: 'input_text'; text: string }
  /** An earlier answer, in an assistant message replayed from a conversation. */
  | { type: 'output_text'; text: string }
  | { type: 'input_image'; image_url: string; detail?: 'high' | 'low' | 'auto' };

export type InputItem =
  | { type: 'message'; role: 'user' | 'developer' | 'assistant'; content: InputContent[]; phase?: 'commentary' | 'final_answer' }
  | { type: 'function_call'; call_id: string; name: string; namespace?: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string }
  | ({ type: 'reasoning' } & Record<string, unknown>);

export interface FunctionToolSpec {
  type: 'function';
  name: string;
  /** Lite: the namespace of `additional_tools` it goes in (default `functions`); not sent on classic. */
  namespace?: string;
  description?: string;
  strict: boolean;
  parameters: Record<string, unknown>;
}

export interface AskRequest {
  model: string;
  /**
   * The system prompt; a short default when omitted (third-party clients without one were refused). Classic: the
   * top-level `instructions`; lite: a leading developer message.
   */
  instructions?: string;
  /** A user prompt, appended as a user message after `input`. */
  prompt?: string;
  /** Image URLs (https or data:; only data: with the lite layout) sent with the prompt, before its text. */
  images?: string[];
  input?: InputItem[];
  /** Default: the model's `default_reasoning_level` (the backend's own default when unknown). */
  effort?: string;
  /** `true` or a mode (`auto`, `concise`, `detailed`): ask for a reasoning summary. Default: none. */
  reasoningSummary?: boolean | string;
  /** `text.verbosity`, for models that support it. */
  verbosity?: string;
  tools?: FunctionToolSpec[];
  /** Structured output: a JSON Schema the answer must follow. */
  jsonSchema?: Record<string, unknown>;
  /** `lite`: the "responses lite" layout of catalog models with `use_responses_lite` (default classic). */
  layout?: 'classic' | 'lite';
  /** `prompt_cache_key` (default: the session id): a conversation keeps one across its turns. */
  promptCacheKey?: string;
  /** `service_tier`: `priority` is the catalog's "Fast" tier (`--fast`); absent, the backend's default tier. */
  serviceTier?: string;
  /** `false`: no system prompt at all when `instructions` is empty (a proxy whose client sent none). */
  defaultInstructions?: boolean;
  /** `tool_choice` (default `auto`): `required`, or one function by name. */
  toolChoice?: ToolChoice;
  /** Offer web search (`--search`): the hosted tool on classic models, `web.run` served by the client on lite ones. */
  search?: WebSearchOptions;
  /**
   * Tools besides the functions, as the backend takes them: hosted tools (`{type:"web_search"}`, `{type:"image_generation"}`) at the top level
   * (classic), or namespaces beside `functions` in the `additional_tools` item (lite). Set by the client.
   */
  extraTools?: Record<string, unknown>[];
}

export interface WebSearchOptions {
  /** Only these domains (and their subdomains) are searched and opened. */
  domains?: string[];
}

export type ToolChoice = 'auto' | 'required' | { type: 'function'; name: string };

/** The text items that frame the n-th image of a message (1-based), as the official client frames them (protocol §11). */
export function imageOpenTag(n: number): string {
  return `<image name=[Image #${n}]>`;
}
export const IMAGE_CLOSE_TAG = '</image>';

/** Whether `text` is an image's opening frame (imageOpenTag; further attributes allowed). */
export function isImageOpenTag(text: string): boolean {
  return /^<image name=\[Image #\d+\][^>]*>$/.test(text);
}

/**
 * The user message: each image framed by `<image name=[Image #n]>` … `</image>` text items, then the text, as the
 * official client sends them (protocol §11). Classic models get `detail: "high"`; Responses Lite refuses any detail.
 */
export function userMessage(text: string, images: string[] = [], layout: 'classic' | 'lite' = 'classic'): InputItem {
  const framed = images.flatMap((url, index): InputContent[] => [
    { type: 'input_text', text: imageOpenTag(index + 1) },
    layout === 'lite' ? { type: 'input_image', image_url: url } : { type: 'input_image', image_url: url, detail: 'high' },
    { type: 'input_text', text: IMAGE_CLOSE_TAG },
  ]);
  return { type: 'message', role: 'user', content: [...framed, { type: 'input_text', text }] };
}

/**
 * An answer as the next turn of a conversation sends it back: labelled `final_answer`, as the official client replays
 * the answer messages the backend labelled so (protocol §11). Given as pieces, the text is joined when first read.
 */
export function assistantMessage(text: string | readonly TextPiece[]): InputItem {
  const part: InputContent =
    typeof text === 'string' ? { type: 'output_text', text } : withTextPieces<{ type: 'output_text'; text: string }>({ type: 'output_text', text: '' }, text);
  return { type: 'message', role: 'assistant', content: [part], phase: 'final_answer' };
}

export function requestInput(request: AskRequest): InputItem[] {
  return [...(request.input ?? []), ...(request.prompt !== undefined ? [userMessage(request.prompt, request.images, request.layout)] : [])];
}

function reasoningOf(request: AskRequest): Record<string, string> {
  const reasoning: Record<string, string> = {};
  if (request.effort) reasoning.effort = request.effort;
  const summary = request.reasoningSummary === true ? 'auto' : request.reasoningSummary;
  if (typeof summary === 'string' && summary !== 'none') reasoning.summary = summary;
  return reasoning;
}

/** An image part as Responses Lite takes it: no `detail` (a turn replayed from a classic model may carry one). */
function withoutDetail(item: InputItem): InputItem {
  if (item.type !== 'message' || !item.content.some((part) => part.type === 'input_image' && part.detail !== undefined)) return item;
  return { ...item, content: item.content.map((part) => (part.type === 'input_image' ? { type: 'input_image', image_url: part.image_url } : part)) };
}

/**
 * The lite layout's input: the tools as an `additional_tools` developer item first, then the system prompt as a
 * developer message (Lite takes no top-level `instructions`, protocol §11), then the conversation. The reasoning
 * settings travel only at the top level: the official 0.171 client sends no `configuration_update` item (the
 * conformance diff showed it; 0.169 did).
 */
function liteInput(
  input: readonly InputItem[],
  tools: readonly FunctionToolSpec[],
  extra: readonly Record<string, unknown>[],
  instructions: string | undefined,
): unknown[] {
  const out: unknown[] = [];
  if (tools.length > 0 || extra.length > 0) {
    // One namespace per name, `functions` first (the official client puts `image_gen` and `web` beside it).
    const namespaces = new Map<string, Omit<FunctionToolSpec, 'namespace'>[]>([['functions', []]]);
    for (const { namespace = 'functions', ...tool } of tools) namespaces.set(namespace, [...(namespaces.get(namespace) ?? []), tool]);
    out.push({
      type: 'additional_tools',
      role: 'developer',
      tools: [
        ...[...namespaces]
          .filter(([name, members]) => name !== 'functions' || members.length > 0)
          .map(([name, members]) => ({ type: 'namespace', name, description: '', tools: members })),
        ...extra,
      ],
    });
  }
  if (instructions !== undefined) out.push({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: instructions }] });
  for (const item of input) out.push(item.type === 'function_call_output' ? outputAsParts(item) : withoutDetail(item));
  return out;
}

/** A call's output as the official 0.171 client sends it on Lite: a list of `input_text` parts, not a bare string. */
function outputAsParts(item: Extract<InputItem, { type: 'function_call_output' }>): unknown {
  return { ...item, output: [{ type: 'input_text', text: item.output }] };
}

export function buildResponsesBody(request: AskRequest, input: InputItem[], sessionId: string): Record<string, unknown> {
  const lite = request.layout === 'lite';
  const instructions = request.instructions?.trim() ? request.instructions : request.defaultInstructions === false ? undefined : DEFAULT_INSTRUCTIONS;
  const reasoning = reasoningOf(request);
  const tools = request.tools ?? [];
  const text: Record<string, unknown> = {};
  if (request.verbosity) text.verbosity = request.verbosity;
  if (request.jsonSchema) text.format = { type: 'json_schema', name: 'output', schema: request.jsonSchema, strict: true };
  return {
    model: request.model,
    ...(!lite && instructions !== undefined ? { instructions } : {}),
    input: lite ? liteInput(input, tools, request.extraTools ?? [], instructions) : input,
    ...(lite ? {} : { tools: [...tools.map(({ namespace: _namespace, ...tool }) => tool), ...(request.extraTools ?? [])] }),
    tool_choice: request.toolChoice ?? 'auto',
    parallel_tool_calls: !lite,
    ...(lite ? { reasoning: { ...reasoning, context: 'all_turns' } } : Object.keys(reasoning).length > 0 ? { reasoning } : {}),
    include: ['reasoning.encrypted_content'],
    store: false,
    stream: true,
    prompt_cache_key: request.promptCacheKey ?? sessionId,
    ...(Object.keys(text).length > 0 ? { text } : {}),
    ...(request.serviceTier !== undefined ? { service_tier: request.serviceTier } : {}),
  };
}
