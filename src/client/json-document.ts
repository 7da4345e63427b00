import { CodexError } from '../shared/errors.js';

/** Structured output: the answer must be one JSON document; `asker` names the option that asked for it. */
export function parseJsonDocument(text: string, asker: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CodexError('schema_mismatch', `the answer is not the JSON document ${asker} asked for: ${text.replace(/\s+/g, ' ').slice(0, 120)}`);
  }
}
