import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { status } from '../fake/replies.js';
import { CLI, cliEnv, expectNoSecrets, type RunOptions, runCli, waitFor } from '../support/cli.js';
import { testFake, useFake } from '../support/fake.js';
import { codeExchanges } from '../support/requests.js';
import { fileMode, readAuth, savedSecrets, tempDir } from '../support/temp.js';

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
    const [exchange, ...more] = codeExchanges(fake);
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
    expectNoSecrets(page.body + result.stdout + result.stderr, [...savedSecrets(configDir), callback.searchParams.get('code')!]);
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
    expect(codeExchanges(fake)).toHaveLength(0);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);

    const right = await visit(callback);
    expect(right.status).toBe(200);
    const result = await login.child;
    expect(result.exitCode).toBe(0);
    expect(codeExchanges(fake)).toHaveLength(1);
    expect(readAuth(configDir).account_id).toBe(fake.account.accountId);
  });

  // The timeout test waits out its 6 s: it and its neighbours run side by side, each against a fake of its own.
  describe.concurrent('ending without a sign-in', () => {
    it('times out with exit 3 when only a wrong-state callback arrives, saving nothing', async (ctx) => {
      const fake = await testFake(ctx);
      const configDir = tempDir();
      // Long enough that the test's own steps (approve, visit) finish well before it, even on a loaded machine.
      const login = startLogin(['--no-browser', '--port', '0', '--timeout', '6'], { configDir, fake });
      const callback = await approve(await login.authorizeUrl());
      expect((await visit(withReplacedParam(callback, 'state', 'nope'))).status).toBe(400);
      const result = await login.child;
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toMatch(/codex: .*6 s/);
      expect(codeExchanges(fake)).toHaveLength(0);
      expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
    });

    it('a valid callback whose code exchange fails (400 invalid_grant) → exit 3, nothing written', async (ctx) => {
      const fake = await testFake(ctx);
      const configDir = tempDir();
      fake.codeExchangeReplies.push(status(400, { error: 'invalid_grant', error_description: 'Authorization code expired' }));
      const login = startLogin(['--no-browser', '--port', '0', '--json'], { configDir, fake });
      const callback = await approve(await login.authorizeUrl());
      await visit(callback);
      const result = await login.child;
      expect(result.exitCode).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^codex: .*Authorization code expired/m);
      expect(codeExchanges(fake)).toHaveLength(1);
      expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
      expectNoSecrets(result.stderr, [callback.searchParams.get('code')!, codeExchanges(fake)[0]!.code_verifier!]);
    });

    it('error=access_denied → exit 3 with the description', async (ctx) => {
      const fake = await testFake(ctx);
      const configDir = tempDir();
      fake.authorize = { approve: false, error: 'access_denied', description: 'The user denied the request' };
      const login = startLogin(['--no-browser', '--port', '0'], { configDir, fake });
      const callback = await approve(await login.authorizeUrl());
      expect(callback.searchParams.get('error')).toBe('access_denied');
      const page = await visit(callback);
      expect(page.body).toContain('The user denied the request');
      const result = await login.child;
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toMatch(/^codex: .*The user denied the request/m);
      expect(result.stdout).toBe('');
      expect(codeExchanges(fake)).toHaveLength(0);
      expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
    });

    it('error=missing_codex_entitlement is explained in plain words', async (ctx) => {
      const fake = await testFake(ctx);
      fake.authorize = { approve: false, error: 'missing_codex_entitlement', description: 'Codex not enabled' };
      const login = startLogin(['--no-browser', '--port', '0'], { configDir: tempDir(), fake });
      await visit(await approve(await login.authorizeUrl()));
      const result = await login.child;
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toMatch(/^codex: Codex is not enabled for your ChatGPT workspace/m);
    });

    it('Ctrl-C while waiting → exit 130, nothing written', async (ctx) => {
      const fake = await testFake(ctx);
      const configDir = tempDir();
      const login = startLogin(['--no-browser', '--port', '0'], { configDir, fake });
      await login.authorizeUrl();
      login.child.kill('SIGINT');
      const result = await login.child;
      expect(result.exitCode).toBe(130);
      expect(result.stderr).toMatch(/^codex: .*cancelled/m);
      expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
    });
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
    expect(codeExchanges(fake)).toHaveLength(0);

    login.child.stdin!.write(`${callback}\n`);
    const result = await login.child;
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).account_id).toBe(fake.account.accountId);
    expect(codeExchanges(fake)).toHaveLength(1);
    expect(codeExchanges(fake)[0]!.redirect_uri).toBe(authorize.searchParams.get('redirect_uri'));
    expect(fileMode(join(configDir, 'auth.json'))).toBe(0o600);
    expectNoSecrets(result.stdout + result.stderr, savedSecrets(configDir));
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
    expect(codeExchanges(fake)).toHaveLength(1);
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
      expect(codeExchanges(fake)[0]!.redirect_uri).toBe('http://localhost:1457/auth/callback');

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
    const verifier = codeExchanges(fake)[0]!.code_verifier!;
    const secrets = [...savedSecrets(configDir), callback.searchParams.get('code')!, verifier];
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
