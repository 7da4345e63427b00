// Issue 27: the library's `imageOut` request option (what `ask --image-out` uses).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Codex, type GeneratedImage } from '../../src/index.js';
import { itemsAnswer } from '../fake/replies.js';
import { FAKE_PNG } from '../fake/server.js';
import { useFake } from '../support/fake.js';
import { tempDir } from '../support/temp.js';

const fake = useFake();

function codexFor(): Codex {
  const tokens = fake.issueTokens();
  return new Codex({ apiKey: tokens.access_token, refreshToken: tokens.refresh_token, accountId: tokens.account_id, baseUrl: fake.baseUrl, issuer: fake.issuer });
}

describe('stream({ imageOut })', () => {
  it('a directory: the image is written there, and the image event names it', async () => {
    const dir = tempDir();
    fake.responses.push(itemsAnswer([{ call: { name: 'imagegen', namespace: 'image_gen', call_id: 'c1', arguments: { prompt: 'a fox' } } }]));
    fake.responses.push(itemsAnswer([{ message: 'Done.' }]));
    const events = [];
    for await (const event of codexFor().stream({ prompt: 'draw a fox', imageOut: dir })) events.push(event);
    const [file] = readdirSync(dir);
    expect(readFileSync(join(dir, file!))).toEqual(FAKE_PNG);
    expect(events.find((event) => event.type === 'image')).toMatchObject({ type: 'image', source: 'imagegen', path: join(dir, file!) });
  });

  it('an image that cannot be saved ends the run (image_unwritable), on Lite as on classic: the model is not told', async () => {
    fake.responses.push(itemsAnswer([{ call: { name: 'imagegen', namespace: 'image_gen', call_id: 'c1', arguments: { prompt: 'a fox' } } }]));
    fake.responses.push(itemsAnswer([{ message: 'Done.' }]));
    const sent = fake.requestsTo('/backend-api/codex/responses').length;
    const failing = { save: async (): Promise<string> => Promise.reject(new Error('disk on fire')) };
    await expect(codexFor().complete({ prompt: 'draw a fox', imageOut: failing })).rejects.toMatchObject({
      code: 'image_unwritable',
      message: 'cannot save the image: disk on fire',
    });
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(sent + 1);
  });

  it('a function: it gets the bytes and names where they went (classic: the hosted tool)', async () => {
    const saved: GeneratedImage[] = [];
    fake.responses.push(itemsAnswer([{ image: { result: FAKE_PNG.toString('base64') } }, { message: 'Here.' }]));
    const result = await codexFor().complete({
      prompt: 'a fox',
      model: 'gpt-5.5',
      imageOut: {
        save: async (image) => {
          saved.push(image);
          return 'memory://1';
        },
      },
    });
    expect(result.text).toBe('Here.');
    expect(saved.map((image) => [Buffer.from(image.bytes), image.format, image.source])).toEqual([[FAKE_PNG, 'png', 'image_generation_call']]);
    expect((fake.requestsTo('/backend-api/codex/responses')[0]!.body as { tools: unknown[] }).tools).toEqual([{ type: 'image_generation' }]);
  });
});
