// What to compare between the official client's request and ours, and how to say it. Values that are ids, times
// or texts differ by nature and are compared by shape only (present or not, keys, types, order); values that are
// settings (header values such as `accept`, body values such as `store`) are compared as they are.
import type { RecordedRequest } from '../fake/server.js';

export interface Difference {
  /** A stable name for what differs: the key of the allow-list. */
  aspect: string;
  official: string;
  ours: string;
}

/** Transport details either side's HTTP library decides; not part of what a client chooses to send. */
const TRANSPORT_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive']);
/** Headers whose values are settings both clients should agree on (others are ids, tokens or times). */
const VALUE_HEADERS = [
  'accept',
  'accept-encoding',
  'content-type',
  'content-encoding',
  'version',
  'originator',
  'user-agent',
  'openai-beta',
  'x-openai-internal-codex-responses-lite',
  'chatgpt-account-id',
];
/** Body fields whose values are settings; the others are compared by presence. */
const VALUE_FIELDS = ['model', 'stream', 'store', 'parallel_tool_calls', 'tool_choice', 'include', 'reasoning', 'service_tier'];

const ABSENT = 'absent';
const show = (value: unknown): string => (value === undefined ? ABSENT : JSON.stringify(sortKeys(value)));

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, item]) => [key, sortKeys(item)]),
    );
  }
  return value;
}

function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Header names (sorted) a client chose to send. */
function headerNames(request: RecordedRequest): string[] {
  return Object.keys(request.headers)
    .map((name) => name.toLowerCase())
    .filter((name) => !TRANSPORT_HEADERS.has(name))
    .sort();
}

function compareHeaders(official: RecordedRequest, ours: RecordedRequest, out: Difference[]): void {
  const [a, b] = [headerNames(official), headerNames(ours)];
  for (const name of [...new Set([...a, ...b])].sort()) {
    const [inA, inB] = [a.includes(name), b.includes(name)];
    if (inA !== inB) out.push({ aspect: `header ${name}`, official: inA ? 'sent' : ABSENT, ours: inB ? 'sent' : ABSENT });
    else if (VALUE_HEADERS.includes(name) && header(official, name) !== header(ours, name)) {
      out.push({ aspect: `header ${name} value`, official: show(header(official, name)), ours: show(header(ours, name)) });
    }
  }
  const scheme = (request: RecordedRequest) => header(request, 'authorization')?.split(' ')[0];
  if (scheme(official) !== scheme(ours)) out.push({ aspect: 'header authorization scheme', official: show(scheme(official)), ours: show(scheme(ours)) });
}

type Part = { type?: string; text?: string; image_url?: unknown; [key: string]: unknown };
type Item = { type?: string; role?: string; content?: Part[] | string; tools?: Tool[]; [key: string]: unknown };
type Tool = { type?: string; name?: string; tools?: Tool[]; [key: string]: unknown };

const isFrame = (part: Part) => part.type === 'input_text' && /^<image\b[^>]*>$|^<\/image>$/.test(part.text ?? '');
const isEnvironment = (item: Item) =>
  item.type === 'message' && item.role === 'user' && Array.isArray(item.content) && /^<environment_context>/.test(item.content[0]?.text ?? '');

/** `additional_tools`, `message:developer×3`, `message:user(environment_context)`, `function_call`, …, runs of one kind counted. */
export function itemSequence(items: Item[]): string[] {
  const tokens = items.map((item) => (item.type === 'message' ? `message:${item.role}${isEnvironment(item) ? '(environment_context)' : ''}` : String(item.type)));
  const out: { token: string; count: number }[] = [];
  for (const token of tokens) {
    const last = out.at(-1);
    if (last?.token === token) last.count++;
    else out.push({ token, count: 1 });
  }
  return out.map(({ token, count }) => (count > 1 ? `${token}×${count}` : token));
}

/** The kinds of an item, keyed for comparing their fields: `message:user`, `function_call`, … */
const kindOf = (item: Item) => (item.type === 'message' ? `message:${item.role}` : String(item.type));

/** Fields a client keeps for its own bookkeeping (item ids, statuses, its chat metadata): compared once, as `input item ids`. */
const BOOKKEEPING = ['id', 'status', 'internal_chat_message_metadata_passthrough'];

function keysByKind(items: Item[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const item of items) {
    const keys = out.get(kindOf(item)) ?? new Set<string>();
    for (const key of Object.keys(item)) if (!BOOKKEEPING.includes(key)) keys.add(key);
    out.set(kindOf(item), keys);
  }
  return new Map([...out].map(([kind, keys]) => [kind, [...keys].sort()]));
}

const CALLS = new Set(['function_call', 'custom_tool_call']);
const OUTPUTS = new Set(['function_call_output', 'custom_tool_call_output']);

/**
 * The conversation as both clients should send it: the items each aspect below compares on its own (the tool
 * block, the reasoning item, developer messages, the environment context, commentary before a call) left out, and
 * both kinds of tool call named alike.
 */
function conversation(items: Item[]): string[] {
  const kept = items.filter(
    (item, i) =>
      !['additional_tools', 'configuration_update'].includes(String(item.type)) &&
      !(item.type === 'message' && item.role === 'developer') &&
      !isEnvironment(item) &&
      !isCommentaryBeforeCall(items, i),
  );
  return itemSequence(kept.map((item) => (CALLS.has(String(item.type)) ? { type: 'call' } : OUTPUTS.has(String(item.type)) ? { type: 'call_output' } : item)));
}

const isCommentaryBeforeCall = (items: Item[], i: number) => items[i]!.type === 'message' && items[i]!.role === 'assistant' && CALLS.has(String(items[i + 1]?.type));

const where = (items: Item[], test: (item: Item) => boolean) => {
  const index = items.findIndex(test);
  return index < 0 ? ABSENT : index === 0 ? 'first' : 'later';
};

/** The parts of the user's prompt message (the last user message that is not the environment context). */
function promptParts(items: Item[]): Part[] {
  const prompt = items.filter((item) => item.type === 'message' && item.role === 'user' && !isEnvironment(item)).at(-1);
  return Array.isArray(prompt?.content) ? prompt.content : [];
}

const partToken = (part: Part) => (isFrame(part) ? `input_text${part.text?.startsWith('</') ? '(</image>)' : '(<image …>)'}` : String(part.type));

function toolLayout(items: Item[]): Record<string, unknown> | undefined {
  const block = items.find((item) => item.type === 'additional_tools');
  if (!block) return undefined;
  const namespaces = (block.tools ?? []).filter((tool) => tool.type === 'namespace');
  const functions = namespaces.find((tool) => tool.name === 'functions');
  const fnKeys = new Set<string>();
  for (const tool of functions?.tools ?? []) if (tool.type === 'function') for (const key of Object.keys(tool)) fnKeys.add(key);
  return {
    role: block.role,
    entryTypes: [...new Set((block.tools ?? []).map((tool) => tool.type))].sort(),
    namespaceKeys: [...new Set(namespaces.flatMap((tool) => Object.keys(tool)))].sort(),
    functionsNamespace: functions ? { description: functions.description } : ABSENT,
    functionToolKeys: [...fnKeys].sort(),
  };
}

function push(out: Difference[], aspect: string, official: unknown, ours: unknown): void {
  const [a, b] = [show(official), show(ours)];
  if (a !== b) out.push({ aspect, official: a, ours: b });
}

/** Every difference between two `/responses` requests of the same scenario. */
export function responsesDifferences(official: RecordedRequest, ours: RecordedRequest): Difference[] {
  const out: Difference[] = [];
  compareHeaders(official, ours, out);
  const [a, b] = [official.body as Record<string, unknown>, ours.body as Record<string, unknown>];
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (key in a !== key in b) out.push({ aspect: `body ${key}`, official: key in a ? 'sent' : ABSENT, ours: key in b ? 'sent' : ABSENT });
    else if (VALUE_FIELDS.includes(key)) push(out, `body ${key} value`, a[key], b[key]);
  }
  const text = (body: Record<string, unknown>) => {
    const value = body.text as { verbosity?: unknown; format?: Record<string, unknown> } | undefined;
    if (!value) return undefined;
    const format = value.format && { type: value.format.type, strict: value.format.strict, keys: Object.keys(value.format).sort(), schema: value.format.schema };
    return { keys: Object.keys(value).sort(), verbosity: value.verbosity, format };
  };
  if ('text' in a && 'text' in b) push(out, 'body text value', text(a), text(b));

  const [inA, inB] = [(a.input ?? []) as Item[], (b.input ?? []) as Item[]];
  push(out, 'input conversation', conversation(inA), conversation(inB));
  push(
    out,
    'input additional_tools item',
    where(inA, (item) => item.type === 'additional_tools'),
    where(inB, (item) => item.type === 'additional_tools'),
  );
  const developer = (items: Item[]) => {
    const first = items.findIndex((item) => item.type === 'message' && item.role === 'developer');
    const prompt = items.findIndex((item) => item.type === 'message' && item.role === 'user');
    return first < 0 ? ABSENT : first < prompt ? 'before the prompt' : 'after the prompt';
  };
  push(out, 'input developer message', developer(inA), developer(inB));
  push(out, 'input environment_context message', inA.some(isEnvironment) ? 'sent' : ABSENT, inB.some(isEnvironment) ? 'sent' : ABSENT);
  const configuration = (items: Item[]) => (items.some((item) => item.type === 'configuration_update') ? 'sent' : ABSENT);
  push(out, 'input configuration_update item', configuration(inA), configuration(inB));
  const commentary = (items: Item[]) => (items.some((_, i) => isCommentaryBeforeCall(items, i)) ? 'replayed' : ABSENT);
  const calls = (items: Item[]) => [...new Set(items.filter((item) => CALLS.has(String(item.type))).map((item) => item.type))].sort();
  if (calls(inA).length > 0 && calls(inB).length > 0) {
    push(out, 'input commentary before a tool call', commentary(inA), commentary(inB));
    push(out, 'input tool call item type', calls(inA), calls(inB));
  }
  const outputs = (items: Item[]) => [...new Set(items.filter((item) => OUTPUTS.has(String(item.type))).map((item) => show(outputShape(item))))];
  if (outputs(inA).length > 0 && outputs(inB).length > 0) push(out, 'input tool output shape', outputs(inA), outputs(inB));
  const ids = (items: Item[]) => [...new Set(items.flatMap((item) => BOOKKEEPING.filter((key) => key in item)))].sort();
  push(out, 'input item ids', ids(inA), ids(inB));
  const [keysA, keysB] = [keysByKind(inA), keysByKind(inB)];
  for (const kind of [...keysA.keys()].filter((kind) => keysB.has(kind)).sort()) push(out, `input ${kind} keys`, keysA.get(kind), keysB.get(kind));
  const [partsA, partsB] = [promptParts(inA), promptParts(inB)];
  push(out, 'prompt message parts', partsA.map(partToken), partsB.map(partToken));
  const image = (parts: Part[]) => parts.find((part) => part.type === 'input_image');
  const [imageA, imageB] = [image(partsA), image(partsB)];
  if (imageA && imageB) {
    const keys = (part: Part) =>
      Object.keys(part)
        .filter((key) => key !== 'detail')
        .sort();
    push(out, 'input_image keys', keys(imageA), keys(imageB));
    const scheme = (part: Part) => (typeof part.image_url === 'string' ? part.image_url.replace(/,.*$/s, ',…') : typeof part.image_url);
    push(out, 'input_image image_url', scheme(imageA), scheme(imageB));
    push(out, 'input_image detail', imageA.detail, imageB.detail);
  }
  const [toolsA, toolsB] = [toolLayout(inA), toolLayout(inB)];
  if (toolsA && toolsB) for (const key of Object.keys(toolsA)) push(out, `additional_tools ${key}`, toolsA[key], toolsB[key]);
  return out;
}

/** The shape of what a tool call's output carries: a string, or the types of its parts. */
const outputShape = (item: Item) =>
  typeof item.output === 'string' ? 'string' : Array.isArray(item.output) ? (item.output as Part[]).map((part) => String(part.type)) : show(item.output);

/** Every difference between two `/alpha/search` requests (the lite `web.run` function served by the client). */
export function searchDifferences(official: RecordedRequest | undefined, ours: RecordedRequest | undefined): Difference[] {
  const out: Difference[] = [];
  if (!official || !ours) {
    push(out, 'search request', official ? 'sent' : ABSENT, ours ? 'sent' : ABSENT);
    return out;
  }
  compareHeaders(official, ours, out);
  const [a, b] = [official.body as Record<string, unknown>, ours.body as Record<string, unknown>];
  push(out, 'search body keys', Object.keys(a).sort(), Object.keys(b).sort());
  for (const key of ['commands', 'settings', 'max_output_tokens']) push(out, `search body ${key}`, a[key], b[key]);
  const input = (body: Record<string, unknown>) => (Array.isArray(body.input) ? itemSequence(body.input as Item[]) : show(body.input));
  push(out, 'search body input', input(a), input(b));
  return out;
}

/** Every difference between two refresh requests to the issuer. */
export function refreshDifferences(official: RecordedRequest, ours: RecordedRequest): Difference[] {
  const out: Difference[] = [];
  compareHeaders(official, ours, out);
  const [a, b] = [official.body as Record<string, unknown>, ours.body as Record<string, unknown>];
  push(out, 'refresh body keys', Object.keys(a).sort(), Object.keys(b).sort());
  for (const key of ['client_id', 'grant_type', 'refresh_reason']) if (key in a || key in b) push(out, `refresh body ${key}`, a[key], b[key]);
  return out;
}

/** The failure text: each difference the allow-list does not explain, both values, and the scenarios it showed in. */
export function formatDifferences(title: string, found: { scenario: string; difference: Difference }[]): string {
  const byAspect = new Map<string, { scenarios: string[]; difference: Difference }>();
  for (const { scenario, difference } of found) {
    const key = `${difference.aspect}\u0000${difference.official}\u0000${difference.ours}`;
    const entry = byAspect.get(key) ?? { scenarios: [], difference };
    entry.scenarios.push(scenario);
    byAspect.set(key, entry);
  }
  const lines = [title];
  for (const { scenarios, difference } of byAspect.values()) {
    lines.push(`  ${difference.aspect}   [${scenarios.join(', ')}]`, `      official: ${difference.official}`, `      ours:     ${difference.ours}`);
  }
  return lines.join('\n');
}
