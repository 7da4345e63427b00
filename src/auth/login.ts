import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import * as z from 'zod/mini';
import { CLIENT_ID, ORIGINATOR } from '../config.js';
import { AuthError, UsageError } from '../errors.js';
import {
  CredentialsSchema,
  OfficialAuthSchema,
  credentialsFromOfficial,
  type Credentials,
} from '../store/credentials.js';
import { startCallbackServer } from './callback-server.js';
import { credentialsFromTokens, describeNetworkError, parseOAuthError, type OAuthClient, type TokenResponse } from './oauth.js';
import { createPkce, createState, s256Challenge } from './pkce.js';
import { errnoCode, errnoOrMessage, messageOf } from '../error-info.js';
import { readJsonFile } from '../store/json-file.js';

export const DEFAULT_LOGIN_TIMEOUT_S = 300;
/** A device user code is valid for 15 minutes. */
export const DEVICE_CODE_LIFETIME_S = 15 * 60;
const SCOPE = 'openid profile email offline_access';

export interface LoginIo {
  /** A line for the user (the CLI writes it to stderr). */
  say: (line: string) => void;
  /** --verbose diagnostics. */
  log?: (message: string) => void;
  /** Told about every secret handled (code, verifier, tokens) so diagnostics can mask it. */
  secret?: (value: string) => void;
}

export interface AuthorizeUrlParams {
  issuer: string;
  redirectUri: string;
  challenge: string;
  state: string;
  clientId?: string;
}

/** `{issuer}/oauth/authorize?…` with every parameter the official client sends. */
export function buildAuthorizeUrl(params: AuthorizeUrlParams): string {
  const url = new URL(`${params.issuer.replace(/\/+$/, '')}/oauth/authorize`);
  const query: Record<string, string> = {
    response_type: 'code',
    client_id: params.clientId ?? CLIENT_ID,
    redirect_uri: params.redirectUri,
    scope: SCOPE,
    code_challenge: params.challenge,
    code_challenge_method: 'S256',
    id_token_add_organizations: 'true',
    codex_cli_simplified_flow: 'true',
    state: params.state,
    originator: ORIGINATOR,
  };
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}

/** Credentials from a fresh sign-in; a token set without account or expiry is a failed login. */
export function loginCredentials(tokens: TokenResponse): Credentials {
  try {
    return credentialsFromTokens(tokens);
  } catch (error) {
    throw new AuthError('login_failed', `the sign-in returned unusable tokens: ${messageOf(error)}`);
  }
}

/** Rejects when the signal aborts, with its reason. */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}

export interface BrowserLoginOptions {
  issuer: string;
  oauth: Pick<OAuthClient, 'exchangeCode'>;
  /** undefined: 1455, then 1457. */
  port?: number;
  /** Opens the authorize URL; undefined = do not try. Resolves false when no browser could be started. */
  openBrowser?: (url: string) => Promise<boolean>;
  /** Lines typed or piped here are checked as pasted redirect URLs. */
  pasteInput?: Readable;
  /** Persists the credentials; runs before the browser sees the success page. */
  save: (credentials: Credentials) => Promise<void>;
  /** Ctrl-C and --timeout. */
  signal: AbortSignal;
}

/** Parses what a user pasted: the whole redirect URL, or just its query. undefined when it is neither. */
export function parsePastedCallback(line: string): URLSearchParams | undefined {
  const text = line.trim().replace(/^["'<]+|[>"']+$/g, '');
  if (text === '') return undefined;
  let query: URLSearchParams;
  if (/^https?:\/\//i.test(text)) {
    try {
      query = new URL(text).searchParams;
    } catch {
      return undefined;
    }
  } else if (/(^|[?&])(code|error|state)=/.test(text)) {
    query = new URLSearchParams(text.slice(text.indexOf('?') + 1));
  } else {
    return undefined;
  }
  return query.has('state') || query.has('code') || query.has('error') ? query : undefined;
}

/** OAuth2 authorization code + PKCE through a loopback callback (or a pasted redirect URL). */
export async function browserLogin(options: BrowserLoginOptions, io: LoginIo): Promise<Credentials> {
  const { signal } = options;
  const pkce = createPkce();
  const state = createState();
  io.secret?.(pkce.verifier);
  const server = await startCallbackServer<Credentials>({
    state,
    ...(options.port !== undefined ? { port: options.port } : {}),
    log: io.log,
    complete: async (code) => {
      io.secret?.(code);
      io.log?.('callback accepted; exchanging the authorization code');
      const tokens = await options.oauth.exchangeCode({ code, redirectUri: server.redirectUri, codeVerifier: pkce.verifier });
      for (const token of [tokens.access_token, tokens.refresh_token, tokens.id_token]) if (token) io.secret?.(token);
      const credentials = loginCredentials(tokens);
      throwIfAborted(signal);
      await options.save(credentials);
      return credentials;
    },
  });
  let reader: ReturnType<typeof createInterface> | undefined;
  let inputEnded: Promise<never> | undefined;
  try {
    io.log?.(`callback server listening on 127.0.0.1:${server.port}`);
    const url = buildAuthorizeUrl({ issuer: options.issuer, redirectUri: server.redirectUri, challenge: pkce.challenge, state });
    io.say('Sign in with your ChatGPT account: open this URL in a browser.');
    io.say(url);
    if (options.openBrowser) {
      const opened = await options.openBrowser(url);
      io.say(opened ? 'Opened your browser; waiting for the sign-in…' : 'Could not open a browser; open the URL above yourself. Waiting…');
    } else {
      io.say(`Waiting for the browser to come back to ${server.redirectUri}…`);
    }
    if (options.pasteInput) {
      io.say(
        `Browser on another machine (SSH)? After approving, it is sent to http://localhost:${server.port}/auth/callback?code=… ` +
          'which fails to load there: copy that whole URL from its address bar and paste it here, then press Enter.',
      );
      reader = createInterface({ input: options.pasteInput, terminal: false, crlfDelay: Infinity });
      const submissions: Promise<unknown>[] = [];
      reader.on('line', (line) => {
        if (line.trim() === '') return;
        const query = parsePastedCallback(line);
        if (!query) {
          io.say(`That is not the redirect URL; paste the whole address, starting with http://localhost:${server.port}/auth/callback?code=`);
          return;
        }
        submissions.push(
          server.submit(query).then((verdict) => {
            if (verdict.kind === 'rejected') io.say(`Pasted URL not accepted: ${verdict.message}. Still waiting…`);
          }),
        );
      });
      // A pipe that ends with nothing accepted will never paste anything more: say so now, not at --timeout.
      if ((options.pasteInput as { isTTY?: boolean }).isTTY !== true) {
        inputEnded = new Promise<never>((_resolve, reject) => {
          reader!.once('close', () => {
            void Promise.allSettled(submissions).then(() => {
              if (!server.handled) reject(new AuthError('login_failed', 'standard input ended without an accepted redirect URL'));
            });
          });
        });
      }
    } else {
      io.say(`Browser on another machine? Forward the port first: ssh -L ${server.port}:localhost:${server.port} <this host>, or use --paste or --device.`);
    }
    return await Promise.race([server.result, whenAborted(signal), ...(inputEnded ? [inputEnded] : [])]);
  } finally {
    reader?.close();
    if (options.pasteInput && 'destroy' in options.pasteInput) options.pasteInput.destroy();
    await server.close();
  }
}

const DeviceCodeSchema = z.looseObject({
  device_auth_id: z.string().check(z.minLength(1)),
  user_code: z.string().check(z.minLength(1)),
  interval: z.optional(z.union([z.string(), z.number()])),
});

const DeviceTokenSchema = z.looseObject({
  authorization_code: z.string().check(z.minLength(1)),
  code_challenge: z.optional(z.string()),
  code_verifier: z.string().check(z.minLength(1)),
});

export interface DeviceLoginOptions {
  /** Its issuer and client id are the device flow's too. */
  oauth: Pick<OAuthClient, 'exchangeCode' | 'postJson' | 'issuer' | 'clientId'>;
  save: (credentials: Credentials) => Promise<void>;
  signal: AbortSignal;
}

const DEVICE_NOT_ENABLED =
  'device code sign-in is not enabled for this ChatGPT account. Turn on "device code authorization" for Codex ' +
  'in ChatGPT settings (Security), or sign in with the browser instead: `codex login` (over SSH, paste the redirect URL it asks for)';

/** A device-auth call; a network failure ends the sign-in (the poll loop retries only HTTP answers). */
async function devicePost(oauth: DeviceLoginOptions['oauth'], path: string, body: unknown, signal: AbortSignal): Promise<{ status: number; json: unknown }> {
  try {
    return await oauth.postJson(path, body, signal);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new AuthError('login_failed', `could not reach ${oauth.issuer}: ${describeNetworkError(error, `${oauth.issuer}${path}`)}`, { cause: error });
  }
}

function parseInterval(value: string | number | undefined): number {
  const seconds = typeof value === 'number' ? value : Number.parseFloat(value ?? '');
  // At least a second between polls, whatever the issuer says; at most a minute.
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(Math.max(seconds, 1), 60) : 5;
}

/** Device-code sign-in (protocol §2): show a code, poll until it is approved, exchange. */
export async function deviceLogin(options: DeviceLoginOptions, io: LoginIo): Promise<Credentials> {
  const { signal } = options;
  const { oauth } = options;
  const issuer = oauth.issuer;
  const start = await devicePost(oauth, '/api/accounts/deviceauth/usercode', { client_id: oauth.clientId }, signal);
  if (start.status === 404) throw new AuthError('login_failed', DEVICE_NOT_ENABLED, { status: 404 });
  const device = DeviceCodeSchema.safeParse(start.json);
  if (start.status < 200 || start.status >= 300 || !device.success) {
    const info = parseOAuthError(start.json);
    throw new AuthError('login_failed', `device code sign-in could not start: ${info.description ?? info.code ?? `HTTP ${start.status}`}`, {
      status: start.status,
    });
  }
  const { device_auth_id: deviceAuthId, user_code: userCode } = device.data;
  const intervalS = parseInterval(device.data.interval);
  io.say(`To sign in, open ${issuer}/codex/device in a browser (on any device) and enter this code:`);
  io.say(`    ${userCode}`);
  io.say(`The code is valid for 15 minutes. Waiting for approval (checking every ${intervalS} s)…`);

  for (let poll = 1; ; poll++) {
    throwIfAborted(signal);
    const answer = await devicePost(oauth, '/api/accounts/deviceauth/token', { device_auth_id: deviceAuthId, user_code: userCode }, signal);
    if (answer.status >= 200 && answer.status < 300) {
      const grant = DeviceTokenSchema.safeParse(answer.json);
      if (!grant.success) throw new AuthError('login_failed', 'the issuer sent an unreadable device sign-in answer');
      const { authorization_code: code, code_verifier: verifier, code_challenge: challenge } = grant.data;
      io.secret?.(code);
      io.secret?.(verifier);
      if (challenge !== undefined && s256Challenge(verifier) !== challenge) {
        throw new AuthError('login_failed', 'the device sign-in answer failed its PKCE check');
      }
      io.log?.('device code approved; exchanging the authorization code');
      const tokens = await options.oauth.exchangeCode({ code, redirectUri: `${issuer}/deviceauth/callback`, codeVerifier: verifier });
      for (const token of [tokens.access_token, tokens.refresh_token, tokens.id_token]) if (token) io.secret?.(token);
      const credentials = loginCredentials(tokens);
      throwIfAborted(signal);
      await options.save(credentials);
      return credentials;
    }
    if (answer.status === 403 || answer.status === 404) {
      io.log?.(`device poll ${poll}: still pending`);
    } else if (answer.status >= 500 || answer.status === 429) {
      io.log?.(`device poll ${poll}: HTTP ${answer.status}, trying again`);
    } else {
      const info = parseOAuthError(answer.json);
      throw new AuthError('login_failed', `device code sign-in failed: ${info.description ?? info.code ?? `HTTP ${answer.status}`}`, {
        status: answer.status,
      });
    }
    try {
      await delay(intervalS * 1000, undefined, { signal });
    } catch {
      throw signal.reason;
    }
  }
}

/** `$CODEX_HOME/auth.json`, else `~/.codex/auth.json`. */
export function defaultOfficialAuthPath(env: Record<string, string | undefined> = process.env): string {
  const home = env.CODEX_HOME;
  return home && home !== '' ? join(home, 'auth.json') : join(env.HOME || homedir(), '.codex', 'auth.json');
}

/** Reads the official CLI's auth.json (or one of ours) and turns it into our credentials. */
export async function importCredentials(path: string): Promise<Credentials> {
  const json = await readJsonFile(path, z.unknown(), {
    errorFor: (problem) => {
      if (problem.kind !== 'unreadable') return new UsageError(`--import: ${path} is not valid JSON`);
      if (errnoCode(problem.error) === 'ENOENT') {
        return new UsageError(
          `--import: ${path} does not exist (newer official Codex CLIs may keep the sign-in in the OS keyring instead); run \`codex login\``,
        );
      }
      return new UsageError(`--import: cannot read ${path} (${errnoOrMessage(problem.error)})`);
    },
  });
  const official = OfficialAuthSchema.safeParse(json);
  if (official.success) {
    const credentials = credentialsFromOfficial(official.data);
    if (!credentials) {
      throw new AuthError('login_failed', `--import: the tokens in ${path} carry no ChatGPT account id or expiry`);
    }
    return credentials;
  }
  const ours = CredentialsSchema.safeParse(json);
  if (ours.success) return ours.data;
  const apiKeyOnly = typeof (json as { OPENAI_API_KEY?: unknown })?.OPENAI_API_KEY === 'string';
  throw new AuthError(
    'login_failed',
    apiKeyOnly
      ? `--import: ${path} holds an API key, not a ChatGPT sign-in; sign in with \`codex login\``
      : `--import: ${path} holds no ChatGPT tokens (expected the official Codex CLI's auth.json)`,
  );
}
