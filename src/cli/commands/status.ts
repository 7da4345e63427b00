import { readUsageCache, type UsageReport } from '../../client/usage.js';
import { AuthError, CodexError } from '../../errors.js';
import { openCredentialStore, type CredentialStore, type Credentials } from '../../store/credentials.js';
import type { CliContext } from '../context.js';
import { describeExpiry } from '../expiry.js';
import { formatDuration } from '../../duration.js';
import { usageLine } from '../usage-text.js';

export interface StatusOptions {
  json?: boolean;
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
  const json = options.json === true;
  let store: CredentialStore;
  let credentials;
  try {
    store = openCredentialStore(ctx.config.configDir, ctx.env, { warn: (message) => ctx.warn(message) });
    credentials = await store.read();
  } catch (error) {
    if (json && error instanceof CodexError) ctx.stdout.write(`${JSON.stringify({ logged_in: false, error: error.code })}\n`);
    throw error;
  }
  if (!credentials) {
    if (json) ctx.stdout.write(`${JSON.stringify({ logged_in: false })}\n`);
    throw new AuthError('not_logged_in', 'not logged in; run `codex login` (or set CODEX_AUTH_JSON)');
  }
  const usage = await usageSeen(ctx, ctx.config.configDir, credentials);
  if (json) {
    ctx.stdout.write(
      `${JSON.stringify({
        logged_in: true,
        email: credentials.email ?? null,
        plan: credentials.plan ?? null,
        account_id: credentials.account_id,
        expires_at: credentials.expires_at,
        source: store.kind,
        usage: usage ?? null,
      })}\n`,
    );
    return;
  }
  const expired = credentials.expires_at <= Date.now() / 1000;
  const lines = [
    `Logged in as ${credentials.email ?? '(email unknown)'}`,
    `  plan:     ${credentials.plan ?? 'unknown'}`,
    `  account:  ${credentials.account_id}`,
    `  expires:  ${describeExpiry(credentials.expires_at)}${expired ? ' — refreshed on next use' : ''}`,
    `  source:   ${store.kind === 'env' ? 'env (CODEX_AUTH_JSON)' : `file (${store.location})`}`,
    `  usage:    ${describeUsage(usage)}`,
  ];
  ctx.stdout.write(`${lines.join('\n')}\n`);
}
