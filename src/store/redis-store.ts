import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { messageOf } from '../shared/error-info.js';
import { AuthError, CodexError, LockError } from '../shared/errors.js';
import { LONGEST_REFRESH_MS } from '../shared/refresh-timing.js';
import { type CredentialStore, type Credentials, parseStoredCredentials, storedCredentialsText } from './credentials.js';
import type { RedisStoreSpec } from './store-url.js';

// One hash per profile, `<prefix>:auth:<profile>`, with two fields: `auth` (the text auth.json would hold) and
// `version` (bumped by every write, for compare-and-set). The refresh lock is `<prefix>:lock:<profile>`, a random
// value set with NX and a lease; every write and the release check that value (a fencing token) in one script.

/** Connecting (TCP, TLS, AUTH, SELECT) gives up after this long: a down store is an error within seconds. */
const CONNECT_TIMEOUT_MS = 5_000;
/** One command gives up after this long (a store that accepts the connection and then stalls). */
const COMMAND_TIMEOUT_MS = 10_000;
const TICK_MS = 100;
/** Waiters give up as the file lock's waiters do: a holder's lease is renewed for one refresh at most. */
const WAIT_MS = 2 * LONGEST_REFRESH_MS + 30_000;
const POLL_MS = 50;

const SAVE = `
if ARGV[1] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if ARGV[2] ~= '' and version ~= tonumber(ARGV[2]) then return -2 end
redis.call('HSET', KEYS[1], 'auth', ARGV[3], 'version', version + 1)
return version + 1`;
const CLEAR = `
if ARGV[1] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
return redis.call('DEL', KEYS[1])`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** The few client calls used, so the client module stays a lazy import. */
interface Client {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  unref(): void;
  destroy(): void;
}

interface Holding {
  token: string;
  lost: boolean;
}

export interface RedisStoreOptions {
  /** The profile whose sign-in this is (`default` for the default profile). */
  profile: string;
  log?: (message: string) => void;
}

/**
 * Credentials in Redis, shared by every machine that points at the same server: the refresh lock is a Redis key,
 * so exactly one process anywhere refreshes a given sign-in, and the rest re-read the token it saved.
 */
export class RedisCredentialStore implements CredentialStore {
  readonly kind = 'redis' as const;
  readonly authKey: string;
  readonly lockKey: string;
  private client: Promise<Client> | undefined;
  private live: Client | undefined;
  /** The version of the last read (or of the lock's start): a save expects it to be still the current one. */
  private versionSeen: number | undefined;
  private holding: Holding | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly spec: RedisStoreSpec,
    private readonly options: RedisStoreOptions,
  ) {
    this.authKey = `${spec.prefix}:auth:${options.profile}`;
    this.lockKey = `${spec.prefix}:lock:${options.profile}`;
  }

  get location(): string {
    return `${this.spec.display} (key ${this.authKey})`;
  }

  async read(): Promise<Credentials | undefined> {
    const [text, version] = (await this.command(['HMGET', this.authKey, 'auth', 'version'])) as [string | null, string | null];
    this.versionSeen = version === null ? 0 : Number(version);
    if (text === null) return undefined;
    return parseStoredCredentials(text, `${this.authKey} in ${this.spec.display}`);
  }

  async save(credentials: Credentials): Promise<void> {
    const text = storedCredentialsText(credentials);
    const token = this.holding?.token ?? '';
    const result = await this.command(['EVAL', SAVE, '2', this.authKey, this.lockKey, token, this.versionSeen === undefined ? '' : String(this.versionSeen), text]).catch(
      (error: unknown) => {
        if (!(error instanceof AuthError)) throw error;
        // After a refresh the old refresh token is spent: say what follows rather than only "unreachable".
        throw new AuthError(error.code, `${error.message}; the new sign-in was not saved, so the stored one may be spent: run \`codex login\` once the store is back`, {
          cause: error,
        });
      },
    );
    if (result === -1) throw this.lostLock('the new sign-in was not written');
    if (result === -2) {
      throw new AuthError('refresh_failed', `${this.authKey} in ${this.spec.display} was changed by another process meanwhile; the newer sign-in was kept`);
    }
    this.versionSeen = Number(result);
  }

  async clear(): Promise<boolean> {
    const result = await this.command(['EVAL', CLEAR, '2', this.authKey, this.lockKey, this.holding?.token ?? '']);
    if (result === -1) throw this.lostLock('nothing was removed');
    return result === 1;
  }

  /** The profiles that have a sign-in in this store (every `<prefix>:auth:*` key), sorted. */
  async profiles(): Promise<string[]> {
    const prefix = `${this.spec.prefix}:auth:`;
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = (await this.command(['SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', '100'])) as [string, string[]];
      for (const key of keys) found.add(key.slice(prefix.length));
      cursor = next;
    } while (cursor !== '0');
    return [...found].sort();
  }

  /** One holder at a time in this process (the lock is not re-entrant), then the Redis lock across machines. */
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(
      () => this.locked(fn),
      () => this.locked(fn),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    const token = randomBytes(16).toString('hex');
    const { leaseMs } = this.spec;
    const deadline = Date.now() + WAIT_MS;
    let waited = false;
    while ((await this.command(['SET', this.lockKey, token, 'NX', 'PX', String(leaseMs)])) !== 'OK') {
      if (!waited) {
        waited = true;
        this.options.log?.(`waiting for the credential lock ${this.lockKey} in ${this.spec.display} (held by another codex process)`);
      }
      if (Date.now() > deadline) throw new LockError('refresh_failed', `timed out waiting for the credential lock ${this.lockKey} in ${this.spec.display}`);
      await sleep(POLL_MS + Math.random() * POLL_MS);
    }
    const holding: Holding = { token, lost: false };
    this.holding = holding;
    const renewal = setInterval(() => {
      this.command(['EVAL', RENEW, '1', this.lockKey, token, String(leaseMs)]).then(
        (renewed) => {
          if (renewed !== 1) holding.lost = true;
        },
        () => undefined,
      );
    }, leaseMs / 3);
    renewal.unref();
    try {
      const version = (await this.command(['HGET', this.authKey, 'version'])) as string | null;
      this.versionSeen = version === null ? 0 : Number(version);
      return await fn();
    } finally {
      clearInterval(renewal);
      this.holding = undefined;
      await this.command(['EVAL', RELEASE, '1', this.lockKey, token]).catch((error: unknown) => {
        this.options.log?.(`could not release ${this.lockKey}: ${messageOf(error)}; it expires with its lease`);
      });
    }
  }

  private lostLock(what: string): AuthError {
    return new AuthError(
      'refresh_failed',
      `this process no longer holds the credential lock ${this.lockKey} in ${this.spec.display} (its lease ran out, and another process may have taken it); ${what}`,
    );
  }

  /** One command, with a deadline; any failure of the store is `credential_store_unavailable`. */
  private async command(args: string[]): Promise<unknown> {
    const client = await this.connected();
    return this.deadline(client.sendCommand(args), COMMAND_TIMEOUT_MS, `did not answer within ${COMMAND_TIMEOUT_MS / 1000} s`);
  }

  /** The connection, made on first use and made again after one was lost (a long-lived `codex serve`). */
  private connected(): Promise<Client> {
    if (this.live && !this.live.isOpen) {
      this.live = undefined;
      this.client = undefined;
    }
    this.client ??= this.connect();
    return this.client;
  }

  private async connect(): Promise<Client> {
    const redis = await import('@redis/client');
    // A CommonJS package: bundled, its exports arrive as the default export.
    const createClient = redis.createClient ?? (redis as unknown as { default: typeof redis }).default.createClient;
    const client = createClient({
      url: this.spec.url,
      // A lost connection is an error for the command at hand, never a silent wait for a store that is gone.
      disableOfflineQueue: true,
      // The client's own connect timeout is a plain timer; ours (below) does not count time this process was
      // not running, so a machine busy starting thirty processes is not taken for a store that is down.
      socket: { connectTimeout: 10 * CONNECT_TIMEOUT_MS, reconnectStrategy: false },
    }) as unknown as Client;
    // Errors also reach the pending command; without a listener the client would throw them at the process.
    client.on('error', (error) => this.options.log?.(`credential store ${this.spec.display}: ${messageOf(error)}`));
    try {
      await this.deadline(client.connect(), CONNECT_TIMEOUT_MS, `did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`);
    } catch (error) {
      client.destroy();
      this.client = undefined;
      throw error;
    }
    // The socket alone keeps no process alive: a command in flight does (its deadline timer).
    client.unref();
    this.live = client;
    return client;
  }

  /**
   * `work`, or a failure after `ms` of waiting. Time is counted in ticks of at most TICK_MS: a process the machine
   * left unscheduled for seconds (its ticks late) has not waited those seconds for the store, whose answer may be
   * sitting unread behind the timer.
   */
  private async deadline<T>(work: Promise<T>, ms: number, late: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      let waited = 0;
      let last = Date.now();
      timer = setInterval(() => {
        const now = Date.now();
        waited += Math.min(now - last, 2 * TICK_MS);
        last = now;
        if (waited >= ms) reject(new Error(late));
      }, TICK_MS);
    });
    try {
      return await Promise.race([work, timeout]);
    } catch (error) {
      throw this.unavailable(error);
    } finally {
      clearInterval(timer);
    }
  }

  private unavailable(error: unknown): CodexError {
    if (error instanceof CodexError) return error;
    const message = messageOf(error);
    if (/WRONGPASS|NOAUTH|NOPERM|invalid password|AUTH/i.test(message)) {
      return new AuthError('credential_store_unavailable', `credential store ${this.spec.display} refused access: ${message}`, { cause: error });
    }
    return new AuthError('credential_store_unavailable', `credential store ${this.spec.display} is unreachable: ${message || 'connection failed'}`, {
      cause: error,
    });
  }
}
