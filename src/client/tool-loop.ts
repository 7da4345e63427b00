import { messageOf } from '../shared/error-info.js';
import { abortError, CodexError, UnsupportedToolCallError } from '../shared/errors.js';
import type { CodexEvent } from './events.js';
import type { FunctionToolSpec, InputItem } from './request.js';
import type { FunctionCall, TurnOutcome } from './response-turn.js';

export const DEFAULT_MAX_TURNS = 10;
/** Tool calls of one turn run at most this many at a time (a model may ask for hundreds at once). */
export const DEFAULT_TOOL_CONCURRENCY = 8;

export interface ToolOutput {
  output: string;
  isError?: boolean;
}

/** A function the model may call. `run` gets the parsed arguments; a throw becomes an error output. */
export interface Tool {
  /** `namespace.name` for a function of a namespace other than `functions` (`web.run`). */
  name: string;
  /** Responses Lite only: the namespace it is offered in (default `functions`), as the official client's `image_gen`. */
  namespace?: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
  run(args: unknown, context: ToolContext): Promise<string | ToolOutput>;
  /**
   * The client's own tool (web search): its calls are not shown as `tool_call` / `tool_result` events (it emits
   * its own), and a failure it throws as a CodexError ends the run instead of becoming the call's output.
   */
  builtin?: boolean;
}

export interface ToolContext {
  callId: string;
  signal?: AbortSignal;
  /** The run's event sink. */
  emit?: (event: CodexEvent) => void | Promise<void>;
  /** The input of the turn whose call this is (web search sends the recent conversation with its commands). */
  input?: readonly InputItem[];
}

/** The name a tool is found by: `namespace.name` when it is offered in a namespace of its own. */
function toolKey(tool: Tool): string {
  return tool.namespace ? `${tool.namespace}.${tool.name}` : tool.name;
}

/** The name a call is looked up by: `namespace.name` when the call names a namespace. */
export function callName(call: FunctionCall): string {
  return call.namespace ? `${call.namespace}.${call.name}` : call.name;
}

/** Thrown by a tool to end the run with this failure instead of telling the model (a plan without image generation). */
export class ToolRunFailure extends Error {
  constructor(readonly failure: CodexError) {
    super(failure.message);
  }
}

export function toolSpec(tool: Tool): FunctionToolSpec {
  return {
    type: 'function',
    name: tool.name,
    ...(tool.namespace !== undefined ? { namespace: tool.namespace } : {}),
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    strict: false,
    parameters: tool.parameters,
  };
}

function parseArguments(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: 'the arguments were not valid JSON' };
  }
}

async function runOne(
  tools: Map<string, Tool>,
  call: FunctionCall,
  args: unknown,
  signal: AbortSignal | undefined,
  emit: (event: CodexEvent) => void | Promise<void>,
  input: readonly InputItem[],
): Promise<ToolOutput> {
  const tool = tools.get(callName(call));
  if (!tool) return { output: `no tool named ${callName(call)}`, isError: true };
  try {
    const result = await tool.run(args, { callId: call.call_id, ...(signal ? { signal } : {}), emit, input });
    return typeof result === 'string' ? { output: result } : result;
  } catch (error) {
    if (signal?.aborted) throw error;
    if (tool.builtin && error instanceof CodexError) throw error;
    if (error instanceof ToolRunFailure) throw error.failure;
    return { output: `tool failed: ${messageOf(error)}`, isError: true };
  }
}

/**
 * Items that replay a finished turn in the next request, in the order the model sent them, without ids
 * (protocol §5): reasoning, its messages (the commentary before its calls included: the official client replays
 * every output item, §11) and calls.
 */
export function replayInput(outcome: TurnOutcome): InputItem[] {
  return outcome.replayItems.map((item): InputItem => {
    if (item.type === 'function_call') {
      // A call in a namespace of its own goes back with it, or the backend cannot find the function.
      const namespace = typeof item.namespace === 'string' && item.namespace !== '' ? { namespace: item.namespace } : {};
      return { type: 'function_call', call_id: item.call_id ?? '', name: item.name ?? '', ...namespace, arguments: item.arguments ?? '' };
    }
    const { id: _id, status: _status, ...rest } = item as Record<string, unknown>;
    if (item.type === 'message') return { ...rest, type: 'message', role: 'assistant' } as InputItem;
    return { ...rest, type: 'reasoning' };
  });
}

/** `fn` over `items`, at most `limit` at a time; the results in the order of the items. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** The tools by the name their calls are looked up by (`callName`). */
export function toolsByName(tools: readonly Tool[]): Map<string, Tool> {
  return new Map(tools.map((tool) => [toolKey(tool), tool]));
}

export interface ServeOptions {
  signal?: AbortSignal;
  emit: (event: CodexEvent) => void | Promise<void>;
  concurrency?: number;
}

/**
 * Answers one turn's calls: each call's arguments parsed (text that is not JSON is told to the model, the tool not
 * run), shown as `tool_call` / `tool_result` unless its tool is builtin, the tools run concurrently; the
 * `function_call_output` items in the order of the calls. Each tool is given the turn's `input` (web search sends it along).
 */
export async function serveCalls(calls: readonly FunctionCall[], byName: Map<string, Tool>, input: readonly InputItem[], options: ServeOptions): Promise<InputItem[]> {
  const { emit } = options;
  const parsedCalls = calls.map((call) => ({ call, parsed: parseArguments(call.arguments), shown: byName.get(callName(call))?.builtin !== true }));
  for (const { call, parsed, shown } of parsedCalls) {
    if (shown) await emit({ type: 'tool_call', call_id: call.call_id, name: callName(call), arguments: parsed.ok ? parsed.value : call.arguments });
  }
  const results = await mapLimited(parsedCalls, options.concurrency ?? DEFAULT_TOOL_CONCURRENCY, ({ call, parsed }) =>
    parsed.ok ? runOne(byName, call, parsed.value, options.signal, emit, input) : Promise.resolve({ output: parsed.error, isError: true }),
  );
  if (options.signal?.aborted) throw abortError(options.signal);
  const outputs: InputItem[] = [];
  for (let i = 0; i < parsedCalls.length; i++) {
    const { call, shown } = parsedCalls[i]!;
    const result = results[i]!;
    if (shown) await emit({ type: 'tool_result', call_id: call.call_id, output: result.output, is_error: result.isError === true });
    outputs.push({ type: 'function_call_output', call_id: call.call_id, output: result.output });
  }
  return outputs;
}

export type TurnRunner = (input: InputItem[]) => Promise<TurnOutcome>;

/**
 * The conversation loop: run a turn; if the model called tools, run them concurrently, send the outputs back
 * with the turn's reasoning and calls, and go on until it answers without a call or `maxTurns` is reached.
 */
export async function runToolLoop(runTurn: TurnRunner, initialInput: InputItem[], tools: Tool[], options: ServeOptions & { maxTurns?: number }): Promise<TurnOutcome[]> {
  const byName = toolsByName(tools);
  const maxTurns = options.maxTurns ?? DEFAULT_MAX_TURNS;
  const outcomes: TurnOutcome[] = [];
  let input = initialInput;
  for (let turn = 1; ; turn++) {
    const outcome = await runTurn(input);
    outcomes.push(outcome);
    if (outcome.functionCalls.length === 0) return outcomes;
    // With no tools offered there is nothing to answer a call with: looping until --max-turns helps nobody.
    if (tools.length === 0) throw new UnsupportedToolCallError('function_call', callName(outcome.functionCalls[0]!));
    if (turn >= maxTurns) {
      throw new CodexError('max_turns', `the model was still calling tools after ${maxTurns} turns (--max-turns)`);
    }
    const outputs = await serveCalls(outcome.functionCalls, byName, input, options);
    input = [...input, ...replayInput(outcome), ...outputs];
  }
}
