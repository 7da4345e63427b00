/**
 * Temp files left by a killed save (issue 13, item 11). A save killed between the issuer's rotation and its
 * rename leaves `.auth.json.<hex>.tmp` holding the only live refresh token, while auth.json holds the spent one.
 * The next run that takes the credential lock adopts the newest whole one and removes the rest, so the sign-in
 * survives and no live token is left lying about.
 */
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAuth } from '../support/temp.js';
import { runScenario, world } from '../support/world.js';

describe('temp files of a killed save', () => {
  it('the newest whole one is adopted (its refresh token works), junk is removed', async () => {
    const w = await world(-60);
    try {
      // What the killed process had done: rotated the refresh token at the issuer, written the new sign-in to
      // its temp file, and died before the rename. auth.json still holds the spent token.
      const response = await fetch(`${w.fake.issuer}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'app_EMoamEEZ73f0CkXaXp7hrann', grant_type: 'refresh_token', refresh_token: w.tokens.refresh_token }),
      });
      const rotated = (await response.json()) as { access_token: string; refresh_token: string };
      const temp = join(w.dir, '.auth.json.0123456789ab.tmp');
      writeFileSync(temp, JSON.stringify({ ...w.tokens, access_token: rotated.access_token, refresh_token: rotated.refresh_token }), { mode: 0o600 });
      writeFileSync(join(w.dir, '.auth.json.ffffffffffff.tmp'), '{"access_token":"eyJ', { mode: 0o600 });
      const later = Date.now() / 1000 + 5;
      utimesSync(temp, later, later);
      await runScenario(w, ['refresh'], { exit: 0, warnings: [/recovered the sign-in that an interrupted codex process had not finished saving$/] }, false);
      // Adopted under the lock: it differs from what the run saw before, so it counts as another process's
      // refresh, and the spent token is never sent.
      expect(w.fake.refreshRequests).toHaveLength(1);
      expect(readAuth(w.dir).refresh_token).toBe(rotated.refresh_token);
      expect(readdirSync(w.dir)).toEqual(['auth.json']);
      // And the adopted refresh token is the live one.
      await runScenario(w, ['refresh'], { exit: 0 }, false);
      expect(w.fake.refreshRequests).toHaveLength(2);
      expect(w.fake.refreshRequests[1]!.body).toMatchObject({ refresh_token: rotated.refresh_token });
    } finally {
      await w.close();
    }
  });
});
