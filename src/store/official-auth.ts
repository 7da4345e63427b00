import * as z from 'zod/mini';
import { decodeJwtClaims } from '../shared/jwt-claims.js';
import type { Credentials } from './credentials.js';

// The official Codex CLI's `$CODEX_HOME/auth.json`, in one place: read by the credential store and for
// CODEX_AUTH_JSON (through parseAnyCredentials), and by `codex login --import`.

/** The official Codex CLI's `$CODEX_HOME/auth.json`. */
export const OfficialAuthSchema = z.looseObject({
  auth_mode: z.optional(z.nullable(z.string())),
  OPENAI_API_KEY: z.optional(z.nullable(z.string())),
  tokens: z.looseObject({
    id_token: z.optional(z.nullable(z.string())),
    access_token: z.string().check(z.minLength(1)),
    refresh_token: z.string().check(z.minLength(1)),
    account_id: z.optional(z.nullable(z.string())),
  }),
  last_refresh: z.optional(z.nullable(z.string())),
});
export type OfficialAuth = z.infer<typeof OfficialAuthSchema>;

/** Builds our credentials from the official file's tokens, reading expiry, account, plan and email from the JWTs. */
export function credentialsFromOfficial(auth: OfficialAuth): Credentials | undefined {
  const { tokens } = auth;
  const access = decodeJwtClaims(tokens.access_token);
  const id = decodeJwtClaims(tokens.id_token ?? undefined);
  const accountId = tokens.account_id ?? id.accountId ?? access.accountId;
  const expiresAt = access.expiresAt;
  if (!accountId || expiresAt === undefined) return undefined;
  return {
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    ...(tokens.id_token ? { id_token: tokens.id_token } : {}),
    expires_at: expiresAt,
    account_id: accountId,
    ...optional('email', id.email ?? access.email),
    ...optional('plan', id.plan ?? access.plan),
    ...optional('last_refresh', auth.last_refresh ?? undefined),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** An official auth.json that holds an API key: a sign-in of another kind, which codex cannot use. */
export function holdsApiKey(json: unknown): boolean {
  return typeof (json as { OPENAI_API_KEY?: unknown })?.OPENAI_API_KEY === 'string';
}
