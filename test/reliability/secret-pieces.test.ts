/**
 * A piece of a token in a message (issue 28, item 4). Before: only whole tokens (and anything starting like a
 * JWT) were masked, so an issuer error that echoed the first part of the refresh token it was sent ("refresh
 * token rt_AbC… is invalid") was printed as it came, on stderr and in `--json` error events.
 *
 * What must hold: no run of 12 or more characters of any token of the run appears in any output, whether the
 * piece is the token's start or its middle; the library's own error messages carry none either.
 */

import { describe, expect, it } from 'vitest';
import { OAuthClient } from '../../src/auth/oauth.js';
import { status } from '../fake/replies.js';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';
import { expectCleanStderr } from '../support/world.js';

const fake = useFake();

/** Every 12-character piece of `secret`: none may be printed. */
function expectNoPiece(output: string, secret: string): void {
  for (let i = 0; i + 12 <= secret.length; i++) {
    if (output.includes(secret.slice(i, i + 12))) throw new Error(`a 12-character piece of a token (from offset ${i}) appeared in the output`);
  }
}

const echoes = (piece: string) => status(400, { error: 'invalid_request', error_description: `refresh token ${piece}… is not valid for this client` });

describe('an issuer error that echoes part of the refresh token', () => {
  for (const [where, cut] of [
    ['its first 20 characters', (token: string) => token.slice(0, 20)],
    ['14 characters from its middle', (token: string) => token.slice(6, 20)],
  ] as const) {
    for (const args of [['refresh'], ['--verbose', 'refresh'], ['ask', '--json', 'q']]) {
      it(`${where}: \`codex ${args.join(' ')}\` masks it (exit 3)`, async () => {
        const tokens = fake.issueTokens(-60);
        const dir = configDirWith(tokens);
        expect(tokens.refresh_token.length).toBeGreaterThanOrEqual(24);
        fake.tokenReplies.push(echoes(cut(tokens.refresh_token)));
        const run = await runInProcess(args, { fake, configDir: dir });
        expect(run.exitCode, run.stderr).toBe(3);
        const output = `${run.stdout}\n${run.stderr}`;
        expectNoPiece(output, tokens.refresh_token);
        expectNoPiece(output, tokens.access_token);
        expect(output).toMatch(/the sign-in could not be refreshed \(refresh token \[redacted\]… is not valid for this client\)/);
        if (!args.includes('--verbose')) expectCleanStderr(run.stderr, { error: /^the sign-in could not be refreshed/ }, false);
      });
    }
  }

  it('the library: OAuthClient.refresh throws with the piece masked', async () => {
    const tokens = fake.issueTokens();
    fake.tokenReplies.push(echoes(tokens.refresh_token.slice(0, 16)));
    const error = await new OAuthClient({ issuer: fake.issuer, refreshRetries: 0 }).refresh(tokens.refresh_token).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expectNoPiece((error as Error).message, tokens.refresh_token);
    expect((error as Error).message).toContain('refresh token [redacted]…');
  });
});
