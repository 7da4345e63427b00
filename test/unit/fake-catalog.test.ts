// The fake's catalog is the official client 0.171.0's (protocol §11): the same entries in the same order, the same
// fields, the same values; only the texts are ours (the fixture has them replaced by their lengths).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS } from '../../src/client/models/registry.js';
import { DEFAULT_MODEL } from '../../src/config/resolve.js';
import { FAKE_CATALOG } from '../fake/catalog.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/official-0.171-models-catalog.json');
const official = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { catalog: { models: Record<string, unknown>[] } }).catalog.models;
const TEXT = /^<text, \d+ chars>$/;

/** Each text of the fixture becomes "<text>"; the same places of ours must hold a non-empty string. */
function shape(value: unknown, official: unknown): unknown {
  if (typeof official === 'string' && TEXT.test(official)) return typeof value === 'string' && value !== '' ? '<text>' : value;
  if (Array.isArray(official) && Array.isArray(value)) return value.map((item, i) => shape(item, official[i]));
  if (official && typeof official === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shape(item, (official as Record<string, unknown>)[key])]));
  }
  return value;
}

const textsOnly = (value: unknown): unknown => shape(value, value);

describe("the fake's catalog is 0.171's", () => {
  it('lists the same slugs in the same order', () => {
    expect(FAKE_CATALOG.map((model) => model.slug)).toEqual(official.map((model) => model.slug));
  });

  it.each(official.map((model) => [model.slug as string, model] as const))('%s: every field, the same values but for the texts', (slug, expected) => {
    const ours = FAKE_CATALOG.find((model) => model.slug === slug)!;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(expected).sort());
    // In the binary `model_messages` is an object of prompt templates (the fixture's text stands for it); ours
    // carries only the base prompt, in our own words.
    expect(ours.model_messages).toEqual({ instructions_template: expect.stringMatching(/\S/) });
    expect(shape({ ...ours, model_messages: '<text>' }, expected)).toEqual(textsOnly(expected));
  });

  it("our built-in fallback list is the catalog's listed models, with their priorities, levels and layout", () => {
    const listed = official.filter((model) => model.visibility === 'list');
    const builtin = BUILTIN_MODELS.filter((model) => !model.hidden);
    expect(builtin.map((model) => [model.id, model.priority])).toEqual(
      [...listed].sort((a, b) => (a.priority as number) - (b.priority as number)).map((model) => [model.slug, model.priority]),
    );
    for (const model of builtin) {
      const entry = official.find((candidate) => candidate.slug === model.id)!;
      expect({
        context_window: model.context_window,
        reasoning_levels: model.reasoning_levels,
        default_reasoning_level: model.default_reasoning_level,
        responses_lite: model.responses_lite,
        default_verbosity: model.default_verbosity,
      }).toEqual({
        context_window: entry.context_window,
        reasoning_levels: (entry.supported_reasoning_levels as { effort: string }[]).map((level) => level.effort),
        default_reasoning_level: entry.default_reasoning_level,
        responses_lite: entry.use_responses_lite,
        default_verbosity: entry.default_verbosity,
      });
    }
    expect(DEFAULT_MODEL).toBe('gpt-6.2-sol');
  });
});
