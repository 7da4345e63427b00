import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../shared/error-info.js';
import { CodexError, ConversationError, UsageError } from '../shared/errors.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { withFileLock } from '../store/lock.js';
import { fileKind } from '../store/opened-file.js';
import { checkConfigDir, checkTrusted } from '../store/private-files.js';
import { type ConversationHeader, ConversationHeaderSchema, type TurnRecord, TurnRecordSchema } from './records.js';

export const CONVERSATION_ID = /^c_[0-9a-f]{20}$/;
/** Safe as a file name everywhere: no separators, no leading dot. */
export const CONVERSATION_NAME = /^(?!\.)[A-Za-z0-9._-]{1,64}$/;

/** A lock held for one exchange waits this long for another process's exchange before failing clearly. */
const EXCHANGE_WAIT_MS = 10 * 60_000;
/** A live holder is never judged stale by age (an answer may take many minutes); a dead one is, by its pid. */
const EXCHANGE_STALE_MS = 24 * 3600_000;

/** A conversation id or the start of one (`c_3f9a`): such a ref names a conversation that must exist. */
export const CONVERSATION_ID_PREFIX = /^c_[0-9a-f]{1,20}$/;

export function newConversationId(): string {
  return `c_${randomBytes(10).toString('hex')}`;
}

/** A name or id, checked (exit 2 otherwise); `flag` names where it was given. */
export function checkConversationRef(value: string, flag?: string): string {
  if (!CONVERSATION_NAME.test(value)) {
    throw new UsageError(
      `${flag !== undefined ? `${flag}: ` : ''}a conversation name is 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'; not ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export interface ConversationSummary {
  id: string;
  name?: string;
  created_at: string;
  /** The last turn's time (the creation time when there is none). */
  updated_at: string;
  turns: number;
  /** The last turn's model. */
  model?: string;
  /** The first prompt's start (up to 80 characters, on one line). */
  prompt?: string;
}

export interface LoadedConversation {
  header: ConversationHeader;
  turns: TurnRecord[];
  /** Lines that could not be read (a torn last line, a corrupt one): skipped. */
  warnings: string[];
}

/** The start of a prompt, on one line, for lists. */
function promptStart(prompt: string): string {
  const line = prompt.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function logUnwritable(path: string, error: unknown): ConversationError {
  if (error instanceof CodexError && error.code !== 'credentials_unwritable') return error as ConversationError;
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new ConversationError('log_unwritable', `cannot write the conversation log ${path}: ${code} (--no-log records nothing)`, { cause: error });
}

// Log files are opened without following a symlink (an append must not write through a link someone planted)
// and without blocking (a FIFO would hang `log list` and `ask -c`), then checked by their descriptor.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const APPEND_FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function notRegular(path: string, what: string): ConversationError {
  return new ConversationError('log_unwritable', `${path} is ${what}, not a regular file; codex will not read or write it (remove it or move it away)`);
}

/** The log file opened with `flags` and checked to be a regular file; undefined when there is none. */
async function openLog(path: string, flags: number): Promise<FileHandle | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, flags, 0o600);
  } catch (error) {
    const code = errnoCode(error);
    if ((code === 'ENOENT' || code === 'ENOTDIR') && (flags & constants.O_CREAT) === 0) return undefined;
    if (code === 'ELOOP') throw notRegular(path, 'a symbolic link');
    if (code === 'EISDIR') throw notRegular(path, 'a directory');
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notRegular(path, fileKind(stats));
    checkTrusted(path, stats, 'file');
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Runs `use` on the log file opened for reading (see openLog), closing it after; undefined when there is none. */
async function withLogFile<T>(path: string, use: (handle: FileHandle) => Promise<T>): Promise<T | undefined> {
  const handle = await openLog(path, READ_FLAGS);
  if (!handle) return undefined;
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

function parseLine<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, line: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The conversation log: one JSON-lines file per conversation (`<id>.jsonl`: a header line, then one line per
 * turn) in a 0700 dir, files 0600. A turn is appended with one write of the whole line, fsynced, under the
 * conversation's lock; readers skip a line that is torn or corrupt, so a crash mid-write loses that turn only.
 */
export class ConversationStore {
  constructor(readonly dir: string) {}

  static inDataDir(dataDir: string): ConversationStore {
    return new ConversationStore(join(dataDir, 'conversations'));
  }

  private file(id: string): string {
    return join(this.dir, `${id}.jsonl`);
  }

  /** Creates the data dir and this one (0700), and checks they are ours and not writable by others. */
  private async ensureDir(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw logUnwritable(this.dir, error);
    }
    checkConfigDir(join(this.dir, '..'), { tighten: true });
    checkConfigDir(this.dir, { tighten: true });
  }

  private async ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return [];
      throw error;
    }
    if (checkConfigDir(this.dir) === 'missing') return [];
    return names
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => name.slice(0, -'.jsonl'.length))
      .filter((id) => CONVERSATION_ID.test(id));
  }

  /** The whole file, checked to be a regular file of ours; undefined when it is not there. */
  private async readText(id: string): Promise<string | undefined> {
    return withLogFile(this.file(id), (handle) => handle.readFile('utf8'));
  }

  private async header(id: string): Promise<ConversationHeader | undefined> {
    return withLogFile(this.file(id), async (handle) => {
      const buffer = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const text = buffer.subarray(0, bytesRead).toString('utf8');
      const end = text.indexOf('\n');
      const header = end === -1 ? undefined : parseLine(ConversationHeaderSchema, text.slice(0, end));
      return header?.id === id ? header : undefined;
    });
  }

  /** Reads a conversation: the header and every readable turn, in order. */
  async load(id: string): Promise<LoadedConversation | undefined> {
    const text = await this.readText(id);
    if (text === undefined) return undefined;
    const lines = text.split('\n');
    const header = parseLine(ConversationHeaderSchema, lines[0] ?? '');
    if (!header || header.id !== id) return undefined;
    const turns: TurnRecord[] = [];
    const warnings: string[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line === '') continue;
      const turn = parseLine(TurnRecordSchema, line);
      if (turn) turns.push(turn);
      else warnings.push(`${this.file(id)}: line ${i + 1} is ${i === lines.length - 1 ? 'torn (an interrupted write)' : 'not a readable turn'}; skipped`);
    }
    return { header, turns, warnings };
  }

  /** Every conversation, the most recently continued first. */
  async list(): Promise<ConversationSummary[]> {
    const summaries: ConversationSummary[] = [];
    for (const id of await this.ids()) {
      const loaded = await this.load(id).catch(() => undefined);
      if (!loaded) continue;
      const last = loaded.turns.at(-1);
      summaries.push({
        id,
        ...(loaded.header.name !== undefined ? { name: loaded.header.name } : {}),
        created_at: loaded.header.created_at,
        updated_at: last?.at ?? loaded.header.created_at,
        turns: loaded.turns.length,
        ...(last ? { model: last.model } : {}),
        ...(loaded.turns[0] ? { prompt: promptStart(loaded.turns[0].prompt) } : {}),
      });
    }
    return summaries.sort((a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : a.id < b.id ? 1 : -1));
  }

  /** The conversation with this id, else the one with this name, else the one whose id starts so (`c_3f9a`). */
  async find(ref: string): Promise<ConversationHeader | undefined> {
    if (CONVERSATION_ID.test(ref)) {
      const byId = await this.header(ref);
      if (byId) return byId;
    }
    const ids = await this.ids();
    for (const id of ids) {
      // Another conversation's file that is not a regular one does not stop the search (it is refused when named).
      const header = await this.header(id).catch(() => undefined);
      if (header?.name === ref) return header;
    }
    if (!CONVERSATION_ID_PREFIX.test(ref) || CONVERSATION_ID.test(ref)) return undefined;
    const matches = ids.filter((id) => id.startsWith(ref)).sort();
    if (matches.length > 1) {
      throw new UsageError(
        `${ref} is the start of ${matches.length} conversation ids (${matches.slice(0, 3).join(', ')}${matches.length > 3 ? ', …' : ''}); give more of it`,
      );
    }
    return matches[0] !== undefined ? this.header(matches[0]) : undefined;
  }

  /** Like `find`, but a conversation that is not there is exit 2 with a hint. */
  async get(ref: string): Promise<ConversationHeader> {
    const found = await this.find(ref);
    if (!found) throw new ConversationError('conversation_not_found', `no conversation ${JSON.stringify(ref)} (see \`codex log list\`)`);
    return found;
  }

  /** The most recently continued conversation. */
  async latest(): Promise<ConversationHeader | undefined> {
    const [first] = await this.list();
    return first ? this.header(first.id) : undefined;
  }

  /**
   * The conversation named `name`, created when there is none; or, with `id`, that one. Creation happens under the
   * store's lock, so two processes asked for the same new name make one conversation, not two.
   */
  async findOrCreate(options: { name?: string; id?: string; cacheKey?: string }): Promise<ConversationHeader> {
    const existing = options.id !== undefined ? await this.header(options.id) : options.name !== undefined ? await this.find(options.name) : undefined;
    if (existing) return existing;
    await this.ensureDir();
    return this.locked(join(this.dir, '.index.lock'), async () => {
      const again = options.id !== undefined ? await this.header(options.id) : options.name !== undefined ? await this.find(options.name) : undefined;
      if (again) return again;
      const id = options.id ?? newConversationId();
      const header: ConversationHeader = {
        type: 'conversation',
        id,
        ...(options.name !== undefined ? { name: options.name } : {}),
        created_at: new Date().toISOString(),
        cache_key: options.cacheKey ?? id,
      };
      try {
        await writeFileAtomic(this.file(id), `${JSON.stringify(header)}\n`, 0o600);
      } catch (error) {
        throw logUnwritable(this.file(id), error);
      }
      return header;
    });
  }

  /**
   * Holds the conversation's lock until the returned release is called: one exchange at a time, so a turn always
   * sees the turns before it. Another process waits (`onWait` is told once), then fails with conversation_busy.
   */
  async hold(id: string, onWait?: () => void): Promise<() => Promise<void>> {
    await this.ensureDir();
    return new Promise((resolveHeld, reject) => {
      let letGo!: () => void;
      const released = new Promise<void>((resolve) => (letGo = resolve));
      let finished: Promise<unknown> = Promise.resolve();
      finished = this.locked(
        join(this.dir, `${id}.lock`),
        async () => {
          resolveHeld(async () => {
            letGo();
            await finished.catch(() => undefined);
          });
          await released;
        },
        { waitMs: EXCHANGE_WAIT_MS, staleMs: EXCHANGE_STALE_MS, ...(onWait ? { onWait } : {}) },
        `conversation ${id} is busy: another codex has been continuing it for ${EXCHANGE_WAIT_MS / 60_000} minutes`,
      ).catch(reject);
    });
  }

  private async locked<T>(path: string, fn: () => Promise<T>, options: Parameters<typeof withFileLock>[2] = {}, busy?: string): Promise<T> {
    return withFileLock(path, fn, {
      ...options,
      timeoutError: () => new ConversationError('conversation_busy', busy ?? `timed out waiting for the conversation lock ${path}`),
      unwritableError: (failure) => logUnwritable(path, failure),
    });
  }

  /** Appends one turn: one write of the whole line (after a newline if a torn line ends the file), then fsync. */
  async append(id: string, turn: TurnRecord): Promise<void> {
    const path = this.file(id);
    let handle: FileHandle;
    try {
      handle = (await openLog(path, APPEND_FLAGS))!;
    } catch (error) {
      throw logUnwritable(path, error);
    }
    try {
      const stats = await handle.stat();
      let lead = '';
      if (stats.size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, stats.size - 1);
        if (last[0] !== 0x0a) lead = '\n';
      }
      const bytes = Buffer.from(`${lead}${JSON.stringify(turn)}\n`, 'utf8');
      const { bytesWritten } = await handle.write(bytes, 0, bytes.length);
      if (bytesWritten !== bytes.length) {
        await handle.truncate(stats.size).catch(() => undefined);
        throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      }
      await handle.sync();
    } catch (error) {
      throw logUnwritable(path, error);
    } finally {
      await handle.close();
    }
  }

  async remove(id: string): Promise<void> {
    await unlink(this.file(id));
    await unlink(join(this.dir, `${id}.lock`)).catch(() => undefined);
  }

  /** Removes every conversation: the whole conversations dir. */
  async purge(): Promise<number> {
    const count = (await this.ids()).length;
    if (
      await stat(this.dir).then(
        () => true,
        () => false,
      )
    )
      await rm(this.dir, { recursive: true, force: true });
    return count;
  }
}
