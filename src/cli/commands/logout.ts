import { OAuthClient } from '../../auth/oauth.js';
import { CodexError } from '../../errors.js';
import { type Credentials, FileCredentialStore } from '../../store/credentials.js';
import type { CliContext } from '../context.js';

const REVOKE_TIMEOUT_MS = 10_000;

/** Revokes the refresh token (best effort) and removes auth.json. Exit 0 even when nobody was signed in. */
export async function runLogout(ctx: CliContext): Promise<void> {
  ctx.tolerateBadConfigFile = true;
  const inline = ctx.env.CODEX_AUTH_JSON;
  if (inline !== undefined && inline.trim() !== '') {
    ctx.stderr.write(
      'CODEX_AUTH_JSON is set: there is nothing stored to remove (its credentials live in that variable; unset it, ' + 'and delete or rotate the secret it comes from)\n',
    );
    return;
  }
  const store = new FileCredentialStore(ctx.config.authDir, { warn: (message) => ctx.warn(message), log: ctx.log });
  // Under the credential lock: a refresh in flight finishes first, so the token revoked is the one that is live
  // now, and no rotation can bring auth.json back after it is removed.
  const removed = await store.withLock(async () => {
    let credentials: Credentials | undefined;
    try {
      credentials = await store.read();
    } catch (error) {
      // A corrupt file is still removed: that is what logging out asks for.
      if (!(error instanceof CodexError && error.code === 'credentials_corrupt')) throw error;
      ctx.log(`${store.path} is unreadable; removing it without revoking`);
    }
    if (credentials) {
      ctx.rememberCredentials(credentials);
      await ctx.useProxyFromEnv();
      const oauth = new OAuthClient({ issuer: ctx.config.issuer, clientVersion: ctx.config.clientVersion, log: ctx.log, timeoutMs: REVOKE_TIMEOUT_MS });
      const revoked = await oauth.revoke(credentials.refresh_token);
      if (!revoked) ctx.warn('could not revoke the sign-in at the issuer; removing the local credentials anyway');
      else ctx.log('refresh token revoked');
    }
    return store.clear();
  });
  ctx.stderr.write(removed ? `Logged out; removed ${store.path}\n` : `Not logged in; nothing to remove (${store.path} does not exist)\n`);
}
