import * as z from 'zod/mini';

const AUTH_CLAIM = 'https://api.openai.com/auth';
const PROFILE_CLAIM = 'https://api.openai.com/profile';

const ClaimsSchema = z.looseObject({
  exp: z.optional(z.number()),
  email: z.optional(z.string()),
  [AUTH_CLAIM]: z.optional(
    z.looseObject({
      chatgpt_account_id: z.optional(z.string()),
      chatgpt_plan_type: z.optional(z.string()),
      chatgpt_user_id: z.optional(z.string()),
    }),
  ),
  [PROFILE_CLAIM]: z.optional(z.looseObject({ email: z.optional(z.string()) })),
});

export interface TokenClaims {
  /** Unix seconds. */
  expiresAt?: number;
  accountId?: string;
  plan?: string;
  email?: string;
  userId?: string;
}

/** Reads the payload of a JWT for its claims. No signature check: the issuer is trusted over TLS. */
export function decodeJwtClaims(token: string | undefined): TokenClaims {
  if (!token) return {};
  const payload = token.split('.')[1];
  if (!payload) return {};
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return {};
  }
  const parsed = ClaimsSchema.safeParse(json);
  if (!parsed.success) return {};
  const claims = parsed.data;
  const auth = claims[AUTH_CLAIM];
  return {
    expiresAt: claims.exp,
    accountId: auth?.chatgpt_account_id,
    plan: auth?.chatgpt_plan_type,
    userId: auth?.chatgpt_user_id,
    email: claims.email ?? claims[PROFILE_CLAIM]?.email,
  };
}
