import { envCredentialName, openSavedStore } from '../../auth/credential-source.js';
import { readUsageCache, type UsageReport } from '../../client/usage.js';
import { internal } from '../../library/internal.js';
import { formatDuration } from '../../shared/duration.js';
import { AuthError, CodexError } from '../../shared/errors.js';
import { type CredentialStore, type Credentials, FileCredentialStore, isAccessToken } from '../../store/credentials.js';
import { checkProfileName, DEFAULT_PROFILE, listProfiles, profileDir } from '../../store/profiles.js';
import { RedisCredentialStore } from '../../store/redis-store.js';
import type { CliContext } from '../context.js';
import { describeExpiry } from '../io/expiry.js';
import { renamed } from '../io/program-name.js';
import { credentialSource, describeSource } from '../stores.js';
import { usageLine } from '../usage/text.js';

export interface StatusOptions {
  json?: boolean;
  all?: boolean;
  check?: boolean;
}

/**
 * `--check`: whether the backend still accepts this sign-in, by one `/models` call (refreshing first only when the
 * token is due, as `ask` would). A spent or revoked sign-in fails with its own code (exit 3). CODEX_AUTH_JSON is
 * never refreshed here (the new tokens would be thrown away): an expired one fails with access_token_expired.
 */
async function checkWithBackend(ctx: CliContext): Promise<CodexError | undefined> {
  const { openCodex } = await import('../open-codex.js');
  try {
    const codex = await openCodex(ctx, { refreshUnkept: false });
    await codex[internal].tokens.valid();
    const { clientVersion } = ctx.config;
    const http = codex[internal].sideHttp();
    const { response } = await http.request({
      method: 'GET',
      path: `/models?client_version=${encodeURIComponent(clientVersion)}`,
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    return undefined;
  } catch (error) {
    if (error instanceof CodexError) return error;
    throw error;
  }
}

/** The last quota snapshot seen for this login (status makes no request: see `codex usage`). */
function usageSeen(ctx: CliContext, dir: string, credentials: Credentials): Promise<UsageReport | undefined> {
  return readUsageCache(dir, ctx.config.baseUrl, credentials.account_id);
}

function describeUsage(report: UsageReport | undefined): string {
  if (!report) return 'not seen yet (`codex usage`)';
  return `${usageLine(report)} (seen ${formatDuration(Date.now() / 1000 - report.fetched_at)} ago)`;
}

/** Who is signed in, read from the store alone (no network). Exit 3 when nobody is. */
export async function runStatus(ctx: CliContext, options: StatusOptions): Promise<void> {
  ctx.tolerateBadConfigFile = true;
  if (options.all) return runStatusAll(ctx, options.json === true);
  const json = options.json === true;
  let store: CredentialStore;
  let credentials: Credentials | undefined;
  try {
    store = credentialSource(ctx);
    credentials = await store.read();
  } catch (error) {
    if (json && error instanceof CodexError) ctx.stdout.write(`${JSON.stringify({ logged_in: false, error: error.code })}\n`);
    throw error;
  }
  if (!credentials) {
    if (json) ctx.stdout.write(`${JSON.stringify({ logged_in: false })}\n`);
    const where = store.kind === 'redis' ? ` in ${store.location}` : '';
    throw new AuthError(
      'not_logged_in',
      `not logged in${ctx.config.profile ? ` (profile ${ctx.config.profile})` : ''}${where}; run \`codex login\` (or set CODEX_AUTH_JSON)`,
    );
  }
  const access = isAccessToken(credentials);
  const usage = await usageSeen(ctx, ctx.config.authDir, credentials);
  const checked = options.check === true ? await checkWithBackend(ctx) : undefined;
  const check = options.check === true ? (checked ? checked.code : 'ok') : undefined;
  if (checked) credentials = (await store.read().catch(() => undefined)) ?? credentials;
  if (json) {
    ctx.stdout.write(
      `${JSON.stringify({
        logged_in: true,
        email: credentials.email ?? null,
        plan: credentials.plan ?? null,
        account_id: credentials.account_id,
        expires_at: access ? null : credentials.expires_at,
        source: store.kind,
        profile: ctx.config.profile ?? DEFAULT_PROFILE,
        usage: usage ?? null,
        ...(check !== undefined ? { check } : {}),
      })}\n`,
    );
    if (checked) throw checked;
    return;
  }
  const expired = !access && credentials.expires_at <= Date.now() / 1000;
  const lines = [
    `Logged in as ${credentials.email ?? '(email unknown)'}`,
    `  plan:     ${credentials.plan ?? 'unknown'}`,
    `  account:  ${credentials.account_id}`,
    access
      ? '  expires:  when the workspace admin says (a Codex access token; never refreshed)'
      : `  expires:  ${describeExpiry(credentials.expires_at)}${expired ? ' — refreshed on next use' : ''}`,
    `  source:   ${describeSource(store)}`,
    ...(ctx.config.profile ? [`  profile:  ${ctx.config.profile}`] : []),
    `  usage:    ${describeUsage(usage)}`,
    ...(check !== undefined ? [`  check:    ${check === 'ok' ? 'ok, the backend accepts this sign-in' : `failed (${check})`}`] : []),
  ];
  ctx.stdout.write(renamed(`${lines.join('\n')}\n`, ctx.name));
  if (checked) throw checked;
}

/** Every profile with its store: the file store's profile dirs, or the profiles that have a key in Redis. */
async function storedProfiles(ctx: CliContext): Promise<{ name: string; dir: string; store: CredentialStore }[]> {
  const { configDir, credentialStore } = ctx.config;
  const warn = (message: string) => ctx.warn(message);
  if (!credentialStore) {
    return (await listProfiles(configDir)).map(({ name, dir }) => ({ name, dir, store: new FileCredentialStore(dir, { warn }) }));
  }
  const names = await new RedisCredentialStore(credentialStore, { profile: DEFAULT_PROFILE }).profiles();
  const valid = (name: string) => {
    try {
      return checkProfileName(name, 'profile') !== undefined;
    } catch {
      return false; // a key that is no profile of ours
    }
  };
  const named = names.filter(valid);
  return [DEFAULT_PROFILE, ...named].map((name) => {
    const profile = name === DEFAULT_PROFILE ? undefined : name;
    const dir = profileDir(configDir, profile);
    return { name, dir, store: openSavedStore({ authDir: dir, profile, credentialStore, issuer: ctx.config.issuer, warn }) };
  });
}

/** `status --all`: one line (or JSON object) per profile; exit 3 when none is signed in. */
async function runStatusAll(ctx: CliContext, json: boolean): Promise<void> {
  const inEnv = envCredentialName(ctx.env);
  if (inEnv !== undefined) ctx.warn(`${inEnv} is set: other commands use it, whatever profile is chosen; the stored profiles are:`);
  const rows: Record<string, unknown>[] = [];
  const lines: string[] = [];
  for (const { name, dir, store } of await storedProfiles(ctx)) {
    let credentials: Credentials | undefined;
    try {
      credentials = await store.read();
    } catch (error) {
      if (!(error instanceof CodexError)) throw error;
      rows.push({ profile: name, logged_in: false, error: error.code });
      lines.push(`${name}\t${error.message}`);
      continue;
    }
    if (!credentials) {
      rows.push({ profile: name, logged_in: false });
      lines.push(`${name}\tnot logged in`);
      continue;
    }
    const usage = await usageSeen(ctx, dir, credentials);
    rows.push({
      profile: name,
      logged_in: true,
      email: credentials.email ?? null,
      plan: credentials.plan ?? null,
      account_id: credentials.account_id,
      expires_at: credentials.expires_at,
      usage: usage ?? null,
    });
    const who = `${credentials.email ?? credentials.account_id} (${credentials.plan ?? 'plan unknown'})`;
    lines.push(`${name}\t${who}\t${usage ? usageLine(usage) : 'usage not seen yet'}`);
  }
  ctx.stdout.write(json ? `${JSON.stringify(rows)}\n` : `${lines.join('\n')}\n`);
  if (!rows.some((row) => row.logged_in)) throw new AuthError('not_logged_in', 'no profile is logged in; run `codex login`');
}
