/** The Responses request body (protocol §5). */

export const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type Effort = (typeof EFFORTS)[number];

export const DEFAULT_INSTRUCTIONS =
  'You are a helpful assistant answering from a command line. Answer directly; use Markdown only where it helps.';

export type InputContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string };

export type InputItem =
  | { type: 'message'; role: 'user' | 'developer' | 'assistant'; content: InputContent[] }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string }
  | ({ type: 'reasoning' } & Record<string, unknown>);

export interface FunctionToolSpec {
  type: 'function';
  name: string;
  description?: string;
  strict: boolean;
  parameters: Record<string, unknown>;
}

export interface AskRequest {
  model: string;
  /** The system prompt; a short default when omitted (the backend wants a non-empty one). */
  instructions?: string;
  /** A user prompt, appended as a user message after `input`. */
  prompt?: string;
  /** Image URLs (https or data:) sent with the prompt. */
  images?: string[];
  input?: InputItem[];
  effort?: Effort;
  /** Ask for a reasoning summary (default true). */
  reasoningSummary?: boolean;
  tools?: FunctionToolSpec[];
  /** Structured output: a JSON Schema the answer must follow. */
  jsonSchema?: Record<string, unknown>;
}

export function userMessage(text: string, images: string[] = []): InputItem {
  return {
    type: 'message',
    role: 'user',
    content: [{ type: 'input_text', text }, ...images.map((url) => ({ type: 'input_image' as const, image_url: url }))],
  };
}

export function requestInput(request: AskRequest): InputItem[] {
  return [...(request.input ?? []), ...(request.prompt !== undefined ? [userMessage(request.prompt, request.images)] : [])];
}

export function buildResponsesBody(request: AskRequest, input: InputItem[], sessionId: string): Record<string, unknown> {
  const instructions = request.instructions?.trim() ? request.instructions : DEFAULT_INSTRUCTIONS;
  const reasoning: Record<string, string> = {};
  if (request.effort) reasoning.effort = request.effort;
  if (request.reasoningSummary !== false) reasoning.summary = 'auto';
  return {
    model: request.model,
    instructions,
    input,
    tools: request.tools ?? [],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    ...(Object.keys(reasoning).length > 0 ? { reasoning } : {}),
    include: ['reasoning.encrypted_content'],
    store: false,
    stream: true,
    prompt_cache_key: sessionId,
    ...(request.jsonSchema
      ? { text: { format: { type: 'json_schema', name: 'output', schema: request.jsonSchema, strict: true } } }
      : {}),
  };
}
