// Issue 24 item 2: one settings table, one resolver. What a value is and where it came from, for every source.
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { CONFIG_FILE_KEYS, ConfigFileSchema, checkSetting, resolveSetting, SETTINGS, type SettingInputs } from '../../src/config/settings.js';
import { UsageError } from '../../src/shared/errors.js';

const PATH = '/home/u/.config/codex-oauth/config.json';
const inputs = (env: Record<string, string>, file: Record<string, unknown>): SettingInputs => ({ env, file, configPath: PATH });

describe('resolveSetting', () => {
  it('takes a flag, then a template, then env, then config.json, then the built-in default, and names each', () => {
    const env = { CODEX_MODEL: 'from-env' };
    const file = { model: 'from-file' };
    const flag = { value: 'from-flag' };
    const template = { value: 'from-template', kind: 'template' as const, label: '"model" in template review' };
    expect(resolveSetting('model', inputs(env, file), flag, template)).toEqual({ value: 'from-flag', source: { kind: 'flag', label: '-m' } });
    expect(resolveSetting('model', inputs(env, file), { value: undefined }, template)).toEqual({
      value: 'from-template',
      source: { kind: 'template', label: '"model" in template review' },
    });
    expect(resolveSetting('model', inputs(env, file), { value: undefined })).toEqual({ value: 'from-env', source: { kind: 'env', label: 'CODEX_MODEL' } });
    expect(resolveSetting('model', inputs({}, file))).toEqual({ value: 'from-file', source: { kind: 'file', label: `"model" in ${PATH}` } });
    expect(resolveSetting('model', inputs({}, {}))).toEqual({ value: undefined, source: { kind: 'default', label: 'default' } });
    expect(resolveSetting('base_url', inputs({}, {}))).toEqual({ value: 'https://chatgpt.com/backend-api/codex', source: { kind: 'default', label: 'default' } });
  });

  it('an empty env variable or file value is not set; on the command line it is a value; booleans stay booleans', () => {
    expect(resolveSetting('issuer', inputs({ CODEX_ISSUER: '' }, { issuer: '' })).source.kind).toBe('default');
    expect(resolveSetting('system', inputs({}, { system: 'be brief' }), { value: '' })).toEqual({ value: '', source: { kind: 'flag', label: '--system' } });
    expect(resolveSetting('fast', inputs({}, {}))).toEqual({ value: false, source: { kind: 'default', label: 'default' } });
    expect(resolveSetting('log', inputs({}, { log: false }))).toEqual({ value: false, source: { kind: 'file', label: `"log" in ${PATH}` } });
    expect(resolveSetting('effort', inputs({}, { effort: 'low' }), { value: 'high', label: 'the conversation (its earlier turns)' }).source.label).toBe(
      'the conversation (its earlier turns)',
    );
  });
});

describe('checkSetting', () => {
  it('refuses a value with the label of where it came from, one message shape for every source', () => {
    expect(() => checkSetting('verbosity', 'loud', '--verbosity')).toThrow(new UsageError('--verbosity must be one of low, medium, high, not "loud"'));
    expect(() => checkSetting('responses_layout', 'new', `"responses_layout" in ${PATH}`)).toThrow(
      new UsageError(`"responses_layout" in ${PATH} must be one of auto, classic, lite, not "new"`),
    );
    expect(() => checkSetting('default_profile', '../x', 'default_profile')).toThrow(
      new UsageError(`default_profile must be a profile name of 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, not "../x"`),
    );
    expect(() => checkSetting('credential_store', 'redis://h:1/0?lease=1', 'credential_store')).toThrow(
      new UsageError('credential_store unknown option "lease" in the Redis URL (known: lease_ms, prefix)'),
    );
    expect(() => checkSetting('client_version', '0.172.0', 'CODEX_CLIENT_VERSION')).not.toThrow();
  });
});

describe('the config.json schema', () => {
  it('is derived from the table: every key typed in zod and in the JSON Schema conf validates with; other keys pass', () => {
    expect(CONFIG_FILE_KEYS).toEqual(SETTINGS.map((setting) => setting.key));
    const schema = z.toJSONSchema(ConfigFileSchema) as { properties: Record<string, { type: string }> };
    expect(Object.keys(schema.properties)).toEqual(CONFIG_FILE_KEYS);
    expect(schema.properties.log!.type).toBe('boolean');
    expect(schema.properties.aliases!.type).toBe('object');
    expect(ConfigFileSchema.safeParse({ model: 'm', colour: true }).success).toBe(true);
    expect(ConfigFileSchema.safeParse({ fast: 'yes' }).success).toBe(false);
  });
});
