import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openCredentialSource } from '../../auth/credential-source.js';
import type { FetchModelsResult } from '../../client/models/fetch.js';
import { liveEntries } from '../../client/models/live-list.js';
import { selectModels } from '../../client/models/model-info.js';
import type { Routing } from '../../client/responses-client.js';
import { accountsCheckUrl, routingFor } from '../../client/routing.js';
import { settingsFor } from '../../client/settings.js';
import type { ResolvedConfig } from '../../config/resolve.js';
import type { Codex } from '../../library/codex.js';
import { internal } from '../../library/internal.js';
import { formatDuration } from '../../shared/duration.js';
import { messageOf } from '../../shared/error-info.js';
import { ApiError, AuthError, CodexError, type ErrorCode } from '../../shared/errors.js';
import type { Credentials } from '../../store/credentials.js';
import { describeNetworkError } from '../../transport/network-error.js';
import type { CliContext } from '../context.js';
import { renamed } from '../io/program-name.js';
import { openCodex } from '../open-codex.js';
import { writeOut } from '../render/write-out.js';

export interface DoctorOptions {
  json?: boolean;
  probe?: boolean;
}

export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
  /** For a failure: the error code, whose exit code the command ends with. */
  code?: ErrorCode;
}

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];
/** A clock this far off makes token expiry unreliable. */
const CLOCK_WARN_S = 60;
const CHECK_TIMEOUT_MS = 10_000;
const PROBE_PROMPT = 'Reply with the single word: ok';

const fail = (name: string, error: unknown, fix?: string): Check => {
  const failure = error instanceof CodexError ? error : new CodexError('internal', messageOf(error));
  return { name, status: 'fail', detail: failure.message, code: failure.code, ...(fix ? { fix } : {}) };
};

const modeOf = async (path: string) => (await stat(path).catch(() => undefined))?.mode;
const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

async function configCheck(ctx: CliContext): Promise<{ check: Check; config?: ResolvedConfig }> {
  let config: ResolvedConfig;
  try {
    config = ctx.config;
  } catch (error) {
    return { check: fail('config', error, 'fix or remove config.json') };
  }
  const dirMode = await modeOf(config.configDir);
  if (dirMode === undefined) {
    return { check: { name: 'config', status: 'warn', detail: `${config.configDir} does not exist yet`, fix: '`codex login` creates it' }, config };
  }
  const problems: string[] = [];
  const fixes: string[] = [];
  if (dirMode & 0o077) {
    problems.push(`${config.configDir} is mode ${octal(dirMode)}`);
    fixes.push(`chmod 700 ${config.configDir}`);
  }
  const authMode = await modeOf(join(config.authDir, 'auth.json'));
  if (authMode !== undefined && authMode & 0o077) {
    problems.push(`auth.json is mode ${octal(authMode)}`);
    fixes.push(`chmod 600 ${join(config.authDir, 'auth.json')}`);
  }
  const file = Object.keys(config.file).length > 0 ? `config.json sets ${Object.keys(config.file).join(', ')}` : 'no config.json settings';
  if (problems.length > 0) {
    return { check: { name: 'config', status: 'warn', detail: `${problems.join('; ')} (others can read it)`, fix: fixes.join('; ') }, config };
  }
  return { check: { name: 'config', status: 'ok', detail: `${config.configDir} (${octal(dirMode)}); ${file}; client version ${config.clientVersion}` }, config };
}

function proxyCheck(env: Record<string, string | undefined>): Check {
  const set = PROXY_VARS.filter((name) => (env[name] ?? '') !== '');
  if (set.length === 0) return { name: 'proxy', status: 'ok', detail: 'no proxy variables set' };
  const shown: string[] = [];
  for (const name of set) {
    const value = env[name]!;
    if (/^no_proxy$/i.test(name)) {
      shown.push(`${name}=${value}`);
      continue;
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { name: 'proxy', status: 'fail', detail: `${name} is not a URL`, fix: `set ${name} to http://host:port`, code: 'usage' };
    }
    shown.push(`${name}=${url.protocol}//${url.host}${url.username ? ' (with credentials)' : ''}`);
  }
  return { name: 'proxy', status: 'ok', detail: shown.join(', ') };
}

function tokenCheck(credentials: Credentials, nowMs: number, before?: Credentials): Check {
  if (before) {
    const ago = formatDuration(Math.max(0, nowMs / 1000 - before.expires_at));
    const was = before.expires_at <= nowMs / 1000 ? `expired ${ago} ago` : 'was about to expire';
    return { name: 'token', status: 'ok', detail: `the access token ${was}; refreshed now, it expires in ${formatDuration(credentials.expires_at - nowMs / 1000)}` };
  }
  const leftS = credentials.expires_at - nowMs / 1000;
  if (leftS <= 0) {
    return { name: 'token', status: 'warn', detail: `the access token expired ${formatDuration(-leftS)} ago; it is refreshed on next use` };
  }
  return { name: 'token', status: 'ok', detail: `the access token expires in ${formatDuration(leftS)}` };
}

/** CODEX_AUTH_JSON with an expired access token: left as it is (the backend checks need a valid one). */
function unkeptTokenCheck(credentials: Credentials, nowMs: number): Check {
  const ago = formatDuration(Math.max(0, nowMs / 1000 - credentials.expires_at));
  return {
    name: 'token',
    status: 'warn',
    detail: `access token expired (${ago} ago); the secret's refresh token is left unused, so the backend was not checked (\`codex ask\` refreshes it for its own run)`,
    fix: 'renew the secret: codex --config-dir DIR refresh with it as DIR/auth.json, then store DIR/auth.json (README "In CI")',
  };
}

/** A server's `Date` header and when its answer arrived here. */
interface ServerDate {
  value: string | null;
  receivedAtMs: number;
}

function clockCheck(date: ServerDate | undefined): Check {
  const server = date?.value ? Date.parse(date.value) : Number.NaN;
  if (!date || Number.isNaN(server)) return { name: 'clock', status: 'warn', detail: 'the server sent no Date to compare with' };
  // The header has whole seconds: a skew of a minute or more is told in whole minutes.
  const rawS = Math.round((date.receivedAtMs - server) / 1000);
  const skewS = Math.abs(rawS) >= 60 ? Math.sign(rawS) * Math.round(Math.abs(rawS) / 60) * 60 : rawS;
  if (Math.abs(skewS) < CLOCK_WARN_S) return { name: 'clock', status: 'ok', detail: `within ${CLOCK_WARN_S} s of the server's` };
  return {
    name: 'clock',
    status: 'warn',
    detail: `this machine's clock is ${formatDuration(Math.abs(skewS))} ${skewS > 0 ? 'ahead of' : 'behind'} the server's; token expiry is judged by it`,
    fix: 'turn on time synchronisation (NTP)',
  };
}

async function issuerCheck(issuer: string): Promise<{ check: Check; date?: ServerDate }> {
  // Reachability only: the discovery document spends nothing (a refresh would spend the single-use token).
  const url = `${issuer}/.well-known/openid-configuration`;
  const started = Date.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS), redirect: 'manual' });
    await response.body?.cancel();
    return {
      check: { name: 'issuer', status: 'ok', detail: `${new URL(issuer).host} answers (HTTP ${response.status} in ${Date.now() - started} ms)` },
      date: { value: response.headers.get('date'), receivedAtMs: Date.now() },
    };
  } catch (error) {
    return {
      check: {
        name: 'issuer',
        status: 'fail',
        detail: `cannot reach ${new URL(issuer).host}: ${describeNetworkError(error, url)}`,
        fix: 'check the network, HTTPS_PROXY and --issuer',
        code: 'network',
      },
    };
  }
}

interface BackendChecks {
  checks: Check[];
  catalog?: FetchModelsResult;
  routing?: Routing;
  date?: ServerDate;
}

async function backendChecks(ctx: CliContext, config: ResolvedConfig, codex: Codex, credentials: Credentials): Promise<BackendChecks> {
  const http = codex[internal].sideHttp();
  const checks: Check[] = [];
  let date: ServerDate | undefined;
  let catalog: FetchModelsResult | undefined;
  let routing: Routing | undefined;
  try {
    const { response } = await http.request({
      method: 'GET',
      path: `/models?client_version=${encodeURIComponent(config.clientVersion)}`,
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    date = { value: response.headers.get('date'), receivedAtMs: Date.now() };
    const entries = liveEntries(((await response.json()) as { models?: unknown[] })?.models ?? []);
    if (entries.length === 0) throw new ApiError('server_error', 'the backend sent an empty model list');
    // Through the cache, so that `ask` uses what was just checked.
    const fetched = await codex.fetchModels({ fresh: true });
    catalog = { ...fetched, source: fetched.source === 'registry' ? 'builtin' : fetched.source };
    const listed = selectModels(catalog.models).length;
    checks.push({
      name: 'models',
      status: 'ok',
      detail: `${listed} listed models for client version ${config.clientVersion} (${entries.length} in all); default ${catalog.defaultModel}`,
    });
    checks.push(settingsCheck(ctx, config, catalog));
  } catch (error) {
    checks.push(fail('models', error, fixFor(error)));
  }
  try {
    const { response } = await http.request({
      method: 'GET',
      path: '',
      url: accountsCheckUrl(config.baseUrl),
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
      noRefreshOn401: true,
    });
    routing = routingFor(await response.json(), credentials.account_id);
    checks.push({
      name: 'routing',
      status: 'ok',
      detail: routing ? `workspace routed (${routing.override})${routing.origin ? ` to ${routing.origin}` : ''}` : 'no workspace routing (requests go to the base URL)',
    });
  } catch (error) {
    const message = error instanceof CodexError ? error.message : String(error);
    checks.push({ name: 'routing', status: 'warn', detail: `the workspace check failed (${message}); requests go to the base URL` });
  }
  return { checks, ...(catalog ? { catalog } : {}), ...(routing ? { routing } : {}), date };
}

/** The model, effort and verbosity chosen in the environment or config.json, checked as `ask` checks them. */
function settingsCheck(ctx: CliContext, config: ResolvedConfig, catalog: FetchModelsResult): Check {
  const model = ctx.chosenModel();
  const effort = config.setting('effort');
  const verbosity = config.setting('verbosity');
  const where = `${join(config.configDir, 'config.json')}`;
  try {
    const settings = settingsFor(catalog, {
      ...(model !== undefined ? { model } : {}),
      ...(effort.value !== undefined ? { effort: effort.value, effortSource: effort.source.label } : {}),
      ...(verbosity.value !== undefined ? { verbosity: verbosity.value, verbositySource: verbosity.source.label } : {}),
      showReasoning: false,
      layout: config.responsesLayout,
    });
    const chosen = model !== undefined ? ` (chosen by ${ctx.env.CODEX_MODEL ? 'CODEX_MODEL' : where})` : ' (the catalog default)';
    return {
      name: 'settings',
      status: 'ok',
      detail: `ask uses ${settings.model}${chosen}, effort ${settings.effort ?? 'default'}, ${layoutText(settings.layout ?? 'classic')}`,
    };
  } catch (error) {
    const source = model !== undefined && ctx.env.CODEX_MODEL ? 'CODEX_MODEL' : where;
    return fail('settings', error, `change or remove the setting in ${source} (\`codex models\` lists the current models and levels)`);
  }
}

/** Where the request puts what (protocol §11): the official client's layout for the model. */
export function layoutText(layout: 'classic' | 'lite'): string {
  return layout === 'lite'
    ? 'lite layout (Responses Lite: the system prompt as the first developer message, tools as an input item, images inline without detail)'
    : 'classic layout (the system prompt as the top-level instructions, tools at the top level, images with detail high)';
}

function fixFor(error: unknown): string | undefined {
  const code = error instanceof CodexError ? error.code : undefined;
  switch (code) {
    case 'network':
      return 'check the network, HTTPS_PROXY and --base-url';
    case 'not_logged_in':
    case 'unauthorized':
    case 'refresh_token_reused':
    case 'refresh_token_expired':
    case 'refresh_token_invalidated':
      return 'sign in again: `codex login`';
    case 'client_outdated':
      return 'set CODEX_CLIENT_VERSION to the newest official Codex CLI release';
    case 'model_unavailable':
      return '`codex models` lists the current ones';
    case 'usage_limit_reached':
      return 'wait for the reset';
    default:
      return undefined;
  }
}

async function probeCheck(codex: Codex): Promise<Check> {
  const started = Date.now();
  try {
    const planned = await codex[internal].plan({ prompt: PROBE_PROMPT, reasoningSummary: false });
    const result = await codex[internal].run(planned, { onEvent: () => undefined, signal: AbortSignal.timeout(60_000) });
    const firstLine = result.text.trim().split('\n')[0]!.slice(0, 80);
    return { name: 'probe', status: 'ok', detail: `${result.model} answered "${firstLine}" in ${Date.now() - started} ms` };
  } catch (error) {
    return fail('probe', error, fixFor(error));
  }
}

/** Checks what `ask` depends on, one line each with a fix; exits with the code of the first failure. */
export async function runDoctor(ctx: CliContext, options: DoctorOptions): Promise<void> {
  const checks: Check[] = [];
  const nowMs = Date.now();
  const { check, config } = await configCheck(ctx);
  checks.push(check);
  checks.push(proxyCheck(ctx.env));
  if (config) {
    let credentials: Credentials | undefined;
    try {
      const store = openCredentialSource(ctx.env, {
        authDir: config.authDir,
        profile: config.profile,
        credentialStore: config.credentialStore,
        issuer: config.issuer,
        clientVersion: config.clientVersion,
        log: ctx.log,
      });
      credentials = await store.read();
      if (!credentials) throw new AuthError('not_logged_in', 'not logged in');
      const who = `${credentials.email ?? 'email unknown'}, plan ${credentials.plan ?? 'unknown'}`;
      checks.push({ name: 'credentials', status: 'ok', detail: `${store.kind === 'env' ? 'CODEX_AUTH_JSON' : store.location}: ${who}` });
    } catch (error) {
      checks.push(fail('credentials', error, fixFor(error) ?? 'sign in again: `codex login`'));
      credentials = undefined;
    }
    const proxyOk = !checks.some((entry) => entry.name === 'proxy' && entry.status === 'fail');
    if (proxyOk) await ctx.useProxyFromEnv();
    const issuer = await issuerCheck(config.issuer);
    checks.push(issuer.check);
    if (credentials && !proxyOk) checks.push(tokenCheck(credentials, nowMs));
    if (credentials && proxyOk) {
      // CODEX_AUTH_JSON is not refreshed: the new tokens would be thrown away with the secret's refresh token spent.
      const codex = await openCodex(ctx, { maxRetries: 1, refreshUnkept: false });
      const { tokens } = codex[internal];
      let valid: Credentials | undefined;
      try {
        // The same refresh an ask would make (only when the token is due).
        valid = await tokens.valid();
        checks.push(tokenCheck(valid, nowMs, valid.access_token !== credentials.access_token ? credentials : undefined));
      } catch (error) {
        if (error instanceof CodexError && error.code === 'access_token_expired') {
          checks.push(unkeptTokenCheck(credentials, nowMs));
          checks.push(clockCheck(issuer.date));
        } else {
          checks.push(fail('token', error, fixFor(error)));
        }
      }
      if (valid) {
        const backend = await backendChecks(ctx, config, codex, valid);
        checks.push(...backend.checks);
        checks.push(clockCheck(backend.date ?? issuer.date));
        if (options.probe === true) {
          checks.push(
            backend.catalog ? await probeCheck(codex) : { name: 'probe', status: 'fail', detail: 'skipped: the model list could not be had', code: 'server_error' },
          );
        }
      }
    } else if (issuer.date !== undefined) {
      checks.push(clockCheck(issuer.date));
    }
  }

  const text = options.json === true ? `${JSON.stringify({ ok: !checks.some((entry) => entry.status === 'fail'), checks })}\n` : renamed(formatChecks(checks), ctx.name);
  await writeOut(ctx.stdout, text);
  const failed = checks.find((entry) => entry.status === 'fail');
  if (failed) {
    const count = checks.filter((entry) => entry.status === 'fail').length;
    throw new CodexError(failed.code ?? 'internal', `doctor: ${count} check${count === 1 ? '' : 's'} failed, first ${failed.name}: ${failed.detail}`);
  }
}

export function formatChecks(checks: readonly Check[]): string {
  const width = Math.max(...checks.map((entry) => entry.name.length));
  return checks
    .map((entry) => {
      const line = `${entry.status.padEnd(4)}  ${entry.name.padEnd(width)}  ${entry.detail}`;
      return entry.fix ? `${line}\n${' '.repeat(width + 8)}fix: ${entry.fix}` : line;
    })
    .map((line) => `${line}\n`)
    .join('');
}
