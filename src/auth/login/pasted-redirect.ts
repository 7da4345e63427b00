import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { AuthError } from '../../shared/errors.js';
import type { Credentials } from '../../store/credentials.js';
import type { CallbackServer } from '../callback-server.js';
import type { LoginIo } from './common.js';

/** Parses what a user pasted: the whole redirect URL, or just its query. undefined when it is neither. */
export function parsePastedCallback(line: string): URLSearchParams | undefined {
  const text = line.trim().replace(/^["'<]+|[>"']+$/g, '');
  if (text === '') return undefined;
  let query: URLSearchParams;
  if (/^https?:\/\//i.test(text)) {
    try {
      query = new URL(text).searchParams;
    } catch {
      return undefined;
    }
  } else if (/(^|[?&])(code|error|state)=/.test(text)) {
    query = new URLSearchParams(text.slice(text.indexOf('?') + 1));
  } else {
    return undefined;
  }
  return query.has('state') || query.has('code') || query.has('error') ? query : undefined;
}

export interface PastedRedirects {
  /** Rejects when a pipe ends before a pasted URL was accepted; undefined for a terminal, which the user may still type into. */
  ended: Promise<never> | undefined;
  /** Stops reading (the caller owns the input and destroys it). */
  close(): void;
}

/** The browser flow over SSH: redirect URLs pasted into `input` are handed to the callback server as if it had been called. */
export function listenForPastedRedirects(input: Readable, server: CallbackServer<Credentials>, io: LoginIo): PastedRedirects {
  io.say(
    `Browser on another machine (SSH)? After approving, it is sent to http://localhost:${server.port}/auth/callback?code=… ` +
      'which fails to load there: copy that whole URL from its address bar and paste it here, then press Enter.',
  );
  const reader = createInterface({ input, terminal: false, crlfDelay: Infinity });
  const submissions: Promise<unknown>[] = [];
  reader.on('line', (line) => {
    if (line.trim() === '') return;
    const query = parsePastedCallback(line);
    if (!query) {
      io.say(`That is not the redirect URL; paste the whole address, starting with http://localhost:${server.port}/auth/callback?code=`);
      return;
    }
    submissions.push(
      server.submit(query).then((verdict) => {
        if (verdict.kind === 'rejected') io.say(`Pasted URL not accepted: ${verdict.message}. Still waiting…`);
      }),
    );
  });
  let ended: Promise<never> | undefined;
  // A pipe that ends with nothing accepted will never paste anything more: say so now, not at --timeout.
  if ((input as { isTTY?: boolean }).isTTY !== true) {
    ended = new Promise<never>((_resolve, reject) => {
      reader.once('close', () => {
        void Promise.allSettled(submissions).then(() => {
          if (!server.handled) reject(new AuthError('login_failed', 'standard input ended without an accepted redirect URL'));
        });
      });
    });
  }
  return {
    ended,
    close: () => reader.close(),
  };
}
