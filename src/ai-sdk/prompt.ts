// The AI SDK's prompt (language-model spec v3 and v4) as the Responses input: system messages become the
// instructions, earlier steps' reasoning items go back as they came (encrypted content included), tool calls and
// results as function_call / function_call_output items.
import { UnsupportedFunctionalityError } from '@ai-sdk/provider';
import type { InputContent, InputItem } from '../client/request.js';

/** The provider metadata key of this provider: `providerOptions.codex` and `providerMetadata.codex`. */
export const PROVIDER_KEY = 'codex';

/** A prompt part as either spec version sends it (v3 file data is raw, v4 file data is tagged). */
interface Part {
  type: string;
  text?: string;
  data?: unknown;
  mediaType?: string;
  toolCallId?: string;
  toolName?: string;
  input?: unknown;
  output?: { type: string; value?: unknown; reason?: string };
  providerOptions?: Record<string, Record<string, unknown> | undefined>;
}

export interface PromptMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | Part[];
}

export interface ConvertedPrompt {
  instructions?: string;
  input: InputItem[];
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Image types by their first bytes, for parts that say only `image` (spec v4) or `image/*`. */
const SIGNATURES: [string, number[]][] = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['image/webp', [0x52, 0x49, 0x46, 0x46]],
];

function isImage(mediaType: string | undefined): boolean {
  return mediaType === 'image' || mediaType?.startsWith('image/') === true;
}

function mediaTypeOf(declared: string | undefined, bytes: Uint8Array): string {
  if (declared && /^image\/[\w.+-]+$/.test(declared)) return declared;
  const found = SIGNATURES.find(([, signature]) => signature.every((byte, index) => bytes[index] === byte));
  if (!found) throw new UnsupportedFunctionalityError({ functionality: 'images whose type is not given and not PNG, JPEG, GIF or WebP' });
  return found[0];
}

/** An image part's URL: an https URL as given, bytes or base64 as a data: URL. */
function imageUrl(part: Part): string {
  let data: unknown = part.data;
  // v4: { type: 'data' | 'url' | 'reference' | 'text', … }
  if (typeof data === 'object' && data !== null && !(data instanceof Uint8Array) && !(data instanceof URL) && 'type' in data) {
    const tagged = data as { type: string; data?: unknown; url?: URL };
    if (tagged.type === 'url') data = tagged.url;
    else if (tagged.type === 'data') data = tagged.data;
    else throw new UnsupportedFunctionalityError({ functionality: `file parts of type ${tagged.type}` });
  }
  if (data instanceof URL) return data.href;
  if (typeof data === 'string' && /^(https?|data):/i.test(data)) return data;
  if (typeof data === 'string') data = Buffer.from(data, 'base64');
  if (data instanceof Uint8Array) return `data:${mediaTypeOf(part.mediaType, data)};base64,${base64(data)}`;
  throw new UnsupportedFunctionalityError({ functionality: 'a file part without data' });
}

function userContent(parts: Part[]): InputContent[] {
  return parts.map((part): InputContent => {
    if (part.type === 'text') return { type: 'input_text', text: part.text ?? '' };
    if (part.type === 'file' && isImage(part.mediaType)) return { type: 'input_image', image_url: imageUrl(part) };
    throw new UnsupportedFunctionalityError({
      functionality: part.type === 'file' ? `file parts of media type ${part.mediaType} (images only)` : `user parts of type ${part.type}`,
    });
  });
}

function toolOutput(output: Part['output']): string {
  if (!output) return '';
  switch (output.type) {
    case 'text':
    case 'error-text':
      return String(output.value ?? '');
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value ?? null);
    case 'execution-denied':
      return `the tool call was denied${output.reason ? `: ${output.reason}` : ''}`;
    case 'content': {
      const parts = (output.value ?? []) as Part[];
      if (parts.some((part) => part.type !== 'text')) throw new UnsupportedFunctionalityError({ functionality: 'tool results with files (text only)' });
      return parts.map((part) => part.text ?? '').join('');
    }
    default:
      throw new UnsupportedFunctionalityError({ functionality: `tool results of type ${output.type}` });
  }
}

/** The reasoning item an earlier step returned (kept in the part's provider options), or undefined. */
function reasoningItem(part: Part): InputItem | undefined {
  const item = part.providerOptions?.[PROVIDER_KEY]?.item;
  if (typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'reasoning') return item as InputItem;
  return undefined;
}

export function convertPrompt(prompt: readonly PromptMessage[]): ConvertedPrompt {
  const system: string[] = [];
  const input: InputItem[] = [];
  for (const message of prompt) {
    if (message.role === 'system') {
      system.push(typeof message.content === 'string' ? message.content : '');
      continue;
    }
    const parts = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    if (message.role === 'user') {
      input.push({ type: 'message', role: 'user', content: userContent(parts) });
      continue;
    }
    if (message.role === 'tool') {
      for (const part of parts) {
        if (part.type === 'tool-result') input.push({ type: 'function_call_output', call_id: part.toolCallId ?? '', output: toolOutput(part.output) });
      }
      continue;
    }
    // assistant: consecutive text parts make one message; the order of items is kept.
    let text: string[] | undefined;
    const flush = () => {
      if (text && text.join('') !== '') input.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: text.join('') }] });
      text = undefined;
    };
    for (const part of parts) {
      if (part.type === 'text') {
        text ??= [];
        text.push(part.text ?? '');
        continue;
      }
      flush();
      if (part.type === 'reasoning') {
        // Reasoning without the item it came from (another provider's) cannot be sent back; it is dropped.
        const item = reasoningItem(part);
        if (item) input.push(item);
      } else if (part.type === 'tool-call') {
        const args = typeof part.input === 'string' ? part.input : JSON.stringify(part.input ?? {});
        input.push({ type: 'function_call', call_id: part.toolCallId ?? '', name: part.toolName ?? '', arguments: args });
      } else if (part.type === 'file') {
        throw new UnsupportedFunctionalityError({ functionality: 'file parts in assistant messages' });
      }
      // tool-result parts of provider-executed tools, custom and reasoning-file parts: nothing to send back.
    }
    flush();
  }
  return { ...(system.length > 0 ? { instructions: system.join('\n\n') } : {}), input };
}
