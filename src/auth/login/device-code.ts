import { setTimeout as delay } from 'node:timers/promises';
import * as z from 'zod/mini';
import { AuthError } from '../../shared/errors.js';
import type { Credentials } from '../../store/credentials.js';
import { describeNetworkError } from '../../transport/network-error.js';
import { type OAuthClient, parseOAuthError } from '../oauth.js';
import { s256Challenge } from '../pkce.js';
import { type LoginIo, saveLogin, throwIfAborted } from './common.js';

/** A device user code is valid for 15 minutes. */
export const DEVICE_CODE_LIFETIME_S = 15 * 60;

const DeviceCodeSchema = z.looseObject({
  device_auth_id: z.string().check(z.minLength(1)),
  user_code: z.string().check(z.minLength(1)),
  interval: z.optional(z.union([z.string(), z.number()])),
});

const DeviceTokenSchema = z.looseObject({
  authorization_code: z.string().check(z.minLength(1)),
  code_challenge: z.optional(z.string()),
  code_verifier: z.string().check(z.minLength(1)),
});

export interface DeviceLoginOptions {
  /** Its issuer and client id are the device flow's too. */
  oauth: Pick<OAuthClient, 'exchangeCode' | 'postJson' | 'issuer' | 'clientId'>;
  save: (credentials: Credentials) => Promise<void>;
  signal: AbortSignal;
}

const DEVICE_NOT_ENABLED =
  'device code sign-in is not enabled for this ChatGPT account. Turn on "device code authorization" for Codex ' +
  'in ChatGPT settings (Security), or sign in with the browser instead: `codex login` (over SSH, paste the redirect URL it asks for)';

/** A device-auth call; a network failure ends the sign-in (the poll loop retries only HTTP answers). */
async function devicePost(oauth: DeviceLoginOptions['oauth'], path: string, body: unknown, signal: AbortSignal): Promise<{ status: number; json: unknown }> {
  try {
    return await oauth.postJson(path, body, signal);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new AuthError('login_failed', `could not reach ${oauth.issuer}: ${describeNetworkError(error, `${oauth.issuer}${path}`)}`, { cause: error });
  }
}

function parseInterval(value: string | number | undefined): number {
  const seconds = typeof value === 'number' ? value : Number.parseFloat(value ?? '');
  // At least a second between polls, whatever the issuer says; at most a minute.
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(Math.max(seconds, 1), 60) : 5;
}

/** Device-code sign-in (protocol §2): show a code, poll until it is approved, exchange. */
export async function deviceLogin(options: DeviceLoginOptions, io: LoginIo): Promise<Credentials> {
  const { signal } = options;
  const { oauth } = options;
  const issuer = oauth.issuer;
  const start = await devicePost(oauth, '/api/accounts/deviceauth/usercode', { client_id: oauth.clientId }, signal);
  if (start.status === 404) throw new AuthError('login_failed', DEVICE_NOT_ENABLED, { status: 404 });
  const device = DeviceCodeSchema.safeParse(start.json);
  if (start.status < 200 || start.status >= 300 || !device.success) {
    const info = parseOAuthError(start.json);
    throw new AuthError('login_failed', `device code sign-in could not start: ${info.description ?? info.code ?? `HTTP ${start.status}`}`, {
      status: start.status,
    });
  }
  const { device_auth_id: deviceAuthId, user_code: userCode } = device.data;
  const intervalS = parseInterval(device.data.interval);
  io.say(`To sign in, open ${issuer}/codex/device in a browser (on any device) and enter this code:`);
  io.say(`    ${userCode}`);
  io.say(`The code is valid for 15 minutes. Waiting for approval (checking every ${intervalS} s)…`);

  for (let poll = 1; ; poll++) {
    throwIfAborted(signal);
    const answer = await devicePost(oauth, '/api/accounts/deviceauth/token', { device_auth_id: deviceAuthId, user_code: userCode }, signal);
    if (answer.status >= 200 && answer.status < 300) {
      const grant = DeviceTokenSchema.safeParse(answer.json);
      if (!grant.success) throw new AuthError('login_failed', 'the issuer sent an unreadable device sign-in answer');
      const { authorization_code: code, code_verifier: verifier, code_challenge: challenge } = grant.data;
      io.secret?.(code);
      io.secret?.(verifier);
      if (challenge !== undefined && s256Challenge(verifier) !== challenge) {
        throw new AuthError('login_failed', 'the device sign-in answer failed its PKCE check');
      }
      io.log?.('device code approved; exchanging the authorization code');
      const tokens = await options.oauth.exchangeCode({ code, redirectUri: `${issuer}/deviceauth/callback`, codeVerifier: verifier });
      return saveLogin(tokens, options, io);
    }
    if (answer.status === 403 || answer.status === 404) {
      io.log?.(`device poll ${poll}: still pending`);
    } else if (answer.status >= 500 || answer.status === 429) {
      io.log?.(`device poll ${poll}: HTTP ${answer.status}, trying again`);
    } else {
      const info = parseOAuthError(answer.json);
      throw new AuthError('login_failed', `device code sign-in failed: ${info.description ?? info.code ?? `HTTP ${answer.status}`}`, {
        status: answer.status,
      });
    }
    try {
      await delay(intervalS * 1000, undefined, { signal });
    } catch {
      throw signal.reason;
    }
  }
}
