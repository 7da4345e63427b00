// Issue 27 item 2: `codex serve`'s POST /v1/images/generations and /v1/images/edits, in OpenAI's Images API shape,
// driven by the openai SDK and by raw requests, in front of the fake.
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '../fake/replies.js';
import { FAKE_PNG } from '../fake/server.js';
import { useFake } from '../support/fake.js';
import { type Served, startServe, TEST_SERVE_KEY } from '../support/serve.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
const imageRequests = () => fake.requests.filter((request) => request.path.startsWith('/backend-api/codex/images/'));
const PNG_URL = `data:image/png;base64,${FAKE_PNG.toString('base64')}`;

describe('codex serve /v1/images', () => {
  let served: Served;
  let client: OpenAI;
  const post = (path: string, body: string | FormData, headers: Record<string, string> = {}) =>
    fetch(`${served.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TEST_SERVE_KEY}`, ...headers }, body });
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    post(path, JSON.stringify(body), { 'content-type': 'application/json', ...headers });

  beforeAll(async () => {
    served = await startServe([], { fake, configDir: configDirWith(fake.issueTokens()) });
    client = new OpenAI({ baseURL: served.url, apiKey: TEST_SERVE_KEY, maxRetries: 0 });
  });
  afterAll(async () => {
    const { exitCode, stderr } = await served.stop();
    expect(exitCode).toBe(0);
    expect(stderr).toMatch(/codex serve: POST \/v1\/images\/generations model=gpt-image-1\.5 status=200 ms=\d+/);
    // The access log names requests, never their prompts.
    expect(stderr).not.toContain('lighthouse');
  });

  it('images.generate: b64_json from images/generations, the request the official client sends', async () => {
    const result = await client.images.generate({ model: 'gpt-image-1', prompt: 'a lighthouse at dusk', size: '1536x1024', quality: 'high', background: 'opaque' });
    expect(Buffer.from(result.data![0]!.b64_json!, 'base64')).toEqual(FAKE_PNG);
    expect(result).toMatchObject({ output_format: 'png', size: '1536x1024', quality: 'high', background: 'opaque', usage: { total_tokens: 1389 } });
    expect(typeof result.created).toBe('number');
    const [request] = imageRequests();
    expect(request!.path).toBe('/backend-api/codex/images/generations');
    expect(request!.body).toEqual({ prompt: 'a lighthouse at dusk', model: 'gpt-image-1.5', background: 'opaque', quality: 'high', size: '1536x1024' });
  });

  it('images.edit with a file (multipart, as the SDK sends it) → images/edits with a data URL', async () => {
    fake.reset();
    const result = await client.images.edit({ image: await toFile(FAKE_PNG, 'in.png', { type: 'image/png' }), prompt: 'add a hat' });
    expect(Buffer.from(result.data![0]!.b64_json!, 'base64')).toEqual(FAKE_PNG);
    const [request] = imageRequests();
    expect(request!.path).toBe('/backend-api/codex/images/edits');
    expect(request!.body).toEqual({ images: [{ image_url: PNG_URL }], prompt: 'add a hat', model: 'gpt-image-1.5' });
  });

  it('edits as JSON with images: [{image_url}]; two images go as two', async () => {
    fake.reset();
    const response = await postJson('/images/edits', { prompt: 'merge them', images: [{ image_url: PNG_URL }, { image_url: PNG_URL }] });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { b64_json: string }[] }).data[0]!.b64_json).toBe(FAKE_PNG.toString('base64'));
    expect(imageRequests()[0]!.body).toEqual({ images: [{ image_url: PNG_URL }, { image_url: PNG_URL }], prompt: 'merge them', model: 'gpt-image-1.5' });
  });

  it('JSON edits are checked as form files are: bytes that are no image are 400, nothing reaches the backend', async () => {
    fake.reset();
    const notAnImage = `data:image/png;base64,${Buffer.from('#!/bin/sh\necho not a picture\n').toString('base64')}`;
    const response = await postJson('/images/edits', { prompt: 'a hat', images: [{ image_url: notAnImage }] });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { param: 'images[0].image_url', code: 'invalid_image_format' } });
    expect(imageRequests()).toHaveLength(0);
  });

  it('response_format "url" is refused OpenAI-style (nothing to host it on); nothing reaches the backend', async () => {
    fake.reset();
    const response = await postJson('/images/generations', { prompt: 'a cat', response_format: 'url' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message: 'response_format "url" is not supported: codex serve has nowhere to host images; use "b64_json" (the default)',
        type: 'invalid_request_error',
        param: 'response_format',
        code: 'unsupported_value',
      },
    });
    const more = await postJson('/images/generations', { prompt: 'a cat', n: 2 });
    expect(more.status).toBe(400);
    expect(((await more.json()) as { error: { param: string } }).error.param).toBe('n');
    const sized = await postJson('/images/generations', { prompt: 'a cat', size: 'huge' });
    expect(((await sized.json()) as { error: { param: string; code: string } }).error).toMatchObject({ param: 'size', code: 'invalid_value' });
    expect(imageRequests()).toHaveLength(0);
  });

  it('the guard holds: no key 401, a web page 403, multipart only on /v1/images/edits (415), a mask or a non-image refused', async () => {
    fake.reset();
    const noKey = await fetch(`${served.url}/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"x"}' });
    expect(noKey.status).toBe(401);
    const form = new FormData();
    form.set('prompt', 'x');
    form.set('image', new Blob([FAKE_PNG], { type: 'image/png' }), 'a.png');
    const page = await post('/images/edits', form, { origin: 'https://evil.example' });
    expect(page.status).toBe(403);
    const elsewhere = await post('/chat/completions', form);
    expect(elsewhere.status).toBe(415);
    const masked = new FormData();
    masked.set('prompt', 'x');
    masked.set('image', new Blob([FAKE_PNG], { type: 'image/png' }), 'a.png');
    masked.set('mask', new Blob([FAKE_PNG], { type: 'image/png' }), 'm.png');
    expect(((await (await post('/images/edits', masked)).json()) as { error: { param: string } }).error.param).toBe('mask');
    const text = new FormData();
    text.set('prompt', 'x');
    text.set('image', new Blob(['not a picture'], { type: 'image/png' }), 'a.png');
    const notImage = await post('/images/edits', text);
    expect(notImage.status).toBe(400);
    expect(((await notImage.json()) as { error: { code: string } }).error.code).toBe('invalid_image_format');
    expect(imageRequests()).toHaveLength(0);
  });

  it("a plan without image generation: 403 image_not_in_plan, the backend's refusal passed on", async () => {
    fake.reset();
    fake.imageReplies.push(status(403, { detail: 'Image generation is not available on your plan.' }));
    const response = await postJson('/images/generations', { prompt: 'a cat' });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string; type: string } }).error).toMatchObject({ code: 'image_not_in_plan', type: 'invalid_request_error' });
  });
});
