// Issue 27 item 5: vercel/ai's recorded image-generation stream (test/fixtures/README.md) played through the CLI's
// SSE parser and turn accumulator: the picture is saved whole, its partial_image preview is not.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffImageType } from '../../src/client/images.js';
import { frame, type SseEvent, writeSse } from '../fake/replies.js';
import { jsonLines, runInProcess } from '../support/cli.js';
import { ROOT } from '../support/docs.js';
import { useFake } from '../support/fake.js';
import { configDirWith, tempDir } from '../support/temp.js';

const fake = useFake();
const recorded = readFileSync(join(ROOT, 'test/fixtures/vercel-ai-openai-image-generation-tool.chunks.txt'), 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as SseEvent);
const imageItem = recorded.find((event) => event.type === 'response.output_item.done' && (event.item as { type: string }).type === 'image_generation_call')!.item as {
  result: string;
  revised_prompt: string;
};

describe('the recorded image_generation stream (vercel/ai openai-image-generation-tool)', () => {
  it('plays through without a failure: one image event, the webp saved as recorded, usage summed', async () => {
    fake.responses.push((ctx) => writeSse(ctx, recorded));
    const out = tempDir();
    const run = await runInProcess(['ask', '-m', 'gpt-5.5', '--json', 'an echidna swimming', '--image-out', out], { fake, configDir: configDirWith(fake.issueTokens()) });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^codex-image-\d{8}-\d{6}\.webp$/);
    const bytes = readFileSync(join(out, files[0]!));
    expect(bytes).toEqual(Buffer.from(imageItem.result, 'base64'));
    expect(sniffImageType(bytes)).toBe('image/webp');
    const events = jsonLines(run.stdout);
    expect(events.map((event) => event.type)).toEqual(['start', 'rate_limits', 'image', 'result']);
    const image = {
      source: 'image_generation_call',
      id: 'ig_0df93c0bb83a72f20068c979f589c0819e9f0fc2d1a27aa1b8',
      path: join(out, files[0]!),
      format: 'webp',
      bytes: bytes.length,
      size: '1536x1024',
      quality: 'low',
      revised_prompt: imageItem.revised_prompt,
    };
    expect(events[2]).toEqual({ type: 'image', ...image });
    expect(events[3]).toMatchObject({
      type: 'result',
      model: 'gpt-5-2025-08-07',
      text: '',
      usage: { input_tokens: 2941, cached_input_tokens: 1920, output_tokens: 1249, reasoning_tokens: 1024, total_tokens: 4190 },
      images: [image],
    });
  });

  it('framed as SSE by hand with CRLF, written in 97-byte pieces, the same image comes out', async () => {
    const text = recorded.map((event) => frame(event, true)).join('');
    fake.responses.push(async ({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < text.length; i += 97) res.write(text.slice(i, i + 97));
      res.end();
    });
    const out = tempDir();
    const run = await runInProcess(['ask', '-m', 'gpt-5.5', 'an echidna', '--image-out', out], { fake, configDir: configDirWith(fake.issueTokens()) });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('');
    const [file] = readdirSync(out);
    expect(readFileSync(join(out, file!))).toEqual(Buffer.from(imageItem.result, 'base64'));
    expect(run.stderr).toBe(`codex: image saved: ${join(out, file!)} (1536x1024, webp, ${readFileSync(join(out, file!)).length} bytes)\n`);
  });
});
