import { fetchUsage, writeUsageCache, type UsageReport } from '../../client/usage.js';
import { CodexHttp } from '../../transport/http.js';
import type { CliContext } from '../context.js';
import { openAuth } from '../session.js';
import type { TokenManager } from '../../auth/token-manager.js';
import { usageLines } from '../usage-text.js';

export interface UsageOptions {
  json?: boolean;
}

/** The quota of the chosen profile, fetched now (and kept for `codex status`). */
export async function fetchUsageFor(ctx: CliContext, tokens: TokenManager, signal?: AbortSignal): Promise<UsageReport> {
  const { baseUrl, clientVersion, authDir } = ctx.config;
  const credentials = await tokens.valid();
  const http = new CodexHttp({ baseUrl, tokens, sessionId: crypto.randomUUID(), maxRetries: 1, clientVersion, log: ctx.log });
  const report = await fetchUsage({ http, baseUrl, clientVersion, log: ctx.log, ...(signal ? { signal } : {}) });
  await writeUsageCache(authDir, baseUrl, credentials.account_id, report);
  return report;
}

export async function runUsage(ctx: CliContext, options: UsageOptions): Promise<void> {
  const { tokens } = await openAuth(ctx);
  const report = await fetchUsageFor(ctx, tokens);
  if (report.source === 'headers') ctx.warn('the usage endpoint failed; showing the rate-limit headers of the backend instead');
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  ctx.stdout.write(`${usageLines(report).join('\n')}\n`);
}
