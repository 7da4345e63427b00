import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CodexClient } from '../../client/codex.js';
import { SCHEMA_VERSION } from '../../client/events.js';
import { EFFORTS, type Effort } from '../../client/request.js';
import { DEFAULT_MODEL } from '../../config.js';
import { CodexError, UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../store/atomic-write.js';
import { JsonLinesRenderer } from '../../render/jsonl.js';
import type { Renderer } from '../../render/renderer.js';
import { TextRenderer } from '../../render/text.js';
import type { CliContext } from '../context.js';
import { readPrompt } from '../prompt.js';
import { parseNonNegativeInt, parsePositiveSeconds } from '../parse.js';
import { openAuth } from '../session.js';

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
  const config = ctx.config;
  const model = options.model ?? (ctx.env.CODEX_MODEL || undefined) ?? config.file.model ?? DEFAULT_MODEL;
  const json = options.json === true;
  const renderer: Renderer = json
    ? new JsonLinesRenderer(ctx.stdout, { type: 'start', schema_version: SCHEMA_VERSION, model, session_id: sessionId })
    : await textRenderer(ctx, options.reasoning === true);
  if (json) ctx.errorEventSink = (event) => renderer.error?.(event);

  const timeoutS = parsePositiveSeconds(options.timeout, '--timeout');
  const idleTimeoutS = parsePositiveSeconds(options.idleTimeout, '--idle-timeout');
  const maxRetries = parseNonNegativeInt(options.maxRetries, '--max-retries');
  const effort = options.effort ?? ctx.env.CODEX_EFFORT ?? config.file.effort;
  if (effort !== undefined && !(EFFORTS as readonly string[]).includes(effort)) {
    throw new UsageError(`--effort must be one of ${EFFORTS.join(', ')}`);
  }
  const instructions = options.systemFile !== undefined ? await readTextFile(options.systemFile, '--system-file') : (options.system ?? config.file.system);

  const controller = new AbortController();
  const release = abortOnSignalsAndTimeout(controller, timeoutS === undefined ? undefined : timeoutS * 1000);
  try {
    const prompt = await readPrompt({
      words,
      noStdin: options.stdin === false,
      stdin: process.stdin,
      onSilentStdin: () => ctx.warn('still waiting for stdin… (pass --no-stdin, or close it with </dev/null, to send only the words)'),
    });
    const { tokens } = await openAuth(ctx);
    const client = new CodexClient({
      baseUrl: config.baseUrl,
      tokens,
      sessionId,
      maxRetries,
      idleTimeoutMs: idleTimeoutS === undefined ? undefined : idleTimeoutS * 1000,
      log: ctx.log,
    });
    const stream = client.stream(
      { model, prompt, ...(instructions !== undefined ? { instructions } : {}), ...(effort ? { effort: effort as Effort } : {}) },
      { signal: controller.signal, keepText: json || options.output !== undefined },
    );
    let text = '';
    for await (const event of stream) {
      const pending = renderer.event(event);
      if (pending) await pending;
      if (event.type === 'result') text = event.text;
    }
    if (options.output !== undefined) await writeOutput(options.output, text);
  } finally {
    release();
  }
}

async function textRenderer(ctx: CliContext, reasoning: boolean): Promise<Renderer> {
  let dim: ((text: string) => string) | undefined;
  if (reasoning && ctx.colorOn(ctx.stdout)) {
    const { Chalk } = await import('chalk');
    const chalk = new Chalk({ level: 1 });
    dim = (text) => chalk.dim(text);
  }
  const notice = ctx.stderr.isTTY ? (message: string) => ctx.stderr.write(`codex: ${message}\n`) : undefined;
  return new TextRenderer(ctx.stdout, { reasoning, ...(dim ? { dim } : {}), ...(notice ? { notice } : {}) });
}

async function readTextFile(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path, text.endsWith('\n') || text === '' ? text : `${text}\n`);
  } catch (error) {
    throw new UsageError(`--output: cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
