// store/json-file.ts: the one read → JSON.parse → zod path; each caller names the file in its own error.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { UsageError } from '../../src/shared/errors.js';
import { credentialsFromEnvJson } from '../../src/store/credentials.js';
import { JsonObjectSchema, type JsonProblem, parseJson, readCacheFile, readJsonFile, readJsonFileSync } from '../../src/store/json-file.js';
import { tempDir } from '../support/temp.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const Schema = z.object({ n: z.number() });
const describeProblem = (problem: JsonProblem) =>
  new UsageError(
    problem.kind === 'unreadable'
      ? `unreadable: ${(problem.error as { code?: string }).code}`
      : problem.kind === 'not_json'
        ? 'not JSON'
        : `invalid: ${problem.issue?.path.join('.')}`,
  );

describe('readJsonFile', () => {
  it('returns the checked value', async () => {
    expect(await readJsonFile(file('ok.json', '{"n": 1, "extra": true}'), Schema, { errorFor: describeProblem })).toEqual({ n: 1 });
  });

  it.each([
    ['missing.json', undefined, 'unreadable: ENOENT'],
    ['torn.json', '{"n": ', 'not JSON'],
    ['wrong.json', '{"n": "one"}', 'invalid: n'],
  ])("%s: the caller's error", async (name, text, message) => {
    const path = text === undefined ? join(dir, name) : file(name, text);
    await expect(readJsonFile(path, Schema, { errorFor: describeProblem })).rejects.toThrow(new UsageError(message));
  });

  it('reads with the given reader, whose failure is an unreadable problem', async () => {
    const read = async () => {
      throw Object.assign(new Error('busy'), { code: 'EBUSY' });
    };
    await expect(readJsonFile('any', Schema, { errorFor: describeProblem, read })).rejects.toThrow('unreadable: EBUSY');
    expect(await readJsonFile('any', Schema, { errorFor: describeProblem, read: async () => '{"n": 2}' })).toEqual({ n: 2 });
  });
});

describe('readJsonFileSync, parseJson', () => {
  it('no file is undefined; an object schema refuses arrays and keeps the object as it is', () => {
    expect(readJsonFileSync('none', Schema, { errorFor: describeProblem, read: () => undefined })).toBeUndefined();
    expect(() => parseJson('[1]', JsonObjectSchema, describeProblem)).toThrow('invalid: ');
    const text = '{"__proto__": {"polluted": true}, "a": [1]}';
    expect(parseJson(text, JsonObjectSchema, describeProblem)).toEqual(JSON.parse(text));
  });
});

describe('readCacheFile', () => {
  it('is undefined for any problem, which onProblem hears of, and never throws', async () => {
    const heard: string[] = [];
    const onProblem = (problem: JsonProblem) => heard.push(problem.kind);
    mkdirSync(join(dir, 'a-dir'));
    for (const path of [join(dir, 'gone.json'), file('c1.json', 'nope'), file('c2.json', '{}'), join(dir, 'a-dir')]) {
      expect(await readCacheFile(path, Schema, onProblem)).toBeUndefined();
    }
    expect(heard).toEqual(['unreadable', 'not_json', 'invalid', 'unreadable']);
    expect(await readCacheFile(file('c3.json', '{"n": 3}'), Schema)).toEqual({ n: 3 });
  });
});

describe('credentials through parseJson', () => {
  it('CODEX_AUTH_JSON: not JSON, or no credentials, each with its own message', () => {
    expect(() => credentialsFromEnvJson('{')).toThrow('CODEX_AUTH_JSON is not valid JSON');
    expect(() => credentialsFromEnvJson('{"OPENAI_API_KEY": "k"}')).toThrow(
      'CODEX_AUTH_JSON holds neither codex-oauth credentials nor an official Codex auth.json with tokens',
    );
  });
});
