import { checkAccessToken, resolveAccessToken } from '../../auth/access-token.js';
import { envCredentialName } from '../../auth/credential-source.js';
import { browserLogin } from '../../auth/login/browser.js';
import { DEFAULT_LOGIN_TIMEOUT_S, type LoginIo } from '../../auth/login/common.js';
import { DEVICE_CODE_LIFETIME_S, deviceLogin } from '../../auth/login/device-code.js';
import { defaultOfficialAuthPath, importCredentials } from '../../auth/login/import-official.js';
import { OAuthClient } from '../../auth/oauth.js';
import { DEFAULT_ISSUER } from '../../config/resolve.js';
import { errnoOrMessage } from '../../shared/error-info.js';
import { AuthError, CodexError, UsageError } from '../../shared/errors.js';
import { type Credentials, isAccessToken } from '../../store/credentials.js';
import type { CliContext, CliIo } from '../context.js';
import { parseNonNegativeInt, parsePositiveSeconds } from '../parse.js';
import { savedStore } from '../stores.js';

export interface LoginOptions {
  /** false with --no-browser. */
  browser?: boolean;
  device?: boolean;
  /** true for a bare --import, the path otherwise. */
  import?: string | boolean;
  port?: string;
  timeout?: string;
  json?: boolean;
  paste?: boolean;
  /** --with-access-token: a Codex access token on stdin. */
  withAccessToken?: boolean;
  /** --expect-email: refuse (save nothing) unless the sign-in is this account's. */
  expectEmail?: string;
}

/** Linux without a display server cannot show a browser; `open` would only fail or hang around. */
function browserPossible(io: Pick<CliIo, 'env' | 'platform'>): boolean {
  if (io.platform !== 'linux') return true;
  return Boolean(io.env.DISPLAY || io.env.WAYLAND_DISPLAY);
}

async function openInBrowser(ctx: CliContext, url: string): Promise<boolean> {
  try {
    const { default: open } = await import('open');
    const child = await open(url, { wait: false });
    child.on('error', () => undefined);
    return true;
  } catch (error) {
    ctx.log(`could not start a browser: ${errnoOrMessage(error)}`);
    return false;
  }
}

function checkOptions(options: LoginOptions): void {
  const importing = options.import !== undefined && options.import !== false;
  if (options.device && importing) throw new UsageError('--device and --import are different ways to sign in; pick one');
  if (options.paste && (options.device || importing)) throw new UsageError('--paste belongs to the browser sign-in; drop --device/--import');
  if (options.port !== undefined && (options.device || importing)) throw new UsageError('--port belongs to the browser sign-in; drop --device/--import');
  if (options.withAccessToken && (options.device || importing || options.paste || options.port !== undefined)) {
    throw new UsageError('--with-access-token reads a token from stdin; drop --device/--import/--paste/--port');
  }
}

/** The whole of stdin (a token is a line or two), refused on a terminal: a token typed there would be echoed. */
async function readTokenFromStdin(ctx: CliContext): Promise<string> {
  if (ctx.stdin.isTTY) throw new UsageError('--with-access-token reads the token from stdin: pipe it in, e.g. `printenv TOKEN | codex login --with-access-token`');
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of ctx.stdin) {
    total += (chunk as Buffer).length;
    if (total > 64 * 1024) throw new UsageError('--with-access-token: stdin holds more than a token');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function runLogin(ctx: CliContext, options: LoginOptions): Promise<void> {
  ctx.tolerateBadConfigFile = true;
  checkOptions(options);
  const port = parseNonNegativeInt(options.port, '--port');
  if (port !== undefined && port > 65_535) throw new UsageError(`--port takes a port number up to 65535, not ${port}`);
  const timeoutS = parsePositiveSeconds(options.timeout, '--timeout');
  const { issuer } = ctx.config;
  await ctx.useProxyFromEnv();

  const store = savedStore(ctx);
  const remember = ctx.rememberCredentials;
  const expected = options.expectEmail?.trim().toLowerCase();
  if (expected === '') throw new UsageError('--expect-email takes an email address');
  // Who was signed in before: a sign-in into another account is worth a word (someone who can read the
  // authorize URL could sign this machine into their own account).
  const previous = await store.read().catch(() => undefined);
  // Under the refresh lock, so a refresh running elsewhere cannot overwrite the new sign-in with the old one.
  const save = async (credentials: Credentials) => {
    remember(credentials);
    if (expected !== undefined && credentials.email?.toLowerCase() !== expected) {
      throw new AuthError(
        'login_failed',
        `the sign-in is for ${credentials.email ?? `account ${credentials.account_id}`}, not ${options.expectEmail} (--expect-email); nothing was saved`,
      );
    }
    await store.withLock(() => store.save(credentials, { replaceCorrupt: true }));
  };

  let credentials: Credentials;
  if (options.withAccessToken) {
    const token = checkAccessToken(await readTokenFromStdin(ctx), 'stdin');
    ctx.secrets.add(token);
    credentials = await resolveAccessToken(token, { issuer, clientVersion: ctx.config.clientVersion, env: ctx.env, where: 'stdin' });
    await save(credentials);
  } else if (options.import !== undefined && options.import !== false) {
    const path = typeof options.import === 'string' ? options.import : defaultOfficialAuthPath(ctx.env);
    credentials = await importCredentials(path);
    await save(credentials);
    ctx.warn(
      `imported ${path}. Both CLIs now share one refresh token: when one refreshes, the other's copy stops working ` +
        '(refresh_token_reused). A separate `codex login` avoids that.',
    );
  } else {
    if (port !== undefined && port !== 1455 && port !== 1457 && issuer === DEFAULT_ISSUER) {
      ctx.warn(`note: ${DEFAULT_ISSUER} only accepts the callback ports 1455 and 1457; --port ${port} is for other issuers and tests`);
    }
    const oauth = new OAuthClient({ issuer, clientVersion: ctx.config.clientVersion, env: ctx.env, log: ctx.log });
    const io: LoginIo = {
      say: (line) => ctx.stderr.write(`${line}\n`),
      log: ctx.log,
      secret: (value) => ctx.secrets.add(value),
    };
    const limitS = timeoutS ?? (options.device ? DEVICE_CODE_LIFETIME_S : DEFAULT_LOGIN_TIMEOUT_S);
    const controller = new AbortController();
    const onInt = () => controller.abort(new CodexError('cancelled', 'sign-in cancelled; nothing was saved'));
    const onTerm = () => controller.abort(new CodexError('terminated', 'sign-in terminated; nothing was saved'));
    ctx.signals.once('SIGINT', onInt);
    ctx.signals.once('SIGTERM', onTerm);
    const timer = setTimeout(
      () => controller.abort(new AuthError('login_failed', `no sign-in arrived within ${limitS} s (--timeout); nothing was saved`)),
      limitS * 1000,
    );
    try {
      if (options.device) {
        credentials = await deviceLogin({ oauth, save, signal: controller.signal }, io);
      } else {
        const wantBrowser = options.browser !== false && browserPossible(ctx.io);
        const pasteInput = options.paste === true || ctx.stdin.isTTY === true ? ctx.stdin : undefined;
        credentials = await browserLogin(
          {
            issuer,
            oauth,
            ...(port !== undefined ? { port } : {}),
            ...(wantBrowser ? { openBrowser: (url: string) => openInBrowser(ctx, url) } : {}),
            ...(pasteInput ? { pasteInput } : {}),
            save,
            signal: controller.signal,
          },
          io,
        );
      }
    } finally {
      clearTimeout(timer);
      ctx.signals.off('SIGINT', onInt);
      ctx.signals.off('SIGTERM', onTerm);
    }
  }

  const who = credentials.email ?? `account ${credentials.account_id}`;
  const plan = credentials.plan ? `ChatGPT ${credentials.plan} plan` : 'plan unknown';
  ctx.stderr.write(`Signed in as ${who} (${plan}); credentials saved to ${store.location}\n`);
  if (previous && previous.account_id !== credentials.account_id) {
    const before = previous.email ?? `account ${previous.account_id}`;
    ctx.warn(`this is a different account than the one signed in before (${before}); if you did not mean to switch, run \`codex logout\` and sign in again`);
  }
  const inEnv = envCredentialName(ctx.env);
  if (inEnv !== undefined) ctx.warn(`${inEnv} is set, so other commands use it instead of the sign-in just saved; unset it to use this one`);
  if (options.json) {
    ctx.stdout.write(
      `${JSON.stringify({
        email: credentials.email ?? null,
        plan: credentials.plan ?? null,
        account_id: credentials.account_id,
        expires_at: isAccessToken(credentials) ? null : credentials.expires_at,
      })}\n`,
    );
  }
}
