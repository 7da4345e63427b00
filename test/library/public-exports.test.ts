// The package's public surface, name by name, as a user gets it from the built package (its declarations and its
// ESM entries): an export added or removed fails here until this list says so, which makes it a decision.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** `import … from 'codex-oauth-cli'`: values (present at run time) and types (declarations only). */
const ROOT_VALUES = [
  'ApiError',
  'AuthError',
  'Codex',
  'CodexError',
  'CodexEventSchema',
  'CodexTransport',
  'Conversation',
  'ConversationError',
  'CredentialsSchema',
  'DEFAULT_BASE_URL',
  'DEFAULT_ISSUER',
  'DEFAULT_MAX_TURNS',
  'DEFAULT_MODEL',
  'EFFORTS',
  'ERROR_CODES',
  'EXIT_CODES',
  'FileCredentialStore',
  'IMAGE_BACKGROUNDS',
  'IMAGE_MODEL',
  'IMAGE_QUALITIES',
  'LockError',
  'MemoryCredentialStore',
  'PERMANENT_REFRESH_ERRORS',
  'RedisCredentialStore',
  'RefusedError',
  'SCHEMA_VERSION',
  'StreamError',
  'UnsupportedToolCallError',
  'UsageError',
  'VERSION',
  'createOpenAIFetch',
  'credentialsFromEnvJson',
  'defineTool',
  'exitCodeFor',
  'isCodexError',
  'isErrorCode',
  'isPermanentRefreshError',
  'openCredentialStore',
  'parseAnyCredentials',
  'parseStoreUrl',
  'runToolLoop',
  'selectModels',
  'userMessage',
];
const ROOT_TYPES = [
  'AdditionalLimit',
  'AnswerHeaders',
  'Citation',
  'CodexCommonOptions',
  'CodexEvent',
  'CodexOptions',
  'CodexRequest',
  'CodexTransportCommonOptions',
  'CodexTransportOptions',
  'CompleteResult',
  'ConversationSettings',
  'ConversationSummary',
  'CredentialStore',
  'Credentials',
  'Effort',
  'ErrorCode',
  'ErrorCodeInfo',
  'ErrorDetails',
  'ErrorEvent',
  'ErrorKind',
  'EventSink',
  'Exchange',
  'FromStoreOptions',
  'FunctionCall',
  'GeneratedImage',
  'GeneratedImageInfo',
  'ImageEvent',
  'ImageOutput',
  'ImageRequest',
  'ImageResult',
  'ImageResultEvent',
  'InputContent',
  'InputItem',
  'JsonSchema',
  'JsonToolDefinition',
  'ModelInfo',
  'ModelSpec',
  'ModelsResult',
  'NamedRateLimit',
  'OpenAIFetchOptions',
  'RateLimitSnapshot',
  'RateLimitsEvent',
  'RedeemCode',
  'RedeemResult',
  'RedisStoreSpec',
  'RelayOptions',
  'ResetCredit',
  'ResetCreditList',
  'ResponsesLayout',
  'ResultEvent',
  'RetryEvent',
  'SearchEvent',
  'SpendControl',
  'SpendLimit',
  'StartEvent',
  'Tool',
  'ToolChoice',
  'ToolContext',
  'ToolLike',
  'ToolOutput',
  'ToolRecord',
  'ToolReturn',
  'TurnOptions',
  'TurnOutcome',
  'TurnRecord',
  'TurnRunner',
  'Usage',
  'UsageReport',
  'WebSearchOptions',
  'ZodToolDefinition',
];

/** `import … from 'codex-oauth-cli/ai-sdk'`. */
const AI_SDK_VALUES = ['CodexLanguageModel', 'CodexProviderOptionsSchema', 'createCodex'];
const AI_SDK_TYPES = ['CodexErrorData', 'CodexProvider', 'CodexProviderOptions', 'CodexProviderSettings', 'CodexProviderV3'];

const sorted = (names: Iterable<string>) => [...names].sort();

/** The names a subpath's declarations export, split into values and types (what the exports map points at). */
function declared(subpath: '.' | './ai-sdk'): { values: string[]; types: string[] } {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string }> };
  const file = join(ROOT, pkg.exports[subpath]!.types);
  const program = ts.createProgram([file], { noEmit: true, noLib: true, types: [], module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const values: string[] = [];
  const types: string[] = [];
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    (target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.getName());
  }
  return { values: sorted(values), types: sorted(types) };
}

async function runtimeNames(entry: string): Promise<string[]> {
  return sorted(Object.keys(await import(pathToFileURL(join(ROOT, entry)).href)));
}

describe('the public surface', () => {
  it('the package root exports exactly these names, and its run time exactly the values', async () => {
    expect(declared('.')).toEqual({ values: sorted(ROOT_VALUES), types: sorted(ROOT_TYPES) });
    expect(await runtimeNames('dist/index.js')).toEqual(sorted(ROOT_VALUES));
  });

  it('codex-oauth-cli/ai-sdk exports exactly these names, and its run time exactly the values', async () => {
    expect(declared('./ai-sdk')).toEqual({ values: sorted(AI_SDK_VALUES), types: sorted(AI_SDK_TYPES) });
    expect(await runtimeNames('dist/ai-sdk.js')).toEqual(sorted(AI_SDK_VALUES));
  });

  it('the symbol of the internal accessor is not reachable from the package root', async () => {
    const root = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href);
    expect(Object.values(root).filter((value) => typeof value === 'symbol')).toEqual([]);
    const codex = new root.Codex({ apiKey: 'a.b.c', accountId: 'acct' });
    expect(Object.keys(codex).sort()).toEqual(['baseUrl', 'clientVersion', 'model']);
  });
});
