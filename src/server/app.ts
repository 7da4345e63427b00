// The HTTP application: access log, the request guard (guard.ts) and the OpenAI-compatible routes.
import { type Context, Hono } from 'hono';
import type { CodexEvent } from '../client/events.js';
import { selectModels } from '../client/models/model-info.js';
import { assertKnownModel } from '../client/models/suggestions.js';
import type { TurnOutcome } from '../client/response-turn.js';
import { ApiError, UsageError } from '../errors.js';
import type { Codex, CodexRequest, ModelsResult } from '../library/codex.js';
import { accessLine } from './access-log.js';
import { type ChatMeta, chatChunk, chatCompletion, chatUsageChunk, translateChat } from './chat.js';
import { guard } from './guard.js';
import { httpFailure, openAiError } from './http-errors.js';
import { completedOutput, functionCallItem, messageItem, type ResponseMeta, reasoningItem, responseObject, translateResponses } from './responses.js';
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
}

interface LogEntry {
  model?: string;
  tokens?: number;
  /** A stream logs itself when it ends. */
  deferred?: boolean;
  status?: number;
  /** A failure on the server's side, in full (the client is told less). */
  error?: string;
}

type Env = { Variables: { entry: LogEntry } };

export function createApp(options: AppOptions): Hono<Env> {
  const app = new Hono<Env>();
  const redact = options.redact ?? ((text: string) => text);
  let catalog: Promise<ModelsResult> | undefined;
  const models = (): Promise<ModelsResult> =>
    (catalog ??= options.transport.fetchModels().catch((error: unknown) => {
      catalog = undefined;
      throw error;
    }));

  const logLine = (c: Context<Env>, started: number, entry: LogEntry, status: number): void => {
    const ms = Math.round(performance.now() - started);
    options.accessLog(accessLine({ method: c.req.method, path: new URL(c.req.url).pathname, model: entry.model, status, ms, tokens: entry.tokens, error: entry.error }));
  };

  app.use('*', async (c, next) => {
    const started = performance.now();
    const entry: LogEntry = {};
    c.set('entry', entry);
    await next();
    if (entry.deferred) {
      (entry as LogEntry & { finish?: () => void }).finish = () => logLine(c, started, entry, entry.status ?? c.res.status);
    } else logLine(c, started, entry, c.res.status);
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
    try {
      return await c.req.json();
    } catch {
      throw new UsageError('the request body is not valid JSON');
    }
  };

  const begin = async (c: Context<Env>, request: CodexRequest, warnings: string[]) => {
    const entry = c.get('entry');
    entry.model = request.model;
    const model = await resolveModel(request);
    entry.model = model;
    if (warnings.length > 0) c.header(WARNING_HEADER, warnings.join('; '));
    const signal = AbortSignal.any([c.req.raw.signal, options.shutdown]);
    const run = new TurnRun(options.transport, { ...request, model, signal });
    await run.ready();
    const early = run.earlyFailure();
    if (early !== undefined) throw early;
    return { run, model, entry };
  };

  /**
   * An SSE response written by `produce`. `flow()` resolves when the client's side has room: a slow reader pauses
   * the turn (and so the backend's stream) instead of piling frames up in memory.
   */
  const sse = (c: Context<Env>, entry: LogEntry, produce: (write: (text: string) => void, flow: () => Promise<void> | undefined) => Promise<number | undefined>) => {
    entry.deferred = true;
    entry.status = 200;
    const encoder = new TextEncoder();
    let pulled: (() => void) | undefined;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          const write = (text: string) => {
            if (cancelled) return;
            try {
              controller.enqueue(encoder.encode(text));
            } catch {
              // The client has gone; the request's signal stops the backend.
            }
          };
          const flow = () => (cancelled || (controller.desiredSize ?? 1) > 0 ? undefined : new Promise<void>((resolve) => (pulled = resolve)));
          void produce(write, flow).then((tokens) => {
            entry.tokens = tokens;
            try {
              controller.close();
            } catch {
              // already cancelled
            }
            (entry as LogEntry & { finish?: () => void }).finish?.();
          });
        },
        pull() {
          pulled?.();
          pulled = undefined;
        },
        cancel() {
          cancelled = true;
          pulled?.();
        },
      },
      { highWaterMark: 64 },
    );
    c.header('content-type', 'text/event-stream; charset=utf-8');
    c.header('cache-control', 'no-cache');
    return c.body(body, 200);
  };

  /** Reads and translates a request body, and starts its backend turn (with a warning for what was dropped). */
  const accept = async <T extends { request: CodexRequest; warnings: string[] }>(c: Context<Env>, translate: (body: unknown) => T) => {
    const body = await readJson(c);
    const translated = translate(body);
    const dropped = droppedParameters(body);
    const warnings = [...(dropped.length > 0 ? [`dropped parameters the backend rejects: ${dropped.join(', ')}`] : []), ...translated.warnings];
    return { translated, ...(await begin(c, translated.request, warnings)) };
  };

  const streamError = (error: unknown) => httpFailure(error, redact).body;
  const isGone = (c: Context<Env>) => c.req.raw.signal.aborted;

  app.post('/v1/chat/completions', async (c) => {
    const { translated, run, model, entry } = await accept(c, translateChat);
    const meta: ChatMeta = { id: wireId('chatcmpl-'), created: Math.floor(Date.now() / 1000), model };

    if (!translated.stream) {
      const outcome = await run.drain(() => undefined);
      entry.tokens = outcome.usage.total_tokens;
      return c.json(chatCompletion({ ...meta, model: outcome.model || model }, outcome.text, outcome.functionCalls, outcome.usage));
    }
    const includeUsage = translated.includeUsage;
    return sse(c, entry, async (write, flow) => {
      const frame = (value: unknown) => write(`data: ${JSON.stringify(value)}\n\n`);
      frame(chatChunk(meta, { role: 'assistant', content: '' }, null, includeUsage));
      let outcome: TurnOutcome;
      try {
        outcome = await run.drain((event: CodexEvent) => {
          if (event.type === 'text.delta') frame(chatChunk(meta, { content: event.delta }, null, includeUsage));
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
      write('data: [DONE]\n\n');
      return outcome.usage.total_tokens;
    });
  });

  app.post('/v1/responses', async (c) => {
    const { translated, run, model, entry } = await accept(c, translateResponses);
    const meta: ResponseMeta = { id: wireId('resp_'), created: Math.floor(Date.now() / 1000), model, messageId: wireId('msg_'), reasoningId: wireId('rs_') };

    if (!translated.stream) {
      let summary = '';
      const outcome = await run.drain((event) => {
        if (event.type === 'reasoning.delta') summary += event.delta;
      });
      entry.tokens = outcome.usage.total_tokens;
      const output = [...(summary !== '' ? [reasoningItem(meta, summary)] : []), ...completedOutput(meta, outcome.text, outcome.functionCalls)];
      return c.json({ ...responseObject(meta, 'completed', output, outcome.usage), output_text: outcome.text });
    }
    return sse(c, entry, async (write, flow) => {
      let sequence = 0;
      const event = (type: string, fields: Record<string, unknown>) =>
        write(`event: ${type}\ndata: ${JSON.stringify({ type, ...fields, sequence_number: sequence++ })}\n\n`);
      event('response.created', { response: responseObject(meta, 'in_progress', []) });
      event('response.in_progress', { response: responseObject(meta, 'in_progress', []) });
      const output: unknown[] = [];
      let text = '';
      let messageIndex: number | undefined;
      let summary = '';
      let reasoningIndex: number | undefined;
      let reasoningOpen = false;
      const part = (value: string) => ({ type: 'output_text', text: value, annotations: [], logprobs: [] });
      const summaryPart = (value: string) => ({ type: 'summary_text', text: value });
      const closeReasoning = () => {
        if (!reasoningOpen) return;
        reasoningOpen = false;
        const at = { item_id: meta.reasoningId, output_index: reasoningIndex, summary_index: 0 };
        event('response.reasoning_summary_text.done', { ...at, text: summary });
        event('response.reasoning_summary_part.done', { ...at, part: summaryPart(summary) });
        const item = reasoningItem(meta, summary);
        event('response.output_item.done', { output_index: reasoningIndex, item });
        output.push(item);
      };
      let outcome: TurnOutcome;
      try {
        outcome = await run.drain((codexEvent: CodexEvent) => {
          if (codexEvent.type === 'reasoning.delta' && messageIndex === undefined) {
            if (reasoningIndex === undefined) {
              reasoningIndex = output.length;
              reasoningOpen = true;
              event('response.output_item.added', { output_index: reasoningIndex, item: { type: 'reasoning', id: meta.reasoningId, summary: [] } });
              event('response.reasoning_summary_part.added', { item_id: meta.reasoningId, output_index: reasoningIndex, summary_index: 0, part: summaryPart('') });
            }
            summary += codexEvent.delta;
            event('response.reasoning_summary_text.delta', { item_id: meta.reasoningId, output_index: reasoningIndex, summary_index: 0, delta: codexEvent.delta });
            return;
          }
          if (codexEvent.type !== 'text.delta') return;
          if (messageIndex === undefined) {
            closeReasoning();
            messageIndex = output.length;
            event('response.output_item.added', { output_index: messageIndex, item: messageItem(meta, '', 'in_progress') });
            event('response.content_part.added', { item_id: meta.messageId, output_index: messageIndex, content_index: 0, part: part('') });
          }
          text += codexEvent.delta;
          event('response.output_text.delta', { item_id: meta.messageId, output_index: messageIndex, content_index: 0, delta: codexEvent.delta, logprobs: [] });
        }, flow);
      } catch (error) {
        const failure = httpFailure(error);
        if (!isGone(c)) event('error', { code: failure.body.error.code, message: failure.body.error.message, param: null, error: failure.body.error });
        entry.status = failure.status;
        return undefined;
      }
      closeReasoning();
      if (messageIndex !== undefined) {
        event('response.output_text.done', { item_id: meta.messageId, output_index: messageIndex, content_index: 0, text, logprobs: [] });
        event('response.content_part.done', { item_id: meta.messageId, output_index: messageIndex, content_index: 0, part: part(text) });
        const item = messageItem(meta, text, 'completed');
        event('response.output_item.done', { output_index: messageIndex, item });
        output.push(item);
      }
      outcome.functionCalls.forEach((call, index) => {
        const item = functionCallItem(call, index);
        const output_index = output.length;
        event('response.output_item.added', { output_index, item: { ...item, arguments: '', status: 'in_progress' } });
        event('response.function_call_arguments.delta', { item_id: item.id, output_index, delta: call.arguments });
        event('response.function_call_arguments.done', { item_id: item.id, output_index, name: call.name, arguments: call.arguments });
        event('response.output_item.done', { output_index, item });
        output.push(item);
      });
      event('response.completed', { response: responseObject(meta, 'completed', output, outcome.usage) });
      return outcome.usage.total_tokens;
    });
  });

  return app;
}
