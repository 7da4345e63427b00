import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import * as zlib from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { compareVersions, FAKE_CATALOG, newerVersionDetail, notSupportedDetail, RETIRED_SLUGS } from './catalog.js';
import { answer, PRIMARY_RESET_AT, type Reply, SECONDARY_RESET_AT } from './replies.js';
import { liteRefusal } from './request-rules.js';
import { missingNamespaceError, searchAnswer, searchRequestProblem } from './search.js';
import { loopbackTls } from './tls.js';
import { type Account, accessTokenFor, DEFAULT_ACCOUNT, idTokenFor, opaqueToken } from './tokens.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
  body: unknown;
  /** When the fake had read the whole request (ms since the epoch). */
  receivedAt: number;
  /** The client's port: requests that share it came over one connection (kept alive). */
  clientPort?: number;
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

/** Request parameters the ChatGPT-account backend answers with 400 "Unsupported parameter: X" (protocol §10). */
export const UNSUPPORTED_PARAMETERS = [
  'max_output_tokens',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'metadata',
  'top_logprobs',
  'truncation',
  'safety_identifier',
  'prompt_cache_retention',
  'previous_response_id',
];

export const LITE_HEADER = 'x-openai-internal-codex-responses-lite';

/** What is wrong with a request that carries the lite header but not the lite layout (protocol §10), if anything. */
function liteLayoutProblem(request: Record<string, unknown>): string | undefined {
  if ('tools' in request) return 'Unsupported parameter: tools (send tools as an additional_tools input item with responses lite)';
  if (request.parallel_tool_calls !== false) return 'parallel_tool_calls must be false with responses lite';
  const items = request.input as { type?: unknown; role?: unknown; tools?: unknown; reasoning?: unknown }[];
  for (const item of items) {
    if (item?.type === 'additional_tools' && (item.role !== 'developer' || !Array.isArray(item.tools))) {
      return 'Invalid additional_tools item: it needs role developer and a tools list';
    }
    if (item?.type === 'configuration_update' && (typeof item.reasoning !== 'object' || item.reasoning === null)) {
      return 'Invalid configuration_update item: reasoning must be an object';
    }
  }
  return undefined;
}

/** Plans the image endpoints refuse (reported: Plus and above have image generation). */
const IMAGELESS_PLANS = ['free', 'go', 'guest'];
/** A 1×1 PNG: what the fake's image endpoints make. */
export const FAKE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** Whether a catalog entry lists `tier` in its `service_tiers` (`auto` was refused too: can1357/oh-my-pi#6451). */
function servesTier(model: unknown, tier: unknown): boolean {
  const tiers = (model as { service_tiers?: unknown }).service_tiers;
  return Array.isArray(tiers) && tiers.some((entry) => (entry as { id?: unknown } | null)?.id === tier);
}

/** Routing of the signed-in workspace, as `GET /backend-api/wham/accounts/check` reports it (protocol §10, §11). */
export interface FakeRouting {
  /** `us`, `us_cr`, `NO_CONSTRAINT` (what the backend says of personal accounts), or absent: answered `null`. */
  override?: string;
  /** Where the workspace's requests go; absent: the fake's own origin (`null` only when `override` is absent too). */
  origin?: string;
}

/** What the backend answers for a personal account: no constraint, and its own (https) origin (protocol §11). */
export const PERSONAL_ROUTING: FakeRouting = { override: 'NO_CONSTRAINT' };

/** One quota window as `wham/usage` reports it (protocol §10). */
export interface FakeWindow {
  used_percent: number;
  limit_window_seconds: number;
  /** Unix seconds. */
  reset_at: number;
}

/** The account's quota: served by `wham/usage` and as `x-codex-*` headers on /responses and /models. */
export interface FakeQuota {
  plan_type: string;
  primary: FakeWindow | null;
  secondary: FakeWindow | null;
  credits: { has_credits: boolean; unlimited: boolean; balance: string } | null;
  active_limit: string;
  /** `additional_rate_limits`: per-feature buckets (e.g. a separate Spark limit); absent: not sent. */
  additional?: FakeAdditionalLimit[];
  /** `spend_control` as the backend sends it (a workspace's spend limits); absent: not sent. */
  spend_control?: Record<string, unknown>;
  /** The account's reset credits: counted in `wham/usage`, listed and redeemed at `wham/rate-limit-reset-credits`. */
  reset_credits: FakeResetCredit[];
}

/** One entry of `additional_rate_limits` (openai/codex backend-client types: AdditionalRateLimitDetails). */
export interface FakeAdditionalLimit {
  limit_name: string;
  metered_feature: string;
  primary: FakeWindow | null;
  secondary: FakeWindow | null;
}

/** One reset credit as `GET wham/rate-limit-reset-credits` lists it. */
export interface FakeResetCredit {
  id: string;
  reset_type: string;
  status: 'available' | 'redeemed' | 'expired';
  /** ISO 8601. */
  granted_at: string;
  expires_at: string | null;
  title?: string;
}

export function defaultQuota(): FakeQuota {
  return {
    plan_type: 'plus',
    primary: { used_percent: 12, limit_window_seconds: 300 * 60, reset_at: PRIMARY_RESET_AT },
    secondary: { used_percent: 34.5, limit_window_seconds: 10080 * 60, reset_at: SECONDARY_RESET_AT },
    credits: { has_credits: false, unlimited: false, balance: '0' },
    active_limit: 'codex',
    reset_credits: [],
  };
}

/** Every quota header the backend sends (protocol §7, §10) for this quota. */
export function quotaHeaders(quota: FakeQuota, nowMs = Date.now()): Record<string, string> {
  const headers: Record<string, string> = { 'x-codex-active-limit': quota.active_limit, 'x-codex-plan-type': quota.plan_type };
  for (const [name, window] of [
    ['primary', quota.primary],
    ['secondary', quota.secondary],
  ] as const) {
    if (!window) continue;
    headers[`x-codex-${name}-used-percent`] = String(window.used_percent);
    headers[`x-codex-${name}-window-minutes`] = String(Math.round(window.limit_window_seconds / 60));
    headers[`x-codex-${name}-reset-at`] = String(window.reset_at);
    headers[`x-codex-${name}-reset-after-seconds`] = String(Math.max(0, Math.round(window.reset_at - nowMs / 1000)));
  }
  if (quota.credits) {
    headers['x-codex-credits-has-credits'] = String(quota.credits.has_credits);
    headers['x-codex-credits-unlimited'] = String(quota.credits.unlimited);
    headers['x-codex-credits-balance'] = quota.credits.balance;
  }
  return headers;
}

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
  /** Echoes the prompt; a reasoning summary only when one was asked for, as the backend does. */
  defaultReply: (body: unknown) => Reply = (body) => answer({ text: echoText(body), ...(summaryRequested(body) ? { reasoning: ['Reading the prompt.'] } : {}) });
  account: Account = { ...DEFAULT_ACCOUNT };
  /** Lifetime of access tokens the fake issues. */
  accessTtlS = 3600;
  /** Delay before answering a refresh (to widen race windows in tests). */
  refreshDelayMs = 0;
  /** While set, refresh grants wait for it before the issuer looks at them (see holdRefreshes). */
  private refreshGate: Promise<void> | undefined;
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
  /** The catalog; entries with a `minimal_client_version` above the request's `client_version` are left out. */
  models: unknown[] = FAKE_CATALOG;
  /** Slugs answered "not supported" on /responses (as the real backend does for retired models). */
  retired: string[] = [...RETIRED_SLUGS];
  /** What `wham/accounts/check` says of the signed-in account. */
  routing: FakeRouting = { ...PERSONAL_ROUTING };
  /** Scripted replies for GET /backend-api/wham/accounts/check, used in order before the normal answer. */
  readonly accountsCheckReplies: Reply[] = [];
  /** Seconds the fake's clock (its `Date` header) is ahead of the real one. */
  clockSkewS = 0;
  /** The quota of `wham/usage` and of the `x-codex-*` headers. */
  quota: FakeQuota = defaultQuota();
  /** Scripted replies for GET /backend-api/wham/usage (failures), used in order before the normal answer. */
  readonly usageReplies: Reply[] = [];
  /** Scripted replies for the image endpoints, used in order before the normal answer (a 1×1 PNG). */
  readonly imageReplies: Reply[] = [];
  /** Scripted replies for `POST /alpha/search`, used in order before the normal answer (see search.ts). */
  readonly searchReplies: Reply[] = [];
  /** Scripted replies for `GET wham/rate-limit-reset-credits`, used in order before the normal list. */
  readonly resetCreditListReplies: Reply[] = [];
  /** The answer given to each redeem_request_id of a consumed reset credit (a retry gets the same answer). */
  readonly redeemAnswers = new Map<string, Record<string, unknown>>();
  /** Sent as `openai-model` on /responses answers instead of the requested model (the backend serving another). */
  servedModel: string | undefined;
  /** When set, every /responses answer carries `x-codex-turn-state: <this>-<n>`, n counting the answers. */
  turnState: string | undefined;
  private turnStateCount = 0;
  refreshCount = 0;

  /** PEM of the CA that signed the fake's certificate, when it serves https. */
  caCertificate: string | undefined;

  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly validAccess = new Set<string>();
  /** Codex access tokens (`at-…`, opaque) and whose they are; no refresh token goes with them. */
  private readonly accessTokens = new Map<string, { account: Account; expiresAt: number }>();
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

  /**
   * Listens on loopback: plain http by default; with `https`, TLS with a certificate from a throwaway CA
   * (`caCertificate`), as the official client needs (protocol §11).
   */
  async start(port = 0, host = '127.0.0.1', options: { https?: boolean } = {}): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.route(req, res);
    const tls = options.https ? loopbackTls() : undefined;
    this.caCertificate = tls?.ca;
    this.server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) : createServer(handler);
    this.server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket) => this.refuseUpgrade(req, socket));
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const { port: bound } = this.server.address() as AddressInfo;
    this.url = `${tls ? 'https' : 'http'}://${host}:${bound}`;
    return this;
  }

  /**
   * The backend's WebSocket transport is not played: `426 Upgrade Required` makes the official client fall back
   * to HTTP + SSE at once (a 404 costs it retries; protocol §11). The attempt is recorded like any request.
   */
  private refuseUpgrade(req: IncomingMessage, socket: Socket): void {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      bodyText: '',
      body: undefined,
      receivedAt: Date.now(),
    });
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    const body = JSON.stringify({ detail: 'Upgrade Required' });
    socket.end(`HTTP/1.1 426 Upgrade Required\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  }

  /** Forgets the requests seen, drops every scripted reply and delay, and restores the catalog and routing (between tests). */
  reset(): void {
    this.requests.length = 0;
    this.responses.length = 0;
    this.tokenReplies.length = 0;
    this.modelsReplies.length = 0;
    this.codeExchangeReplies.length = 0;
    this.accountsCheckReplies.length = 0;
    this.usageReplies.length = 0;
    this.imageReplies.length = 0;
    this.searchReplies.length = 0;
    this.resetCreditListReplies.length = 0;
    this.redeemAnswers.clear();
    this.quota = defaultQuota();
    this.servedModel = undefined;
    this.refreshDelayMs = 0;
    this.refreshGate = undefined;
    this.models = FAKE_CATALOG;
    this.retired = [...RETIRED_SLUGS];
    this.routing = { ...PERSONAL_ROUTING };
    this.turnState = undefined;
    this.clockSkewS = 0;
  }

  /**
   * reset(), and also the account, token lifetime, authorize page, device flow, default reply and every token and
   * code issued so far, with open connections dropped: as good as a new fake on the same port.
   */
  restoreDefaults(): void {
    const fresh = new FakeCodex();
    this.reset();
    this.defaultReply = fresh.defaultReply;
    this.account = fresh.account;
    this.accessTtlS = fresh.accessTtlS;
    this.authorize = fresh.authorize;
    this.deviceAuth = fresh.deviceAuth;
    this.turnStateCount = 0;
    this.refreshCount = 0;
    for (const issued of [this.validAccess, this.liveRefresh, this.usedRefresh]) issued.clear();
    this.accessTokens.clear();
    this.codes.clear();
    this.devices.clear();
    for (const socket of this.sockets) socket.destroy();
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
    this.accessTokens.delete(token);
  }

  /**
   * A Codex access token as a workspace admin mints one: opaque (`at-…`), with its own expiry, no refresh token.
   * `expiresInS` may be negative for one that has already expired.
   */
  issueAccessToken(expiresInS = 30 * 24 * 3600, account: Account = this.account): string {
    const token = `at-${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(token, { account, expiresAt: Math.floor(Date.now() / 1000) + expiresInS });
    return token;
  }

  /**
   * Holds every refresh grant until the returned function is called: a process can be killed while its refresh is
   * in flight. A held request whose client has gone by then is dropped unanswered, the refresh token unspent (the
   * issuer never saw it through).
   */
  holdRefreshes(): () => void {
    let open: () => void = () => undefined;
    this.refreshGate = new Promise<void>((resolve) => {
      open = resolve;
    });
    return () => {
      this.refreshGate = undefined;
      open();
    };
  }

  /** The live access token's entry (`at-…`), or undefined when it is unknown, expired or revoked. */
  private liveAccessToken(token: string): { account: Account; expiresAt: number } | undefined {
    const entry = this.accessTokens.get(token);
    return entry && entry.expiresAt > Date.now() / 1000 ? entry : undefined;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  get refreshRequests(): RecordedRequest[] {
    return this.requestsTo('/oauth/token').filter((r) => (r.body as { grant_type?: string })?.grant_type === 'refresh_token');
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    const decoded = decodeBody(raw, headerValue(req.headers['content-encoding']));
    const bodyText = 'text' in decoded ? decoded.text : '';
    const body = parseBody(bodyText, req.headers['content-type']);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      bodyText,
      body,
      receivedAt: Date.now(),
      ...(req.socket.remotePort !== undefined ? { clientPort: req.socket.remotePort } : {}),
    };
    this.requests.push(record);
    const closed = new Promise<void>((resolve) => res.on('close', () => resolve()));
    if (this.clockSkewS !== 0) res.setHeader('date', new Date(Date.now() + this.clockSkewS * 1000).toUTCString());
    const key = `${req.method} ${url.pathname}`;
    if ('problem' in decoded) return json(res, decoded.status, { detail: decoded.problem });
    try {
      switch (key) {
        case 'POST /backend-api/codex/responses':
          return await this.handleResponses(req, res, body, closed);
        case 'GET /backend-api/codex/models': {
          if (!this.authorized(req, res)) return;
          this.setQuotaHeaders(res);
          const scripted = this.modelsReplies.shift();
          if (scripted) return void (await scripted({ req, res, body, closed }));
          const clientVersion = url.searchParams.get('client_version') ?? undefined;
          return json(res, 200, { models: this.models.filter((model) => visibleTo(model, clientVersion)) });
        }
        case 'GET /backend-api/wham/usage':
          return await this.handleUsage(req, res, body, closed);
        case 'POST /backend-api/codex/images/generations':
        case 'POST /backend-api/codex/images/edits':
          return await this.handleImage(req, res, body, closed, url.pathname.endsWith('/edits'));
        case 'POST /backend-api/codex/alpha/search':
          return await this.handleSearch(req, res, body, closed);
        case 'GET /backend-api/wham/rate-limit-reset-credits': {
          if (!this.authorized(req, res)) return;
          const scripted = this.resetCreditListReplies.shift();
          if (scripted) return void (await scripted({ req, res, body, closed }));
          return this.handleResetCredits(req, res);
        }
        case 'POST /backend-api/wham/rate-limit-reset-credits/consume':
          return this.handleConsumeResetCredit(req, res, body);
        case 'GET /backend-api/wham/accounts/check':
          return await this.handleAccountsCheck(req, res, body, closed);
        case 'POST /oauth/token':
          return await this.handleToken(req, res, body, closed);
        case 'GET /.well-known/openid-configuration':
          return json(res, 200, {
            issuer: this.url,
            authorization_endpoint: `${this.url}/oauth/authorize`,
            token_endpoint: `${this.url}/oauth/token`,
            revocation_endpoint: `${this.url}/oauth/revoke`,
          });
        case 'GET /oauth/authorize':
          return this.handleAuthorize(url, res);
        case 'POST /oauth/revoke': {
          const token = (body as { token?: string })?.token;
          if (token) this.liveRefresh.delete(token);
          return json(res, 200, {});
        }
        case 'GET /api/accounts/v1/user-auth-credential/whoami':
          return this.handleWhoami(req, res);
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
    if (token.startsWith('at-')) {
      const entry = this.liveAccessToken(token);
      if (!entry) {
        json(res, 401, {
          error: { message: 'Your authentication token has expired. Please try signing in again.', type: 'invalid_request_error', code: 'token_expired' },
        });
        return false;
      }
      if (req.headers['chatgpt-account-id'] !== entry.account.accountId) {
        json(res, 403, { detail: 'Account mismatch' });
        return false;
      }
      return true;
    }
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
    for (const parameter of UNSUPPORTED_PARAMETERS) {
      if (parameter in request) return json(res, 400, { detail: `Unsupported parameter: ${parameter}` });
    }
    const slug = typeof request.model === 'string' ? request.model : '';
    const model = this.models.find((entry) => (entry as { slug?: unknown })?.slug === slug) as { minimal_client_version?: string } | undefined;
    if (!model || this.retired.includes(slug)) return json(res, 400, { detail: notSupportedDetail(slug) });
    const version = headerValue(req.headers.version);
    if (model.minimal_client_version !== undefined && (version === undefined || compareVersions(version, model.minimal_client_version) < 0)) {
      return json(res, 400, { detail: newerVersionDetail(slug) });
    }
    // A tier the model's catalog entry does not list is refused, in the words the backend uses (openai/codex#15099).
    if (request.service_tier !== undefined && !servesTier(model, request.service_tier)) {
      return json(res, 400, {
        error: { message: `Unsupported service_tier: ${String(request.service_tier)}`, type: 'invalid_request_error', param: 'service_tier', code: null },
      });
    }
    if (headerValue(req.headers[LITE_HEADER]) === 'true') {
      const problem = liteLayoutProblem(request) ?? liteRefusal(request);
      if (problem) return json(res, 400, { detail: problem });
    }
    if ((request.input as { role?: unknown }[]).some((item) => item?.role === 'system')) {
      return json(res, 400, { detail: 'System messages are not allowed' });
    }
    // Items sent back keep whatever ids they carry: the recorded backend took the official client's replayed
    // messages, reasoning and function calls with their ids under store=false (captures/*-tool-turn-state.json).
    // Every function_call sent back needs its function_call_output (protocol §5).
    const items = request.input as { type?: unknown; call_id?: unknown; id?: unknown }[];
    for (const [call, output, what] of [
      ['function_call', 'function_call_output', 'function call'],
      ['custom_tool_call', 'custom_tool_call_output', 'custom tool call'],
    ] as const) {
      const answered = new Set(items.filter((item) => item?.type === output).map((item) => item.call_id));
      const unanswered = items.find((item) => item?.type === call && !answered.has(item.call_id));
      if (unanswered) return json(res, 400, { detail: `No tool output found for ${what} ${String(unanswered.call_id)}.` });
    }
    const unspaced = missingNamespaceError(request as never);
    if (unspaced) return json(res, 400, unspaced);
    // Nothing is kept under store=false, so nothing can be referred to (the Responses API's own words).
    const reference = items.find((item) => item?.type === 'item_reference');
    if (reference) {
      return json(res, 400, {
        detail: `Item with id '${String(reference.id)}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
      });
    }
    // A named tool_choice is looked up among the top-level function tools only (hosted tools and the lite layout's
    // additional_tools item are not searched).
    const choice = request.tool_choice as { type?: unknown; name?: unknown } | undefined;
    if (typeof choice === 'object' && choice !== null && choice.type === 'function') {
      const tools = Array.isArray(request.tools) ? (request.tools as { type?: unknown; name?: unknown }[]) : [];
      if (!tools.some((tool) => tool?.type === 'function' && tool.name === choice.name)) {
        return json(res, 400, { detail: `Tool choice '${String(choice.name)}' not found in 'tools' parameter.` });
      }
    }
    // A fresh value on every answer, as a server that mints one per response would: the client keeps the first.
    if (this.turnState !== undefined) res.setHeader('x-codex-turn-state', `${this.turnState}-${++this.turnStateCount}`);
    this.setQuotaHeaders(res);
    res.setHeader('openai-model', this.servedModel ?? slug);
    const reply = this.responses.shift() ?? this.defaultReply(body);
    await reply({ req, res, body, closed });
  }

  private setQuotaHeaders(res: ServerResponse): void {
    for (const [name, value] of Object.entries(quotaHeaders(this.quota))) res.setHeader(name, value);
  }

  private async handleUsage(req: IncomingMessage, res: ServerResponse, body: unknown, closed: Promise<void>): Promise<void> {
    if (!this.authorized(req, res)) return;
    const scripted = this.usageReplies.shift();
    if (scripted) return void (await scripted({ req, res, body, closed }));
    const nowS = Date.now() / 1000;
    const window = (value: FakeWindow | null) => value && { ...value, reset_after_seconds: Math.max(0, Math.round(value.reset_at - nowS)) };
    const { quota } = this;
    const limit = (primary: FakeWindow | null, secondary: FakeWindow | null) => ({
      allowed: true,
      limit_reached: [primary, secondary].some((value) => (value?.used_percent ?? 0) >= 100),
      primary_window: window(primary),
      secondary_window: window(secondary),
    });
    json(res, 200, {
      plan_type: quota.plan_type,
      rate_limit: limit(quota.primary, quota.secondary),
      credits: quota.credits,
      rate_limit_reset_credits: { available_count: quota.reset_credits.filter((credit) => credit.status === 'available').length },
      ...(quota.additional
        ? {
            additional_rate_limits: quota.additional.map((entry) => ({
              limit_name: entry.limit_name,
              metered_feature: entry.metered_feature,
              rate_limit: limit(entry.primary, entry.secondary),
            })),
          }
        : {}),
      ...(quota.spend_control ? { spend_control: quota.spend_control } : {}),
    });
  }

  /**
   * `POST images/generations` `{prompt, model, background?, quality?, size?}` and `images/edits` `{images:[{image_url}],
   * prompt, model?}` → `{created, data:[{b64_json}], output_format, quality, size, usage}` (protocol §11). Plans
   * without image generation get 403.
   */
  private async handleImage(req: IncomingMessage, res: ServerResponse, body: unknown, closed: Promise<void>, edit: boolean): Promise<void> {
    if (!this.authorized(req, res)) return;
    if (IMAGELESS_PLANS.includes(this.account.plan)) return json(res, 403, { detail: 'Image generation is not available on your plan.' });
    const request = (body ?? {}) as { prompt?: unknown; model?: unknown; images?: unknown; size?: unknown; quality?: unknown; background?: unknown };
    if (typeof request.prompt !== 'string' || request.prompt.trim() === '') return json(res, 400, { detail: 'prompt is required' });
    if (!edit && typeof request.model !== 'string') return json(res, 400, { detail: 'model is required' });
    if (edit) {
      const images = request.images as { image_url?: unknown }[] | undefined;
      if (!Array.isArray(images) || images.length === 0 || !images.every((image) => typeof image?.image_url === 'string' && image.image_url.startsWith('data:image/'))) {
        return json(res, 400, { detail: 'images must be a list of {image_url: data URL}' });
      }
    }
    const scripted = this.imageReplies.shift();
    if (scripted) return void (await scripted({ req, res, body, closed }));
    json(res, 200, {
      created: Math.floor(Date.now() / 1000),
      background: typeof request.background === 'string' ? request.background : 'opaque',
      data: [{ b64_json: FAKE_PNG.toString('base64') }],
      output_format: 'png',
      quality: typeof request.quality === 'string' ? request.quality : 'medium',
      size: typeof request.size === 'string' && request.size !== 'auto' ? request.size : '1024x1024',
      usage: {
        input_tokens: 17,
        input_tokens_details: { image_tokens: 0, text_tokens: 17 },
        output_tokens: 1372,
        output_tokens_details: { image_tokens: 1372, text_tokens: 0 },
        total_tokens: 1389,
      },
    });
  }

  /** `POST {base}/alpha/search`: the commands of a `web.run` call, answered with text for the model. */
  private async handleSearch(req: IncomingMessage, res: ServerResponse, body: unknown, closed: Promise<void>): Promise<void> {
    if (!this.authorized(req, res)) return;
    const problem = searchRequestProblem(body);
    if (problem) return json(res, 400, { detail: problem });
    const scripted = this.searchReplies.shift();
    if (scripted) return void (await scripted({ req, res, body, closed }));
    json(res, 200, searchAnswer(body));
  }

  /** `GET wham/rate-limit-reset-credits`: every credit with its status, and how many are available. */
  private handleResetCredits(req: IncomingMessage, res: ServerResponse): void {
    if (!this.authorized(req, res)) return;
    const { reset_credits: credits } = this.quota;
    json(res, 200, { credits, available_count: credits.filter((credit) => credit.status === 'available').length });
  }

  /**
   * `POST wham/rate-limit-reset-credits/consume` `{redeem_request_id, credit_id?}` → `{code, windows_reset}`, code one
   * of reset, nothing_to_reset (no window used: the credit is kept), no_credit, already_redeemed (openai/codex
   * backend-client types). The same redeem_request_id sent again gets the first answer and spends nothing more.
   */
  private handleConsumeResetCredit(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    if (!this.authorized(req, res)) return;
    const request = (body ?? {}) as { redeem_request_id?: unknown; credit_id?: unknown };
    if (typeof request.redeem_request_id !== 'string' || request.redeem_request_id === '') return void json(res, 422, { detail: 'redeem_request_id is required' });
    if (request.credit_id !== undefined && typeof request.credit_id !== 'string') return void json(res, 422, { detail: 'credit_id must be a string' });
    const earlier = this.redeemAnswers.get(request.redeem_request_id);
    if (earlier) return void json(res, 200, earlier);
    const credits = this.quota.reset_credits;
    const credit = request.credit_id !== undefined ? credits.find((entry) => entry.id === request.credit_id) : credits.find((entry) => entry.status === 'available');
    if (request.credit_id !== undefined && !credit) return void json(res, 404, { detail: 'Credit not found' });
    let answer: Record<string, unknown>;
    if (!credit) answer = { code: 'no_credit', windows_reset: 0 };
    else if (credit.status !== 'available') answer = { code: 'already_redeemed', windows_reset: 0 };
    else {
      const used = [this.quota.primary, this.quota.secondary].filter((window): window is FakeWindow => window !== null && window.used_percent > 0);
      if (used.length === 0) answer = { code: 'nothing_to_reset', windows_reset: 0 };
      else {
        for (const window of used) window.used_percent = 0;
        credit.status = 'redeemed';
        answer = { code: 'reset', credit: { id: credit.id }, windows_reset: used.length };
      }
    }
    this.redeemAnswers.set(request.redeem_request_id, answer);
    json(res, 200, answer);
  }

  private async handleAccountsCheck(req: IncomingMessage, res: ServerResponse, body: unknown, closed: Promise<void>): Promise<void> {
    if (!this.authorized(req, res)) return;
    const scripted = this.accountsCheckReplies.shift();
    if (scripted) return void (await scripted({ req, res, body, closed }));
    const { accountId } = this.account;
    json(res, 200, {
      accounts: [
        {
          id: accountId,
          name: null,
          structure: this.routing.override ? 'workspace' : 'personal',
          account_routing_override: this.routing.override ?? null,
          workspace_backend_origin: this.routing.origin ?? (this.routing.override ? this.url : null),
        },
      ],
      default_account_id: accountId,
    });
  }

  /** The account behind a Codex access token, as the official client looks it up (auth.openai.com/api/accounts). */
  private handleWhoami(req: IncomingMessage, res: ServerResponse): void {
    const header = req.headers.authorization ?? '';
    const entry = header.startsWith('Bearer ') ? this.liveAccessToken(header.slice(7)) : undefined;
    if (!entry) {
      json(res, 401, { error: { message: 'Invalid or expired access token', type: 'invalid_request_error', code: 'invalid_token' } });
      return;
    }
    const { account } = entry;
    json(res, 200, {
      email: account.email,
      chatgpt_user_id: account.userId,
      chatgpt_account_id: account.accountId,
      chatgpt_plan_type: account.plan,
      chatgpt_account_is_fedramp: false,
    });
  }

  private async handleToken(req: IncomingMessage, res: ServerResponse, body: unknown, closed: Promise<void>): Promise<void> {
    const params = (body ?? {}) as Record<string, string>;
    if (params.grant_type === 'refresh_token') {
      if (this.refreshGate) {
        let gone = false;
        void closed.then(() => {
          gone = true;
        });
        await this.refreshGate;
        if (gone || res.destroyed) return;
      }
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
      const challenge = createHash('sha256')
        .update(params.code_verifier ?? '')
        .digest('base64url');
      if (challenge !== pending.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      if (params.redirect_uri !== pending.redirectUri) return json(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri mismatch' });
      if (params.client_id !== CLIENT_ID) return json(res, 401, { error: 'invalid_client', error_description: 'Unknown client' });
      const issued = this.issueTokens(this.accessTtlS, pending.account);
      return json(res, 200, { id_token: issued.id_token, access_token: issued.access_token, refresh_token: issued.refresh_token, expires_in: this.accessTtlS });
    }
    return json(res, 400, { error: 'unsupported_grant_type', error_description: `grant_type ${params.grant_type} is not supported` });
  }

  private handleAuthorize(url: URL, res: ServerResponse) {
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

  private handleDeviceCode(res: ServerResponse) {
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

  private handleDevicePoll(res: ServerResponse, body: unknown) {
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

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Whether a catalog entry is served to this client version (an entry without a minimum is served to all). */
function visibleTo(model: unknown, clientVersion: string | undefined): boolean {
  const minimum = (model as { minimal_client_version?: unknown })?.minimal_client_version;
  return typeof minimum !== 'string' || compareVersions(clientVersion, minimum) >= 0;
}

/** Whether the request asks for a reasoning summary (top level, or in a lite configuration_update item). */
export function summaryRequested(body: unknown): boolean {
  const request = body as { reasoning?: { summary?: unknown }; input?: { type?: unknown; reasoning?: { summary?: unknown } }[] } | undefined;
  const asked = (summary: unknown) => typeof summary === 'string' && summary !== 'none';
  return asked(request?.reasoning?.summary) || (request?.input ?? []).some((item) => item?.type === 'configuration_update' && asked(item.reasoning?.summary));
}

/** The default answer repeats the user's last message, so a test can see what arrived. */
export function echoText(body: unknown): string {
  const input = (body as { input?: { type?: string; role?: string; content?: string | { type?: string; text?: string }[] }[] })?.input ?? [];
  // A message item may leave out its type, and its content may be a plain string (the Responses API's short form).
  const last = [...input].reverse().find((item) => (item.type ?? 'message') === 'message' && item.role === 'user');
  const content = last?.content;
  // The official client frames each image with `<image name=[Image #1] …>` and `</image>` texts (protocol §11).
  const frame = (text: string | undefined) => /^<image\b[^>]*>$|^<\/image>$/.test(text ?? '');
  const text = typeof content === 'string' ? content : (content?.find((part) => part.type === 'input_text' && !frame(part.text))?.text ?? '');
  return `You said: ${text}`;
}

function json(res: ServerResponse, code: number, value: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json', 'x-request-id': `req_${randomBytes(4).toString('hex')}` });
  res.end(JSON.stringify(value));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Node ≥ 22.15 reads zstd itself; Node 20 does not, so the fake falls back to fzstd there. */
const nodeZstd = (zlib as { zstdDecompressSync?: (data: Buffer) => Buffer }).zstdDecompressSync;

/**
 * The request body as text. The official client compresses /responses bodies with zstd for ChatGPT sign-ins
 * (protocol §11); a body the fake cannot read is answered as such, never with a validation error about its contents.
 */
export function decodeBody(raw: Buffer, encoding: string | undefined): { text: string } | { status: number; problem: string } {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  try {
    if (name === 'identity' || name === '') return { text: raw.toString('utf8') };
    if (name === 'zstd') return { text: Buffer.from(nodeZstd ? nodeZstd(raw) : zstdDecompress(raw)).toString('utf8') };
    if (name === 'gzip') return { text: zlib.gunzipSync(raw).toString('utf8') };
    if (name === 'deflate') return { text: zlib.inflateSync(raw).toString('utf8') };
    if (name === 'br') return { text: zlib.brotliDecompressSync(raw).toString('utf8') };
  } catch {
    return { status: 400, problem: `Could not decode the ${name} request body` };
  }
  return { status: 415, problem: `Unsupported content-encoding: ${name}` };
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
