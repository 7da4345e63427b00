import { randomUUID } from 'node:crypto';
import { startEvent } from '../../client/event-parts.js';
import type { ResultEvent } from '../../client/events.js';
import type { ImageEvent } from '../../client/image-events.js';
import { imageUrlFor } from '../../client/images.js';
import { holdGatheredTextUntilExit } from '../../client/text-pieces.js';
import { searchOptions } from '../../client/web-search.js';
import { checkSetting } from '../../config/settings.js';
import type { ConversationSettings } from '../../conversations/records.js';
import type { Codex } from '../../library/codex.js';
import { internal } from '../../library/internal.js';
import type { Effort } from '../../shared/efforts.js';
import { errnoCode } from '../../shared/error-info.js';
import { abortError, CodexError, UsageError } from '../../shared/errors.js';
import { JsonObjectSchema, parseJson } from '../../store/json-file.js';
import { checkRequestBudget, readAttachment, withAttachments } from '../ask/attachments.js';
import { type AskConversation, type ConversationOptions, choosesConversation, openAskConversation, recordedSettings } from '../ask/session-log.js';
import { youngGenerationCap } from '../ask/young-generation.js';
import type { CliContext } from '../context.js';
import { checkOutputWritable, writeOutputFile } from '../io/output-file.js';
import { readBytes, readPrompt } from '../io/prompt.js';
import { readInputFile } from '../io/read-input.js';
import { openCodex } from '../open-codex.js';
import { parseNonNegativeInt, parsePositiveSeconds } from '../parse.js';
import { DocumentRenderer } from '../render/document.js';
import { JsonLinesRenderer } from '../render/jsonl.js';
import type { Renderer } from '../render/renderer.js';
import { SideChannel } from '../render/side-channel.js';
import { sourcesList } from '../render/sources.js';
import { Spinner } from '../render/spinner.js';
import { terminalSafe } from '../render/terminal-text.js';
import { TextRenderer } from '../render/text.js';

export interface AskOptions extends ConversationOptions {
  model?: string;
  template?: string;
  /** Set by a template: where `model` / `effort` came from, for messages. */
  modelFrom?: string;
  effortFrom?: string;
  verbosityFrom?: string;
  /** The template the conversation was asked with, when this turn gives none (recorded again). */
  recordedTemplate?: string;
  fastFrom?: string;
  /** `--fast` / `--no-fast`: the "Fast" service tier (config.json `fast`, a template's `fast`). */
  fast?: boolean;
  system?: string;
  systemFile?: string;
  effort?: string;
  verbosity?: string;
  reasoning?: boolean;
  raw?: boolean;
  json?: boolean;
  output?: string;
  timeout?: string;
  idleTimeout?: string;
  maxRetries?: string;
  stdin?: boolean;
  image?: string[];
  file?: string[];
  schema?: string;
  tool?: string[];
  maxTurns?: string;
  imageOut?: string;
  usage?: boolean;
  minRemaining?: string;
  waitForReset?: boolean;
  /** `--search` / `--web`; `--search-domain` (repeatable) implies it. */
  search?: boolean;
  web?: boolean;
  searchDomain?: string[];
}

/**
 * ask's options with the conversation's recorded settings where no flag (or template) gave one. A model given anew
 * drops the recorded effort, which may not be one of that model's levels.
 */
function withRecorded(options: AskOptions, recorded: ConversationSettings | undefined): AskOptions {
  if (recorded === undefined) return options;
  const from = 'the conversation (its earlier turns)';
  const systemGiven = options.system !== undefined || options.systemFile !== undefined;
  const keepsModel = options.model === undefined;
  return {
    ...options,
    ...(keepsModel && recorded.model !== undefined ? { model: recorded.model, modelFrom: from } : {}),
    ...(options.effort === undefined && keepsModel && recorded.effort !== undefined ? { effort: recorded.effort, effortFrom: from } : {}),
    ...(options.verbosity === undefined && recorded.verbosity !== undefined ? { verbosity: recorded.verbosity, verbosityFrom: from } : {}),
    ...(!systemGiven && recorded.system !== undefined ? { system: recorded.system } : {}),
    ...(options.template === undefined && recorded.template !== undefined ? { recordedTemplate: recorded.template } : {}),
  };
}

/** Cancels the run on Ctrl-C (exit 130), SIGTERM (143) and --timeout (124), through one AbortController. */
function abortOnSignalsAndTimeout(ctx: CliContext, controller: AbortController, timeoutMs: number | undefined): () => void {
  const onInt = () => controller.abort(new CodexError('cancelled', 'cancelled'));
  const onTerm = () => controller.abort(new CodexError('terminated', 'terminated'));
  ctx.signals.once('SIGINT', onInt);
  ctx.signals.once('SIGTERM', onTerm);
  const timer =
    timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new CodexError('timeout', `timed out after ${timeoutMs / 1000} s (--timeout)`)), timeoutMs);
  return () => {
    ctx.signals.off('SIGINT', onInt);
    ctx.signals.off('SIGTERM', onTerm);
    if (timer) clearTimeout(timer);
  };
}

export async function runAsk(ctx: CliContext, words: string[], options: AskOptions): Promise<void> {
  const sessionId = randomUUID();
  const json = options.json === true;
  // Until the catalog has named the default, an early failure's `start` names the chosen or the fallback model.
  const earlyStart = startEvent(ctx.model(options.model), sessionId);
  // The renderer comes first: in JSON mode every failure after this point, an unreadable config.json included,
  // ends as the terminal error event.
  const renderer: Renderer = json
    ? new JsonLinesRenderer(ctx.stdout, earlyStart)
    : options.schema !== undefined
      ? new DocumentRenderer(ctx.stdout, options.reasoning === true ? await sideChannel(ctx) : undefined)
      : await textRenderer(ctx, options.reasoning === true, options.raw === true);
  if (json) ctx.errorEventSink = (event) => renderer.error?.(event);
  const config = ctx.config;
  if (options.template !== undefined) options = await (await import('../ask/template.js')).withTemplate(config.configDir, options);
  // A continued conversation keeps its model, effort, verbosity and system prompt unless a flag gives another.
  options = withRecorded(options, await recordedSettings(ctx, options));

  const timeoutS = parsePositiveSeconds(options.timeout, '--timeout');
  const idleTimeoutS = parsePositiveSeconds(options.idleTimeout, '--idle-timeout');
  const maxRetries = parseNonNegativeInt(options.maxRetries, '--max-retries');
  const maxTurns = parseNonNegativeInt(options.maxTurns, '--max-turns');
  if (maxTurns === 0) throw new UsageError('--max-turns takes a whole number ≥ 1');
  const { value: effort, source: effortFrom } = config.setting('effort', { value: options.effort, label: options.effortFrom });
  const { value: verbosity, source: verbosityFrom } = config.setting('verbosity', { value: options.verbosity, label: options.verbosityFrom });
  const { value: fast, source: fastFrom } = config.setting('fast', { value: options.fast, label: options.fastFrom });
  if (effort !== undefined) checkSetting('effort', effort, effortFrom.label);
  const search = searchOptions(
    options.search === true || options.web === true || options.searchDomain !== undefined ? { domains: options.searchDomain ?? [] } : undefined,
    '--search-domain',
  );
  const gate = options.minRemaining !== undefined || options.waitForReset === true ? await import('../ask/quota-gate.js') : undefined;
  const minRemaining = options.minRemaining !== undefined ? gate!.parseMinRemaining(options.minRemaining, '--min-remaining') : undefined;

  const controller = new AbortController();
  const deadlineMs = timeoutS === undefined ? undefined : Date.now() + timeoutS * 1000;
  const release = abortOnSignalsAndTimeout(ctx, controller, timeoutS === undefined ? undefined : timeoutS * 1000);
  // Everything from here on stops at Ctrl-C, SIGTERM or --timeout, including waits that cannot be interrupted
  // (stdin, a FIFO given as a file, another process's credential lock): those are abandoned, and main exits.
  let codex: Codex | undefined;
  let jsonSchema: Record<string, unknown> | undefined;
  let checkDocument: ((text: string) => void) | undefined;
  let conversation: AskConversation | undefined;
  const youngGeneration = youngGenerationCap({ given: [...process.execArgv, ctx.env.NODE_OPTIONS ?? ''] });
  const run = async () => {
    jsonSchema = options.schema === undefined ? undefined : await loadSchema(options.schema);
    // The validator is loaded only for --schema; a schema it cannot use is a usage error before any request.
    checkDocument = jsonSchema ? (await import('../ask/json-schema-check.js')).documentCheck(jsonSchema, '--schema') : undefined;
    // Loaded for --tool only: it brings node:child_process (start-up time).
    const toolFiles = options.tool ?? [];
    const shellTools = toolFiles.length > 0 ? await import('../ask/shell-tools.js') : undefined;
    const tools = await Promise.all(toolFiles.map((path) => shellTools!.loadToolFile(path, ctx.env)));
    const seen = new Map<string, string>();
    toolFiles.forEach((path, i) => {
      const name = tools[i]!.name;
      const first = seen.get(name);
      if (first !== undefined) throw new UsageError(`--tool: ${first} and ${path} both define a tool named ${name}`);
      seen.set(name, path);
    });
    const images = await Promise.all((options.image ?? []).map((source) => imageUrlFor(source)));
    if (options.output !== undefined) await checkOutputWritable(options.output);
    if (options.imageOut !== undefined) await (await import('../ask/image-out.js')).checkImageDir(options.imageOut);
    const instructions =
      options.systemFile !== undefined ? await readTextFile(options.systemFile, '--system-file') : config.setting('system', { value: options.system }).value;
    const files = options.file ?? [];
    if (files.filter((file) => file === '-').length > 1) throw new UsageError('--file - (stdin) can be given once');
    const stdinIsFile = files.includes('-');
    const stdinReadable = options.stdin !== false && ctx.stdin.isTTY !== true;
    const attachments = await Promise.all(files.map((file) => readAttachment(file, stdinReadable ? () => readBytes(ctx.stdin) : undefined)));
    const typed = await readPrompt({
      words,
      noStdin: options.stdin === false || stdinIsFile,
      stdin: ctx.stdin,
      allowEmpty: attachments.length > 0,
      onSilentStdin: () => ctx.warn('still waiting for stdin… (pass --no-stdin, or close it with </dev/null, to send only the words)'),
    });
    const prompt = withAttachments(typed, attachments);
    const requestParts = [
      { name: 'the prompt', bytes: Buffer.byteLength(typed) },
      ...attachments.map((file) => ({ name: file.name, bytes: Buffer.byteLength(file.text) })),
      ...images.map((url, index) => ({ name: `image ${options.image![index]}`, bytes: url.length })),
      { name: 'the system prompt', bytes: Buffer.byteLength(instructions ?? '') },
    ];
    checkRequestBudget(requestParts);
    const chosenModel = ctx.chosenModel(options.model);
    const spinner = renderer instanceof TextRenderer && ctx.interactiveStderr ? new Spinner(ctx.stderr, `waiting for ${chosenModel ?? 'the answer'}…`) : undefined;
    if (spinner) (renderer as TextRenderer).showSpinner(spinner);
    codex = await openCodex(ctx, {
      sessionId,
      // auth.json is read once: a `codex logout` elsewhere mid-run cannot fail an ask that holds a good token.
      keepCredentialsForRun: true,
      ...(maxRetries !== undefined ? { maxRetries } : {}),
      ...(idleTimeoutS !== undefined ? { idleTimeoutMs: idleTimeoutS * 1000 } : {}),
    });
    // A refresh that fails must fail the ask, not only the catalog's fetch (which would fall back).
    await codex[internal].tokens.valid();
    // Planning reads the catalog (cached for an hour; it names the default model and each model's levels and
    // layout) and looks up the workspace routing beside it. With --min-remaining, the quota is read beside them:
    // before any /responses request.
    const [planned, quota] = await Promise.all([
      codex[internal].plan(
        {
          ...(chosenModel !== undefined ? { model: chosenModel } : {}),
          prompt,
          ...(images.length > 0 ? { images } : {}),
          ...(instructions !== undefined ? { instructions } : {}),
          ...(effort !== undefined ? { effort: effort as Effort } : {}),
          ...(verbosity !== undefined ? { verbosity } : {}),
          ...(fast ? { fast } : {}),
          // Shown: ask for a summary; not shown: only the one the catalog asks for.
          ...(json || options.reasoning === true ? { reasoningSummary: true } : {}),
          ...(jsonSchema ? { jsonSchema } : {}),
          ...(search ? { search } : {}),
          signal: controller.signal,
        },
        {
          sources: {
            ...(chosenModel !== undefined ? { model: ctx.modelSource(options.model, options.modelFrom)! } : {}),
            effort: effortFrom.label,
            verbosity: verbosityFrom.label,
            fast: fastFrom.label,
          },
        },
      ),
      minRemaining !== undefined ? gate!.checkQuota(ctx, () => codex!.usage({ signal: controller.signal }), minRemaining, controller.signal) : undefined,
    ]);
    if (controller.signal.aborted) throw abortError(controller.signal);
    let waited = false;
    if (quota?.low) {
      const failure = new CodexError('quota_low', quota.low.message, quota.low.resetsAt !== undefined ? { resetsAt: quota.low.resetsAt } : {});
      if (!options.waitForReset || quota.low.resetsAt === undefined) throw failure;
      waited = true;
      await gate!.waitForReset(ctx, {
        resetsAt: quota.low.resetsAt,
        deadlineMs,
        signal: controller.signal,
        reason: 'quota_low',
        failure,
        emit: (event) => renderer.event(event),
      });
    }
    earlyStart.model = planned.ask.model;
    spinner?.relabel(`waiting for ${planned.ask.model}…`);
    // A conversation chosen with -c/--cid/chat keeps the text in the client; a plain ask's log gathers it itself,
    // so that text mode stays flat in memory.
    // With --search the sources may be the answer's links: the client needs its text.
    const keepText = json || options.output !== undefined || jsonSchema !== undefined || search !== undefined || choosesConversation(options);
    // The client's copy of the answer lives until this process ends with it.
    if (keepText) holdGatheredTextUntilExit();
    conversation = await openAskConversation(ctx, options, {
      keepsText: keepText,
      model: planned.ask.model,
      ...(planned.ask.effort ? { effort: planned.ask.effort } : {}),
      settings: {
        model: planned.ask.model,
        ...(planned.ask.effort ? { effort: planned.ask.effort } : {}),
        ...(verbosity !== undefined ? { verbosity } : {}),
        ...(instructions !== undefined ? { system: instructions } : {}),
        ...((options.template ?? options.recordedTemplate) !== undefined ? { template: options.template ?? options.recordedTemplate } : {}),
      },
      contextWindow: planned.info?.context_window,
      newBytes: requestParts.reduce((sum, part) => sum + part.bytes, 0),
      prompt,
      images: images.length,
      sessionId,
    });
    if (conversation?.shownId !== undefined) earlyStart.conversation_id = conversation.shownId;
    const continued = conversation;
    const request = continued
      ? {
          ...planned,
          ask: {
            ...planned.ask,
            ...(continued.history.length ? { input: continued.history } : {}),
            ...(continued.cacheKey !== undefined ? { promptCacheKey: continued.cacheKey } : {}),
          },
        }
      : planned;
    let started = false;
    let answered = false;
    const ask = () =>
      codex![internal].run(request, {
        signal: controller.signal,
        keepText,
        ...(continued ? { onExchange: continued.onExchange } : {}),
        asidesShown: json || options.reasoning === true,
        tools,
        ...(maxTurns !== undefined ? { maxTurns } : {}),
        ...(options.imageOut !== undefined ? { imageOut: options.imageOut } : {}),
        // Not async: a delta must not cost a promise (the hot path); only `result` may wait.
        onEvent: (original) => {
          const event = continued ? continued.event(original) : original;
          // A run sent again after --wait-for-reset goes on with the `start` already written.
          if (event.type === 'start') {
            if (started) return undefined;
            started = true;
          }
          if (event.type === 'text.delta' || event.type === 'reasoning.delta') {
            answered = true;
            youngGeneration.grew(event.delta.length);
          } else if (event.type === 'tool_call') answered = true;
          if (event.type === 'image') {
            answered = true;
            // After the renderer has stopped the spinner and written what it gathered: a line of its own.
            const rendered = renderer.event(event);
            if (!json) ctx.stderr.write(`${ctx.name}: ${imageLine(event, options.imageOut)}\n`);
            return rendered;
          }
          if (event.type === 'result') {
            return (async () => {
              // Everything that can still fail happens before `result` is written: it must be the last line.
              checkDocument?.(event.text);
              if (options.output !== undefined) await writeOutput(options.output, jsonSchema ? event.text.trim() : event.text);
              await continued?.record(event);
              release();
              await renderer.event(event);
            })();
          }
          return renderer.event(event);
        },
        flush: () => renderer.flush?.(),
      });
    let result: ResultEvent;
    for (;;) {
      try {
        result = await ask();
        break;
      } catch (error) {
        const limit = error instanceof CodexError && error.code === 'usage_limit_reached' ? error : undefined;
        if (!options.waitForReset || waited || answered || limit?.resetsAt === undefined) throw error;
        waited = true;
        await gate!.waitForReset(ctx, {
          resetsAt: limit.resetsAt,
          deadlineMs,
          signal: controller.signal,
          reason: 'usage_limit_reached',
          failure: limit,
          emit: (event) => renderer.event(event),
        });
      }
    }
    if (!json && result.citations && result.citations.length > 0) ctx.stderr.write(sourcesList(result.citations, ctx.stderr.isTTY === true));
    if (options.usage) await printUsage(ctx, result);
  };
  try {
    await untilAborted(run(), controller.signal);
  } catch (error) {
    // The backend refused a model the cached list offered: the list is out of date.
    if (error instanceof CodexError && error.code === 'model_unavailable') {
      const current = codex ? await freshDefault(codex) : undefined;
      const next = current ? `the current default is ${current}` : 'the cached model list was dropped';
      throw new CodexError(error.code, `${error.message}; ${next}`, { status: error.status, requestId: error.requestId });
    }
    throw error;
  } finally {
    youngGeneration.release();
    renderer.stop?.();
    release();
    await conversation?.release();
  }
}

/** Text mode's stderr line for an image the model made: where it went, or that it was dropped. */
function imageLine(event: ImageEvent, dir: string | undefined): string {
  const what = terminalSafe([event.size, event.format, `${event.bytes} bytes`].filter(Boolean).join(', '));
  if (event.path !== undefined) return `image saved: ${event.path} (${what})`;
  return dir === undefined ? `the model made an image (${what}); not saved: give --image-out DIR to keep it` : `image not saved (${what})`;
}

/** `-u`: token usage and the quota windows, on stderr after the answer. */
async function printUsage(ctx: CliContext, result: ResultEvent): Promise<void> {
  const { usageLine } = await import('../usage/text.js');
  const { usage } = result;
  ctx.stderr.write(
    `${ctx.name}: tokens: ${usage.input_tokens} in (${usage.cached_input_tokens} cached), ${usage.output_tokens} out ` +
      `(${usage.reasoning_tokens} reasoning), ${usage.total_tokens} total\n`,
  );
  ctx.stderr.write(`${ctx.name}: quota: ${result.rate_limits ? usageLine(result.rate_limits) : 'the backend sent no rate-limit headers'}\n`);
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

/** `--reasoning`: reasoning and commentary on stderr (dim when stderr is a colour terminal). */
async function sideChannel(ctx: CliContext): Promise<SideChannel> {
  let dim: ((text: string) => string) | undefined;
  if (ctx.colorOn(ctx.stderr)) {
    const { Chalk } = await import('chalk');
    const chalk = new Chalk({ level: 1 });
    dim = (text) => chalk.dim(text);
  }
  return new SideChannel(ctx.stderr, dim, ctx.stderr.isTTY === true ? terminalSafe : undefined);
}

async function textRenderer(ctx: CliContext, reasoning: boolean, raw: boolean): Promise<TextRenderer> {
  const side = reasoning ? await sideChannel(ctx) : undefined;
  const notice = ctx.interactiveStderr ? (message: string) => ctx.stderr.write(`\r\x1b[K${ctx.name}: ${message}\n`) : undefined;
  return new TextRenderer(ctx.stdout, {
    ...(side ? { side } : {}),
    ...(notice ? { notice } : {}),
    endPartialLine: ctx.stdout.isTTY === true,
    ...(ctx.stdout.isTTY === true && !raw ? { sanitize: terminalSafe } : {}),
  });
}

/** After the backend refused a model (the facade has dropped the cached list): a fresh catalog's default, if it can be had. */
async function freshDefault(codex: Codex): Promise<string | undefined> {
  const catalog = await codex.fetchModels({ signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
  return catalog && catalog.source !== 'builtin' ? catalog.defaultModel : undefined;
}

/** `--schema FILE|JSON`: inline JSON when it looks like an object, else a file. */
async function loadSchema(value: string): Promise<Record<string, unknown>> {
  const inline = /^\s*[[{]/.test(value);
  const text = inline ? value : await readTextFile(value, '--schema');
  const schema = parseJson(
    text,
    JsonObjectSchema,
    (problem) =>
      new UsageError(problem.kind === 'not_json' ? `--schema: ${inline ? 'the inline schema' : value} is not valid JSON` : '--schema: a JSON Schema object is needed'),
  );
  if (nestingDepth(schema) > MAX_SCHEMA_DEPTH) throw new UsageError(`--schema: nested deeper than ${MAX_SCHEMA_DEPTH} levels`);
  return schema;
}

/** Deeper than any real schema; the validator and the request body are built recursively. */
const MAX_SCHEMA_DEPTH = 128;

/** How deep arrays and objects nest, counted without recursion (the value may be 200,000 levels deep). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_SCHEMA_DEPTH) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

async function readTextFile(path: string, flag: string): Promise<string> {
  try {
    return await readInputFile(path);
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${path} (${errnoCode(error) ?? 'error'})`);
  }
}

async function writeOutput(path: string, text: string): Promise<void> {
  await writeOutputFile(path, text.endsWith('\n') || text === '' ? text : `${text}\n`);
}
