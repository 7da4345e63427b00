// POST /v1/chat/completions: the Chat Completions request as a Codex request, and the answer back as chat objects.
import * as z from 'zod/mini';
import type { Citation, Usage } from '../client/events.js';
import type { InputContent, InputItem, ToolChoice } from '../client/request.js';
import type { FunctionCall } from '../client/response-turn.js';
import type { CodexRequest } from '../library/codex.js';
import { UsageError } from '../shared/errors.js';
import { chatUsage, imageUrl, parseBody } from './wire.js';

const TextPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const ImagePart = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.union([z.string(), z.looseObject({ url: z.string(), detail: z.optional(z.enum(['auto', 'low', 'high'])) })]),
});
const Content = z.nullable(z.union([z.string(), z.array(z.union([TextPart, ImagePart]))]));

const ToolCall = z.looseObject({
  id: z.string(),
  type: z.optional(z.literal('function')),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const Message = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: Content }),
  z.looseObject({ role: z.literal('developer'), content: Content }),
  z.looseObject({ role: z.literal('user'), content: Content }),
  z.looseObject({ role: z.literal('assistant'), content: z.optional(Content), tool_calls: z.optional(z.nullable(z.array(ToolCall))) }),
  z.looseObject({ role: z.literal('tool'), content: Content, tool_call_id: z.string() }),
]);

const FunctionTool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().check(z.minLength(1)),
    description: z.optional(z.string()),
    parameters: z.optional(z.record(z.string(), z.unknown())),
  }),
});

export const ChatRequestSchema = z.looseObject({
  model: z.optional(z.string()),
  messages: z.array(Message).check(z.minLength(1)),
  stream: z.optional(z.nullable(z.boolean())),
  stream_options: z.optional(z.nullable(z.looseObject({ include_usage: z.optional(z.boolean()) }))),
  tools: z.optional(z.nullable(z.array(FunctionTool))),
  tool_choice: z.optional(
    z.nullable(z.union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) })])),
  ),
  response_format: z.optional(
    z.nullable(
      z.union([
        z.looseObject({ type: z.literal('text') }),
        z.looseObject({ type: z.literal('json_object') }),
        z.looseObject({
          type: z.literal('json_schema'),
          json_schema: z.looseObject({ name: z.optional(z.string()), schema: z.optional(z.record(z.string(), z.unknown())) }),
        }),
      ]),
    ),
  ),
  reasoning_effort: z.optional(z.nullable(z.string())),
  /** Ask for the reasoning summary as `reasoning_content` (as OpenRouter and LiteLLM name the switch). */
  include_reasoning: z.optional(z.nullable(z.boolean())),
  /** `{summary: auto|concise|detailed}` asks for the reasoning summary too; `effort` as `reasoning_effort`. */
  reasoning: z.optional(z.nullable(z.looseObject({ summary: z.optional(z.nullable(z.string())), effort: z.optional(z.nullable(z.string())) }))),
  n: z.optional(z.nullable(z.number())),
  prompt_cache_key: z.optional(z.nullable(z.string())),
  /** OpenAI's switch for web search: present (even `{}`), the model may search (as `ask --search`). */
  web_search_options: z.optional(z.nullable(z.looseObject({}))),
});
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

export interface Translated {
  request: CodexRequest;
  /** What was left out or changed, for the warning header. */
  warnings: string[];
  stream: boolean;
  includeUsage: boolean;
  /** The reasoning summary goes to the client as `reasoning_content`. */
  reasoning: boolean;
}

type ContentValue = z.infer<typeof Content> | undefined;

function textOf(content: ContentValue, role: string): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part) => {
      if (part.type !== 'text') throw new UsageError(`messages: ${role} messages take text parts only`);
      return part.text;
    })
    .join('');
}

function userContent(content: ContentValue): InputContent[] {
  if (content === null || content === undefined) return [{ type: 'input_text', text: '' }];
  if (typeof content === 'string') return [{ type: 'input_text', text: content }];
  return content.map((part): InputContent => {
    if (part.type === 'text') return { type: 'input_text', text: part.text };
    const image = typeof part.image_url === 'string' ? { url: part.image_url } : part.image_url;
    return { type: 'input_image', image_url: imageUrl(image.url), detail: image.detail ?? 'high' };
  });
}

/** System and developer messages become the instructions; the rest become input items, in order. */
export function translateChat(body: unknown): Translated {
  const chat = parseBody(ChatRequestSchema, body);
  if (chat.n !== undefined && chat.n !== null && chat.n !== 1) throw new UsageError('n: only one choice (n=1) is supported');
  const warnings: string[] = [];
  const instructions: string[] = [];
  const input: InputItem[] = [];
  for (const message of chat.messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        instructions.push(textOf(message.content, message.role));
        break;
      case 'user':
        input.push({ type: 'message', role: 'user', content: userContent(message.content) });
        break;
      case 'assistant': {
        const text = textOf(message.content, 'assistant');
        // The Responses API takes an assistant's earlier words as output_text.
        if (text !== '') input.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] } as unknown as InputItem);
        for (const call of message.tool_calls ?? []) {
          input.push({ type: 'function_call', call_id: call.id, name: call.function.name, arguments: call.function.arguments });
        }
        break;
      }
      case 'tool':
        input.push({ type: 'function_call_output', call_id: message.tool_call_id, output: textOf(message.content, 'tool') });
        break;
    }
  }
  if (input.length === 0) throw new UsageError('messages: at least one user message is needed');

  let tools = chat.tools ?? [];
  const choice = chat.tool_choice;
  let toolChoice: ToolChoice | undefined;
  if (choice === 'none') tools = [];
  else if (choice === 'required' || (typeof choice === 'object' && choice !== null)) {
    if (tools.length === 0) throw new UsageError('tool_choice: a required or named tool choice needs tools');
    if (choice === 'required') toolChoice = 'required';
    else {
      const name = choice.function.name;
      if (!tools.some((tool) => tool.function.name === name)) throw new UsageError(`tool_choice: no tool named ${name} is in tools`);
      toolChoice = { type: 'function', name };
    }
  }

  let jsonSchema: Record<string, unknown> | undefined;
  const format = chat.response_format;
  if (format?.type === 'json_schema') {
    if (!format.json_schema.schema) throw new UsageError('response_format.json_schema.schema is needed');
    jsonSchema = format.json_schema.schema;
  } else if (format?.type === 'json_object') {
    warnings.push('response_format json_object: not supported by the backend; ignored (use json_schema)');
  }

  const summary = chat.reasoning?.summary;
  const reasoning = chat.include_reasoning === true || (typeof summary === 'string' && summary !== 'none');
  const effort = chat.reasoning_effort ?? chat.reasoning?.effort;
  const request: CodexRequest = {
    input,
    // No system prompt of ours when the client sent none.
    ...(instructions.length > 0 ? { instructions: instructions.join('\n\n') } : { defaultInstructions: false }),
    ...(chat.model ? { model: chat.model } : {}),
    ...(effort ? { effort: effort as CodexRequest['effort'] } : {}),
    ...(tools.length > 0 ? { tools: tools.map(clientTool) } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(chat.prompt_cache_key ? { promptCacheKey: chat.prompt_cache_key } : {}),
    ...(jsonSchema ? { jsonSchema } : {}),
    ...(chat.web_search_options ? { search: true } : {}),
    reasoningSummary: reasoning,
  };
  return { request, warnings, stream: chat.stream === true, includeUsage: chat.stream_options?.include_usage === true, reasoning };
}

/** A tool the client runs itself: offered to the model, never run here (the server makes one turn per request). */
export function clientTool(tool: { function: { name: string; description?: string | undefined; parameters?: Record<string, unknown> | undefined } }) {
  return {
    name: tool.function.name,
    ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
    parameters: tool.function.parameters ?? { type: 'object', properties: {} },
    run: async (): Promise<string> => {
      throw new UsageError('client tools are not run by the server');
    },
  };
}

export function chatToolCalls(calls: readonly FunctionCall[]) {
  return calls.map((call) => ({ id: call.call_id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } }));
}

export interface ChatMeta {
  id: string;
  created: number;
  model: string;
}

export function chatCompletion(meta: ChatMeta, text: string, calls: readonly FunctionCall[], usage: Usage, reasoning?: string, citations?: readonly Citation[]) {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: calls.length > 0 && text === '' ? null : text,
          ...(reasoning !== undefined ? { reasoning_content: reasoning } : {}),
          ...(calls.length > 0 ? { tool_calls: chatToolCalls(calls) } : {}),
          // OpenAI's shape for the sources of a web search.
          ...(citations && citations.length > 0 ? { annotations: citations.map((citation) => ({ type: 'url_citation', url_citation: citation })) } : {}),
          refusal: null,
        },
        logprobs: null,
        finish_reason: calls.length > 0 ? 'tool_calls' : 'stop',
      },
    ],
    usage: chatUsage(usage),
  };
}

export function chatChunk(meta: ChatMeta, delta: Record<string, unknown>, finishReason: string | null, includeUsage: boolean) {
  return {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/** The bytes of a delta frame around its text's JSON string, made once per answer and key. */
export interface DeltaShell {
  head: Uint8Array;
  tail: Uint8Array;
}

/**
 * `data: ${JSON.stringify(chatChunk(meta, { [key]: text }, null, includeUsage))}\n\n` is the bytes of
 * `head`, `JSON.stringify(text)` and `tail`: a delta costs its text escaped into the output (sse-response.ts), not a
 * whole chunk object.
 */
export function chatDeltaShell(meta: ChatMeta, includeUsage: boolean, key: 'content' | 'reasoning_content'): DeltaShell {
  const shell = JSON.stringify(chatChunk(meta, {}, null, includeUsage));
  // The first `"delta":{}` is the key itself: inside the id or model string a quote would be escaped.
  const at = shell.indexOf('"delta":{}') + '"delta":{'.length;
  return { head: Buffer.from(`data: ${shell.slice(0, at)}"${key}":`), tail: Buffer.from(`${shell.slice(at)}\n\n`) };
}

export function chatUsageChunk(meta: ChatMeta, usage: Usage) {
  return { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [], usage: chatUsage(usage) };
}
