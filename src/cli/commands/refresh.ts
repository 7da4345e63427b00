import { internal } from '../../library/internal.js';
import { formatDuration } from '../../shared/duration.js';
import { UsageError } from '../../shared/errors.js';
import { isAccessToken } from '../../store/credentials.js';
import type { CliContext } from '../context.js';
import { describeExpiry } from '../io/expiry.js';
import { openCodex } from '../open-codex.js';
import { parseDuration } from '../parse.js';

export interface RefreshOptions {
  json?: boolean;
  ifExpiring?: string;
}

/** Refreshes now, or only when the access token expires within --if-expiring; serialised with every other refresh. */
export async function runRefresh(ctx: CliContext, options: RefreshOptions): Promise<void> {
  ctx.tolerateBadConfigFile = true;
  const withinS = options.ifExpiring === undefined ? undefined : parseDuration(options.ifExpiring, '--if-expiring');
  const { tokens } = (await openCodex(ctx))[internal];
  const seen = await tokens.current();
  if (isAccessToken(seen)) {
    // Nothing to do, and nothing wrong: the admin who issued the token decides when it ends.
    if (options.json) ctx.stdout.write(`${JSON.stringify({ refreshed: false, expires_at: null, account_id: seen.account_id })}\n`);
    else ctx.stdout.write(`Not refreshed: a Codex access token (${tokens.store.location}) is never refreshed\n`);
    return;
  }
  if (tokens.store.kind === 'env') {
    // A refresh here would spend the secret's single-use refresh token and keep the new one nowhere.
    const current = await tokens.current();
    if (withinS === undefined || tokens.expiresWithin(current, withinS)) {
      throw new UsageError(
        'CODEX_AUTH_JSON is set: a refresh would use up the refresh token in that secret and save the new one nowhere. ' +
          'To renew a secret, write it to a config dir and refresh there: ' +
          'codex --config-dir DIR refresh, then store DIR/auth.json as the new secret',
      );
    }
  }
  const { credentials, refreshed } = await tokens.refresh(withinS);
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify({ refreshed, expires_at: credentials.expires_at, account_id: credentials.account_id })}\n`);
    return;
  }
  const expiry = describeExpiry(credentials.expires_at);
  if (refreshed) ctx.stdout.write(`Refreshed; the access token is valid until ${expiry}\n`);
  else ctx.stdout.write(`Not refreshed: the access token is valid until ${expiry}, more than ${formatDuration(withinS ?? 0)} away\n`);
}
