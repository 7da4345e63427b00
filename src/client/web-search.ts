// Web search (`--search`, protocol §11). Classic models get the hosted `web_search` tool: the backend searches and
// streams `web_search_call` items. Responses Lite models get a client-side function `web.run`, whose calls codex
// serves by POSTing their commands to `{base}/alpha/search` (openai/codex codex-api endpoint/search.rs) and sending
// the `output` text back to the model.
import * as z from 'zod/mini';
import { CodexError, UsageError } from '../shared/errors.js';
import type { BackendHttp } from '../transport/backend-http.js';
import type { Citation, CodexEvent, SearchEvent } from './events.js';
import { IMAGE_CLOSE_TAG, type InputItem, isImageOpenTag, type WebSearchOptions } from './request.js';
import type { Tool } from './tool-loop.js';

export const WEB_NAMESPACE = 'web';
export const WEB_RUN = 'run';
/** The name the tool loop knows `web.run` by. */
export const WEB_RUN_TOOL = `${WEB_NAMESPACE}.${WEB_RUN}`;
/** The search output's token budget, as the official client asks for it. */
const SEARCH_OUTPUT_TOKENS = 10_000;
/** How many URLs a `search` event lists at most. */
const MAX_EVENT_URLS = 20;

/** The hosted tool of classic models; `allowed_domains` limits what it searches. */
export function hostedSearchTool(options: WebSearchOptions): Record<string, unknown> {
  return { type: 'web_search', external_web_access: true, ...(options.domains?.length ? { filters: { allowed_domains: options.domains } } : {}) };
}

/** The commands codex offers the model (the backend knows more: image search, finance, weather…). */
const COMMANDS_PARAMETERS = {
  type: 'object',
  properties: {
    search_query: {
      type: 'array',
      description: 'Web searches to run.',
      items: {
        type: 'object',
        properties: {
          q: { type: 'string', description: 'The search query.' },
          recency: { type: 'integer', description: 'Only results from this many recent days.' },
          domains: { type: 'array', items: { type: 'string' }, description: 'Only results from these domains.' },
        },
        required: ['q'],
      },
    },
    open: {
      type: 'array',
      description: 'Pages to open: a URL, or a reference id from an earlier search result.',
      items: {
        type: 'object',
        properties: {
          ref_id: { type: 'string', description: 'A URL or a reference id.' },
          lineno: { type: 'integer', description: 'The line to show the page from.' },
        },
        required: ['ref_id'],
      },
    },
  },
};

/** The `web` namespace of the lite layout's `additional_tools` item, with its one function `run`. */
export function webRunNamespace(): Record<string, unknown> {
  return {
    type: 'namespace',
    name: WEB_NAMESPACE,
    description: 'Access to the web.',
    tools: [
      {
        type: 'function',
        name: WEB_RUN,
        description: 'Search the web and open pages for current information. Cite the pages you use with Markdown links to their URLs.',
        strict: false,
        parameters: COMMANDS_PARAMETERS,
      },
    ],
  };
}

const CommandsSchema = z.looseObject({
  search_query: z.optional(z.array(z.looseObject({ q: z.string(), recency: z.optional(z.nullable(z.number())), domains: z.optional(z.nullable(z.array(z.string()))) }))),
  open: z.optional(z.array(z.looseObject({ ref_id: z.string(), lineno: z.optional(z.nullable(z.number())) }))),
});
type Commands = z.infer<typeof CommandsSchema>;

const SearchResponseSchema = z.looseObject({
  output: z.string(),
  encrypted_output: z.optional(z.nullable(z.string())),
});

/** Whether `host` is one of `domains` or below one. */
export function withinDomains(host: string, domains: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return domains.some((domain) => {
    const allowed = domain.toLowerCase().replace(/^\*?\./, '');
    return name === allowed || name.endsWith(`.${allowed}`);
  });
}

function literalUrl(ref: string): URL | undefined {
  if (!/^https?:\/\//i.test(ref)) return undefined;
  try {
    return new URL(ref);
  } catch {
    return undefined;
  }
}

const URL_IN_TEXT = /https?:\/\/[^\s<>()[\]{}"'`]+/g;

function urlsIn(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(URL_IN_TEXT)) {
    seen.add(match[0].replace(/[.,;:!?]+$/, ''));
    if (seen.size >= MAX_EVENT_URLS) break;
  }
  return [...seen];
}

/** The commands as sent: every query kept within `domains` (the model's own narrower list stays). */
function restricted(commands: Commands, domains: readonly string[] | undefined): Record<string, unknown> {
  const queries = commands.search_query?.map((query) => {
    const own = query.domains?.filter((domain) => !domains || withinDomains(domain, domains));
    const chosen = own?.length ? own : domains;
    return { q: query.q, ...(typeof query.recency === 'number' ? { recency: query.recency } : {}), ...(chosen?.length ? { domains: chosen } : {}) };
  });
  const open = commands.open?.map((page) => ({ ref_id: page.ref_id, ...(typeof page.lineno === 'number' ? { lineno: page.lineno } : {}) }));
  return { ...(queries?.length ? { search_query: queries } : {}), ...(open?.length ? { open } : {}) };
}

export interface WebRunOptions {
  http: Pick<BackendHttp, 'request'>;
  model: string;
  sessionId: string;
  search: WebSearchOptions;
  /** Workspace routing: the origin requests go to. */
  origin?: string;
}

/**
 * `web.run`, served by `POST {base}/alpha/search`. A call the model got wrong is answered with what is wrong; a
 * search the backend refuses (403/404: not offered to this account) ends the run with `search_unavailable`.
 */
export function webRunTool(options: WebRunOptions): Tool {
  const domains = options.search.domains?.length ? options.search.domains : undefined;
  return {
    name: WEB_RUN_TOOL,
    parameters: COMMANDS_PARAMETERS,
    builtin: true,
    async run(args, context) {
      const parsed = CommandsSchema.safeParse(args);
      if (!parsed.success) return { output: 'web.run takes {"search_query":[{"q":"…"}]} and/or {"open":[{"ref_id":"URL or id"}]}', isError: true };
      const commands = restricted(parsed.data, domains);
      const queries = (commands.search_query as { q: string }[] | undefined)?.map((query) => query.q) ?? [];
      const opened = (commands.open as { ref_id: string }[] | undefined)?.map((page) => page.ref_id) ?? [];
      if (queries.length === 0 && opened.length === 0) return { output: 'web.run needs a search_query or an open command', isError: true };
      const outside = domains ? opened.filter((ref) => literalUrl(ref) && !withinDomains(literalUrl(ref)!.hostname, domains)) : [];
      if (outside.length > 0) return { output: `only pages of ${domains!.join(', ')} may be opened, not ${outside.join(', ')}`, isError: true };
      const action = queries.length > 0 ? 'search' : 'open';
      const event = (status: SearchEvent['status'], urls: string[]): CodexEvent => ({ type: 'search', id: context.callId, action, queries, urls, status });
      const recent = recentConversation(context.input ?? []);
      const body = {
        id: options.sessionId,
        model: options.model,
        ...(recent.length > 0 ? { input: recent } : {}),
        commands,
        // As the official 0.171 client sends them (its /alpha/search body, seen against the fake).
        settings: { allowed_callers: ['direct'], external_web_access: true, ...(domains ? { filters: { allowed_domains: domains } } : {}) },
        max_output_tokens: SEARCH_OUTPUT_TOKENS,
      };
      let output: string;
      try {
        const { response } = await options.http.request({
          method: 'POST',
          path: '/alpha/search',
          body,
          ...(options.origin ? { origin: options.origin } : {}),
          ...(context.signal ? { signal: context.signal } : {}),
        });
        const json: unknown = await response.json().catch(() => undefined);
        const answer = SearchResponseSchema.safeParse(json);
        if (!answer.success) throw new CodexError('server_error', 'the web search answer has an unexpected shape (no output text)', { status: response.status });
        output = answer.data.output;
      } catch (error) {
        if (context.signal?.aborted) throw error;
        await context.emit?.(
          event(
            'failed',
            opened.filter((ref) => literalUrl(ref) !== undefined),
          ),
        );
        if (error instanceof CodexError && (error.status === 403 || error.status === 404)) {
          throw new CodexError('search_unavailable', `web search is not available to this account (HTTP ${error.status}): ${error.message}`, {
            status: error.status,
            ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
          });
        }
        throw error;
      }
      const urls = [...new Set([...opened.filter((ref) => literalUrl(ref) !== undefined), ...urlsIn(output)])].slice(0, MAX_EVENT_URLS);
      await context.emit?.(event('completed', urls));
      return output;
    },
  };
}

/** At most this much assistant text goes with a search (≈1k tokens, as the official client bounds it). */
const SEARCH_ASSISTANT_CHARS = 4_000;

/**
 * The conversation a search is sent with, as the official 0.171 client chooses it: the text of the previous user
 * message, the assistant text that followed it (bounded), and the current user message. Tool calls, developer
 * messages and images stay out.
 */
export function recentConversation(items: readonly InputItem[]): InputItem[] {
  const messages: { role: 'user' | 'assistant'; text: string[] }[] = [];
  for (const item of items) {
    if (item.type !== 'message' || item.role === 'developer') continue;
    // An image's framing texts (`<image …>` before it, `</image>` after it) go with the image; any other text beside
    // an image (a chat message's own text part, unframed) is the user's words and stays.
    const framing = (index: number) => {
      const part = item.content[index];
      if (part?.type !== 'input_text') return false;
      if (part.text === IMAGE_CLOSE_TAG) return item.content[index - 1]?.type === 'input_image';
      return isImageOpenTag(part.text) && item.content[index + 1]?.type === 'input_image';
    };
    const text = item.content.flatMap((part, index) => ((part.type === 'input_text' && !framing(index)) || part.type === 'output_text' ? [part.text] : []));
    if (text.length > 0) messages.push({ role: item.role, text });
  }
  const users = messages.flatMap((message, index) => (message.role === 'user' ? [index] : []));
  // From the previous question to the current one: what the model said during this turn (commentary) stays out.
  const tail = users.length === 0 ? [] : messages.slice(users.at(-2) ?? users[0], users.at(-1)! + 1);
  let budget = SEARCH_ASSISTANT_CHARS;
  const out: InputItem[] = [];
  for (const message of tail) {
    if (message.role === 'user') {
      out.push({ type: 'message', role: 'user', content: message.text.map((text) => ({ type: 'input_text', text })) });
      continue;
    }
    const kept: string[] = [];
    for (const text of message.text) {
      if (budget <= 0) break;
      kept.push(text.slice(0, budget));
      budget -= text.length;
    }
    if (kept.length > 0) out.push({ type: 'message', role: 'assistant', content: kept.map((text) => ({ type: 'output_text', text })) });
  }
  return out;
}

const WebSearchCallSchema = z.looseObject({
  id: z.optional(z.unknown()),
  status: z.optional(z.unknown()),
  action: z.optional(
    z.nullable(
      z.looseObject({
        type: z.optional(z.unknown()),
        query: z.optional(z.unknown()),
        queries: z.optional(z.unknown()),
        url: z.optional(z.unknown()),
        sources: z.optional(z.unknown()),
      }),
    ),
  ),
});

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : []);

/** A `search` event for a `web_search_call` item the backend ran (classic models); undefined for an unreadable item. */
export function hostedSearchEvent(item: unknown): SearchEvent | undefined {
  const parsed = WebSearchCallSchema.safeParse(item);
  if (!parsed.success) return undefined;
  const { id, status, action } = parsed.data;
  const kind = action?.type === 'search' ? 'search' : action?.type === 'open_page' || action?.type === 'find_in_page' ? 'open' : 'other';
  const queries = [...(typeof action?.query === 'string' ? [action.query] : []), ...strings(action?.queries)];
  const sources = Array.isArray(action?.sources) ? action.sources.map((source) => (source as { url?: unknown } | null)?.url) : [];
  const urls = [...new Set([...(typeof action?.url === 'string' ? [action.url] : []), ...strings(sources)])].slice(0, MAX_EVENT_URLS);
  return {
    type: 'search',
    id: typeof id === 'string' ? id : '',
    action: kind,
    queries: [...new Set(queries)],
    urls,
    status: status === 'failed' ? 'failed' : 'completed',
  };
}

const AnnotationSchema = z.looseObject({
  type: z.literal('url_citation'),
  url: z.string(),
  title: z.optional(z.nullable(z.string())),
  start_index: z.optional(z.nullable(z.number())),
  end_index: z.optional(z.nullable(z.number())),
});

/** The `url_citation` annotations of a message's content parts, in order. */
export function annotationCitations(parts: readonly unknown[]): Citation[] {
  const out: Citation[] = [];
  for (const part of parts) {
    const annotations = (part as { annotations?: unknown } | null)?.annotations;
    if (!Array.isArray(annotations)) continue;
    for (const annotation of annotations) {
      const parsed = AnnotationSchema.safeParse(annotation);
      if (!parsed.success) continue;
      const { url, title, start_index: start, end_index: end } = parsed.data;
      out.push({
        url,
        ...(title ? { title } : {}),
        ...(typeof start === 'number' ? { start_index: start } : {}),
        ...(typeof end === 'number' ? { end_index: end } : {}),
      });
    }
  }
  return out;
}

const MARKDOWN_LINK = /\[([^\]\n]{1,300})\]\((https?:\/\/[^\s)]+)\)/g;

/** The links of an answer: Markdown links (their text as the title), then bare URLs. */
export function linkCitations(text: string): Citation[] {
  const out: Citation[] = [];
  const covered: [number, number][] = [];
  for (const match of text.matchAll(MARKDOWN_LINK)) {
    out.push({ url: match[2]!, title: match[1]!.trim() });
    covered.push([match.index, match.index + match[0].length]);
  }
  for (const match of text.matchAll(URL_IN_TEXT)) {
    if (covered.some(([from, to]) => match.index >= from && match.index < to)) continue;
    out.push({ url: match[0].replace(/[.,;:!?]+$/, '') });
  }
  return out;
}

/** One citation per URL, the first kept (a later one may add the title the first lacked). */
export function uniqueCitations(citations: readonly Citation[]): Citation[] {
  const byUrl = new Map<string, Citation>();
  for (const citation of citations) {
    const earlier = byUrl.get(citation.url);
    if (!earlier) byUrl.set(citation.url, { ...citation });
    else if (earlier.title === undefined && citation.title !== undefined) earlier.title = citation.title;
  }
  return [...byUrl.values()];
}

/** The answer's sources: its annotations when it has any, else the links in its text. */
export function answerCitations(annotations: readonly Citation[], text: () => string, searched: readonly string[] = []): Citation[] {
  if (annotations.length > 0) return uniqueCitations(annotations);
  return uniqueCitations([...linkCitations(text()), ...searched.map((url) => ({ url }))]);
}

const DOMAIN = /^(?:\*\.)?(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * `search: true | { domains }` as a request takes it, checked: each domain a host name (`example.com`, `docs.python.org`).
 * `source` names the option in the message (`--search-domain`).
 */
export function searchOptions(value: boolean | WebSearchOptions | undefined, source = 'search.domains'): WebSearchOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {};
  if (typeof value !== 'object' || value === null) throw new UsageError('search must be true or { domains: [...] }');
  const domains = value.domains ?? [];
  if (!Array.isArray(domains)) throw new UsageError(`${source} must be a list of domains`);
  for (const domain of domains) {
    if (typeof domain !== 'string' || !DOMAIN.test(domain)) {
      throw new UsageError(`${source}: "${String(domain).slice(0, 100)}" is not a domain (give a host name such as example.com, without https:// or a path)`);
    }
  }
  return domains.length > 0 ? { domains: [...new Set(domains.map((domain) => domain.toLowerCase()))] } : {};
}
