import { envCredentialName } from '../../auth/credential-source.js';
import { OAuthClient } from '../../auth/oauth.js';
import { CodexError } from '../../shared/errors.js';
import { type Credentials, isAccessToken } from '../../store/credentials.js';
import type { CliContext } from '../context.js';
import { savedStore } from '../stores.js';

const REVOKE_TIMEOUT_MS = 10_000;

/** Revokes the refresh token (best effort) and removes auth.json. Exit 0 even when nobody was signed in. */
export async function runLogout(ctx: CliContext): Promise<void> {
  ctx.tolerateBadConfigFile = true;
  const inEnv = envCredentialName(ctx.env);
  if (inEnv !== undefined) {
    ctx.stderr.write(
      `${inEnv} is set: there is nothing stored to remove (its credentials live in that variable; unset it, and delete or rotate the secret it comes from)\n`,
    );
    return;
  }
  const store = savedStore(ctx);
  // Under the credential lock: a refresh in flight finishes first, so the token revoked is the one that is live
  // now, and no rotation can bring auth.json back after it is removed.
  const removed = await store.withLock(async () => {
    let credentials: Credentials | undefined;
    try {
      credentials = await store.read();
    } catch (error) {
      // A corrupt file is still removed: that is what logging out asks for.
      if (!(error instanceof CodexError && error.code === 'credentials_corrupt')) throw error;
      ctx.log(`${store.location} is unreadable; removing it without revoking`);
    }
    // An access token is revoked by the workspace admin who issued it; there is no refresh token to revoke.
    if (credentials && !isAccessToken(credentials)) {
      ctx.rememberCredentials(credentials);
      await ctx.useProxyFromEnv();
      const oauth = new OAuthClient({ issuer: ctx.config.issuer, clientVersion: ctx.config.clientVersion, env: ctx.env, log: ctx.log, timeoutMs: REVOKE_TIMEOUT_MS });
      const revoked = await oauth.revoke(credentials.refresh_token);
      if (!revoked) ctx.warn('could not revoke the sign-in at the issuer; removing the local credentials anyway');
      else ctx.log('refresh token revoked');
    }
    return store.clear();
  });
  ctx.stderr.write(removed ? `Logged out; removed ${store.location}\n` : `Not logged in; nothing to remove (${store.location} does not exist)\n`);
}
