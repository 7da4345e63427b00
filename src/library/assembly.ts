// The composition root: the credential store, the token manager, the Responses client and the side calls' HTTP
// client, wired from the facade's options, or from the resolved configuration (the CLI and `Codex.fromStore`).
import { randomUUID } from 'node:crypto';
import { openCredentialSource } from '../auth/credential-source.js';
import { OAuthClient } from '../auth/oauth.js';
import { TokenManager } from '../auth/token-manager.js';
import { ResponsesClient } from '../client/responses-client.js';
import { DEFAULT_BASE_URL, DEFAULT_CLIENT_VERSION, DEFAULT_ISSUER, DEFAULT_MODEL, type ResolvedConfig, resolveConfig, resolveModelAlias } from '../config/resolve.js';
import { checkEndpoint } from '../shared/endpoint-url.js';
import { messageOf } from '../shared/error-info.js';
import { AuthError, UsageError } from '../shared/errors.js';
import { decodeJwtClaims } from '../shared/jwt-claims.js';
import { type Credentials, MemoryCredentialStore, UNKNOWN_EXPIRY_S } from '../store/credentials.js';
import { checkProfileName } from '../store/profiles.js';
import { parseStoreUrl } from '../store/store-url.js';
import { BackendHttp } from '../transport/backend-http.js';
import { type Env, environmentOf } from './environment.js';
import { type HostOptions, internal } from './internal.js';
import type { CodexCommonOptions, CodexOptions, FromStoreOptions } from './types.js';

/** Retries for the side calls (catalog, quota, workspace check): they have fallbacks, so they should not keep a caller waiting. */
const SIDE_MAX_RETRIES = 1;

/** The constructor's options, with what a host program adds. */
export type AssemblyOptions = CodexOptions & { [internal]?: HostOptions };

/** What a host program (the CLI) adds when it opens a transport on its resolved configuration. */
export interface FromConfigOptions extends CodexCommonOptions, Omit<HostOptions, 'configDir' | 'authDir'> {}

/** One transport's parts, shared by the facade, its catalog and its planner. */
export interface Parts {
  readonly options: CodexOptions;
  readonly host: HostOptions;
  readonly tokens: TokenManager;
  readonly client: ResponsesClient;
  readonly baseUrl: string;
  /** The model chosen with the `model` option, else the built-in fallback. */
  readonly model: string;
  readonly clientVersion: string;
  /** The account of the credentials the token manager read last, and how many `onAuthRefresh` calls failed. */
  readonly seen: { accountId?: string; callbackFailures: number };
  sideHttp(): BackendHttp;
}

function expirySeconds(value: number | Date | undefined, apiKey: string): number {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new UsageError('Codex: expiresAt is an invalid Date');
    return Math.floor(value.getTime() / 1000);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UsageError('Codex: expiresAt must be a finite number of unix seconds');
    if (value > 100_000_000_000) {
      throw new UsageError('Codex: expiresAt is in unix seconds; the value given looks like milliseconds');
    }
    return Math.floor(value);
  }
  return decodeJwtClaims(apiKey).expiresAt ?? UNKNOWN_EXPIRY_S;
}

function memoryStore(options: CodexOptions): MemoryCredentialStore {
  const apiKey = options.apiKey;
  if (typeof apiKey !== 'string' || apiKey === '') {
    throw new UsageError('Codex needs an apiKey (the access token) or a store; Codex.fromStore() uses the CLI login');
  }
  const accountId = options.accountId ?? decodeJwtClaims(apiKey).accountId;
  if (!accountId) throw new UsageError('Codex: accountId is needed (the access token does not name the account)');
  const claims = decodeJwtClaims(apiKey);
  // Not parsed with the schema: a missing refresh token is allowed until a refresh is needed.
  const credentials: Credentials = {
    access_token: apiKey,
    refresh_token: options.refreshToken ?? '',
    expires_at: expirySeconds(options.expiresAt, apiKey),
    account_id: accountId,
    ...(claims.email ? { email: claims.email } : {}),
    ...(claims.plan ? { plan: claims.plan } : {}),
  };
  return new MemoryCredentialStore(credentials, { kind: 'env', location: 'the Codex options' });
}

/** The token manager on the store, with the OAuth client that refreshes and the `onAuthRefresh` callback. */
function tokenManager(options: CodexOptions, host: HostOptions, clientVersion: string, env: Env, seen: Parts['seen']): TokenManager {
  const { warn, observeCredentials } = host;
  const onAuthRefresh = options.onAuthRefresh;
  const store = options.store ?? memoryStore(options);
  const real = new OAuthClient({
    issuer: checkEndpoint(options.issuer ?? DEFAULT_ISSUER, 'Codex: issuer'),
    clientVersion,
    env,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const oauth: Pick<OAuthClient, 'refresh'> = {
    refresh: (refreshToken, reason) => {
      if (!refreshToken) {
        return Promise.reject(new AuthError('refresh_failed', 'the access token needs a refresh, but Codex was given no refreshToken'));
      }
      return real.refresh(refreshToken, reason);
    },
  };
  return new TokenManager({
    store,
    oauth,
    ...(host.refreshUnkept === false && !onAuthRefresh ? { refreshUnkept: false } : {}),
    ...(host.keepCredentialsForRun ? { keepForRun: true } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(warn ? { warn } : {}),
    observe: (credentials: Credentials) => {
      seen.accountId = credentials.account_id;
      observeCredentials?.(credentials);
    },
    ...(onAuthRefresh
      ? {
          onRefresh: async (credentials: Credentials) => {
            try {
              await onAuthRefresh({ ...credentials });
            } catch (error) {
              seen.callbackFailures++;
              throw new AuthError('credentials_unwritable', `onAuthRefresh failed: ${messageOf(error)} (the rotated tokens are in use but were not persisted)`, {
                cause: error,
              });
            }
          },
        }
      : {}),
  });
}

/** A version someone chose is kept; the default one follows the newest official release when the backend asks for a newer one (looked up only then). */
function versionUpgrader(options: CodexOptions, host: HostOptions, env: Env): ((current: string) => Promise<string | undefined>) | undefined {
  const versionChosen = options.clientVersion !== undefined || Boolean(env.CODEX_CLIENT_VERSION);
  if (versionChosen) return undefined;
  return async (current) => {
    const { compareVersions, latestCodexVersion, npmRegistry } = await import('../client/latest-version.js');
    const latest = await latestCodexVersion({
      registry: npmRegistry(env),
      ...(host.configDir ? { cacheDir: host.configDir } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    if (!latest || compareVersions(latest, current) <= 0) return undefined;
    host.warn?.(
      `the backend wants a newer Codex client than ${current}; retrying as ${latest}, the newest @openai/codex on npm (set "client_version" in config.json to choose one)`,
    );
    return latest;
  };
}

export function assemble(given: AssemblyOptions): Parts {
  const { [internal]: host = {}, ...options } = given;
  const baseUrl = checkEndpoint(options.baseUrl ?? DEFAULT_BASE_URL, 'Codex: baseUrl').replace(/\/+$/, '');
  const env = environmentOf(options);
  const clientVersion = options.clientVersion ?? (env.CODEX_CLIENT_VERSION || undefined) ?? DEFAULT_CLIENT_VERSION;
  const seen: Parts['seen'] = { callbackFailures: 0 };
  const tokens = tokenManager(options, host, clientVersion, env, seen);
  const upgradeClientVersion = versionUpgrader(options, host, env);
  const client = new ResponsesClient({
    baseUrl,
    tokens,
    sessionId: options.sessionId ?? randomUUID(),
    clientVersion,
    env,
    ...(upgradeClientVersion ? { upgradeClientVersion } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    ...(options.retryBaseDelayMs !== undefined ? { retryBaseDelayMs: options.retryBaseDelayMs } : {}),
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(host.warn ? { warn: host.warn } : {}),
  });
  const sideHttp = () =>
    new BackendHttp({
      baseUrl,
      tokens,
      sessionId: client.sessionId,
      clientVersion,
      env,
      maxRetries: Math.min(SIDE_MAX_RETRIES, options.maxRetries ?? SIDE_MAX_RETRIES),
      ...(options.retryBaseDelayMs !== undefined ? { retryBaseDelayMs: options.retryBaseDelayMs } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  return { options, host, tokens, client, baseUrl, model: options.model ?? DEFAULT_MODEL, clientVersion, seen, sideHttp };
}

/**
 * The one way the CLI and `fromStore` open a transport: the login of `config.authDir` (or `CODEX_AUTH_JSON`),
 * the config dir for the caches, and the base URL, issuer, client version, layout and model that env and
 * config.json chose. Options given here win over the configuration.
 */
export function optionsFromConfig(config: ResolvedConfig, options: FromConfigOptions = {}): AssemblyOptions {
  const { warn: givenWarn, observeCredentials, refreshUnkept, keepCredentialsForRun, ...rest } = options;
  const env = environmentOf(options);
  const warn = givenWarn ?? options.log;
  const chosen = options.model ?? (env.CODEX_MODEL || undefined) ?? config.file.model;
  const model = chosen === undefined ? undefined : resolveModelAlias(chosen, config.file);
  return {
    ...rest,
    env,
    dataDir: options.dataDir ?? config.dataDir,
    baseUrl: options.baseUrl ?? config.baseUrl,
    issuer: options.issuer ?? config.issuer,
    ...(options.clientVersion !== undefined || config.clientVersionChosen ? { clientVersion: options.clientVersion ?? config.clientVersion } : {}),
    responsesLayout: options.responsesLayout ?? config.responsesLayout,
    ...(model !== undefined ? { model } : {}),
    store: openCredentialSource(env, {
      authDir: config.authDir,
      profile: config.profile,
      credentialStore: config.credentialStore,
      issuer: options.issuer ?? config.issuer,
      clientVersion: options.clientVersion ?? config.clientVersion,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(warn ? { warn } : {}),
      ...(options.log ? { log: options.log } : {}),
    }),
    [internal]: {
      configDir: config.configDir,
      authDir: config.authDir,
      ...(givenWarn ? { warn: givenWarn } : {}),
      ...(observeCredentials ? { observeCredentials } : {}),
      ...(refreshUnkept !== undefined ? { refreshUnkept } : {}),
      ...(keepCredentialsForRun ? { keepCredentialsForRun } : {}),
    },
  };
}

/** `Codex.fromStore`'s options as a resolved configuration: the CLI's config dir, profile and credential store. */
export function optionsFromStore(options: FromStoreOptions = {}): AssemblyOptions {
  const { configDir, profile, credentialStore, ...rest } = options;
  if (profile !== undefined) checkProfileName(profile, 'profile');
  const config = resolveConfig({ ...(configDir ? { configDir } : {}), ...(profile !== undefined ? { profile } : {}) }, environmentOf(options));
  if (credentialStore !== undefined) config.credentialStore = parseStoreUrl(credentialStore, 'credentialStore');
  return optionsFromConfig(config, rest);
}
