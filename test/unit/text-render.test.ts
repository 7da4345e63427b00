import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SideChannel } from '../../src/cli/render/side-channel.js';
import { TextRenderer } from '../../src/cli/render/text.js';
import type { CodexEvent } from '../../src/client/events.js';

function render(events: CodexEvent[], withNotices = false) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const renderer = new TextRenderer(out, {
    side: new SideChannel(err),
    ...(withNotices ? { notice: (message: string) => err.write(`codex: ${message}\n`) } : {}),
  });
  for (const event of events) void renderer.event(event);
  renderer.stop();
  return { stdout, stderr };
}

const r = (delta: string): CodexEvent => ({ type: 'reasoning.delta', delta });
const c = (delta: string): CodexEvent => ({ type: 'commentary.delta', delta });
const t = (delta: string): CodexEvent => ({ type: 'text.delta', delta });
const result: CodexEvent = {
  type: 'result',
  response_id: 'r',
  model: 'm',
  text: '',
  usage: { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0 },
};

describe('text mode with --reasoning', () => {
  it('labels each block on stderr; a paragraph break is not carried over to a new label', () => {
    const { stdout, stderr } = render([r('Plan'), r('.'), r('\n\n'), r('More.'), c('\n\n'), c('Checking.'), r('\n\n'), r('Done.'), t('Answer'), result]);
    expect(stdout).toBe('Answer\n');
    expect(stderr).toBe('reasoning: Plan.\n\nMore.\ncommentary: Checking.\nreasoning: Done.\n');
  });

  it('ends a pending stderr line before a notice and before the answer starts', () => {
    const { stderr } = render([r('Thinking'), { type: 'retry', attempt: 1, max_retries: 4, delay_ms: 200, reason: 'server_error' }, r('again'), t('x'), result], true);
    expect(stderr).toBe('reasoning: Thinking\ncodex: retrying in 0.2 s (server_error, attempt 1 of 4)\nreasoning: again\n');
  });
});

describe('text mode with --search', () => {
  it('a notice per search (queries quoted, pages opened, failures), control characters dropped; stdout keeps the answer alone', () => {
    const search = (fields: Partial<Extract<CodexEvent, { type: 'search' }>>): CodexEvent => ({
      type: 'search',
      id: 'call_1',
      action: 'search',
      queries: [],
      urls: [],
      status: 'completed',
      ...fields,
    });
    const { stdout, stderr } = render(
      [
        search({ queries: ['node 24', 'bad\u001b[2Jquery'] }),
        search({ action: 'open', urls: ['https://nodejs.org/en'] }),
        search({ queries: ['x'], status: 'failed' }),
        t('Answer'),
        result,
      ],
      true,
    );
    expect(stdout).toBe('Answer\n');
    expect(stderr).toBe('codex: searched: "node 24", "bad\\u001b[2Jquery"\ncodex: opened: https://nodejs.org/en\ncodex: search failed: "x"\n');
  });
});
