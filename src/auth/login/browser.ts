import type { Readable } from 'node:stream';
import { CLIENT_ID, ORIGINATOR } from '../../config/resolve.js';
import type { Credentials } from '../../store/credentials.js';
import { startCallbackServer } from '../callback-server.js';
import type { OAuthClient } from '../oauth.js';
import { createPkce, createState } from '../pkce.js';
import { type LoginIo, saveLogin, whenAborted } from './common.js';
import { listenForPastedRedirects, type PastedRedirects } from './pasted-redirect.js';

const SCOPE = 'openid profile email offline_access';

export interface AuthorizeUrlParams {
  issuer: string;
  redirectUri: string;
  challenge: string;
  state: string;
  clientId?: string;
}

/** `{issuer}/oauth/authorize?…` with every parameter the official client sends. */
export function buildAuthorizeUrl(params: AuthorizeUrlParams): string {
  const url = new URL(`${params.issuer.replace(/\/+$/, '')}/oauth/authorize`);
  const query: Record<string, string> = {
    response_type: 'code',
    client_id: params.clientId ?? CLIENT_ID,
    redirect_uri: params.redirectUri,
    scope: SCOPE,
    code_challenge: params.challenge,
    code_challenge_method: 'S256',
    id_token_add_organizations: 'true',
    codex_cli_simplified_flow: 'true',
    state: params.state,
    originator: ORIGINATOR,
  };
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}

export interface BrowserLoginOptions {
  issuer: string;
  oauth: Pick<OAuthClient, 'exchangeCode'>;
  /** undefined: 1455, then 1457. */
  port?: number;
  /** Opens the authorize URL; undefined = do not try. Resolves false when no browser could be started. */
  openBrowser?: (url: string) => Promise<boolean>;
  /** Lines typed or piped here are checked as pasted redirect URLs. */
  pasteInput?: Readable;
  /** Persists the credentials; runs before the browser sees the success page. */
  save: (credentials: Credentials) => Promise<void>;
  /** Ctrl-C and --timeout. */
  signal: AbortSignal;
}

/** OAuth2 authorization code + PKCE through a loopback callback (or a pasted redirect URL). */
export async function browserLogin(options: BrowserLoginOptions, io: LoginIo): Promise<Credentials> {
  const { signal } = options;
  const pkce = createPkce();
  const state = createState();
  io.secret?.(pkce.verifier);
  const server = await startCallbackServer<Credentials>({
    state,
    ...(options.port !== undefined ? { port: options.port } : {}),
    log: io.log,
    complete: async (code) => {
      io.secret?.(code);
      io.log?.('callback accepted; exchanging the authorization code');
      const tokens = await options.oauth.exchangeCode({ code, redirectUri: server.redirectUri, codeVerifier: pkce.verifier });
      return saveLogin(tokens, options, io);
    },
  });
  let pastes: PastedRedirects | undefined;
  try {
    io.log?.(`callback server listening on 127.0.0.1:${server.port}`);
    const url = buildAuthorizeUrl({ issuer: options.issuer, redirectUri: server.redirectUri, challenge: pkce.challenge, state });
    io.say('Sign in with your ChatGPT account: open this URL in a browser.');
    io.say(url);
    if (options.openBrowser) {
      const opened = await options.openBrowser(url);
      io.say(opened ? 'Opened your browser; waiting for the sign-in…' : 'Could not open a browser; open the URL above yourself. Waiting…');
    } else {
      io.say(`Waiting for the browser to come back to ${server.redirectUri}…`);
    }
    if (options.pasteInput) {
      pastes = listenForPastedRedirects(options.pasteInput, server, io);
    } else {
      io.say(`Browser on another machine? Forward the port first: ssh -L ${server.port}:localhost:${server.port} <this host>, or use --paste or --device.`);
    }
    return await Promise.race([server.result, whenAborted(signal), ...(pastes?.ended ? [pastes.ended] : [])]);
  } finally {
    pastes?.close();
    if (options.pasteInput && 'destroy' in options.pasteInput) options.pasteInput.destroy();
    await server.close();
  }
}
