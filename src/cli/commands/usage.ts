import type { CliContext } from '../context.js';
import { openCodex } from '../open-codex.js';
import { usageLines } from '../usage/text.js';

export interface UsageOptions {
  json?: boolean;
  redeem?: boolean;
  yes?: boolean;
}

export async function runUsage(ctx: CliContext, options: UsageOptions): Promise<void> {
  if (options.yes === true && options.redeem !== true) {
    const { UsageError } = await import('../../shared/errors.js');
    throw new UsageError('--yes goes with --redeem');
  }
  const codex = await openCodex(ctx);
  if (options.redeem === true) return (await import('../usage/redeem.js')).redeem(ctx, codex, options);
  const report = await codex.usage();
  if (report.source === 'headers') ctx.warn('the usage endpoint failed; showing the rate-limit headers of the backend instead');
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  ctx.stdout.write(`${usageLines(report).join('\n')}\n`);
}
