// The layers of src/, lowest first. A module imports from its own layer and from earlier ones, never from a later
// one; the layers that share a rank (one inner list) do not import each other. test/unit/layering.test.ts holds
// every import in src/ to this list, and fails on a file that no layer names.

export interface Layer {
  name: string;
  /** Folders end in `/` and hold everything below them; other entries are single files. */
  paths: readonly string[];
}

export const LAYERS: readonly (readonly Layer[])[] = [
  // Errors and small pure helpers and constants that every layer uses.
  [
    {
      name: 'shared',
      paths: ['src/shared/'],
    },
  ],
  // Files under the config dir: credentials and the official auth.json format, the lock, profiles, templates.
  [{ name: 'store', paths: ['src/store/'] }],
  // Built-in defaults, and flags, env and config.json resolved into one configuration.
  [{ name: 'config', paths: ['src/config/'] }],
  // HTTP to the backend (auth headers from a TokenSource, retries, proxy), SSE, network errors.
  [{ name: 'transport', paths: ['src/transport/'] }],
  // OAuth (issuer calls, PKCE, the callback server), the token manager, the login flows.
  [{ name: 'auth', paths: ['src/auth/'] }],
  // The Responses API: requests, turns, the tool loop, events, models, usage, routing.
  [{ name: 'client', paths: ['src/client/'] }],
  // The conversation log: one locked JSON-lines file per conversation, and the history that fits a request.
  [{ name: 'conversations', paths: ['src/conversations/'] }],
  // The library facade.
  [{ name: 'library', paths: ['src/library/'] }],
  // On the facade: `codex serve`'s OpenAI-compatible API (also in-process, createOpenAIFetch), and the AI SDK
  // provider (`codex-oauth-cli/ai-sdk`).
  [
    { name: 'server', paths: ['src/server/'] },
    { name: 'ai-sdk', paths: ['src/ai-sdk/'] },
  ],
  // The package's root entry (`import 'codex-oauth-cli'`): the facade and the core it is built from.
  [{ name: 'package', paths: ['src/index.ts'] }],
  // The command line: commander, commands, terminal I/O, exit codes.
  [{ name: 'cli', paths: ['src/cli/', 'src/cli.ts'] }],
];
