import { OAuthClient } from '../auth/oauth.js';
import { openCredentialStore, type Credentials } from '../store/credentials.js';
import { TokenManager } from '../store/tokens.js';
import { installProxyFromEnv } from '../transport/proxy.js';
import type { CliContext } from './context.js';

/** The credential store, OAuth client and token manager that a command works with. */
export async function openAuth(ctx: CliContext): Promise<{ tokens: TokenManager; oauth: OAuthClient }> {
  if (await installProxyFromEnv(ctx.env)) ctx.log('using the proxy from HTTPS_PROXY/HTTP_PROXY');
  const { configDir, issuer } = ctx.config;
  const store = openCredentialStore(configDir, ctx.env, { warn: (message) => ctx.warn(message) });
  const oauth = new OAuthClient({ issuer, log: ctx.log });
  const remember = (credentials: Credentials) => {
    for (const secret of [credentials.access_token, credentials.refresh_token, credentials.id_token]) {
      if (secret) ctx.secrets.add(secret);
    }
  };
  const tokens = new TokenManager({ store, oauth, log: ctx.log, observe: remember });
  return { tokens, oauth };
}
