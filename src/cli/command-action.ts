import type { Command } from 'commander';
import type { CliContext } from './context.js';
import type { Runner } from './program.js';

/**
 * The one `.action` of every command: its module is imported only when it runs, and its entry point gets the
 * context and what commander parsed, in commander's order (positionals, then the options object).
 */
export function commandAction<M, K extends keyof M>(run: Runner, load: () => Promise<M>, entry: K) {
  return async (...parsed: unknown[]): Promise<void> => {
    const command = parsed.at(-1) as Command;
    await run(command, async (ctx) => {
      const start = (await load())[entry] as unknown as (ctx: CliContext, ...args: unknown[]) => Promise<void>;
      await start(ctx, ...parsed.slice(0, -1));
    });
  };
}
