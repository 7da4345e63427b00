import { type FromConfigOptions, optionsFromConfig } from '../library/assembly.js';
import { Codex } from '../library/codex.js';
import type { CliContext } from './context.js';

/**
 * The CLI's one way into the library: the facade on the resolved configuration, with the context's diagnostics,
 * and every credential it reads or refreshes masked from then on. Installs the proxy from env first.
 */
export async function openCodex(
  ctx: CliContext,
  options: Pick<FromConfigOptions, 'sessionId' | 'maxRetries' | 'idleTimeoutMs' | 'model' | 'refreshUnkept' | 'keepCredentialsForRun'> = {},
): Promise<Codex> {
  await ctx.useProxyFromEnv();
  return new Codex(
    optionsFromConfig(ctx.config, {
      ...options,
      env: ctx.env,
      log: ctx.log,
      warn: (message) => ctx.warn(message),
      observeCredentials: ctx.rememberCredentials,
    }),
  );
}
