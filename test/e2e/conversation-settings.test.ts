import { beforeEach, describe, expect, it } from 'vitest';
import { Codex } from '../../src/library/codex.js';
import { runCli } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
let dir: string;

beforeEach(() => {
  dir = configDirWith(fake.issueTokens());
});

type Body = { model: string; reasoning?: { effort?: string }; text?: { verbosity?: string }; input: Record<string, unknown>[] };
const bodies = () => fake.requestsTo('/backend-api/codex/responses').map((request) => request.body as Body);
/** What a request asked for, in either request layout (effort at the top level or in a configuration_update item). */
function settingsOf(body: Body) {
  const update = body.input.find((item) => item.type === 'configuration_update') as { reasoning?: { effort?: string } } | undefined;
  return { model: body.model, effort: body.reasoning?.effort ?? update?.reasoning?.effort, verbosity: body.text?.verbosity };
}
/** Whether the request carries this system prompt (as instructions or as a developer message). */
const carries = (body: Body, system: string) => JSON.stringify(body).includes(system);
const ask = (args: string[]) => runCli(['ask', ...args], { fake, configDir: dir });

describe('a continued conversation keeps its settings', () => {
  it('the library: a conversation reuses the settings of its last turn, and the CLI continues with them', async () => {
    const codex = Codex.fromStore({ configDir: dir, baseUrl: fake.baseUrl, issuer: fake.issuer });
    const conversation = await codex.conversation('lib');
    await conversation.complete({ prompt: 'a', model: 'gpt-6-luna', effort: 'high', instructions: 'Be brief.' });
    await conversation.complete({ prompt: 'b' });
    expect(await conversation.settings()).toEqual({ model: 'gpt-6-luna', effort: 'high', system: 'Be brief.' });
    expect((await ask(['--cid', 'lib', 'c'])).exitCode).toBe(0);
    const [, two, three] = bodies();
    for (const body of [two!, three!]) {
      expect(settingsOf(body)).toMatchObject({ model: 'gpt-6-luna', effort: 'high' });
      expect(carries(body, 'Be brief.')).toBe(true);
    }
  });
});
