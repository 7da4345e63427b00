// createCodex(): the AI SDK provider. `codex('gpt-6-sol')` is a language model on a Codex facade, which is made on
// first use (Codex.fromStore with these options, so the CLI's sign-in and lock) unless one is given.
import type { LanguageModelV3, LanguageModelV4, ProviderV3, ProviderV4 } from '@ai-sdk/provider';
import { NoSuchModelError } from '@ai-sdk/provider';
import { Codex, type FromStoreOptions } from '../library/codex.js';
import { CodexLanguageModel } from './language-model.js';

export interface CodexProviderSettings extends FromStoreOptions {
  /** A facade to use (one made with `new Codex({ apiKey, … })`, say) instead of `Codex.fromStore(options)`. */
  codex?: Codex;
  /** The provider name the AI SDK reports (default `codex`). Provider options and metadata stay under `codex`. */
  name?: string;
}

/** A provider of spec v4 (`ai` 7). */
export interface CodexProvider extends ProviderV4 {
  (modelId: string): LanguageModelV4;
  languageModel(modelId: string): LanguageModelV4;
}

/** A provider of spec v3 (`ai` 6): `createCodex({ specificationVersion: 'v3' })`. */
export interface CodexProviderV3 extends ProviderV3 {
  (modelId: string): LanguageModelV3;
  languageModel(modelId: string): LanguageModelV3;
}

/**
 * The AI SDK provider: `codex(modelId)` is a language model. The default speaks the current provider spec (v4,
 * `ai` 7); `specificationVersion: 'v3'` makes models for `ai` 6.
 */
export function createCodex(settings?: CodexProviderSettings & { specificationVersion?: 'v4' }): CodexProvider;
export function createCodex(settings: CodexProviderSettings & { specificationVersion: 'v3' }): CodexProviderV3;
export function createCodex(settings: CodexProviderSettings & { specificationVersion?: 'v3' | 'v4' } = {}): CodexProvider | CodexProviderV3 {
  const { codex: given, name = 'codex', specificationVersion = 'v4', ...storeOptions } = settings;
  if (specificationVersion !== 'v3' && specificationVersion !== 'v4') {
    throw new TypeError(`createCodex: specificationVersion is v4 (ai 7) or v3 (ai 6), not ${String(specificationVersion)}`);
  }
  let codex = given;
  const config = { provider: name, codex: () => (codex ??= Codex.fromStore(storeOptions)) };
  const languageModel = (modelId: string) => new CodexLanguageModel(specificationVersion, modelId, config);
  const noSuch = (modelType: 'embeddingModel' | 'imageModel') => (modelId: string) => {
    throw new NoSuchModelError({ modelId, modelType, message: `codex has no ${modelType === 'imageModel' ? 'image' : 'embedding'} models` });
  };
  const provider = Object.assign((modelId: string) => languageModel(modelId), {
    specificationVersion,
    languageModel,
    embeddingModel: noSuch('embeddingModel'),
    imageModel: noSuch('imageModel'),
  });
  return provider as unknown as CodexProvider | CodexProviderV3;
}
