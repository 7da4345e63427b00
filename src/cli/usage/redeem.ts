// `codex usage --redeem`: spends one reset credit (the one that expires first), after a question on a terminal
// or with --yes, and shows what changed. Loaded only when --redeem is given.
import { createInterface } from 'node:readline/promises';
import { firstToExpire, type RedeemResult, type ResetCredit } from '../../client/reset-credits.js';
import type { UsageReport } from '../../client/usage.js';
import type { Codex } from '../../library/codex.js';
import { CodexError, UsageError } from '../../shared/errors.js';
import type { CliContext } from '../context.js';
import { terminalSafe } from '../render/terminal-text.js';
import { describeWindow, windowName } from './text.js';

interface RedeemOptions {
  json?: boolean;
  yes?: boolean;
}

type Window = NonNullable<UsageReport['primary']>;

function mainWindows(report: UsageReport): [string, Window | undefined][] {
  return [
    [report.primary ? windowName(report.primary, 'primary') : 'primary', report.primary],
    [report.secondary ? windowName(report.secondary, 'secondary') : 'secondary', report.secondary],
  ];
}

const percent = (value: number) => `${Math.round(value * 10) / 10}%`;

function creditName(credit: ResetCredit): string {
  const title = credit.title ? `"${credit.title}"` : (credit.reset_type ?? 'reset credit');
  const expires =
    credit.expires_at != null ? `, expires ${typeof credit.expires_at === 'number' ? new Date(credit.expires_at * 1000).toISOString() : credit.expires_at}` : '';
  return `${title}${expires}`;
}

/** y or yes (any case) on a terminal; anything else, or end of input, is no. */
async function confirm(ctx: CliContext, question: string): Promise<boolean> {
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr, terminal: true });
  try {
    const answer = await rl.question(question);
    return /^\s*y(es)?\s*$/i.test(answer);
  } catch {
    return false;
  } finally {
    rl.close();
  }
}

export async function redeem(ctx: CliContext, codex: Codex, options: RedeemOptions): Promise<void> {
  const onTerminal = ctx.stdin.isTTY === true && ctx.stderr.isTTY === true;
  if (options.yes !== true && !onTerminal) {
    throw new UsageError('--redeem spends a reset credit: add --yes to redeem without a question (stdin or stderr is not a terminal)');
  }
  const [before, list] = await Promise.all([codex.usage(), codex.resetCredits()]);
  const credit = firstToExpire(list.credits);
  if (!credit) throw new CodexError('no_reset_credit', 'no reset credit available to redeem');
  if (options.yes !== true) {
    const used = mainWindows(before)
      .filter((entry): entry is [string, Window] => entry[1] !== undefined)
      .map(([name, window]) => `${name} ${percent(window.used_percent)} used`)
      .join(', ');
    const left = list.available_count - 1;
    const question = `redeem the reset credit ${terminalSafe(creditName(credit))} (now: ${used}; ${left} left after)? [y/N] `;
    if (!(await confirm(ctx, question))) {
      ctx.warn('nothing redeemed');
      return;
    }
  }
  const result = await codex.redeemResetCredit({ creditId: credit.id });
  if (result.code === 'no_credit' || result.code === 'already_redeemed') {
    throw new CodexError('no_reset_credit', `the backend redeemed nothing: ${result.code.replace(/_/g, ' ')}`);
  }
  const after = result.code === 'reset' ? await codex.usage() : before;
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(redeemJson(result, credit, before, after))}\n`);
    return;
  }
  ctx.stdout.write(`${redeemLines(result, credit, before, after).join('\n')}\n`);
}

function redeemJson(result: RedeemResult, credit: ResetCredit, before: UsageReport, after: UsageReport) {
  return {
    code: result.code,
    windows_reset: result.windows_reset,
    credit: { id: credit.id, ...(credit.title ? { title: credit.title } : {}), ...(credit.expires_at != null ? { expires_at: credit.expires_at } : {}) },
    redeem_request_id: result.redeem_request_id,
    before,
    after,
  };
}

function redeemLines(result: RedeemResult, credit: ResetCredit, before: UsageReport, after: UsageReport): string[] {
  if (result.code === 'nothing_to_reset') return [`nothing to reset: no window is used; the credit ${creditName(credit)} was kept`];
  const lines = [`redeemed ${creditName(credit)}: ${result.windows_reset} window${result.windows_reset === 1 ? '' : 's'} reset`];
  const now = mainWindows(after);
  mainWindows(before).forEach(([name, window], index) => {
    const next = now[index]![1];
    if (window && next) lines.push(`${name}: ${percent(window.used_percent)} → ${describeWindow(next)}`);
  });
  const left = after.reset_credits?.available_count;
  if (left !== undefined) lines.push(`reset credits: ${left > 0 ? `${left} left` : 'none left'}`);
  return lines;
}
