// Web search as the backend serves it (protocol §11): `POST {base}/alpha/search` for the client-side `web.run` of
// Responses Lite models (openai/codex codex-api search.rs: {id, model, input?, commands, settings?,
// max_output_tokens?} → {output, encrypted_output?}), and the hosted `web_search` tool of classic models, which
// the backend runs itself and reports as `web_search_call` items and `url_citation` annotations.
import { randomBytes } from 'node:crypto';
import { answer, outputText, type Reply } from './replies.js';

/** What is wrong with an `/alpha/search` body, in our words (the backend's own are not recorded), if anything. */
export function searchRequestProblem(body: unknown): string | undefined {
  const request = body as { id?: unknown; model?: unknown; commands?: unknown; settings?: unknown } | undefined;
  if (typeof request !== 'object' || request === null) return 'the body must be a JSON object';
  if (typeof request.id !== 'string' || request.id === '') return 'id is required';
  if (typeof request.model !== 'string' || request.model === '') return 'model is required';
  const commands = request.commands as { search_query?: unknown; open?: unknown } | undefined;
  if (typeof commands !== 'object' || commands === null) return 'commands is required';
  const input = (body as { input?: unknown }).input;
  if (input !== undefined && typeof input !== 'string' && !Array.isArray(input)) return 'input must be a string or a list of items';
  if (commands.search_query !== undefined) {
    if (!Array.isArray(commands.search_query)) return 'commands.search_query must be a list';
    for (const query of commands.search_query as { q?: unknown; recency?: unknown; domains?: unknown }[]) {
      if (typeof query?.q !== 'string') return 'commands.search_query[].q must be a string';
      if (query.recency !== undefined && !Number.isInteger(query.recency)) return 'commands.search_query[].recency must be an integer';
      if (query.domains !== undefined && !(Array.isArray(query.domains) && query.domains.every((d) => typeof d === 'string'))) {
        return 'commands.search_query[].domains must be a list of strings';
      }
    }
  }
  if (commands.open !== undefined) {
    if (!Array.isArray(commands.open)) return 'commands.open must be a list';
    if (!(commands.open as { ref_id?: unknown }[]).every((page) => typeof page?.ref_id === 'string')) return 'commands.open[].ref_id must be a string';
  }
  return undefined;
}

function allowedDomains(body: unknown): string[] {
  const domains = (body as { settings?: { filters?: { allowed_domains?: unknown } } })?.settings?.filters?.allowed_domains;
  return Array.isArray(domains) ? domains.filter((domain): domain is string => typeof domain === 'string') : [];
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'page';

/** Two results per query (on the allowed domain, else the query's own, else example.com) and each page opened. */
export function searchAnswer(body: unknown): { output: string; encrypted_output: string } {
  const commands = (body as { commands: { search_query?: { q: string; domains?: string[] }[]; open?: { ref_id: string }[] } }).commands;
  const allowed = allowedDomains(body);
  const lines: string[] = [];
  (commands.search_query ?? []).forEach((query, turn) => {
    const domain = allowed[0] ?? query.domains?.[0] ?? 'example.com';
    lines.push(`Results for "${query.q}":`);
    for (let n = 0; n < 2; n++) {
      lines.push(`【turn${turn}search${n}】 ${query.q} — part ${n + 1}: https://${domain}/${slug(query.q)}-${n + 1}`);
    }
  });
  for (const page of commands.open ?? []) lines.push(`Opened ${page.ref_id}:`, `L0: The page at ${page.ref_id} says hello.`);
  return { output: lines.join('\n'), encrypted_output: `gAAAAA${randomBytes(24).toString('base64url')}` };
}

type Tool = { type?: string; name?: string; tools?: Tool[]; filters?: { allowed_domains?: unknown } };
type Item = {
  type?: string;
  role?: string;
  name?: string;
  namespace?: string;
  call_id?: string;
  output?: unknown;
  content?: { type?: string; text?: string }[];
  tools?: Tool[];
};

/**
 * Function names a `function_call` must carry its namespace for: the functions of namespaces other than
 * `functions` that are not also plain functions.
 */
export function namespacedOnly(body: { tools?: Tool[]; input?: Item[] }): Set<string> {
  const plain = new Set<string>();
  const spaced = new Set<string>();
  const walk = (tools: Tool[], namespace: string | undefined) => {
    for (const tool of tools) {
      if (tool?.type === 'namespace' && Array.isArray(tool.tools)) walk(tool.tools, tool.name);
      else if (tool?.type === 'function' && typeof tool.name === 'string') (namespace && namespace !== 'functions' ? spaced : plain).add(tool.name);
    }
  };
  walk(body.tools ?? [], undefined);
  for (const item of body.input ?? []) if (item?.type === 'additional_tools' && Array.isArray(item.tools)) walk(item.tools, undefined);
  return new Set([...spaced].filter((name) => !plain.has(name)));
}

/** The backend's 400 for a namespaced call sent back without its namespace (vercel/ai fixture openai-missing-function-call-namespace-error). */
export function missingNamespaceError(body: { tools?: Tool[]; input?: Item[] }): Record<string, unknown> | undefined {
  const spacedOnly = namespacedOnly(body);
  const input = body.input ?? [];
  const index = input.findIndex((item) => item?.type === 'function_call' && !item.namespace && typeof item.name === 'string' && spacedOnly.has(item.name));
  if (index < 0) return undefined;
  return {
    error: {
      message: `Missing namespace for function_call '${input[index]!.name}'. It does not exist in the default namespace. Round-trip the model's function_call item with its namespace field included.`,
      type: 'invalid_request_error',
      param: `input[${index}].namespace`,
      code: null,
    },
  };
}

function promptOf(input: Item[]): string {
  // A message may leave out its type, and its content may be a plain string (the Responses API's short form).
  const user = [...input].reverse().find((item) => (item?.type ?? 'message') === 'message' && item.role === 'user');
  const content = user?.content;
  if (typeof content === 'string') return content;
  return content?.filter((part) => part.type === 'input_text' && !/^<\/?image\b/.test(part.text ?? '')).at(-1)?.text ?? '';
}

/**
 * Makes the fake's model search when a request offers web search, and answer as before otherwise. Not the
 * default: the official client offers `web.run` on every lite request, and its scenarios expect the echo.
 */
export function withSearchingModel(fake: { defaultReply: (body: unknown) => Reply }): void {
  const before = fake.defaultReply;
  fake.defaultReply = (body) => searchingModel(body) ?? before(body);
}

/**
 * How the fake's model uses web search when a request offers it: on classic models the backend searches for the
 * prompt (a `web_search_call`) and answers citing one result (a Markdown link with its `url_citation`); on lite
 * models it calls `web.run` with the prompt, then answers with Markdown links to the results it was given.
 * Undefined when the request offers no search.
 */
export function searchingModel(body: unknown): Reply | undefined {
  const request = (body ?? {}) as { tools?: Tool[]; input?: Item[] };
  const input = request.input ?? [];
  const hosted = (request.tools ?? []).find((tool) => tool?.type === 'web_search');
  if (hosted) {
    const allowed = hosted.filters?.allowed_domains;
    const domain = Array.isArray(allowed) && typeof allowed[0] === 'string' ? allowed[0] : 'example.com';
    const prompt = promptOf(input);
    const url = `https://${domain}/${slug(prompt)}`;
    const title = `About ${prompt}`.slice(0, 60);
    const before = `Here is what I found about ${prompt}. `;
    const link = `([${domain}](${url}))`;
    const text = `${before}${link}`;
    return answer({
      webSearches: [{ query: prompt, sources: [url, `https://${domain}/more`] }],
      text,
      annotations: [{ url, title, start_index: before.length, end_index: text.length }],
    });
  }
  const lite = input.some((item) => item?.type === 'additional_tools' && (item.tools ?? []).some((tool) => tool?.type === 'namespace' && tool.name === 'web'));
  if (!lite) return undefined;
  const last = input.at(-1);
  if (last?.type === 'function_call_output') {
    const call = input.find((item) => item?.type === 'function_call' && item.call_id === last.call_id);
    if (call?.namespace !== 'web') return undefined;
    const output = outputText(last.output);
    const urls = [...new Set(output.match(/https?:\/\/\S+/g) ?? [])].slice(0, 2);
    const links = urls.map((url) => `[${new URL(url).hostname}](${url})`).join(' and ');
    return answer({ text: urls.length > 0 ? `From the search: see ${links}.` : 'The search found nothing.' });
  }
  return answer({ functionCalls: [{ name: 'run', namespace: 'web', arguments: { search_query: [{ q: promptOf(input) }] } }] });
}
