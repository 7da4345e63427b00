// Issue 27 item 2: `codex image PROMPT -o FILE` on the backend's image endpoints.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { status } from '../fake/replies.js';
import { FAKE_PNG } from '../fake/server.js';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith, tempDir } from '../support/temp.js';

const fake = useFake({ fresh: true });
const signedIn = () => configDirWith(fake.issueTokens());
const imageRequests = () => fake.requests.filter((request) => request.path.startsWith('/backend-api/codex/images/'));

describe('codex image', () => {
  it('writes the PNG to -o FILE and sends the request the official client sends', async () => {
    const out = join(tempDir(), 'fox.png');
    const run = await runInProcess(['image', 'a red fox', 'in the snow', '-o', out, '--size', '1024x1536', '--quality', 'high', '--background', 'opaque'], {
      fake,
      configDir: signedIn(),
    });
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([0, '', '']);
    expect(readFileSync(out)).toEqual(FAKE_PNG);
    const [request] = imageRequests();
    expect(request!.path).toBe('/backend-api/codex/images/generations');
    expect(request!.body).toEqual({ prompt: 'a red fox in the snow', model: 'gpt-image-1.5', background: 'opaque', quality: 'high', size: '1024x1536' });
    expect(request!.headers['chatgpt-account-id']).toBe(fake.account.accountId);
  });

  it('--edit sends the image as a data URL to images/edits; --json prints one result event', async () => {
    const dir = tempDir();
    const source = join(dir, 'in.png');
    writeFileSync(source, FAKE_PNG);
    const out = join(dir, 'out.png');
    const run = await runInProcess(['image', 'add a hat', '--edit', source, '-o', out, '--json'], { fake, configDir: signedIn() });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const [request] = imageRequests();
    expect(request!.path).toBe('/backend-api/codex/images/edits');
    expect(request!.body).toEqual({ images: [{ image_url: `data:image/png;base64,${FAKE_PNG.toString('base64')}` }], prompt: 'add a hat', model: 'gpt-image-1.5' });
    const lines = run.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual({
      type: 'result',
      path: out,
      format: 'png',
      size: '1024x1024',
      quality: 'medium',
      bytes: FAKE_PNG.length,
      usage: expect.objectContaining({ total_tokens: 1389 }),
    });
    expect(readdirSync(dir).sort()).toEqual(['in.png', 'out.png']);
  });

  it('a plan without image generation → exit 7 (image_not_in_plan), no file', async () => {
    fake.account.plan = 'free';
    const out = join(tempDir(), 'x.png');
    const run = await runInProcess(['image', 'a fox', '-o', out], { fake, configDir: signedIn() });
    expect([run.exitCode, run.stdout]).toEqual([7, '']);
    expect(run.stderr).toBe('codex: image generation is not available on the free plan (HTTP 403)\n');
    expect(existsSync(out)).toBe(false);
  });

  it('bad input → exit 2 before any request: no -o, no prompt, a bad size, -o - with --json; an answer without image data → exit 5', async () => {
    const dir = signedIn();
    const cases: [string[], string][] = [
      [['image', 'a fox'], 'codex: codex image needs -o FILE (or -o - for stdout)\n'],
      [['image', '-o', 'x.png'], 'codex: no prompt: codex image "a red fox in the snow" -o fox.png\n'],
      [['image', 'a fox', '-o', 'x.png', '--size', 'big'], 'codex: --size takes WIDTHxHEIGHT (e.g. 1024x1536) or auto, not "big"\n'],
      [['image', 'a fox', '-o', '-', '--json'], 'codex: -o - and --json both want stdout; give -o FILE with --json\n'],
      [['image', 'a fox', '-o', 'x.png', '--edit', 'https://example.com/a.png'], 'codex: --edit takes a local image file or a data: URL, not a web address\n'],
    ];
    for (const [args, stderr] of cases) {
      const run = await runInProcess(args, { fake, configDir: dir });
      expect([run.exitCode, run.stderr], args.join(' ')).toEqual([2, stderr]);
    }
    expect(imageRequests()).toHaveLength(0);
    fake.imageReplies.push(status(200, { created: 1 }));
    const out = join(tempDir(), 'x.png');
    const odd = await runInProcess(['image', 'a fox', '-o', out], { fake, configDir: dir });
    expect([odd.exitCode, odd.stderr]).toEqual([5, 'codex: the image answer has an unexpected shape (no image data)\n']);
    expect(existsSync(out)).toBe(false);
  });
});
