import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CodexClient } from '../../client/codex.js';
import { startEvent } from '../../client/events.js';
import { parseJsonDocument } from '../../client/json-document.js';
import { EFFORTS, type Effort } from '../../client/request.js';
import { CodexError, UsageError, abortError } from '../../errors.js';
import { checkOutputWritable, writeOutputFile } from '../output-file.js';
import { JsonLinesRenderer } from '../../render/jsonl.js';
import type { Renderer } from '../../render/renderer.js';
import { TextRenderer } from '../../render/text.js';
import { Spinner } from '../../render/spinner.js';
import { DocumentRenderer } from '../../render/document.js';
import { imageUrlFor } from '../../client/images.js';
import { loadToolFile } from '../command-tool.js';
import type { CliContext } from '../context.js';
import { readPrompt } from '../prompt.js';
import { parseNonNegativeInt, parsePositiveSeconds } from '../parse.js';
import { openAuth } from '../session.js';
import type { TokenManager } from '../../store/tokens.js';

export interface AskOptions {
  model?: string;
  system?: string;
  systemFile?: string;
  effort?: string;
  reasoning?: boolean;
  json?: boolean;
  output?: string;
  timeout?: string;
  idleTimeout?: string;
  maxRetries?: string;
  stdin?: boolean;
  image?: string[];
  schema?: string;
  tool?: string[];
  maxTurns?: string;
}

/** Cancels the run on Ctrl-C (exit 130), SIGTERM (143) and --timeout (124), through one AbortController. */
function abortOnSignalsAndTimeout(controller: AbortController, timeoutMs: number | undefined): () => void {
  const onInt = () => controller.abort(new CodexError('cancelled', 'cancelled'));
  const onTerm = () => controller.abort(new CodexError('terminated', 'terminated'));
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => controller.abort(new CodexError('timeout', `timed out after ${timeoutMs / 1000} s (--timeout)`)), timeoutMs);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    if (timer) clearTimeout(timer);
  };
}

export async function runAsk(ctx: CliContext, words: string[], options: AskOptions): Promise<void> {
  const sessionId = randomUUID();
  const model = ctx.model(options.model);
  const json = options.json === true;
  // The renderer comes first: in JSON mode every failure after this point, an unreadable config.json included,
  // ends as the terminal error event.
  const renderer: Renderer = json
    ? new JsonLinesRenderer(ctx.stdout, startEvent(model, sessionId))
    : options.schema !== undefined
      ? new DocumentRenderer(ctx.stdout)
      : await textRenderer(ctx, options.reasoning === true);
  if (json) ctx.errorEventSink = (event) => renderer.error?.(event);
  const config = ctx.config;

  const timeoutS = parsePositiveSeconds(options.timeout, '--timeout');
  const idleTimeoutS = parsePositiveSeconds(options.idleTimeout, '--idle-timeout');
  const maxRetries = parseNonNegativeInt(options.maxRetries, '--max-retries');
  const maxTurns = parseNonNegativeInt(options.maxTurns, '--max-turns');
  if (maxTurns === 0) throw new UsageError('--max-turns takes a whole number ≥ 1');
  const jsonSchema = options.schema === undefined ? undefined : await loadSchema(options.schema);
  const tools = await Promise.all((options.tool ?? []).map((path) => loadToolFile(path)));
  const seen = new Map<string, string>();
  (options.tool ?? []).forEach((path, i) => {
    const name = tools[i]!.name;
    const first = seen.get(name);
    if (first !== undefined) throw new UsageError(`--tool: ${first} and ${path} both define a tool named ${name}`);
    seen.set(name, path);
  });
  const images = await Promise.all((options.image ?? []).map((source) => imageUrlFor(source)));
  const effort = options.effort ?? config.file.effort;
  if (effort !== undefined && !(EFFORTS as readonly string[]).includes(effort)) {
    throw new UsageError(`"effort" in ${config.configDir}/config.json must be one of ${EFFORTS.join(', ')}, not "${effort}"`);
  }
  if (options.output !== undefined) await checkWritable(options.output);
  const instructions = options.systemFile !== undefined ? await readTextFile(options.systemFile, '--system-file') : (options.system ?? config.file.system);

  const controller = new AbortController();
  const release = abortOnSignalsAndTimeout(controller, timeoutS === undefined ? undefined : timeoutS * 1000);
  // Everything from here on stops at Ctrl-C, SIGTERM or --timeout, including waits that cannot be interrupted
  // (stdin, another process's credential lock): those are abandoned, and main exits the process.
  const run = async () => {
    const prompt = await readPrompt({
      words,
      noStdin: options.stdin === false,
      stdin: process.stdin,
      onSilentStdin: () => ctx.warn('still waiting for stdin… (pass --no-stdin, or close it with </dev/null, to send only the words)'),
    });
    if (renderer instanceof TextRenderer && ctx.stderr.isTTY) renderer.showSpinner(new Spinner(ctx.stderr, `waiting for ${model}…`));
    const { tokens } = await openAuth(ctx);
    // A model someone chose (flag, env or config.json) is checked against the account's list; the default is not.
    const chosenModel = options.model ?? (ctx.env.CODEX_MODEL || undefined) ?? config.file.model;
    const modelInfo = chosenModel ? await checkModel(ctx, tokens, sessionId, chosenModel, controller.signal) : undefined;
    const levels = modelInfo?.reasoning_levels ?? [];
    if (effort && levels.length > 0 && !levels.includes(effort)) {
      throw new UsageError(`${model} takes reasoning effort ${levels.join(', ')}; not ${effort}`);
    }
    const client = new CodexClient({
      baseUrl: config.baseUrl,
      tokens,
      sessionId,
      maxRetries,
      idleTimeoutMs: idleTimeoutS === undefined ? undefined : idleTimeoutS * 1000,
      log: ctx.log,
    });
    await client.run(
      {
        model,
        prompt,
        ...(images.length > 0 ? { images } : {}),
        ...(instructions !== undefined ? { instructions } : {}),
        ...(effort ? { effort: effort as Effort } : {}),
        ...(jsonSchema ? { jsonSchema } : {}),
        ...(modelInfo?.supports_reasoning_summaries === false ? { reasoningSummary: false } : {}),
      },
      {
        signal: controller.signal,
        keepText: json || options.output !== undefined || jsonSchema !== undefined,
        tools,
        ...(maxTurns !== undefined ? { maxTurns } : {}),
        onEvent: async (event) => {
          if (event.type === 'result') {
            // Everything that can still fail happens before `result` is written: it must be the last line.
            if (jsonSchema) parseJsonDocument(event.text, '--schema');
            if (options.output !== undefined) await writeOutput(options.output, event.text);
            release();
          }
          return renderer.event(event);
        },
      },
    );
  };
  try {
    await untilAborted(run(), controller.signal);
  } finally {
    renderer.stop?.();
    release();
  }
}

/** The work's outcome, or the abort reason as soon as the signal fires (the work is then abandoned). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function textRenderer(ctx: CliContext, reasoning: boolean): Promise<TextRenderer> {
  let dim: ((text: string) => string) | undefined;
  if (reasoning && ctx.colorOn(ctx.stdout)) {
    const { Chalk } = await import('chalk');
    const chalk = new Chalk({ level: 1 });
    dim = (text) => chalk.dim(text);
  }
  const notice = ctx.stderr.isTTY ? (message: string) => ctx.stderr.write(`\r\x1b[Kcodex: ${message}\n`) : undefined;
  return new TextRenderer(ctx.stdout, { reasoning, ...(dim ? { dim } : {}), ...(notice ? { notice } : {}) });
}

/**
 * `-m SLUG` must name a model the account can use: an unknown one is a usage error listing close matches. The
 * list comes from the hour-long cache or one quick fetch; when neither is to be had, the check is skipped.
 */
async function checkModel(ctx: CliContext, tokens: TokenManager, sessionId: string, slug: string, signal: AbortSignal) {
  const [{ checkModelSlug }, { CodexHttp }] = await Promise.all([import('../../client/models.js'), import('../../transport/http.js')]);
  const http = new CodexHttp({ baseUrl: ctx.config.baseUrl, tokens, sessionId, maxRetries: 1, log: ctx.log });
  return checkModelSlug(slug, {
    http: {
      request: (request, onRetry) =>
        http.request({ ...request, signal: request.signal ? AbortSignal.any([request.signal, signal]) : signal }, onRetry),
    },
    baseUrl: ctx.config.baseUrl,
    configDir: ctx.config.configDir,
    log: ctx.log,
  });
}

/** `--schema FILE|JSON`: inline JSON when it looks like an object, else a file. */
async function loadSchema(value: string): Promise<Record<string, unknown>> {
  const inline = /^\s*[[{]/.test(value);
  const text = inline ? value : await readTextFile(value, '--schema');
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    throw new UsageError(`--schema: ${inline ? 'the inline schema' : value} is not valid JSON`);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new UsageError('--schema: a JSON Schema object is needed');
  return schema as Record<string, unknown>;
}

async function readTextFile(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** `-o FILE` is checked before the request: a path that cannot be written must not cost an answer. */
async function checkWritable(path: string): Promise<void> {
  await checkOutputWritable(path);
}

async function writeOutput(path: string, text: string): Promise<void> {
  await writeOutputFile(path, text.endsWith('\n') || text === '' ? text : `${text}\n`);
}
