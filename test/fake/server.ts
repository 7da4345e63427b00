import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answer, type Reply } from './replies.js';
import { DEFAULT_ACCOUNT, accessTokenFor, idTokenFor, opaqueToken, type Account } from './tokens.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
  body: unknown;
  /** When the fake had read the whole request (ms since the epoch). */
  receivedAt: number;
}

export interface IssuedTokens {
  access_token: string;
  refresh_token: string;
  id_token: string;
  expires_at: number;
  account_id: string;
  email: string;
  plan: string;
}

interface PendingCode {
  challenge: string;
  redirectUri: string;
  account: Account;
}

/** The public client id of OpenAI's Codex CLI (protocol §1). */
export const CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';

/** Request parameters the ChatGPT-account backend answers with 400 "Unsupported parameter" (protocol §5). */
const UNSUPPORTED_PARAMETERS = ['max_output_tokens', 'temperature', 'top_p'];

/**
 * The shape of the real `GET /models` answer (protocol §8). The list order is deliberately not the priority
 * order, one model is hidden, and the entries carry fields the client does not read (it must ignore them).
 */
export const FAKE_MODELS = [
  { slug: 'gpt-5.4', display_name: 'GPT-5.4', priority: 2, visibility: 'list', context_window: 400000, levels: ['low', 'medium', 'high', 'xhigh'] },
  { slug: 'gpt-5.1-codex-mini', display_name: 'GPT-5.1 Codex mini', priority: 9, visibility: 'hide', context_window: 272000, levels: ['medium', 'high'] },
  { slug: 'gpt-5.3-codex', display_name: 'GPT-5.3 Codex', priority: 4, visibility: 'list', context_window: 272000, levels: ['low', 'medium', 'high', 'xhigh'] },
  { slug: 'gpt-5.5', display_name: 'GPT-5.5', priority: 1, visibility: 'list', context_window: 400000, levels: ['low', 'medium', 'high', 'xhigh'] },
  { slug: 'gpt-5.4-mini', display_name: 'GPT-5.4 mini', priority: 3, visibility: 'list', context_window: 400000, levels: ['low', 'medium', 'high'] },
].map(({ levels, ...model }) => ({
  ...model,
  description: `${model.display_name} (fake)`,
  default_reasoning_level: 'medium',
  supported_reasoning_levels: levels.map((effort) => ({ effort, description: `${effort} effort` })),
  input_modalities: ['text', 'image'],
  supports_parallel_tool_calls: true,
  supports_reasoning_summaries: true,
  base_instructions: `You are Codex, based on ${model.display_name}. (fake instructions)`,
  shell_type: 'shell_command',
  supported_in_api: true,
}));

/**
 * One loopback HTTP server that plays both the OAuth issuer and the Codex backend, speaking their real wire
 * formats. Tests script replies per request and read back what it received.
 */
export class FakeCodex {
  readonly requests: RecordedRequest[] = [];
  /** Scripted replies for POST /responses, used in order; when empty, `defaultReply`. */
  readonly responses: Reply[] = [];
  /** Scripted replies for POST /oauth/token refresh grants, used in order before the normal behaviour. */
  readonly tokenReplies: Reply[] = [];
  /** Scripted replies for GET /models, used in order before the normal answer (`{models: this.models}`). */
  readonly modelsReplies: Reply[] = [];
  /** Scripted replies for POST /oauth/token authorization_code grants, used in order before the normal exchange. */
  readonly codeExchangeReplies: Reply[] = [];
  defaultReply: (body: unknown) => Reply = (body) => answer({ text: echoText(body), reasoning: ['Reading the prompt.'] });
  account: Account = { ...DEFAULT_ACCOUNT };
  /** Lifetime of access tokens the fake issues. */
  accessTtlS = 3600;
  /** Delay before answering a refresh (to widen race windows in tests). */
  refreshDelayMs = 0;
  /** The authorize page: approve and redirect, or redirect with an error. */
  authorize: { approve: true } | { approve: false; error: string; description: string } = { approve: true };
  /**
   * Device-code sign-in (protocol §2): `pendingPolls` polls answer "pending" (alternately 403 and 404, both mean
   * pending), then the poll after them is approved, or answered with `deny` when it is set.
   */
  deviceAuth: { enabled: boolean; pendingPolls: number; interval: string; deny?: { status: number; body: unknown } } = {
    enabled: true,
    pendingPolls: 2,
    interval: '1',
  };
  models: unknown[] = FAKE_MODELS;
  refreshCount = 0;

  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly validAccess = new Set<string>();
  private readonly liveRefresh = new Set<string>();
  private readonly usedRefresh = new Set<string>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly devices = new Map<string, { polls: number; code: string; verifier: string; challenge: string }>();
  url = '';

  get issuer(): string {
    return this.url;
  }

  get baseUrl(): string {
    return `${this.url}/backend-api/codex`;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const { port: bound } = this.server.address() as AddressInfo;
    this.url = `http://${host}:${bound}`;
    return this;
  }

  /** Forgets the requests seen and drops every scripted reply and delay (between tests). */
  reset(): void {
    this.requests.length = 0;
    this.responses.length = 0;
    this.tokenReplies.length = 0;
    this.modelsReplies.length = 0;
    this.codeExchangeReplies.length = 0;
    this.refreshDelayMs = 0;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Issues tokens as a sign-in would; `expiresInS` may be negative for an already expired access token. */
  issueTokens(expiresInS = this.accessTtlS, account: Account = this.account): IssuedTokens {
    const expiresAt = Math.floor(Date.now() / 1000) + expiresInS;
    const access = accessTokenFor(account, expiresAt);
    const refresh = opaqueToken('rt');
    this.validAccess.add(access);
    this.liveRefresh.add(refresh);
    return {
      access_token: access,
      refresh_token: refresh,
      id_token: idTokenFor(account, expiresAt),
      expires_at: expiresAt,
      account_id: account.accountId,
      email: account.email,
      plan: account.plan,
    };
  }

  /** Makes an access token unacceptable before its expiry (as a server-side revocation would). */
  revokeAccess(token: string): void {
    this.validAccess.delete(token);
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  get refreshRequests(): RecordedRequest[] {
    return this.requestsTo('/oauth/token').filter((r) => (r.body as { grant_type?: string })?.grant_type === 'refresh_token');
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const bodyText = await readBody(req);
    const body = parseBody(bodyText, req.headers['content-type']);
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, bodyText, body, receivedAt: Date.now() };
    this.requests.push(record);
    const closed = new Promise<void>((resolve) => res.on('close', () => resolve()));
    const key = `${req.method} ${url.pathname}`;
    try {
      switch (key) {
        case 'POST /backend-api/codex/responses':
          return await this.handleResponses(req, res, body, closed);
        case 'GET /backend-api/codex/models': {
          if (!this.authorized(req, res)) return;
          const scripted = this.modelsReplies.shift();
          if (scripted) return void (await scripted({ req, res, body, closed }));
          return json(res, 200, { models: this.models });
        }
        case 'POST /oauth/token':
          return await this.handleToken(req, res, body, closed);
        case 'GET /oauth/authorize':
          return this.handleAuthorize(url, res);
        case 'POST /oauth/revoke': {
          const token = (body as { token?: string })?.token;
          if (token) this.liveRefresh.delete(token);
          return json(res, 200, {});
        }
        case 'POST /api/accounts/deviceauth/usercode':
          return this.handleDeviceCode(res);
        case 'POST /api/accounts/deviceauth/token':
          return this.handleDevicePoll(res, body);
        default:
          return json(res, 404, { detail: 'Not Found' });
      }
    } catch (error) {
      if (!res.headersSent) json(res, 500, { detail: `fake crashed: ${(error as Error).message}` });
      else res.destroy();
    }
  }

  private authorized(req: IncomingMessage, res: ServerResponse): boolean {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const expired = (() => {
      try {
        const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp?: number };
        return (claims.exp ?? 0) <= Date.now() / 1000;
      } catch {
        return true;
      }
    })();
    if (!this.validAccess.has(token) || expired) {
      json(res, 401, {
        error: { message: 'Your authentication token has expired. Please try signing in again.', type: 'invalid_request_error', code: 'token_expired' },
      });
      return false;
    }
    if (req.headers['chatgpt-account-id'] !== this.account.accountId) {
      json(res, 403, { detail: 'Account mismatch' });
      return false;
    }
    return true;
  }

  private async handleResponses(req: IncomingMessage, res: ServerResponse, body: unknown, closed: Promise<void>): Promise<void> {
    if (!this.authorized(req, res)) return;
    const request = body as Record<string, unknown> | undefined;
    if (request?.store !== false) return json(res, 400, { detail: 'Store must be set to false' });
    if (request.stream !== true) return json(res, 400, { detail: 'Stream must be set to true' });
    if (!Array.isArray(request.input)) return json(res, 400, { detail: 'Input must be a list' });
    // Parameters the ChatGPT-account backend rejects (protocol §5).
    for (const parameter of UNSUPPORTED_PARAMETERS) {
      if (parameter in request) return json(res, 400, { detail: `Unsupported parameter: ${parameter}` });
    }
    if ((request.input as { role?: unknown }[]).some((item) => item?.role === 'system')) {
      return json(res, 400, { detail: 'System messages are not allowed' });
    }
    // Every function_call sent back needs its function_call_output (protocol §5).
    const items = request.input as { type?: unknown; call_id?: unknown }[];
    const answered = new Set(items.filter((item) => item?.type === 'function_call_output').map((item) => item.call_id));
    const unanswered = items.find((item) => item?.type === 'function_call' && !answered.has(item.call_id));
    if (unanswered) return json(res, 400, { detail: `No tool output found for function call ${String(unanswered.call_id)}.` });
    const reply = this.responses.shift() ?? this.defaultReply(body);
    await reply({ req, res, body, closed });
  }

  private async handleToken(req: IncomingMessage, res: ServerResponse, body: unknown, closed: Promise<void>): Promise<void> {
    const params = (body ?? {}) as Record<string, string>;
    if (params.grant_type === 'refresh_token') {
      if (this.refreshDelayMs) await new Promise((resolve) => setTimeout(resolve, this.refreshDelayMs));
      if (params.client_id !== CLIENT_ID) return json(res, 401, { error: 'invalid_client', error_description: 'Unknown client' });
      const scripted = this.tokenReplies.shift();
      if (scripted) return void (await scripted({ req, res, body, closed }));
      const token = params.refresh_token ?? '';
      if (this.usedRefresh.has(token)) {
        return json(res, 401, {
          error: {
            message: 'Your refresh token has already been used to generate a new access token. Please try signing in again.',
            type: 'invalid_request_error',
            param: null,
            code: 'refresh_token_reused',
          },
        });
      }
      if (!this.liveRefresh.has(token)) {
        return json(res, 401, { error: { message: 'Invalid refresh token', type: 'invalid_request_error', code: 'refresh_token_invalidated' } });
      }
      this.liveRefresh.delete(token);
      this.usedRefresh.add(token);
      this.refreshCount++;
      const next = this.issueTokens();
      return json(res, 200, { id_token: next.id_token, access_token: next.access_token, refresh_token: next.refresh_token, expires_in: this.accessTtlS });
    }
    if (params.grant_type === 'authorization_code') {
      const scripted = this.codeExchangeReplies.shift();
      if (scripted) return void (await scripted({ req, res, body, closed }));
      const pending = this.codes.get(params.code ?? '');
      if (!pending) return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
      this.codes.delete(params.code ?? '');
      const challenge = createHash('sha256').update(params.code_verifier ?? '').digest('base64url');
      if (challenge !== pending.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      if (params.redirect_uri !== pending.redirectUri) return json(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri mismatch' });
      if (params.client_id !== CLIENT_ID) return json(res, 401, { error: 'invalid_client', error_description: 'Unknown client' });
      const issued = this.issueTokens(this.accessTtlS, pending.account);
      return json(res, 200, { id_token: issued.id_token, access_token: issued.access_token, refresh_token: issued.refresh_token, expires_in: this.accessTtlS });
    }
    return json(res, 400, { error: 'unsupported_grant_type', error_description: `grant_type ${params.grant_type} is not supported` });
  }

  private handleAuthorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const redirect = q.get('redirect_uri') ?? '';
    const state = q.get('state') ?? '';
    if (q.get('client_id') !== CLIENT_ID || q.get('code_challenge_method') !== 'S256' || !redirect) {
      return json(res, 400, { error: 'invalid_request' });
    }
    const target = new URL(redirect);
    if (this.authorize.approve) {
      const code = opaqueToken('ac');
      this.codes.set(code, { challenge: q.get('code_challenge') ?? '', redirectUri: redirect, account: this.account });
      target.searchParams.set('code', code);
    } else {
      target.searchParams.set('error', this.authorize.error);
      target.searchParams.set('error_description', this.authorize.description);
    }
    target.searchParams.set('state', state);
    res.writeHead(302, { location: target.toString() });
    res.end();
  }

  private handleDeviceCode(res: ServerResponse): void {
    if (!this.deviceAuth.enabled) return json(res, 404, { detail: 'Not Found' });
    const deviceId = opaqueToken('dev');
    const verifier = randomBytes(64).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = opaqueToken('ac');
    this.devices.set(deviceId, { polls: 0, code, verifier, challenge });
    const userCode = `${randomBytes(2).toString('hex').toUpperCase()}-${randomBytes(2).toString('hex').toUpperCase()}`;
    (this.devices.get(deviceId) as { userCode?: string }).userCode = userCode;
    json(res, 200, { device_auth_id: deviceId, user_code: userCode, interval: this.deviceAuth.interval });
  }

  private handleDevicePoll(res: ServerResponse, body: unknown): void {
    const { device_auth_id: deviceId } = (body ?? {}) as { device_auth_id?: string };
    const device = this.devices.get(deviceId ?? '');
    if (!device) return json(res, 404, { detail: 'Unknown device' });
    const poll = device.polls++;
    if (poll < this.deviceAuth.pendingPolls) return json(res, poll % 2 === 0 ? 403 : 404, { detail: 'authorization_pending' });
    const deny = this.deviceAuth.deny;
    if (deny) return json(res, deny.status, deny.body);
    this.codes.set(device.code, { challenge: device.challenge, redirectUri: `${this.url}/deviceauth/callback`, account: this.account });
    json(res, 200, { authorization_code: device.code, code_challenge: device.challenge, code_verifier: device.verifier });
  }
}

/** The default answer repeats the user's last message, so a test can see what arrived. */
export function echoText(body: unknown): string {
  const input = (body as { input?: { type?: string; role?: string; content?: { type?: string; text?: string }[] }[] })?.input ?? [];
  const last = [...input].reverse().find((item) => item.type === 'message' && item.role === 'user');
  const text = last?.content?.find((part) => part.type === 'input_text')?.text ?? '';
  return `You said: ${text}`;
}

function json(res: ServerResponse, code: number, value: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json', 'x-request-id': `req_${randomBytes(4).toString('hex')}` });
  res.end(JSON.stringify(value));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
