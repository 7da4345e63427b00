import { describe, expect, it } from 'vitest';
import { credentialsFromTokens } from '../../src/auth/oauth.js';
import { decodeJwtClaims } from '../../src/shared/jwt-claims.js';
import { credentialsFromEnvJson } from '../../src/store/credentials.js';
import { accessTokenFor, idTokenFor, makeJwt } from '../fake/tokens.js';

const account = { accountId: 'acct_1', email: 'a@example.com', plan: 'pro', userId: 'u1' };

describe('decodeJwtClaims', () => {
  it('reads expiry, account, plan and email from an access token', () => {
    expect(decodeJwtClaims(accessTokenFor(account, 1_800_000_000))).toEqual({
      expiresAt: 1_800_000_000,
      accountId: 'acct_1',
      plan: 'pro',
      userId: 'u1',
      email: 'a@example.com',
    });
  });

  it.each([
    ['not a JWT', 'opaque-token'],
    ['payload not base64 JSON', 'a.b@d.c'],
    ['payload not an object', `x.${Buffer.from('"str"').toString('base64url')}.y`],
    ['undefined', undefined],
  ])('gives nothing for %s', (_what, token) => {
    expect(decodeJwtClaims(token)).toEqual({});
  });

  it('takes the email from the profile claim when there is no top-level one', () => {
    const token = makeJwt({ exp: 5, 'https://api.openai.com/profile': { email: 'p@example.com' } });
    expect(decodeJwtClaims(token).email).toBe('p@example.com');
  });
});

describe('credentials from tokens', () => {
  it('keeps the old refresh token when the response has none, and takes expiry from the access token', () => {
    const previous = { access_token: 'old', refresh_token: 'rt_old', expires_at: 1, account_id: 'acct_1' };
    const next = credentialsFromTokens({ access_token: accessTokenFor(account, 2_000_000_000) }, previous, 0);
    expect(next).toMatchObject({ refresh_token: 'rt_old', expires_at: 2_000_000_000, account_id: 'acct_1', plan: 'pro', email: 'a@example.com' });
  });

  it('falls back to expires_in when the access token is opaque', () => {
    const next = credentialsFromTokens({ access_token: 'opaque', refresh_token: 'rt', expires_in: 100, id_token: idTokenFor(account, 9) }, {}, 1_000_000);
    expect(next.expires_at).toBe(1100);
    expect(next.account_id).toBe('acct_1');
  });

  it('reads CODEX_AUTH_JSON in our shape, with expires_at as a numeric string', () => {
    const creds = credentialsFromEnvJson(JSON.stringify({ access_token: 'a', refresh_token: 'r', expires_at: '1764000000', account_id: 'x' }));
    expect(creds.expires_at).toBe(1_764_000_000);
  });

  it('rejects CODEX_AUTH_JSON that is neither shape, without echoing it', () => {
    expect(() => credentialsFromEnvJson('{"access_token":"secret-value"}')).toThrowError(/neither/);
    try {
      credentialsFromEnvJson('{"access_token":"secret-value"}');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-value');
    }
  });
});
