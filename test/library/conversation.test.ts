// The library's conversations share the CLI's log: what `codex ask --cid` started, a library user continues, and back.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Codex, type CodexEvent, defineTool } from '../../src/index.js';
import { answer } from '../fake/replies.js';
import { FakeCodex } from '../fake/server.js';
import { jsonLines, runCli } from '../support/cli.js';
import { configDirWith } from '../support/temp.js';

let fake: FakeCodex;
beforeAll(async () => {
  fake = await new FakeCodex().start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

type Item = Record<string, unknown>;
const inputs = () =>
  fake
    .requestsTo('/backend-api/codex/responses')
    .map((request) => request.body as { input: Item[]; prompt_cache_key: string })
    // The conversation's own items: not the tools, the reasoning settings or the system prompt (a developer message on Lite).
    .map((body) => ({
      key: body.prompt_cache_key,
      items: body.input.filter((item) => item.type !== 'additional_tools' && item.type !== 'configuration_update' && item.role !== 'developer'),
    }));
// Answers are sent back labelled as the official client labels them (protocol §11).
const message = (role: string, text: string) =>
  role === 'user'
    ? { type: 'message', role, content: [{ type: 'input_text', text }] }
    : { type: 'message', role, content: [{ type: 'output_text', text }], phase: 'final_answer' };

describe('Codex.conversation', () => {
  it('continues a conversation the CLI started, and the CLI continues what the library added', async () => {
    const dir = configDirWith(fake.issueTokens());
    const cli = await runCli(['ask', '--json', '--cid', 'shared', 'first'], { fake, configDir: dir });
    const id = jsonLines(cli.stdout)[0]!.conversation_id as string;

    const transport = Codex.fromStore({ configDir: dir, baseUrl: fake.baseUrl, issuer: fake.issuer });
    const conversation = await transport.conversation('shared');
    expect([conversation.id, conversation.name]).toEqual([id, 'shared']);
    expect((await conversation.turns()).map((turn) => turn.prompt)).toEqual(['first']);

    const events: CodexEvent[] = [];
    for await (const event of conversation.stream({ prompt: 'second' })) events.push(event);
    expect(events[0]).toMatchObject({ type: 'start', conversation_id: id });
    expect(events.at(-1)).toMatchObject({ type: 'result', text: 'You said: second', conversation_id: id });

    const after = await runCli(['ask', '--json', '--cid', 'shared', 'third'], { fake, configDir: dir });
    expect(after.exitCode).toBe(0);
    const [, library, third] = inputs();
    expect(library!.items.filter((item) => item.type === 'message')).toEqual([
      message('user', 'first'),
      message('assistant', 'You said: first'),
      message('user', 'second'),
    ]);
    expect(third!.items.filter((item) => item.type === 'message').map((item) => (item.content as { text: string }[])[0]!.text)).toEqual([
      'first',
      'You said: first',
      'second',
      'You said: second',
      'third',
    ]);
    expect(new Set(inputs().map((request) => request.key))).toEqual(new Set([id]));
    expect((await transport.conversations()).map((summary) => [summary.id, summary.name, summary.turns])).toEqual([[id, 'shared', 3]]);
  });

  it('complete() sends back the tool calls, outputs and reasoning of earlier turns, without ids', async () => {
    const dir = configDirWith(fake.issueTokens());
    const transport = Codex.fromStore({ configDir: dir, baseUrl: fake.baseUrl, issuer: fake.issuer });
    const conversation = await transport.conversation();
    expect(conversation.id).toMatch(/^c_[0-9a-f]{20}$/);
    const clock = defineTool({ name: 'clock', description: 'the time', parameters: { type: 'object', properties: {} }, run: () => '12:00' });
    fake.responses.push(answer({ reasoning: ['Look at the clock.'], functionCalls: [{ name: 'clock', arguments: {}, call_id: 'call_t' }] }));
    fake.responses.push(answer({ text: 'It is noon.' }));
    expect((await conversation.complete({ prompt: 'what time is it?', tools: [clock] })).text).toBe('It is noon.');
    expect((await conversation.complete({ prompt: 'thanks' })).text).toBe('You said: thanks');
    const last = inputs().at(-1)!.items;
    expect(last.map((item) => item.type)).toEqual(['message', 'reasoning', 'function_call', 'function_call_output', 'message', 'message']);
    expect(last[3]).toEqual({ type: 'function_call_output', call_id: 'call_t', output: [{ type: 'input_text', text: '12:00' }] });
    for (const item of last) expect(item).not.toHaveProperty('id');
    const [turn] = await conversation.turns();
    expect(turn).toMatchObject({
      prompt: 'what time is it?',
      answer: 'It is noon.',
      tools: [{ call_id: 'call_t', name: 'clock', arguments: {}, output: '12:00', is_error: false }],
    });
  });

  it('refuses a name that is not safe as a file name', async () => {
    const dir = configDirWith(fake.issueTokens());
    const transport = Codex.fromStore({ configDir: dir, baseUrl: fake.baseUrl, issuer: fake.issuer });
    await expect(transport.conversation('../etc')).rejects.toMatchObject({ code: 'usage' });
  });
});
