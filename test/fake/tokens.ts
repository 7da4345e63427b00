import { randomBytes } from 'node:crypto';

export const AUTH_CLAIM = 'https://api.openai.com/auth';

export interface Account {
  accountId: string;
  email: string;
  plan: string;
  userId: string;
}

export const DEFAULT_ACCOUNT: Account = {
  accountId: 'acct_fake_123',
  email: 'dev@example.com',
  plan: 'plus',
  userId: 'user_fake_1',
};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT shaped like the issuer's: RS256 header, the ChatGPT auth claims, a (meaningless) signature. */
export function makeJwt(claims: Record<string, unknown>): string {
  return `${b64({ alg: 'RS256', typ: 'JWT', kid: 'fake' })}.${b64(claims)}.${randomBytes(32).toString('base64url')}`;
}

export function accessTokenFor(account: Account, expiresAt: number): string {
  const now = Math.floor(Date.now() / 1000);
  return makeJwt({
    iss: 'https://auth.openai.com',
    aud: ['https://api.openai.com/v1'],
    iat: now,
    exp: expiresAt,
    scp: ['openid', 'profile', 'email', 'offline_access'],
    [AUTH_CLAIM]: { chatgpt_account_id: account.accountId, chatgpt_plan_type: account.plan, chatgpt_user_id: account.userId },
    'https://api.openai.com/profile': { email: account.email, email_verified: true },
  });
}

export function idTokenFor(account: Account, expiresAt: number): string {
  return makeJwt({
    iss: 'https://auth.openai.com',
    aud: 'app_EMoamEEZ73f0CkXaXp7hrann',
    exp: expiresAt,
    email: account.email,
    email_verified: true,
    [AUTH_CLAIM]: {
      chatgpt_account_id: account.accountId,
      chatgpt_plan_type: account.plan,
      chatgpt_user_id: account.userId,
      organizations: [{ id: 'org-fake', is_default: true, role: 'owner', title: 'Personal' }],
    },
  });
}

export function opaqueToken(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}
