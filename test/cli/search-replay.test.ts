// Issue 27 item 5: a real recorded web-search stream (vercel/ai's openai-web-search-tool fixture, condensed; see
// test/fixtures/SOURCES.md) plays through our SSE parser and accumulator without a failure: its web_search_call
// items become `search` events, its url_citation annotations the result's citations.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { raw } from '../fake/replies.js';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
const recorded = readFileSync(new URL('../fixtures/vercel-ai-openai-web-search-tool.1.chunks.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
const sse = recorded.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
const doneText = recorded.find((event) => event.type === 'response.output_text.done')!.text as string;
const WALLPAPER = 'https://www.wallpaper.com/art/exhibitions-shows/berlin-art-week-2025';
const VISIT = 'https://www.visitberlin.de/en/berlin-2025-the-main-events';
const REUTERS = 'https://www.reuters.com/world/europe/berlin-postpones-decision-military-engagement-regarding-ukraine-2025-09-04/';

describe('replaying vercel/ai recorded web-search stream', () => {
  it('--json: four search events, the whole text, the citations one per URL with their first place, the usage', async () => {
    fake.responses.push(raw(sse));
    const run = await runInProcess(['ask', '-m', 'gpt-5.5', '--search', '--json', 'Berlin news today'], { fake, configDir: configDirWith(fake.issueTokens()) });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const searches = events.filter((event) => event.type === 'search');
    expect(searches.map((event) => [event.id, event.action, event.queries, (event.urls as string[]).length, event.status])).toEqual([
      ['ws_68c187d0973881928c78c79e50ae028805ca09a4773fcd25', 'search', ['Berlin news today'], 12, 'completed'],
      ['ws_68c187d3954881929c1d6d96c46e4fef05ca09a4773fcd25', 'search', [], 1, 'completed'],
      ['ws_68c187d4dd548192ab8473f8c95a4d8d05ca09a4773fcd25', 'search', [], 1, 'completed'],
      ['ws_68c187d70ba88192aad48510cff1b4c905ca09a4773fcd25', 'search', [], 1, 'completed'],
    ]);
    const deltas = events.filter((event) => event.type === 'text.delta').map((event) => event.delta as string);
    expect(deltas.join('')).toBe(doneText);
    const result = events.at(-1) as { type: string; text: string; citations: unknown[]; usage: unknown; model: string; response_id: string };
    expect(result).toMatchObject({
      type: 'result',
      text: doneText,
      model: 'gpt-5-nano-2025-08-07',
      response_id: 'resp_68c187cc09508192aa225af9734e2ed905ca09a4773fcd25',
    });
    expect(result.citations).toEqual([
      { url: WALLPAPER, title: 'What to see at Berlin Art Week 2025 | Wallpaper*', start_index: 327, end_index: 414 },
      { url: VISIT, title: 'Berlin 2025 – the main events | visitBerlin.de', start_index: 620, end_index: 697 },
      { url: REUTERS, title: 'Berlin holds off decision on participation in postwar Ukraine force | Reuters', start_index: 1900, end_index: 2029 },
    ]);
    expect(doneText.slice(327, 414)).toBe(`([wallpaper.com](${WALLPAPER}))`);
    expect(result.usage).toEqual({ input_tokens: 60093, cached_input_tokens: 34560, output_tokens: 4080, reasoning_tokens: 3648, total_tokens: 64173 });
  });

  it('text mode: the answer on stdout, three numbered sources on stderr', async () => {
    fake.responses.push(raw(sse));
    const run = await runInProcess(['ask', '-m', 'gpt-5.5', '--search', 'Berlin news today'], { fake, configDir: configDirWith(fake.issueTokens()) });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`${doneText}\n`);
    expect(run.stderr).toBe(
      `sources:\n[1] What to see at Berlin Art Week 2025 | Wallpaper* <${WALLPAPER}>\n[2] Berlin 2025 – the main events | visitBerlin.de <${VISIT}>\n` +
        `[3] Berlin holds off decision on participation in postwar Ukraine force | Reuters <${REUTERS}>\n`,
    );
  });
});
