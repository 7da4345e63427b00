// The one way a JSON file (or JSON text from a file or variable) becomes a checked value: read, JSON.parse, zod.
// What went wrong is handed to the caller, who names the file in an error of its own type.
import { readFile } from 'node:fs/promises';
import * as z from 'zod/mini';

/** Why JSON could not be used: the read failed, the text is not JSON, or the schema refused the value. */
export type JsonProblem = { kind: 'unreadable'; error: unknown } | { kind: 'not_json' } | { kind: 'invalid'; json: unknown; issue: z.core.$ZodIssue | undefined };

/** The caller's error for a problem, its message naming the file. */
export type JsonErrorFor = (problem: JsonProblem) => Error;

type Checked<T> = { ok: true; value: T } | { ok: false; problem: JsonProblem };

/** Any JSON object (not an array), kept as it is. */
export const JsonObjectSchema = z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value));

function check<S extends z.ZodMiniType>(text: string, schema: S): Checked<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: { kind: 'not_json' } };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: { kind: 'invalid', json, issue: parsed.error.issues[0] } };
}

async function load<S extends z.ZodMiniType>(path: string, schema: S, read: (path: string) => Promise<string>): Promise<Checked<z.output<S>>> {
  let text: string;
  try {
    text = await read(path);
  } catch (error) {
    return { ok: false, problem: { kind: 'unreadable', error } };
  }
  return check(text, schema);
}

const readUtf8 = (path: string) => readFile(path, 'utf8');

/** JSON text checked against `schema`, or the caller's error. */
export function parseJson<S extends z.ZodMiniType>(text: string, schema: S, errorFor: JsonErrorFor): z.output<S> {
  const checked = check(text, schema);
  if (!checked.ok) throw errorFor(checked.problem);
  return checked.value;
}

/** The file read (by default as UTF-8) and checked against `schema`, or the caller's error. */
export async function readJsonFile<S extends z.ZodMiniType>(
  path: string,
  schema: S,
  options: { errorFor: JsonErrorFor; read?: (path: string) => Promise<string> },
): Promise<z.output<S>> {
  const checked = await load(path, schema, options.read ?? readUtf8);
  if (!checked.ok) throw options.errorFor(checked.problem);
  return checked.value;
}

/**
 * The same for a synchronous reader that returns undefined when there is no file (then so does this). A reader's
 * own CodexError reaches `errorFor` as an unreadable problem too: return it to let it through.
 */
export function readJsonFileSync<S extends z.ZodMiniType>(
  path: string,
  schema: S,
  options: { errorFor: JsonErrorFor; read: (path: string) => string | undefined },
): z.output<S> | undefined {
  let text: string | undefined;
  try {
    text = options.read(path);
  } catch (error) {
    throw options.errorFor({ kind: 'unreadable', error });
  }
  return text === undefined ? undefined : parseJson(text, schema, options.errorFor);
}

/** A cache file: its value, or undefined for any problem (which `onProblem` hears of). Never throws. */
export async function readCacheFile<S extends z.ZodMiniType>(path: string, schema: S, onProblem?: (problem: JsonProblem) => void): Promise<z.output<S> | undefined> {
  const checked = await load(path, schema, readUtf8);
  if (checked.ok) return checked.value;
  onProblem?.(checked.problem);
  return undefined;
}
