import { chmod, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { decodeJwtClaims } from '../auth/jwt.js';
import { AuthError } from '../errors.js';
import { withFileLock } from './lock.js';

const UnixSeconds = z.pipe(
  z.union([z.number(), z.string().check(z.regex(/^\d+(\.\d+)?$/))]),
  z.transform((value) => Math.floor(Number(value))),
);

/** Our auth.json: what `codex login` writes and every command reads. */
export const CredentialsSchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  refresh_token: z.string().check(z.minLength(1)),
  id_token: z.optional(z.string()),
  expires_at: UnixSeconds,
  account_id: z.string().check(z.minLength(1)),
  email: z.optional(z.string()),
  plan: z.optional(z.string()),
  last_refresh: z.optional(z.string()),
});
export type Credentials = z.infer<typeof CredentialsSchema>;

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

/** Parses either shape; undefined when it is neither. */
export function parseAnyCredentials(json: unknown): Credentials | undefined {
  const ours = CredentialsSchema.safeParse(json);
  if (ours.success) return ours.data;
  const official = OfficialAuthSchema.safeParse(json);
  if (official.success) return credentialsFromOfficial(official.data);
  return undefined;
}

export type CredentialSourceKind = 'file' | 'env';

export interface CredentialStore {
  readonly kind: CredentialSourceKind;
  /** Where the credentials live, for messages. */
  readonly location: string;
  /** undefined when nobody is logged in. */
  read(): Promise<Credentials | undefined>;
  save(credentials: Credentials): Promise<void>;
  /** Removes the stored credentials; false when there were none. */
  clear(): Promise<boolean>;
  /** Runs fn while holding the store's cross-process refresh lock. */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
}

export interface FileStoreOptions {
  /** Told about things worth a warning (a file readable by others, fixed to 0600). */
  warn?: (message: string) => void;
  /** Diagnostics (--verbose). */
  log?: (message: string) => void;
}

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** `<config-dir>/auth.json`, read with zod, written atomically through conf. */
export class FileCredentialStore implements CredentialStore {
  readonly kind = 'file' as const;
  readonly path: string;
  readonly lockPath: string;

  constructor(
    readonly configDir: string,
    private readonly options: FileStoreOptions = {},
  ) {
    this.path = join(configDir, 'auth.json');
    this.lockPath = `${this.path}.lock`;
  }

  get location(): string {
    return this.path;
  }

  async read(): Promise<Credentials | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      throw new AuthError('credentials_corrupt', `cannot read ${this.path}: ${code ?? (error as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AuthError(
        'credentials_corrupt',
        `${this.path} is not valid JSON; fix or remove it, then run \`codex login\``,
      );
    }
    const credentials = parseAnyCredentials(json);
    if (!credentials) {
      throw new AuthError(
        'credentials_corrupt',
        `${this.path} does not hold valid credentials; fix or remove it, then run \`codex login\``,
      );
    }
    await this.tightenMode();
    return credentials;
  }

  private async tightenMode(): Promise<void> {
    try {
      const { mode } = await stat(this.path);
      if ((mode & 0o077) !== 0) {
        await chmod(this.path, FILE_MODE);
        this.options.warn?.(`${this.path} was readable by others; its mode is now 0600`);
      }
    } catch {
      // Best effort: a read-only file system still lets us use the credentials.
    }
  }

  async save(credentials: Credentials, { replaceCorrupt = false } = {}): Promise<void> {
    const valid = CredentialsSchema.parse(credentials);
    try {
      await mkdir(this.configDir, { recursive: true, mode: DIR_MODE });
      const { default: Conf } = await import('conf');
      const conf = new Conf<Record<string, unknown>>({
        cwd: this.configDir,
        configName: 'auth',
        projectSuffix: '',
        configFileMode: FILE_MODE,
        clearInvalidConfig: replaceCorrupt,
      });
      conf.store = { ...valid };
      // conf keeps the mode of a file that already existed.
      await chmod(this.path, FILE_MODE);
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new AuthError('credentials_corrupt', `${this.path} is not valid JSON; left as is`);
      }
      const code = (error as NodeJS.ErrnoException).code;
      throw new AuthError(
        'credentials_unwritable',
        `cannot write ${this.path}: ${code ?? (error as Error).message}`,
      );
    }
  }

  async clear(): Promise<boolean> {
    try {
      await rm(this.path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new AuthError('credentials_unwritable', `cannot remove ${this.path}: ${(error as NodeJS.ErrnoException).code}`);
    }
  }

  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    try {
      await mkdir(this.configDir, { recursive: true, mode: DIR_MODE });
    } catch (error) {
      throw new AuthError('credentials_unwritable', `cannot create ${this.configDir}: ${(error as NodeJS.ErrnoException).code}`);
    }
    return withFileLock(this.lockPath, fn, {
      onWait: () => this.options.log?.('waiting for the credential lock (held by another codex process)'),
    });
  }
}

/** Credentials given in memory (CODEX_AUTH_JSON or a library caller): refreshed in memory, never written. */
export class MemoryCredentialStore implements CredentialStore {
  readonly kind: CredentialSourceKind;
  readonly location: string;
  private current: Credentials | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(credentials: Credentials | undefined, options: { kind?: CredentialSourceKind; location?: string } = {}) {
    this.current = credentials;
    this.kind = options.kind ?? 'env';
    this.location = options.location ?? 'CODEX_AUTH_JSON';
  }

  async read(): Promise<Credentials | undefined> {
    return this.current;
  }

  async save(credentials: Credentials): Promise<void> {
    this.current = CredentialsSchema.parse(credentials);
  }

  async clear(): Promise<boolean> {
    const had = this.current !== undefined;
    this.current = undefined;
    return had;
  }

  withLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** CODEX_AUTH_JSON: our shape or the official one. */
export function credentialsFromEnvJson(text: string): Credentials {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AuthError('credentials_corrupt', 'CODEX_AUTH_JSON is not valid JSON');
  }
  const credentials = parseAnyCredentials(json);
  if (!credentials) {
    throw new AuthError(
      'credentials_corrupt',
      'CODEX_AUTH_JSON holds neither codex-oauth credentials nor an official Codex auth.json with tokens',
    );
  }
  return credentials;
}

/** The store every command uses: CODEX_AUTH_JSON when set, else the file in the config dir. */
export function openCredentialStore(
  configDir: string,
  env: Record<string, string | undefined> = process.env,
  options: FileStoreOptions = {},
): CredentialStore {
  const inline = env.CODEX_AUTH_JSON;
  if (inline !== undefined && inline.trim() !== '') {
    return new MemoryCredentialStore(credentialsFromEnvJson(inline));
  }
  return new FileCredentialStore(configDir, options);
}
