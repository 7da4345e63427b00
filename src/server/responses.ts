// POST /v1/responses: the Responses request with the backend's rules applied (protocol §10), and the answer as
// Responses objects and events.
import * as z from 'zod/mini';
import type { Usage } from '../client/events.js';
import type { InputContent, InputItem } from '../client/request.js';
import type { FunctionCall } from '../client/response-turn.js';
import { UsageError } from '../errors.js';
import type { CodexRequest } from '../library/codex.js';
import { clientTool } from './chat.js';
import { imageUrl, parseBody, responsesUsage } from './wire.js';

const Part = z.looseObject({
  type: z.string(),
  text: z.optional(z.string()),
  image_url: z.optional(z.nullable(z.string())),
  detail: z.optional(z.enum(['auto', 'low', 'high'])),
});

const Item = z.looseObject({
  type: z.optional(z.string()),
  role: z.optional(z.string()),
  content: z.optional(z.union([z.string(), z.array(Part)])),
  call_id: z.optional(z.string()),
  name: z.optional(z.string()),
  arguments: z.optional(z.string()),
  output: z.optional(z.unknown()),
});

const Tool = z.looseObject({
  type: z.string(),
  name: z.optional(z.string()),
  description: z.optional(z.nullable(z.string())),
  parameters: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});

export const ResponsesRequestSchema = z.looseObject({
  model: z.optional(z.string()),
  input: z.union([z.string(), z.array(Item)]),
  instructions: z.optional(z.nullable(z.string())),
  tools: z.optional(z.nullable(z.array(Tool))),
  tool_choice: z.optional(z.nullable(z.unknown())),
  reasoning: z.optional(z.nullable(z.looseObject({ effort: z.optional(z.nullable(z.string())), summary: z.optional(z.nullable(z.string())) }))),
  text: z.optional(
    z.nullable(
      z.looseObject({
        format: z.optional(z.nullable(z.looseObject({ type: z.string(), schema: z.optional(z.record(z.string(), z.unknown())) }))),
        verbosity: z.optional(z.nullable(z.string())),
      }),
    ),
  ),
  stream: z.optional(z.nullable(z.boolean())),
  store: z.optional(z.nullable(z.boolean())),
});

export interface TranslatedResponses {
  request: CodexRequest;
  warnings: string[];
  stream: boolean;
}

function contentOf(content: string | z.infer<typeof Part>[] | undefined, role: string): InputContent[] {
  if (content === undefined) return [];
  if (typeof content === 'string') return [{ type: role === 'assistant' ? 'output_text' : 'input_text', text: content } as InputContent];
  return content.map((part): InputContent => {
    if (part.type === 'input_image') {
      if (!part.image_url) throw new UsageError('input: input_image parts need an image_url (file ids are not supported)');
      return { type: 'input_image', image_url: imageUrl(part.image_url), detail: part.detail ?? 'high' };
    }
    if (part.type === 'input_text' || part.type === 'output_text') return { type: part.type, text: part.text ?? '' } as InputContent;
    throw new UsageError(`input: content parts of type ${part.type} are not supported`);
  });
}

function textOnly(content: string | z.infer<typeof Part>[] | undefined): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? '').join('');
}

function inputItems(input: string | z.infer<typeof Item>[], instructions: string[]): InputItem[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: input }] }];
  const items: InputItem[] = [];
  for (const item of input) {
    const type = item.type ?? 'message';
    if (type === 'message') {
      const role = item.role ?? 'user';
      // The backend refuses system messages in the input: they join the instructions.
      if (role === 'system') instructions.push(textOnly(item.content));
      else if (role === 'user' || role === 'assistant' || role === 'developer') {
        items.push({ type: 'message', role, content: contentOf(item.content, role) });
      } else throw new UsageError(`input: messages with role ${role} are not supported`);
    } else if (type === 'function_call') {
      if (!item.call_id || !item.name) throw new UsageError('input: function_call items need call_id and name');
      items.push({ type: 'function_call', call_id: item.call_id, name: item.name, arguments: item.arguments ?? '{}' });
    } else if (type === 'function_call_output') {
      if (!item.call_id) throw new UsageError('input: function_call_output items need a call_id');
      const output = typeof item.output === 'string' ? item.output : JSON.stringify(item.output ?? '');
      items.push({ type: 'function_call_output', call_id: item.call_id, output });
    } else if (type === 'reasoning') {
      items.push(item as InputItem);
    } else throw new UsageError(`input: items of type ${type} are not supported`);
  }
  return items;
}

export function translateResponses(body: unknown): TranslatedResponses {
  const parsed = parseBody(ResponsesRequestSchema, body);
  const warnings: string[] = [];
  const instructions: string[] = parsed.instructions ? [parsed.instructions] : [];
  const input = inputItems(parsed.input, instructions);
  if (input.length === 0) throw new UsageError('input: at least one item is needed');
  if (parsed.store === true) warnings.push('store: the backend keeps nothing; sent as false');

  let tools = parsed.tools ?? [];
  for (const tool of tools) {
    if (tool.type !== 'function') throw new UsageError(`tools: only function tools are supported, not ${tool.type}`);
    if (!tool.name) throw new UsageError('tools: a function tool needs a name');
  }
  const choice = parsed.tool_choice;
  if (choice === 'none') tools = [];
  else if (choice !== undefined && choice !== null && choice !== 'auto') warnings.push('tool_choice: the backend takes only "auto"; sent as auto');

  let jsonSchema: Record<string, unknown> | undefined;
  const format = parsed.text?.format;
  if (format?.type === 'json_schema') {
    if (!format.schema) throw new UsageError('text.format.schema is needed');
    jsonSchema = format.schema;
  } else if (format && format.type !== 'text') warnings.push(`text.format ${format.type}: not supported by the backend; ignored`);

  const effort = parsed.reasoning?.effort;
  const summary = parsed.reasoning?.summary;
  const request: CodexRequest = {
    input,
    ...(instructions.length > 0 ? { instructions: instructions.join('\n\n') } : {}),
    ...(parsed.model ? { model: parsed.model } : {}),
    ...(effort ? { effort: effort as CodexRequest['effort'] } : {}),
    ...(parsed.text?.verbosity ? { verbosity: parsed.text.verbosity } : {}),
    ...(tools.length > 0
      ? {
          tools: tools.map((tool) =>
            clientTool({
              function: { name: tool.name!, ...(tool.description ? { description: tool.description } : {}), ...(tool.parameters ? { parameters: tool.parameters } : {}) },
            }),
          ),
        }
      : {}),
    ...(jsonSchema ? { jsonSchema } : {}),
    reasoningSummary: summary !== undefined && summary !== null && summary !== 'none',
  };
  return { request, warnings, stream: parsed.stream === true };
}

export interface ResponseMeta {
  id: string;
  created: number;
  model: string;
  messageId: string;
  reasoningId: string;
}

/** The reasoning summary, when one was asked for (`reasoning.summary`); never the encrypted reasoning itself. */
export function reasoningItem(meta: ResponseMeta, summary: string) {
  return { type: 'reasoning', id: meta.reasoningId, summary: [{ type: 'summary_text', text: summary }] };
}

export function messageItem(meta: ResponseMeta, text: string, status: 'in_progress' | 'completed') {
  return {
    type: 'message',
    id: meta.messageId,
    status,
    role: 'assistant',
    content: status === 'completed' ? [{ type: 'output_text', text, annotations: [], logprobs: [] }] : [],
  };
}

export function functionCallItem(call: FunctionCall, index: number) {
  return { type: 'function_call', id: `fc_${index}_${call.call_id}`, call_id: call.call_id, name: call.name, arguments: call.arguments, status: 'completed' };
}

export function responseObject(meta: ResponseMeta, status: 'in_progress' | 'completed', output: unknown[], usage?: Usage) {
  return {
    id: meta.id,
    object: 'response',
    created_at: meta.created,
    status,
    error: null,
    incomplete_details: null,
    model: meta.model,
    output,
    parallel_tool_calls: false,
    tool_choice: 'auto',
    tools: [],
    store: false,
    usage: usage ? responsesUsage(usage) : null,
  };
}

export function completedOutput(meta: ResponseMeta, text: string, calls: readonly FunctionCall[]): unknown[] {
  return [...(text !== '' || calls.length === 0 ? [messageItem(meta, text, 'completed')] : []), ...calls.map(functionCallItem)];
}
