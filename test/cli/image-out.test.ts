// Issue 27 item 2: `codex ask --image-out DIR` offers image generation to the model and saves each image it makes.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorEventStream, itemsAnswer } from '../fake/replies.js';
import { FAKE_PNG } from '../fake/server.js';
import { jsonLines, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith, fileMode, tempDir } from '../support/temp.js';

const fake = useFake({ fresh: true });
const signedIn = () => configDirWith(fake.issueTokens());
const responsesBodies = () => fake.requestsTo('/backend-api/codex/responses').map((request) => request.body as Record<string, unknown>);
const imageRequests = () => fake.requests.filter((request) => request.path.startsWith('/backend-api/codex/images/'));
const NAME = /^codex-image-\d{8}-\d{6}(-\d+)?\.png$/;
/** Bytes that are not the final picture: a partial_image frame's preview. */
const PREVIEW = Buffer.from('a blurry preview, not the image');

describe('codex ask --image-out (Responses Lite: the image_gen.imagegen function)', () => {
  it('offers imagegen in its own namespace, makes the image through images/generations, saves it 0600 in a new 0700 dir, tells the model where', async () => {
    const out = join(tempDir(), 'pictures', 'today');
    fake.responses.push(
      itemsAnswer([{ call: { name: 'imagegen', namespace: 'image_gen', call_id: 'call_img', arguments: { prompt: 'a red fox', size: '1024x1536' } } }]),
    );
    fake.responses.push(itemsAnswer([{ message: 'Here is your fox.' }]));
    const run = await runInProcess(['ask', 'draw a red fox', '--image-out', out], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('Here is your fox.\n');
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(NAME);
    const path = join(out, files[0]!);
    expect(run.stderr).toBe(`codex: image saved: ${path} (1024x1536, png, ${FAKE_PNG.length} bytes)\n`);
    expect(readFileSync(path)).toEqual(FAKE_PNG);
    expect(fileMode(path)).toBe(0o600);
    expect(statSync(out).mode & 0o777).toBe(0o700);

    const [first, second] = responsesBodies();
    const tools = (first!.input as { type: string; tools?: { name: string; tools: { name: string }[] }[] }[]).find((item) => item.type === 'additional_tools')!.tools!;
    expect(tools.map((namespace) => [namespace.name, namespace.tools.map((tool) => tool.name)])).toEqual([['image_gen', ['imagegen']]]);
    expect(first).not.toHaveProperty('tools');
    const [image] = imageRequests();
    expect(image!.path).toBe('/backend-api/codex/images/generations');
    expect(image!.body).toEqual({ prompt: 'a red fox', model: 'gpt-image-1.5', size: '1024x1536' });
    // The call goes back with its namespace (the backend refuses it without), and the output names the file.
    const input = second!.input as Record<string, unknown>[];
    expect(input.find((item) => item.type === 'function_call')).toMatchObject({ call_id: 'call_img', name: 'imagegen', namespace: 'image_gen' });
    expect(input.find((item) => item.type === 'function_call_output')).toEqual({
      type: 'function_call_output',
      call_id: 'call_img',
      // On Lite a call's output goes as input_text parts, as the official 0.171 client sends it.
      output: [{ type: 'input_text', text: `Made a 1024x1536 png image and saved it for the user as ${path}.` }],
    });
  });

  it('--json: an image event with the path, and the result lists the images', async () => {
    const out = tempDir();
    fake.responses.push(itemsAnswer([{ call: { name: 'imagegen', namespace: 'image_gen', call_id: 'call_1', arguments: { prompt: 'an owl' } } }]));
    fake.responses.push(itemsAnswer([{ message: 'Done.' }]));
    const run = await runInProcess(['ask', '--json', 'an owl please', '--image-out', out], { fake, configDir: signedIn() });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const events = jsonLines(run.stdout);
    const path = join(out, readdirSync(out)[0]!);
    const image = { source: 'imagegen', id: 'call_1', path, format: 'png', bytes: FAKE_PNG.length, size: '1024x1024', quality: 'medium' };
    expect(events.filter((event) => event.type === 'image')).toEqual([{ type: 'image', ...image }]);
    expect(events.at(-1)).toMatchObject({ type: 'result', text: 'Done.', images: [image] });
  });

  it('a plan without image generation ends the ask: exit 7, one line, no file', async () => {
    fake.account = { ...fake.account, plan: 'free' };
    const out = tempDir();
    fake.responses.push(itemsAnswer([{ call: { name: 'imagegen', namespace: 'image_gen', call_id: 'call_1', arguments: { prompt: 'a cat' } } }]));
    const run = await runInProcess(['ask', 'a cat', '--image-out', out], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(7);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('codex: image generation is not available on the free plan (HTTP 403)\n');
    expect(readdirSync(out)).toEqual([]);
    expect(responsesBodies()).toHaveLength(1);
  });

  it('the fake refuses a namespaced call sent back without its namespace, in the backend words', async () => {
    const body = {
      model: 'gpt-6.2-sol',
      stream: true,
      store: false,
      parallel_tool_calls: false,
      input: [
        {
          type: 'additional_tools',
          role: 'developer',
          tools: [{ type: 'namespace', name: 'image_gen', description: '', tools: [{ type: 'function', name: 'imagegen' }] }],
        },
        { type: 'function_call', call_id: 'c1', name: 'imagegen', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'ok' },
      ],
    };
    const response = await fetch(`${fake.baseUrl}/responses`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fake.issueTokens().access_token}`,
        'content-type': 'application/json',
        version: '0.171.0',
        'chatgpt-account-id': fake.account.accountId,
        'x-openai-internal-codex-responses-lite': 'true',
      },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      "Missing namespace for function_call 'imagegen'. It does not exist in the default namespace. Round-trip the model's function_call item with its namespace field included.",
    );
  });
});

describe('codex ask --image-out (classic: the hosted image_generation tool)', () => {
  it('a stream that breaks after its image is not retried: one file, one request, the error (exit 5)', async () => {
    const out = tempDir();
    fake.responses.push(errorEventStream({ code: 'server_error', message: 'boom' }, [{ image: { result: FAKE_PNG.toString('base64') } }]));
    fake.responses.push(itemsAnswer([{ image: { result: FAKE_PNG.toString('base64') } }, { message: 'again' }]));
    const run = await runInProcess(['ask', '-m', 'gpt-5.5', 'a fox', '--image-out', out], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(5);
    expect(responsesBodies()).toHaveLength(1);
    expect(readdirSync(out)).toHaveLength(1);
  });

  it('offers the hosted tool; the image_generation_call result is saved, its partial_image previews are not', async () => {
    const out = tempDir();
    fake.responses.push(
      itemsAnswer([
        { image: { result: FAKE_PNG.toString('base64'), partials: [PREVIEW.toString('base64'), PREVIEW.toString('base64')], revised_prompt: 'A fox, red.' } },
        { message: 'A fox.' },
      ]),
    );
    const run = await runInProcess(['ask', '-m', 'gpt-5.5', '--json', 'a fox', '--image-out', out], { fake, configDir: signedIn() });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const [body] = responsesBodies();
    expect(body!.tools).toEqual([{ type: 'image_generation' }]);
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    const path = join(out, files[0]!);
    expect(readFileSync(path)).toEqual(FAKE_PNG);
    const events = jsonLines(run.stdout);
    expect(events.map((event) => event.type)).toEqual(['start', 'rate_limits', 'image', 'text.delta', 'text.delta', 'result']);
    expect(events[2]).toMatchObject({ type: 'image', source: 'image_generation_call', path, format: 'png', bytes: FAKE_PNG.length, revised_prompt: 'A fox, red.' });
    expect(imageRequests()).toHaveLength(0);
  });

  it('without --image-out: no image tool offered; an image that comes anyway is reported on stderr as not saved', async () => {
    fake.responses.push(itemsAnswer([{ image: { result: FAKE_PNG.toString('base64') } }, { message: 'Made one.' }]));
    const run = await runInProcess(['ask', '-m', 'gpt-5.5', 'a fox'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('Made one.\n');
    expect(run.stderr).toBe(`codex: the model made an image (1024x1024, png, ${FAKE_PNG.length} bytes); not saved: give --image-out DIR to keep it\n`);
    expect(responsesBodies()[0]!.tools).toEqual([]);
  });

  it('--image-out naming a file: exit 2 before anything is sent', async () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const run = await runInProcess(['ask', 'a fox', '--image-out', file], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(`codex: --image-out: cannot write images to ${file} (not a directory)\n`);
    expect(responsesBodies()).toHaveLength(0);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});
