// The HTTP application: access log, the request guard (guard.ts) and the OpenAI-compatible routes.
import { type Context, Hono } from 'hono';
import type { CodexEvent } from '../client/events.js';
import { IMAGE_MODEL, type ImageRequest } from '../client/image-generation.js';
import { selectModels } from '../client/models/model-info.js';
import { assertKnownModel } from '../client/models/suggestions.js';
import { RESPONSES_LITE_HEADER } from '../client/request.js';
import type { TurnOutcome } from '../client/response-turn.js';
import type { Codex, CodexRequest, ModelsResult } from '../library/codex.js';
import { ApiError, StreamError, UsageError } from '../shared/errors.js';
import type { SseMessage } from '../transport/sse.js';
import { accessLine } from './access-log.js';
import { type ChatMeta, chatChunk, chatCompletion, chatDeltaShell, chatUsageChunk, translateChat } from './chat.js';
import { BODY_LIMIT_BYTES, bodyCutOff, guard, IMAGE_EDITS_PATH } from './guard.js';
import { httpFailure, openAiError } from './http-errors.js';
import { ResponseStore } from './response-store.js';
import { prepareResponses, ResponseRecorder } from './responses.js';
import { type SseProducer, sseBody } from './sse-response.js';
import { TurnRun } from './turn-run.js';
import { droppedParameters, WARNING_HEADER, wireId } from './wire.js';

export interface AppOptions {
  transport: Codex;
  /** Every request must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** The one origin whose pages may call the API (`*`: any); none: every request with an Origin is refused. */
  corsOrigin?: string;
  /** Loopback serve: the Host values a request may carry (DNS rebinding guard); absent: any. */
  allowedHosts?: () => ReadonlySet<string>;
  /** One line per request (never a token or a prompt). */
  accessLog: (line: string) => void;
  /** Aborted at shutdown, after the grace period: open streams are ended. */
  shutdown: AbortSignal;
  /** Masks secrets in error messages. */
  redact?: (text: string) => string;
  /** The recent responses `previous_response_id` and `item_reference` name (default: one with the default bounds). */
  store?: ResponseStore;
  /** A streaming client that reads nothing for this long has its backend stream cancelled (default 300 s). */
  stallMs?: number;
}

/** As long as the backend may stay silent (the official idle timeout): a client may be as slow, no slower. */
export const DEFAULT_STALL_MS = 300_000;

interface LogEntry {
  model?: string;
  tokens?: number;
  /** A stream logs itself when it ends. */
  deferred?: boolean;
  /** Its body has closed (an in-process reader can finish it before the handler's middleware resumes). */
  ended?: boolean;
  /** Writes the deferred line: set by the middleware once the handler has returned. */
  finish?: () => void;
  status?: number;
  /** A failure on the server's side, in full (the client is told less). */
  error?: string;
  /** Aborted when a streaming client stops reading past the bound: its backend request ends. */
  stall?: AbortController;
}

type Env = { Variables: { entry: LogEntry } };

/** The request body; a client that goes away before sending all of it is a 499 (it was a 500). */
async function readText(c: Context<Env>): Promise<string> {
  try {
    return await c.req.text();
  } catch {
    throw bodyCutOff();
  }
}

export function createApp(options: AppOptions): Hono<Env> {
  const app = new Hono<Env>();
  const redact = options.redact ?? ((text: string) => text);
  const store = options.store ?? new ResponseStore();
  let catalog: Promise<ModelsResult> | undefined;
  const models = (): Promise<ModelsResult> =>
    (catalog ??= options.transport.fetchModels().catch((error: unknown) => {
      catalog = undefined;
      throw error;
    }));

  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  /** What ends a request's backend work: the client going away, shutdown, or a stream the client stopped reading. */
  const requestSignal = (c: Context<Env>): AbortSignal => {
    const entry = c.get('entry');
    entry.stall ??= new AbortController();
    return AbortSignal.any([c.req.raw.signal, options.shutdown, entry.stall.signal]);
  };

  const logLine = (c: Context<Env>, started: number, entry: LogEntry, status: number): void => {
    const ms = Math.round(performance.now() - started);
    options.accessLog(accessLine({ method: c.req.method, path: new URL(c.req.url).pathname, model: entry.model, status, ms, tokens: entry.tokens, error: entry.error }));
  };

  app.use('*', async (c, next) => {
    const started = performance.now();
    const entry: LogEntry = {};
    c.set('entry', entry);
    await next();
    if (entry.deferred && !entry.ended) entry.finish = () => logLine(c, started, entry, entry.status ?? c.res.status);
    else logLine(c, started, entry, entry.deferred ? (entry.status ?? c.res.status) : c.res.status);
  });
  app.use(
    '*',
    ...guard({
      ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.corsOrigin !== undefined ? { corsOrigin: options.corsOrigin } : {}),
      ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    }),
  );

  app.onError((error, c) => {
    const failure = httpFailure(error, redact);
    if (failure.detail !== undefined) c.get('entry').error = failure.detail;
    for (const [name, value] of Object.entries(failure.headers)) c.header(name, value);
    return c.json(failure.body, failure.status as 400);
  });
  app.notFound((c) => c.json(openAiError(404, 'invalid_request_error', 'unknown_url', `codex serve has no ${c.req.method} ${new URL(c.req.url).pathname}`), 404));

  app.get('/v1/models', async (c) => {
    const result = await models();
    return c.json({
      object: 'list',
      data: selectModels(result.models).map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: 'openai' })),
    });
  });

  /** The model the request names (checked against the catalog: retired and unknown slugs are 404), or the default. */
  const resolveModel = async (request: CodexRequest): Promise<string> => {
    const result = await models();
    if (request.model === undefined) return result.defaultModel;
    try {
      assertKnownModel(request.model, { ...result, source: result.source === 'registry' ? 'builtin' : result.source });
    } catch (error) {
      if (error instanceof UsageError) throw new ApiError('model_unavailable', error.message);
      throw error;
    }
    return request.model;
  };

  const readJson = async (c: Context<Env>): Promise<unknown> => {
    const text = await readText(c);
    try {
      return JSON.parse(text);
    } catch {
      throw new UsageError('the request body is not valid JSON');
    }
  };

  const begin = async (c: Context<Env>, request: CodexRequest, warnings: string[], keepText: boolean) => {
    const entry = c.get('entry');
    entry.model = request.model;
    const model = await resolveModel(request);
    entry.model = model;
    if (warnings.length > 0) c.header(WARNING_HEADER, warnings.join('; '));
    const signal = requestSignal(c);
    const run = new TurnRun(options.transport, { ...request, model, signal }, { keepText });
    await run.ready();
    const early = run.earlyFailure();
    if (early !== undefined) throw early;
    return { run, model, entry };
  };

  /**
   * An SSE response written by `produce` (sse-response.ts); `after` runs once the body is closed, and the access log
   * line is written last.
   */
  const sse = (c: Context<Env>, entry: LogEntry, produce: SseProducer, after?: () => void) => {
    entry.deferred = true;
    entry.status = 200;
    entry.stall ??= new AbortController();
    const body = sseBody(
      produce,
      (tokens) => {
        entry.tokens = tokens;
        after?.();
        entry.ended = true;
        entry.finish?.();
      },
      { ms: stallMs, controller: entry.stall },
    );
    c.header('content-type', 'text/event-stream; charset=utf-8');
    c.header('cache-control', 'no-cache');
    return c.body(body, 200);
  };

  /**
   * Reads and translates a request body, and starts its backend turn (with a warning for what was dropped).
   * `keepsText(translated)` says whether the answer needs the outcome's text: a streamed chat completion does not
   * (its deltas are the answer), so no copy of it is gathered.
   */
  const accept = async <T extends { request: CodexRequest; warnings: string[] }>(
    c: Context<Env>,
    translate: (body: unknown) => T,
    keepsText: (translated: T) => boolean = () => true,
  ) => {
    const body = await readJson(c);
    const translated = translate(body);
    const dropped = droppedParameters(body);
    const warnings = [...(dropped.length > 0 ? [`dropped parameters the backend rejects: ${dropped.join(', ')}`] : []), ...translated.warnings];
    return { translated, ...(await begin(c, translated.request, warnings, keepsText(translated))) };
  };

  const streamError = (error: unknown) => httpFailure(error, redact).body;
  const isGone = (c: Context<Env>) => c.req.raw.signal.aborted;

  app.post('/v1/chat/completions', async (c) => {
    const { translated, run, model, entry } = await accept(c, translateChat, (chat) => !chat.stream);
    const meta: ChatMeta = { id: wireId('chatcmpl-'), created: Math.floor(Date.now() / 1000), model };

    if (!translated.stream) {
      let reasoning = '';
      const outcome = await run.drain((event) => {
        if (event.type === 'reasoning.delta') reasoning += event.delta;
      });
      entry.tokens = outcome.usage.total_tokens;
      return c.json(
        chatCompletion(
          { ...meta, model: outcome.model || model },
          outcome.text,
          outcome.functionCalls,
          outcome.usage,
          translated.reasoning ? reasoning : undefined,
          outcome.citations,
        ),
      );
    }
    const includeUsage = translated.includeUsage;
    return sse(c, entry, async (out, flow) => {
      const frame = (value: unknown) => out.text(`data: ${JSON.stringify(value)}\n\n`);
      const content = chatDeltaShell(meta, includeUsage, 'content');
      const reasoning = translated.reasoning ? chatDeltaShell(meta, includeUsage, 'reasoning_content') : undefined;
      frame(chatChunk(meta, { role: 'assistant', content: '' }, null, includeUsage));
      let outcome: TurnOutcome;
      try {
        outcome = await run.drain((event: CodexEvent) => {
          if (event.type === 'text.delta') out.frame(content.head, event.delta, content.tail);
          else if (event.type === 'reasoning.delta' && reasoning) out.frame(reasoning.head, event.delta, reasoning.tail);
        }, flow);
      } catch (error) {
        if (!isGone(c)) frame(streamError(error));
        entry.status = httpFailure(error).status;
        return undefined;
      }
      for (const [index, call] of outcome.functionCalls.entries()) {
        frame(
          chatChunk(meta, { tool_calls: [{ index, id: call.call_id, type: 'function', function: { name: call.name, arguments: call.arguments } }] }, null, includeUsage),
        );
      }
      frame(chatChunk(meta, {}, outcome.functionCalls.length > 0 ? 'tool_calls' : 'stop', includeUsage));
      if (includeUsage) frame(chatUsageChunk(meta, outcome.usage));
      out.text('data: [DONE]\n\n');
      return outcome.usage.total_tokens;
    });
  });

  app.post('/v1/images/generations', async (c) => {
    const { translateImageGeneration } = await import('./images.js');
    return answerImage(c, translateImageGeneration(await readJson(c)));
  });

  app.post(IMAGE_EDITS_PATH, async (c) => {
    const images = await import('./images.js');
    const form = (c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
    return answerImage(c, form ? await images.translateImageEditForm(await readForm(c)) : images.translateImageEditJson(await readJson(c)));
  });

  const readForm = async (c: Context<Env>): Promise<FormData> => {
    try {
      return await c.req.raw.formData();
    } catch {
      if (c.req.raw.signal.aborted) throw bodyCutOff();
      throw new UsageError('the request body is not valid multipart/form-data');
    }
  };

  /** One image from the backend, as the Images API answers (the warnings in the header, as on the other routes). */
  const answerImage = async (c: Context<Env>, call: { request: ImageRequest; warnings: string[] }) => {
    c.get('entry').model = IMAGE_MODEL;
    if (call.warnings.length > 0) c.header(WARNING_HEADER, call.warnings.join('; '));
    const result = await options.transport.generateImage(call.request, { signal: requestSignal(c) });
    const { imagesResponse } = await import('./images.js');
    return c.json(imagesResponse(result));
  };

  app.post('/v1/responses', async (c) => {
    const entry = c.get('entry');
    const text = await readText(c);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new UsageError('the request body is not valid JSON');
    }
    const prepared = prepareResponses(raw, Buffer.byteLength(text), store, BODY_LIMIT_BYTES);
    entry.model = prepared.model;
    const model = await resolveModel(prepared.model === undefined ? {} : { model: prepared.model });
    entry.model = model;
    if (prepared.warnings.length > 0) c.header(WARNING_HEADER, prepared.warnings.join('; '));
    const body = { model, ...prepared.body };
    const recorder = new ResponseRecorder(prepared.wantsEncrypted);
    const signal = requestSignal(c);
    let sink: ((frames: SseMessage[]) => Promise<void> | undefined) | undefined;
    const early: SseMessage[] = [];
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const turnState = c.req.header('x-codex-turn-state');
    const relaying = options.transport.relay(body, {
      signal,
      lite: c.req.header(RESPONSES_LITE_HEADER) === 'true',
      ...(turnState ? { turnState } : {}),
      onOpen: (headers) => {
        for (const [name, value] of headers) if (name.startsWith('x-codex-') || name === 'openai-model') c.header(name, value);
        opened();
      },
      onFrames: (frames) => {
        if (sink) return sink(frames);
        early.push(...frames);
        return undefined;
      },
    });
    relaying.catch(() => undefined);
    await Promise.race([open, relaying]);
    // Kept once the answer is whole (a stream's, once its body is closed): nothing of the store is on the stream's way.
    const keep = () => {
      if (recorder.completed && recorder.responseId) {
        store.put(recorder.responseId, prepared.input, recorder.output, prepared.bytes + recorder.outputBytes);
      }
    };

    if (!prepared.stream) {
      sink = (frames) => {
        for (const frame of frames) recorder.frame(frame);
        return undefined;
      };
      sink(early.splice(0));
      await relaying;
      const result = recorder.result();
      entry.tokens = recorder.totalTokens;
      keep();
      return c.json(result);
    }
    return sse(
      c,
      entry,
      async (out, flow) => {
        // The frames of a network read go out together (sseBody makes one chunk of the writes of a read).
        sink = (frames) => {
          for (const frame of frames) out.text(recorder.frame(frame));
          return flow();
        };
        await sink(early.splice(0));
        try {
          await relaying;
          if (!recorder.terminal) throw new StreamError('stream_closed', 'the backend stream closed before response.completed');
        } catch (error) {
          const failure = httpFailure(error, redact);
          if (!isGone(c))
            out.text(
              `event: error\ndata: ${JSON.stringify({ type: 'error', code: failure.body.error.code, message: failure.body.error.message, param: null, error: failure.body.error })}\n\n`,
            );
          entry.status = failure.status;
          return undefined;
        }
        return recorder.totalTokens;
      },
      keep,
    );
  });

  return app;
}
