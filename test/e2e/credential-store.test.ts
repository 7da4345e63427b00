// The Redis credential store over TLS: NODE_EXTRA_CA_CERTS is read when a process starts, so this one runs the
// binary (the other credential-store cases run in-process: test/cli/credential-store.test.ts).
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { redisAvailable, useRedis } from '../support/redis.js';
import { tempDir } from '../support/temp.js';

const fake = useFake({ fresh: true });
const available = redisAvailable();

/** A config dir of its own, as on a machine of its own. */
function machine(): string {
  const dir = tempDir();
  return dir;
}

describe.skipIf(!available)('a Redis store over TLS (rediss://)', () => {
  const redis = useRedis({ tls: true });

  it('works with the server certificate trusted through NODE_EXTRA_CA_CERTS, and is exit 3 without it', async () => {
    const url = redis.server.url();
    expect(url.startsWith('rediss://')).toBe(true);
    await redis.server.command(['HSET', 'codex-oauth:auth:default', 'auth', JSON.stringify(fake.issueTokens()), 'version', '1']);
    const trusted = await runCli(['ask', 'hi'], { fake, configDir: machine(), env: { CODEX_CREDENTIAL_STORE: url, NODE_EXTRA_CA_CERTS: redis.server.caFile } });
    expect(trusted.exitCode, trusted.stderr).toBe(0);
    expect(trusted.stdout).toBe('You said: hi\n');
    const untrusted = await runCli(['ask', 'hi'], { fake, configDir: machine(), env: { CODEX_CREDENTIAL_STORE: url } });
    expect(untrusted.exitCode).toBe(3);
    expect(untrusted.stderr).toBe(`codex: credential store ${url} is unreachable: self-signed certificate\n`);
    const plain = await runCli(['ask', 'hi'], { fake, configDir: machine(), env: { CODEX_CREDENTIAL_STORE: url.replace('rediss://', 'redis://') } });
    expect(plain.exitCode).toBe(3);
    expect(plain.stderr).toMatch(/^codex: credential store redis:\/\/127\.0\.0\.1:\d+\/0 is unreachable: /);
  }, 120_000);
});
