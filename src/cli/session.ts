import { OAuthClient } from '../auth/oauth.js';
import { openCredentialStore } from '../store/credentials.js';
import { TokenManager } from '../auth/token-manager.js';
import type { CliContext } from './context.js';

/** The credential store, OAuth client and token manager that a command works with. */
export async function openAuth(ctx: CliContext): Promise<{ tokens: TokenManager; oauth: OAuthClient }> {
  await ctx.useProxyFromEnv();
  const { authDir, issuer } = ctx.config;
  const store = openCredentialStore(authDir, ctx.env, { warn: (message) => ctx.warn(message), log: ctx.log });
  const oauth = new OAuthClient({ issuer, clientVersion: ctx.config.clientVersion, log: ctx.log });
  const tokens = new TokenManager({ store, oauth, log: ctx.log, observe: ctx.rememberCredentials });
  return { tokens, oauth };
}
