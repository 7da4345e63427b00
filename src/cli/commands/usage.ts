import type { CliContext } from '../context.js';
import { openCodex } from '../open-codex.js';
import { usageLines } from '../usage-text.js';

export interface UsageOptions {
  json?: boolean;
}

export async function runUsage(ctx: CliContext, options: UsageOptions): Promise<void> {
  const report = await (await openCodex(ctx)).usage();
  if (report.source === 'headers') ctx.warn('the usage endpoint failed; showing the rate-limit headers of the backend instead');
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  ctx.stdout.write(`${usageLines(report).join('\n')}\n`);
}
