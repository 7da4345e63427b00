import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { status } from '../fake/replies.js';
import type { IssuedTokens } from '../fake/server.js';
import { CLI, cliEnv, expectNoSecrets, type RunOptions, runCli, waitFor } from '../support/cli.js';
import { startFake, useFake } from '../support/fake.js';
import { configDirWith, fileMode, readAuth, tempDir } from '../support/temp.js';

const fake = useFake({ fresh: true });

const AUTHORIZE_LINE = /^(https?:\/\/\S+\/oauth\/authorize\?\S+)$/m;

/** Starts `codex login …` and collects stderr as it arrives, so a test can wait on a line. */
function startLogin(args: string[], options: RunOptions = {}) {
  const child = runCli(['login', ...args], { fake, ...options });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  return {
    child,
    stderr: () => stderr,
    /** Waits (with a deadline) until stderr holds `pattern`. */
    async waitForStderr(pattern: RegExp, what = String(pattern)): Promise<RegExpMatchArray> {
      await waitFor(() => pattern.test(stderr), 15_000, `${what} on stderr; got:\n${stderr}`);
      return stderr.match(pattern)!;
    },
    async authorizeUrl(): Promise<URL> {
      const match = await this.waitForStderr(AUTHORIZE_LINE, 'the authorize URL');
      return new URL(match[1]!);
    },
  };
}

/** What a browser does on the issuer's page: GET it, and take the redirect (not followed) it answers with. */
async function approve(authorizeUrl: URL): Promise<URL> {
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

/**
 * GETs the callback as the browser would. The redirect says `localhost`; we go to 127.0.0.1, the address the
 * server binds, since a browser tries both families and Node's resolver may prefer ::1.
 */
async function visit(callback: URL): Promise<{ status: number; body: string }> {
  const url = new URL(callback);
  url.hostname = '127.0.0.1';
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, body: await response.text() };
}

function codeExchanges(): Record<string, string>[] {
  return fake
    .requestsTo('/oauth/token')
    .map((r) => r.body as Record<string, string>)
    .filter((body) => body?.grant_type === 'authorization_code');
}

function secretsOf(dir: string): string[] {
  const auth = readAuth(dir);
  return [auth.access_token, auth.refresh_token, auth.id_token].filter((v): v is string => typeof v === 'string');
}

function withReplacedParam(url: URL, name: string, value: string | undefined): URL {
  const copy = new URL(url);
  if (value === undefined) copy.searchParams.delete(name);
  else copy.searchParams.set(name, value);
  return copy;
}

async function canBind(port: number): Promise<Server | undefined> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
  });
}

const closeServer = (server: Server | undefined) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

describe('codex login (browser flow)', () => {
  it('signs in through the callback: PKCE verifier matches the challenge, auth.json 0600 with the claims', async () => {
    const configDir = tempDir();
    const login = startLogin(['--no-browser', '--port', '0', '--json'], { configDir });
    const authorize = await login.authorizeUrl();

    const q = authorize.searchParams;
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${fake.issuer}/oauth/authorize`);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe('app_EMoamEEZ73f0CkXaXp7hrann');
    expect(q.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/auth\/callback$/);
    expect(q.get('scope')).toBe('openid profile email offline_access');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('id_token_add_organizations')).toBe('true');
    expect(q.get('codex_cli_simplified_flow')).toBe('true');
    expect(q.get('originator')).toBe('codex_cli_rs');
    expect(Buffer.from(q.get('state')!, 'base64url')).toHaveLength(32);

    const callback = await approve(authorize);
    const page = await visit(callback);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/signed in/i);

    const result = await login.child;
    expect(result.exitCode).toBe(0);
    const [exchange, ...more] = codeExchanges();
    expect(more).toHaveLength(0);
    expect(exchange!.code_verifier).toMatch(/^[\w-]{86}$/);
    expect(Buffer.from(exchange!.code_verifier!, 'base64url')).toHaveLength(64);
    expect(createHash('sha256').update(exchange!.code_verifier!).digest('base64url')).toBe(q.get('code_challenge'));
    expect(exchange!.redirect_uri).toBe(q.get('redirect_uri'));
    expect(fake.requestsTo('/oauth/token')[0]!.headers['content-type']).toContain('application/x-www-form-urlencoded');

    const authPath = join(configDir, 'auth.json');
    expect(fileMode(authPath)).toBe(0o600);
    expect(fileMode(configDir)).toBe(0o700);
    const auth = readAuth(configDir);
    expect(auth.account_id).toBe(fake.account.accountId);
    expect(auth.email).toBe(fake.account.email);
    expect(auth.plan).toBe(fake.account.plan);
    const accessExp = JSON.parse(Buffer.from(String(auth.access_token).split('.')[1]!, 'base64url').toString()).exp;
    expect(auth.expires_at).toBe(accessExp);

    expect(JSON.parse(result.stdout)).toEqual({
      email: fake.account.email,
      plan: fake.account.plan,
      account_id: fake.account.accountId,
      expires_at: accessExp,
    });
    const lastLine = result.stderr.trimEnd().split('\n').at(-1)!;
    expect(lastLine).toContain(fake.account.email);
    expect(lastLine).toContain(fake.account.plan);

    // The success page, stdout and stderr carry no token.
    expectNoSecrets(page.body + result.stdout + result.stderr, [...secretsOf(configDir), callback.searchParams.get('code')!]);
    expect(page.body).not.toMatch(/eyJ/);

    // The server is closed once the sign-in is done.
    await expect(visit(callback)).rejects.toThrow();
  });

  it('refuses a callback with a wrong or missing state (400, no exchange), then takes the right one', async () => {
    const configDir = tempDir();
    const login = startLogin(['--no-browser', '--port', '0'], { configDir });
    const callback = await approve(await login.authorizeUrl());

    const wrong = await visit(withReplacedParam(callback, 'state', 'forged-state'));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatch(/state/i);
    const missing = await visit(withReplacedParam(callback, 'state', undefined));
    expect(missing.status).toBe(400);
    expect(codeExchanges()).toHaveLength(0);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);

    const right = await visit(callback);
    expect(right.status).toBe(200);
    const result = await login.child;
    expect(result.exitCode).toBe(0);
    expect(codeExchanges()).toHaveLength(1);
    expect(readAuth(configDir).account_id).toBe(fake.account.accountId);
  });

  it('times out with exit 3 when only a wrong-state callback arrives, saving nothing', async () => {
    const configDir = tempDir();
    // Long enough that the test's own steps (approve, visit) finish well before it, even on a loaded machine.
    const login = startLogin(['--no-browser', '--port', '0', '--timeout', '6'], { configDir });
    const callback = await approve(await login.authorizeUrl());
    expect((await visit(withReplacedParam(callback, 'state', 'nope'))).status).toBe(400);
    const result = await login.child;
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/codex: .*6 s/);
    expect(codeExchanges()).toHaveLength(0);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
  });

  it('a valid callback whose code exchange fails (400 invalid_grant) → exit 3, nothing written', async () => {
    const configDir = tempDir();
    fake.codeExchangeReplies.push(status(400, { error: 'invalid_grant', error_description: 'Authorization code expired' }));
    const login = startLogin(['--no-browser', '--port', '0', '--json'], { configDir });
    const callback = await approve(await login.authorizeUrl());
    await visit(callback);
    const result = await login.child;
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^codex: .*Authorization code expired/m);
    expect(codeExchanges()).toHaveLength(1);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
    expectNoSecrets(result.stderr, [callback.searchParams.get('code')!, codeExchanges()[0]!.code_verifier!]);
  });

  it('error=access_denied → exit 3 with the description', async () => {
    const configDir = tempDir();
    fake.authorize = { approve: false, error: 'access_denied', description: 'The user denied the request' };
    const login = startLogin(['--no-browser', '--port', '0'], { configDir });
    const callback = await approve(await login.authorizeUrl());
    expect(callback.searchParams.get('error')).toBe('access_denied');
    const page = await visit(callback);
    expect(page.body).toContain('The user denied the request');
    const result = await login.child;
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^codex: .*The user denied the request/m);
    expect(result.stdout).toBe('');
    expect(codeExchanges()).toHaveLength(0);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
  });

  it('error=missing_codex_entitlement is explained in plain words', async () => {
    fake.authorize = { approve: false, error: 'missing_codex_entitlement', description: 'Codex not enabled' };
    const login = startLogin(['--no-browser', '--port', '0'], { configDir: tempDir() });
    await visit(await approve(await login.authorizeUrl()));
    const result = await login.child;
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^codex: Codex is not enabled for your ChatGPT workspace/m);
  });

  it('Ctrl-C while waiting → exit 130, nothing written', async () => {
    const configDir = tempDir();
    const login = startLogin(['--no-browser', '--port', '0'], { configDir });
    await login.authorizeUrl();
    login.child.kill('SIGINT');
    const result = await login.child;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toMatch(/^codex: .*cancelled/m);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
  });

  it('takes a pasted redirect URL on stdin with --paste (garbage and wrong state are refused first)', async () => {
    const configDir = tempDir();
    const login = startLogin(['--no-browser', '--port', '0', '--paste', '--json'], { configDir, execa: { stdin: 'pipe' } });
    const authorize = await login.authorizeUrl();
    await login.waitForStderr(/paste it here/i, 'the paste prompt');
    const callback = await approve(authorize);

    login.child.stdin!.write('hello\n');
    await login.waitForStderr(/not the redirect URL/, 'the garbage notice');
    login.child.stdin!.write(`${withReplacedParam(callback, 'state', 'other-attempt')}\n`);
    await login.waitForStderr(/Pasted URL not accepted/, 'the wrong-state notice');
    expect(codeExchanges()).toHaveLength(0);

    login.child.stdin!.write(`${callback}\n`);
    const result = await login.child;
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).account_id).toBe(fake.account.accountId);
    expect(codeExchanges()).toHaveLength(1);
    expect(codeExchanges()[0]!.redirect_uri).toBe(authorize.searchParams.get('redirect_uri'));
    expect(fileMode(join(configDir, 'auth.json'))).toBe(0o600);
    expectNoSecrets(result.stdout + result.stderr, secretsOf(configDir));
  });

  it('--paste: stdin that ends with nothing accepted fails at once (exit 3), not at --timeout', async () => {
    const configDir = tempDir();
    const run = await runCli(['login', '--no-browser', '--port', '0', '--paste', '--timeout', '60'], { fake, configDir, input: 'not a url\n', timeoutMs: 20_000 });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/codex: standard input ended without an accepted redirect URL\n$/);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
    expect(fake.requestsTo('/oauth/token')).toHaveLength(0);
  });

  it('on a terminal, a pasted redirect URL works without --paste (pseudo-terminal through script(1))', async (ctx) => {
    const script = ['/usr/bin/script', '/bin/script'].find((path) => existsSync(path));
    if (process.platform !== 'linux' || !script) {
      console.warn('SKIPPED TTY paste test: needs Linux with script(1) for a pseudo-terminal');
      ctx.skip('no script(1)');
    }
    const configDir = tempDir();
    const quote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`;
    const command = [process.execPath, CLI, 'login', '--no-browser', '--port', '0', '--json'].map(quote).join(' ');
    const child = execa(script!, ['-qec', command, '/dev/null'], {
      env: cliEnv({ fake, configDir }),
      extendEnv: false,
      reject: false,
      stdin: 'pipe',
      timeout: 20_000,
    });
    let output = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
    });
    const urlPattern = /(https?:\/\/\S+\/oauth\/authorize\?\S+)/;
    await waitFor(() => urlPattern.test(output) && /paste it here/.test(output), 15_000, `the URL and paste prompt; got:\n${output}`);
    const callback = await approve(new URL(output.match(urlPattern)![1]!));
    child.stdin!.write(`${callback}\n`);
    const result = await child;
    expect(result.exitCode, output).toBe(0);
    expect(codeExchanges()).toHaveLength(1);
    expect(readAuth(configDir).account_id).toBe(fake.account.accountId);
    expect(fileMode(join(configDir, 'auth.json'))).toBe(0o600);
  });

  it('falls back to port 1457 when 1455 is busy, and says so clearly when both are', async (ctx) => {
    const blocker1455 = await canBind(1455);
    const free1457 = await canBind(1457);
    await closeServer(free1457);
    if (!free1457) {
      await closeServer(blocker1455);
      console.warn('SKIPPED port fallback test: 127.0.0.1:1457 cannot be bound in this environment');
      ctx.skip('127.0.0.1:1457 cannot be bound here');
    }
    // 1455 is now busy: held by us, or by something else on this machine.
    try {
      const configDir = tempDir();
      // No --no-browser on Linux: the test env has no DISPLAY, so the URL is only printed.
      const login = startLogin(process.platform === 'linux' ? [] : ['--no-browser'], { configDir });
      const authorize = await login.authorizeUrl();
      expect(authorize.searchParams.get('redirect_uri')).toBe('http://localhost:1457/auth/callback');
      const page = await visit(await approve(authorize));
      expect(page.status).toBe(200);
      const result = await login.child;
      expect(result.exitCode).toBe(0);
      expect(codeExchanges()[0]!.redirect_uri).toBe('http://localhost:1457/auth/callback');

      const blocker1457 = await canBind(1457);
      try {
        if (!blocker1457) throw new Error('1457 could not be taken for the both-busy check');
        const both = await runCli(['login', '--no-browser'], { fake, configDir: tempDir() });
        expect(both.exitCode).toBe(3);
        expect(both.stderr).toMatch(/^codex: .*1455.*1457.*in use.*--port/m);
      } finally {
        await closeServer(blocker1457);
      }
    } finally {
      await closeServer(blocker1455);
    }
  });

  it('the callback server cannot be reached on a non-loopback address', async (ctx) => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((info) => info && !info.internal && info.family === 'IPv4')?.address;
    if (!address) {
      console.warn('SKIPPED non-loopback test: this machine has no non-loopback IPv4 address');
      ctx.skip('no non-loopback IPv4 address');
    }
    const login = startLogin(['--no-browser', '--port', '0'], { configDir: tempDir() });
    const authorize = await login.authorizeUrl();
    const port = Number(new URL(authorize.searchParams.get('redirect_uri')!).port);
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: address, port });
      socket.setTimeout(5_000, () => {
        socket.destroy();
        resolve('timeout');
      });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).not.toBe('connected');
    // Still reachable on loopback, and the sign-in completes.
    expect((await visit(await approve(authorize))).status).toBe(200);
    expect((await login.child).exitCode).toBe(0);
  });

  it('--verbose shows no token, code or verifier on stdout/stderr', async () => {
    const configDir = tempDir();
    const login = startLogin(['--verbose', '--no-browser', '--port', '0', '--json'], { configDir });
    const callback = await approve(await login.authorizeUrl());
    const page = await visit(callback);
    const result = await login.child;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/codex: callback server listening/);
    const verifier = codeExchanges()[0]!.code_verifier!;
    const secrets = [...secretsOf(configDir), callback.searchParams.get('code')!, verifier];
    expectNoSecrets(result.stdout + result.stderr + page.body, secrets);

    const refresh = await runCli(['--verbose', 'refresh', '--json'], { fake, configDir });
    const status = await runCli(['--verbose', 'status'], { fake, configDir });
    const logout = await runCli(['--verbose', 'logout'], { fake, configDir });
    expect([refresh.exitCode, status.exitCode, logout.exitCode]).toEqual([0, 0, 0]);
    const issued = fake.refreshRequests.length;
    expect(issued).toBe(1);
    expectNoSecrets([refresh, status, logout].map((r) => r.stdout + r.stderr).join(''), [
      ...secrets,
      ...fake.requestsTo('/oauth/revoke').map((r) => (r.body as { token: string }).token),
    ]);
  });
});

describe('codex login --device', () => {
  it('shows the URL and code, polls through two pending answers (403, 404), then signs in', async () => {
    fake.deviceAuth = { enabled: true, pendingPolls: 2, interval: '1' };
    const configDir = tempDir();
    const result = await runCli(['login', '--device', '--json'], { fake, configDir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`${fake.issuer}/codex/device`);
    expect(result.stderr).toMatch(/^\s+[0-9A-F]{4}-[0-9A-F]{4}$/m);
    const polls = fake.requestsTo('/api/accounts/deviceauth/token');
    expect(polls).toHaveLength(3);
    // Polled at the interval the issuer gave (1 s), never faster (a little slack for timer granularity).
    for (let i = 1; i < polls.length; i++) expect(polls[i]!.receivedAt - polls[i - 1]!.receivedAt, `gap before poll ${i + 1}`).toBeGreaterThanOrEqual(900);
    const userCode = result.stderr.match(/^\s+([0-9A-F]{4}-[0-9A-F]{4})$/m)![1];
    expect(polls[0]!.body).toMatchObject({ user_code: userCode });
    expect(fake.requestsTo('/api/accounts/deviceauth/usercode')[0]!.body).toEqual({ client_id: 'app_EMoamEEZ73f0CkXaXp7hrann' });
    expect(codeExchanges()).toHaveLength(1);
    expect(codeExchanges()[0]!.redirect_uri).toBe(`${fake.issuer}/deviceauth/callback`);
    expect(JSON.parse(result.stdout)).toMatchObject({ account_id: fake.account.accountId, email: fake.account.email });
    expect(fileMode(join(configDir, 'auth.json'))).toBe(0o600);
    expect(readAuth(configDir).account_id).toBe(fake.account.accountId);
    expectNoSecrets(result.stdout + result.stderr, secretsOf(configDir));
  });

  it('a denied device sign-in → exit 3 with the issuer’s reason, nothing written, no exchange', async () => {
    fake.deviceAuth = {
      enabled: true,
      pendingPolls: 1,
      interval: '1',
      deny: { status: 400, body: { error: 'access_denied', error_description: 'The user denied the request' } },
    };
    const configDir = tempDir();
    const result = await runCli(['login', '--device', '--json'], { fake, configDir });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^codex: .*The user denied the request/m);
    expect(fake.requestsTo('/api/accounts/deviceauth/token')).toHaveLength(2);
    expect(codeExchanges()).toHaveLength(0);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
  });

  it('--timeout while the code stays pending → exit 3, nothing written', async () => {
    fake.deviceAuth = { enabled: true, pendingPolls: 1_000, interval: '1' };
    const configDir = tempDir();
    const result = await runCli(['login', '--device', '--timeout', '2'], { fake, configDir });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^codex: .*2 s/m);
    expect(fake.requestsTo('/api/accounts/deviceauth/token').length).toBeGreaterThanOrEqual(1);
    expect(codeExchanges()).toHaveLength(0);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
  });

  it('explains a 404 (device login not enabled) in plain words, exit 3', async () => {
    fake.deviceAuth = { enabled: false, pendingPolls: 0, interval: '1' };
    const configDir = tempDir();
    const result = await runCli(['login', '--device'], { fake, configDir });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^codex: device code sign-in is not enabled for this ChatGPT account.*settings/m);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
  });
});

describe('codex login --import', () => {
  function officialFile(tokens: IssuedTokens, dir = tempDir()): string {
    const path = join(dir, 'auth.json');
    writeFileSync(
      path,
      JSON.stringify({
        auth_mode: 'chatgpt',
        OPENAI_API_KEY: null,
        tokens: { id_token: tokens.id_token, access_token: tokens.access_token, refresh_token: tokens.refresh_token, account_id: tokens.account_id },
        last_refresh: '2026-07-27T10:00:00Z',
      }),
    );
    return path;
  }

  it('imports the official auth.json from $CODEX_HOME, and the result works for refresh', async () => {
    const tokens = fake.issueTokens();
    const codexHome = tempDir();
    officialFile(tokens, codexHome);
    const configDir = tempDir();
    const result = await runCli(['login', '--import', '--json'], { fake, configDir, env: { CODEX_HOME: codexHome } });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ email: tokens.email, plan: tokens.plan, account_id: tokens.account_id, expires_at: tokens.expires_at });
    expect(fileMode(join(configDir, 'auth.json'))).toBe(0o600);
    const auth = readAuth(configDir);
    expect(auth).toMatchObject({ access_token: tokens.access_token, refresh_token: tokens.refresh_token, account_id: tokens.account_id, expires_at: tokens.expires_at });
    expectNoSecrets(result.stdout + result.stderr, [tokens.access_token, tokens.refresh_token, tokens.id_token]);
    expect(fake.requests).toHaveLength(0);

    const refresh = await runCli(['refresh', '--json'], { fake, configDir });
    expect(refresh.exitCode).toBe(0);
    expect(JSON.parse(refresh.stdout).refreshed).toBe(true);
  });

  it('imports from an explicit path and from ~/.codex/auth.json by default', async () => {
    const tokens = fake.issueTokens();
    const explicit = officialFile(tokens);
    const configDir = tempDir();
    const one = await runCli(['login', '--import', explicit], { fake, configDir });
    expect(one.exitCode).toBe(0);
    expect(readAuth(configDir).account_id).toBe(tokens.account_id);

    const home = tempDir();
    mkdirSync(join(home, '.codex'));
    officialFile(tokens, join(home, '.codex'));
    const configDir2 = tempDir();
    const two = await runCli(['login', '--import'], { fake, configDir: configDir2, env: { HOME: home } });
    expect(two.exitCode).toBe(0);
    expect(readAuth(configDir2).account_id).toBe(tokens.account_id);
  });

  it('a missing file is a usage error (exit 2) and a file without tokens is refused (exit 3)', async () => {
    const configDir = tempDir();
    const missing = await runCli(['login', '--import', join(tempDir(), 'nope.json')], { fake, configDir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^codex: --import: .*nope\.json does not exist/m);

    const apiKey = join(tempDir(), 'auth.json');
    writeFileSync(apiKey, JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-not-a-sign-in' }));
    const refused = await runCli(['login', '--import', apiKey], { fake, configDir });
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toMatch(/API key, not a ChatGPT sign-in/);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
  });
});

describe('codex status / logout / refresh', () => {
  it('status: not logged in → exit 3 and {"logged_in":false}', async () => {
    const configDir = tempDir();
    const json = await runCli(['status', '--json'], { fake, configDir });
    expect(json.exitCode).toBe(3);
    expect(JSON.parse(json.stdout)).toEqual({ logged_in: false });
    const text = await runCli(['status'], { fake, configDir });
    expect(text.exitCode).toBe(3);
    expect(text.stderr).toMatch(/^codex: not logged in/m);
  });

  it('status from the file and from CODEX_AUTH_JSON', async () => {
    const tokens = fake.issueTokens();
    const configDir = configDirWith(tokens);
    const json = await runCli(['status', '--json'], { fake, configDir });
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      logged_in: true,
      email: tokens.email,
      plan: tokens.plan,
      account_id: tokens.account_id,
      expires_at: tokens.expires_at,
      source: 'file',
      profile: 'default',
      usage: null,
    });
    const text = await runCli(['status'], { fake, configDir });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain(tokens.email);
    expect(text.stdout).toContain(tokens.account_id);
    expect(text.stdout).toMatch(/source:\s+file/);
    expectNoSecrets(text.stdout + text.stderr + json.stdout + json.stderr, [tokens.access_token, tokens.refresh_token, tokens.id_token]);

    const env = await runCli(['status', '--json'], { fake, configDir: tempDir(), env: { CODEX_AUTH_JSON: JSON.stringify(tokens) } });
    expect(env.exitCode).toBe(0);
    expect(JSON.parse(env.stdout)).toMatchObject({ logged_in: true, source: 'env', account_id: tokens.account_id });
    expect(fake.requests).toHaveLength(0);
  });

  it('logout revokes, removes auth.json, and exits 0 when already logged out', async () => {
    const tokens = fake.issueTokens();
    const configDir = configDirWith(tokens);
    const first = await runCli(['logout'], { fake, configDir });
    expect(first.exitCode).toBe(0);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
    const revokes = fake.requestsTo('/oauth/revoke');
    expect(revokes).toHaveLength(1);
    expect(revokes[0]!.body).toEqual({ token: tokens.refresh_token, token_type_hint: 'refresh_token', client_id: 'app_EMoamEEZ73f0CkXaXp7hrann' });

    const again = await runCli(['logout'], { fake, configDir });
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toMatch(/not logged in/i);
    expect((await runCli(['status'], { fake, configDir })).exitCode).toBe(3);
  });

  it('logout with CODEX_AUTH_JSON says there is nothing stored, exit 0, no revoke', async () => {
    const tokens = fake.issueTokens();
    const configDir = configDirWith(tokens);
    const result = await runCli(['logout'], { fake, configDir, env: { CODEX_AUTH_JSON: JSON.stringify(tokens) } });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/nothing stored to remove/);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(true);
    expect(fake.requestsTo('/oauth/revoke')).toHaveLength(0);
  });

  it('logout still succeeds when the issuer cannot be reached', async () => {
    const gone = await startFake();
    const configDir = configDirWith(gone.issueTokens());
    await gone.close();
    const result = await runCli(['logout'], { fake: gone, configDir });
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
  });

  it('refresh now, and --if-expiring only when needed', async () => {
    const tokens = fake.issueTokens(3600);
    const configDir = configDirWith(tokens);

    const notYet = await runCli(['refresh', '--json', '--if-expiring', '30m'], { fake, configDir });
    expect(notYet.exitCode).toBe(0);
    expect(JSON.parse(notYet.stdout)).toEqual({ refreshed: false, expires_at: tokens.expires_at, account_id: tokens.account_id });
    expect(fake.refreshRequests).toHaveLength(0);
    const notYetText = await runCli(['refresh', '--if-expiring', '30m'], { fake, configDir });
    expect(notYetText.stdout).toMatch(/^Not refreshed/);

    const due = await runCli(['refresh', '--json', '--if-expiring', '2h'], { fake, configDir });
    expect(due.exitCode).toBe(0);
    const dueJson = JSON.parse(due.stdout);
    expect(dueJson.refreshed).toBe(true);
    expect(fake.refreshRequests).toHaveLength(1);
    const afterDue = readAuth(configDir);
    expect(afterDue.refresh_token).not.toBe(tokens.refresh_token);
    expect(afterDue.expires_at).toBe(dueJson.expires_at);
    expect(fileMode(join(configDir, 'auth.json'))).toBe(0o600);

    const now = await runCli(['refresh'], { fake, configDir });
    expect(now.exitCode).toBe(0);
    expect(now.stdout).toMatch(/^Refreshed; the access token is valid until /);
    expect(fake.refreshRequests).toHaveLength(2);
    expect(readAuth(configDir).refresh_token).not.toBe(afterDue.refresh_token);

    const bad = await runCli(['refresh', '--if-expiring', 'soon'], { fake, configDir });
    expect(bad.exitCode).toBe(2);
    expect(fake.refreshRequests).toHaveLength(2);
  });

  it('refresh when not logged in → exit 3; a dead refresh token → exit 3', async () => {
    const none = await runCli(['refresh'], { fake, configDir: tempDir() });
    expect(none.exitCode).toBe(3);
    const tokens = fake.issueTokens();
    const configDir = configDirWith(tokens);
    await runCli(['logout'], { fake, configDir: configDirWith(tokens) });
    const dead = await runCli(['refresh', '--json'], { fake, configDir });
    expect(dead.exitCode).toBe(3);
    expect(dead.stderr).toMatch(/^codex: .*codex login/m);
  });

  it('refresh with CODEX_AUTH_JSON refuses to spend the secret, but --if-expiring can check it', async () => {
    const tokens = fake.issueTokens(3600);
    const env = { CODEX_AUTH_JSON: JSON.stringify(tokens) };
    const check = await runCli(['refresh', '--json', '--if-expiring', '10m'], { fake, configDir: tempDir(), env });
    expect(check.exitCode).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ refreshed: false });
    const forced = await runCli(['refresh'], { fake, configDir: tempDir(), env });
    expect(forced.exitCode).toBe(2);
    expect(forced.stderr).toMatch(/CODEX_AUTH_JSON/);
    expect(fake.refreshRequests).toHaveLength(0);
  });

  it('8 concurrent `codex refresh` → exactly one network refresh, all exit 0', async () => {
    const tokens = fake.issueTokens();
    const configDir = configDirWith(tokens);
    // Widens the race: every process has read the old token before the first refresh answers.
    fake.refreshDelayMs = 2_000;
    const results = await Promise.all(Array.from({ length: 8 }, () => runCli(['refresh', '--json'], { fake, configDir })));
    expect(fake.refreshRequests).toHaveLength(1);
    expect(fake.refreshCount).toBe(1);
    const auth = readAuth(configDir);
    for (const result of results) {
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toBe(`${JSON.stringify({ refreshed: true, expires_at: auth.expires_at, account_id: tokens.account_id })}\n`);
    }
    // One rotated token on disk, 0600.
    expect(auth.refresh_token).not.toBe(tokens.refresh_token);
    expect(auth.access_token).not.toBe(tokens.access_token);
    expect(fileMode(join(configDir, 'auth.json'))).toBe(0o600);
    // The one rotated refresh token on disk is live: the next refresh works.
    const next = await runCli(['refresh', '--json'], { fake, configDir });
    expect(next.exitCode).toBe(0);
    expect(fake.refreshCount).toBe(2);
  });
});

describe('a broken config.json', () => {
  it('stops status, login, logout and refresh as it stops ask: one line, exit 2, no fall back to auth.json, the file kept', async () => {
    const dir = configDirWith(fake.issueTokens());
    // It may name a Redis credential store: going on with auth.json would act on the wrong sign-in.
    writeFileSync(join(dir, 'config.json'), '{"credential_store": "redis://127.0.0.1:6379/0",', { mode: 0o600 });
    for (const args of [['status', '--json'], ['logout'], ['refresh'], ['login', '--import', join(dir, 'official.json')], ['ask', 'q']]) {
      const run = await runCli(args, { fake, configDir: dir });
      // status --json says so on stdout too, as for any error.
      const stdout = args[0] === 'status' ? `${JSON.stringify({ logged_in: false, error: 'usage' })}\n` : '';
      expect([run.exitCode, run.stdout, run.stderr], args.join(' ')).toEqual([2, stdout, `codex: ${join(dir, 'config.json')} is not valid JSON\n`]);
    }
    expect(existsSync(join(dir, 'auth.json'))).toBe(true);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{"credential_store": "redis://127.0.0.1:6379/0",');
    expect(fake.refreshCount).toBe(0);
  });

  it('a bad client_version does not lock the user out: status warns, uses the default and works; ask refuses it (exit 2)', async () => {
    const dir = configDirWith(fake.issueTokens());
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ client_version: 'latest' }), { mode: 0o600 });
    const message = `"client_version" in ${join(dir, 'config.json')} must be a version like 0.171.0, not "latest"`;
    const statusRun = await runCli(['status', '--json'], { fake, configDir: dir });
    expect([statusRun.exitCode, statusRun.stderr]).toEqual([0, `codex: ${message}; ignoring it\n`]);
    expect(JSON.parse(statusRun.stdout)).toMatchObject({ logged_in: true, source: 'file' });
    const ask = await runCli(['ask', 'q'], { fake, configDir: dir });
    expect([ask.exitCode, ask.stderr]).toEqual([2, `codex: ${message}\n`]);
  });
});
