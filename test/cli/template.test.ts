// Issue 15 item 6: saved prompts, `codex template list|show|set|edit|rm` and `codex ask -t NAME`.
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { systemPromptOf } from '../support/requests.js';
import { configDirWith, fileMode, tempDir } from '../support/temp.js';

const fake = useFake();
const signedIn = () => configDirWith(fake.issueTokens());

type Body = { model: string; instructions?: string; reasoning?: { effort?: string } };
const sent = () => fake.requestsTo('/backend-api/codex/responses').map((request) => ({ ...(request.body as Body), instructions: systemPromptOf(request.body) }));

describe('codex template', () => {
  it('set, list, show, rm: NAME.json 0600 in templates/ 0700', async () => {
    const dir = signedIn();
    const env = { CODEX_CONFIG_DIR: dir, CODEX_BASE_URL: fake.baseUrl, CODEX_ISSUER: fake.issuer };
    const set = await runInProcess(['template', 'set', 'reviewer', '--system', 'Review this diff.', '-m', 'gpt-6-sol', '-e', 'high'], { env });
    expect([set.exitCode, set.stdout, set.stderr]).toEqual([0, '', '']);
    expect((await runInProcess(['template', 'set', 'short', '--system', 'Be brief.'], { env })).exitCode).toBe(0);
    const file = join(dir, 'templates', 'reviewer.json');
    expect(fileMode(file)).toBe(0o600);
    expect(statSync(join(dir, 'templates')).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toBe('{\n  "system": "Review this diff.",\n  "model": "gpt-6-sol",\n  "effort": "high"\n}\n');
    writeFileSync(join(dir, 'templates', 'poet.md'), 'Answer in verse.\n', { mode: 0o600 });
    const list = await runInProcess(['template', 'list'], { env });
    expect([list.exitCode, list.stdout, list.stderr]).toEqual([0, 'poet\nreviewer\nshort\n', '']);
    const show = await runInProcess(['template', 'show', 'poet'], { env });
    expect([show.exitCode, show.stdout]).toEqual([0, '{\n  "system": "Answer in verse.\\n"\n}\n']);
    const missing = await runInProcess(['template', 'show', 'reviwer'], { env });
    expect([missing.exitCode, missing.stdout, missing.stderr]).toEqual([
      2,
      '',
      'codex: no template "reviwer" (did you mean "reviewer"?); `codex template list` shows them\n',
    ]);
    const rm = await runInProcess(['template', 'rm', 'short'], { env });
    expect([rm.exitCode, rm.stderr]).toEqual([0, '']);
    expect(existsSync(join(dir, 'templates', 'short.json'))).toBe(false);
    const again = await runInProcess(['template', 'rm', 'short'], { env });
    expect([again.exitCode, again.stderr]).toEqual([2, 'codex: no template "short"\n']);
    const noSystem = await runInProcess(['template', 'set', 'x', '-m', 'gpt-6-sol'], { env });
    expect([noSystem.exitCode, noSystem.stderr]).toEqual([2, 'codex: codex template set NAME needs --system TEXT\n']);
    const badName = await runInProcess(['template', 'set', '../x', '--system', 'y'], { env });
    expect([badName.exitCode, badName.stderr]).toEqual([
      2,
      `codex: a template name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, not "../x"\n`,
    ]);
  });

  it('edit runs $EDITOR on the file and checks it; a broken result is exit 2 and kept; no editor is exit 2', async () => {
    const dir = signedIn();
    const scripts = tempDir('codex-editor-');
    const good = join(scripts, 'good.sh');
    writeFileSync(good, '#!/bin/sh\nprintf \'{"system": "From the editor.", "effort": "low"}\\n\' > "$1"\n');
    const bad = join(scripts, 'bad.sh');
    writeFileSync(bad, '#!/bin/sh\nprintf \'{"system": 1}\\n\' > "$1"\n');
    chmodSync(good, 0o755);
    chmodSync(bad, 0o755);
    const edit = await runInProcess(['template', 'edit', 'fresh'], { env: { CODEX_CONFIG_DIR: dir, EDITOR: good } });
    expect([edit.exitCode, edit.stdout, edit.stderr]).toEqual([0, '', '']);
    const file = join(dir, 'templates', 'fresh.json');
    expect(readFileSync(file, 'utf8')).toBe('{"system": "From the editor.", "effort": "low"}\n');
    expect(fileMode(file)).toBe(0o600);
    const broken = await runInProcess(['template', 'edit', 'fresh'], { env: { CODEX_CONFIG_DIR: dir, VISUAL: bad, EDITOR: good } });
    expect([broken.exitCode, broken.stderr]).toEqual([2, `codex: ${file} must be {"system": TEXT, "model"?: SLUG, "effort"?: LEVEL, "fast"?: BOOLEAN}\n`]);
    expect(readFileSync(file, 'utf8')).toBe('{"system": 1}\n');
    const none = await runInProcess(['template', 'edit', 'fresh'], { fake, configDir: dir });
    expect([none.exitCode, none.stderr]).toEqual([2, 'codex: set VISUAL or EDITOR to edit a template, or use `codex template set NAME --system TEXT`\n']);
  });
});

describe('codex ask -t NAME', () => {
  it('sends the template system prompt, model and effort; flags given to ask win; an unknown one sends nothing', async () => {
    const dir = signedIn();
    const env = { CODEX_CONFIG_DIR: dir, CODEX_BASE_URL: fake.baseUrl, CODEX_ISSUER: fake.issuer };
    expect((await runInProcess(['template', 'set', 'reviewer', '--system', 'Review this diff.', '-m', 'gpt-6-luna', '-e', 'high'], { env })).exitCode).toBe(0);
    fake.responses.push(answer({ text: 'Fine.' }));
    const run = await runInProcess(['ask', '-t', 'reviewer', 'anything', 'risky?'], { fake, configDir: dir, env: { CODEX_MODEL: 'gpt-6-sol' } });
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([0, 'Fine.\n', '']);
    expect(sent()[0]).toMatchObject({ model: 'gpt-6-luna', instructions: 'Review this diff.', reasoning: { effort: 'high' } });

    fake.requests.length = 0;
    fake.responses.push(answer({ text: 'Fine.' }));
    const flags = await runInProcess(['ask', '-t', 'reviewer', '-m', 'gpt-6-sol', '-e', 'low', '-s', 'Other.', 'q'], { fake, configDir: dir });
    expect(flags.exitCode, flags.stderr).toBe(0);
    expect(sent()[0]).toMatchObject({ model: 'gpt-6-sol', instructions: 'Other.', reasoning: { effort: 'low' } });

    fake.requests.length = 0;
    const unknown = await runInProcess(['ask', '-t', 'reviewr', 'q'], { fake, configDir: dir });
    expect([unknown.exitCode, unknown.stdout, unknown.stderr]).toEqual([
      2,
      '',
      'codex: no template "reviewr" (did you mean "reviewer"?); `codex template list` shows them\n',
    ]);
    expect(sent()).toHaveLength(0);
  });

  it('a template model or effort the catalog refuses names the template', async () => {
    const dir = signedIn();
    expect((await runInProcess(['template', 'set', 'deep', '--system', 'Think.', '-m', 'gpt-6-luna', '-e', 'ultra'], { fake, configDir: dir })).exitCode).toBe(0);
    const run = await runInProcess(['ask', '-t', 'deep', 'q'], { fake, configDir: dir });
    expect([run.exitCode, run.stderr]).toEqual([2, 'codex: "effort" in template deep: gpt-6-luna takes reasoning effort low, medium, high, xhigh, max; not ultra\n']);
    // Saved by hand: `template set` itself checks the model against the catalog.
    writeFileSync(join(dir, 'templates', 'old.json'), JSON.stringify({ system: 'x', model: 'gpt-6-lunna' }), { mode: 0o600 });
    const model = await runInProcess(['ask', '-t', 'old', 'q'], { fake, configDir: dir });
    expect([model.exitCode, model.stderr]).toEqual([2, expect.stringMatching(/^codex: "model" in template old: unknown model gpt-6-lunna; did you mean gpt-6-luna/)]);
    expect(sent()).toHaveLength(0);
  });

  it('set -m checks the model against the catalog: an unknown one is exit 2 with a suggestion; offline it is accepted with a warning', async () => {
    const dir = signedIn();
    const bad = await runInProcess(['template', 'set', 'x', '--system', 'y', '-m', 'gpt-nope'], { fake, configDir: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe('codex: unknown model gpt-nope (`codex models` lists the available ones)\n');
    expect(existsSync(join(dir, 'templates', 'x.json'))).toBe(false);
    const offline = await runInProcess(['template', 'set', 'x', '--system', 'y', '-m', 'gpt-later'], { env: { CODEX_CONFIG_DIR: tempDir() } });
    expect([offline.exitCode, offline.stderr]).toEqual([
      0,
      expect.stringMatching(/^codex: template set -m: could not check gpt-later against the model list \(not logged in.*\); accepted as it is\n$/),
    ]);
  });
});
