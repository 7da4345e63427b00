// `codex-oauth-cli/ai-sdk`: the Vercel AI SDK provider. Needs `ai` (7, or 6 with specificationVersion 'v3') and
// `@ai-sdk/provider`, the package's optional peer dependencies; `import 'codex-oauth-cli'` never loads them.
export { type CodexProviderOptions, CodexProviderOptionsSchema } from './call-options.js';
export type { CodexErrorData } from './errors.js';
export { CodexLanguageModel } from './language-model.js';
export { type CodexProvider, type CodexProviderSettings, type CodexProviderV3, createCodex } from './provider.js';
