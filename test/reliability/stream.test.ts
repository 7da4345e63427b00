/**
 * Stream faults: what the SSE body itself can carry.
 *
 * Already covered elsewhere (not repeated here):
 * - no response.completed (stream ends) → exit 5 ...................... test/e2e/ask.test.ts "ends without response.completed"
 * - response.failed context_length_exceeded → exit 6 (text mode) ...... test/e2e/ask.test.ts "a response.failed event → exit 6"
 * - an idle stream → exit 5 idle_timeout ................................ test/e2e/ask.test.ts "an idle stream"
 * - multi-byte characters split across TCP writes ........................ test/e2e/ask.test.ts "streams the answer byte-exact"
 * - split at every single byte / every single cut point (parser) ........ test/unit/sse.test.ts (extended there with random multi-cuts)
 */
import { describe, expect, it } from 'vitest';
import { answer, answerEvents, bulkAnswer, frame, type Reply, raw, type SseEvent } from '../fake/replies.js';
import { jsonLines } from '../support/cli.js';
import { authNow, type Expected, MODES, rowsFor, runScenario, terminalEvent, world } from '../support/world.js';

interface Row {
  name: string;
  replies: Reply[];
  /** Text mode unless --json is listed. */
  args?: string[];
  expected: Expected;
  requests?: number;
  events?: (events: Record<string, unknown>[]) => void;
  /** Heavy rows run once, in verbose mode only (the secrets check still sees them). */
  once?: boolean;
}

/** A hand-made stream: created, the given middle events, and (unless `end` is false) completed. */
function stream(middle: (SseEvent | string)[], { end = true, crlf = false } = {}): Reply {
  const head = { type: 'response.created', response: { id: 'resp_hand', model: 'gpt-5.4', status: 'in_progress' } };
  const tail = { type: 'response.completed', response: { id: 'resp_hand', status: 'completed', usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } } };
  const events = [head, ...middle, ...(end ? [tail] : [])];
  return raw(events.map((e) => frame(e, crlf)).join(''));
}

const delta = (text: string) => ({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: text });
const failed = (code: string, message: string) =>
  answer({ text: '', terminal: { type: 'response.failed', response: { id: 'resp_f', status: 'failed', error: { code, message } } } });

const TEN_MB = 10 * 1024 * 1024;
const TINY_DELTAS = 100_000;
/** bulkAnswer sends whole batches of 256 deltas. */
const tinyDeltasSent = Math.ceil(TINY_DELTAS / 256) * 256;

const rows: Row[] = [
  // `data:` that is not JSON → exit 5 bad_stream, not retried (the backend would send it again).
  {
    name: 'invalid JSON in data:',
    replies: [stream(['data: {"type":"response.output_text.delta","delta":\n\n'])],
    expected: { exit: 5, error: /unreadable event.*not JSON/ },
    requests: 1,
  },
  // Unknown event types, unknown fields and keep-alive comments are ignored.
  {
    name: 'unknown event types ignored',
    replies: [
      answer({
        text: 'fine',
        extra: [{ type: 'response.brand_new_event', payload: { x: 1 } }, ': keep-alive', { type: 'codex.rate_limits', primary: { used_percent: 1 } }],
      }),
    ],
    expected: { exit: 0, stdout: 'fine\n' },
  },
  // response.failed, each known code: context too long → 6; quota / plan → 4; rate limit (retried) → 4; other → 6.
  {
    name: 'response.failed context_length_exceeded',
    replies: [failed('context_length_exceeded', 'Your input exceeds the context window of this model.')],
    args: ['--json'],
    expected: { exit: 6, error: /context window/ },
    events: (e) => expect(e.at(-1)).toMatchObject({ code: 'context_length_exceeded' }),
  },
  {
    name: 'response.failed insufficient_quota',
    replies: [failed('insufficient_quota', 'You exceeded your current quota.')],
    args: ['--json'],
    expected: { exit: 4, error: /quota/ },
    requests: 1,
    events: (e) => expect(e.at(-1)).toMatchObject({ code: 'usage_limit_reached' }),
  },
  {
    name: 'response.failed usage_not_included',
    replies: [failed('usage_not_included', 'Your plan does not include Codex.')],
    args: ['--json'],
    expected: { exit: 4, error: /does not include Codex/ },
    requests: 1,
    events: (e) => expect(e.at(-1)).toMatchObject({ code: 'usage_limit_reached' }),
  },
  // A rate limit in the stream names its wait ("try again in 0.2s"): retried after that wait, then exit 4.
  {
    name: 'response.failed rate_limit_exceeded',
    replies: [
      failed('rate_limit_exceeded', 'Rate limit reached. Please try again in 0.2s.'),
      failed('rate_limit_exceeded', 'Rate limit reached. Please try again in 0.2s.'),
    ],
    args: ['--json', '--max-retries', '1'],
    expected: { exit: 4, error: /Rate limit reached/ },
    requests: 2,
    events: (e) => expect(e.find((x) => x.type === 'retry')).toMatchObject({ delay_ms: 200, reason: 'rate_limited' }),
  },
  {
    name: 'response.failed rate_limit_exceeded, then an answer',
    replies: [failed('rate_limit_exceeded', 'Please try again in 0.1s.'), answer({ text: 'after the wait' })],
    expected: { exit: 0, stdout: 'after the wait\n' },
    requests: 2,
  },
  // Overload and server errors in the stream are transient, like a 503: retried while nothing was shown, then exit 5.
  {
    name: 'response.failed server_error',
    replies: [failed('server_error', 'An error occurred while processing your request.'), failed('server_error', 'An error occurred while processing your request.')],
    args: ['--json', '--max-retries', '1'],
    expected: { exit: 5, error: /An error occurred while processing/ },
    requests: 2,
    events: (e) => expect(e.at(-1)).toMatchObject({ code: 'server_error' }),
  },
  // response.incomplete after part of the answer: the part stays on stdout (no newline added), exit 6 names the reason.
  {
    name: 'response.incomplete',
    replies: [
      answer({
        text: 'half an ans',
        terminal: { type: 'response.incomplete', response: { id: 'r', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } },
      }),
    ],
    expected: { exit: 6, stdout: 'half an ans', error: /incomplete \(max_output_tokens\)/ },
  },
  // An `error` event mid-stream → the backend's message, exit 6; a server error after output is not retried (exit 5).
  {
    name: 'an error event in the stream',
    replies: [stream([delta('par'), { type: 'error', code: 'invalid_prompt', message: 'stream exploded' }], { end: false })],
    expected: { exit: 6, stdout: 'par', error: /stream exploded/ },
  },
  {
    name: 'a server error event after output',
    replies: [stream([delta('par'), { type: 'error', code: 'server_error', message: 'stream exploded' }], { end: false })],
    expected: { exit: 5, stdout: 'par', error: /stream exploded/ },
    requests: 1,
  },
  // `[DONE]` after response.completed is harmless.
  {
    name: '[DONE] after completed',
    replies: [
      raw(
        `${answerEvents({ text: 'done right' })
          .map((e) => frame(e))
          .join('')}data: [DONE]\n\n`,
      ),
    ],
    expected: { exit: 0, stdout: 'done right\n' },
  },
  // `[DONE]` instead of response.completed is still a truncated stream → exit 5 (never a silent success).
  {
    name: '[DONE] without completed',
    replies: [stream([delta('cut'), 'data: [DONE]'], { end: false })],
    expected: { exit: 5, stdout: 'cut', error: /closed before response\.completed/ },
    requests: 1,
  },
  // One 10 MB delta arrives whole, byte-exact, once.
  { name: '10 MB single delta', replies: [stream([delta('y'.repeat(TEN_MB))])], expected: { exit: 0, stdout: `${'y'.repeat(TEN_MB)}\n` }, once: true },
  // 100 000 one-character deltas: every one written, nothing lost.
  { name: '100 000 tiny deltas', replies: [bulkAnswer(TINY_DELTAS, 1)], expected: { exit: 0, stdout: `${'a'.repeat(tinyDeltasSent)}\n` }, once: true },
  // The same in --json: one text.delta line each, then the result with the whole text.
  {
    name: '100 000 tiny deltas (--json)',
    replies: [bulkAnswer(TINY_DELTAS, 1)],
    args: ['--json'],
    expected: { exit: 0 },
    events: (e) => {
      expect(e.filter((x) => x.type === 'text.delta')).toHaveLength(tinyDeltasSent);
      expect(e.at(-1)).toMatchObject({ type: 'result', text: 'a'.repeat(tinyDeltasSent) });
    },
    once: true,
  },
  // CRLF line endings throughout.
  { name: 'CRLF framing', replies: [answer({ text: 'crlf → ok ✓', crlf: true, reasoning: ['r'] })], expected: { exit: 0, stdout: 'crlf → ok ✓\n' } },
  // Every byte in its own TCP write, multi-byte characters included.
  { name: 'split at every byte', replies: [answer({ text: 'ünïcödé 🚀 bytes', splitBytes: 1 })], expected: { exit: 0, stdout: 'ünïcödé 🚀 bytes\n' } },
  // CRLF and one-byte writes together: a CR and its LF arrive in different chunks.
  { name: 'CRLF split at every byte', replies: [answer({ text: 'cr|lf', crlf: true, splitBytes: 1 })], expected: { exit: 0, stdout: 'cr|lf\n' } },
];

describe.each(MODES)('stream faults ($mode)', ({ verbose }) => {
  it.concurrent.each(rowsFor(rows, verbose))(
    '$name',
    async (row) => {
      const w = await world();
      try {
        w.fake.responses.push(...row.replies);
        const run = await runScenario(w, ['ask', ...(row.args ?? []), 'q'], row.expected, verbose);
        if (row.args?.includes('--json')) {
          expect(terminalEvent(run.stdout).exit_code ?? 0).toBe(row.expected.exit);
          row.events?.(jsonLines(run.stdout));
        }
        if (row.requests !== undefined) expect(w.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(row.requests);
        expect(authNow(w)).toBe(w.authBefore);
      } finally {
        await w.close();
      }
    },
    60_000,
  );
});
