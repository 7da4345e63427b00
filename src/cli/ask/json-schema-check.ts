// `--schema`: the answer is checked against the JSON Schema, not only parsed. Imported only when --schema is
// given (Ajv is big); it is bundled into its own chunk of the CLI.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseJsonDocument } from '../../client/json-document.js';
import { messageOf } from '../../shared/error-info.js';
import { CodexError, UsageError } from '../../shared/errors.js';

export type DocumentCheck = (text: string) => unknown;

function compiler(schema: Record<string, unknown>): Ajv {
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  // Lenient about what the backend accepts and we cannot check: unknown keywords and formats are not errors.
  const options = { strict: false, validateFormats: false, allErrors: false } as const;
  if (dialect.includes('2020-12')) return new Ajv2020(options);
  return new Ajv(options);
}

/** One violation for a person: where it is (a JSON Pointer) and what is wrong. */
function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the top level' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  const extra =
    params.additionalProperty !== undefined
      ? ` (${JSON.stringify(params.additionalProperty)})`
      : Array.isArray(params.allowedValues)
        ? ` (${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')})`
        : '';
  return `at ${where}: ${error.message ?? 'invalid'}${extra}`;
}

/** Compiles `schema` (a usage error if it is not a usable JSON Schema) into a check of the answer's text. */
export function documentCheck(schema: Record<string, unknown>, asker: string): DocumentCheck {
  const { $schema: _dialect, ...rest } = schema;
  let validate: ValidateFunction;
  try {
    validate = compiler(schema).compile(rest);
  } catch (error) {
    throw new UsageError(`${asker}: not a usable JSON Schema (${messageOf(error).replace(/\s+/g, ' ')})`);
  }
  return (text) => {
    const document = parseJsonDocument(text, asker);
    if (!validate(document)) {
      const first = validate.errors?.[0];
      throw new CodexError('schema_mismatch', `the answer does not match the JSON Schema of ${asker} ${first ? describe(first) : ''}`.trimEnd());
    }
    return document;
  };
}
