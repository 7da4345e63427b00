// Tools for library callers: async functions whose parameters are a zod schema or a JSON Schema object.
import { type $ZodType, type output, safeParseAsync, toJSONSchema } from 'zod/v4/core';
import { parseJsonDocument } from '../client/json-document.js';
import type { Tool, ToolOutput } from '../client/tool-loop.js';
import { messageOf } from '../shared/error-info.js';
import { CodexError, UsageError } from '../shared/errors.js';

/** A JSON Schema object (what the backend receives as a tool's `parameters` or a structured-output schema). */
export type JsonSchema = Record<string, unknown>;

export interface ToolContext {
  /** The model's id for this call. */
  callId: string;
  /** Aborted when the request is cancelled (or the caller broke out of the stream). */
  signal?: AbortSignal;
}

/**
 * What a tool returns: a string is sent to the model as is, `{output, isError}` marks a failure the model
 * should see as one, anything else is sent as JSON.
 */
export type ToolReturn = string | ToolOutput | unknown;

/** A tool whose arguments are described (and checked) by a zod 4 schema. */
export interface ZodToolDefinition<S extends $ZodType> {
  name: string;
  description?: string;
  parameters: S;
  run(args: output<S>, context: ToolContext): ToolReturn | Promise<ToolReturn>;
}

/** A tool whose arguments are described by a JSON Schema object; `Args` is what you promise they look like. */
export interface JsonToolDefinition<Args = unknown> {
  name: string;
  description?: string;
  parameters: JsonSchema;
  run(args: Args, context: ToolContext): ToolReturn | Promise<ToolReturn>;
}

/** Anything `tools` accepts: a tool made by `defineTool`, or a plain definition with either kind of schema. */
// biome-ignore lint/suspicious/noExplicitAny: a tool of any argument type is accepted; `unknown` would refuse typed ones
export type ToolLike = Tool | ZodToolDefinition<any> | JsonToolDefinition<any>;

/** Tools made by defineTool (already wrapped). */
const defined = new WeakSet<object>();

export function isZodSchema(value: unknown): value is $ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

function looksLikeZod3(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '_def' in value && typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

/** A zod 4 schema as JSON Schema (without `$schema`), or a JSON Schema object as given. */
export function toJsonSchema(schema: JsonSchema | $ZodType, what: string): JsonSchema {
  if (isZodSchema(schema)) {
    let converted: Record<string, unknown>;
    try {
      converted = toJSONSchema(schema) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`${what}: the zod schema has no JSON Schema form: ${messageOf(error)}`, { cause: error });
    }
    const { $schema: _drop, ...rest } = converted;
    return rest;
  }
  if (looksLikeZod3(schema)) throw new UsageError(`${what}: zod 3 schemas are not supported; use zod 4 or a JSON Schema object`);
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new UsageError(`${what}: a JSON Schema object is needed`);
  return schema;
}

function outputOf(value: unknown): ToolOutput {
  if (typeof value === 'string') return { output: value };
  if (typeof value === 'object' && value !== null && typeof (value as { output?: unknown }).output === 'string') {
    const { output, isError } = value as ToolOutput;
    return { output, isError: isError === true };
  }
  if (value === undefined) return { output: '' };
  return { output: JSON.stringify(value) ?? String(value) };
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/**
 * A tool the model may call. With a zod schema the parameters sent to the backend are its JSON Schema, and the
 * model's arguments are parsed with it before `run` sees them (a mismatch goes back to the model as an error
 * output, so it can correct itself). Calls of one turn run concurrently.
 */
export function defineTool<S extends $ZodType>(definition: ZodToolDefinition<S>): Tool;
export function defineTool<Args = unknown>(definition: JsonToolDefinition<Args>): Tool;
export function defineTool(definition: ZodToolDefinition<$ZodType> | JsonToolDefinition<unknown>): Tool {
  if (typeof definition?.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(definition.name)) {
    throw new UsageError(`tool name ${JSON.stringify(definition?.name)}: use 1-64 letters, digits, _ or -`);
  }
  if (typeof definition.run !== 'function') throw new UsageError(`tool ${definition.name}: run must be a function`);
  const schema = definition.parameters;
  const parameters = toJsonSchema(schema, `tool ${definition.name}`);
  const run = definition.run as (args: unknown, context: ToolContext) => ToolReturn | Promise<ToolReturn>;
  const tool: Tool = {
    name: definition.name,
    ...(definition.description !== undefined ? { description: definition.description } : {}),
    parameters,
    async run(args, context) {
      let value = args;
      if (isZodSchema(schema)) {
        const parsed = await safeParseAsync(schema, args);
        if (!parsed.success) return { output: `invalid arguments for ${definition.name}: ${describeIssues(parsed.error.issues)}`, isError: true };
        value = parsed.data;
      }
      return outputOf(await run(value, context));
    },
  };
  defined.add(tool);
  return tool;
}

/** The core Tool for anything `tools` accepts; plain definitions (either kind of schema) go through defineTool. */
export function normalizeTool(tool: ToolLike): Tool {
  return defined.has(tool) ? (tool as Tool) : defineTool(tool as JsonToolDefinition<unknown>);
}

/** The answer of a request with `jsonSchema` as a document (checked when the schema is a zod schema). */
export async function parseAnswer(text: string, schema: JsonSchema | $ZodType): Promise<unknown> {
  const json = parseJsonDocument(text, 'jsonSchema');
  if (!isZodSchema(schema)) return json;
  const parsed = await safeParseAsync(schema, json);
  if (!parsed.success) {
    throw new CodexError('schema_mismatch', `the answer does not match jsonSchema: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
