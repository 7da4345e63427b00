import { randomBytes } from 'node:crypto';
import { constants, lstatSync, type Stats, statSync } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, readdir, readFile, realpath, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as z from 'zod/mini';
import { errnoCode, errnoOrMessage } from '../shared/error-info.js';
import { AuthError } from '../shared/errors.js';
import { isJson } from '../shared/json-text.js';
import { writeFileAtomic } from './atomic-write.js';
import { parseJson } from './json-file.js';
import { withFileLock } from './lock.js';
import { credentialsFromOfficial, OfficialAuthSchema } from './official-auth.js';
import { checkConfigDir, checkOwner, checkTrusted, kindOf } from './private-files.js';
import { PROFILES_DIR } from './profiles.js';

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

/** An opaque `at-…` token an admin issued: `auth_mode: "access_token"`, never refreshed. */
export const ACCESS_TOKEN_MODE = 'access_token';
/** Access tokens carry no expiry of their own: the backend's refusal says when one is over. */
export const UNKNOWN_EXPIRY_S = 253_402_300_799; // 9999-12-31
const AccessTokenCredentialsSchema = z.looseObject({
  auth_mode: z.literal(ACCESS_TOKEN_MODE),
  access_token: z.string().check(z.regex(/^at-\S+$/)),
  account_id: z.string().check(z.minLength(1)),
  email: z.optional(z.string()),
  plan: z.optional(z.string()),
});

/** Whether these credentials are a Codex access token (never refreshed). */
export function isAccessToken(credentials: Credentials): boolean {
  return credentials.auth_mode === ACCESS_TOKEN_MODE;
}

/** Parses either shape; undefined when it is neither. */
export function parseAnyCredentials(json: unknown): Credentials | undefined {
  const ours = CredentialsSchema.safeParse(json);
  if (ours.success) return ours.data;
  const access = AccessTokenCredentialsSchema.safeParse(json);
  if (access.success) return { ...access.data, refresh_token: '', expires_at: UNKNOWN_EXPIRY_S };
  const official = OfficialAuthSchema.safeParse(json);
  if (official.success) return credentialsFromOfficial(official.data);
  return undefined;
}

/** parseAnyCredentials as a schema, for parseJson. */
const AnyCredentialsSchema = z.pipe(
  z.unknown(),
  z.transform((json, ctx) => {
    const credentials = parseAnyCredentials(json);
    if (credentials === undefined) ctx.issues.push({ code: 'custom', message: 'no credentials', input: json });
    return credentials as Credentials;
  }),
);

export type CredentialSourceKind = 'file' | 'env' | 'redis' | 'access-token';

/** The text a store keeps for a sign-in: auth.json's, checked (an access token is kept without a refresh token). */
export function storedCredentialsText(credentials: Credentials): string {
  const valid = isAccessToken(credentials)
    ? AccessTokenCredentialsSchema.parse({ ...credentials, refresh_token: undefined, expires_at: undefined })
    : CredentialsSchema.parse(credentials);
  return `${JSON.stringify(valid, null, '\t')}\n`;
}

/** A stored sign-in's text, parsed; `where` names it in the error. */
export function parseStoredCredentials(text: string, where: string): Credentials {
  return parseJson(text, AnyCredentialsSchema, (problem) => {
    const what = problem.kind === 'not_json' ? 'is not valid JSON' : 'does not hold valid credentials';
    return new AuthError('credentials_corrupt', `${where} ${what}; fix or remove it, then run \`codex login\``);
  });
}

export interface CredentialStore {
  readonly kind: CredentialSourceKind;
  /** Where the credentials live, for messages. */
  readonly location: string;
  /** undefined when nobody is logged in. */
  read(): Promise<Credentials | undefined>;
  /** `replaceCorrupt`: a sign-in may replace a file that does not hold valid JSON (the file store). */
  save(credentials: Credentials, options?: { replaceCorrupt?: boolean }): Promise<void>;
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
/** A credential file is a few KiB; anything this big is not ours (and is not read into memory). */
const MAX_FILE_BYTES = 1 << 20;
const DISK_FULL = new Set(['ENOSPC', 'EFBIG', 'EDQUOT']);

/**
 * `<config-dir>/auth.json`, read with zod, written with the project's atomic writer (length checked, fsync,
 * rename). The dir and the file must belong to the user and not be writable by others (see private-files.ts).
 * auth.json may be a symlink of the user's own to a regular file of theirs: it is read through, and a save
 * replaces the target (temp file beside it, then rename), so the link stays a link.
 */
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

  /**
   * The dir, and for a profile (`<config-dir>/profiles/NAME`) the `profiles/` dir and the config dir above it: each
   * must be the user's and not writable by others, or someone else could swap the profile for one of theirs.
   */
  private checkDirs(tighten = false): 'ok' | 'missing' {
    const parent = dirname(this.configDir);
    if (basename(parent) === PROFILES_DIR) {
      for (const dir of [dirname(parent), parent]) if (checkConfigDir(dir, { tighten }) === 'missing') return 'missing';
    }
    return checkConfigDir(this.configDir, { tighten });
  }

  async read(): Promise<Credentials | undefined> {
    const identity = this.identity();
    if (identity === undefined || this.last?.identity !== identity) {
      const credentials = this.readParsed();
      this.last = identity === undefined ? undefined : { identity, credentials };
      credentials.catch(() => {
        if (this.last?.credentials === credentials) this.last = undefined;
      });
      const read = await credentials;
      return read && { ...read };
    }
    const read = await this.last.credentials;
    return read && { ...read };
  }

  /**
   * A read is reused while auth.json is the same file, unchanged: the same link and target (device, inode), size,
   * modification and change times to the nanosecond. A save renames a new file into place and a chmod or chown
   * changes the change time, so any of them (here or in another process) makes the next read go to the file again.
   * `codex ask` thus reads it once per run, however many requests check the token.
   */
  private last: { identity: string; credentials: Promise<Credentials | undefined> } | undefined;

  /** Undefined (no reuse) when there is no file, or the dirs fail their checks (the read then says why). */
  private identity(): string | undefined {
    try {
      // The dirs are checked on every read, a reused one too (sync stats: no thread-pool round trip).
      if (this.checkDirs() === 'missing') return undefined;
      const link = lstatSync(this.path, { bigint: true });
      const file = link.isSymbolicLink() ? statSync(this.path, { bigint: true }) : link;
      return [link.dev, link.ino, link.ctimeNs, file.dev, file.ino, file.size, file.mtimeNs, file.ctimeNs].join(':');
    } catch {
      return undefined;
    }
  }

  private async readParsed(): Promise<Credentials | undefined> {
    const text = await this.readText();
    if (text === undefined) return undefined;
    return parseJson(text, AnyCredentialsSchema, (problem) => {
      const what = problem.kind === 'not_json' ? 'is not valid JSON' : 'does not hold valid credentials';
      return new AuthError('credentials_corrupt', `${this.path} ${what}; fix or remove it, then run \`codex login\``);
    });
  }

  /**
   * The file's text, undefined when there is none. Opened non-blocking (a FIFO would hang) and checked by its
   * descriptor: a regular file, the user's, not writable by others; a mode readable by others is tightened.
   */
  private async readText(): Promise<string | undefined> {
    try {
      if (this.checkDirs() === 'missing') return undefined;
    } catch (error) {
      if (error instanceof AuthError) throw error;
      throw new AuthError('credentials_corrupt', `cannot read ${this.configDir}: ${errnoOrMessage(error)}`);
    }
    let handle: FileHandle;
    try {
      handle = await open(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT') return undefined;
      throw new AuthError('credentials_corrupt', `cannot read ${this.path}: ${errnoOrMessage(error)}`);
    }
    try {
      const stats = await handle.stat();
      if (stats.isDirectory()) throw new AuthError('credentials_corrupt', `cannot read ${this.path}: EISDIR`);
      if (!stats.isFile()) {
        throw new AuthError('unsafe_permissions', `${this.path} is ${kindOf(stats)}, not a regular file; codex will not read it`);
      }
      checkTrusted(this.path, stats, 'file');
      const link = await lstat(this.path);
      if (link.isSymbolicLink()) checkOwner(this.path, link);
      if (stats.size > MAX_FILE_BYTES) throw new AuthError('credentials_corrupt', `${this.path} is too large to be a credential file`);
      const text = await handle.readFile('utf8');
      await this.tightenMode(handle, stats.mode);
      return text;
    } catch (error) {
      if (error instanceof AuthError) throw error;
      throw new AuthError('credentials_corrupt', `cannot read ${this.path}: ${errnoOrMessage(error)}`);
    } finally {
      await handle.close();
    }
  }

  private async tightenMode(handle: FileHandle, mode: number): Promise<void> {
    if ((mode & 0o077) === 0) return;
    try {
      await handle.chmod(FILE_MODE);
      this.options.warn?.(`${this.path} was readable by others; its mode is now 0600`);
    } catch (error) {
      this.options.warn?.(`${this.path} is readable by others and its mode could not be fixed (${errnoOrMessage(error)}); run \`chmod 600 ${this.path}\``);
    }
  }

  /** The dir, created 0700 (or tightened to it) and checked. */
  private async prepareDir(): Promise<void> {
    try {
      await mkdir(this.configDir, { recursive: true, mode: DIR_MODE });
      this.checkDirs(true);
    } catch (error) {
      if (error instanceof AuthError) throw error;
      throw new AuthError('credentials_unwritable', `cannot create ${this.configDir}: ${errnoOrMessage(error)}`);
    }
  }

  /**
   * The file a save replaces: auth.json itself, or the target of a symlink the user owns (a regular file of
   * theirs). A dangling link, a link of someone else's, or anything but a regular file is refused.
   */
  private async saveTarget(): Promise<string> {
    let link: Stats;
    try {
      link = await lstat(this.path);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return this.path;
      throw new AuthError('credentials_unwritable', `cannot write ${this.path}: ${errnoOrMessage(error)}`);
    }
    if (link.isFile()) return this.path;
    if (!link.isSymbolicLink()) {
      throw new AuthError('unsafe_permissions', `${this.path} is ${kindOf(link)}, not a regular file; codex will not replace it`);
    }
    checkOwner(this.path, link);
    let target: string;
    try {
      target = await realpath(this.path);
    } catch (error) {
      throw new AuthError('credentials_unwritable', `cannot write ${this.path}: it is a symbolic link to a missing file (${errnoOrMessage(error)})`);
    }
    const stats = await lstat(target);
    if (!stats.isFile()) throw new AuthError('unsafe_permissions', `${this.path} links to ${kindOf(stats)}; codex will not replace it`);
    checkTrusted(target, stats, 'file');
    return target;
  }

  async save(credentials: Credentials, { replaceCorrupt = false } = {}): Promise<void> {
    const text = storedCredentialsText(credentials);
    await this.prepareDir();
    const target = await this.saveTarget();
    if (!replaceCorrupt) {
      const existing = await readFile(target, 'utf8').catch(() => undefined);
      if (existing !== undefined && !isJson(existing)) {
        throw new AuthError('credentials_corrupt', `${this.path} is not valid JSON; left as is`);
      }
    }
    try {
      await writeFileAtomic(target, text, FILE_MODE);
    } catch (error) {
      const code = errnoOrMessage(error);
      if (!DISK_FULL.has(code)) throw new AuthError('credentials_unwritable', `cannot write ${this.path}: ${code}`, { cause: error });
      const kept = await keepUnsaved(text);
      throw new UnsavedSignInError(
        `cannot write ${this.path}: ${code} (no space left, or a file size limit: \`ulimit -f\`); the file is unchanged, but ` +
          (kept
            ? `its tokens may be spent: the new sign-in was kept in ${kept} (mode 0600); move it over ${this.path} once there is room`
            : 'its tokens may be spent and the new sign-in could not be kept in any file; free some space (or raise the limit) and run `codex login`'),
        code,
        kept,
        error,
      );
    }
  }

  async clear(): Promise<boolean> {
    try {
      if (this.checkDirs() === 'missing') return false;
      await rm(this.path);
      return true;
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (errnoCode(error) === 'ENOENT') return false;
      throw new AuthError('credentials_unwritable', `cannot remove ${this.path}: ${errnoOrMessage(error)}`);
    }
  }

  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    await this.prepareDir();
    return withFileLock(
      this.lockPath,
      async () => {
        // Under the lock the file is read afresh: what is decided here (a refresh) must not rest on a kept read,
        // which a file system with coarse times (or cached attributes, NFS) could show as unchanged.
        this.last = undefined;
        await this.adoptLeftovers();
        return fn();
      },
      { onWait: () => this.options.log?.('waiting for the credential lock (held by another codex process)') },
    );
  }

  /**
   * Temp files of a save that was killed before its rename. Every save runs under the lock we now hold, so each
   * is either junk (removed) or a whole sign-in newer than auth.json, which may hold the only live refresh token
   * (the issuer rotated it just before the kill): the newest such file is adopted, the rest removed.
   */
  private async adoptLeftovers(): Promise<void> {
    const prefix = '.auth.json.';
    const names = (await readdir(this.configDir).catch(() => [] as string[])).filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'));
    if (names.length === 0) return;
    const current = await lstat(this.path).catch(() => undefined);
    if (current && !current.isFile()) return; // a symlinked auth.json keeps its temp files beside its target
    let best: { path: string; mtimeMs: number } | undefined;
    for (const name of names) {
      const path = join(this.configDir, name);
      const stats = await lstat(path).catch(() => undefined);
      if (!stats?.isFile()) continue;
      const text = stats.size <= MAX_FILE_BYTES ? await readFile(path, 'utf8').catch(() => undefined) : undefined;
      const whole = text !== undefined && isJson(text) && CredentialsSchema.safeParse(JSON.parse(text)).success;
      const newer = whole && (!current || stats.mtimeMs > current.mtimeMs) && (!best || stats.mtimeMs > best.mtimeMs);
      if (newer) {
        if (best) await unlink(best.path).catch(() => undefined);
        best = { path, mtimeMs: stats.mtimeMs };
      } else {
        await unlink(path).catch(() => undefined);
      }
    }
    if (!best) return;
    try {
      await rename(best.path, this.path);
      this.options.warn?.(`${this.path}: recovered the sign-in that an interrupted codex process had not finished saving`);
    } catch (error) {
      this.options.log?.(`could not recover ${best.path}: ${errnoOrMessage(error)}`);
    }
  }
}

/** A save that failed for want of room (`reason`: ENOSPC, EFBIG, EDQUOT); `keptAt` is the file the new sign-in went to instead, if any. */
export class UnsavedSignInError extends AuthError {
  constructor(
    message: string,
    readonly reason: string,
    readonly keptAt: string | undefined,
    cause: unknown,
  ) {
    super('credentials_unwritable', message, { cause });
  }
}

/**
 * New tokens that could not be saved (full disk): kept in the temp dir (usually another file system, a private
 * 0600 file created exclusively), so a spent refresh token does not cost the sign-in. The path, or undefined.
 */
async function keepUnsaved(text: string): Promise<string | undefined> {
  const path = join(tmpdir(), `codex-oauth-unsaved-auth-${randomBytes(6).toString('hex')}.json`);
  try {
    await writeFileAtomic(path, text, FILE_MODE);
    return path;
  } catch {
    return undefined;
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
  return parseJson(
    text,
    AnyCredentialsSchema,
    (problem) =>
      new AuthError(
        'credentials_corrupt',
        problem.kind === 'not_json'
          ? 'CODEX_AUTH_JSON is not valid JSON'
          : 'CODEX_AUTH_JSON holds neither codex-oauth credentials nor an official Codex auth.json with tokens',
      ),
  );
}
