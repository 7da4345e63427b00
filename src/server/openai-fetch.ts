// createOpenAIFetch(): `codex serve`'s /v1 API as a fetch function in this process, for any client that takes a
// custom fetch (`new OpenAI({ apiKey: 'unused', baseURL: 'http://codex.invalid/v1', fetch: createOpenAIFetch() })`).
// The same handlers as serve (createApp), with no port and nothing listening, so no key or guard either. Hono and
// the handlers are loaded on the first call, never by `import 'codex-oauth-cli'`.
import { Codex, type FromStoreOptions } from '../library/codex.js';

export interface OpenAIFetchOptions extends FromStoreOptions {
  /** A facade to use (one made with `new Codex({ apiKey, … })`, say) instead of `Codex.fromStore(options)`. */
  codex?: Codex;
  /** One line per request, as `codex serve` logs it (method, path, model, status, ms, tokens; never a prompt). */
  accessLog?: (line: string) => void;
}

type Handler = (request: Request) => Response | Promise<Response>;

export function createOpenAIFetch(options: OpenAIFetchOptions = {}): typeof fetch {
  const { codex, accessLog, ...storeOptions } = options;
  let handler: Promise<Handler> | undefined;
  const load = async (): Promise<Handler> => {
    const { createApp } = await import('./app.js');
    const app = createApp({
      transport: codex ?? Codex.fromStore(storeOptions),
      accessLog: accessLog ?? (() => undefined),
      // Nothing to shut down: each request ends with its caller's signal.
      shutdown: new AbortController().signal,
    });
    return (request) => app.fetch(request);
  };
  const openAIFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    handler ??= load().catch((error: unknown) => {
      handler = undefined;
      throw error;
    });
    return (await handler)(request);
  };
  return openAIFetch as typeof fetch;
}
