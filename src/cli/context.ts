import { join } from 'node:path';
import type { ErrorEvent } from '../client/events.js';
import { configDirFor, DEFAULT_MODEL, type ResolvedConfig, resolveConfig, resolveModelAlias } from '../config/resolve.js';
import { resolveSetting } from '../config/settings.js';
import { messageOf } from '../shared/error-info.js';
import { CodexError, exitCodeFor } from '../shared/errors.js';
import { openFilesLimitIn, openFilesLimitMessage } from '../shared/open-files.js';
import { installProxyFromEnv } from '../transport/proxy.js';
import { proxyConfigured } from '../transport/proxy-env.js';
import { useColor } from './io/color-choice.js';
import { invokedName, type ProgramName, renamed } from './io/program-name.js';
import { redact } from './io/redact-secrets.js';
import { terminalSafe } from './render/terminal-text.js';

export interface GlobalOptions {
  configDir?: string;
  baseUrl?: string;
  issuer?: string;
  verbose?: boolean;
  color?: boolean | string;
  profile?: string;
}

/** The process-wide signals a command listens to (cli.ts passes `process`; an in-process test an EventEmitter). */
export interface CliSignals {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/**
 * Everything of the outside world a command may use. src/cli.ts builds it from `process`; tests build one of
 * their own and run commands in-process (test/support/cli.ts `runInProcess`).
 */
export interface CliIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
  /** The operating system (process.platform): what login may open a browser on. */
  platform: NodeJS.Platform;
  /** SIGINT (Ctrl-C) and SIGTERM: each command that can be cancelled listens while it runs. */
  signals: CliSignals;
  /** The path the program was run as (process.argv[1]): its name is `codex` or `codex-oauth`. */
  programPath?: string;
  /**
   * Ends the process at once (cli.ts: process.exit), for when work may be left behind that cannot be interrupted
   * (after a reported error, serve's idle keep-alives). Absent in-process: main then just returns the exit code.
   */
  exit?: (code: number) => void;
}

/** What every command gets: resolved config, streams, diagnostics, and the one error reporter. */
export class CliContext {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: Record<string, string | undefined>;
  readonly signals: CliSignals;
  /** Known secrets (tokens) of this run, masked in every diagnostic. */
  readonly secrets = new Set<string>();
  /** Set by a command in JSON-lines mode: the error becomes its terminal event on stdout. */
  errorEventSink?: (event: ErrorEvent) => void;
  /** The name the program was run as (`codex` or `codex-oauth`): every message and hint uses it. */
  readonly name: ProgramName;
  private resolved?: ResolvedConfig;
  private proxyInstalled = false;
  /** Set by a command that keeps running (serve): its exit needs no speeding up (src/cli/exit-tail.ts). */
  longRunning = false;

  constructor(
    readonly io: CliIo,
    readonly globals: GlobalOptions,
  ) {
    this.stdin = io.stdin;
    this.stdout = io.stdout;
    this.stderr = io.stderr;
    this.env = io.env;
    this.signals = io.signals;
    this.name = invokedName(io.programPath);
  }

  /**
   * Set by the commands that are the ways out of a bad state (status, login, logout, refresh): a bad
   * `client_version` or `responses_layout` in config.json is then ignored with a warning. A config.json that
   * cannot be read fails them as any other command: it may name the credential store or the profile.
   */
  tolerateBadConfigFile = false;

  get config(): ResolvedConfig {
    if (this.resolved === undefined) {
      this.resolved = resolveConfig(
        { configDir: this.globals.configDir, baseUrl: this.globals.baseUrl, issuer: this.globals.issuer, verbose: this.globals.verbose, profile: this.globals.profile },
        this.env,
        this.tolerateBadConfigFile ? (error) => this.warn(`${error.message}; ignoring it`) : undefined,
      );
      for (const warning of this.resolved.warnings) this.warn(warning);
    }
    return this.resolved;
  }

  /**
   * The model chosen, else the built-in fallback default (the catalog's default is known only after fetching it).
   * Reading config.json is skipped when it cannot be read (the command reports that itself).
   */
  model(flag?: string): string {
    return this.chosenModel(flag) ?? DEFAULT_MODEL;
  }

  /**
   * The model someone chose: `-m`, then env CODEX_MODEL, then config.json `model`; undefined when none was. An
   * alias of config.json `aliases` is replaced by its slug.
   */
  chosenModel(flag?: string): string | undefined {
    return this.modelChoice(flag)?.slug;
  }

  /**
   * Where chosenModel's value came from, for messages: `-m`, `CODEX_MODEL` or `"model" in …/config.json`, with
   * the alias named when one was replaced.
   */
  modelSource(flag?: string, flagName = '-m'): string | undefined {
    const choice = this.modelChoice(flag, flagName);
    if (choice === undefined) return undefined;
    return choice.slug === choice.value ? choice.label : `${choice.label} (alias ${JSON.stringify(choice.value)})`;
  }

  private modelChoice(flag: string | undefined, flagName = '-m'): { value: string; slug: string; label: string } | undefined {
    const file = this.fileOrEmpty();
    const configPath = join(configDirFor(this.globals, this.env), 'config.json');
    const { value, source } = resolveSetting('model', { env: this.env, file, configPath }, { value: flag || undefined, label: flagName });
    return value ? { value, slug: resolveModelAlias(value, file), label: source.label } : undefined;
  }

  /** config.json's values, or none when it cannot be read (the command reports that itself). */
  private fileOrEmpty(): ResolvedConfig['file'] {
    try {
      return this.config.file;
    } catch {
      return {};
    }
  }

  get verbose(): boolean {
    return this.globals.verbose ?? this.env.CODEX_VERBOSE === '1';
  }

  /** stderr is a terminal that understands escape codes (not TERM=dumb): spinner and progress notes. */
  get interactiveStderr(): boolean {
    return this.stderr.isTTY === true && this.env.TERM !== 'dumb';
  }

  colorOn(stream: { isTTY?: boolean }): boolean {
    return useColor(stream, { color: this.globals.color }, this.env);
  }

  /** Masks these credentials in every diagnostic from now on. */
  readonly rememberCredentials = (credentials: { access_token: string; refresh_token: string; id_token?: string }): void => {
    for (const secret of [credentials.access_token, credentials.refresh_token, credentials.id_token]) {
      if (secret) this.secrets.add(secret);
    }
  };

  /** Routes requests through HTTPS_PROXY/HTTP_PROXY when set (NO_PROXY honoured). */
  async useProxyFromEnv(): Promise<void> {
    if (this.proxyInstalled || !proxyConfigured(this.env)) return;
    this.proxyInstalled = true;
    if (!(await installProxyFromEnv(this.env))) return;
    this.log('using the proxy from HTTPS_PROXY/HTTP_PROXY');
    if (!this.longRunning) (await import('./exit-tail.js')).avoidWasmTierUp();
  }

  /** Diagnostics for --verbose, redacted. */
  readonly log = (message: string): void => {
    if (this.verbose) this.stderr.write(`${this.name}: ${this.forStderr(redact(message, this.secrets))}\n`);
  };

  warn(message: string): void {
    this.stderr.write(`${this.name}: ${this.forStderr(renamed(redact(message, this.secrets), this.name))}\n`);
  }

  /** Messages carry server text: on a terminal, nothing in them may drive it (escape sequences, OSC 52). */
  private forStderr(message: string): string {
    return this.stderr.isTTY === true ? terminalSafe(message) : message;
  }

  /** Reports a failure once (stderr line, and the terminal event in JSON mode) and returns the exit code. */
  report(error: unknown): number {
    const limit = openFilesLimitIn(error);
    const failure =
      limit !== undefined
        ? new CodexError('too_many_open_files', openFilesLimitMessage(limit))
        : error instanceof CodexError
          ? error
          : new CodexError('internal', `internal error: ${messageOf(error)}`, { cause: error });
    const exitCode = exitCodeFor(failure.code);
    const message = renamed(redact(failure.message, this.secrets), this.name);
    if (this.errorEventSink) {
      this.errorEventSink({
        type: 'error',
        code: failure.code,
        message,
        exit_code: exitCode,
        ...(failure.resetsAt !== undefined ? { resets_at: failure.resetsAt } : {}),
        ...(failure.retryAfterMs !== undefined ? { retry_after_s: Math.ceil(failure.retryAfterMs / 1000) } : {}),
        ...(failure.status !== undefined ? { status: failure.status } : {}),
      });
    }
    this.stderr.write(`${this.name}: ${this.forStderr(message)}\n`);
    if (this.verbose && failure.code === 'internal') {
      const stack = (failure.cause as Error | undefined)?.stack ?? failure.stack;
      if (stack) this.stderr.write(`${redact(stack, this.secrets)}\n`);
    }
    return exitCode;
  }
}
